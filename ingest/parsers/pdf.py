"""PDF files (pdfplumber, with pypdfium2 for speed and as a fallback).

Per page: ruled tables (``page.find_tables()``) become ``table_row`` blocks and
their region is cut out of the running text; the remaining characters are
grouped into lines, two-column pages are read column by column, wrapped lines
are joined into logical lines (paragraph ends found from vertical gaps, short
lines, bullets, numbers and bold changes), and those go through
:func:`ingest.textblocks.lines_to_blocks` with the heading path carried across
pages; bold or large short lines are headings. Over the whole document: running
headers/footers (lines repeating at the top or bottom of at least half the
pages, digits normalised, page numbers) are removed, words hyphenated across
line ends are mended, ligatures and private-use bullet glyphs are normalised,
a sentence running over a page break stays in one block.

Speed: pdfminer's interpreter (under pdfplumber) costs about 0.1 s a page. Pages
that draw no ruling lines cannot hold a table for pdfplumber's finder, so their
lines come from pdfium instead (about ten times faster, same text); pages that
may hold a table go through pdfplumber (``FAST_TEXT = False`` reads every page
with pdfplumber). Files pdfminer cannot open at all are read as plain text with
pdfium, with a warning. Every failure is a :class:`ParseError` with a reason.
"""
from __future__ import annotations

import contextlib
import io
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ingest.model import Block, NoText, ParsedDocument, ParseError
from ingest.textblocks import NUMBER_RE, clean_inline, lines_to_blocks

# ligatures and presentation forms (NFKC on those only), Symbol/Wingdings bullets from Word exports
CHAR_MAP = {c: unicodedata.normalize("NFKC", c) for c in "\ufb00\ufb01\ufb02\ufb03\ufb04\ufb05\ufb06"}
CHAR_MAP.update({"\uf0b7": "•", "\uf0a7": "▪", "\uf0d8": "➢", "\uf076": "❖", "\uf0fc": "✓", "\uf0a8": "□",
                 "\u00ad": "-", "\u2010": "-", "\u2011": "-", "\u00a0": " "})
CHAR_TABLE = str.maketrans(CHAR_MAP)

HEADER_ZONE = 0.14  # fraction of the page height counted as top/bottom margin
EDGE_LINES = 3  # how many lines at each end of a page may be running header/footer
HYPHEN_END_RE = re.compile(r"(?P<word>[A-Za-z]+)-$")
NEXT_WORD_RE = re.compile(r"^(?P<word>[a-z][a-z]*)")
# fragments that form real compounds: keep the hyphen when the line breaks after them
COMPOUND_PREFIXES = {
    "multi", "non", "co", "cross", "self", "well", "long", "short", "high", "low", "pre", "post", "anti", "semi",
    "inter", "ex", "re", "sub", "over", "under", "part", "full", "year", "day", "face", "one", "two", "three",
    "four", "five", "six", "all", "half", "mid", "early", "late", "cost", "value", "evidence", "person", "family",
    "child", "young", "need", "risk", "trauma", "strengths", "solution", "place", "hard", "front", "back",
    "on", "off", "in", "out", "up", "down", "step", "follow", "check", "sign", "take", "drop", "walk", "joined",
}
DIGITS_RE = re.compile(r"\d+")
PAGE_NO_RE = re.compile(r"^(?:page\s*)?#(?:\s*(?:of|/)\s*#)?$", re.IGNORECASE)


@dataclass
class Line:
    text: str
    top: float
    bottom: float
    bold: bool = False
    size: float = 0.0
    x0: float = 0.0
    x1: float = 0.0
    col: int = 0  # column (0 = left or only, 1 = right)


@dataclass
class PageItems:
    number: int
    height: float
    lines: list[Line] = field(default_factory=list)
    # (top, rows) for each table on the page, rows already cleaned
    tables: list[tuple[float, list[list[str]]]] = field(default_factory=list)
    columns: int = 1


CID_RE = re.compile(r"\(cid:\d+\)")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffd\ufffe]")


def normalise(text: str) -> str:
    """Ligatures and bullet glyphs to plain characters; an unmapped glyph "(cid:N)" opening a line is a bullet."""
    text = text.translate(CHAR_TABLE)
    if "(cid:" in text:
        stripped = text.lstrip()
        m = CID_RE.match(stripped)
        if m:
            text = "•" + stripped[m.end():]
        text = CID_RE.sub("", text)
    # glyphs from fonts without a Unicode map come out as control characters
    text = CONTROL_RE.sub("", text.replace("\x02", "-"))
    return text


def _edge_key(text: str) -> str:
    return re.sub(r"\s+", " ", DIGITS_RE.sub("#", text)).strip().lower()


def _pdf_date(raw) -> str | None:
    if isinstance(raw, bytes):
        raw = raw.decode("latin-1", "replace")
    if not isinstance(raw, str):
        return None
    m = re.match(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?", raw.strip())
    if not m:
        return None
    try:
        y, mo, d = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
        return date(y, mo, d).isoformat()
    except ValueError:
        return None


def _meta_str(value) -> str | None:
    if isinstance(value, bytes):
        for enc in ("utf-16", "utf-8", "latin-1"):
            try:
                value = value.decode(enc)
                break
            except UnicodeDecodeError:
                continue
    if not isinstance(value, str):
        return None
    value = normalise(value).replace("\x00", "").strip()
    return value or None


def _clean_title(title: str | None) -> str | None:
    if not title:
        return None
    t = re.sub(r"^Microsoft (?:Word|PowerPoint|Excel) - ", "", title).strip()
    t = re.sub(r"\.(?:docx?|pptx?|xlsx?|pdf|rtf)$", "", t, flags=re.IGNORECASE).strip()
    generic = {"untitled", "title", "document", "presentation", "slide 1", "minutes", "agenda", "report",
               "the report", "cover report", "report template", "committee report", "template", "draft", "pdf"}
    if not t or t.lower().strip(" .:") in generic or len(t) < 3:
        return None  # a template's placeholder title says nothing about this document
    if re.fullmatch(r"[\w\-. ]*\d[\w\-.]*", t) and " " not in t:  # a file name or reference like "Doc1"
        return None
    return t


def _is_bold(chars: list[dict]) -> bool:
    letters = [c for c in chars if c.get("text", "").strip()]
    if not letters:
        return False
    bold = sum(1 for c in letters if re.search(r"bold|black|heavy|semibold", str(c.get("fontname", "")), re.IGNORECASE))
    return bold >= 0.9 * len(letters)


def _clean_cell(cell) -> str:
    if cell is None:
        return ""
    lines = [normalise(x).strip() for x in str(cell).split("\n")]
    out = ""
    for ln in lines:
        if not ln:
            continue
        if out.endswith("-") and re.search(r"[a-z]-$", out) and re.match(r"[a-z]", ln):
            frag = re.search(r"([A-Za-z]+)-$", out).group(1).lower()
            out = out + ln if frag in COMPOUND_PREFIXES else out[:-1] + ln
        else:
            out = f"{out} {ln}" if out else ln
    return clean_inline(out)


def _read_page(page, number: int, warnings: list[str]) -> PageItems:
    items = PageItems(number=number, height=float(page.height or 1))
    if not page.chars:
        warnings.append(f"page {number}: no text layer (needs OCR)")
        return items
    bboxes = []
    try:
        tables = page.find_tables()
    except Exception as e:
        warnings.append(f"page {number}: table detection failed ({type(e).__name__})")
        tables = []
    for t in tables:
        try:
            rows = [[_clean_cell(c) for c in row] for row in t.extract()]
        except Exception as e:
            warnings.append(f"page {number}: a table could not be read ({type(e).__name__})")
            continue
        rows = [r for r in rows if any(r)]
        if not rows:
            continue
        ncols = max(len(r) for r in rows)
        nonempty_cols = sum(1 for i in range(ncols) if any(i < len(r) and r[i] for r in rows))
        if nonempty_cols < 2 or len(rows) < 2:
            continue  # a boxed paragraph or a one-line banner: leave it in the running text
        # drop columns that are empty in every row (artefacts of merged cells)
        keep = [i for i in range(ncols) if any(i < len(r) and r[i] for r in rows)]
        rows = [[r[i] if i < len(r) else "" for i in keep] for r in rows]
        items.tables.append((float(t.bbox[1]), rows))
        bboxes.append(t.bbox)
    src = page
    if bboxes:
        def outside(obj, boxes=tuple(bboxes)) -> bool:
            if obj.get("object_type") != "char":
                return True
            cx = (obj["x0"] + obj["x1"]) / 2
            cy = (obj["top"] + obj["bottom"]) / 2
            return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

        src = page.filter(outside)
    gutter = _column_gutter(src, float(page.width or 0), items.height)
    if gutter is None:
        regions = [src]
    else:
        x0, top, x1, bottom = src.bbox
        regions = [src.crop((x0, top, gutter, bottom)), src.crop((gutter, top, x1, bottom))]
        items.columns = 2
    for col, region in enumerate(regions):
        region_lines: list[Line] = []
        for ln in region.extract_text_lines(strip=True, return_chars=True):
            text = normalise(ln["text"]).strip()
            if not text:
                continue
            chars = ln.get("chars") or []
            size = max((c.get("size", 0) for c in chars), default=0)
            region_lines.append(Line(text, float(ln["top"]), float(ln["bottom"]), _is_bold(chars), float(size),
                                     float(ln["x0"]), float(ln["x1"]), col))
        region_lines.sort(key=lambda x: x.top)
        items.lines.extend(region_lines)  # two columns: the left one is read before the right one
    return items


class _CharView:
    """The little of a pdfplumber page that _column_gutter reads, over characters from pdfium."""

    def __init__(self, chars: list[dict]) -> None:
        self.chars = chars


def _may_hold_table(page) -> bool:
    """Whether a pdfium page draws enough ruling (lines, boxes) for pdfplumber's table finder to matter."""
    import pypdfium2.raw as pdfium_c

    xs: set[int] = set()
    ys: set[int] = set()
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=4):
        if pdfium_c.FPDFPath_CountSegments(obj.raw) > 6:
            return True  # a grid drawn as one path
        left, bottom, right, top = obj.get_bounds()
        w, h = right - left, top - bottom
        if w < 3 and h > 5:
            xs.add(round(left))
        elif h < 3 and w > 5:
            ys.add(round(bottom))
        elif w >= 3 and h >= 3:
            xs.update((round(left), round(right)))
            ys.update((round(bottom), round(top)))
        if len(xs) >= 3 and len(ys) >= 2:
            return True
    return False


def _read_page_pdfium(page, number: int, warnings: list[str]) -> PageItems:
    """Lines of a page without tables, from pdfium: about ten times faster than pdfminer's interpreter.

    pdfium marks line ends with generated CR/LF characters; each run between them is a line, its box
    the union of its characters' font boxes (the same boxes pdfplumber uses), top measured from the
    top of the media box.
    """
    import ctypes

    import pypdfium2.raw as pdfium_c

    left_mb, bottom_mb, right_mb, top_mb = page.get_mediabox()
    height = float(top_mb - bottom_mb)
    items = PageItems(number=number, height=height)
    textpage = page.get_textpage()
    try:
        raw = textpage.raw
        rect = pdfium_c.FS_RECTF()
        ox, oy = ctypes.c_double(), ctypes.c_double()
        matrix = pdfium_c.FS_MATRIX()
        name = ctypes.create_string_buffer(128)
        flags = ctypes.c_int()
        segments: list[list[tuple[str, tuple[float, float, float, float, int] | None]]] = []
        cur: list = []
        for i in range(textpage.count_chars()):
            code = pdfium_c.FPDFText_GetUnicode(raw, i)
            if code in (10, 13):
                if cur:
                    segments.append(cur)
                    cur = []
                continue
            ch = chr(code) if code else ""
            if not ch.strip():
                cur.append((" ", None))
                continue
            # horizontal extent from the glyph's advance box; vertical from baseline and font size, as
            # pdfminer computes it (bottom = baseline + 0.2 size below, top = one size above that)
            pdfium_c.FPDFText_GetLooseCharBox(raw, i, rect)
            pdfium_c.FPDFText_GetCharOrigin(raw, i, ctypes.byref(ox), ctypes.byref(oy))
            size = pdfium_c.FPDFText_GetFontSize(raw, i)
            if pdfium_c.FPDFText_GetMatrix(raw, i, matrix):  # Tf size times the text matrix's vertical scale
                size *= (matrix.b * matrix.b + matrix.d * matrix.d) ** 0.5
            if size <= 0.5:
                size = rect.top - rect.bottom
            bottom = top_mb - oy.value + 0.2 * size
            box = (rect.left, rect.right, bottom - size, bottom, i)
            last = next((b for _, b in reversed(cur) if b), None)
            if last is not None and abs(box[2] - last[2]) > 0.5 * max(last[3] - last[2], 1.0):
                segments.append(cur)  # pdfium runs a hyphenated word on over the line end: split it here
                cur = []
            elif cur and cur[-1][1] is not None and box[0] - cur[-1][1][1] > 0.1 * max(box[3] - box[2], 1.0):
                cur.append((" ", None))  # a gap without a space character ("1.1" then "On"), as pdfplumber reads it
            cur.append((ch, box))
        if cur:
            segments.append(cur)

        def bold_at(k: int) -> bool:
            pdfium_c.FPDFText_GetFontInfo(raw, k, name, 128, ctypes.byref(flags))
            font = name.value.decode("latin-1", "replace")
            return bool(re.search(r"bold|black|heavy|semibold", font, re.IGNORECASE)) or pdfium_c.FPDFText_GetFontWeight(
                raw, k) >= 600

        chars: list[dict] = []
        for seg in segments:
            boxes = [box for _, box in seg if box]
            if not boxes:
                continue
            text = normalise("".join(c for c, _ in seg)).strip()
            if not text:
                continue
            first = boxes[0][4]
            bold = bold_at(first) and bold_at(boxes[len(boxes) // 2][4]) and bold_at(boxes[-1][4])
            items.lines.append(Line(text, min(b[2] for b in boxes), max(b[3] for b in boxes), bold,
                                    max(b[3] - b[2] for b in boxes),
                                    min(b[0] for b in boxes) - left_mb, max(b[1] for b in boxes) - left_mb))
            chars.extend({"x0": b[0] - left_mb, "x1": b[1] - left_mb, "top": b[2], "bottom": b[3], "text": "x"}
                         for b in boxes)
    finally:
        textpage.close()
    if not items.lines:
        warnings.append(f"page {number}: no text layer (needs OCR)")
        return items
    gutter = _column_gutter(_CharView(chars), float(right_mb - left_mb), height)
    if gutter is not None:
        for ln in items.lines:
            ln.col = 0 if ln.x0 < gutter else 1
        items.columns = 2
    items.lines.sort(key=lambda ln: (ln.col, ln.top, ln.x0))
    return items


def _column_gutter(page, width: float, height: float) -> float | None:
    """x of the gap between two text columns, or None for a single-column page.

    Looks at the body (the top and bottom 12% are left out, for running heads and
    page numbers) in 2-point bins over the middle of the page: a run of bins at
    least 9 points wide with (almost) no characters, with a good share of the
    text on each side of it, and lines on both sides at the same heights.
    """
    if width <= 0:
        return None
    chars = [c for c in page.chars if c.get("text", "").strip()
             and height * 0.12 < c["top"] < height * 0.88]
    if len(chars) < 200:
        return None
    nbins = int(width // 2) + 1
    counts = [0] * nbins
    for c in chars:
        for b in range(max(0, int(c["x0"] // 2)), min(nbins, int(c["x1"] // 2) + 1)):
            counts[b] += 1
    lo, hi = int(width * 0.3 // 2), int(width * 0.7 // 2)
    allowed = len(chars) * 0.003
    best: tuple[int, int] | None = None
    start = None
    for b in range(lo, hi + 1):
        if counts[b] <= allowed:
            if start is None:
                start = b
        else:
            if start is not None and (best is None or b - start > best[1] - best[0]):
                best = (start, b)
            start = None
    if start is not None and (best is None or hi + 1 - start > best[1] - best[0]):
        best = (start, hi + 1)
    if best is None or (best[1] - best[0]) * 2 < 9:
        return None
    x = (best[0] + best[1])  # bins are 2 points wide: the middle of the run in points
    left = [c for c in chars if c["x1"] <= x]
    right = [c for c in chars if c["x0"] >= x]
    if min(len(left), len(right)) < 0.25 * len(chars):
        return None
    for side in (left, right):
        alnum = [c["text"] for c in side if c["text"].isalnum()]
        if not alnum or sum(ch.isdigit() for ch in alnum) > 0.25 * len(alnum):
            return None  # figures beside labels: an unruled table, read across, not down
    # both columns must have text at the same heights (a side-bar label is not a column)
    left_rows = {round(c["top"] / 4) for c in left}
    right_rows = {round(c["top"] / 4) for c in right}
    if len(left_rows & right_rows) < 0.3 * min(len(left_rows), len(right_rows)):
        return None
    body = height * 0.76
    for side in (left, right):
        if max(c["top"] for c in side) - min(c["top"] for c in side) < 0.4 * body:
            return None  # a small two-part block (contact details), not page columns
    return float(x)


def _remove_running_lines(pages: list[PageItems]) -> None:
    """Drop lines repeating at the top or bottom of >= half the pages (digits normalised)."""
    with_text = [p for p in pages if p.lines]
    if len(with_text) < 2:
        return
    need = max(2, math.ceil(0.5 * len(with_text)))
    top_counts: Counter = Counter()
    bottom_counts: Counter = Counter()
    def edges(p: PageItems) -> tuple[list[int], list[int]]:
        """Indexes of the first and last EDGE_LINES lines by position (columns may reorder p.lines)."""
        order = sorted(range(len(p.lines)), key=lambda i: p.lines[i].top)
        by_bottom = sorted(range(len(p.lines)), key=lambda i: p.lines[i].bottom)
        return order[:EDGE_LINES], by_bottom[-EDGE_LINES:]

    for p in with_text:
        limit_top, limit_bottom = p.height * HEADER_ZONE, p.height * (1 - HEADER_ZONE)
        first, last = edges(p)
        top_counts.update({_edge_key(p.lines[i].text) for i in first if p.lines[i].top <= limit_top})
        bottom_counts.update({_edge_key(p.lines[i].text) for i in last if p.lines[i].bottom >= limit_bottom})
    run_top = {k for k, n in top_counts.items() if n >= need}
    run_bottom = {k for k, n in bottom_counts.items() if n >= need}
    for p in with_text:
        limit_top, limit_bottom = p.height * HEADER_ZONE, p.height * (1 - HEADER_ZONE)
        first, last = edges(p)
        drop = {i for i in first if p.lines[i].top <= limit_top and _edge_key(p.lines[i].text) in run_top}
        for i in last:
            key = _edge_key(p.lines[i].text)
            if p.lines[i].bottom >= limit_bottom and (key in run_bottom or PAGE_NO_RE.match(key)):
                drop.add(i)
        if drop:
            p.lines = [ln for i, ln in enumerate(p.lines) if i not in drop]


def _vocabulary(pages: list[PageItems]) -> tuple[set[str], set[str]]:
    words: set[str] = set()
    hyphenated: set[str] = set()
    for p in pages:
        for ln in p.lines:
            for w in re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)*", ln.text):
                lw = w.lower()
                if "-" in lw:
                    hyphenated.add(lw)
                    words.update(lw.split("-"))
                else:
                    words.add(lw)
    return words, hyphenated


def mend_hyphens(lines: list[str], words: set[str] | None = None, hyphenated: set[str] | None = None) -> list[str]:
    """Join "imple-" + "mentation ..." into one line; keep compounds like "multi-" + "agency".

    The joined word wins where the document uses it elsewhere; the hyphenated form
    wins where the document uses that, or where the fragment is a compound prefix.
    """
    words = words or set()
    hyphenated = hyphenated or set()
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        while i + 1 < len(lines):
            m = HYPHEN_END_RE.search(line)
            nxt = lines[i + 1].lstrip()
            n = NEXT_WORD_RE.match(nxt)
            if not m or not n or (len(line) > 1 and line[-2] == " "):
                break
            left, right = m.group("word"), n.group("word")
            joined, compound = (left + right).lower(), f"{left}-{right}".lower()
            if compound in hyphenated and joined not in words:
                keep = True
            elif joined in words:
                keep = False
            else:
                keep = left.lower() in COMPOUND_PREFIXES
            line = (line if keep else line[:-1]) + nxt
            i += 1
        out.append(line)
        i += 1
    return out


STARTER_RE = re.compile(r"^\s*(?:[·•▪◦●○■□➢➤►‣⁃∙❖✓]|[\-–*](?=\s))")


def _join(left: str, right: str, words: set[str], hyphenated: set[str]) -> str:
    return mend_hyphens([left, right], words, hyphenated)[0] if HYPHEN_END_RE.search(left) else f"{left} {right}"


def _first_word_width(ln: Line) -> float:
    word = ln.text.split(" ", 1)[0]
    per_char = (ln.x1 - ln.x0) / max(len(ln.text), 1)
    return (len(word) + 1) * per_char


def _page_lines(items: PageItems, words: set[str], hyphenated: set[str]) -> list[tuple[float, str, int]]:
    """Rebuild logical lines from wrapped PDF lines: (top, text, column), one paragraph, item or heading each.

    A new logical line starts after a vertical gap, after a line that stops well short of the
    right margin, at a bullet, at a number after a finished sentence, and where bold starts or stops.
    Short bold lines become Markdown-style headings for lines_to_blocks.
    """
    lines = items.lines
    if not lines:
        return []
    edges: dict[int, tuple[float, float]] = {}  # column -> (right margin, tolerance)
    for col in {ln.col for ln in lines}:
        rights = sorted(ln.x1 for ln in lines if ln.col == col)
        right = rights[int(0.9 * (len(rights) - 1))]
        left = min(ln.x0 for ln in lines if ln.col == col)
        edges[col] = (right, max(25.0, 0.12 * (right - left)))
    out: list[tuple[float, str, int]] = []
    cur: str | None = None
    cur_top = 0.0
    cur_col = 0
    prev: Line | None = None

    def emit() -> None:
        if cur is not None:
            out.append((cur_top, cur, cur_col))
            out.append((cur_top, "", cur_col))

    for ln in lines:
        text = ln.text.strip()
        new = prev is None
        if prev is not None:
            height = max(prev.bottom - prev.top, 1.0)
            gap = ln.top - prev.bottom
            prev_text = prev.text.rstrip()
            hyphen_break = bool(HYPHEN_END_RE.search(prev_text)) and text[:1].islower()
            right, tol = edges[prev.col]
            if gap > 0.8 * height or gap < -0.5 * height or ln.col != prev.col:
                new = True
            elif hyphen_break and ln.bold == prev.bold:
                new = False  # "imple-" / "mentation": a word broken over the line end
            elif prev.x1 < right - tol and prev.x1 + _first_word_width(ln) < right - 2:
                new = True  # the next line's first word would have fitted: the previous line ended there
            elif STARTER_RE.match(text) or (NUMBER_RE.match(text) and prev_text.endswith((".", ":", ";", "?", "!"))) or ln.bold != prev.bold:
                new = True
        if new:
            emit()
            cur, cur_top, cur_col = text, ln.top, ln.col
        else:
            cur = _join(cur or "", text, words, hyphenated)
        prev = ln
    emit()
    return out


def _heading_texts(items: PageItems, logical: list[tuple[float, str, int]]) -> set[str]:
    """Logical lines set wholly in bold, short, not sentences: headings by typography."""
    bold_tops = {ln.top for ln in items.lines if ln.bold}
    body_size = 0.0
    sizes = sorted(ln.size for ln in items.lines)
    if sizes:
        body_size = sizes[len(sizes) // 2]
    big_tops = {ln.top for ln in items.lines if body_size and ln.size >= body_size * 1.25}
    out: set[str] = set()
    for top, text, _ in logical:
        t = text.strip()
        if not t or len(t) > 120 or STARTER_RE.match(t) or t.endswith((",", ";")):
            continue
        if top in bold_tops or top in big_tops:
            m = NUMBER_RE.match(t)
            body = m.group("text") if m else t
            if len(body.split()) <= 16 and not (body.endswith(".") and len(body.split()) > 10):
                out.add(t)
    return out


# Pages without ruling lines are read with pdfium (fast); pages that may hold a table go through
# pdfplumber, whose table finder needs pdfminer's objects. Set to False to read every page with pdfplumber.
FAST_TEXT = True


def _open_pdfium(data: bytes):
    try:
        import pypdfium2 as pdfium

        return pdfium.PdfDocument(data)
    except Exception:
        return None


def _read_fast(doc, number: int, warnings: list[str]) -> PageItems | None:
    """A page read with pdfium, or None where pdfplumber must read it (tables, or pdfium failing)."""
    try:
        page = doc[number - 1]
    except Exception:
        return None
    try:
        if _may_hold_table(page):
            return None
        local: list[str] = []
        items = _read_page_pdfium(page, number, local)
        if not items.lines:
            return None  # let pdfplumber look too before calling the page empty
        warnings.extend(local)
        return items
    except Exception:
        return None
    finally:
        page.close()


def _pages_with_pdfium(data: bytes) -> list[PageItems]:
    """Plain text per page with pypdfium2, for files pdfminer cannot read (it repairs more damage).

    No layout: line positions are synthetic (one line per 14 points), so running headers and
    paragraph breaks are found from line order alone and tables are not recovered.
    """
    import pypdfium2 as pdfium

    pages: list[PageItems] = []
    doc = pdfium.PdfDocument(data)
    try:
        for number in range(1, len(doc) + 1):
            page = doc[number - 1]
            try:
                textpage = page.get_textpage()
                raw = textpage.get_text_range() or ""
                textpage.close()
            finally:
                page.close()
            lines = [normalise(x).strip() for x in raw.replace("\r\n", "\n").split("\n")]
            items = PageItems(number=number, height=14.0 * (len(lines) + 2))
            for i, text in enumerate(lines):
                if text:
                    top = 14.0 * (i + 1)
                    items.lines.append(Line(text, top, top + 10.0, False, 10.0, 0.0, 5.0 * len(text)))
            pages.append(items)
    finally:
        doc.close()
    return pages


def parse(path: Path, data: bytes, ocr: bool = False, deadline: float | None = None) -> ParsedDocument:
    """Parse a PDF; where pdfminer cannot read it at all, fall back to pypdfium2's plain text. With `ocr`,
    pages with no text layer are read with Tesseract until `deadline` (a time.monotonic() value)."""
    try:
        return _parse(path, data, ocr, deadline)
    except ParseError as e:
        msg = str(e)
        if msg.startswith("encrypted"):
            raise
        try:
            pages = _pages_with_pdfium(data)
        except Exception:
            raise e from None
        chars = "".join(ln.text for p in pages for ln in p.lines)
        if not chars or sum(ch.isalnum() for ch in chars) < 0.5 * len(chars.replace(" ", "")):
            raise
        warnings = [f"read with the fallback text extractor after: {msg}; layout and tables not recovered"]
        for p in pages:
            if not p.lines:
                warnings.append(f"page {p.number}: no text layer (needs OCR)")
        read = _ocr_empty_pages(data, pages, warnings, deadline) if ocr else set()
        blocks = _mark_ocr(_assemble(pages), read)
        title = next((b.text for b in blocks if b.kind == "heading"), None)
        return ParsedDocument(format="pdf", blocks=blocks, title=title, pages=len(pages), hints={},
                              warnings=warnings)


def _parse(path: Path, data: bytes, ocr: bool = False, deadline: float | None = None) -> ParsedDocument:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    warnings: list[str] = []
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except (PDFPasswordIncorrect, PDFEncryptionError) as e:
        raise ParseError("encrypted PDF (password required)") from e
    except Exception as e:
        cause = e.__cause__ or e.__context__ or e
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)) or "password" in str(e).lower():
            raise ParseError("encrypted PDF (password required)") from e
        raise ParseError(f"damaged PDF, cannot be opened ({type(cause).__name__}: {str(cause)[:120]})") from e
    pages: list[PageItems] = []
    hints: dict = {}
    encrypted = False
    fast = None
    try:
        encrypted = bool(getattr(pdf.doc, "encryption", None))
        meta = pdf.metadata or {}
        for key, name in (("Title", "title"), ("Subject", "subject"), ("Author", "author")):
            value = _meta_str(meta.get(key))
            if value:
                hints[name] = value
        created = _pdf_date(meta.get("CreationDate"))
        if created:
            hints["created"] = created
        try:
            page_list = pdf.pages
        except Exception as e:
            if "password" in str(e).lower() or isinstance(e.__cause__, (PDFPasswordIncorrect, PDFEncryptionError)):
                raise ParseError("encrypted PDF (password required)") from e
            raise ParseError(f"damaged PDF, pages cannot be read ({type(e).__name__})") from e
        fast = _open_pdfium(data) if FAST_TEXT else None
        for number, page in enumerate(page_list, start=1):
            try:
                items = None
                if fast is not None and number <= len(fast):
                    items = _read_fast(fast, number, warnings)
                pages.append(items if items is not None else _read_page(page, number, warnings))
            except Exception as e:
                warnings.append(f"page {number}: could not be read ({type(e).__name__})")
                pages.append(PageItems(number=number, height=1.0))
            finally:
                with contextlib.suppress(Exception):
                    page.close()
    except ParseError:
        raise
    except Exception as e:
        raise ParseError(f"damaged PDF, cannot be read ({type(e).__name__})") from e
    finally:
        try:
            pdf.close()
            if fast is not None:
                fast.close()
        except Exception:
            pass

    if not pages:
        raise ParseError("damaged PDF, no pages could be read")
    if encrypted and not any(p.lines or p.tables for p in pages):
        raise ParseError("encrypted PDF (password required): no text could be decrypted")
    read = _ocr_empty_pages(data, pages, warnings, deadline) if ocr else set()
    if not any(p.lines or p.tables for p in pages):
        if read:
            raise NoText("no text layer, and OCR found no legible text")
        raise NoText("no text layer (needs OCR)")

    blocks = _mark_ocr(_assemble(pages), read)
    title = _clean_title(hints.get("title")) or next((b.text for b in blocks if b.kind == "heading"), None)
    return ParsedDocument(format="pdf", blocks=blocks, title=title, pages=len(pages), hints=hints,
                          warnings=warnings)


def _assemble(pages: list[PageItems]) -> list[Block]:
    """Pages of lines and tables to blocks: running lines out, logical lines, headings, tables in place."""
    _remove_running_lines(pages)
    words, hyphenated = _vocabulary(pages)
    blocks: list[Block] = []
    stack: list = []
    table_index = -1
    last_table: tuple[int, list[str]] | None = None  # (ncols, header) of the table that may continue
    for p in pages:
        seq = _page_lines(p, words, hyphenated)
        headings = _heading_texts(p, seq)
        # columns are read one after the other; tables (found before the columns) go in by height
        events: list[tuple[int, float, int, object]] = [(col, top, 0, text) for top, text, col in seq]
        events += [(0, top, 1, rows) for top, rows in p.tables]
        events.sort(key=lambda e: (e[0], e[1], e[2]))
        events = [(top, kind, payload) for _, top, kind, payload in events]
        run: list[str] = []
        page_start = True

        def flush_run(run: list[str], at_page_start: bool, p: PageItems = p, headings: set[str] = headings) -> None:
            if at_page_start and run and blocks and blocks[-1].kind in ("paragraph", "list_item"):
                # a sentence carried over a page break continues the last block of the previous page
                first = next((k for k, t in enumerate(run) if t.strip()), None)
                prev = blocks[-1]
                if (first is not None and re.match(r"^[a-z]", run[first].strip())
                        and not prev.text.rstrip().endswith((".", ":", ";", "?", "!"))):
                    prev.text = clean_inline(_join(prev.text, run[first].strip(), words, hyphenated))
                    del run[first]
            if run:
                blocks.extend(lines_to_blocks(run, page=p.number, section_stack=stack, heading_lines=headings))
                run.clear()

        for _, kind, payload in events:
            if kind == 0:
                run.append(payload)  # type: ignore[arg-type]
                continue
            flush_run(run, page_start)
            page_start = False
            rows: list[list[str]] = payload  # type: ignore[assignment]
            ncols = len(rows[0])
            # a table carried over from the previous page: nothing between them, same columns
            if (last_table and last_table[0] == ncols and blocks and blocks[-1].kind == "table_row"
                    and (rows[0] == last_table[1] or (blocks[-1].page or 0) < p.number)):
                header = last_table[1]
                body = rows[1:] if rows[0] == header else rows  # a repeated header row on a continuation page
            else:
                table_index += 1
                header = rows[0]
                body = rows[1:]
                blocks.append(Block("table_row", " | ".join(header), page=p.number,
                                    section=" > ".join(t for _, t in stack) or None,
                                    cells=list(header), header=list(header), table=table_index))
            for r in body:
                blocks.append(Block("table_row", " | ".join(r), page=p.number,
                                    section=" > ".join(t for _, t in stack) or None,
                                    cells=list(r), header=list(header), table=table_index))
            last_table = (ncols, header)
        flush_run(run, page_start)
    return blocks


def _ocr_empty_pages(data: bytes, pages: list[PageItems], warnings: list[str], deadline: float | None) -> set[int]:
    """Read the pages holding no text with Tesseract, in place: their lines filled, their "needs OCR"
    warnings replaced by one naming the pages OCR read. Returns the numbers of the pages it read."""
    from ingest.parsers import ocr

    empty = [p.number for p in pages if not p.lines and not p.tables]
    if not empty:
        return set()
    found, problems = ocr.read_pages(data, empty, deadline)
    by_number = {p.number: p for p in pages}
    read = set()
    for number, lines in found.items():
        p = by_number[number]
        p.lines = [Line(normalise(ln.text).strip(), ln.top, ln.bottom, False, ln.size, ln.x0, ln.x1)
                   for ln in lines if normalise(ln.text).strip()]
        read.add(number)
    gone = {f"page {n}: no text layer (needs OCR)" for n in read}
    warnings[:] = [w for w in warnings if w not in gone]
    if read:
        blank = sorted(n for n in read if not by_number[n].lines)
        warnings.append(f"{ocr._ranges(sorted(read))} read by OCR ({ocr.version()}): text may hold misreadings")
        if blank:
            warnings.append(f"{ocr._ranges(blank)}: no legible text found by OCR")
    warnings.extend(problems)
    return read


def _mark_ocr(blocks: list[Block], pages: set[int]) -> list[Block]:
    for b in blocks:
        if b.page in pages:
            b.ocr = True
    return blocks
