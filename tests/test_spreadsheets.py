"""What the reports write for spreadsheets and browsers: real dates and links in Excel, no live
formula in any cell of a CSV or Excel file (headers included), links only to http(s) pages."""
from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from reports_corpus import build

from cli.main import cli

AS_OF = "2026-11-23"
DEVON_URL = "https://democracy.devon.gov.uk/ieListDocuments.aspx?CId=100&MId=2001"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture()
def kb(tmp_path):
    build(tmp_path / "kb", follow_up=True).close()
    return tmp_path / "kb"


def _sheet(path, name=None):
    wb = load_workbook(path)
    ws = wb[name] if name else wb.active
    header = [c.value for c in ws[1]]
    return {h: i for i, h in enumerate(header)}, list(ws.iter_rows(min_row=2))


def test_excel_dates_are_dates(kb, tmp_path):
    out = tmp_path / "actions.xlsx"
    assert run("--kb", kb, "actions", "--as-of", AS_OF, "-o", out).exit_code == 0
    col, rows = _sheet(out)
    cells = [r[col["meeting_date"]] for r in rows]
    full = [c for c in cells if not isinstance(c.value, str)]
    assert full and all(isinstance(c.value, dt.datetime) and c.number_format == "yyyy-mm-dd" for c in full)
    assert all(len(c.value) == 7 for c in cells if isinstance(c.value, str))  # "2021-03" is a month, not its 1st


def test_excel_sources_are_links_to_their_web_page(kb, tmp_path):
    out = tmp_path / "compare.xlsx"
    r = run("--kb", kb, "compare", "Devon", "Norfolk", "--topic", "family safeguarding", "--as-of", AS_OF, "-o", out)
    assert r.exit_code == 0, r.output
    col, rows = _sheet(out, "Sources")
    linked = [r for r in rows if r[col["Link"]].value == DEVON_URL]
    assert linked and all(r[col["Source"]].hyperlink.target == DEVON_URL for r in linked)
    assert all(r[col["Source"]].hyperlink is None for r in rows if not r[col["Link"]].value)
    col, rows = _sheet(out, "All items")
    assert any(r[col["source"]].hyperlink is not None and r[col["url"]].value == DEVON_URL for r in rows)


EVIL = "=cmd|' /C calc'!A0"


def _no_formula_anywhere(path):
    wb = load_workbook(path)
    return [(ws.title, c.coordinate, c.value) for ws in wb for row in ws.iter_rows() for c in row
            if c.data_type == "f" or (isinstance(c.value, str) and c.value.startswith(("=", "+", "@")))]


def test_an_authority_named_like_a_formula_in_a_manifest_is_never_a_live_formula(kb, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "report.txt").write_text("Family Safeguarding Model\n\nThe family safeguarding model was reviewed. "
                                     "The rate of children in care was 80 per 10,000.\n")
    (docs / "manifest.csv").write_text('file,authority,committee,meeting_date,kind,url\n'
                                       f'report.txt,"{EVIL}",Scrutiny,2021-05-01,report,\n')
    r = run("--kb", kb, "ingest", "-q", "--no-index", str(docs))
    assert r.exit_code == 0, r.output
    out = tmp_path / "compare.xlsx"
    r = run("--kb", kb, "compare", "Devon", EVIL, "--topic", "family safeguarding", "--as-of", AS_OF, "-o", out)
    assert r.exit_code == 0, r.output
    assert _no_formula_anywhere(out) == []
    header = [c.value for c in load_workbook(out)["Key figures side by side"][1]]
    assert "'" + EVIL in header
    for args in (["compare", "Devon", EVIL, "--topic", "family safeguarding", "--format", "csv"],
                 ["export", "--format", "csv"], ["stats", "--format", "csv"]):
        text = run("--kb", kb, *args).output
        assert not any(cell.startswith("=") for line in text.splitlines() for cell in line.split(",")), args


def test_every_cell_headers_included_goes_through_the_neutraliser():
    from reports.render import Table, to_csv, to_xlsx

    t = Table("t", [EVIL, "+1+1", "@SUM(A1)", "-2"], [[EVIL, "-3.5", "=1+1", None]])
    lines = to_csv(t).splitlines()
    assert lines[0].startswith("'=cmd") and ",'+1+1,'@SUM(A1),-2" in lines[0]
    assert lines[1].startswith("'=cmd") and ",-3.5,'=1+1," in lines[1]
    import io

    ws = load_workbook(io.BytesIO(to_xlsx([t]))).active
    assert [c.data_type for row in ws.iter_rows() for c in row if c.value is not None].count("f") == 0


@pytest.mark.parametrize("url", ["javascript:alert(document.cookie)", "JavaScript:alert(1)",
                                 "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
                                 " javascript:alert(1)", "file:///etc/passwd", "vbscript:msgbox(1)"])
def test_only_http_links_become_links_in_html_reports(tmp_path, url):
    from reports_corpus import DEVON, DEVON_CTTE, put

    store = build(tmp_path / "kb", follow_up=True)
    para = ("paragraph", "The Family Safeguarding Model was reviewed again by the committee.", 1, None)
    action = {"text": "Officers to circulate the family safeguarding figures", "owner": "Director",
              "due_date": "2021-12-01", "due_text": "by December 2021", "page": 1}
    put(store, "devon/2021-09-minutes.txt", DEVON, DEVON_CTTE, "2021-09-14", "minutes", "Family Safeguarding Model",
        [para], {"actions": [action]}, url=url)
    store.close()
    for args in (["actions"], ["timeline", "Devon"], ["compare", "Devon", "--topic", "family safeguarding"]):
        out = tmp_path / f"{args[0]}.html"
        r = run("--kb", tmp_path / "kb", *args, "--as-of", AS_OF, "-o", out)
        assert r.exit_code == 0, r.output
        html = out.read_text()
        hrefs = [h.strip().lower() for h in __import__("re").findall(r'href="([^"]*)"', html)]
        assert not [h for h in hrefs if not h.startswith(("#", "http://", "https://"))], (args, url)
        if args[0] != "actions":
            assert DEVON_URL.replace("&", "&amp;") in html  # the real web page is still a link
