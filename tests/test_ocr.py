"""OCR of PDF pages with no text layer (Tesseract through pytesseract): text read, blocks and records
marked, the --ocr modes, the file's time limit. Needs Debian's tesseract-ocr: skipped, saying so, without."""
from __future__ import annotations

import io
import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SHARED

from cli.main import cli
from ingest.model import NoText
from ingest.parsers import parse_file
from ingest.parsers.ocr import _ranges, available

needs_tesseract = pytest.mark.skipif(not available(), reason="Tesseract not installed (apt-get install "
                                     "tesseract-ocr; .ci/run installs it)")
KENT_MINUTES = SHARED / "corpus-real" / "council-assistant" / \
    "cabinet_2025-01-30__Printed minutes 30th-Jan-2025 10.00 Cabinet.pdf"

LINES = ["Minutes of the Cabinet meeting held on 30 January 2025",
         "RESOLVED that the Cabinet approves the revised budget of 2.4 million pounds.",
         "The Director of Children's Services will report back to the committee in March 2025."]


def _text_pdf(pages: list[list[str]]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    for lines in pages:
        c.setFont("Helvetica", 12)
        for i, line in enumerate(lines):
            c.drawString(60, 760 - 24 * i, line)
        c.showPage()
    c.save()
    return buf.getvalue()


def _scan(pages: list[list[str]], keep_text: set[int] = frozenset(), dpi: int = 200) -> bytes:
    """A PDF of `pages` of text lines as a scanner would give it: each page an image, no text layer;
    pages in `keep_text` (1-based) typed, with a text layer (a scan bound into a typed paper)."""
    import pypdfium2 as pdfium
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    doc = pdfium.PdfDocument(_text_pdf(pages))
    images = [doc[i].render(scale=dpi / 72, grayscale=True).to_pil() for i in range(len(doc))]
    doc.close()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    for n, (lines, img) in enumerate(zip(pages, images), start=1):
        if n in keep_text:
            c.setFont("Helvetica", 12)
            for i, line in enumerate(lines):
                c.drawString(60, 760 - 24 * i, line)
        else:
            c.drawImage(ImageReader(img), 0, 0, width=A4[0], height=A4[1])
        c.showPage()
    c.save()
    return buf.getvalue()


def test_page_ranges_named():
    assert _ranges([1, 2, 3, 7]) == "pages 1-3, 7"
    assert _ranges([4]) == "page 4"


def test_scan_refused_without_ocr():
    with pytest.raises(NoText, match=r"needs OCR"):
        parse_file(Path("scan.pdf"), _scan([LINES]), ocr="never")


@needs_tesseract
def test_scanned_page_read_by_ocr_and_its_blocks_marked():
    doc = parse_file(Path("scan.pdf"), _scan([LINES]), ocr="auto")
    text = " ".join(b.text for b in doc.blocks)
    for words in ("Cabinet meeting held on 30 January 2025", "revised budget of 2.4 million",
                  "report back to the committee in March 2025"):
        assert words in text, text
    assert doc.blocks and all(b.ocr and b.page == 1 for b in doc.blocks)
    assert doc.parser == "pdf+ocr" and doc.ocr
    assert any(w.startswith("page 1 read by OCR (Tesseract") for w in doc.warnings), doc.warnings
    assert not any("needs OCR" in w for w in doc.warnings)


@needs_tesseract
def test_only_the_scanned_page_of_a_typed_paper_is_marked():
    data = _scan([["Agenda item 5: Family Safeguarding update."], LINES], keep_text={1})
    doc = parse_file(Path("mixed.pdf"), data, ocr="auto")
    by_page = {p: {b.ocr for b in doc.blocks if b.page == p} for p in (1, 2)}
    assert by_page == {1: {False}, 2: {True}}, [(b.page, b.ocr, b.text) for b in doc.blocks]
    assert any("revised budget" in b.text for b in doc.blocks if b.page == 2)
    plain = parse_file(Path("mixed.pdf"), data, ocr="never")
    assert "page 2: no text layer (needs OCR)" in plain.warnings and not plain.ocr


@needs_tesseract
def test_ocr_stops_at_the_time_limit_with_a_warning():
    data = _scan([LINES, LINES, LINES])
    doc = parse_file(Path("scan.pdf"), data, ocr="auto", deadline=time.monotonic() + 0.5)
    stopped = [w for w in doc.warnings if w.startswith("OCR stopped at the file's time limit")]
    assert stopped and "pages 2-3" in stopped[0], doc.warnings
    assert {b.page for b in doc.blocks} == {1}


def test_ocr_always_without_tesseract_is_an_error_naming_the_install(tmp_path, monkeypatch):
    monkeypatch.setenv("SCRUTINY_TESSERACT", "none")
    r = CliRunner().invoke(cli, ["--kb", str(tmp_path / "kb"), "ingest", "--ocr", "always", "--no-index",
                                 str(tmp_path)])
    assert r.exit_code == 1 and "Tesseract is not installed" in r.output and "apt-get install tesseract-ocr" \
        in r.output, r.output


def test_ocr_auto_without_tesseract_skips_the_scan_as_today(tmp_path, monkeypatch):
    monkeypatch.setenv("SCRUTINY_TESSERACT", "none")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "scan.pdf").write_bytes(_scan([LINES]))
    r = CliRunner().invoke(cli, ["--kb", str(tmp_path / "kb"), "ingest", "--no-extract", "--no-index",
                                 str(tmp_path / "docs")])
    assert r.exit_code == 0 and "no text layer (needs OCR)" in r.output, r.output


@needs_tesseract
@pytest.mark.slow
def test_records_from_a_scan_are_marked_ocr_in_the_export(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "scan.pdf").write_bytes(_scan([LINES]))
    (docs / "typed.pdf").write_bytes(_text_pdf([[*LINES[:1], "RESOLVED that the Cabinet approves the plan."]]))
    home = str(tmp_path / "kb")
    r = CliRunner().invoke(cli, ["--kb", home, "ingest", "--no-index", "-j", "1", str(docs)], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    out = CliRunner().invoke(cli, ["--kb", home, "export"], catch_exceptions=False)
    by_name = {Path(d["source"]).name: d for d in json.loads(out.stdout)["documents"]}
    scan, typed = by_name["scan.pdf"], by_name["typed.pdf"]
    assert scan["parser"] == "pdf+ocr" and typed["parser"] == "pdf"
    records = [r for k in ("decisions", "dates", "actions", "metrics") for r in scan[k]]
    assert records and all(r.get("ocr") is True for r in records), records
    assert any("revised budget" in r["text"] for r in scan["decisions"]), scan["decisions"]
    assert not any(r.get("ocr") for k in ("decisions", "dates") for r in typed[k])
    csv = CliRunner().invoke(cli, ["--kb", home, "export", "--format", "csv"], catch_exceptions=False).stdout
    header, *rows = csv.splitlines()
    assert header.endswith(",ocr") and any(r.endswith(",True") and "scan.pdf" in r for r in rows)
    tracker = CliRunner().invoke(cli, ["--kb", home, "actions", "--format", "md"], catch_exceptions=False).stdout
    cited = [line for line in tracker.splitlines() if "report back" in line]
    assert cited and all("scan.pdf p.1, read by OCR" in line for line in cited), tracker
    page = CliRunner().invoke(cli, ["--kb", home, "actions", "--format", "html"], catch_exceptions=False).stdout
    assert ", OCR]" in page and "read by OCR from a scanned page" in page
    from fastapi.testclient import TestClient

    from reports.web.app import create_app
    from reports.web.core import Settings

    with TestClient(create_app(Settings(home=Path(home), local_user="officer"))) as web:
        pages = {name: web.get(f"/documents/{by_name[name]['id'][:8]}").text for name in ("scan.pdf", "typed.pdf")}
    assert "read by OCR</b>" in pages["scan.pdf"] and "read by OCR</b>" not in pages["typed.pdf"]


@needs_tesseract
@pytest.mark.slow
@pytest.mark.skipif(not KENT_MINUTES.is_file(), reason="shared/corpus-real not available")
def test_a_real_paper_scanned_reads_back_most_of_its_words():
    """Page 2 of Kent's Cabinet minutes rendered at 200 dpi into an image-only PDF: OCR gives back more
    than nine in ten of the words of its text layer."""
    import re
    from collections import Counter

    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(KENT_MINUTES))
    img = doc[1].render(scale=200 / 72, grayscale=True).to_pil()
    doc.close()
    buf = io.BytesIO()
    img.save(buf, format="PDF", resolution=200)
    original = parse_file(KENT_MINUTES).page_text(2)
    scanned = parse_file(Path("p2.pdf"), buf.getvalue(), ocr="auto")
    assert scanned.blocks and all(b.ocr for b in scanned.blocks)

    def words(text):
        return Counter(re.findall(r"[a-z0-9]+", text.lower()))

    want, got = words(original), words(scanned.text)
    recall = sum(min(k, got[w]) for w, k in want.items()) / sum(want.values())
    assert recall > 0.9, recall
