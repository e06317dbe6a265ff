"""Parser registry: detect a file's format from its bytes and hand it to the right parser."""
from __future__ import annotations

from pathlib import Path

from ingest.model import ParsedDocument, ParseError, UnsupportedFormat

__all__ = ["SUPPORTED_SUFFIXES", "ParseError", "UnsupportedFormat", "detect_format", "parse_file"]

SUPPORTED_SUFFIXES = {".txt", ".md", ".markdown"}


def detect_format(path: Path, data: bytes) -> str:
    """The format by the file's bytes first, its extension second."""
    suffix = path.suffix.lower()
    if suffix in (".md", ".markdown"):
        return "md"
    if suffix == ".txt":
        return "txt"
    raise UnsupportedFormat(f"unsupported format ({suffix or 'no extension'})")


def parse_file(path: Path, data: bytes | None = None) -> ParsedDocument:
    """Parse one file into the document model; raises ParseError with a reason a user can read."""
    if data is None:
        data = Path(path).read_bytes()
    fmt = detect_format(Path(path), data)
    from ingest.parsers import text

    return text.parse(Path(path), data, fmt)
