"""HTML pages (BeautifulSoup + lxml), ModernGov pages in particular.

Chrome is dropped before reading: scripts, styles, templates, embedded objects,
``nav``/``header``/``footer``/``aside`` and their ARIA roles, form controls,
hidden elements, and elements whose id/class names them as navigation,
breadcrumbs, banners, footers, search or cookie notices. ASP.NET pages (ModernGov
is one) wrap the whole page in a ``<form>``, so a form is unwrapped, never
dropped with its content; only its controls go. Script text is never kept.

The walk keeps document order: ``h1``-``h6`` become headings; ``ul``/``ol``
items become ``list_item`` blocks with their nesting depth (``ol`` items carry
their number); data tables become ``table_row`` blocks (header from ``th``/
``thead`` or the first row), while layout tables (cells holding blocks or
nested tables) are read as containers; ModernGov agenda rows (a number cell
then a title cell) become numbered headings. Paragraph text goes through
:func:`ingest.textblocks.lines_to_blocks`, so typed bullets ("·  ...") and
numbered lines exported from Word keep their meaning. ``page`` is None.
"""
from __future__ import annotations

import re
from pathlib import Path

from ingest.model import Block, ParsedDocument, ParseError
from ingest.textblocks import STATEMENT_RE, clean_inline, lines_to_blocks

DROP_TAGS = ["script", "style", "noscript", "template", "iframe", "svg", "canvas", "object", "embed", "head",
             "nav", "header", "footer", "aside", "input", "select", "option", "textarea", "button", "map", "area",
             "link", "meta", "img", "audio", "video", "source", "picture", "dialog"]
DROP_ROLES = {"navigation", "banner", "contentinfo", "search", "menu", "menubar", "dialog", "alert"}
CHROME_RE = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|navigation|menu|breadcrumbs?|crumbs?|footer|banner|masthead|skip|skiplinks?|cookies?|"
    r"search|searchbox|sidebar|social|share|sharing|print|toolbar|topbar|mgBreadcrumbs?|mgFooter|mgBanner"
    r"|site-?header|page-?header|global-?header|sr-only|visually-?hidden|screen-?reader|hidden)(?:$|[\s_-])",
    re.IGNORECASE,
)
CAMEL_CHROME_RE = re.compile(r"(?:Breadcrumb|Footer|Banner|Nav(?:igation)?|Menu|Search|SkipLink|Cookie)", re.IGNORECASE)
HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
BLOCK_TAGS = {"p", "div", "section", "article", "main", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "ul",
              "ol", "li", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "dl", "dt", "dd", "pre", "address",
              "figure", "figcaption", "form", "fieldset", "hr", "center", "body", "html", "caption", "legend",
              "details", "summary", "menu"}
HEADING_TAGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
ITEM_NUMBER_RE = re.compile(r"^\s*(?:Item\s+)?(\d{1,3}[a-z]?(?:\.\d{1,2})?)\.?\s*$", re.IGNORECASE)
MAIN_SELECTORS = ["main", "[role=main]", "#modgov", "#mgContent", ".mgContent", "#content", "#main-content",
                  "#maincontent", "#main", "article"]


# Elements nested deeper than this are refused: Chromium's HTML parser stops nesting at 512, and the
# walks below cost depth x elements (a 1.1 MB page nested 100,000 deep took the whole per-file timeout).
MAX_DEPTH = 512


def _depth(soup) -> int:
    """The deepest element's depth, without recursion."""
    deepest, todo = 0, [(soup, 0)]
    while todo:
        el, d = todo.pop()
        deepest = max(deepest, d)
        todo.extend((c, d + 1) for c in getattr(el, "contents", ()) if getattr(c, "contents", None) is not None)
    return deepest


def _decode_hint(data: bytes) -> str | None:
    m = re.search(rb"""<meta[^>]+charset=["']?([\w-]+)""", data[:4096], re.IGNORECASE)
    return m.group(1).decode("ascii", "replace") if m else None


def _is_chrome(tag) -> bool:
    attrs = tag.attrs or {}
    if "hidden" in attrs or str(attrs.get("aria-hidden", "")).lower() == "true":
        return True
    if HIDDEN_STYLE_RE.search(str(attrs.get("style", ""))):
        return True
    if str(attrs.get("role", "")).lower() in DROP_ROLES:
        return True
    if tag.name in ("body", "html", "main", "form") or attrs.get("role") == "main":
        return False
    names = " ".join([str(attrs.get("id", "")), *list(attrs.get("class", []) or [])])
    if not names.strip():
        return False
    if CHROME_RE.search(names) or CAMEL_CHROME_RE.search(names):
        # never drop a block that carries the page's main heading
        return tag.find("h1") is None
    return False


def _text_of(el) -> str:
    return clean_inline(re.sub(r"\s+", " ", el.get_text(" ", strip=True))) if el is not None else ""


def _is_link_bar(tag) -> bool:
    """A run of short links with little else ("Home | About | Contact"): navigation without a name."""
    if tag.name not in ("p", "td", "th", "div", "span", "center", "table", "tr"):
        return False
    links = tag.find_all("a")
    if len(links) < 3:
        return False
    if tag.find(["h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol"]) is not None:
        return False
    text = _text_of(tag)
    link_text = sum(len(_text_of(a)) for a in links)
    rest = re.sub(r"[\s|:•·,/>»-]+", "", text)
    if not rest:
        return False
    avg = link_text / len(links)
    return avg < 30 and link_text >= 0.85 * len(rest)


def _is_layout_table(table) -> bool:
    """A table used to lay out a page (read as containers) rather than one holding data (read as rows)."""
    if table.find("table") is not None or str(table.get("role", "")).lower() in ("presentation", "none"):
        return True
    if not table.find_all("tr"):
        return True
    classes = " ".join(table.get("class", []) or [])
    if "mgItemTable" in classes:
        return True  # ModernGov agenda: number cell + item cell
    cells = table.find_all(["td", "th"])
    if any(c.find(["h1", "h2", "h3", "h4", "h5", "h6"]) is not None for c in cells):
        return True
    data_signals = (table.find("th") is not None or table.find("thead") is not None or "Mso" in classes
                    or str(table.get("border", "0")).strip() not in ("", "0"))
    if data_signals:
        return False
    # no header cells or borders: a table whose cells hold several blocks or lists lays out a page
    blocks = ["p", "div", "ul", "ol", "blockquote"]
    return any(c.find(["ul", "ol"]) is not None or len(c.find_all(blocks)) > 1 for c in cells)


MG_TITLE_CLASSES = {"mgMainTitleTxt": 1, "mgSubTitleTxt": 2, "mgSubSubTitleTxt": 3, "mgSubItemTitleTxt": 3}
# ModernGov section labels written as plain paragraphs ("<p class=mgSubItemTitleTxt>Minutes:</p>", "<p><b>Decision:</b>")
MG_LABELS = {"minutes", "decision", "decisions", "resolved", "supporting documents", "purpose",
             "reasons for the decision", "alternative options considered", "interests and nature of interests declared",
             "report author", "background papers"}


# what ModernGov's page title says a page is, above the item or meeting it shows
MG_PAGE_LABELS = {"agenda item", "meeting documents", "agenda and minutes", "agenda", "minutes", "decision details",
                  "issue details", "issue - items at meetings", "agenda and draft minutes", "agenda, decisions and minutes",
                  "agenda and decisions", "decisions"}


def _moderngov_heading_level(tag) -> int | None:
    """Heading level of a ModernGov title paragraph or section label, else None."""
    if tag.name not in ("p", "div", "span"):
        return None
    for cls in tag.get("class", []) or []:
        if cls in MG_TITLE_CLASSES:
            return MG_TITLE_CLASSES[cls]
    if tag.find(["p", "div", "table", "ul", "ol"]) is not None:
        return None
    text = _text_of(tag)
    if text.endswith(":") and text[:-1].strip().lower() in MG_LABELS:
        return 3
    return None


def _moderngov_title(title: str) -> tuple[dict, str | None]:
    """Hints from ModernGov <title>s ("Agenda item - X - Council", "Agenda for C on Monday, 20th June, 2022")."""
    hints: dict = {}
    t = clean_inline(title)
    m = re.match(r"^Agenda item\s*-\s*(?P<item>.+?)(?:\s+-\s+(?P<site>[^-]+))?$", t)
    if m:
        hints["agenda_item"] = m.group("item").strip()
        if m.group("site"):
            hints["site"] = m.group("site").strip()
        return hints, m.group("item").strip()
    m = re.match(r"^(?P<what>Agenda|Minutes|Decisions|Meeting)(?: for| of)? (?P<committee>.+?) on "
                 r"(?P<date>(?:\w+day,?\s+)?\d{1,2}(?:st|nd|rd|th)?\s+\w+,?\s+\d{4})(?:,?\s*(?P<time>[\d.:]+\s*[ap]m))?",
                 t, re.IGNORECASE)
    if m:
        hints["page_kind"] = m.group("what").lower()
        hints["committee"] = m.group("committee").strip()
        hints["meeting_date_text"] = m.group("date").strip()
        return hints, t
    return hints, None


META_HINTS = ("description", "keywords", "author", "og:title", "og:description", "dc.title", "dc.date",
              "dc.subject", "dc.creator", "dcterms.created", "dcterms.modified", "dc.date.created")
SKIP_LINK_RE = re.compile(r"(?i)^\s*(skip|jump|back to top|top of page)")


def parse(path: Path, data: bytes) -> ParsedDocument:
    """A page as blocks: its hints read from <title> and <meta>, its site chrome dropped, then its content
    area walked in document order."""
    soup = _soup(data)
    hints, title, page_title = _page_hints(soup)
    _drop_chrome(soup)
    walker = _Walker()
    for r in _content_roots(soup):
        walker.walk(r)
        walker.flush()
    blocks = walker.blocks
    if title is None:
        title = next((b.text for b in blocks if b.kind == "heading" and b.level == 1), None) or page_title or None
    warnings = [] if blocks else ["no text found in the page"]
    return ParsedDocument(format="html", blocks=blocks, title=title, pages=None, hints=hints, warnings=warnings)


def _soup(data: bytes):
    """The page parsed (lxml), or ParseError for one that cannot be read or is nested to stall parsers."""
    from bs4 import BeautifulSoup

    try:
        soup = BeautifulSoup(data, "lxml", from_encoding=_decode_hint(data))
    except Exception as e:
        raise ParseError(f"HTML cannot be read ({type(e).__name__}: {str(e)[:120]})") from e
    depth = _depth(soup)
    if depth > MAX_DEPTH:
        raise ParseError(f"refused: elements nested {depth:,} deep (browsers stop at {MAX_DEPTH}); "
                         "a page built to stall parsers")
    return soup


def _page_hints(soup) -> tuple[dict, str | None, str]:
    """(hints, title, page title): the <title> (a ModernGov one says the agenda item, or the committee and
    meeting date) and the <meta> tags that describe the paper (description, author, Dublin Core dates)."""
    hints: dict = {}
    title_tag = soup.find("title")
    page_title = clean_inline(title_tag.get_text(" ", strip=True)) if title_tag else ""
    title = None
    if page_title:
        hints["title"] = page_title
        mg, title = _moderngov_title(page_title)
        hints.update(mg)
    for meta in soup.find_all("meta"):
        name = str(meta.get("name") or meta.get("property") or "").strip().lower()
        content = clean_inline(str(meta.get("content") or ""))
        if not name or not content:
            continue
        if name in META_HINTS:
            hints[name] = content
    return hints, title, page_title


def _drop_chrome(soup) -> None:
    """Drop the site's chrome in place: comments, scripts and the DROP_TAGS (an article's own <header> is
    kept), elements named as chrome, skip links, bars of links, and search or login forms (a form that wraps
    the page, as ASP.NET's does, is unwrapped)."""
    from bs4 import Comment

    for c in soup.find_all(string=lambda s: isinstance(s, Comment)):
        c.extract()
    for t in soup.find_all(DROP_TAGS):
        if getattr(t, "decomposed", False):
            continue
        if t.name == "header" and (t.find("h1") is not None or t.find_parent(["article", "main"]) is not None):
            t.unwrap()  # an article's own header holds its title, not site chrome
            continue
        t.decompose()
    for t in list(soup.find_all(True)):
        if getattr(t, "decomposed", False) or t.parent is None:
            continue
        if _is_chrome(t):
            t.decompose()
    for a in soup.find_all("a"):
        href = str(a.get("href") or "")
        if href.startswith("#") and SKIP_LINK_RE.match(a.get_text(" ", strip=True)):
            a.decompose()
    for t in list(soup.find_all(["table", "tr", "td", "th", "p", "div", "span", "center"])):
        if getattr(t, "decomposed", False) or t.parent is None:
            continue
        if _is_link_bar(t):
            t.decompose()
    for form in soup.find_all("form"):
        if len(_text_of(form)) < 80 and form.find(["p", "table", "h1", "h2", "h3", "ul", "ol"]) is None:
            form.decompose()  # a search or login box
        else:
            form.unwrap()


def _content_roots(soup) -> list:
    """The elements to walk: the content area (MAIN_SELECTORS, the first holding some text) with a page
    heading that sits just outside it, else the whole body."""
    root = None
    for sel in MAIN_SELECTORS:
        found = soup.select_one(sel)
        if found is not None and len(_text_of(found)) > 40:
            root = found
            break
    body = soup.body or soup
    if root is not None and root is not body:
        # keep a page heading that sits just outside the content area (ModernGov's mgHeader is inside #modgov)
        h1 = body.find("h1")
        if h1 is not None and root not in h1.parents and h1 not in root.descendants:
            return [h1, root]
        return [root]
    return [body]


def _inline_text(el, block_sep: str = "\n") -> str:
    """Text of an element, <br> as newlines and block boundaries as `block_sep`."""
    from bs4 import Comment, NavigableString, Tag

    out: list[str] = []
    for node in el.descendants if isinstance(el, Tag) else [el]:
        if isinstance(node, NavigableString) and not isinstance(node, Comment):
            out.append(str(node))
        elif isinstance(node, Tag) and node.name == "br":
            out.append("\n")
        elif isinstance(node, Tag) and node.name in BLOCK_TAGS:
            out.append(block_sep)
    return "".join(out)


class _Walker:
    """The page's content read in document order: the blocks so far, the heading path (`stack`), the
    running paragraph text (`buf`) and the index of the last data table."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.stack: list[tuple[int, str]] = []
        self.table_index = -1
        self.buf: list[str] = []

    def section(self) -> str | None:
        """The heading path the next block sits under."""
        return " > ".join(t for _, t in self.stack) or None

    def flush(self) -> None:
        """End the running paragraph text: its lines are read as plain council text (lines_to_blocks)."""
        if not self.buf:
            return
        text = "".join(self.buf)
        self.buf.clear()
        lines = [ln for ln in (re.sub(r"[ \t\r\f\v\u00a0]+", " ", x).strip() for x in text.split("\n"))]
        if any(lines):
            self.blocks.extend(lines_to_blocks([*lines, ""], page=None, section_stack=self.stack))

    def push_heading(self, level: int, text: str, number: str | None = None) -> None:
        """A heading: it closes the sections at its level or below and opens its own."""
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        self.stack.append((level, text))
        self.blocks.append(Block("heading", text, page=None, section=self.section(), level=level, number=number))

    def walk(self, el) -> None:
        """An element's children in order: text joins the running paragraph; headings, lists, tables and
        block elements end it and are read as what they are; inline elements are walked into."""
        from bs4 import Comment, NavigableString, Tag

        for child in list(el.children):
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                self.buf.append(re.sub(r"\s+", " ", str(child)))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name
            if name == "br":
                self.buf.append("\n")
                continue
            level = HEADING_TAGS.get(name) or _moderngov_heading_level(child)
            if level:
                self.flush()
                self.heading(child, level)
                continue
            if name in ("ul", "ol"):
                self.flush()
                self.list_items(child, 1)
                continue
            if name == "table":
                self.flush()
                if _is_layout_table(child):
                    self.layout_table(child)
                else:
                    self.data_table(child)
                continue
            if name in BLOCK_TAGS:
                self.flush()
                self.walk(child)
                self.flush()
                continue
            self.walk(child)  # inline element: its text joins the running paragraph

    def heading(self, el, level: int) -> None:
        """A heading element (h1-h6, a ModernGov title): a numbered heading ("5. Budget") opens its section;
        ModernGov's page type and a resolution set in heading type are no sections."""
        text = _text_of(el)
        if text and level == 1 and text.strip(" :").lower() in MG_PAGE_LABELS:
            # ModernGov's page type ("Agenda item", "Meeting documents"): a heading, but no part of
            # the heading path of what follows
            self.blocks.append(Block("heading", text, page=None, section=self.section(), level=level))
        elif text and STATEMENT_RE.match(text):
            # a resolution or motion set in heading type ("Cllr X proposed approval for payment seconded by
            # Cllr Y"): a line of the minutes, not a section
            self.blocks.extend(lines_to_blocks([text, ""], page=None, section_stack=self.stack))
        elif text:
            m = re.match(r"^(\d{1,3}(?:\.\d{1,2})*)\.?\s+(\S.*)$", text)
            self.push_heading(level, text, number=m.group(1) if m else None)

    def list_items(self, lst, depth: int) -> None:
        """A <ul>/<ol>: each <li>'s own text a list item at `depth` (an <ol>'s carry their numbers, from its
        `start`), nested lists one level deeper. Text directly in the list, outside <li>, is ignored."""
        from bs4 import Tag

        ordered = lst.name == "ol"
        try:
            n = int(lst.get("start", 1))
        except (TypeError, ValueError):
            n = 1
        for li in lst.find_all("li", recursive=False):
            nested = [c for c in li.find_all(["ul", "ol"], recursive=False)]
            own_parts: list[str] = []
            for child in li.children:
                if isinstance(child, Tag) and child.name in ("ul", "ol"):
                    continue
                own_parts.append(_inline_text(child) if isinstance(child, Tag) else str(child))
            text = clean_inline(re.sub(r"\s+", " ", "".join(own_parts)))
            if text:
                m = re.match(r"^[·•▪◦●○■\-–*]\s+(.*)$", text)
                if m:
                    text = m.group(1)
                self.blocks.append(Block("list_item", text, page=None, section=self.section(), level=depth,
                                         number=str(n) if ordered else None))
            n += 1
            for sub in nested:
                self.list_items(sub, depth + 1)

    def data_table(self, table) -> None:
        """A data table: its rows as table rows under its header (<thead> or <th> cells, else the first row),
        its caption a paragraph before them; a table of one column is read as paragraphs."""
        rows: list[list[str]] = []
        header: list[str] | None = None
        for tr in table.find_all("tr"):
            if tr.find_parent("table") is not table:
                continue
            cells = tr.find_all(["td", "th"], recursive=False)
            values = [clean_inline(re.sub(r"\s+", " ", _inline_text(c, " "))) for c in cells]
            if not any(values):
                continue
            if header is None and (tr.find_parent("thead") is not None or all(c.name == "th" for c in cells)):
                header = values
            rows.append(values)
        if not rows:
            return
        if max(len(r) for r in rows) < 2:
            for r in rows:
                for v in r:
                    if v:
                        self.buf.append(v + "\n\n")
            self.flush()
            return
        self.table_index += 1
        header = header or rows[0]
        caption = table.find("caption")
        if caption is not None and _text_of(caption):
            self.blocks.append(Block("paragraph", _text_of(caption), page=None, section=self.section()))
        for r in rows:
            self.blocks.append(Block("table_row", " | ".join(r), page=None, section=self.section(), cells=r,
                                     header=header, table=self.table_index))

    def layout_table(self, table) -> None:
        """A table used for layout: its cells walked as containers; a ModernGov agenda row ("5." | "Title ...
        body") becomes a numbered heading over the item's text."""
        for tr in table.find_all("tr"):
            if tr.find_parent("table") is not table:
                continue
            cells = tr.find_all(["td", "th"], recursive=False)
            texts = [_text_of(c) for c in cells]
            nonempty = [i for i, t in enumerate(texts) if t]
            if len(nonempty) >= 2 and ITEM_NUMBER_RE.match(texts[nonempty[0]]):
                number = ITEM_NUMBER_RE.match(texts[nonempty[0]]).group(1)
                content = cells[nonempty[1]]
                first = content.find(["p", "h1", "h2", "h3", "h4", "h5", "h6", "a", "div"])
                item_title = _text_of(first) if first is not None else texts[nonempty[1]]
                if item_title:
                    self.push_heading(2, item_title, number=number)
                    if first is not None:
                        first.extract()
                for cell in cells[nonempty[1]:]:
                    self.walk(cell)
                    self.flush()
                continue
            for c in cells:
                self.walk(c)
                self.flush()
