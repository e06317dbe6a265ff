"""Plain text and Markdown files.

Markdown extras: a YAML front matter block (``---`` ... ``---``) gives hints
(``title``, ``created`` ...) and is not read as text; pipe tables become
``table_row`` blocks; a body that is mostly HTML (static-site exports of
council pages) is read by the HTML parser.
"""
from __future__ import annotations

import re
from pathlib import Path

from ingest.model import Block, ParsedDocument
from ingest.textblocks import clean_inline, lines_to_blocks

FRONT_MATTER_RE = re.compile(r"\A\ufeff?---[ \t]*\r?\n(?P<body>.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
FM_KEY_RE = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)\s*:\s*(?P<value>.*?)\s*$")
HTML_BLOCK_RE = re.compile(r"<(?:p|div|table|ul|ol|h[1-6]|br)[\s/>]", re.IGNORECASE)
PIPE_ROW_RE = re.compile(r"^\s*\|.*\|\s*$")
PIPE_SEP_RE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")


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


def front_matter(text: str) -> tuple[dict, str]:
    """Top-level ``key: value`` pairs of a YAML front matter block, and the text after it."""
    m = FRONT_MATTER_RE.match(text)
    if not m:
        return {}, text
    hints: dict = {}
    for line in m.group("body").splitlines():
        if line[:1] in (" ", "\t", "-"):
            continue  # nested values (resource lists) are not hints
        km = FM_KEY_RE.match(line)
        if km and km.group("value"):
            hints[km.group("key").lower()] = km.group("value").strip("'\"")
    return hints, text[m.end():]


def _split_pipe(line: str) -> list[str]:
    inner = line.strip()
    inner = inner.removeprefix("|")
    inner = inner.removesuffix("|")
    return [clean_inline(c) for c in re.split(r"(?<!\\)\|", inner)]


def _md_blocks(lines: list[str], page: int | None, stack: list, table_counter: list[int]) -> list[Block]:
    """lines_to_blocks, with Markdown pipe tables cut out as table rows."""
    blocks: list[Block] = []
    run: list[str] = []
    i = 0
    while i < len(lines):
        if PIPE_ROW_RE.match(lines[i]) and i + 1 < len(lines) and PIPE_SEP_RE.match(lines[i + 1]):
            blocks.extend(lines_to_blocks(run, page=page, section_stack=stack))
            run = []
            header = _split_pipe(lines[i])
            table_counter[0] += 1
            section = " > ".join(t for _, t in stack) or None
            blocks.append(Block("table_row", " | ".join(header), page=page, section=section, cells=header,
                                header=header, table=table_counter[0]))
            i += 2
            while i < len(lines) and PIPE_ROW_RE.match(lines[i]):
                cells = _split_pipe(lines[i])
                blocks.append(Block("table_row", " | ".join(cells), page=page, section=section, cells=cells,
                                    header=header, table=table_counter[0]))
                i += 1
            continue
        run.append(lines[i])
        i += 1
    blocks.extend(lines_to_blocks(run, page=page, section_stack=stack))
    return blocks


def parse(path: Path, data: bytes, fmt: str = "txt") -> ParsedDocument:
    text, warnings = decode(data)
    hints: dict = {}
    if fmt == "md":
        hints, text = front_matter(text)
        if len(HTML_BLOCK_RE.findall(text)) >= 3:
            from ingest.parsers import html

            doc = html.parse(path, ("<html><body>" + text + "</body></html>").encode("utf-8"))
            doc.format = fmt
            doc.hints = {**doc.hints, **hints}
            doc.title = hints.get("title") or doc.title
            doc.warnings = warnings + doc.warnings
            return doc
    pages = text.split("\f")
    blocks = []
    stack: list = []
    counter = [-1]
    for i, page_text in enumerate(pages, start=1):
        page = i if len(pages) > 1 else None
        if fmt == "md":
            blocks.extend(_md_blocks(page_text.splitlines(), page, stack, counter))
        else:
            blocks.extend(lines_to_blocks(page_text.splitlines(), page=page, section_stack=stack))
    title = hints.get("title") or next((b.text for b in blocks if b.kind == "heading"), None)
    if not blocks:
        warnings.append("no text" + (" after the front matter" if hints else ""))
    return ParsedDocument(format=fmt, blocks=blocks, title=title, pages=len(pages) if len(pages) > 1 else None,
                          hints=hints, warnings=warnings)
