"""Format detection from bytes, and the clear refusals for formats we do not read."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from conftest import SHARED

from ingest.model import ParseError, UnsupportedFormat
from ingest.parsers import detect_format, parse_file

ROOT = Path(__file__).resolve().parent.parent
PUBLISHED = ROOT / "corpus" / "published"
REAL = SHARED / "corpus-real"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def _tiny_pdf() -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    c.drawString(72, 720, "The committee noted the report.")
    c.showPage()
    c.save()
    return buf.getvalue()


def _tiny_docx() -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("Resolved that the report be noted.")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _odf(mimetype: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", mimetype)
        z.writestr("content.xml", "<office:document-content/>")
    return buf.getvalue()


def test_pdf_named_txt_is_read_as_pdf():
    data = _tiny_pdf()
    assert detect_format(Path("minutes.txt"), data) == "pdf"
    doc = parse_file(Path("minutes.txt"), data)
    assert doc.format == "pdf"
    assert "The committee noted the report." in doc.text


def test_docx_named_bin_is_read_as_docx():
    data = _tiny_docx()
    assert detect_format(Path("upload.bin"), data) == "docx"
    assert parse_file(Path("upload.bin"), data).blocks[0].text == "Resolved that the report be noted."


def test_html_and_text_sniffed():
    assert detect_format(Path("page.aspx"), b"<!DOCTYPE html><html><body><p>x</p></body></html>") == "html"
    assert detect_format(Path("saved.txt"), b"\n  <html><head></head><body>Minutes</body></html>") == "html"
    assert detect_format(Path("notes"), "Minutes of the meeting – 3 March".encode("cp1252")) == "txt"
    assert detect_format(Path("notes.md"), b"# Minutes\n\nText that mentions <body> in passing.") == "md"


@pytest.mark.parametrize("name", ["report.pdf", "report.docx", "slides.pptx"])
def test_binary_junk_with_document_extension_is_rejected(name):
    junk = bytes(range(256)) * 8
    with pytest.raises(ParseError, match=r"^not a (PDF|DOCX|PPTX)"):
        parse_file(Path(name), junk)


def test_zip_without_word_part_named_docx_is_rejected():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "hello")
    with pytest.raises(ParseError, match="not a DOCX"):
        parse_file(Path("x.docx"), buf.getvalue())


@pytest.mark.parametrize(
    "name,data,expect",
    [
        ("minutes.doc", OLE2, r"legacy Word \.doc; convert to DOCX"),
        ("slides.ppt", OLE2, r"legacy PowerPoint \.ppt; convert to PPTX"),
        ("budget.xls", OLE2, r"legacy Excel \.xls"),
        ("noext", OLE2 + "W\x00o\x00r\x00d\x00D\x00o\x00c\x00u\x00m\x00e\x00n\x00t\x00".encode("latin-1"),
         r"legacy Word \.doc"),
        ("minutes.odt", _odf("application/vnd.oasis.opendocument.text"), r"OpenDocument text \.odt; convert to DOCX"),
        ("deck.bin", _odf("application/vnd.oasis.opendocument.presentation"), r"\.odp; convert to PPTX"),
    ],
)
def test_legacy_and_odf_rejected_with_a_clear_message(name, data, expect, monkeypatch):
    monkeypatch.setenv("SCRUTINY_SOFFICE", "none")  # as without LibreOffice (tests/test_legacy.py: with it)
    with pytest.raises(UnsupportedFormat, match=expect):
        parse_file(Path(name), data)


def test_empty_file_rejected():
    with pytest.raises(ParseError, match="empty"):
        parse_file(Path("empty.pdf"), b"")


@pytest.mark.skipif(not REAL.is_dir(), reason="shared/corpus-real not available")
@pytest.mark.parametrize("suffix,fmt", [(".doc", "Word"), (".ppt", "PowerPoint"), (".odt", "OpenDocument"),
                                        (".odp", "OpenDocument")])
def test_real_legacy_files_rejected_without_libreoffice(suffix, fmt, monkeypatch):
    monkeypatch.setenv("SCRUTINY_SOFFICE", "none")
    files = sorted(REAL.rglob(f"*{suffix}"))
    if not files:
        pytest.skip(f"no {suffix} file in the shared corpus")
    with pytest.raises(UnsupportedFormat, match=f"{fmt}.*install LibreOffice"):
        parse_file(files[0])


def test_published_corpus_formats_detected_from_bytes():
    expected = {".html": "html", ".pdf": "pdf", ".docx": "docx", ".pptx": "pptx"}
    files = [p for p in PUBLISHED.iterdir() if p.suffix in expected]
    assert len(files) == 5
    for p in files:
        # a neutral name: the bytes alone decide
        assert detect_format(Path("upload.dat"), p.read_bytes()) == expected[p.suffix], p.name


def test_markdown_front_matter_and_pipe_table():
    md = (b"---\ntitle: Panel minutes\ncreated: 11/11/2013\nresources:\n    - filename: a.doc\n---\n"
          b"# Item 1\n\n| Measure | Value |\n|---|---|\n| Children in care | 188 |\n\nText after.\n")
    doc = parse_file(Path("m.md"), md)
    assert doc.title == "Panel minutes"
    assert doc.hints["created"] == "11/11/2013"
    rows = [b for b in doc.blocks if b.kind == "table_row"]
    assert [r.cells for r in rows] == [["Measure", "Value"], ["Children in care", "188"]]
    assert rows[1].header == ["Measure", "Value"]
    assert "filename" not in doc.text


def test_utf16_text_and_html_read():
    html = "<html><body><h1>Minutes</h1><p>Resolved – noted.</p></body></html>".encode("utf-16")
    doc = parse_file(Path("export.htm"), html)
    assert doc.format == "html" and "Resolved – noted." in doc.text
    txt = "Minutes of the meeting\n\nThe report was noted.".encode("utf-16")
    assert parse_file(Path("notes.txt"), txt).format == "txt"
