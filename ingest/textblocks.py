"""Turn plain lines of council text into typed blocks.

Shared by the TXT/MD parser and by parsers (PDF) that recover lines of text
without markup: it knows the genre's bullets ("·", "•", "-", "*"), numbered
report sections ("1.0 Purpose of the report", "6.1 ..."), numbered resolutions
("1. The progress ... be noted") and short title-like lines used as headings.
"""
from __future__ import annotations

import re

from ingest.model import Block

BULLET_RE = re.compile(r"^\s*(?:[·•▪◦●○■□➢➤►‣⁃∙\-–*]|o(?=\s))\s+(?P<text>.*)$")
# "2.1 To consider", "6.0 Background", "1. The progress", "(a) ...", "a) ...", "iv) ..."
NUMBER_RE = re.compile(
    r"^\s*(?P<num>(?:\d{1,2}(?:\.\d{1,2}){0,3}\.?)|(?:\(?[a-z]\))|(?:\(?(?:i|ii|iii|iv|v|vi|vii|viii|ix|x)\)))"
    r"\s+(?P<text>\S.*)$"
)
MD_HEADING_RE = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.+?)\s*#*\s*$")
EMPHASIS_RE = re.compile(r"(\*\*|__|(?<!\w)\*(?!\s)|(?<!\s)\*(?!\w))")
MONTH_AFTER_RE = re.compile(
    r"(?i)(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b"
)
SENT_END = (".", ":", ";", "?", "!", ",", "”", '"')
# the genre's stock section titles: a line holding only one of these is a heading even mid-paragraph
GENRE_HEADING_RE = re.compile(
    r"(?i)^(?:recommendations?(?:\s*\(s\))?|executive summary|summary|purpose of (?:the )?report|background(?: and advice)?"
    r"|introduction|conclusions?|next steps|resolved|decisions?|minutes|financial (?:implications|considerations)"
    r"|legal (?:implications|considerations)|risk management(?: considerations)?|list of appendices|appendices"
    r"|background (?:papers|documents)|supporting documents|reasons? for (?:the )?recommendations?(?:\s*\(s\))?)\s*:?$")
TAG_RE = re.compile(r"</?[a-zA-Z][^>]*>")


def clean_inline(text: str) -> str:
    """Strip Markdown emphasis and collapse spaces (non-breaking ones too)."""
    text = text.replace("\u00a0", " ").replace("\u200b", "")
    text = EMPHASIS_RE.sub("", text)
    return re.sub(r"[ \t]+", " ", text).strip()


# cover-sheet fields of council reports ("From: ...", "Classification: Unrestricted"): data, not headings
COVER_FIELD_RE = re.compile(
    r"^(?:from|to|subject|classification|past pathway of report|future pathway of report|electoral divisions?"
    r"(?: affected)?|key decision|decision no|date(?: of meeting)?|report of|report to|relevant officer|"
    r"contact(?: officer)?|author|wards?(?: affected)?|cabinet member|report author|status|venue|time|by|"
    r"in attendance|present|also present|telephone|tel|phone|e-?mail|(?:relevant |corporate )?director)\s*:\s*\S",
    re.IGNORECASE,
)


# a recorded vote's tally, on a line of its own and often in bold: "For (14)", "Against: 45", "Abstain (4)"
VOTE_TALLY = r"(?:for|against|abstain(?:ed|ing)?|abstentions?|in\s+favour)\s*[:(–-]?\s*\d{1,3}\)?"
VOTE_TALLY_RE = re.compile(rf"(?i)^\W*{VOTE_TALLY}\W*$")
# a minuted resolution or action set on a line of its own, often in bold ("Resolved to pay M Joyce £45.00",
# "Action: WM to circulate the paper"): a sentence, never a heading (a bare "RESOLVED:" still leads its items)
STATEMENT_RE = re.compile(r"(?i)^(?:it\s+was\s+)?(?:resolved|agreed|decided)\s+(?:unanimously\s+)?(?:to|that)\s+\S+\s+\S+"
                          r"|^actions?\s*(?:by\s+[^:]{2,40})?\s*(?:[:–—]|\s-\s)\s*\S+\s+\S+"
                          rf"|^{VOTE_TALLY}\s*$"  # a vote's tally is a line of the minutes, not a section
                          # a body or member doing something the minutes record: "Cllr Mrs Leamon proposed approval for
                          # payment seconded by Cllr McCarthy", "The Parish Council agreed to share the £900 cost"
                          r"|^(?-i:(?:[A-Z][\w'’.&-]*\s+){1,6}(?:proposed|seconded|agreed|resolved|decided|approved|supported|"
                          r"requested|asked|objected)\s+(?:to|that|the|a|an|approval|acceptance|by|not|this)\b)")
POSTCODE_RE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")  # a UK postcode: "SW1H 9AJ"
WORDY_RE = re.compile(r"[^\W\d_]{2}")  # a heading has a word in it: large type that is only figures is a chart's


def looks_like_heading(line: str) -> bool:
    """A short line, no sentence punctuation at its end, mostly capitalised words."""
    s = line.strip()
    if not s or len(s) > 90 or s.endswith(SENT_END) or COVER_FIELD_RE.match(s) or not WORDY_RE.search(s) \
            or STATEMENT_RE.match(s):
        return False
    words = re.findall(r"[A-Za-z][A-Za-z'’]*", re.sub(r"\([^)]*\)", "", s))
    if not words or len(words) > 12:
        return False
    if s.isupper() and len(words) >= 1:
        return True
    small = {"a", "an", "the", "of", "and", "in", "on", "for", "to", "with", "by", "at", "or", "&"}
    caps = sum(1 for w in words if w[0].isupper() or w.lower() in small)
    return caps / len(words) >= 0.6 and words[0][0].isupper()


def lines_to_blocks(lines: list[str], page: int | None = None, section_stack: list[tuple[int, str]] | None = None,
                    heading_lines: set[str] | None = None) -> list[Block]:
    """Group lines into blocks. `section_stack` carries the heading path across pages.

    `heading_lines` (optional): stripped lines the caller knows are headings from typography
    (bold in a PDF); numbered ones keep their number ("5. Legal implications").
    """
    reader = _LineReader(page, section_stack if section_stack is not None else [], heading_lines or set())
    for raw in lines:
        reader.read(raw.rstrip())
    reader.flush()
    return join_broken(reader.blocks)


class _LineReader:
    """Lines of one page read in order: the blocks so far, the paragraph being gathered, the table being
    read (its header row and index) and the heading path (`stack`, shared with the caller across pages)."""

    def __init__(self, page: int | None, stack: list[tuple[int, str]], known: set[str]) -> None:
        self.page = page
        self.stack = stack
        self.known = known  # lines set as headings by typography
        self.blocks: list[Block] = []
        self.para: list[str] = []
        self.table_header: list[str] | None = None
        self.table_index = -1

    def section(self) -> str | None:
        """The heading path the next block sits under ("6.0 Background > 6.3 Caseloads")."""
        return " > ".join(t for _, t in self.stack) or None

    def flush(self) -> None:
        """End the paragraph being gathered: its lines become one paragraph block."""
        if self.para:
            text = clean_inline(" ".join(self.para))
            if text:
                self.blocks.append(Block("paragraph", text, page=self.page, section=self.section()))
            self.para.clear()

    def push_heading(self, level: int, text: str, number: str | None = None) -> None:
        """A heading: it closes the sections at its level or below and opens its own."""
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        self.stack.append((level, text))
        self.blocks.append(Block("heading", text, page=self.page, section=self.section(), level=level, number=number))

    def read(self, line: str) -> None:
        """One line (trailing space already gone): a blank ends the paragraph; a tabbed line is a table row;
        then the line is tried as a heading, a bullet, a numbered item or section, a cover field; else it
        joins the paragraph."""
        if not line.strip():
            self.flush()
            return
        stripped = line.strip()
        if "\t" in stripped or (self.table_header is not None and "\t" in line and line.strip()):
            self.table_row(line)
            return
        self.table_header = None  # a line without tabs ends the table
        if GENRE_HEADING_RE.match(stripped):
            self.flush()
            self.push_heading(2 if self.stack else 1, clean_inline(stripped.rstrip(":")))
            return
        m = MD_HEADING_RE.match(stripped)
        if m and WORDY_RE.search(m.group("text")):
            self.flush()
            self.push_heading(len(m.group("hashes")), clean_inline(m.group("text")))
            return
        if m:  # a "heading" of figures only (a chart's axis in large type) is text
            stripped = line = m.group("text").strip()
        if self.bullet(line) or self.numbered(line):
            return
        if stripped in self.known and COVER_FIELD_RE.match(stripped):  # a cover field set in bold: a line of its own
            self.flush()
            self.blocks.append(Block("paragraph", clean_inline(stripped), page=self.page, section=self.section()))
            return
        if not self.para and (looks_like_heading(stripped) or (stripped in self.known and len(stripped) < 120
                                                               and WORDY_RE.search(stripped)
                                                               and not STATEMENT_RE.match(stripped))):
            self.push_heading(2 if self.stack else 1, clean_inline(stripped))
            return
        self.para.append(stripped)
        if stripped.endswith((".", ":", "?", "!")) and len(stripped) > 60:
            # a long line ending a sentence is a paragraph of its own in published text exports
            self.flush()

    def table_row(self, line: str) -> None:
        """A row of a tab-separated table export: the first row of a run is the header (or a heading)."""
        self.flush()
        cells = [clean_inline(TAG_RE.sub(" ", c)) for c in line.split("\t")]
        if self.table_header is None:
            self.table_header = cells
            self.table_index += 1
            self.blocks.append(Block("heading" if looks_like_heading(" ".join(cells)) else "table_row",
                                     " | ".join(c for c in cells if c), page=self.page, section=self.section(),
                                     level=3, cells=cells, table=self.table_index))
            if self.blocks[-1].kind == "table_row":
                self.blocks[-1].header = cells
        else:
            self.blocks.append(Block("table_row", " | ".join(c for c in cells if c), page=self.page,
                                     section=self.section(), cells=cells, header=self.table_header,
                                     table=self.table_index))

    def bullet(self, line: str) -> bool:
        """A bulleted line ("· ...", "- ..."): a list item at its indent's depth, or a numbered paragraph
        written as a bullet ("- 6.1 Children's Social Care ..."). False if the line is no bullet."""
        m = BULLET_RE.match(line)
        if not (m and m.group("text").strip()):
            return False
        self.flush()
        inner = m.group("text").strip()
        nm = NUMBER_RE.match(inner)
        depth = 1 + (len(line) - len(line.lstrip())) // 2
        if nm and "." in nm.group("num").strip("."):
            self.blocks.append(Block("paragraph", clean_inline(nm.group("text")), page=self.page,
                                     section=self.section(), number=nm.group("num").rstrip(".")))
        else:
            self.blocks.append(Block("list_item", clean_inline(inner), page=self.page, section=self.section(),
                                     level=depth))
        return True

    def numbered(self, line: str) -> bool:
        """A numbered line: a numbered section heading ("1.0 Purpose of the report", a bold "5. Legal
        implications"), a numbered report paragraph ("6.1 ...") or a numbered item ("1. The progress ...",
        "(a) ..."). A date ("21 September 2023") is no item 21. False if the line is not numbered."""
        m = NUMBER_RE.match(line)
        if not m or MONTH_AFTER_RE.match(m.group("text")):
            return False
        num = m.group("num").strip()
        text = clean_inline(m.group("text"))
        self.flush()
        parts = num.strip("().").split(".")
        # "1.0 Purpose of the report" / "2.0 Recommendation(s)" are section headings
        x0_section = len(parts) == 2 and parts[-1] == "0" and len(text) < 90 and not text.endswith(SENT_END)
        typographic = line.strip() in self.known and len(text) < 120 and not BULLET_RE.match(line) \
            and WORDY_RE.search(text) and not STATEMENT_RE.match(text)
        if typographic or x0_section or (looks_like_heading(text) and (len(parts) == 1 or parts[-1] in ("0", ""))
                                         and len(text) < 70):
            self.push_heading(1 if len(parts) <= 2 else 2, text, number=num.rstrip("."))
        elif "." in num.strip(".") and re.match(r"^\d", num):
            self.blocks.append(Block("paragraph", text, page=self.page, section=self.section(), number=num.rstrip(".")))
        else:
            self.blocks.append(Block("list_item", text, page=self.page, section=self.section(), level=1,
                                     number=num.rstrip(".")))
        return True


def join_broken(blocks: list[Block]) -> list[Block]:
    """Re-join a paragraph that a blank line cut mid-sentence ("... commencing the training" + "in October ...")."""
    out: list[Block] = []
    for b in blocks:
        prev = out[-1] if out else None
        if (prev is not None and b.kind == "paragraph" and b.number is None and prev.kind == "paragraph"
                and prev.page == b.page and len(prev.text) > 80 and not prev.text.rstrip().endswith((*SENT_END, ")", "?"))
                and b.text[:1].isalnum()):
            prev.text = prev.text.rstrip() + " " + b.text.lstrip()
            continue
        out.append(b)
    return out
