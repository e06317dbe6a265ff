"""Word DOCX files (python-docx).

The body's XML children are walked in order so paragraphs and tables stay
interleaved. Headings come from paragraph styles (Title, Heading 1..9, and
outline levels set on custom styles); list items from numbering (``w:numPr``
on the paragraph or its style) or a List style, with their level; tables
become ``table_row`` blocks with the first row as header. Text in content
controls (``w:sdt``) is read too. Core properties go into ``hints``.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

from ingest.model import Block, ParsedDocument, ParseError
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


def _heading_level(par, style) -> int | None:
    for st in _style_chain(style):
        name = (st.name or "").strip()
        if name.lower() == "title":
            return 1
        m = HEADING_STYLE_RE.match(name)
        if m:
            return int(m.group(1))
    # an outline level on the paragraph itself or its style ("w:outlineLvl" 0 = level 1)
    for el in [par._p.pPr] + [st.element.pPr for st in _style_chain(style)]:
        if el is None:
            continue
        lvl = el.find(f"{W}outlineLvl")
        if lvl is not None:
            try:
                v = int(lvl.get(f"{W}val"))
            except (TypeError, ValueError):
                continue
            if v < 9:
                return v + 1
    return None


def _list_level(par, style) -> int | None:
    """1-based list depth where the paragraph is numbered/bulleted, else None."""
    ppr = par._p.pPr
    if ppr is not None and ppr.numPr is not None:
        numid = ppr.numPr.numId
        if numid is not None and numid.val == 0:
            return None  # numbering switched off
        ilvl = ppr.numPr.ilvl
        return (ilvl.val if ilvl is not None and ilvl.val is not None else 0) + 1
    for st in _style_chain(style):
        sppr = st.element.pPr
        name = (st.name or "").lower()
        if sppr is not None and sppr.find(f"{W}numPr") is not None:
            ilvl = sppr.find(f"{W}numPr/{W}ilvl")
            if ilvl is not None:
                return int(ilvl.get(f"{W}val", 0)) + 1
            m = re.search(r"\s(\d)$", name)  # "List Bullet 2": the level is in the style's name
            return int(m.group(1)) if m else 1
        if name.startswith("list") and ("bullet" in name or "number" in name or name == "list paragraph"):
            m = re.search(r"(\d)$", name)
            return int(m.group(1)) if m else 1
    return None


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


def parse(path: Path, data: bytes) -> ParsedDocument:
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as e:
        raise ParseError(f"damaged DOCX, cannot be opened ({type(e).__name__}: {str(e)[:120]})") from e

    hints: dict = {}
    cp = document.core_properties
    for name in ("title", "subject", "author", "keywords"):
        value = (getattr(cp, name, None) or "").strip()
        if value:
            hints[name] = value
    for name in ("created", "modified"):
        value = getattr(cp, name, None)
        if value is not None:
            hints[name] = value.date().isoformat()

    warnings: list[str] = []
    styles_by_id = {}
    default_par_style = None
    try:
        for st in document.styles:
            styles_by_id[st.style_id] = st
        default_par_style = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    except Exception as e:  # noqa: BLE001 - a damaged styles part leaves us with direct formatting only
        warnings.append(f"styles could not be read ({type(e).__name__}); headings found by formatting only")

    blocks: list[Block] = []
    stack: list[tuple[int, str]] = []
    table_index = -1
    page = 1
    saw_page_break = False

    def section() -> str | None:
        return " > ".join(t for _, t in stack) or None

    # Word records where pages fell when it last saved (w:lastRenderedPageBreak): the best page numbers a
    # DOCX has. Without them, only explicit page breaks count.
    rendered = document.element.body.find(f".//{W}lastRenderedPageBreak") is not None
    break_tags = {f"{W}lastRenderedPageBreak"} if rendered else set()

    def page_breaks(el) -> tuple[int, int]:
        """(breaks before the element's first text, breaks after it) inside a paragraph or table."""
        before = after = 0
        seen_text = False
        for node in el.iter():
            tag = node.tag
            if tag == f"{W}t" and (node.text or "").strip():
                seen_text = True
            elif tag in break_tags or (not rendered and tag == f"{W}br" and node.get(f"{W}type") == "page"):
                if seen_text:
                    after += 1
                else:
                    before += 1
        return before, after

    def add_paragraph(p_el, parent) -> None:
        nonlocal page, saw_page_break
        par = Paragraph(p_el, parent)
        before, explicit = page_breaks(p_el)
        if before or explicit:
            saw_page_break = True
        page += before
        text = clean_inline(_par_text(p_el))
        if text:
            style_id = par._p.style
            style = styles_by_id.get(style_id) if style_id else default_par_style
            level = _heading_level(par, style)
            cur_page = page
            if level is not None and len(text) < 250:
                while stack and stack[-1][0] >= level:
                    stack.pop()
                number = None
                m = NUMBER_RE.match(text)
                if m and re.match(r"^\d", m.group("num")):
                    number = m.group("num").rstrip(".")
                stack.append((level, text))
                blocks.append(Block("heading", text, page=cur_page, section=section(), level=level, number=number))
            else:
                depth = _list_level(par, style)
                m = BULLET_RE.match(text)
                if depth is None and m and m.group("text").strip():
                    depth, text = 1, clean_inline(m.group("text"))
                if depth is not None:
                    nm = NUMBER_RE.match(text)
                    # "59 member countries" is not item 59: a typed number needs its "." or ")"
                    number = nm.group("num").rstrip(".") if nm and re.search(r"[.)]", nm.group("num")) else None
                    blocks.append(Block("list_item", text, page=cur_page, section=section(), level=depth,
                                        number=number))
                elif looks_like_heading(text) and (_is_bold_par(p_el) or (text.isupper() and len(text) < 70)):
                    lvl = (stack[-1][0] + 1) if stack else 1
                    while stack and stack[-1][0] >= lvl:
                        stack.pop()
                    stack.append((lvl, text))
                    blocks.append(Block("heading", text, page=cur_page, section=section(), level=lvl))
                else:
                    nm = NUMBER_RE.match(text)
                    number = None
                    if nm and re.match(r"^\d+\.\d", nm.group("num")):
                        number, text = nm.group("num").rstrip("."), clean_inline(nm.group("text"))
                    blocks.append(Block("paragraph", text, page=cur_page, section=section(), number=number))
        page += explicit

    def add_table(tbl_el, parent) -> None:
        nonlocal table_index, page, saw_page_break
        table = Table(tbl_el, parent)
        rows: list[tuple[int, list[str]]] = []  # (page, cells)
        for tr in table.rows:
            # a long table runs over pages row by row; a row split over two pages records the
            # break once in each cell, so the cells' counts are not added up
            counts = [page_breaks(tc) for tc in tr._tr.iterchildren(f"{W}tc")] or [(0, 0)]
            before, after = max(c[0] for c in counts), max(c[1] for c in counts)
            if before or after:
                saw_page_break = True
            page += before
            row_page = page
            page += after
            cells: list[str] = []
            last = None
            try:
                row_cells = tr.cells
            except Exception:  # noqa: BLE001 - irregular grids; read the raw cells
                row_cells = []
            for cell in row_cells:
                if last is not None and cell._tc is last:
                    continue  # a horizontally merged cell repeats; keep it once
                last = cell._tc
                texts = [clean_inline(_par_text(p)) for p in cell._tc.iter(f"{W}p")]
                cells.append(clean_inline(" ".join(t for t in texts if t)))
            if any(cells):
                rows.append((row_page, cells))
        if not rows:
            return
        ncols = max(len(r) for _, r in rows)
        if ncols == 1 or len(rows) == 1 and ncols <= 2:
            # a one-column table is a layout box: read it as paragraphs
            for row_page, r in rows:
                for c in r:
                    if c:
                        blocks.append(Block("paragraph", c, page=row_page, section=section()))
            return
        table_index += 1
        header = rows[0][1]
        for row_page, r in rows:
            blocks.append(Block("table_row", " | ".join(r), page=row_page, section=section(), cells=r,
                                header=header, table=table_index))

    def walk(container_el, parent) -> None:
        for child in container_el.iterchildren():
            tag = child.tag
            if tag == f"{W}p":
                add_paragraph(child, parent)
            elif tag == f"{W}tbl":
                add_table(child, parent)
            elif tag in (f"{W}sdt", f"{W}customXml"):
                content = child.find(f"{W}sdtContent") if tag == f"{W}sdt" else child
                if content is not None:
                    walk(content, parent)

    walk(document.element.body, document)
    if not saw_page_break:
        for b in blocks:
            b.page = None
    title = hints.get("title") or next((b.text for b in blocks if b.kind == "heading"), None)
    pages = page if saw_page_break else None
    if not blocks:
        warnings.append("no text in document body")
    return ParsedDocument(format="docx", blocks=blocks, title=title, pages=pages, hints=hints, warnings=warnings)
