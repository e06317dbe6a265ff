"""PowerPoint PPTX files (python-pptx).

One page per slide (``page`` = slide number). The slide title becomes a level-1
heading and the section for the slide's other blocks; text frames' paragraphs
become ``list_item`` (bulleted, numbered or indented) or ``paragraph`` blocks;
tables become ``table_row`` blocks (first row = header); group shapes are
recursed; speaker notes become blocks with ``notes=True``. Shapes are read
top-to-bottom, left-to-right.
"""
from __future__ import annotations

import io
from pathlib import Path

from ingest.model import Block, ParsedDocument, ParseError
from ingest.parsers.office import core_hints
from ingest.textblocks import BULLET_RE, clean_inline

A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
A = f"{{{A_NS}}}"


def _para_text(paragraph) -> str:
    parts: list[str] = []
    for el in paragraph._p.iterchildren():
        tag = el.tag
        if tag in (f"{A}r", f"{A}fld"):
            t = el.find(f"{A}t")
            parts.append(t.text or "" if t is not None else "")
        elif tag == f"{A}br":
            parts.append(" ")
    return clean_inline("".join(parts))


def _bullet_kind(paragraph) -> str | None:
    """'bullet' / 'number' where the paragraph's own properties say so, 'none' where switched off."""
    ppr = paragraph._p.pPr
    if ppr is None:
        return None
    if ppr.find(f"{A}buNone") is not None:
        return "none"
    if ppr.find(f"{A}buAutoNum") is not None:
        return "number"
    if ppr.find(f"{A}buChar") is not None or ppr.find(f"{A}buBlip") is not None:
        return "bullet"
    return None


def _auto_number(paragraph, n: int) -> str:
    """The label PowerPoint shows for the n-th paragraph of an a:buAutoNum list ("3", "b", "iv", "(2)")."""
    el = paragraph._p.pPr.find(f"{A}buAutoNum")
    scheme = el.get("type", "arabicPeriod") if el is not None else "arabicPeriod"
    if scheme.startswith(("alphaLc", "alphaUc")):
        body = chr(ord("a") + (n - 1) % 26)
        body = body.upper() if scheme.startswith("alphaUc") else body
    elif scheme.startswith(("romanLc", "romanUc")):
        from ingest.parsers.docx import _roman

        body = _roman(n).upper() if scheme.startswith("romanUc") else _roman(n)
    else:
        body = str(n)
    if scheme.endswith("ParenBoth"):
        return f"({body})"
    if scheme.endswith("ParenR"):
        return f"{body})"
    return body


def _auto_start(paragraph) -> int:
    el = paragraph._p.pPr.find(f"{A}buAutoNum")
    try:
        return int(el.get("startAt", "1")) if el is not None else 1
    except ValueError:
        return 1


def _sort_key(shape):
    top = shape.top if shape.top is not None else 0
    left = shape.left if shape.left is not None else 0
    return (top, left)


def parse(path: Path, data: bytes) -> ParsedDocument:
    """A deck as blocks, slide by slide: its title a heading, then its shapes' text and tables read
    top-to-bottom, left-to-right, then its speaker notes."""
    from pptx import Presentation

    try:
        prs = Presentation(io.BytesIO(data))
    except Exception as e:
        raise ParseError(f"damaged PPTX, cannot be opened ({type(e).__name__}: {str(e)[:120]})") from e

    hints = core_hints(prs.core_properties, ("title", "subject", "author"))
    deck = _DeckReader()
    slides = list(prs.slides)
    for number, slide in enumerate(slides, start=1):
        deck.read_slide(number, slide)
    blocks = deck.blocks
    title = hints.get("title") or next((b.text for b in blocks if b.kind == "heading"), None)
    warnings = [] if blocks else ["no text on any slide"]
    return ParsedDocument(format="pptx", blocks=blocks, title=title, pages=len(slides), hints=hints,
                          warnings=warnings)


def _slide_title_shape(slide):
    """The slide's title placeholder, or None (also where python-pptx cannot tell)."""
    try:
        return slide.shapes.title
    except Exception:
        return None


class _DeckReader:
    """The deck's slides read in order: the blocks so far, the index of the last table, and the slide being
    read (its number, its title as the section of its blocks, and its title shape, read once)."""

    def __init__(self) -> None:
        from pptx.enum.shapes import PP_PLACEHOLDER

        self.blocks: list[Block] = []
        self.table_index = -1
        self.title_types = {PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.VERTICAL_TITLE}
        self.body_types = {PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.VERTICAL_BODY,
                           PP_PLACEHOLDER.VERTICAL_OBJECT}
        self.skip_types = {PP_PLACEHOLDER.SLIDE_NUMBER, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.DATE}
        self.number = 0
        self.section: str | None = None
        self.title_shape = None

    def read_slide(self, number: int, slide) -> None:
        """One slide: its title a level-1 heading, its shapes, then its speaker notes (blocks with notes=True)."""
        self.number = number
        self.title_shape = title_shape = _slide_title_shape(slide)
        title = ""
        if title_shape is not None and title_shape.has_text_frame:
            title = clean_inline(" ".join(_para_text(p) for p in title_shape.text_frame.paragraphs))
        self.section = title or None
        if title:
            self.blocks.append(Block("heading", title, page=number, section=self.section, level=1))
        self.walk(slide.shapes)
        if slide.has_notes_slide:
            notes_frame = slide.notes_slide.notes_text_frame
            if notes_frame is not None:
                for p in notes_frame.paragraphs:
                    text = _para_text(p)
                    if text:
                        self.blocks.append(Block("paragraph", text, page=number, section=self.section, notes=True))

    def walk(self, shapes) -> None:
        """Shapes top-to-bottom, left-to-right: the title, slide numbers, footers and dates skipped; groups
        recursed; tables and text frames read (a body placeholder's paragraphs bullet by default)."""
        from pptx.enum.shapes import MSO_SHAPE_TYPE

        for shape in sorted(shapes, key=_sort_key):
            if self.title_shape is not None and shape.shape_id == self.title_shape.shape_id:
                continue
            is_body = False
            if shape.is_placeholder:
                try:
                    ph_type = shape.placeholder_format.type
                except Exception:
                    ph_type = None
                if ph_type in self.skip_types:
                    continue
                if ph_type in self.title_types:
                    continue
                is_body = ph_type in self.body_types
            if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
                self.walk(shape.shapes)
                continue
            if getattr(shape, "has_table", False) and shape.has_table:
                self.table(shape.table)
                continue
            if getattr(shape, "has_text_frame", False) and shape.has_text_frame:
                self.text_frame(shape.text_frame, is_body)

    def table(self, table) -> None:
        """A table's rows holding text as table rows, the first row the header."""
        rows = []
        for row in table.rows:
            cells = [clean_inline(" ".join(_para_text(p) for p in c.text_frame.paragraphs)) for c in row.cells]
            if any(cells):
                rows.append(cells)
        if rows:
            self.table_index += 1
            header = rows[0]
            for r in rows:
                self.blocks.append(Block("table_row", " | ".join(r), page=self.number, section=self.section,
                                         cells=r, header=header, table=self.table_index))

    def text_frame(self, frame, is_body: bool) -> None:
        """A text frame's paragraphs: list items where bulleted, numbered (with the number PowerPoint shows)
        or indented, else paragraphs."""
        counters: dict[int, int] = {}  # list level -> last auto number shown
        for p in frame.paragraphs:
            text = _para_text(p)
            if not text:
                continue
            kind = _bullet_kind(p)
            level = p.level or 0
            for deeper in [k for k in counters if k > level]:
                del counters[deeper]
            label = None
            if kind == "number":
                counters[level] = counters.get(level, _auto_start(p) - 1) + 1
                label = _auto_number(p, counters[level])
            else:
                counters.pop(level, None)
            m = BULLET_RE.match(text)
            if m and m.group("text").strip():
                text, kind = clean_inline(m.group("text")), "bullet"
            # body placeholders bullet by default from the master unless switched off
            bulleted = kind in ("bullet", "number") or (is_body and kind is None) or level > 0
            if bulleted:
                self.blocks.append(Block("list_item", text, page=self.number, section=self.section, level=level + 1,
                                         number=label))
            else:
                self.blocks.append(Block("paragraph", text, page=self.number, section=self.section))
