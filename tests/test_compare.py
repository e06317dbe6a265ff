"""`scrutiny compare`: structure and citations on a generated corpus (Devon, Norfolk, Cumbria)."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from reports_corpus import CUMBRIA, DEVON, NORFOLK, build

from cli.main import cli
from reports.common import ReportError, normalise_measure, normalise_unit, same_measure
from reports.compare import SECTIONS, compare

TOPIC = "family safeguarding"


@pytest.fixture()
def store(tmp_path, kb_location):
    s = build(kb_location)
    yield s
    s.close()


@pytest.fixture()
def data(store):
    return compare(store, ["Devon", "Norfolk", "Cumbria"], TOPIC, as_of="2026-11-23")


def _group(data, word_set):
    return [g for g in data["aligned"] if set(word_set) <= set(g["measure_key"])]


def test_contract_keys_and_every_item_cites_source_and_page(data):
    assert data["topic"] == TOPIC
    assert [a["authority"] for a in data["authorities"]] == [DEVON, NORFOLK, CUMBRIA]
    for a in data["authorities"]:
        for section in (*SECTIONS, "sources"):
            assert isinstance(a[section], list), section
            for item in a[section]:
                assert "source" in item and "page" in item, (section, item)
                if section != "sources":
                    assert item["source"], (section, item)
        for s in a["sources"]:
            assert {"source", "committee", "meeting_date", "kind", "url"} <= set(s)
        for e in a["events"]:
            assert {"date", "planned", "actual"} <= set(e)
    for g in data["aligned"]:
        for cell in g["authorities"]:
            assert "source" in cell and "page" in cell
        for c in g["comparators"]:
            assert c["source"] and "page" in c


def test_topic_documents_only(data):
    devon = data["authorities"][0]
    assert {s["source"] for s in devon["sources"]} == {"devon/2020-01-30-report.txt", "devon/2021-03-minutes.txt"}
    assert not any("pothole" in (f["measure"] or "") for f in devon["figures"])


def test_figures_aligned_across_authorities_by_measure(data):
    (cic,) = [g for g in _group(data, {"child", "care"}) if normalise_unit(g["unit"]) == "per10000"]
    cells = {c["authority"]: c for c in cic["authorities"]}
    # "rate of looked after children" (Devon, latest) and "looked after children per 10,000" (Norfolk) align
    assert cells[DEVON]["value"] == 70 and cells[DEVON]["period"] == "March 2021"
    assert cells[DEVON]["source"] == "devon/2021-03-minutes.txt" and cells[DEVON]["page"] == 1
    assert cells[NORFOLK]["value"] == 51 and cells[NORFOLK]["source"] == "norfolk/2022-06-20-minutes.txt"
    # Cumbria's documents state no such figure: reported as not found, never guessed
    assert cells[CUMBRIA]["status"] == "not found" and cells[CUMBRIA]["value"] is None
    assert cells[CUMBRIA]["source"] is None and cells[CUMBRIA]["page"] is None
    # "CP plans" ~ "child protection plans"
    (cp,) = _group(data, {"child", "protection", "plan"})
    assert {c["authority"]: c["value"] for c in cp["authorities"] if c["status"] == "found"} == {DEVON: 44, NORFOLK: 38}


def test_units_never_mixed(data):
    for g in data["aligned"]:
        units = {normalise_unit(f["unit"]) for c in g["authorities"] for f in c["figures"]}
        units |= {normalise_unit(c["unit"]) for c in g["comparators"]}
        assert len(units) == 1, g["measure"]
    # children in care as % and as a count are separate rows from the rate per 10,000
    groups = [g for g in data["aligned"] if {"child", "care"} <= set(g["measure_key"])]
    assert sorted(normalise_unit(g["unit"]) for g in groups) == ["%", "count", "per10000"]


def test_national_and_statistical_neighbour_figures_marked(data):
    (cic,) = [g for g in _group(data, {"child", "care"}) if normalise_unit(g["unit"]) == "per10000"]
    marks = {c["subject"]: (c["comparator"], c["value"]) for c in cic["comparators"]}
    assert marks == {"England": ("national", 65), "statistical neighbours": ("statistical neighbours", 58),
                     "national average": ("national", 67)}
    devon = data["authorities"][0]
    own = [f for f in devon["figures"] if not f["comparator"]]
    assert all(f["subject"] == "Devon" for f in own)
    assert {f["comparator"] for f in devon["figures"]} == {None, "national", "statistical neighbours"}


def test_money_ratings_events_issues(data):
    devon, norfolk, cumbria = data["authorities"]
    assert [(m["value"], m["unit"]) for m in devon["money"]] == [(2100000, "GBP")]
    assert [r["value"] for r in norfolk["ratings"]] == ["Good"]
    assert cumbria["money"] == [] and "money" in cumbria["not_found"]
    (launch,) = [e for e in devon["events"] if e["actual"] == "2021-02-11"]
    assert launch["planned"] == "2020-10" and launch["slipped"] is True
    assert launch["plan"]["source"] == "devon/2020-01-30-report.txt"
    assert any("risk" in i["text"].lower() for i in devon["issues"])
    assert [a["status"] for a in devon["actions"]] == ["overdue", "open"]


def test_measure_normalisation():
    assert normalise_measure("Looked after children per 10,000") == normalise_measure("children in care")
    assert same_measure(normalise_measure("children on CP plans"), normalise_measure("child protection plans rate"))
    assert not same_measure(normalise_measure("children in care rate"), normalise_measure("children in need rate"))


def test_unknown_authority_suggests(store):
    with pytest.raises(ReportError, match=r'no authority matches "Devn"; did you mean "Devon County Council"\?'):
        compare(store, ["Devn"], TOPIC)


def test_cli_json_and_errors(tmp_path, kb_location):
    build(kb_location).close()
    r = CliRunner().invoke(cli, ["--kb", str(kb_location), "compare", "Devon", "Norfolk", "--topic", TOPIC,
                                 "--format", "json"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    assert [a["authority"] for a in json.loads(r.output)["authorities"]] == [DEVON, NORFOLK]
    r = CliRunner().invoke(cli, ["--kb", str(kb_location), "compare", "Norfk", "--topic", TOPIC])
    assert r.exit_code == 1 and 'no authority matches "Norfk"; did you mean "Norfolk County Council"?' in r.output
    r = CliRunner().invoke(cli, ["--kb", str(kb_location), "compare", "Devon", "--topic", "bus lanes"])
    assert r.exit_code == 1 and 'no documents on "bus lanes"' in r.output
    r = CliRunner().invoke(cli, ["--kb", str(kb_location), "compare", "Devon", "Norfolk", "Cumbria", "--topic",
                                 TOPIC])
    assert r.exit_code == 0 and "Key figures side by side" in r.output and "not found" in r.output


def test_authority_names_go_through_the_gazetteer_and_documents_through_search(store):
    data = compare(store, ["Devon CC"], TOPIC)
    assert [a["authority"] for a in data["authorities"]] == [DEVON]
    assert "devon/2020-01-30-report.txt" in [s["source"] for s in data["authorities"][0]["sources"]]
    with pytest.raises(ReportError, match='did you mean "Devon County Council"'):
        compare(store, ["Devn"], TOPIC)
