"""HTML parser: ModernGov pages, chrome removal, lists, tables."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SHARED

from ingest.parsers import parse_file

ROOT = Path(__file__).resolve().parent.parent
LANCS = ROOT / "corpus" / "published" / "000_69004c91e2aa51c0.html"
SOMERSET = ROOT / "corpus" / "published" / "002_ac05e4c1368b06cd.html"
OPENLY = SHARED / "corpus-real" / "OpenlyLocal"


def test_moderngov_agenda_item_page():
    doc = parse_file(LANCS)
    assert doc.format == "html"
    assert doc.title == "Update on Family Safeguarding model"
    assert doc.hints["agenda_item"] == "Update on Family Safeguarding model"
    assert all(b.page is None for b in doc.blocks)
    headings = [b.text for b in doc.blocks if b.kind == "heading"]
    assert headings[:2] == ["Agenda item", "Update on Family Safeguarding model"]
    assert "Minutes:" in headings
    # the page type is no part of the heading path of what follows it
    assert {b.section.split(" > ")[0] for b in doc.blocks if b.section} == {"Update on Family Safeguarding model"}
    somerset = parse_file(SOMERSET)
    assert not [b for b in somerset.blocks if b.section and b.section.startswith("Meeting documents")]
    bullets = [b for b in doc.blocks if b.kind == "list_item" and b.section and b.section.endswith("Minutes:")]
    assert bullets[0].text.startswith("The reason for implementing the new Family Safeguarding Model")
    resolved = [b for b in doc.blocks if b.number in ("1", "2") and b.kind == "list_item"]
    assert [b.text for b in resolved] == [
        ("The progress of the Family Safeguarding Model and how the service would move forward following "
         "implementation be noted."),
        "An update report be presented to the committee in six months.",
    ]


def test_moderngov_chrome_and_scripts_dropped():
    text = parse_file(LANCS).text
    for chrome in ("must never reach", "gtag", "cookies", "Skip to main content", "Councillors", "Outside bodies",
                   "Search this site", "Powered by Modern.Gov", "Privacy notice", "hidden print version",
                   "Committees >", "__VIEWSTATE"):
        assert chrome not in text, chrome


def test_somerset_page_keeps_meeting_line_and_minutes():
    doc = parse_file(SOMERSET)
    text = doc.text
    assert "Monday, 20th June, 2022 2.00 pm" in text
    assert "Success of the work – it was agreed that the Evaluation Report will be circulated to the Committee " \
           "for information" in text
    assert "Accept all cookies" not in text


def test_meeting_page_title_hints_and_agenda_rows(tmp_path):
    page = """<html><head><title>Agenda for Children's Scrutiny Committee on Monday, 20th June, 2022, 2.00 pm</title>
    <meta name="description" content="Meeting papers"></head><body>
    <div id="modgov"><h1>Agenda and minutes</h1>
    <table class="mgItemTable">
      <tr><td class="mgItemNumberCell"><p>1.</p></td>
          <td><p class="mgAiTitleTxt"><a href="mgAi.aspx?ID=1">Apologies for absence</a></p>
              <div class="mgWordPara"><p>Apologies were received from Cllr Smith.</p></div></td></tr>
      <tr><td class="mgItemNumberCell"><p>5.</p></td>
          <td><p class="mgAiTitleTxt"><a href="mgAi.aspx?ID=5">Family Safeguarding update</a></p>
              <div class="mgWordPara"><p><strong>Minutes:</strong></p><p>The committee noted the update.</p>
              <ul><li>Item one<ul><li>Nested point</li></ul></li></ul></div></td></tr>
    </table>
    <table><thead><tr><th>Measure</th><th>Value</th></tr></thead>
      <tr><td>Children in care</td><td>188</td></tr></table>
    <div style="display:none">Hidden text</div><p hidden>Also hidden</p>
    <noscript>Enable JavaScript</noscript>
    </div></body></html>"""
    f = tmp_path / "ieListDocuments.aspx"
    f.write_text(page, encoding="utf-8")
    doc = parse_file(f)
    assert doc.hints["committee"] == "Children's Scrutiny Committee"
    assert doc.hints["meeting_date_text"] == "Monday, 20th June, 2022"
    assert doc.hints["description"] == "Meeting papers"
    items = [(b.number, b.text) for b in doc.blocks if b.kind == "heading" and b.number]
    assert items == [("1", "Apologies for absence"), ("5", "Family Safeguarding update")]
    noted = next(b for b in doc.blocks if b.text == "The committee noted the update.")
    assert noted.section.endswith("Family Safeguarding update > Minutes:")
    lists = [(b.text, b.level) for b in doc.blocks if b.kind == "list_item"]
    assert lists == [("Item one", 1), ("Nested point", 2)]
    rows = [b for b in doc.blocks if b.kind == "table_row"]
    assert [r.cells for r in rows] == [["Measure", "Value"], ["Children in care", "188"]]
    assert rows[1].header == ["Measure", "Value"]
    assert "Hidden" not in doc.text and "JavaScript" not in doc.text


@pytest.mark.skipif(not OPENLY.is_dir(), reason="shared/corpus-real not available")
def test_real_council_page_navigation_dropped():
    doc = parse_file(OPENLY / "london_assembly_committee_details.html")
    assert doc.title == "Budget and Performance Committee meetings"
    assert "Skip navigation" not in doc.text
    assert "Home | About" not in doc.text
    assert any(b.kind == "list_item" and b.text == "19 January 2009" for b in doc.blocks)


def test_word_exported_table_with_paragraphs_in_cells_stays_a_table(tmp_path):
    page = """<html><body><div class="mgWordPara">
    <table class="MsoTableGrid" border="1">
      <tr><td><p><b>Expected Outputs</b></p></td><td><p><b>Expected Outcomes</b></p></td></tr>
      <tr><td><p>Recruitment to adult specialist roles.</p><p>Consistent use of the FS group supervision model.</p></td>
          <td><p>Improved wellbeing and retention of staff.</p></td></tr>
    </table></div></body></html>"""
    f = tmp_path / "mgAi.aspx"
    f.write_text(page, encoding="utf-8")
    rows = [b for b in parse_file(f).blocks if b.kind == "table_row"]
    assert [r.cells for r in rows] == [
        ["Expected Outputs", "Expected Outcomes"],
        ["Recruitment to adult specialist roles. Consistent use of the FS group supervision model.",
         "Improved wellbeing and retention of staff."],
    ]


def test_moderngov_label_paragraphs_are_headings(tmp_path):
    page = """<html><body><table><tr>
      <td class="mgItemNumberCell"><p class="mgAiTitleTxt">4.</p></td>
      <td><p class="mgAiTitleTxt">Pimlico District Heating</p>
        <div class="mgWordPara">To consider additional expenditure.</div>
        <p class="mgSubItemTitleTxt">Decision:</p>
        <div class="mgWordPara">Cabinet approved additional expenditure of £1.2m.</div>
        <p><strong>Minutes:</strong></p>
        <div class="mgWordPara">Councillor Smith introduced the report.</div></td></tr></table></body></html>"""
    f = tmp_path / "ieListDocuments.aspx"
    f.write_text(page, encoding="utf-8")
    doc = parse_file(f)
    heads = [(b.text, b.number) for b in doc.blocks if b.kind == "heading"]
    assert heads == [("Pimlico District Heating", "4"), ("Decision:", None), ("Minutes:", None)]
    approved = next(b for b in doc.blocks if b.text.startswith("Cabinet approved"))
    assert approved.section == "Pimlico District Heating > Decision:"
    intro = next(b for b in doc.blocks if b.text.startswith("Councillor Smith"))
    assert intro.section == "Pimlico District Heating > Minutes:"


def test_article_header_kept_site_header_dropped(tmp_path):
    page = """<html><body><header class="site"><a href="/">Council home</a><p>Site banner text</p></header>
    <main><article><header><h1>Scrutiny review of family hubs</h1><p>Published 3 March 2025</p></header>
    <p>The committee reviewed the family hubs programme.</p></article></main>
    <footer><p>Copyright Kent County Council</p></footer></body></html>"""
    f = tmp_path / "review.html"
    f.write_text(page, encoding="utf-8")
    doc = parse_file(f)
    assert doc.title == "Scrutiny review of family hubs"
    assert "The committee reviewed the family hubs programme." in doc.text
    assert "Site banner text" not in doc.text and "Copyright" not in doc.text
