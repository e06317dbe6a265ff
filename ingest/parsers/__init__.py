"""Parser registry: detect a file's format from its bytes and hand it to the right parser.

Detection trusts the bytes first (a PDF saved as ``.txt`` is still a PDF) and
the extension second. Formats we know but do not read (legacy Word/PowerPoint/
Excel, OpenDocument) raise :class:`UnsupportedFormat` naming the format and
what to convert it to; bytes that contradict a binary extension (junk named
``.pdf``) raise :class:`ParseError`.
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from ingest.model import MAX_BLOCKS, NoText, ParsedDocument, ParseError, UnsupportedFormat

__all__ = ["SUPPORTED_SUFFIXES", "NoText", "ParseError", "UnsupportedFormat", "detect_format", "parse_file"]

SUPPORTED_SUFFIXES = {".txt", ".md", ".markdown", ".pdf", ".html", ".htm", ".xhtml", ".aspx", ".docx", ".pptx"}

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# format name for messages, what to convert to
LEGACY = {
    ".doc": ("legacy Word .doc", "DOCX"),
    ".dot": ("legacy Word .dot", "DOCX"),
    ".ppt": ("legacy PowerPoint .ppt", "PPTX"),
    ".pps": ("legacy PowerPoint .pps", "PPTX"),
    ".xls": ("legacy Excel .xls", "XLSX or CSV"),
    ".odt": ("OpenDocument text .odt", "DOCX"),
    ".odp": ("OpenDocument presentation .odp", "PPTX"),
    ".ods": ("OpenDocument spreadsheet .ods", "XLSX or CSV"),
    ".rtf": ("Rich Text Format .rtf", "DOCX"),
    ".xlsx": ("Excel .xlsx", "CSV"),
}
ODF_MIMETYPES = {
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.oasis.opendocument.presentation": ".odp",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
}
BINARY_SUFFIXES = {".pdf": "PDF", ".docx": "DOCX", ".pptx": "PPTX", ".doc": "Word document", ".ppt": "PowerPoint file",
                   ".odt": "OpenDocument file", ".odp": "OpenDocument file", ".xls": "Excel file", ".xlsx": "Excel file"}
HTML_SNIFF = re.compile(rb"<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])", re.IGNORECASE)


def _unsupported(key: str) -> UnsupportedFormat:
    name, target = LEGACY[key]
    e = UnsupportedFormat(f"unsupported format: {name}; convert to {target}")
    e.legacy = key  # type: ignore[attr-defined]  # parse_file converts it where LibreOffice is installed
    return e


def _zip_kind(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if "word/document.xml" in names:
                return "docx"
            if "ppt/presentation.xml" in names:
                return "pptx"
            if "xl/workbook.xml" in names:
                return ".xlsx"
            if "mimetype" in names:
                mime = zf.read("mimetype").decode("ascii", "replace").strip()
                if mime in ODF_MIMETYPES:
                    return ODF_MIMETYPES[mime]
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, NotImplementedError):
        return None
    return None


# Office files are ZIP archives of XML: refuse ones built to exhaust memory (zip bombs) or to make
# the XML parser fetch or expand entities, before any parser unpacks them.
ZIP_MAX_TOTAL = 512 * 1024 * 1024  # bytes unpacked, all members together
ZIP_MAX_MEMBERS = 20000
ZIP_MAX_RATIO = 200  # unpacked / packed, for members over ZIP_RATIO_FLOOR
ZIP_RATIO_FLOOR = 16 * 1024 * 1024
XML_DECL_RE = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def check_zip(data: bytes, what: str) -> None:
    """Raise ParseError for an archive that unpacks too large, too compressed, or carries XML
    entity declarations. zipfile never yields more bytes than a member's declared size, so the
    declared sizes checked here bound what the parsers can be made to unpack."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if len(infos) > ZIP_MAX_MEMBERS:
                raise ParseError(f"refused: the {what} holds {len(infos)} parts (possible zip bomb)")
            total = sum(i.file_size for i in infos)
            if total > ZIP_MAX_TOTAL:
                raise ParseError(f"refused: the {what} unpacks to {total // (1 << 20)} MB "
                                 f"(limit {ZIP_MAX_TOTAL // (1 << 20)} MB; possible zip bomb)")
            for i in infos:
                if i.file_size > ZIP_RATIO_FLOOR and i.file_size > ZIP_MAX_RATIO * max(i.compress_size, 1):
                    raise ParseError(f"refused: {i.filename} in the {what} is compressed "
                                     f"{i.file_size // max(i.compress_size, 1)}:1 (possible zip bomb)")
            for i in infos:
                if i.filename.endswith((".xml", ".rels")):
                    with zf.open(i) as fh:
                        if XML_DECL_RE.search(fh.read(8192)):
                            raise ParseError(f"refused: {i.filename} in the {what} declares XML entities "
                                             "(never resolved: possible XXE or entity-expansion attack)")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, NotImplementedError) as e:
        raise ParseError(f"damaged {what} archive ({e})") from None


def _looks_like_text(data: bytes) -> bool:
    sample = data[:65536]
    if b"\x00" in sample:
        return False
    try:
        sample.decode("utf-8")
        return True
    except UnicodeDecodeError as e:
        if e.start >= len(sample) - 4:  # a multi-byte character cut by the sample
            return True
    # cp1252 leaves five bytes undefined; control characters other than whitespace mean binary
    try:
        text = sample.decode("cp1252")
    except UnicodeDecodeError:
        return False
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t\f")
    return controls <= len(text) // 200


def _from_utf16(data: bytes) -> bytes:
    """UTF-16 text (Windows "Unicode" exports, with a BOM) as UTF-8; other bytes unchanged."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            return data
    return data


def detect_format(path: Path, data: bytes) -> str:
    """The format by the file's bytes first, its extension second.

    Returns one of ``pdf html docx pptx txt md``; raises UnsupportedFormat for a
    format we know but do not read and ParseError for bytes that are not what
    their binary extension claims.
    """
    suffix = Path(path).suffix.lower()
    data = _from_utf16(data)
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data[:4] == b"PK\x03\x04" or data[:4] == b"PK\x05\x06":
        kind = _zip_kind(data)
        if kind in ("docx", "pptx"):
            check_zip(data, kind.upper())
            return kind
        if kind in LEGACY:
            raise _unsupported(kind)
        if suffix in (".docx", ".pptx"):
            raise ParseError(f"not a {suffix[1:].upper()}: the ZIP archive has no "
                             f"{'word/document.xml' if suffix == '.docx' else 'ppt/presentation.xml'}")
        raise UnsupportedFormat("unsupported format: ZIP archive; unpack it and ingest the documents inside")
    if data[:8] == OLE2_MAGIC:
        if suffix in (".doc", ".dot", ".ppt", ".pps", ".xls"):
            raise _unsupported(suffix)
        if b"P\x00o\x00w\x00e\x00r\x00P\x00o\x00i\x00n\x00t\x00" in data[:1 << 20]:
            raise _unsupported(".ppt")
        if b"W\x00o\x00r\x00k\x00b\x00o\x00o\x00k\x00" in data[:1 << 20]:
            raise _unsupported(".xls")
        if b"W\x00o\x00r\x00d\x00D\x00o\x00c\x00u\x00m\x00e\x00n\x00t\x00" in data[:1 << 20]:
            raise _unsupported(".doc")
        raise UnsupportedFormat("unsupported format: legacy Microsoft Office (OLE2) file; convert to DOCX or PPTX")
    if data[:5] == b"{\\rtf":
        raise _unsupported(".rtf")
    if suffix in LEGACY and suffix != ".rtf" and not _looks_like_text(data):
        # a legacy extension whose bytes are not OLE2/ODF: still say what it claims to be
        raise _unsupported(suffix)
    if suffix in BINARY_SUFFIXES and suffix not in LEGACY and (
            not _looks_like_text(data) or not HTML_SNIFF.search(data[:4096])):
        what = BINARY_SUFFIXES[suffix]
        raise ParseError(f"not a {what}: the file's bytes do not start like one (starts {data[:8]!r})")
    if HTML_SNIFF.search(data[:4096]) and _looks_like_text(data):
        if suffix in (".md", ".markdown", ".txt") and not re.match(rb"\s*(?:\xef\xbb\xbf)?\s*<", data[:512]):
            pass  # a Markdown/text file that happens to mention <body>
        else:
            return "html"
    if _looks_like_text(data):
        if suffix in (".md", ".markdown"):
            return "md"
        if suffix in (".html", ".htm", ".aspx", ".xhtml"):
            return "html"
        return "txt"
    raise UnsupportedFormat(f"unsupported format: binary file ({suffix or 'no extension'}) "
                            f"that is not PDF, DOCX, PPTX, HTML or text")


def parse_file(path: Path, data: bytes | None = None, ocr: str = "never", deadline: float | None = None,
               convert: bool = True) -> ParsedDocument:
    """Parse one file into the document model; raises ParseError with a reason a user can read.

    `ocr` (auto | always | never, :mod:`ingest.parsers.ocr`): whether PDF pages with no text layer are
    read with Tesseract. `convert`: legacy office files (.doc .ppt .odt .odp .rtf) converted with
    LibreOffice where it is installed (:mod:`ingest.parsers.convert`). `deadline` (a time.monotonic()
    value): when OCR stops and by when a conversion must end."""
    path = Path(path)
    if data is None:
        data = path.read_bytes()
    if not data:
        raise NoText("empty file")
    data = _from_utf16(data)
    try:
        fmt = detect_format(path, data)
    except UnsupportedFormat as e:
        if convert and getattr(e, "legacy", None):
            return _converted(e, data, path, deadline)
        raise
    if fmt == "pdf":
        from ingest.parsers import ocr as ocr_mod
        from ingest.parsers import pdf

        return _with_text(pdf.parse(path, data, ocr=ocr_mod.check_mode(ocr), deadline=deadline), fmt)
    if fmt == "html":
        from ingest.parsers import html as mod
    elif fmt == "docx":
        from ingest.parsers import docx as mod
    elif fmt == "pptx":
        from ingest.parsers import pptx as mod
    else:
        from ingest.parsers import text

        return _with_text(text.parse(path, data, fmt), fmt)
    return _with_text(mod.parse(path, data), fmt)


def _with_text(doc: ParsedDocument, fmt: str) -> ParsedDocument:
    """The document, if it holds any text and not more blocks than any paper holds: a blank one is never
    stored (NoText: the file is skipped), an outsized one is refused before extraction spends its time."""
    if not any(b.text.strip() for b in doc.blocks):
        raise NoText(f"no text in the {fmt.upper()} file")
    if len(doc.blocks) > MAX_BLOCKS:
        raise ParseError(f"refused: {len(doc.blocks):,} text blocks (paragraphs, rows, lines), more than the "
                         f"{MAX_BLOCKS:,} a paper holds; split the file")
    return doc


def _converted(refusal: UnsupportedFormat, data: bytes, path: Path, deadline: float | None) -> ParsedDocument:
    """A legacy file converted by LibreOffice and read as DOCX or PPTX; `refusal` (today's "convert to
    DOCX" message) where LibreOffice is not installed or the format is not one it converts here."""
    from ingest.parsers import convert

    kind = refusal.legacy  # type: ignore[attr-defined]
    if kind not in convert.CONVERTIBLE:
        raise refusal
    if convert.soffice_path() is None:
        raise UnsupportedFormat(f"{refusal}, or install LibreOffice to have it converted") from None
    name, _ = LEGACY[kind]
    try:
        converted = convert.convert(data, kind, path.name, deadline)
    except ParseError as e:
        raise ParseError(f"{name}: {e}") from None
    target = convert.CONVERTIBLE[kind]
    check_zip(converted, target.upper())
    if target == "docx":
        from ingest.parsers import docx as mod
    else:
        from ingest.parsers import pptx as mod
    doc = mod.parse(path, converted)
    doc.converted_from = kind[1:]
    doc.warnings.insert(0, f"converted from {name} to {target.upper()} by LibreOffice")
    return _with_text(doc, target)
