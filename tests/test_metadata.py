import csv
import re
from pathlib import Path

import pytest
from conftest import SHARED

from ingest.metadata import find_dates, infer_metadata, title_case
from ingest.model import ParsedDocument
from ingest.parsers.text import parse
from ingest.textblocks import lines_to_blocks

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpus" / "text"
KENT = SHARED / "corpus-real" / "council-assistant"
STOP = set("a an the of to and in on for be that this was were is are by with as at it its from or".split())


def words(text):
    return {w for w in re.findall(r"[a-z0-9]+", (text or "").lower()) if w not in STOP}


def field_ok(field, gold, found):
    """As shared/eval/score.py judges a field."""
    if field == "meeting_date":
        return bool(found) and str(found).startswith(gold) if gold else not found
    if field in ("authority", "committee"):
        g = words(gold)
        return bool(g) and len(g & words(found)) / len(g) >= 0.6
    return (gold or "").strip().lower() == (found or "").strip().lower()


def seed_results():
    rows = list(csv.DictReader((SEEDS / "manifest.csv").read_text(encoding="utf-8").splitlines()))
    out = []
    for r in rows:
        p = SEEDS / r["file"]
        out.append((r, infer_metadata(parse(p, p.read_bytes()), p)))
    return out


@pytest.mark.parametrize("field", ["authority", "committee", "meeting_date", "kind"])
def test_seeds_at_least_four_of_five(field):
    res = seed_results()
    right = [r["file"] for r, md in res if field_ok(field, r[field], md[field])]
    assert len(right) >= 4, (field, [(r["file"], r[field], md[field]) for r, md in res])


def test_never_empty_strings():
    for _, md in seed_results():
        assert set(md) == {"authority", "committee", "meeting_date", "kind", "title"}
        assert all(v is None or (isinstance(v, str) and v) for v in md.values())


def doc(text, fmt="txt", hints=None):
    pages = text.split("\f")
    blocks, stack = [], []
    for i, pg in enumerate(pages, 1):
        blocks += lines_to_blocks(pg.splitlines(), page=i if len(pages) > 1 else None, section_stack=stack)
    return ParsedDocument(fmt, blocks, pages=len(pages) if len(pages) > 1 else None, hints=hints or {})


def test_synthetic_report_cover_sheet():
    text = """Report to: ADULT SOCIAL CARE AND HEALTH OVERVIEW AND SCRUTINY PANEL

Date of meeting: 4th March 2024

Report of: Director of Adult Services

HOME CARE RECOMMISSIONING

1.0 Purpose of the report

1.1 To update the panel on home care in Croydon.

2.0 Recommendations

2.1 The panel is asked to note the report.

Contact: jo.bloggs@croydon.gov.uk
"""
    md = infer_metadata(doc(text), Path("item7.txt"))
    assert md["authority"] == "London Borough of Croydon"
    assert md["committee"] == "Adult Social Care and Health Overview and Scrutiny Panel"
    assert md["meeting_date"] == "2024-03-04"
    assert md["kind"] == "report"
    assert md["title"] == "Home Care Recommissioning"


def test_synthetic_minutes_opening():
    text = """DERBYSHIRE COUNTY COUNCIL

MINUTES of a meeting of the IMPROVEMENT AND SCRUTINY COMMITTEE - PEOPLE held on Tuesday, 7 November 2023 at County Hall, Matlock

PRESENT: Councillor A Smith (in the Chair)

Apologies for absence were received from Councillor B Jones.

RESOLVED that the minutes of the meeting held on 12 September 2023 be confirmed.

RESOLVED to note the report.
"""
    md = infer_metadata(doc(text), Path("minutes.txt"))
    assert md["authority"] == "Derbyshire County Council"
    assert md["meeting_date"] == "2023-11-07"
    assert md["kind"] == "minutes"
    assert md["committee"] and "Improvement and Scrutiny Committee" in md["committee"]


def test_parish_and_town_councils_are_authorities():
    """Local councils are not in the gazetteer (there are some 10,000): their own name at the top of
    the paper makes them the authority, although the text names the principal councils more."""
    text = """ASHBURY-ON-THE-WOLD PARISH COUNCIL

Minutes of the meeting of Ashbury-on-the-Wold Parish Council held on Tuesday 4 March 2025 at the Village Hall

Present: Councillors P Green (Chair), R Hall and S Khan. Clerk: J Bell.

Eden District Council has confirmed the grant. Eden District Council will empty the bins weekly. Cumbria County
Council replied about the road surface. Cumbria County Council will repair the footpath in April.

RESOLVED that the precept for 2025/26 be set at £6,200.
"""
    md = infer_metadata(doc(text), Path("minutes.txt"))
    assert md["authority"] == "Ashbury-on-the-Wold Parish Council"
    assert md["committee"] == "Ashbury-on-the-Wold Parish Council"  # full-council minutes: the council itself
    assert md["meeting_date"] == "2025-03-04"
    # the annual parish meeting (of the parish's electors) is convened by the parish council
    text = """Ashbury Annual Parish Meeting – 6 May 2025

The Chair of Ashbury Parish Council presented the council's annual report. Residents asked about speeding.
"""
    assert infer_metadata(doc(text), Path("apm.txt"))["authority"] == "Ashbury Parish Council"
    # a principal council's paper that mentions a town council in passing stays the principal council's
    text = """Kent County Council

Report to: Cabinet – 30 January 2025

The Faversham Town Council response to the consultation is at Appendix B. Kent County Council will consult
again in the spring; Kent County Council officers met the town council in January.
"""
    assert infer_metadata(doc(text), Path("report.txt"))["authority"] == "Kent County Council"


def test_a_paper_about_several_councils_equally_is_not_attributed_to_one():
    text = """Families first pathfinder: evaluation report

Authors: an independent research organisation. July 2025

The pathfinder ran in Dorset Council and Lincolnshire County Council. Dorset Council began in 2023 and
Lincolnshire County Council in 2024. Both Dorset Council and Lincolnshire County Council report progress.
"""
    assert infer_metadata(doc(text), Path("evaluation.txt"))["authority"] is None
    text = text.replace("Both Dorset Council and Lincolnshire County Council report progress.",
                        "Dorset Council reports progress. Dorset Council will publish its plan. Dorset Council agreed.")
    assert infer_metadata(doc(text), Path("evaluation.txt"))["authority"] == "Dorset Council"


def test_local_council_names():
    from ingest.gazetteer import find_local_councils

    def names(t):
        return [n for n, _ in find_local_councils(t)]

    assert names("clerk@milburnparishcouncil.com MILBURN PARISH COUNCIL MEETING TO BE HELD ON") == \
        ["Milburn Parish Council"]
    assert names("Minutes of the Annual Meeting of Stratford-upon-Avon Town Council held on") == \
        ["Stratford-upon-Avon Town Council"]
    assert names("St Ives Town Council and Bradford on Avon Town Council") == \
        ["St Ives Town Council", "Bradford on Avon Town Council"]
    assert names("Eden District Council and the Parish Council; the Town Council agreed") == []
    assert names("our website is operated by Newbiggin Parish Council") == ["Newbiggin Parish Council"]


def test_synthetic_agenda_and_numeric_dates():
    text = """Cabinet

Notice of meeting

AGENDA

Meeting date: 14/02/2024

1. Apologies for absence
2. Minutes of the meeting held on 10 January 2024
3. Budget 2024/25

Democratic Services, Stockport Council, Town Hall
"""
    md = infer_metadata(doc(text), Path("agenda.txt"))
    assert md["kind"] == "agenda"
    assert md["meeting_date"] == "2024-02-14"
    assert md["committee"] == "Cabinet"
    assert md["authority"] == "Stockport Council"


def test_synthetic_file_name_and_month_precision():
    text = "HOUSING UPDATE\n\nMARCH 2023\n\nWHY CHANGE?\n\nWHAT NEXT?\n\nTIMELINE\n\nRISKS\n\n- a\n- b\n- c\n"
    md = infer_metadata(doc(text, fmt="pptx"), Path("slides.pptx"))
    assert md["kind"] == "presentation"
    assert md["meeting_date"] == "2023-03"
    md = infer_metadata(doc("Some text about housing in Leeds. Leeds City Council said so."),
                        Path("cabinet_2025-01-30__Housing update.txt"))
    assert md["meeting_date"] == "2025-01-30"
    assert md["committee"] == "Cabinet"
    assert md["authority"] == "Leeds City Council"
    md = infer_metadata(doc("Nothing dated here."), Path("Printed minutes 30th-Jan-2025 10.00 Cabinet.txt"))
    assert md["meeting_date"] == "2025-01-30" and md["kind"] == "minutes"


def test_no_guess_when_undated():
    md = infer_metadata(doc("Members discussed the plan.\n\nIt would be reviewed in 2026."), Path("x.txt"))
    assert md["meeting_date"] is None
    assert md["authority"] is None


def test_created_hint_is_month_precision_last_resort():
    md = infer_metadata(doc("A paper with no date.", hints={"created": "2023-05-17T10:00:00"}), Path("x.txt"))
    assert md["meeting_date"] == "2023-05"


def test_helpers():
    assert title_case("CHILDREN AND YOUNG PEOPLE'S SCRUTINY COMMITTEE") == "Children and Young People's Scrutiny Committee"
    assert title_case("HEALTH SUB-COMMITTEE") == "Health Sub-Committee"
    assert [d[0] for d in find_dates("Monday, 20th June, 2022 2.00 pm; 30th-Jan-2025; 03/04/2021; 2025-01-30")] == [
        "2022-06-20", "2025-01-30", "2021-04-03", "2025-01-30"]


def test_committee_names_from_cover_lines():
    from ingest.metadata import _normalise_committee as norm

    assert norm("Notes from presentation to Local Public Data Panel") == "Local Public Data Panel"
    assert norm("Report to the Children's Scrutiny Committee") == "Children's Scrutiny Committee"
    assert norm("Author | J Smith, Director, Northshire County Council") is None  # a table row
    assert norm("Cabinet Member for Integrated Children's Services") == "Cabinet Member for Integrated Children's Services"


# ---- real Kent PDFs (skipped where the shared material is absent)

KENT_FILES = [
    ("cabinet_2025-01-30__Printed minutes 30th-Jan-2025 10.00 Cabinet.pdf", "2025-01-30", "minutes", "Cabinet"),
    ("full_council_2025-01-09__Printed minutes 09th-Jan-2025 10.00 County Council.pdf", "2025-01-09", "minutes",
     "County Council"),
    ("cabinet_2025-01-30__Agenda frontsheet 30th-Jan-2025 10.00 Cabinet.pdf", "2025-01-30", "agenda", "Cabinet"),
    ("full_council_2025-03-13__CPP Minutes 10.12.24.pdf", "2024-12-10", "minutes", "Corporate Parenting Panel"),
    ("cabinet_2025-01-30__24-00096 - Commissioning Plan for Education Provision in Kent 2025-29 - Report.pdf",
     "2025-01-30", "report", "Cabinet"),
]


@pytest.mark.parametrize("name,date,kind,committee", KENT_FILES)
def test_kent_pdfs(name, date, kind, committee):
    path = KENT / name
    if not path.exists():
        pytest.skip("shared Kent corpus not present")
    pdfplumber = pytest.importorskip("pdfplumber")
    blocks, stack = [], []
    with pdfplumber.open(path) as pdf:
        for i, page in enumerate(pdf.pages[:6], 1):
            blocks += lines_to_blocks((page.extract_text() or "").splitlines(), page=i, section_stack=stack)
    md = infer_metadata(ParsedDocument("pdf", blocks, pages=len(pdf.pages)), path)
    assert md["authority"] == "Kent County Council"
    assert md["meeting_date"] == date
    assert md["kind"] == kind
    assert md["committee"] == committee


def test_the_meeting_an_agenda_pack_announces_is_its_committee():
    text = """Northshire Council

Membership:

Councillors:

Angela Smith

Rod Brown

A meeting of the Audit Committee will be held:

Date: 22 October 2009

The Pension Fund Panel considered the Pension Fund accounts. The Pension Fund Panel noted the report.
The Pension Fund Panel asked that the Audit Committee be kept informed. Pension Fund Panel members agreed.
"""
    md = infer_metadata(doc(text), Path("pack.txt"))
    assert md["committee"] == "Audit Committee"
    assert md["title"] not in ("Angela Smith", "Rod Brown")  # the members listed are not the paper's title


def test_councils_named_as_attendees_bodies_or_in_passing_do_not_own_the_paper():
    text = """Local Data Panel - Fifth Meeting

Panel: Professor Jane Doe (Chair), Roger Hampson (London Borough of Redbridge), Tom Baker (Sunderland City Council)

Other Attendees: Councillor Liam Maxwell (Royal Borough of Windsor and Maidenhead)

1. Crime data

Councillor Liam Maxwell was invited to introduce the crime data project. The Panel discussed how such a
project could be repeated elsewhere, and how open data could be used by the police and by the public. It was noted
that the scope was similar to that planned in Windsor and Maidenhead. Members discussed licensing of the data at
length and the need for a common schema across the country, including a review of existing publications.

2. Spending data

Suffolk County Council had, for example, published all spending over £500. Redbridge was also thanked.
"""
    md = infer_metadata(doc(text), Path("panel-minutes.txt"))
    assert md["authority"] is None


def test_a_date_line_with_the_meeting_time_and_a_working_group():
    """ "13th May 2014, 9:30 - 12:30" under the title is the meeting's date (the clock time does not
    make it a line about something else); a "User Group" meets as a body."""
    text = ("Open Data User Group - Agenda\n\n24th meeting\n\n13th May 2014, 9:30 - 12:30\n\n"
            "Venue: 1 Horseguards Road\n\nThe Group discussed the roadmap, last refreshed in October 2014.")
    md = infer_metadata(doc(text), Path("notes.txt"))
    assert md["meeting_date"] == "2014-05-13"
    assert md["committee"] == "Open Data User Group"


def test_a_compact_date_in_the_file_name():
    md = infer_metadata(doc("Members discussed the plan."), Path("20140513_ODUG_Meeting_minutes.txt"))
    assert md["meeting_date"] == "2014-05-13"
    assert infer_metadata(doc("Members discussed the plan."), Path("20141399_notes.txt"))["meeting_date"] is None


def test_a_political_group_is_not_a_committee():
    text = "Minutes\n\nThe Leader of the Labour Group asked about the budget.\n\nThe Labour Group proposed an amendment."
    assert infer_metadata(doc(text), Path("x.txt"))["committee"] != "Labour Group"


@pytest.mark.parametrize("text,title", [
    # the meeting named on its first line, not the "Present" heading under it
    ("# Newbiggin Parish Council - 3rd September 2019\n\n# Present\n\nCouncillors D Thompson (Chair), N Armstrong\n\n"
     "# 19.09.01 Apologies\n\nNone", "Newbiggin Parish Council - 3rd September 2019"),
    # the same on two lines, with the names under "Present" running on over two lines and an empty item
    ("# Milburn Parish Council\n\n5th July 2016\n\n# Present\n\n# Councillors D Richardson (Chair) R Healey, and\n\n"
     "# M Armstrong Clerk J Connelly\n\n# None", "Milburn Parish Council - 5th July 2016"),
    # a covering letter's salutation is no title
    ("# Dear Member\n\n# County Council - Thursday, 13 February 2025\n\nBudget amendments are attached.",
     "County Council - Thursday, 13 February 2025"),
])
def test_minutes_titled_by_their_meeting(text, title):
    md = infer_metadata(doc(text, fmt="md"), Path("minutes.md"))
    assert md["title"] == title


def test_a_web_pages_publication_month_is_not_the_meeting_date():
    """Parish minutes republished on a village website: the page's month ("May 2011", and the file name's
    "2011-05_") is when it was published; the minutes' own heading dates the meeting, and a heading without
    a year takes the year that puts the meeting before the page."""
    text = """Northwold Parish Council minutes

May 2011

MINUTES OF NORTHWOLD PARISH COUNCIL MEETING HELD AT THE VILLAGE HALL TUESDAY MARCH 1ST 2011

Present: Mrs R Crisp, Mr M Peake.

The minutes of the meeting held on 01/02/11 were agreed as a true record.
"""
    md = infer_metadata(doc(text), Path("2011-05_northwold-parish-council-minutes.html"))
    assert md["meeting_date"] == "2011-03-01"
    assert md["authority"] == md["committee"] == "Northwold Parish Council"
    text = """MINUTES OF WRETTON PARISH COUNCIL MEETING

April 2008

Wretton PC Minutes from their 8th January Meeting

Present: Cllr D Llewellyn - Chairman
"""
    assert infer_metadata(doc(text), Path("2008-04_minutes-of-wretton.html"))["meeting_date"] == "2008-01-08"
    text = text.replace("April 2008", "February 2008").replace("8th January", "8th December")
    assert infer_metadata(doc(text), Path("2008-02_minutes-of-wretton.html"))["meeting_date"] == "2007-12-08"
