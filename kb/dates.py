"""Dates as a user writes them in a filter or an --as-of: ISO at the precision meant ("2021",
"2021-03", "2021-03-16"), or relative to today ("today", "yesterday", "3 months ago"). One reader
for every command, so that a date that does not exist is refused, never silently matched against."""
from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

ISO_RE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
AGO_RE = re.compile(r"(\d{1,4}|an?|one)\s+(day|week|month|year)s?\s+ago", re.I)
HINT = 'use YYYY, YYYY-MM or YYYY-MM-DD, "today", "yesterday" or "3 months ago"'


def months_before(day: date, n: int) -> date:
    """`n` calendar months before `day`, the day of the month clamped (31 March - 1 month = 28/29 February)."""
    y, m = divmod(day.year * 12 + day.month - 1 - n, 12)
    m += 1
    if y < 1:
        raise ValueError("before year 1")
    return date(y, m, min(day.day, calendar.monthrange(y, m)[1]))


def parse_user_date(text: str, today: date | None = None) -> str:
    """The ISO form of `text` ("2021-03" stays month-precision); ValueError naming what is wrong."""
    s = " ".join(str(text).split()).lower()
    today = today or date.today()
    m = ISO_RE.fullmatch(s)
    if m:
        y, mo, d = int(m[1]), m[2], m[3]
        if mo is not None and not 1 <= int(mo) <= 12:
            raise ValueError(f'"{text}" is not a date: there is no month {int(mo)} ({HINT})')
        if d is not None and not 1 <= int(d) <= calendar.monthrange(y, int(mo))[1]:
            raise ValueError(f'"{text}" is not a date: {calendar.month_name[int(mo)]} {y} has no day {int(d)} ({HINT})')
        if y < 1:
            raise ValueError(f'"{text}" is not a date ({HINT})')
        return f"{y:04d}" + (f"-{int(mo):02d}" if mo else "") + (f"-{int(d):02d}" if d else "")
    if s in ("today", "now"):
        return today.isoformat()
    if s == "yesterday":
        return (today - timedelta(days=1)).isoformat()
    m = AGO_RE.fullmatch(s)
    if m:
        n = 1 if m[1] in ("a", "an", "one") else int(m[1])
        unit = m[2].lower()
        try:
            if unit in ("day", "week"):
                return (today - timedelta(days=n * (7 if unit == "week" else 1))).isoformat()
            return months_before(today, n * (12 if unit == "year" else 1)).isoformat()
        except (OverflowError, ValueError):
            raise ValueError(f'"{text}" is too far back ({HINT})') from None
    raise ValueError(f'cannot read "{text}" as a date ({HINT})')


def bounds(iso: str) -> tuple[date, date]:
    """The first and last day of an ISO date at any precision: "2021" -> 1 Jan to 31 Dec 2021, "2021-03" -> March."""
    parts = [int(x) for x in iso.split("-")]
    y, m, d = parts + [None] * (3 - len(parts))
    if d is not None:
        return date(y, m, d), date(y, m, d)
    if m is not None:
        return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])
    return date(y, 1, 1), date(y, 12, 31)
