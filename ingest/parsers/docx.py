"""Word DOCX files (python-docx).

The body's XML children are walked in order so paragraphs and tables stay
interleaved. Headings come from paragraph styles (Title, Heading 1..9, and
outline levels set on custom styles); list items from numbering (``w:numPr``
on the paragraph or its style) or a List style, with their level; tables
become ``table_row`` blocks with the first row as header. Text in content
controls (``w:sdt``) is read too. Core properties go into ``hints``.
"""
from __future__ import annotations

import contextlib
import io
import re
import zipfile
from pathlib import Path

from ingest.model import MAX_BLOCKS, Block, ParsedDocument, ParseError
from ingest.parsers.office import core_hints
from ingest.textblocks import BULLET_RE, NUMBER_RE, clean_inline, looks_like_heading

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
HEADING_STYLE_RE = re.compile(r"^(?:heading|überschrift|titre)\s*(\d)$", re.IGNORECASE)


def _style_chain(style):
    seen = 0
    while style is not None and seen < 10:
        yield style
        style = style.base_style
        seen += 1


def _int(value, default: int | None = None) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _style_facts(style) -> dict:
    """What a paragraph style (with the styles it is based on) says about its paragraphs: heading level
    by name, outline level, list level, numbering. Worked out once per style, not once per paragraph
    (a DOCX of 100,000 paragraphs spent most of its 27 s walking style chains)."""
    facts: dict = {"name_level": None, "outline_level": None, "list_level": None, "num_ref": (None, None)}
    chain = list(_style_chain(style))
    for st in chain:
        name = (st.name or "").strip()
        m = HEADING_STYLE_RE.match(name)
        if name.lower() == "title" or m:
            facts["name_level"] = 1 if name.lower() == "title" else int(m.group(1))
            break
    for st in chain:
        lvl = st.element.pPr.find(f"{W}outlineLvl") if st.element.pPr is not None else None
        v = _int(lvl.get(f"{W}val")) if lvl is not None else None
        if v is not None and v < 9:
            facts["outline_level"] = v + 1
            break
    for st in chain:
        sppr = st.element.pPr
        name = (st.name or "").lower()
        if sppr is not None and sppr.find(f"{W}numPr") is not None:
            ilvl = sppr.find(f"{W}numPr/{W}ilvl")
            m = re.search(r"\s(\d)$", name)  # "List Bullet 2": the level is in the style's name
            facts["list_level"] = (_int(ilvl.get(f"{W}val", 0), 0) + 1 if ilvl is not None
                                   else int(m.group(1)) if m else 1)
            break
        if name.startswith("list") and ("bullet" in name or "number" in name or name == "list paragraph"):
            m = re.search(r"(\d)$", name)
            facts["list_level"] = int(m.group(1)) if m else 1
            break
    for st in chain:
        sppr = st.element.pPr
        num = sppr.find(f"{W}numPr/{W}numId") if sppr is not None else None
        if num is not None:
            ilvl = sppr.find(f"{W}numPr/{W}ilvl")
            facts["num_ref"] = (num.get(f"{W}val"), _int(ilvl.get(f"{W}val", 0), 0) if ilvl is not None else None)
            break
    return facts


def _own_numbering(p_el) -> tuple[bool, str | None, int | None] | None:
    """The paragraph's own w:numPr: (present, numId, ilvl), None where it has none."""
    ppr = p_el.find(f"{W}pPr")
    numpr = ppr.find(f"{W}numPr") if ppr is not None else None
    if numpr is None:
        return None
    num, ilvl = numpr.find(f"{W}numId"), numpr.find(f"{W}ilvl")
    return True, (num.get(f"{W}val") if num is not None else None), (_int(ilvl.get(f"{W}val")) if ilvl is not None
                                                                     else None)


def _heading_level(p_el, facts: dict) -> int | None:
    if facts["name_level"] is not None:
        return facts["name_level"]
    # an outline level on the paragraph itself or its style ("w:outlineLvl" 0 = level 1)
    ppr = p_el.find(f"{W}pPr")
    lvl = ppr.find(f"{W}outlineLvl") if ppr is not None else None
    v = _int(lvl.get(f"{W}val")) if lvl is not None else None
    if v is not None and v < 9:
        return v + 1
    return facts["outline_level"]


def _list_level(p_el, facts: dict) -> int | None:
    """1-based list depth where the paragraph is numbered/bulleted, else None."""
    own = _own_numbering(p_el)
    if own is not None:
        if own[1] is not None and _int(own[1]) == 0:
            return None  # numbering switched off
        return (own[2] or 0) + 1
    return facts["list_level"]


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
                           (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out += letters
            n -= value
    return out


def _letters(n: int) -> str:
    # Word repeats the letter past z: 27 -> "aa"
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else ""


def _format_number(n: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


class _Numbering:
    """Word's automatic list numbers ("2.1", "(a)"), which are not in the paragraph text.

    Reads numbering.xml: list instances (w:num) point at definitions (w:abstractNum) whose levels
    give a start value, a format and a pattern ("%1.%2"). Counters are kept per definition, as Word
    continues a list across instances unless an instance overrides the start.
    """

    def __init__(self, document) -> None:
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId -> (abstractNumId, start overrides)
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # abstractNumId -> ilvl -> (start, fmt, text)
        self.style_levels: dict[tuple[str, str], int] = {}  # (abstractNumId, styleId) -> ilvl
        self.counters: dict[str, list[int]] = {}
        self.restarted: set[str] = set()
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        for absn in root.findall(f"{W}abstractNum"):
            aid = absn.get(f"{W}abstractNumId")
            levels = {}
            for lvl in absn.findall(f"{W}lvl"):
                try:
                    ilvl = int(lvl.get(f"{W}ilvl", "0"))
                    start_el = lvl.find(f"{W}start")
                    start = int(start_el.get(f"{W}val")) if start_el is not None else 1
                except (TypeError, ValueError):
                    continue
                fmt_el, text_el, style_el = lvl.find(f"{W}numFmt"), lvl.find(f"{W}lvlText"), lvl.find(f"{W}pStyle")
                fmt = fmt_el.get(f"{W}val", "decimal") if fmt_el is not None else "decimal"
                pattern = text_el.get(f"{W}val", "") if text_el is not None else ""
                levels[ilvl] = (start, fmt, pattern)
                if style_el is not None:
                    self.style_levels[(aid, style_el.get(f"{W}val"))] = ilvl
            self.levels[aid] = levels
        for num in root.findall(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            if ref is None:
                continue
            overrides = {}
            for ov in num.findall(f"{W}lvlOverride"):
                so = ov.find(f"{W}startOverride")
                if so is not None:
                    with contextlib.suppress(TypeError, ValueError):
                        overrides[int(ov.get(f"{W}ilvl", "0"))] = int(so.get(f"{W}val"))
            self.nums[num.get(f"{W}numId")] = (ref.get(f"{W}val"), overrides)

    def label(self, num_id: str | None, ilvl: int | None, style_id: str | None = None) -> str | None:
        """Advance the list and return the paragraph's number as Word shows it; None for bullets."""
        if not num_id or num_id not in self.nums:
            return None
        aid, overrides = self.nums[num_id]
        levels = self.levels.get(aid) or {}
        if ilvl is None:
            ilvl = self.style_levels.get((aid, style_id), 0)
        if ilvl not in levels:
            return None
        counters = self.counters.setdefault(aid, [levels[i][0] - 1 if i in levels else 0 for i in range(9)])
        if num_id not in self.restarted:
            self.restarted.add(num_id)
            for lvl, start in overrides.items():
                if 0 <= lvl < 9:
                    counters[lvl] = start - 1
        counters[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = levels[deeper][0] - 1 if deeper in levels else 0
        start, fmt, pattern = levels[ilvl]
        if fmt in ("bullet", "none") or not pattern:
            return None

        def sub(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            if k not in levels:
                return ""
            return _format_number(max(counters[k], levels[k][0]), levels[k][1])

        return re.sub(r"%(\d)", sub, pattern).strip() or None


def _num_ref(p_el, facts: dict) -> tuple[str | None, int | None]:
    """(numId, ilvl) of a numbered paragraph, from its own properties or its style's; ilvl None if unstated."""
    own = _own_numbering(p_el)
    if own is not None and own[1] is not None:
        return str(_int(own[1], own[1])), own[2]
    return facts["num_ref"]


MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _par_text(p_el) -> str:
    """Text of a w:p, including hyperlinks, smart tags, field results and text boxes; tabs and breaks as spaces.

    A text box is stored twice (DrawingML and a VML fallback inside mc:AlternateContent): the
    fallback is skipped so its text is not read twice.
    """
    parts: list[str] = []

    def visit(el) -> None:
        for child in el.iterchildren():
            tag = child.tag
            if tag == MC_FALLBACK:
                continue
            if tag == f"{W}t":
                parts.append(child.text or "")
            elif tag in (f"{W}tab", f"{W}br", f"{W}cr"):
                parts.append(" ")
            elif tag == f"{W}noBreakHyphen":
                parts.append("-")
            elif tag == f"{W}sym":
                parts.append("•")
            elif tag == f"{W}p":
                parts.append(" ")  # a paragraph inside a text box
                visit(child)
                parts.append(" ")
            elif isinstance(tag, str):
                visit(child)

    visit(p_el)
    return "".join(parts)


def _is_bold_par(p_el) -> bool:
    runs = [r for r in p_el.iter(f"{W}r") if "".join(t.text or "" for t in r.iter(f"{W}t")).strip()]
    if not runs:
        return False
    for r in runs:
        rpr = r.find(f"{W}rPr")
        b = rpr.find(f"{W}b") if rpr is not None else None
        if b is None or b.get(f"{W}val") in ("0", "false"):
            return False
    return True


PARAGRAPH_TAG_RE = re.compile(rb"<(?:\w+:)?p[\s>/]")


def _refuse_outsized(data: bytes) -> None:
    """Count the body's paragraphs in the XML before python-docx builds them (a DOCX of 100,000 empty
    paragraphs packs into 300 KB): more than MAX_BLOCKS is refused at once."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z, z.open("word/document.xml") as fh:
            count, buf = 0, b""
            while chunk := fh.read(1 << 20):
                buf += chunk
                cut = buf.rfind(b"<")  # no tag spans the cut: each starts with "<"
                count += len(PARAGRAPH_TAG_RE.findall(buf, 0, max(cut, 0)))
                buf = buf[max(cut, 0):]
                if count > MAX_BLOCKS:
                    raise ParseError(f"refused: over {MAX_BLOCKS:,} paragraphs, more than a paper holds; split the file")
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return  # python-docx says what is wrong with it


def parse(path: Path, data: bytes) -> ParsedDocument:
    """A DOCX as blocks: its body's paragraphs and tables read in order, with the pages Word recorded."""
    import docx

    _refuse_outsized(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as e:
        raise ParseError(f"damaged DOCX, cannot be opened ({type(e).__name__}: {str(e)[:120]})") from e

    hints = core_hints(document.core_properties, ("title", "subject", "author", "keywords"))
    warnings: list[str] = []
    reader = _BodyReader(document, warnings)
    reader.walk(document.element.body, document)
    blocks = reader.blocks
    if not reader.saw_page_break:
        for b in blocks:
            b.page = None
    title = hints.get("title") or next((b.text for b in blocks if b.kind == "heading"), None)
    pages = reader.page if reader.saw_page_break else None
    if not blocks:
        warnings.append("no text in document body")
    return ParsedDocument(format="docx", blocks=blocks, title=title, pages=pages, hints=hints, warnings=warnings)


class _BodyReader:
    """The document's body read in order: the blocks so far, the heading path (`stack`), the page reached,
    whether any page break was seen, the index of the last table, and each style's facts (read once)."""

    def __init__(self, document, warnings: list[str]) -> None:
        from docx.enum.style import WD_STYLE_TYPE

        self.styles_by_id = {}
        self.facts_by_style: dict[str | None, dict] = {}
        self.default_par_style = None
        try:
            for st in document.styles:
                self.styles_by_id[st.style_id] = st
            self.default_par_style = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
        except Exception as e:
            warnings.append(f"styles could not be read ({type(e).__name__}); headings found by formatting only")
        self.numbering = _Numbering(document)
        self.blocks: list[Block] = []
        self.stack: list[tuple[int, str]] = []
        self.table_index = -1
        self.page = 1
        self.saw_page_break = False
        # Word records where pages fell when it last saved (w:lastRenderedPageBreak): the best page numbers a
        # DOCX has. Without them, only explicit page breaks count.
        self.rendered = document.element.body.find(f".//{W}lastRenderedPageBreak") is not None
        self.break_tags = {f"{W}lastRenderedPageBreak"} if self.rendered else set()

    def section(self) -> str | None:
        """The heading path the next block sits under."""
        return " > ".join(t for _, t in self.stack) or None

    def walk(self, container_el, parent) -> None:
        """A container's children in order: paragraphs, tables, and the content of content controls."""
        for child in container_el.iterchildren():
            tag = child.tag
            if tag == f"{W}p":
                self.add_paragraph(child, parent)
            elif tag == f"{W}tbl":
                self.add_table(child, parent)
            elif tag in (f"{W}sdt", f"{W}customXml"):
                content = child.find(f"{W}sdtContent") if tag == f"{W}sdt" else child
                if content is not None:
                    self.walk(content, parent)

    def page_breaks(self, el) -> tuple[int, int]:
        """(breaks before the element's first text, breaks after it) inside a paragraph or table."""
        before = after = 0
        seen_text = False
        for node in el.iter():
            tag = node.tag
            if tag == f"{W}t" and (node.text or "").strip():
                seen_text = True
            elif tag in self.break_tags or (not self.rendered and tag == f"{W}br" and node.get(f"{W}type") == "page"):
                if seen_text:
                    after += 1
                else:
                    before += 1
        return before, after

    def style_of(self, par):
        """(style, facts): the paragraph's style (else the default paragraph style) and what it says."""
        style_id = par._p.style
        style = self.styles_by_id.get(style_id) if style_id else self.default_par_style
        key = style.style_id if style is not None else None
        if key not in self.facts_by_style:
            self.facts_by_style[key] = _style_facts(style)
        return style, self.facts_by_style[key]

    def add_paragraph(self, p_el, parent) -> None:
        """A paragraph, on the page its breaks put it: a heading by its style or outline level, else a list
        item, a heading by formatting, or a paragraph (`body_paragraph`). Word's own numbering gives its number."""
        from docx.text.paragraph import Paragraph

        par = Paragraph(p_el, parent)
        before, explicit = self.page_breaks(p_el)
        if before or explicit:
            self.saw_page_break = True
        self.page += before
        text = clean_inline(_par_text(p_el))
        style, facts = self.style_of(par)
        num_id, ilvl = _num_ref(p_el, facts)
        auto = self.numbering.label(num_id, ilvl, style.style_id if style is not None else None) if num_id else None
        auto = auto.rstrip(".") if auto else None
        if text:
            level = _heading_level(p_el, facts)
            if level is not None and len(text) < 250:
                while self.stack and self.stack[-1][0] >= level:
                    self.stack.pop()
                number = auto
                m = NUMBER_RE.match(text)
                if number is None and m and re.match(r"^\d", m.group("num")):
                    number = m.group("num").rstrip(".")
                self.stack.append((level, text))
                self.blocks.append(Block("heading", text, page=self.page, section=self.section(), level=level,
                                         number=number))
            else:
                self.body_paragraph(p_el, facts, text, auto)
        self.page += explicit

    def body_paragraph(self, p_el, facts: dict, text: str, auto: str | None) -> None:
        """A paragraph not styled as a heading: a list item (by numbering, a List style or a typed bullet), a
        heading by formatting (a short title-like line in bold or capitals, one level below the last), or a
        paragraph (a typed "6.1" is its number)."""
        depth = _list_level(p_el, facts)
        m = BULLET_RE.match(text)
        if depth is None and m and m.group("text").strip():
            depth, text = 1, clean_inline(m.group("text"))
        if depth is not None:
            nm = NUMBER_RE.match(text)
            # "59 member countries" is not item 59: a typed number needs its "." or ")"
            number = nm.group("num").rstrip(".") if nm and re.search(r"[.)]", nm.group("num")) else None
            number = auto or number
            self.blocks.append(Block("list_item", text, page=self.page, section=self.section(), level=depth,
                                     number=number))
        elif looks_like_heading(text) and (_is_bold_par(p_el) or (text.isupper() and len(text) < 70)):
            lvl = (self.stack[-1][0] + 1) if self.stack else 1
            while self.stack and self.stack[-1][0] >= lvl:
                self.stack.pop()
            self.stack.append((lvl, text))
            self.blocks.append(Block("heading", text, page=self.page, section=self.section(), level=lvl))
        else:
            nm = NUMBER_RE.match(text)
            number = None
            if nm and re.match(r"^\d+\.\d", nm.group("num")):
                number, text = nm.group("num").rstrip("."), clean_inline(nm.group("text"))
            self.blocks.append(Block("paragraph", text, page=self.page, section=self.section(), number=number))

    def add_table(self, tbl_el, parent) -> None:
        """A table: its rows as table rows under the first row; a one-column table (or a single row of one or
        two cells) is a layout box, read as paragraphs."""
        from docx.table import Table

        rows = self.table_rows(Table(tbl_el, parent))
        if not rows:
            return
        ncols = max(len(r) for _, r in rows)
        if ncols == 1 or (len(rows) == 1 and ncols <= 2):
            # a one-column table is a layout box: read it as paragraphs
            for row_page, r in rows:
                for c in r:
                    if c:
                        self.blocks.append(Block("paragraph", c, page=row_page, section=self.section()))
            return
        self.table_index += 1
        header = rows[0][1]
        for row_page, r in rows:
            self.blocks.append(Block("table_row", " | ".join(r), page=row_page, section=self.section(), cells=r,
                                     header=header, table=self.table_index))

    def table_rows(self, table) -> list[tuple[int, list[str]]]:
        """(page, cells) of each row holding text; a merged cell's text once. A long table runs over pages
        row by row; a row split over two pages records the break once in each cell, so the cells' counts
        are not added up."""
        rows: list[tuple[int, list[str]]] = []
        for tr in table.rows:
            counts = [self.page_breaks(tc) for tc in tr._tr.iterchildren(f"{W}tc")] or [(0, 0)]
            before, after = max(c[0] for c in counts), max(c[1] for c in counts)
            if before or after:
                self.saw_page_break = True
            self.page += before
            row_page = self.page
            self.page += after
            cells: list[str] = []
            last = None
            try:
                row_cells = tr.cells
            except Exception:
                row_cells = []
            for cell in row_cells:
                if last is not None and cell._tc is last:
                    continue  # a horizontally merged cell repeats; keep it once
                last = cell._tc
                texts = [clean_inline(_par_text(p)) for p in cell._tc.iter(f"{W}p")]
                cells.append(clean_inline(" ".join(t for t in texts if t)))
            if any(cells):
                rows.append((row_page, cells))
        return rows
