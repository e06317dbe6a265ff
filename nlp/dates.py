"""Dates as council papers write them, resolved against the meeting date.

`find_dates` finds date mentions in a sentence ("the 11th February 2021", "May '22", "in October",
"between September 2023 and April 2024", "early this year") and gives each an ISO value at the
precision written ("2021-02-11", "2024-04", "2023"). A month or day written without a year takes
its year from the document's date. `resolve_due` turns a time phrase of an action ("in six months",
"by March 2025", "by the end of the municipal year") into a due date.

Standard library only, so it is cheap to import; dateparser is used only as a fallback for odd
full-date formats.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from nlp.vocab import alternation

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
    "nov": 11, "dec": 12,
}
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "eighteen": 18, "twenty": 20,
    "twenty-four": 24, "thirty": 30, "thirty-six": 36, "sixty": 60, "ninety": 90,
}
_MON = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?"
        r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_DAYNAME = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
_ORD = r"(?:\s?(?:st|nd|rd|th))?"  # "1st", and "1 st" as some minutes space it
DATE_RE = re.compile(
    rf"(?P<dmy>{_DAYNAME}(?:the\s+)?(?P<d1>\d{{1,2}}){_ORD}\s+(?:of\s+)?(?P<m1>{_MON})\.?,?\s+(?P<y1>(?:19|20)\d\d)\b)"
    rf"|(?P<mdy>{_DAYNAME}(?P<m2>{_MON})\.?\s+(?P<d2>\d{{1,2}}){_ORD},?\s+(?P<y2>(?:19|20)\d\d)\b)"
    rf"|(?P<iso>\b(?P<y6>(?:19|20)\d\d)-(?P<m6>[01]\d)-(?P<d6>[0-3]\d)\b)"
    rf"|(?P<num>(?<![\d/.])(?P<d5>[0-3]?\d)/(?P<m5>[01]?\d)/(?P<y5>(?:19|20)\d\d|\d\d)(?![\d/]))"
    rf"|(?P<my>\b(?P<m4>{_MON})\.?,?\s+(?:['’](?P<y4b>\d\d)\b|(?P<y4>(?:19|20)\d\d)\b(?![/-]\d)))"
    rf"|(?P<dm>{_DAYNAME}(?:the\s+)?\b(?P<d3>\d{{1,2}}){_ORD}\s+(?:of\s+)?(?P<m3>{_MON})\b\.?)"
    rf"|(?P<md>{_DAYNAME}\b(?P<m9>{_MON})\.?\s+(?P<d9>\d{{1,2}})(?:st|nd|rd|th)\b)"  # "Thursday January 21st", "December 3rd"
    rf"|(?P<rel>\b(?:(?:early|late|later|earlier)\s+)?(?:last|this|next)\s+(?:year|month)\b)"
    rf"|(?P<mo>\b(?P<m7>{_MON})\b)"
    rf"|(?P<yr>(?<![\d/£$.,-])(?P<y8>(?:19|20)\d\d)\b(?![/-]?\d|,\d|\.\d|['’]?s\b))",
    re.IGNORECASE,
)
# a month name alone, or a year alone, is a date only after one of these
MONTH_CUE_RE = re.compile(
    r"(?i)(?:\b(?:in|by|from|until|till|to|through|during|since|before|after|of|between|and|early|late|mid|"
    r"end|start|beginning|next|last|this|each|every|until|around|expected|due|live)\s+(?:the\s+)?|[–—-]\s*|\(\s*)$")
# "at the December meeting": a month naming a meeting
MONTH_MEETING_AFTER_RE = re.compile(r"\s+(?:[A-Z][\w-]*\s+){0,3}?meeting\b")
YEAR_CUE_RE = re.compile(
    r"(?i)(?:\b(?:in|by|from|until|till|to|through|during|since|before|after|of|between|and|early|late|"
    r"end|start|beginning|around|expected|due|summer|spring|autumn|winter|year)\s+(?:the\s+)?|mid-|[–—-]\s*|\(\s*)$")
RANGE_GAP_RE = re.compile(r"(?i)^\s*(?:[-–—]|to|through(?: to)?|until|and|till)\s*$")


@dataclass
class DateMention:
    start: int
    end: int
    text: str
    year: int | None
    month: int | None = None
    day: int | None = None
    kind: str = "abs"  # abs | rel
    range_with: int | None = None  # index of the other end of a range ("between X and Y")

    def iso(self) -> str | None:
        if self.year is None:
            return None
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


def parse_ref(meeting_date: str | None) -> tuple[int, int | None, int | None] | None:
    """'2021-03-16' -> (2021, 3, 16); '2021-03' -> (2021, 3, None); junk -> None."""
    if not meeting_date:
        return None
    m = re.match(r"^\s*((?:19|20)\d\d)(?:-(\d{1,2}))?(?:-(\d{1,2}))?", str(meeting_date))
    if not m:
        return None
    y = int(m.group(1))
    mo = int(m.group(2)) if m.group(2) else None
    d = int(m.group(3)) if m.group(3) else None
    if mo is not None and not 1 <= mo <= 12:
        mo, d = None, None
    if d is not None and not 1 <= d <= 31:
        d = None
    return y, mo, d


def _month(name: str) -> int | None:
    return MONTHS.get(name[:3].lower())


def _valid_case(name: str) -> bool:
    """Month names must be capitalised: 'may' and 'march' are words too."""
    return name[:1].isupper()


def _infer_year(month: int, ref, future: bool) -> int | None:
    if not ref:
        return None
    ry, rm, _ = ref
    if rm is None:
        return ry
    if future:
        return ry if month >= rm else ry + 1
    # an event: the meeting's year, unless that would put it well after the meeting
    return ry - 1 if month - rm > 10 else ry


def find_dates(text: str, meeting_date: str | None = None, future: bool = False) -> list[DateMention]:
    """Date mentions in `text`, in order. `future` prefers the next occurrence for year-less months."""
    ref = parse_ref(meeting_date)
    out: list[DateMention] = []
    if not text:
        return out
    for m in DATE_RE.finditer(text):
        g = m.groupdict()
        before = text[max(0, m.start() - 25):m.start()]
        y = mo = d = None
        kind = "abs"
        if g["dmy"] or g["mdy"]:
            mname = g["m1"] or g["m2"]
            if not _valid_case(mname):
                continue
            y, mo, d = int(g["y1"] or g["y2"]), _month(mname), int(g["d1"] or g["d2"])
        elif g["iso"]:
            y, mo, d = int(g["y6"]), int(g["m6"]), int(g["d6"])
        elif g["num"]:
            y, mo, d = int(g["y5"]), int(g["m5"]), int(g["d5"])
            if y < 100:
                y += 2000
        elif g["my"]:
            if not _valid_case(g["m4"]):
                continue
            y = int(g["y4"]) if g["y4"] else 2000 + int(g["y4b"])
            mo = _month(g["m4"])
        elif g["dm"] or g["md"]:
            mname, dday = (g["m3"], g["d3"]) if g["dm"] else (g["m9"], g["d9"])
            if not _valid_case(mname):
                continue
            mo, d = _month(mname), int(dday)
            y = _infer_year(mo, ref, future)
        elif g["rel"]:
            if not ref:
                continue
            kind = "rel"
            phrase = g["rel"].lower()
            ry, rm, _ = ref
            shift = -1 if "last" in phrase else 1 if "next" in phrase else 0
            if "year" in phrase:
                y = ry + shift
            else:
                if rm is None:
                    continue
                total = ry * 12 + (rm - 1) + shift
                y, mo = total // 12, total % 12 + 1
        elif g["mo"]:
            name = g["m7"]
            if not _valid_case(name) or (name.lower() == "may" and not name.isupper() and not MONTH_CUE_RE.search(before)):
                continue
            after = text[m.end():m.end() + 20]
            if not (MONTH_CUE_RE.search(before) or re.match(rf"(?i)\s*(?:[-–—]|to|through)\s*{_MON}", after)
                    or (re.search(r"(?i)\b(?:at|for|to|by|before|until)\s+the\s+$", before)
                        and MONTH_MEETING_AFTER_RE.match(text[m.end():m.end() + 60]))):
                continue
            mo = _month(name)
            y = _infer_year(mo, ref, future)
        elif g["yr"]:
            if not YEAR_CUE_RE.search(before):
                continue
            y = int(g["y8"])
        if mo is not None and not 1 <= mo <= 12:
            continue
        if d is not None and not 1 <= d <= 31:
            continue
        out.append(DateMention(m.start(), m.end(), m.group(0).strip(), y, mo, d, kind))
    # ranges: "between September 2023 and April 2024", "March – Nov 2020", "October through to December"
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        if RANGE_GAP_RE.match(text[a.end:b.start]) and a.month and b.month:
            a.range_with, b.range_with = i + 1, i
            explicit_a = re.search(r"(19|20)\d\d|['’]\d\d", a.text)
            if not explicit_a and b.year is not None:
                a.year = b.year if a.month <= b.month else b.year - 1
    return out


# ---------------------------------------------------------------------------------------------
# due dates

DURATION_RE = re.compile(
    r"(?i)\b(?:in|within|over\s+the\s+next|during\s+the\s+next|in\s+the\s+next|after)\s+(?:the\s+next\s+)?"
    r"(?P<n>\d{1,3}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")\s+"
    r"(?P<u>day|week|month|year)s?(?:['’]s?\s+time)?\b")
TIME_FROM_NOW_RE = re.compile(
    r"(?i)\b(?P<n>\d{1,3}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")\s+"
    r"(?P<u>day|week|month|year)s?['’]?\s+(?:time|from now)\b")
MUNICIPAL_RE = re.compile(r"(?i)\b(?:by\s+|before\s+|at\s+|until\s+)?(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?(?:current\s+)?municipal\s+year\b")
FINANCIAL_RE = re.compile(r"(?i)\b(?:by\s+|before\s+|at\s+)?(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?(?:current\s+)?financial\s+year\b")
END_YEAR_RE = re.compile(r"(?i)\b(?:by\s+|before\s+)?(?:the\s+)?end\s+of\s+(?:the|this)\s+(?:calendar\s+)?year\b")
END_MONTH_RE = re.compile(r"(?i)\b(?:by\s+|before\s+)?(?:the\s+)?end\s+of\s+(?P<which>the|this|next\s+month)(?:\s+month)?\b"
                          r"(?!\s+(?:of|in)\b)")
NEXT_MEETING_RE = re.compile(r"(?i)\b(?:at|to|for|by|before|until|in\s+time\s+for|prior\s+to|in\s+advance\s+of|ahead\s+of)\s+"
                             r"(?:the\s+|its\s+|their\s+)?next\s+"
                             r"(?:(?:parish\s+|town\s+|full\s+|county\s+)?(?:panel|committee|board|cabinet|council|scrutiny)\s+)?"
                             r"(?:meeting|committee|board)\b")  # "at the next Parish Council meeting"
# the minutes' own word on when the body meets next: "Date of next meeting: 18 December 2013"
STATED_NEXT_RE = re.compile(r"(?i)\b(?:date\s+(?:and\s+time\s+)?of\s+(?:the\s+)?next\s+(?:\w+\s+)?meeting|next\s+(?:\w+\s+)?meeting\s+(?:date|"
                            r"will\s+be(?:\s+held)?|is(?:\s+to\s+be)?\s+(?:held|on)|:|[-–—]|(?=(?:on\s+)?(?:[A-Z][a-z]+day\b|\d))))"
                            # "The next meeting of the Parish Council was confirmed as Tuesday 1st July", "Future meeting dates:"
                            r"|\bnext\s+(?:\w+\s+)?meeting(?:\s+of\s+(?:the\s+)?(?:[A-Z][\w-]*\s+){1,4}?)?\s+(?:was|is|has\s+been|had\s+been|"
                            rf"will\s+be)\s+(?:{alternation('next_meeting_verbs')})\s+(?:for|as|on)\b|\b{alternation('next_meeting_cues')}\b")


# a coming meeting named by its date: "Mr Jon Miles will attend the Parish Council meeting on December 3rd"
# "it will be an agenda item for the meeting in July": the window keeps "in" (a month alone needs its cue)
COMING_MEETING_RE = re.compile(r"(?i)\b(?:will|shall|is\s+to|to\s+be)\b[^.]{0,80}?\bmeeting\s+(?:to\s+be\s+)?(?:held\s+)?"
                               r"(?:on\s+(?:the\s+)?|(?=in\s+[A-Z]))")


def stated_next_meeting(text: str, meeting_date: str | None) -> str | None:
    """The next meeting's date as the paper states it ("Date of next meeting: 18 December 2013", "will attend the
    Parish Council meeting on December 3rd"), when it is after this meeting's; else None."""
    for rx in (STATED_NEXT_RE, COMING_MEETING_RE):
        for m in rx.finditer(text or ""):
            for dm in find_dates(text[m.end():m.end() + 80], meeting_date, future=True):
                iso = dm.iso()
                if iso and dm.year and dm.month and (not meeting_date or iso > meeting_date):
                    return iso
                break
    return None
NEW_YEAR_RE = re.compile(r"(?i)\b(?:early\s+)?(?:in|by|during|after)\s+(?:early\s+)?the\s+new\s+year\b")
VAGUE_RE = re.compile(
    r"(?i)\b(?:after|following)\s+the\s+(?:local\s+|county\s+|general\s+)?elections?\b|\bin\s+due\s+course\b"
    r"|\bin\s+the\s+new\s+year\b|\bas\s+soon\s+as\s+possible\b|\bin\s+the\s+(?:near\s+)?future\b")
DUE_CUE_RE = re.compile(
    r"(?i)\b(?:by|before|until|in|during|from|between|expected|due|of|for|through(?:\s+to)?|to|live|until|on|"
    r"deadline|target)\s+(?:the\s+)?(?:end\s+of\s+)?$")


# "at the December meeting", "for the December Parish Council meeting", "the January meeting"
MONTH_MEETING_RE = re.compile(rf"(?:\b(?:at|to|for|by|before|until|prior\s+to|in\s+time\s+for)\s+)?"
                              rf"(?:\bthe\s+(?P<mon>{_MON})|\b(?P<mon_s>{_MON})['’]s)\s+"  # "the September meeting", "September’s meeting"
                              r"(?:[A-Z][\w-]*\s+){0,3}?(?:meeting|agenda)\b")


# "later in the summer", "in the autumn", "by spring 2026": the year of the next such season, at year precision
SEASON_RE = re.compile(r"(?i)\b(?:(?:later|early|late)\s+)?(?:in|by|during|over|before)\s+(?:the\s+)?(?:early\s+|late\s+)?"
                       r"(?P<season>spring|summer|autumn|winter)(?:\s+(?:of\s+)?(?P<year>(?:19|20)\d\d))?\b")
SEASON_END_MONTH = {"spring": 5, "summer": 8, "autumn": 11, "winter": 2}


def _season_year(m: re.Match, ref) -> str:
    if m.group("year"):
        return m.group("year")
    end = SEASON_END_MONTH[m.group("season").lower()]
    ry, rm = ref[0], ref[1] or 1
    if end == 2:  # winter spans the turn of the year: the one that ends next February
        return f"{ry + (1 if rm > 2 else 0):04d}"
    return f"{ry if rm <= end else ry + 1:04d}"


def _month_meeting(month: int, ref, next_meeting) -> str:
    """The next meeting in `month` on or after this one: the day the minutes give for the next meeting where it falls
    in that month, else the month."""
    year = ref[0] if month >= ref[1] else ref[0] + 1
    stated = None
    if next_meeting is not None:
        try:
            stated = next_meeting()
        except Exception:
            stated = None
    if stated and stated[:7] == f"{year:04d}-{month:02d}":
        return stated
    return f"{year:04d}-{month:02d}"


def _add(ref, n: int, unit: str) -> str | None:
    ry, rm, rd = ref
    if rm is None:
        if unit == "year":
            return f"{ry + n:04d}"
        return None
    if unit in ("day", "week"):
        import datetime as _dt
        base = _dt.date(ry, rm, rd or 1)
        target = base + _dt.timedelta(days=n * (7 if unit == "week" else 1))
        if rd is None:
            return f"{target.year:04d}-{target.month:02d}"
        return target.isoformat()
    months = n * 12 if unit == "year" else n
    total = ry * 12 + (rm - 1) + months
    return f"{total // 12:04d}-{total % 12 + 1:02d}"


def resolve_due(phrase_or_sentence: str, meeting_date: str | None,
                next_meeting: Callable[[], str | None] | None = None) -> tuple[str | None, str | None]:
    """(due_date, due_text) for the time phrase in a sentence; (None, None) where none is given.

    >>> resolve_due("An update report be presented to the committee in six months.", "2021-03-16")
    ('2021-09', 'in six months')
    """
    try:
        return _resolve_due(phrase_or_sentence or "", meeting_date, next_meeting)
    except Exception:  # never raise on odd text
        return None, None


def _resolve_due(text: str, meeting_date: str | None, next_meeting) -> tuple[str | None, str | None]:
    ref = parse_ref(meeting_date)
    # the end of the municipal year (the annual meeting in May) or of the financial year (March):
    # this one's while the meeting falls before the year turns (May, April), else next year's
    for year_end_re, turns, due_month in ((MUNICIPAL_RE, 5, 5), (FINANCIAL_RE, 4, 3)):
        m = year_end_re.search(text)
        if m:
            if not ref:
                return None, m.group(0).strip()
            ry, rm, _ = ref
            return f"{ry + 1 if (rm or 12) >= turns else ry:04d}-{due_month:02d}", m.group(0).strip()
    m = END_YEAR_RE.search(text)
    if m:
        return (f"{ref[0]:04d}-12" if ref else None), m.group(0).strip()
    m = END_MONTH_RE.search(text)
    if m and (m.group("which").lower() != "the" or re.search(r"(?i)\bmonth\b", m.group(0))):
        if not ref or ref[1] is None:
            return None, m.group(0).strip()
        return _add((ref[0], ref[1], None), 1 if m.group("which").lower().startswith("next") else 0, "month"), \
            m.group(0).strip()
    m = DURATION_RE.search(text) or TIME_FROM_NOW_RE.search(text)
    if m:
        n_raw = m.group("n").lower()
        n = int(n_raw) if n_raw.isdigit() else NUMBER_WORDS.get(n_raw)
        phrase = m.group(0).strip()
        if n is None or not ref:
            return None, phrase
        return _add(ref, n, m.group("u").lower()), phrase
    m = NEW_YEAR_RE.search(text)
    if m:  # "in the new year": January of the year after the meeting's (ANNOTATION.md)
        return (f"{ref[0] + 1:04d}-01" if ref and ref[1] else None), m.group(0).strip()
    m = SEASON_RE.search(text)
    if m and ref:
        return _season_year(m, ref), m.group(0).strip()
    m = MONTH_MEETING_RE.search(text)
    if m and ref and ref[1]:
        return _month_meeting(_month(m.group("mon") or m.group("mon_s")), ref, next_meeting), m.group(0).strip()
    m = NEXT_MEETING_RE.search(text)
    named = re.match(rf"\s+in\s+(?P<mon>{_MON})\b", text[m.end():]) if m and ref and ref[1] else None
    if named:  # "deferred to the next meeting in October": that month's meeting
        return _month_meeting(_month(named.group("mon")), ref, next_meeting), (m.group(0) + named.group(0)).strip()
    if m:
        due = None
        if next_meeting is not None:
            try:
                due = next_meeting()
            except Exception:
                due = None
        return due, m.group(0).strip()
    mentions = find_dates(text, meeting_date, future=True)
    # a meeting named by its date and no year ("the action from 25th July meeting", "the meeting on 25 July")
    # is a past meeting, not when something is due
    future = re.search(r"(?i)\b(?:will|shall|is\s+to|are\s+to|to\s+be)\b", text)
    mentions = [dm for dm in mentions if not (
        not re.search(r"\b(?:19|20)\d\d\b", dm.text) and not future
        and (re.match(r"\s*meeting\b", text[dm.end:], re.I) or re.search(r"(?i)\bmeeting\s+(?:held\s+)?on\s+(?:the\s+)?$",
                                                                          text[:dm.start])))]
    if mentions:
        # prefer a date after a due cue ("by", "until", "go live ... of"); the end of a range wins
        pick = None
        for i, dm in enumerate(mentions):
            if dm.year is None:
                continue
            cue = DUE_CUE_RE.search(text[max(0, dm.start - 30):dm.start])
            if cue or pick is None:
                pick = i
        if pick is not None:
            dm = mentions[pick]
            start = dm.start
            if dm.range_with is not None and dm.range_with > pick:
                dm = mentions[dm.range_with]
            elif dm.range_with is not None:
                start = mentions[dm.range_with].start
            cue = re.search(r"(?i)\b(?:by|before|until|in|during|from|between|through(?:\s+to)?|on|of)\s+(?:the\s+)?(?:end\s+of\s+)?$",
                            text[max(0, start - 30):start])
            if cue:
                start = max(0, start - 30) + cue.start()
            return dm.iso(), text[start:dm.end].strip()
    m = VAGUE_RE.search(text)
    if m:
        return None, m.group(0).strip()
    return None, None
