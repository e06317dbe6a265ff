"""DOCX parser: headings by style, lists with levels, tables in body order, core properties."""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from conftest import SHARED

from ingest.parsers import parse_file

ROOT = Path(__file__).resolve().parent.parent
LANCS = ROOT / "corpus" / "published" / "003_c6f32f02b0ec8fe1.docx"
REAL = SHARED / "corpus-real"


def _docx() -> bytes:
    import docx

    d = docx.Document()
    d.core_properties.title = "Family Safeguarding update"
    d.core_properties.subject = "Scrutiny Committee"
    d.core_properties.created = dt.datetime(2023, 9, 1, 10, 0, 0)
    d.add_heading("Family Safeguarding update", level=1)
    d.add_heading("1. Recommendations", level=2)
    d.add_paragraph("The committee is asked to note the report.", style="List Number")
    d.add_paragraph("Before the table.")
    t = d.add_table(rows=3, cols=3)
    for r, row in enumerate([["Measure", "2022", "2023"], ["Children in care", "210", "188"],
                             ["Child protection plans", "285", "251"]]):
        for c, v in enumerate(row):
            t.cell(r, c).text = v
    d.add_paragraph("After the table.")
    d.add_paragraph("First point", style="List Bullet")
    d.add_paragraph("A sub point", style="List Bullet 2")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_generated_docx_structure():
    doc = parse_file(Path("r.docx"), _docx())
    assert doc.format == "docx"
    assert doc.title == "Family Safeguarding update"
    assert doc.hints["subject"] == "Scrutiny Committee" and doc.hints["created"] == "2023-09-01"
    kinds = [(b.kind, b.text) for b in doc.blocks]
    assert kinds[0] == ("heading", "Family Safeguarding update")
    h2 = doc.blocks[1]
    assert (h2.kind, h2.level, h2.number, h2.section) == (
        "heading", 2, "1", "Family Safeguarding update > 1. Recommendations")
    assert doc.blocks[2].kind == "list_item"
    texts = [b.text for b in doc.blocks]
    i_before, i_after = texts.index("Before the table."), texts.index("After the table.")
    rows = doc.blocks[i_before + 1:i_after]
    assert [r.kind for r in rows] == ["table_row"] * 3
    assert rows[1].cells == ["Children in care", "210", "188"]
    assert rows[2].header == ["Measure", "2022", "2023"] and rows[2].table == 0
    bullets = [(b.text, b.level) for b in doc.blocks if b.kind == "list_item"]
    assert ("First point", 1) in bullets and ("A sub point", 2) in bullets
    assert all(b.page is None for b in doc.blocks)


def test_published_lancashire_report():
    doc = parse_file(LANCS)
    assert doc.title == "Lancashire Safeguarding Model"
    assert doc.hints["created"] == "2020-01-20"
    heads = {b.text: b.level for b in doc.blocks if b.kind == "heading"}
    assert heads["Recommendation"] == 2 and heads["Lancashire Safeguarding Model"] == 1
    rec = next(b for b in doc.blocks if b.kind == "paragraph" and b.section.endswith("Recommendation"))
    assert rec.text.startswith("The Board to note the information and receive further updates")
    items = [b.text for b in doc.blocks if b.kind == "list_item"]
    assert "Natalie Williams appointed to the system lead post" in items


@pytest.mark.skipif(not (REAL / "library-archive" / "20140513_ODUG_Meeting_minutes.docx").exists(),
                    reason="shared corpus not available")
def test_real_docx_minutes_table():
    doc = parse_file(REAL / "library-archive" / "20140513_ODUG_Meeting_minutes.docx")
    rows = [b for b in doc.blocks if b.kind == "table_row" and b.table == 0]
    assert rows[0].cells == ["Attendees", "Officials"]
    assert rows[1].cells == ["Heather Savory (Chair) (HS)", "Claudia Arney (CA)"]
    assert doc.hints["created"] == "2014-10-06"


def test_text_box_read_once():
    from lxml import etree

    from ingest.parsers.docx import _par_text

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    xml = f"""<w:p xmlns:w="{w}" xmlns:mc="{mc}"><w:r><w:t>Before </w:t></w:r><w:r><mc:AlternateContent>
      <mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>Key finding</w:t></w:r></w:p>
      </w:txbxContent></w:drawing></mc:Choice>
      <mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>Key finding</w:t></w:r></w:p></w:txbxContent></w:pict>
      </mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>after.</w:t></w:r></w:p>"""
    text = " ".join(_par_text(etree.fromstring(xml)).split())
    assert text == "Before Key finding after."


def test_word_automatic_numbers_recovered():
    import docx

    d = docx.Document()
    d.add_heading("Recommendations", level=1)
    d.add_paragraph("Note the progress of the Family Safeguarding Model.", style="List Number")
    d.add_paragraph("Receive an update report in six months.", style="List Number")
    d.add_paragraph("A bullet, not a number.", style="List Bullet")
    buf = io.BytesIO()
    d.save(buf)
    doc = parse_file(Path("recs.docx"), buf.getvalue())
    items = [(b.number, b.text) for b in doc.blocks if b.kind == "list_item"]
    assert items == [("1", "Note the progress of the Family Safeguarding Model."),
                     ("2", "Receive an update report in six months."),
                     (None, "A bullet, not a number.")]


def test_numbering_formats():
    from ingest.parsers.docx import _format_number

    assert [_format_number(n, "lowerLetter") for n in (1, 2, 26, 27)] == ["a", "b", "z", "aa"]
    assert _format_number(4, "upperRoman") == "IV" and _format_number(9, "lowerRoman") == "ix"
    assert _format_number(3, "decimal") == "3"


@pytest.mark.skipif(not (REAL / "csc-map-of-the-world").is_dir(), reason="shared corpus not available")
def test_real_docx_nested_automatic_numbering():
    f = REAL / "csc-map-of-the-world" / "D2I_Data_Service_Diagnostic_-_Template_v1.2_April_2024.docx"
    if not f.exists():
        pytest.skip("fixture missing")
    doc = parse_file(f)
    items = [(b.number, b.level) for b in doc.blocks if b.kind == "list_item" and b.number][:7]
    assert items == [("1", 1), ("2", 1), ("a", 2), ("b", 2), ("c", 2), ("d", 2), ("3", 1)]
