"""Plain text and Markdown files."""
from __future__ import annotations

from pathlib import Path

from ingest.model import ParsedDocument
from ingest.textblocks import lines_to_blocks


def decode(data: bytes) -> tuple[str, list[str]]:
    """UTF-8 (with or without BOM), else Windows-1252 with a warning: council exports are often cp1252."""
    warnings: list[str] = []
    for enc in ("utf-8-sig",):
        try:
            return data.decode(enc), warnings
        except UnicodeDecodeError:
            pass
    warnings.append("not valid UTF-8; read as Windows-1252")
    return data.decode("cp1252", errors="replace"), warnings


def parse(path: Path, data: bytes, fmt: str = "txt") -> ParsedDocument:
    text, warnings = decode(data)
    pages = text.split("\f")
    blocks = []
    stack: list = []
    for i, page_text in enumerate(pages, start=1):
        blocks.extend(lines_to_blocks(page_text.splitlines(), page=i if len(pages) > 1 else None, section_stack=stack))
    title = next((b.text for b in blocks if b.kind == "heading"), None)
    return ParsedDocument(format=fmt, blocks=blocks, title=title, pages=len(pages) if len(pages) > 1 else None,
                          warnings=warnings)
