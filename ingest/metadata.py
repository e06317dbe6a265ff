"""Infer a council paper's metadata: authority, committee, meeting date, kind and title.

Everything here is a rule about the *genre* (how UK council papers are laid
out: ModernGov agenda-item pages, "Report to:" cover sheets, "From:/To:/Subject:"
headers, "MINUTES of a meeting of ..." openings, slide decks), never about a
particular file. Each field is scored from several signals, strongest first:

* the document's header (first ~60 blocks): labelled fields ("Date of meeting:",
  "Report to:", "To: Cabinet – 30 January 2025", "Meeting of X, Monday 20th June 2022");
* the rest of the text (mention counts, "the presentation was provided to the X Committee");
* ``doc.hints`` (file properties a parser found: title, created, url, ...);
* the file name ("cabinet_2025-01-30__...", "... 30th-Jan-2025 ...", "Minutes ...").

meeting_date is ISO "YYYY-MM-DD", or "YYYY-MM" when only the month is known:

* a labelled or header date (day precision);
* a date in the file name (day precision);
* a month-year line on a title page/slide ("JUNE 2022") (month precision);
* for minutes with nothing better: the latest *past* event the discussion dates
  ("the official launch took place on the 1st March" after "... February 2021"),
  at month precision only, because a meeting is minuted after what it discusses
  and usually within weeks of it; future-tense dates ("would conclude in 2023") are ignored;
* last resort: the file's created date from ``hints`` at month precision (a paper
  is usually written in the weeks before its meeting, so the day would be a guess).
Anything vaguer gives None: a wrong date is worse than none.

No field is ever "": unknown is None. Imports stay light (no spaCy/torch).
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path

from ingest import gazetteer
from ingest.model import ParsedDocument
from ingest.textblocks import POSTCODE_RE

__all__ = ["KINDS", "find_dates", "infer_metadata", "title_case"]

KINDS = ("minutes", "report", "presentation", "agenda", "other")
HEAD_BLOCKS = 60

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}
MON_RE = (r"(?P<mon>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
WEEKDAY_RE = r"(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?"
# "Monday, 20th June, 2022", "the 15th of January 2020", "30th-Jan-2025", "21 September 2023"
DMY_RE = re.compile(rf"(?i)\b(?P<wd>{WEEKDAY_RE},?\s+)?(?:the\s+)?(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?:\s+of)?[\s\-]+{MON_RE}"
                    rf"(?:,?[\s\-]+(?P<y>(?:19|20)\d\d))?\b")
# "June 20, 2022" (rare in UK papers)
MDY_RE = re.compile(rf"(?i)\b{MON_RE}\s+(?P<d>[0-3]?\d)(?:(?:st|nd|rd|th),?|,)\s*(?P<y>(?:19|20)\d\d)\b")  # "MARCH 1ST 2011"
NUM_RE = re.compile(r"(?<![\d.\-/])(?P<d>[0-3]?\d)[./\-](?P<m>[01]?\d)[./\-](?P<y>(?:19|20)?\d\d)(?![\d/\-]|\.\d)")
ISO_RE = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?!\d)")
MONTH_YEAR_RE = re.compile(rf"(?i)\b{MON_RE}[\s,]+(?P<y>(?:19|20)\d\d)\b")


def _iso(y: int, m: int, d: int | None = None) -> str | None:
    if not (1 <= m <= 12) or not (1990 <= y <= 2100):
        return None
    if d is None:
        return f"{y:04d}-{m:02d}"
    if not 1 <= d <= 31:
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def _month(name: str) -> int:
    name = name.lower().rstrip(".")
    for full, i in MONTHS.items():
        if full.startswith(name[:3]):
            return i
    return 0


def find_dates(text: str, year_hint: int | None = None) -> list[tuple[str, int, int, bool]]:
    """Dates in `text` as (iso, start, end, had_year); day-first, as UK papers write them.

    A day and month without a year take `year_hint` where given (else they are skipped).
    """
    out: list[tuple[str, int, int, bool]] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    for m in ISO_RE.finditer(text):
        iso = _iso(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        if iso:
            out.append((iso, m.start(), m.end(), True))
            taken.append(m.span())
    for m in DMY_RE.finditer(text):
        if not free(*m.span()):
            continue
        y = m.group("y")
        if not y and year_hint is None:
            continue
        iso = _iso(int(y) if y else year_hint, _month(m.group("mon")), int(m.group("d")))
        if iso:
            out.append((iso, m.start(), m.end(), bool(y)))
            taken.append(m.span())
    for m in MDY_RE.finditer(text):
        if free(*m.span()):
            iso = _iso(int(m.group("y")), _month(m.group("mon")), int(m.group("d")))
            if iso:
                out.append((iso, m.start(), m.end(), True))
                taken.append(m.span())
    for m in NUM_RE.finditer(text):
        if free(*m.span()):
            y = int(m.group("y"))
            y = y + 2000 if y < 100 else y
            iso = _iso(y, int(m.group("m")), int(m.group("d")))
            if iso:
                out.append((iso, m.start(), m.end(), True))
                taken.append(m.span())
    out.sort(key=lambda t: t[1])
    return out


def _month_years(text: str) -> list[tuple[str, int, int]]:
    return [(_iso(int(m.group("y")), _month(m.group("mon"))), m.start(), m.end())
            for m in MONTH_YEAR_RE.finditer(text) if _iso(int(m.group("y")), _month(m.group("mon")))]


# ----------------------------------------------------------------------------- text helpers

SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to",
               "with", "upon", "under"}
KEEP_UPPER = {"SEND", "NHS", "KCC", "CYPE", "ICS", "EQIA", "DPIA", "SEN", "UK", "MP", "CQC", "ILACS", "DFE", "FDAC",
              "MASH", "PRU", "LGA", "ASC", "ASCH", "JHOSC", "CPP", "QPR", "II", "III", "IV", "Q1", "Q2", "Q3", "Q4"}


def title_case(text: str) -> str:
    """ALL-CAPS words to Title Case: small words lower (not first), apostrophes kept right
    ("CHILDREN AND YOUNG PEOPLE'S SCRUTINY COMMITTEE" -> "Children and Young People's Scrutiny Committee").
    Words already in mixed case are left alone."""
    words = text.split()
    out = []
    for i, w in enumerate(words):
        letters = re.sub(r"[^A-Za-z]", "", w)
        if not letters or not letters.isupper() or (w.strip("().,:;") in KEEP_UPPER):
            out.append(w)
            continue
        lw = w.lower()
        if i and lw in SMALL_WORDS:
            out.append(lw)
            continue
        out.append("-".join(_cap(p) for p in lw.split("-")))
    return " ".join(out)


def _cap(part: str) -> str:
    m = re.search(r"[a-z]", part)
    return part if not m else part[:m.start()] + part[m.start()].upper() + part[m.start() + 1:]


def _mostly_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.6


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = re.sub(r"\s+", " ", text).strip(" \t-–—:;,|*_#")
    return text or None


FIELD_SPLIT_RE = re.compile(r"\s+(?=(?:To|From|Subject|Classification|Date of meeting|Report to|Relevant Officer|"
                            r"Past Pathway of report|Future Pathway of report|Electoral Divisions?|Ask for)\s*:)")


def _lines(doc: ParsedDocument, n: int = HEAD_BLOCKS) -> list[str]:
    """Header lines; a paragraph that joined "...and Education To: Cabinet – 30 January 2025" is split at the label."""
    out = []
    for b in doc.blocks[:n]:
        for ln in FIELD_SPLIT_RE.split(b.text.replace("\r", "")):
            ln = ln.strip()
            if ln:
                out.append(ln)
    return out


# ----------------------------------------------------------------------------- kind

FILE_KIND = [
    (re.compile(r"(?i)\bminutes?\b"), "minutes", 6),
    (re.compile(r"(?i)\b(?:agenda|frontsheet|front sheet|summons)\b"), "agenda", 5),
    (re.compile(r"(?i)(?:^|[\W_])pack(?:$|[\W_])"), "agenda", 4),
    (re.compile(r"(?i)\b(?:presentation|slides?|slide deck)\b"), "presentation", 6),
    (re.compile(r"(?i)\breport\b"), "report", 4),
]


def infer_kind(doc: ParsedDocument, path: Path, head: str, text: str) -> str:
    score: dict[str, float] = defaultdict(float)
    if doc.format == "pptx":
        return "presentation"
    part = _doc_part(path).replace("_", " ")  # "..._2013_Minutes": words, for \b
    for rx, kind, w in FILE_KIND:
        if rx.search(part):
            score[kind] += w
    # minutes: a "Minutes:" field (ModernGov item pages hold the minute there), "MINUTES of a meeting"
    if re.search(r"(?im)^\s*minutes\s*:?\s*$", head):
        score["minutes"] += 8
    elif re.search(r"(?im)^\s*minutes(?:\s+(?:and|&)\s+actions?)?\s*[-–—:]\s*(?=.*\d{4})", head[:1500]):
        score["minutes"] += 6  # "MINUTES AND ACTIONS - 17th October 2013"
    if re.search(r"(?i)\bminutes of (?:a|the)\s+(?:\w+\s+){0,3}meeting\b(?!s)", head[:1500]) and not re.search(
            r"(?i)(?:approve|confirm|agree|sign)\w*\s+(?:\w+\s+){0,3}minutes of", head[:1500]):
        score["minutes"] += 6
    if re.search(r"(?m)^\s*(?:PRESENT|Present)\s*:", head):
        score["minutes"] += 4
    if re.search(r"(?im)^\s*(?:apologies(?: for absence)?|also present|in attendance)\b", head):
        score["minutes"] += 2
    resolved = len(re.findall(r"(?m)(?:^|\.\s+)\s*(?:RESOLVED|Resolved)\b", text))
    score["minutes"] += min(resolved, 4) * 1.5
    # report: cover-sheet fields and sections
    for rx, w in ((r"(?im)^\s*report (?:to|of|by)\b", 5), (r"(?i)\bpurpose of (?:the|this) report\b", 5),
                  (r"(?im)^\s*(?:\d+(?:\.0)?\s+)?recommendations?(?:\(s\))?\s*:?\s*$", 3),
                  (r"(?im)^\s*executive summary\s*$", 3), (r"(?im)^\s*subject\s*:", 3),
                  (r"(?im)^\s*(?:to|from)\s*:\s*\S", 2), (r"(?im)^\s*classification\s*:", 2),
                  (r"(?im)^\s*(?:electoral )?divisions? affected\s*:?", 2),
                  (r"(?im)^\s*(?:relevant officer|contact officer|report author|wards? affected)\s*:?", 2),
                  (r"(?i)\brecommendations?\s*:", 1), (r"(?im)^\s*(?:\d+\.0?\s+)?background\b", 1)):
        if re.search(rx, head):
            score["report"] += w
    # agenda: an agenda with items and no minute
    if re.search(r"(?im)^\s*agenda\s*$", head) or re.search(r"(?i)\bagenda\s+(?:frontsheet|pack)\b", head):
        score["agenda"] += 4
    if re.search(r"(?im)^\s*agenda item\b", head) and score["minutes"] < 6:
        score["agenda"] += 3
    if re.search(r"(?i)\b(?:notice of (?:the )?meeting|you are (?:hereby )?(?:summoned|requested) to attend)\b", head):
        score["agenda"] += 4
    # presentation: a slide deck exported to text/PDF: a title slide dated by month ("JUNE 2022"),
    # many ALL-CAPS or question headings, bullets rather than numbered report sections, few words a page
    blocks = doc.blocks[:300]
    if blocks:
        heads = [b.text for b in blocks if b.kind == "heading"]
        caps = sum(1 for h in heads if _mostly_upper(h) and len(h) > 3)
        numbered = sum(1 for b in blocks if b.number)
        lists = sum(1 for b in blocks if b.kind == "list_item")
        if any(_month_years(ln) and len(ln) < 20 and not find_dates(ln) for ln in head.splitlines()[:10]):
            score["presentation"] += 2
        if caps >= 4 and numbered < 3:
            score["presentation"] += 2
        if sum(1 for h in heads if h.endswith("?")) >= 2:
            score["presentation"] += 1
        if lists / len(blocks) > 0.35 and numbered < 3 and len(heads) / len(blocks) > 0.15:
            score["presentation"] += 1
        if doc.pages and doc.pages >= 4 and len(text.split()) / doc.pages < 90 and numbered < 3:
            score["presentation"] += 2
    if re.search(r"(?im)^\s*slide\s+\d+", text):
        score["presentation"] += 3
    if not score or max(score.values()) < 2:
        return "other"
    return max(KINDS[:4], key=lambda k: (score[k], -KINDS.index(k)))


# ----------------------------------------------------------------------------- date

LABEL_DATE_RE = re.compile(
    r"(?i)(?:date\s+of\s+(?:the\s+)?meeting|meeting\s+date|meeting\s+to\s+be\s+held\s+on|meeting\s+held\s+on|"
    r"(?:minutes\s+of\s+(?:a|the)\s+(?:[\w,'’&]+\s+){0,12}?(?:meeting|committee|board|panel|council|cabinet)\b"
    r"(?:[^.\n]{0,120}?)\s+(?:held\s+)?on)|held\s+on|date\s+of\s+decision|decision\s+date)\s*:?\s*")


MEETING_WORD_RE = re.compile(r"(?i)\bmeeting\b")
# "To approve the minutes of the meeting held on ...": an earlier meeting
PRIOR_MINUTES_RE = re.compile(r"(?i)\b(?:approv\w*|confirm\w*|sign\w*|agree\w*)\s+(?:\w+\s+){0,3}minutes\b|"
                              r"\b(?:previous|last|former|earlier|arising|following)\b")


def _meeting_line_date(head_lines: list[str]) -> str | None:
    """The meeting named at the top with its full date, a few words on ("Ordinary Meeting of the Parish Council
    Wednesday 7 March 2018", "MEETING HELD AT WEST DEREHAM VILLAGE HALL AT 7.30 pm ON THURSDAY 11 OCTOBER 2018");
    not an earlier meeting's ("To approve the minutes of the meeting held on ...")."""
    for ln in head_lines[:6]:
        for m in MEETING_WORD_RE.finditer(ln[:400]):
            if PRIOR_MINUTES_RE.search(ln[max(0, m.start() - 80):m.end()]):
                continue
            ds = [d for d in find_dates(ln[m.end():m.end() + 160]) if d[3] and re.match(r"\d{4}-\d\d-\d\d$", d[0])]
            if ds:
                return ds[0][0]
    return None


def _doc_part(path: Path) -> str:
    """The part of a file name that names this document (after a "collection__" prefix)."""
    stem = Path(path).stem
    return stem.split("__", 1)[1] if "__" in stem else stem


CLOCK_TAIL_RE = re.compile(r"(?i)[,;]?\s*(?:at\s+|from\s+)?\d{1,2}[.:]\d{2}\s*(?:am|pm|a\.m\.|p\.m\.)?"
                           r"(?:\s*(?:-|–|to)\s*\d{1,2}[.:]\d{2}\s*(?:am|pm|a\.m\.|p\.m\.)?)?\s*$")  # ", 9:30 - 12:30"
COMPACT_DATE_RE = re.compile(r"(?<!\d)((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?!\d)")


# a minutes' own heading: "MINUTES OF NORTHWOLD PARISH COUNCIL MEETING HELD AT THE VILLAGE HALL TUESDAY MARCH 1ST 2011",
# "Councillors are summoned to a meeting on 2nd August 2013", "Wretton PC Minutes from their 8th January Meeting"
MEETING_HEADING_RE = re.compile(r"(?i)^\W*(?:draft\s+)?minutes\s+(?:of|for|from)\b|^(?-i:(?!The\b|These\b|Those\b|To\b)(?:[A-Z][\w.&'’-]*\s+){1,5})minutes\s+"
                                r"(?:of|for|from)\b|\b(?:summoned|called)\s+to\s+(?:a|the)\s+(?:\w+\s+)?meeting\b")
# a page's title naming its meeting ("Local Public Data Panel – Fifth Meeting 21 October 2010"), first lines only
MEETING_TITLE_RE = re.compile(r"(?i)\bmeeting\s+(?:held\s+)?(?:on\s+)?(?=(?:the\s+)?\d)")
# a heading line about another meeting: "Minutes of the last meeting held on ...", "... were approved"
OTHER_MEETING_RE = re.compile(r"(?i)\b(?:previous|last|prior|approved?|agreed|were|was|had\s+been|signed|confirmed|accepted|"
                              r"next|future|forthcoming)\b")
# the month a web page was published, set under its title ("May 2011") or before its file name ("2011-05_...")
PUBLISHED_MONTH_RE = re.compile(r"^((?:19|20)\d\d)-(0[1-9]|1[0-2])(?!\d)")


def _publication_month(path: Path, head_lines: list[str]) -> tuple[int, int] | None:
    m = PUBLISHED_MONTH_RE.match(Path(path).name)
    if m:
        return int(m.group(1)), int(m.group(2))
    for ln in head_lines[:3]:
        my = _month_years(ln)
        if my and len(ln) - (my[0][2] - my[0][1]) < 4:
            y, mo = my[0][0].split("-")[:2]
            return int(y), int(mo)
    return None


def _heading_dates(head_lines: list[str], published: tuple[int, int] | None) -> list[tuple[float, str]]:
    """The meeting's date in the minutes' own heading lines; a day and month without a year take the year that puts
    the meeting on or before the page's publication (minutes are published after their meeting)."""
    out = []
    for i, ln in enumerate(head_lines[:12]):
        if not (MEETING_HEADING_RE.search(ln) or (i < 2 and MEETING_TITLE_RE.search(ln)
                                                  and not re.search(r"(?i)\b(?:minutes|cancel\w*|in\s+place)\b", ln))):
            continue
        ds = find_dates(ln, published[0] if published else None)
        if not ds or OTHER_MEETING_RE.search(ln) or re.search(
                r"(?i)\bminutes\s+(?:of\s+the\s+)?meeting\b", ln[:ds[0][1]]):
            continue  # "Minutes of the last meeting held on ...", an agenda's "Minutes of the Meeting held on 9 January"
        iso, _s, _e, had_year = ds[0]
        if not had_year and published and iso[:7] > f"{published[0]:04d}-{published[1]:02d}":
            iso = f"{int(iso[:4]) - 1:04d}{iso[4:]}"
        out.append((9.5 - i * 0.05, iso))
    return out


# minutes that name their meeting by its month: "Minutes of the September meeting of West Dereham Parish Council"
MONTH_MEETING_RE = re.compile(rf"(?i)\bminutes\s+(?:of|for|from)\s+(?:the|their)\s+{MON_RE}\s+(?:[\w-]+\s+){{0,3}}?meeting\b")


def _month_meeting(head_lines: list[str], published: tuple[int, int] | None) -> str | None:
    """The month of a meeting the heading names by its month alone, in the year that puts it on or before the page's
    publication (a month, no day: "the September meeting" on a page of October 2007 is 2007-09)."""
    if not published:
        return None
    for ln in head_lines[:4]:
        m = MONTH_MEETING_RE.search(ln)
        if m and not OTHER_MEETING_RE.search(ln):
            mon = _month(m.group("mon"))
            return _iso(published[0] - (1 if mon > published[1] else 0), mon)
    return None


# minute numbers that carry the meeting's year and month: "14/06/1", "14/06/9.04" (June 2014)
MINUTE_REF_RE = re.compile(r"(?<![\d/.])(\d\d)/(0[1-9]|1[0-2])/(\d{1,2})(?:\.\d+)?(?![\d/])")


def _minute_ref_month(text: str, published: tuple[int, int] | None) -> str | None:
    """The month the minutes' own numbering gives ("14/06/1" ... "14/06/9"): three or more numbers under one
    year/month, on or before the page's publication and within a year of it."""
    if not published:
        return None
    seen: dict[tuple[str, str], set[str]] = {}
    for m in MINUTE_REF_RE.finditer(text[:20000]):
        seen.setdefault((m.group(1), m.group(2)), set()).add(m.group(3))
    best = max(seen.items(), key=lambda kv: len(kv[1]), default=None)
    if not best or len(best[1]) < 3:
        return None
    y, mo = 2000 + int(best[0][0]), int(best[0][1])
    months_before = (published[0] - y) * 12 + published[1] - mo
    return _iso(y, mo) if 0 <= months_before <= 12 else None


def infer_date(doc: ParsedDocument, path: Path, head_lines: list[str], kind: str, text: str) -> str | None:
    head = "\n".join(head_lines)
    title = (doc.hints or {}).get("title")  # a web page's title: "Local Public Data Panel – fifth meeting 21 October 2010"
    cands: list[tuple[float, str]] = _heading_dates(([str(title)] if title else []) + head_lines,
                                                    _publication_month(path, head_lines))
    # 1. labelled dates: "Date of meeting: 21 September 2023" (value may be on the next line)
    for m in LABEL_DATE_RE.finditer(head):
        line_start = head.rfind("\n", 0, m.start()) + 1
        before = head[line_start:m.start()]
        line_no = head.count("\n", 0, m.start())
        explicit = re.match(r"(?i)date\s+of|meeting\s+(?:date|to\s+be)", m.group(0))
        if line_no > 4 and not explicit:
            continue  # "Minutes of the meeting held on ..." deep in the text: an item about another meeting
        lead = before.strip(" \t•·-*–—,:")
        if lead and not (COMMITTEE_TAIL.search(lead) and len(lead) < 90):
            # "3. Minutes of the Meeting held on ..." (an agenda item), "RESOLVED that the minutes of the
            # meeting held on ...", "... the former X Committee meeting held on ...": another meeting
            continue
        ds = find_dates(head[m.end():m.end() + 60])
        if ds and ds[0][1] <= 3 and ds[0][3]:
            cands.append((10, ds[0][0]))
    # "Meeting of X, Monday 20th June 2022", "To: Cabinet – 30 January 2025",
    # "CORPORATE PARENTING PANEL – 29 October 2024", "COUNTY COUNCIL - THURSDAY, 13 FEBRUARY 2025"
    for i, ln in enumerate(head_lines[:25]):
        ds = [d for d in find_dates(ln) if d[3]]
        if not ds:
            continue
        lead = ln[:ds[0][1]]
        if re.match(r"(?i)\s*(?:[•·\-*]\s*)?meeting of\b", ln) or re.match(r"(?i)\s*to\s*:", ln):
            cands.append((9, ds[0][0]))
        elif COMMITTEE_TAIL.search(lead.strip(" -–—,:")) and len(lead) < 90:
            cands.append((8, ds[0][0]))
        elif re.match(rf"(?i)\s*{WEEKDAY_RE},?\s", ln[ds[0][1]:]) and (len(ln) < 60 or ds[0][1] < 2):
            cands.append((8 - i * 0.1, ds[0][0]))  # a date line with its weekday: the meeting's own
        elif len(CLOCK_TAIL_RE.sub("", ln)) - (ds[0][2] - ds[0][1]) < 12 and i < 15 and not re.match(r"(?i)\s*date\s*:", ln):
            cands.append((5 - i * 0.1, ds[0][0]))  # a line that is just a date
    found = _meeting_line_date(head_lines)
    if found:  # it beats a file name's month (a web page's publication month), not a date the file name gives to the day
        cands.append((6.5, found))
    # 2. the file name ("cabinet_2025-01-30__...", "Printed minutes 30th-Jan-2025", "CPP Minutes 29.10.24")
    stem = Path(path).stem
    part = _doc_part(path)
    for s, w in ((part, 7), (stem, 6)):
        ds = find_dates(s.replace("_", " "))
        compact = COMPACT_DATE_RE.search(s)  # "20140513_ODUG_Meeting_minutes"
        if ds or (compact and _iso(*map(int, compact.groups()))):
            iso = ds[0][0] if ds else _iso(*map(int, compact.groups()))
            cands.append((w if len(iso) > 7 else 6, iso))  # "2018-11_minutes-of-...": a month, often of publication
            break
    named = _month_meeting(head_lines, _publication_month(path, head_lines))
    if not named and kind == "minutes":
        named = _minute_ref_month(text, _publication_month(path, head_lines))
    if named and not any(len(c[1]) > 7 and c[1].startswith(named) for c in cands):
        cands.append((6.2, named))  # beats the publication month (a file name's), yields to the day in that month
    if cands:
        return max(cands, key=lambda c: c[0])[1]
    # 3. a month and year alone on a title page or slide ("SCRUTINY / JUNE 2022")
    for ln in head_lines[:12]:
        my = _month_years(ln)
        if my and len(ln) - (my[0][2] - my[0][1]) < 8:
            return my[0][0]
    # 4. minutes: the latest past event the discussion dates, month precision
    if kind == "minutes":
        d = _latest_past_event(text)
        if d:
            return d
    # 5. file properties, month precision
    for k in ("meeting_date", "date"):
        v = (doc.hints or {}).get(k)
        if v:
            ds = find_dates(str(v))
            if ds:
                return ds[0][0]
    v = (doc.hints or {}).get("created")
    if v:
        ds = find_dates(str(v))
        if ds:
            return ds[0][0][:7]
    return None


FUTURE_RE = re.compile(r"(?i)\b(?:will|would|shall|expected|due|planned|plans?|intend\w*|by|until|from|next|"
                       r"forthcoming|future|conclude|anticipated|proposed|aim\w*)\b")
PAST_RE = re.compile(r"(?i)\b(?:took place|launched|held|was|were|had|began|started|received|completed|agreed|"
                     r"approved|published|met|considered|went live)\b")


def _latest_past_event(text: str) -> str | None:
    """Month of the latest dated past event in a minute's discussion (see module doc).

    Only sentences in the past tense without future or "former/previous" cues count. A day and
    month without a year ("the 1st March") is read in the year of the latest fully dated past
    event when it falls after it; otherwise it is not used (no guessing across a year end).
    """
    sentences = re.split(r"(?<=[.!?])\s+|\n+", text)
    dated: list[str] = []
    undated: list[tuple[int, int]] = []  # (month, day)
    for s in sentences:
        if not PAST_RE.search(s) or FUTURE_RE.search(s) or re.search(r"(?i)\b(?:former|previous|last)\b", s):
            continue
        for iso, _, _, had_year in find_dates(s, year_hint=1990):
            if had_year:
                dated.append(iso)
            else:
                undated.append((int(iso[5:7]), int(iso[8:10])))
    if not dated:
        return None
    best = max(dated)
    y, m, d = int(best[:4]), int(best[5:7]), int(best[8:10])
    for um, ud in undated:
        if (um, ud) > (m, d):
            cand = _iso(y, um, ud)
            if cand and cand > best:
                best = cand
    return best[:7]


# ----------------------------------------------------------------------------- committee

COMMITTEE_WORDS = (r"(?:Sub[- ]Committee|Committee|Board|Panel|Cabinet|Forum|Commission|Council|Assembly|Partnership|"
                   # a group that meets as a body ("Open Data User Group", "Task and Finish Group"), not a
                   # political group ("the Labour Group")
                   r"(?:Steering|Working|User|Advisory|Reference|Task(?:\s+and\s+Finish)?|Project|Programme|Oversight|"
                   r"Improvement|Review|Scrutiny|Liaison|Stakeholder)\s+Group)")
COMMITTEE_TAIL = re.compile(rf"(?i)\b{COMMITTEE_WORDS}$")
CAP_WORD = r"(?:[A-Z][\w'’\-&]*|&)"
CONNECT = r"(?:and|of|for|the|on|in|&|with|to)"
# a capitalised run ending with a committee word: "Education and Children's Services Scrutiny Committee",
# "Scrutiny for Policies, Children and Families Committee"
COMMITTEE_RE = re.compile(
    rf"(?<![\w'’])((?:{CAP_WORD}(?:,?\s+|\s*-\s*)(?:{CONNECT}\s+)*){{0,12}}{COMMITTEE_WORDS})\b(?![\w'’])"
    # "Cabinet Office", "Cabinet Member for ...", "Council Tax", "Board member": something else
    r"(?!\s+(?:Office|Offices|Secretary|Member|Members|Minister|Ministers|Portfolio|Spokesperson|Tax|Chamber|Room|"
    r"House|Leader|Papers|Report|Reports)\b)")
# the electors' statutory annual meeting, a body of its own besides the parish or town council: "Milburn Annual Parish
# Meeting - 7th May 2019" heads its minutes
ANNUAL_MEETING_RE = re.compile(r"(?!(?:The|To|Next|Last|Date|This|Minutes)\b)(?:[A-Z][\w'’-]*\s+){1,3}Annual\s+(?:Parish|Town|Village)\s+(?:Meeting|Assembly)")
NOT_COMMITTEE_LEAD = {"the", "a", "an", "this", "that", "former", "previous", "our", "its", "their", "to", "of",
                      "and", "for", "by", "at", "in", "on", "with", "from", "meeting", "report", "minutes", "members",
                      "member", "chair", "chairman", "vice-chair", "leader", "agenda", "item", "scc", "dear",
                      "resolved", "noted", "subject"}
GENERIC = {"committee", "board", "panel", "council", "commission", "forum", "assembly", "partnership",
           "the committee", "scrutiny committee", "sub-committee", "the council", "the board",
           "borough council", "district council", "city council", "local authority", "partnership board",
           "county council cabinet", "working group", "steering group", "task group", "task and finish group",
           "user group", "advisory group", "project group", "review group", "scrutiny group"}
FILE_COMMITTEES = [
    (re.compile(r"(?i)(?:^|[\W_])full[\s_\-]*council(?:$|[\W_])"), "Full Council"),
    (re.compile(r"(?i)(?:^|[\W_])cabinet(?:$|[\W_])"), "Cabinet"),
    (re.compile(r"(?i)(?:^|[\W_])(?:health[\s_\-]*(?:and|&)?[\s_\-]*wellbeing[\s_\-]*board|hwb)(?:$|[\W_])"),
     "Health and Wellbeing Board"),
    (re.compile(r"(?i)(?:^|[\W_])scrutiny[\s_\-]*committee(?:$|[\W_])"), "Scrutiny Committee"),
    (re.compile(r"(?i)(?:^|[\W_])corporate[\s_\-]*parenting[\s_\-]*(?:panel|board|committee)?(?:$|[\W_])"),
     "Corporate Parenting Panel"),
]


def _normalise_committee(raw: str, when: str | None = None) -> str | None:
    s = _clean(raw.replace("\n", " "))
    if not s or " | " in s:
        return None  # a table row ("Author | ...") is no committee's name
    # "Notes from presentation to Local Public Data Panel", "Report to the Cabinet": the body it went to
    m = re.match(r"(?i)^(?:[\w’'-]+\s+){1,4}?to\s+(?:the\s+)?(?P<body>.+)$", s)
    if m and COMMITTEE_TAIL.search(m.group("body")) and re.search(
            r"(?i)\b(?:report|presentation|notes?|update|submission|letter|briefing|paper)\b", s[:m.start("body")]):
        s = m.group("body")
    s = re.sub(r"\s+(?:[-–—]\s*)?$", "", s)
    words = s.split()
    # drop leading words that are not part of a name ("the former", "SCC", an authority name)
    while words and (words[0].lower().strip(",") in NOT_COMMITTEE_LEAD or (
            # "SCC Scrutiny for Policies ...": an acronym before a mixed-case name is the council's
            re.fullmatch(r"[A-Z]{2,5}", words[0]) and len(words) > 2 and not _mostly_upper(" ".join(words[1:])))):
        words = words[1:]
    s = " ".join(words)
    for n in range(min(len(words) - 1, 8), 0, -1):  # "Lancashire County Council Cabinet" -> "Cabinet"
        lead, rest = " ".join(words[:n]), " ".join(words[n:])
        if rest and COMMITTEE_TAIL.search(rest) and gazetteer.resolve_authority(lead):
            s = rest
            break
    if not s or s.lower() in GENERIC or len(s.split()) > 14:
        if s and s.lower() in ("county council", "full council", "city council", "borough council"):
            return title_case(s.upper()) if s.isupper() else s[:1].upper() + s[1:]
        return None
    # a parish or town council's own name: the meeting is of the full council ("Parish Council")
    local = gazetteer.find_local_councils(s)
    if local and local[0][1] == 0 and local[0][0].lower() == s.lower():
        return " ".join(local[0][0].split()[-2:])
    # a council's own name is an authority, not a committee ("Kent County Council" alone)
    if gazetteer.resolve_authority(s, when) and not re.fullmatch(r"(?i)(?:county|full|city|borough) council", s):
        return None
    if _mostly_upper(s):
        s = title_case(s)
    return s


OTHER_COUNCILS = ("borough council", "county council", "city council", "district council")


def infer_committee(doc: ParsedDocument, path: Path, head_lines: list[str], text: str,
                    when: str | None) -> str | None:
    score: dict[str, float] = defaultdict(float)
    first_seen: dict[str, int] = {}

    def add(raw: str | None, w: float, pos: int = 10_000) -> None:
        name = _normalise_committee(raw or "", when) if raw else None
        if name and pos >= 100 and name.lower() in OTHER_COUNCILS:
            return  # "reported to the Borough Council" in a parish's minutes: another council, not this meeting's body
        if name:
            key = name.lower()
            score[key] += w
            first_seen.setdefault(key, pos)
            canon.setdefault(key, name)

    canon: dict[str, str] = {}
    head = "\n".join(head_lines)
    # labelled: "Report to: X", "To: X – 30 January 2025", "Meeting of X, Monday ...", "Committee: X"
    for i, ln in enumerate(head_lines[:40]):
        nxt = head_lines[i + 1] if i + 1 < len(head_lines) else ""
        m = re.match(r"(?i)\s*(?:report\s+to|to|committee|meeting|decision[- ]maker|body)\s*:\s*(.*)$", ln)
        if m:
            val = m.group(1).strip() or nxt
            val = _strip_date(val)
            if val and (COMMITTEE_TAIL.search(val) or len(val.split()) <= 8):
                add(val, 12, i)
            continue
        m = re.match(r"(?i)\s*(?:[•·\-*]\s*)?(?:an?\s+|the\s+)?(?:(?:special|extraordinary|ordinary|annual|joint)\s+)?"
                     r"meeting of (?:the\s+)?(.+?)(?:\s+on\s|\s+held\b|\s+will\s+be\b|\s*:|$)", ln)
        if m:
            add(_strip_date(m.group(1)), 10, i)
            continue
        m = re.match(r"(?i)\s*minutes of (?:a|the)\s+(?:\w+\s+)?meeting of (?:the\s+)?(.+?)(?:\s+held\b|,|$)", ln)
        if m:
            add(m.group(1), 10, i)
            continue
        # a header line that is a committee name, possibly with its date ("CORPORATE PARENTING PANEL – 29 October 2024")
        if i < 15:
            if i and gazetteer.resolve_authority(head_lines[i - 1] + " " + ln, when):
                continue  # "SOMERSET / County Council": a logo, the authority
            val = _strip_date(ln)
            if val and (COMMITTEE_TAIL.search(val) or ANNUAL_MEETING_RE.fullmatch(val)) and len(val.split()) <= 14 \
                    and not val.endswith("."):
                add(val, 8 - i * 0.2, i)
    # the body: "presentation was also provided to the X Committee", "considered by the X Committee"
    for m in re.finditer(rf"(?i)\b(?:to|before|by|of)\s+the\s+(?!former\b|previous\b)({CAP_WORD}[^.\n]{{0,120}}?{COMMITTEE_WORDS})\b",
                         text[:20000]):
        seg = COMMITTEE_RE.search(m.group(1))
        if seg and seg.end() == len(m.group(1)):
            pre = text[max(0, m.start() - 40):m.start()].lower()
            w = 3 if re.search(r"\b(?:presentation|report|item|update)\b[^.]*$", pre + " " + m.group(0).lower()) else 1.5
            add(seg.group(1), w, 100 + m.start())
    for m in COMMITTEE_RE.finditer(text[:20000]):
        before = text[max(0, m.start() - 12):m.start()].lower()
        if "former" in before or "previous" in before:
            continue
        add(m.group(1), 0.5, 100 + m.start())
    # the file name
    for rx, name in FILE_COMMITTEES:
        if rx.search(Path(path).stem):
            if name == "Full Council":
                name = "County Council" if re.search(r"\bCOUNTY COUNCIL\b|\bCounty Council\s*[-–—]", head) else name
            add(name, 5, 50)
            break
    if not score:
        return None
    best = max(score, key=lambda k: (score[k], -first_seen[k]))
    return canon[best]


def _strip_date(s: str) -> str:
    ds = find_dates(s)
    if ds:
        s = s[:ds[0][1]]
    s = re.sub(rf"(?i)[\s,\-–—]*(?:{WEEKDAY_RE})?[\s,\-–—]*$", "", s)
    return s.strip(" ,-–—:")


# ----------------------------------------------------------------------------- authority

TIE_SHARE = 0.9  # a runner-up with at least this share of the best council's evidence makes it a tie
# a council named neither at the top, nor by a web domain, nor by the folder must be named this often in
# the text, and make up at least this share of all the councils' mentions
MIN_MENTIONS, MIN_SHARE = 3, 0.5
TOP_CHARS = 1200  # "near the top": within this many characters of the head of the paper (its first quarter at most)


ATTENDANCE_LINE_RE = re.compile(r"(?i)^\s*(?:membership|(?:other\s+)?members|councillors|present|also\s+present|"
                                r"(?:other\s+)?attendees|attendance|in\s+attendance|apologies(?:\s+for\s+absence)?|panel|"
                                r"board|secretariat|distribution|circulation|cc)\s*:")


def _affiliation(text: str, pos: int) -> bool:
    """Whether `pos` is inside brackets on its line, or on a list of who attended: where a paper
    names the bodies its attendees come from, not its own."""
    start = text.rfind("\n", 0, pos) + 1
    before = text[start:pos]
    return before.count("(") > before.count(")") or bool(ATTENDANCE_LINE_RE.match(text[start:]))


def _first_local(names: list[str], seen: Counter) -> str:
    """The first local council named at the top; unless it is another's name misspelt ("Wesdt Dereham Parish
    Council" in a page's title, then "WEST DEREHAM PARISH COUNCIL" in the minutes' own heading)."""
    from difflib import SequenceMatcher

    own = names[0]
    for other in names[1:]:
        if seen.get(own, 0) <= 1 <= seen.get(other, 0) and SequenceMatcher(None, own.lower(), other.lower()).ratio() >= 0.9:
            return other
    return own


def infer_authority(doc: ParsedDocument, path: Path, head_lines: list[str], text: str, when: str | None) -> str | None:
    score: dict[str, float] = defaultdict(float)
    head = "\n".join(head_lines)
    hints_text = " ".join(str(v) for v in (doc.hints or {}).values() if isinstance(v, (str, int, float)))
    # explicit names in the header, earliest strongest
    ms = gazetteer.find_mentions(head)
    evidence = set().union(*[m.names for m in gazetteer.find_mentions(text)]) if text else set()
    best: dict[str, float] = {}
    direct = set()  # councils named near the top (not as an attendee's body): a paper's own
    for m in ms:  # each authority once, by its strongest header mention
        if _affiliation(head, m.start):
            continue  # "Roger Hampson (London Borough of Redbridge)" in the list of who attended
        name = gazetteer._pick(set(m.names), when, evidence)
        if name and m.start < min(TOP_CHARS, max(300, len(text) // 4)):
            direct.add(name)
        if name:
            early = m.start < 300
            w = (6 if early else 3) if m.strong else (1 if early else 0.5)
            best[name] = max(best.get(name, 0), w)
    for name, w in best.items():
        score[name] += w
    # e-mail / web domains (lancashire.gov.uk), ModernGov site links, in text and file properties
    for i, name in enumerate(gazetteer.domain_authority(text + " " + hints_text, when)):
        score[name] += 6 if i == 0 else 1
        direct.add(name)
    # a parish or town council named at the top is the author: its papers name the principal councils
    # it deals with (and their papers rarely open with a parish council's name)
    local_text = [name for name, _ in gazetteer.find_local_councils(text)]
    councils = {n.rsplit(" ", 1)[0]: n for n in local_text if n.endswith(" Council")}

    def local_name(name: str) -> str:  # "Milburn Parish Meeting" is convened by Milburn Parish Council, if it has one
        return councils.get(name.rsplit(" ", 1)[0], name) if name.endswith("Parish Meeting") else name

    local = gazetteer.find_local_councils(head)
    top = [n for n, pos in local if pos < min([400] + [m.start for m in ms])]  # before any principal council's name
    if top:  # the author, whatever principal councils its minutes deal with
        return _first_local(list(dict.fromkeys(local_name(n) for n in top)), Counter(local_name(n) for n in local_text))
    # the whole text, weighted: a council is named most in its own papers
    counts = gazetteer.find_authorities(text + " " + hints_text, when)
    counts += Counter(local_name(n) for n in local_text).most_common()
    total = sum(n for _, n in counts)
    for name, n in counts:
        score[name] += 8 * n / total * min(1.0, total / 5)  # a share of the mentions; few mentions, little weight
    for part in list(Path(path).parts[:-1])[-3:]:
        name = gazetteer.resolve_authority(part.replace("_", " ").replace("-", " "), when)
        if name:
            score[name] += 4
            direct.add(name)
    if not score:
        return None
    best, *rest = sorted(score, key=lambda k: -score[k])
    if rest and score[rest[0]] >= TIE_SHARE * score[best]:
        return None  # two councils with as good a claim: a paper about several (a national report), or no telling
    named = dict(counts).get(best, 0)
    if best not in direct and (named < MIN_MENTIONS or named < MIN_SHARE * total):
        return None  # named only in the body, and not most of all (a national panel hearing one council's project)
    return best


# ----------------------------------------------------------------------------- title

LABEL_RE = re.compile(r"(?i)^\s*(?:report to|relevant officer|contact officer|date of meeting|meeting documents|"
                      r"agenda item|agenda|minutes|electoral divisions? affected|wards? affected|classification|"
                      r"unrestricted|part [i1]+|key decision|from|to|date|by|report author|summary|"
                      r"executive summary|purpose of (?:the )?report|supporting documents|public|exempt|"
                      r"appendix [a-z0-9]+|item \d+|\(all divisions\);?|contact for further information)\b\s*:?\s*$")


PERSON_LINE_RE = re.compile(r"(?:(?:Cllr|Councillor|Mr|Mrs|Ms|Miss|Dr)\.?\s+)?[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+){1,2}"
                            r"(?:\s*\([^)]{2,40}\))?")
FIELD_LINE_RE = re.compile(r"^[A-Z][\w ]{1,25}:\s+\S")
STANDING_ITEM_RE = re.compile(
    r"(?i)^(?:\d+[.)]?\s+)?(?:apologies|declarations?\s+of\s+interests?|(?:minutes|notes)\s+of\s+the\s+(?:previous|last)|"
    r"matters\s+arising|any\s+other\s+business|a\.?o\.?b\.?\b|date\s+of\s+(?:the\s+)?next\s+meeting|public\s+(?:participation|"
    r"questions)|work\s+programme|urgent\s+(?:business|items?)|exclusion\s+of\s+the\s+(?:press|public)|welcome|"
    r"chair(?:man)?['’]?s\s+(?:announcements|welcome)|substitutes|membership|election\s+of\s+(?:a\s+)?(?:chair|vice)|"
    r"(?:un)?restricted\s+items?|exempt\s+items?|part\s+(?:1|2|i|ii)\b)\b")
VENUE_RE = re.compile(r"(?i)^(?:county\s+hall|civic\s+(?:centre|offices)|town\s+hall|city\s+hall|guildhall|council\s+"
                      r"(?:chamber|offices)|committee\s+room|darent\s+room|via\s+(?:zoom|teams)|virtual\s+meeting)\b")


ATTENDANCE_HEADING_RE = re.compile(r"(?i)\s*(?:present|members\s+present|also\s+present|in\s+attendance|attendees|"
                                   r"attendance|apologies(?:\s+for\s+absence)?)\s*")


def _body_and_date(t: str) -> bool:
    """Whether a line is a body's name and a date and nothing else ("Newbiggin Parish Council - 3rd
    September 2019", "Cabinet, 30 January 2025")."""
    m = re.fullmatch(r"(?P<body>[A-Z][^,–—:-]{2,80}?)\s*[-–—,:]\s*(?P<date>.{6,40})", t)
    if not m:
        return False
    date = m.group("date")
    ds = [d for d in find_dates(date) if d[3]]
    if not ds or re.search(r"[A-Za-z]{3}", re.sub(rf"(?i)\b{WEEKDAY_RE}\b", "", date[:ds[0][1]] + date[ds[0][2]:])):
        return False  # no date, or words beside it other than a weekday
    body = m.group("body").strip()
    return bool(COMMITTEE_TAIL.search(body) or gazetteer.resolve_authority(body) or gazetteer.find_local_councils(body))


def infer_title(doc: ParsedDocument, path: Path, head_lines: list[str], kind: str, committee: str | None,
                authority: str | None) -> str | None:
    head = "\n".join(head_lines)
    m = re.search(r"(?im)^\s*subject\s*:\s*(.+)$", head)
    if m and len(m.group(1)) > 3:
        return _tidy_title(m.group(1))
    blocks = doc.blocks[:25]
    skip_next = names = run_on = False
    for i, b in enumerate(blocks):
        t = b.text.strip()
        if names and (PERSON_LINE_RE.fullmatch(t) or ATTENDANCE_LINE_RE.match(t) or run_on
                      or re.match(r"(?:Councillors?|Cllrs?\.?|Clerk)\s+[A-Z]", t)):
            run_on = bool(re.search(r"(?:,|\band|&)$", t))  # "..., S Linsley and" goes on on the next line
            continue  # the names listed under "Councillors:", "Present:"
        names = run_on = False
        if skip_next:
            skip_next = False
            names = bool(ATTENDANCE_LINE_RE.match(t))
            continue
        if ATTENDANCE_LINE_RE.match(t) or (b.kind == "heading" and ATTENDANCE_HEADING_RE.fullmatch(t)):
            names = True
            continue
        if i < 3 and b.kind == "heading" and _body_and_date(t):
            return _tidy_title(t)  # "Newbiggin Parish Council - 3rd September 2019": the meeting, named
        if re.match(r"(?i)dear\s", t):
            continue  # "Dear Member": a covering letter's salutation
        nxt = blocks[i + 1].text.strip() if i + 1 < len(blocks) else ""
        if i < 2 and b.kind == "heading" and nxt and len(nxt) < 30:  # the same on two lines
            for joined in (f"{t} {nxt}", f"{t} - {nxt}"):
                if _body_and_date(joined):
                    return _tidy_title(joined)
        if re.fullmatch(r"(?i)none|nil|n/?a|\W*", t):
            continue
        if POSTCODE_RE.search(t) or FIELD_LINE_RE.match(t) or STANDING_ITEM_RE.match(t) or VENUE_RE.match(t):
            continue  # an address, a field ("Chair: Dr Kieron O'Hara"), an agenda's standing item
        if re.fullmatch(r"(?i)agenda item\s*:?", t) and i + 1 < len(blocks):
            return _tidy_title(blocks[i + 1].text)
        if t.endswith(":") and len(t) < 40:
            skip_next = True  # "Relevant Officer:" -> its value is not a title
            continue
        if b.kind != "heading" or LABEL_RE.match(t) or len(t) < 4 or (not t[:1].isupper() and not t[:1].isdigit()):
            continue  # not a heading, a label, or a line run on from the one before ("whichever is the later)")
        if find_dates(t) or (_month_years(t) and len(t) < 25):
            continue
        if re.match(r"(?i)(?:report|minutes|meeting)\s+(?:of|to|held)\b|(?:from|to|by)\s*:", t):
            continue
        if COMMITTEE_TAIL.search(_strip_date(t)) or re.fullmatch(r"(?i)scrutiny|cabinet|agenda", t):
            continue
        if gazetteer.resolve_authority(t) or t.lower() in ("county council", "council"):
            continue
        if "," in t and re.search(r"(?i)\b(?:head|director|officer|manager|member|leader|chief)\b", t):
            continue  # a person and their role
        return _tidy_title(t)
    for k in ("title", "subject"):
        v = (doc.hints or {}).get(k)
        if v and len(str(v).strip()) > 3 and not re.fullmatch(r"(?i)(?:microsoft \w+ - )?document\d*|untitled|slide \d+",
                                                              str(v).strip()):
            return _tidy_title(str(v))
    stem = _doc_part(path)
    stem = re.sub(r"^\d{1,4}[_\-\s]+", "", stem)
    stem = re.sub(r"(?i)\b[0-9a-f]{12,}\b", "", stem)
    stem = re.sub(r"[_]+", " ", stem)
    return _tidy_title(stem)


def _tidy_title(t: str) -> str | None:
    t = _clean(t)
    if not t or not re.search(r"[A-Za-z]{3}", t):
        return None
    if _mostly_upper(t) or any(len(w) > 3 and w.isupper() for w in t.split()):
        t = title_case(t)
    return t[:200]


# ----------------------------------------------------------------------------- entry point

LOCAL_COUNCIL_RE = re.compile(r"(?i)\b(?:parish|town|community|village|neighbourhood)\s+council$")
GENERIC_COMMITTEE_RE = re.compile(r"(?i)^(?:(?:the\s+)?(?:full|parish|town|community|village)\s+)?council(?:\s+meeting)?$"
                                  r"|^(?:the\s+)?above\s+council$")


def _own_committee(authority: str | None, committee: str | None) -> str | None:
    """A parish, town or community council meets as itself: its full-council minutes' committee is its own name,
    not "Parish Council" or "the above Council"."""
    if authority and LOCAL_COUNCIL_RE.search(authority) and (committee is None or GENERIC_COMMITTEE_RE.match(committee)):
        return authority
    if committee and GENERIC_COMMITTEE_RE.match(committee) and re.match(r"(?i)^(?:the\s+)?above\b", committee):
        return None
    if committee == "Full Council" and authority and re.search(r"(?i)\bcounty\s+council$", authority):
        return "County Council"  # a county council's full meeting is "County Council" (Kent, Lancashire ...)
    return committee


def infer_metadata(doc: ParsedDocument, path: Path) -> dict:
    """authority, committee, meeting_date, kind, title: each a string or None (never "")."""
    path = Path(path)
    head_lines = _lines(doc)
    head = "\n".join(head_lines)
    text = doc.text
    kind = infer_kind(doc, path, head, text)
    date = infer_date(doc, path, head_lines, kind, text)
    authority = infer_authority(doc, path, head_lines, text, date)
    committee = _own_committee(authority, infer_committee(doc, path, head_lines, text, date))
    title = infer_title(doc, path, head_lines, kind, committee, authority)
    out = {"authority": authority, "committee": committee, "meeting_date": date, "kind": kind, "title": title}
    return {k: (v if v else None) for k, v in out.items()}
