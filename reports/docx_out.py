"""Word output (python-docx) of any report's tables: a title, the introduction, one table per section,
status cells shaded by RAG colour. Ready to paste into a committee's agenda pack."""
from __future__ import annotations

import io


def _shade(cell, hex_colour: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), hex_colour)
    cell._tc.get_or_add_tcPr().append(shading)


def to_docx(title: str, tables: list, intro: str | None = None) -> bytes:
    """`tables`: reports.render.Table objects. Text goes in as text (nothing in a cell is read as markup)."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Pt

    from reports.render import RAG_FILL, text_value

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    doc.add_heading(title, level=1)
    if intro:
        doc.add_paragraph(intro)
    for t in tables:
        doc.add_heading(t.title, level=2)
        if not t.rows:
            doc.add_paragraph(t.note or "not found")
            continue
        table = doc.add_table(rows=1, cols=len(t.columns))
        table.style = "Table Grid"
        for cell, name in zip(table.rows[0].cells, t.columns):
            cell.text = ""
            cell.paragraphs[0].add_run(str(name)).bold = True
        si = t.columns.index(t.status_col) if t.status_col in t.columns else None
        for row in t.rows:
            cells = table.add_row().cells
            for i, v in enumerate(row):
                cells[i].text = text_value(v)
                for p in cells[i].paragraphs:
                    for r in p.runs:
                        r.font.size = Pt(9)
            status = str(row[si]).split(" (")[0].split(",")[0] if si is not None else None
            if status in RAG_FILL:
                _shade(cells[si], RAG_FILL[status])
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
