"""PDF parser: reading order, tables, running headers/footers, hyphenation, OCR-less and encrypted files."""
from __future__ import annotations

import contextlib
import io
import time
from pathlib import Path

import pytest
from conftest import SHARED
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.model import ParseError
from ingest.parsers import parse_file
from ingest.parsers.pdf import mend_hyphens, normalise

ROOT = Path(__file__).resolve().parent.parent
BLACKPOOL = ROOT / "corpus" / "published" / "001_6787dac944f98423.pdf"
REAL = SHARED / "corpus-real"
ROBUST = SHARED / "robust-pdfs"
KENT_MINUTES = REAL / "council-assistant" / "cabinet_2025-01-30__Printed minutes 30th-Jan-2025 10.00 Cabinet.pdf"


def _pdf(draw, pages: int = 1, **kw) -> bytes:
    """A PDF drawn page by page with reportlab's canvas: draw(canvas, page_number)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1, **kw)
    for n in range(1, pages + 1):
        draw(c, n)
        c.showPage()
    c.save()
    return buf.getvalue()


def _running_page(c, n: int, total: int = 4) -> None:
    c.setFont("Helvetica", 9)
    c.drawString(72, 800, "Blackpool Council")
    c.drawString(400, 800, "Children's Scrutiny Committee")
    c.drawString(260, 30, f"Page {n} of {total}")
    c.setFont("Helvetica", 11)
    y = 740
    for k in range(6):
        c.drawString(72, y, f"Paragraph {k + 1} on page {n} says something about family safeguarding.")
        y -= 30


def test_running_header_and_footer_removed_body_kept():
    doc = parse_file(Path("r.pdf"), _pdf(_running_page, pages=4))
    text = doc.text
    assert "Blackpool Council" not in text
    assert "Page 1 of 4" not in text and "Page 3 of 4" not in text
    assert "Children's Scrutiny Committee" not in text
    assert "Paragraph 6 on page 4 says something about family safeguarding." in text
    assert {b.page for b in doc.blocks} == {1, 2, 3, 4}
    assert doc.pages == 4


def test_line_repeated_in_the_body_is_not_a_header():
    def draw(c, n):
        c.setFont("Helvetica", 11)
        c.drawString(72, 740, f"Item {n} opened.")
        c.drawString(72, 420, "The committee noted the report.")  # mid-page: body text, not a running header
    doc = parse_file(Path("r.pdf"), _pdf(draw, pages=3))
    assert doc.text.count("The committee noted the report.") == 3


def test_hyphenation_mended_and_real_hyphens_kept():
    def draw(c, n):
        c.setFont("Helvetica", 11)
        lines = [
            "The committee discussed the imple-",
            "mentation of the model across all of the county's areas and the",
            "multi-",
            "agency teams that support families, together with the well-",
            "being of staff; the council's multi-agency hub was praised.",
        ]
        y = 740
        for ln in lines:
            c.drawString(72, y, ln)
            y -= 14
    doc = parse_file(Path("h.pdf"), _pdf(draw))
    text = doc.text
    assert "implementation of the model" in text
    assert "imple-" not in text
    assert "multi-agency teams" in text
    assert "well-being" in text


def test_mend_hyphens_uses_document_vocabulary():
    assert mend_hyphens(["the imple-", "mentation began"]) == ["the implementation began"]
    assert mend_hyphens(["a multi-", "agency team"]) == ["a multi-agency team"]
    # the document spells "safeguarding" solid elsewhere: mend even though "safe" is no prefix
    assert mend_hyphens(["family safe-", "guarding"], words={"safeguarding"}) == ["family safeguarding"]
    # the document writes "decision-making": keep it
    assert mend_hyphens(["evidence based decision-", "making"], hyphenated={"decision-making"}) == [
        "evidence based decision-making"]
    # a dash between words is not a hyphenated word
    assert mend_hyphens(["the report -", "noted"]) == ["the report -", "noted"]


def test_ligatures_normalised():
    assert normalise("ﬁnance ﬂow eﬀect oﬃce baﬄe") == "finance flow effect office baffle"
    assert normalise("\uf0b7 bullet") == "• bullet"


def test_ruled_table_rows_with_cells_and_header_not_duplicated_in_text():
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    buf = io.BytesIO()
    doc_t = SimpleDocTemplate(buf, pagesize=A4, invariant=1)
    data = [["Measure", "2022", "2023"],
            ["Children in care per 10,000", "210", "188"],
            ["Child protection plans", "285", "251"]]
    t = Table(data)
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    styles = getSampleStyleSheet()
    doc_t.build([Paragraph("Performance summary for the committee.", styles["BodyText"]), t,
                 Paragraph("The committee noted the figures.", styles["BodyText"])])
    doc = parse_file(Path("t.pdf"), buf.getvalue())
    rows = [b for b in doc.blocks if b.kind == "table_row"]
    assert [r.cells for r in rows] == data
    assert all(r.header == data[0] and r.table == 0 and r.page == 1 for r in rows)
    assert rows[1].text == "Children in care per 10,000 | 210 | 188"
    non_table = " ".join(b.text for b in doc.blocks if b.kind != "table_row")
    assert "285" not in non_table and "Measure" not in non_table
    kinds = [b.kind for b in doc.blocks]
    # reading order: text, table, text
    assert kinds.index("table_row") > [b.text for b in doc.blocks].index("Performance summary for the committee.")
    assert doc.blocks[-1].text == "The committee noted the figures."


def test_page_without_text_layer_reported():
    def draw(c, n):
        if n == 1:
            c.drawString(72, 740, "Agenda item 5: Family Safeguarding update.")
        else:
            c.rect(72, 400, 300, 200, fill=1)  # a scanned page: pictures only
    doc = parse_file(Path("s.pdf"), _pdf(draw, pages=2))
    assert "page 2: no text layer (needs OCR)" in doc.warnings
    assert doc.blocks and all(b.page == 1 for b in doc.blocks)


def test_document_without_any_text_rejected():
    with pytest.raises(ParseError, match=r"no text layer \(needs OCR\)"):
        parse_file(Path("scan.pdf"), _pdf(lambda c, n: c.rect(72, 400, 300, 200, fill=1), pages=2))


def test_encrypted_pdf_rejected():
    from reportlab.lib.pdfencrypt import StandardEncryption

    data = _pdf(lambda c, n: c.drawString(72, 740, "Exempt information."), pages=1,
                encrypt=StandardEncryption("user-secret", "owner-secret"))
    with pytest.raises(ParseError, match=r"encrypted PDF \(password required\)"):
        parse_file(Path("locked.pdf"), data)


@pytest.mark.skipif(not ROBUST.is_dir(), reason="shared/robust-pdfs not available")
def test_real_password_protected_pdf_rejected():
    f = ROBUST / "pdfplumber" / "password-example.pdf"
    if not f.exists():
        pytest.skip("fixture missing")
    with pytest.raises(ParseError, match="encrypted PDF"):
        parse_file(f)


def test_published_blackpool_report():
    doc = parse_file(BLACKPOOL)
    assert doc.format == "pdf"
    assert doc.title == "Family Safeguarding Model"
    assert doc.hints["subject"].startswith("Report to the Children and Young People's Scrutiny Committee")
    assert doc.pages and doc.pages >= 5
    assert all(b.page is not None for b in doc.blocks)
    text = doc.text
    assert "Blackpool Council" not in [b.text for b in doc.blocks]
    assert not any(b.text.startswith("Page ") and " of " in b.text for b in doc.blocks)
    recs = [b for b in doc.blocks if b.number in ("2.1", "2.2")]
    assert [b.section for b in recs] == ["Recommendation(s)", "Recommendation(s)"]
    assert recs[0].text == "To consider the work to develop Multi agency teams starting with the Strengthening " \
                           "and Supporting Families Team."
    assert "Blackpool has the highest rate of children in care in the country at 188 per 10,000" in text
    headings = {b.number: b.text for b in doc.blocks if b.kind == "heading" and b.number}
    assert headings["4.0"] == "Other alternative options to be considered"
    tables = {}
    for b in doc.blocks:
        if b.kind == "table_row":
            tables.setdefault(b.table, []).append(b)
    assert len(tables) == 2  # the KPI table spans pages and stays one table
    assert tables[0][0].header == ["Expected Outputs", "Expected Outcomes"]
    kpi = tables[1]
    assert kpi[0].header == ["Objective", "Measurable by"]
    assert sum(1 for r in kpi if r.cells == ["Objective", "Measurable by"]) == 1
    assert any(r.cells == ["", "Reduced rate of practitioner sickness absence"] for r in kpi)
    # a sentence running over a page break stays one block
    assert any("Domestic abuse officers – their role is to undertake an assessment" in b.text
               and "reduce stress, anxiety" in b.text for b in doc.blocks)


@pytest.mark.skipif(not KENT_MINUTES.exists(), reason="shared Kent minutes not available")
def test_real_kent_minutes():
    start = time.perf_counter()
    doc = parse_file(KENT_MINUTES)
    assert time.perf_counter() - start < 10  # ~1.3 s here: guards against quadratic work
    assert doc.pages == 17
    heads = {b.number: b.text for b in doc.blocks if b.kind == "heading" and b.number}
    assert heads.get("84") == "Apologies"
    assert heads.get("85") == "Declarations of Interest"
    # the bare page numbers at the foot of each page are gone
    assert not any(b.text.strip().isdigit() for b in doc.blocks)
    # paragraphs are whole, not one block per printed line
    assert any(b.text.startswith("RESOLVED that the minutes of the meeting on 9 January 2025 were a correct record "
                                 "and that they be signed by the Chair") for b in doc.blocks)


def test_two_column_page_read_column_by_column():
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import BaseDocTemplate, Frame, FrameBreak, PageTemplate, Paragraph

    buf = io.BytesIO()
    doc_t = BaseDocTemplate(buf, pagesize=A4, invariant=1)
    w, h = A4
    frames = [Frame(50, 60, (w - 130) / 2, h - 120, id="left"), Frame(80 + (w - 130) / 2, 60, (w - 130) / 2, h - 120,
                                                                      id="right")]
    doc_t.addPageTemplates([PageTemplate(frames=frames)])
    style = getSampleStyleSheet()["BodyText"]
    left = ("The left column describes the Family Safeguarding model in Lancashire and how adult workers join "
            "the social work teams to support parents. ") * 9
    right = ("The right column reports the Somerset evaluation by York Consulting and the interim findings on "
             "workforce and family experience. ") * 9
    doc_t.build([Paragraph(left, style), FrameBreak(), Paragraph(right, style)])
    doc = parse_file(Path("cols.pdf"), buf.getvalue())
    texts = [b.text for b in doc.blocks]
    assert len(texts) == 2
    assert texts[0].startswith("The left column") and "York Consulting" not in texts[0]
    assert texts[1].startswith("The right column") and "Lancashire" not in texts[1]


def test_damaged_pdf_is_a_parse_error_or_fallback_text():
    data = _pdf(lambda c, n: c.drawString(72, 740, "Minutes of the Corporate Parenting Board."), pages=1)
    broken = data.replace(b"/Root", b"/Rxxx")  # pdfminer cannot find the catalogue; pdfium repairs it
    try:
        doc = parse_file(Path("broken.pdf"), broken)
    except ParseError as e:
        assert "damaged PDF" in str(e)
    else:
        assert "Minutes of the Corporate Parenting Board." in doc.text
        assert any("fallback text extractor" in w for w in doc.warnings)
    truncated = data[: len(data) // 3]
    with contextlib.suppress(ParseError):  # a clear reason, never a pdfminer exception
        parse_file(Path("cut.pdf"), truncated)



@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet="abcdefghij -.", min_size=0, max_size=25), min_size=1, max_size=6))
def test_mend_hyphens_only_removes_line_end_hyphens(lines):
    out = mend_hyphens(lines)

    def letters(xs):
        return "".join(ch for x in xs for ch in x if ch.isalpha())

    assert letters(out) == letters(lines)  # no letter lost, added or moved
    assert len(out) <= len(lines)
    assert "".join(out).count("-") >= "".join(lines).count("-") - (len(lines) - len(out))


@pytest.mark.skipif(not ROBUST.is_dir(), reason="shared/robust-pdfs not available")
@pytest.mark.parametrize("name", ["qpdf-damaged/issue-120.pdf", "qpdf-damaged/issue-449.pdf",
                                  "qpdf-damaged/xref-compressed-in-compressed.pdf", "qpdf-damaged/bad4.pdf",
                                  "pdfminer/zen_of_python_corrupted.pdf"])
def test_damaged_real_files_give_a_reason_not_a_crash(name):
    f = ROBUST / name
    if not f.exists():
        pytest.skip("fixture missing")
    try:
        doc = parse_file(f)
    except ParseError as e:
        assert str(e)
    else:
        assert doc.blocks


@pytest.mark.skipif(not (ROBUST / "qpdf-damaged" / "issue-202.pdf").exists(), reason="robust-pdfs not available")
def test_pdfium_fallback_reads_what_pdfminer_cannot():
    doc = parse_file(ROBUST / "qpdf-damaged" / "issue-202.pdf")
    assert doc.pages == 10
    assert "Sample PDF Document" in doc.text
    assert any("fallback text extractor" in w for w in doc.warnings)


@pytest.mark.skipif(not KENT_MINUTES.exists(), reason="shared Kent minutes not available")
def test_fast_pdfium_text_agrees_with_pdfplumber(monkeypatch):
    import ingest.parsers.pdf as pdf_mod

    fast = parse_file(KENT_MINUTES)
    monkeypatch.setattr(pdf_mod, "FAST_TEXT", False)
    slow = parse_file(KENT_MINUTES)
    assert [(b.kind, b.number, b.text) for b in fast.blocks if b.kind == "heading"] == \
           [(b.kind, b.number, b.text) for b in slow.blocks if b.kind == "heading"]
    same = {b.text for b in fast.blocks} & {b.text for b in slow.blocks}
    assert len(same) >= 0.95 * len(slow.blocks)


def test_figures_in_bold_or_large_type_are_not_headings(tmp_path):
    """A chart's axis labels and totals set in bold are text, not section headings; a bold title is."""
    def draw(c, n):
        c.setFont("Helvetica-Bold", 14)
        c.drawString(72, 780, "Placements by quarter")
        c.setFont("Helvetica", 11)
        c.drawString(72, 750, "The number of placements rose in every quarter of the year, as the chart shows.")
        c.setFont("Helvetica-Bold", 12)
        for i, label in enumerate(["2,000", "-323.6", "Q1", "P"]):
            c.drawString(72, 700 - 30 * i, label)
        c.setFont("Helvetica", 11)
        c.drawString(72, 560, "Spending on agency staff fell by a fifth over the same period, as planned.")

    f = tmp_path / "chart.pdf"
    f.write_bytes(_pdf(draw))
    blocks = parse_file(f).blocks
    headings = [b.text for b in blocks if b.kind == "heading"]
    assert headings == ["Placements by quarter"]
    assert all(b.section == "Placements by quarter" for b in blocks if b.kind != "heading")
    assert any("323.6" in b.text for b in blocks)


def test_cover_fields_in_bold_are_not_headings(tmp_path):
    """A report's cover fields set in bold ("By: ...", "Email: ...") are lines of text, not section headings."""
    def draw(c, n):
        c.setFont("Helvetica-Bold", 11)
        c.drawString(72, 780, "By: Jane Smith, Scrutiny Research Officer")
        c.drawString(72, 760, "Email: jane.smith@northshire.gov.uk")
        c.setFont("Helvetica-Bold", 13)
        c.drawString(72, 720, "Consideration of the call-in")
        c.setFont("Helvetica", 11)
        c.drawString(72, 700, "The Scrutiny Committee met on 29 January 2025 to consider the call-in of the decision.")

    f = tmp_path / "cover.pdf"
    f.write_bytes(_pdf(draw))
    blocks = parse_file(f).blocks
    assert [b.text for b in blocks if b.kind == "heading"] == ["Consideration of the call-in"]
    assert any(b.text.startswith("By: Jane Smith") and b.kind == "paragraph" for b in blocks)
    assert blocks[-1].section == "Consideration of the call-in"


def test_resolutions_and_actions_on_a_line_of_their_own_are_not_headings(tmp_path):
    """ "Resolved to pay M Joyce £45.00" and "Action: Clerk to write to Highways" on lines of their own
    (in bold, or in mostly capitalised words) are sentences of the minutes, not section headings."""
    def draw(c, n):
        c.setFont("Helvetica-Bold", 12)
        c.drawString(72, 780, "Highways and Footpaths")
        c.setFont("Helvetica", 11)
        c.drawString(72, 760, "Potholes on the road through the village were reported again by residents.")
        c.drawString(72, 740, "Resolved to pay M Joyce for Website Fees of £45.00")
        c.setFont("Helvetica-Bold", 11)
        c.drawString(72, 720, "Action: Clerk to write to Highways")
        c.drawString(72, 700, "RESOLVED that the Precept be set at £4,500")

    f = tmp_path / "parish.pdf"
    f.write_bytes(_pdf(draw))
    blocks = parse_file(f).blocks
    assert [b.text for b in blocks if b.kind == "heading"] == ["Highways and Footpaths"]
    text = " ".join(b.text for b in blocks)
    assert "Resolved to pay M Joyce" in text and "Action: Clerk to write" in text and "RESOLVED that the Precept" in text
