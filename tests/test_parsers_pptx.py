"""PPTX parser: slides as pages, titles as headings, bullets with levels, tables, groups, notes."""
from __future__ import annotations

import io
from pathlib import Path

from ingest.parsers import parse_file

ROOT = Path(__file__).resolve().parent.parent
SOMERSET = ROOT / "corpus" / "published" / "004_235523c0adba9974.pptx"


def _pptx() -> bytes:
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    s1 = prs.slides.add_slide(prs.slide_layouts[1])
    s1.shapes.title.text = "NUMBER OF CHILD PROTECTION PLANS"
    tf = s1.placeholders[1].text_frame
    tf.text = "Plans reduced from 285 to 251"
    p = tf.add_paragraph()
    p.text = "Rate per 10,000 now 20.4"
    p.level = 1
    s1.notes_slide.notes_text_frame.text = "Mention the statistical neighbours."
    s2 = prs.slides.add_slide(prs.slide_layouts[5])
    s2.shapes.title.text = "Staffing"
    table = s2.shapes.add_table(2, 2, Inches(1), Inches(2), Inches(6), Inches(1)).table
    for r, row in enumerate([["Team", "Social workers"], ["North", "6"]]):
        for c, v in enumerate(row):
            table.cell(r, c).text = v
    group = s2.shapes.add_group_shape()
    box = group.shapes.add_textbox(Inches(1), Inches(4), Inches(4), Inches(1))
    box.text_frame.text = "Text inside a group"
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def test_generated_pptx():
    doc = parse_file(Path("deck.pptx"), _pptx())
    assert doc.format == "pptx" and doc.pages == 2
    heads = [(b.page, b.text) for b in doc.blocks if b.kind == "heading"]
    assert heads == [(1, "NUMBER OF CHILD PROTECTION PLANS"), (2, "Staffing")]
    items = [(b.text, b.level, b.page) for b in doc.blocks if b.kind == "list_item"]
    assert items == [("Plans reduced from 285 to 251", 1, 1), ("Rate per 10,000 now 20.4", 2, 1)]
    notes = [b for b in doc.blocks if b.notes]
    assert [(b.text, b.page) for b in notes] == [("Mention the statistical neighbours.", 1)]
    rows = [b for b in doc.blocks if b.kind == "table_row"]
    assert [r.cells for r in rows] == [["Team", "Social workers"], ["North", "6"]]
    assert rows[1].header == ["Team", "Social workers"] and rows[1].section == "Staffing"
    grouped = next(b for b in doc.blocks if b.text == "Text inside a group")
    assert grouped.page == 2 and grouped.kind == "paragraph"


def test_published_somerset_slides():
    doc = parse_file(SOMERSET)
    assert doc.title == "Family Safeguarding in Somerset – Implementation update"
    titles = [b.text for b in doc.blocks if b.kind == "heading"]
    assert doc.pages == len(titles) == 21
    assert "WHAT IS FAMILY SAFEGUARDING?" in titles and titles[-1] == "Any Questions?"
    slide = titles.index("NUMBER OF CHILD PROTECTION PLANS") + 1
    bullets = [b for b in doc.blocks if b.page == slide and b.kind == "list_item"]
    assert bullets[0].text.startswith("The average number of child protection plans has reduced from 285")
    nested = [b.text for b in doc.blocks if b.kind == "list_item" and b.level == 2]
    assert "Turning Point (Substance Misuse)" in nested
    quote = next(b for b in doc.blocks if b.text.startswith("Why didn't you lot do this before?"))
    assert quote.kind == "paragraph"


def test_auto_numbered_paragraphs_get_numbers():
    from pptx import Presentation
    from pptx.oxml.ns import qn

    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    slide.shapes.title.text = "Recommendations"
    tf = slide.placeholders[1].text_frame
    for i, (text, scheme) in enumerate([("Note the report", "arabicPeriod"), ("Receive an update", "arabicPeriod"),
                                        ("First option", "alphaLcParenR")]):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.text = text
        p.level = 1 if scheme == "alphaLcParenR" else 0
        ppr = p._p.get_or_add_pPr()
        ppr.append(ppr.makeelement(qn("a:buAutoNum"), {"type": scheme}))
    buf = io.BytesIO()
    prs.save(buf)
    doc = parse_file(Path("recs.pptx"), buf.getvalue())
    assert [(b.number, b.level, b.text) for b in doc.blocks if b.kind == "list_item"] == [
        ("1", 1, "Note the report"), ("2", 1, "Receive an update"), ("a)", 2, "First option")]
