import csv

import pytest

from ingest import gazetteer as G
from ingest.gazetteer import find_authorities, resolve_authority, suggest


def test_csv_shape_and_coverage():
    rows = list(csv.DictReader(G.DATA.read_text(encoding="utf-8").splitlines()))
    assert list(rows[0]) == ["name", "short", "aliases", "type", "nation"]
    names = [r["name"] for r in rows]
    assert len(names) == len(set(names))
    nations = {n: sum(1 for r in rows if r["nation"] == n) for n in ("Wales", "Scotland", "Northern Ireland")}
    assert nations == {"Wales": 22, "Scotland": 32, "Northern Ireland": 11}
    current_england = [r for r in rows if r["nation"] == "England" and "abolished" not in r["type"]]
    assert 310 <= len(current_england) <= 320  # 21 counties, 62-63 unitaries, 36 mets, 33 London, 164 districts
    assert all(r["short"] for r in rows)


@pytest.mark.parametrize("text,expected", [
    ("Lancashire", "Lancashire County Council"),
    ("lancashire county council", "Lancashire County Council"),
    ("Lancashire CC", "Lancashire County Council"),
    ("Lancashire Council", "Lancashire County Council"),
    ("Council of Lancashire", "Lancashire County Council"),
    ("Blackpool", "Blackpool Council"),
    ("Blackpool Borough Council", "Blackpool Council"),
    ("Kent", "Kent County Council"),
    ("KCC", "Kent County Council"),
    ("Camden", "London Borough of Camden"),
    ("Camden Council", "London Borough of Camden"),
    ("RBKC", "Royal Borough of Kensington and Chelsea"),
    ("Cornwall Council", "Cornwall Council"),
    ("Bath & North East Somerset Council", "Bath and North East Somerset Council"),
    ("King's Lynn and West Norfolk", "Borough Council of King's Lynn and West Norfolk"),
    ("the Highland Council", "The Highland Council"),
    ("Cardiff", "Cardiff Council"),
    ("Belfast", "Belfast City Council"),
])
def test_resolve(text, expected):
    assert resolve_authority(text) == expected


def test_successor_by_date():
    assert resolve_authority("Somerset", when="2022-06-20") == "Somerset County Council"
    assert resolve_authority("Somerset", when="2024-01-10") == "Somerset Council"
    assert resolve_authority("Somerset") == "Somerset Council"
    assert resolve_authority("North Yorkshire", when="2020-05-01") == "North Yorkshire County Council"
    assert resolve_authority("Somerset County Council", when="2024-01-10") == "Somerset County Council"


def test_ambiguous_acronyms_need_evidence():
    assert resolve_authority("LCC") is None
    assert resolve_authority("SCC") is None
    assert resolve_authority("Newcastle") is None  # upon Tyne or under Lyme
    text = "SCC officers reported to members. Somerset has seen demand rise; SCC will respond."
    assert find_authorities(text, when="2022-06-01") == [("Somerset County Council", 3)]
    assert find_authorities("The LCC report was noted.") == []


def test_unknown_and_suggestions():
    assert resolve_authority("Lancs") is None
    assert resolve_authority("") is None
    assert "Lancashire County Council" in suggest("Lancs")
    assert suggest("Kensington")[0] == "Royal Borough of Kensington and Chelsea"
    assert suggest("Blackpol")[0] == "Blackpool Council"


def test_common_word_short_forms():
    assert find_authorities("I was reading the report. Reading the minutes, members agreed.") == []
    assert find_authorities("FURTHER READING") == []
    assert find_authorities("Reading Borough Council reported that families in Reading wait longer.") == [
        ("Reading Borough Council", 2)]
    assert find_authorities("bury the hatchet") == []


def test_find_authorities_counts_and_longest_match():
    text = ("West Lancashire Borough Council and Lancashire County Council met. Lancashire's schools; "
            "contact x@lancashire.gov.uk. Devon, Suffolk and Herefordshire are neighbours.")
    found = dict(find_authorities(text))
    assert found["Lancashire County Council"] == 2
    assert found["West Lancashire Borough Council"] == 1
    assert found["Devon County Council"] == 1 and found["Suffolk County Council"] == 1


def test_domains():
    assert G.domain_authority("sharon.hubber@lancashire.gov.uk") == ["Lancashire County Council"]
    assert G.domain_authority("https://democracy.blackpool.gov.uk/ieListDocuments.aspx") == ["Blackpool Council"]
    assert G.domain_authority("georgina.little@kent\n.gov.uk") == ["Kent County Council"]


def test_resolve_names_prefers_the_kbs_spelling_and_explains_unknown_names():
    import pytest

    from ingest.gazetteer import UnknownAuthority, resolve_names

    known = ["Somerset County Council", "Blackpool Council"]
    assert resolve_names(["Somerset", "blackpool", "Blackpool Council"], known) == known
    with pytest.raises(UnknownAuthority, match='did you mean "Lancashire County Council"'):
        resolve_names(["Lancs"], known)


def test_a_place_name_finds_every_stored_body_named_after_it():
    from ingest.gazetteer import resolve_names

    known = ["Milburn Parish Council", "Milburn Parish Meeting", "Kent County Council"]
    assert resolve_names(["Milburn"], known) == ["Milburn Parish Council", "Milburn Parish Meeting"]
    assert resolve_names(["Milburn Parish Council", "kent"], known) == ["Milburn Parish Council", "Kent County Council"]


def test_a_place_name_heading_another_bodys_name_is_not_the_council():
    text = ("Attendees: Kieron O'Hara, Southampton University; Jo May, University of Southampton; "
            "Mark Fraser, Durham Constabulary; Leeds United supporters.")
    assert find_authorities(text) == []
    assert find_authorities("Families in Southampton and Southampton City Council's services.") == [
        ("Southampton City Council", 2)]
