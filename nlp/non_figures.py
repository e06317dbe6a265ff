"""Stretches of a sentence that hold numbers but no figure: phone numbers, postcodes and addresses, times,
ordinals, references ("24-00096", "ISA 260"), file sizes ("PDF 1 MB"), minute and item references, dates
and years, e-mail and web addresses, a footer's spaced-out "P a g e", and a recorded vote's tallies.
`nlp.metrics` reads no figure from them.
"""
from __future__ import annotations

import re

from ingest.textblocks import POSTCODE_RE, VOTE_TALLY_RE
from nlp.dates import find_dates

NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"  # a number in digits: "12", "1,204", "23.3"

PHONE_RE = re.compile(r"(?:\+44\s?|\b0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b|\b(?:tel|telephone|phone|mobile)\b[^A-Za-z]{0,25}", re.IGNORECASE)
TIME_RE = re.compile(r"\b\d{1,2}(?:[.:]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)|\b\d{1,2}:\d{2}\b", re.IGNORECASE)
REF_RE = re.compile(r"\b\d+(?:[-/]\d+)+\b|\b\d{1,3}(?: [-–] ?| ?[-–] )\d{1,3}\b|\b[A-Z]{1,4}\d+\b|\b\d+[A-Z]{1,3}\b")
ORDINAL_RE = re.compile(r"\b\d+(?:st|nd|rd|th)\b", re.IGNORECASE)
FILESIZE_RE = re.compile(rf"(?i)(?<![\w.])(?:{NUM})\s?(?:kb|mb|gb|tb|kib|mib|gib|bytes|kbytes|mbytes)\b")
MINUTE_REF_RE = re.compile(r"(?i)\b(?:minute|min\.?|item|agenda\s+item|paragraph|para\.?|clause|section|appendix|annex|"
                           r"schedule|regulation|article|rule|standing\s+order|page|p\.)\s*(?:no\.?\s*)?"
                           r"\d+(?:\.\d+)*[a-z]?(?:\s*(?:-|–|to|and)\s*\d+(?:\.\d+)*)?\b")
RANGE_UNIT_AFTER_RE = re.compile(r"(?i)^\s*(?:%|per\s?cent|days?|weeks?|months?|years?|hours?|minutes?)\b|^\s*%")
ADDRESS_NUMBER_RE = re.compile(r"\b\d{1,4}[A-Za-z]?(?=\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,3}\s*,)")
STREET_NUMBER_RE = re.compile(r"\b\d{1,4}[A-Za-z]?(?=\s+(?:[A-Z][a-z]+\s+){1,3}(?:Road|Street|Lane|Avenue|Way|Drive|Place|"
                              r"Square|Crescent|Terrace|Gardens|Rd|St)\b)")
SPACED_PAGE_RE = re.compile(r"(?:\b\d{1,4}\s+)?\bP\s+a(?:\s+g(?:\s+e)?)?(?:\s+\d)*\b")
ACRONYM_NUMBER_RE = re.compile(r"\b(?!GBP\b|FTE\b|WTE\b)[A-Z]{2,5}[\s-](\d{1,5})\b(?!\s*%|[.,]\d)")


def excluded_spans(text: str, meeting_date: str | None) -> list[tuple[int, int]]:
    """The stretches of `text` from which no figure may be read (dates resolved against `meeting_date`)."""
    spans = []
    for rx in (PHONE_RE, POSTCODE_RE, TIME_RE, ORDINAL_RE, FILESIZE_RE, MINUTE_REF_RE):
        spans.extend((m.start(), m.end()) for m in rx.finditer(text))
    for m in REF_RE.finditer(text):
        if RANGE_UNIT_AFTER_RE.match(text[m.end():]) and re.fullmatch(r"\d{1,3}\s?[-–]\s?\d{1,3}", m.group(0)) \
                and not re.search(r"(?i)\b(?:aged?|ages)\s+(?:of\s+)?$", text[:m.start()]) \
                and not (re.match(r"(?i)^\s*(?:years?|yrs?)\b", text[m.end():]) and int(re.split(r"\s?[-–]\s?", m.group(0))[1]) <= 30):
            continue  # "2-3 weeks", "10-15 staff": a range, not a reference
        spans.append((m.start(), m.end()))
    spans.extend((d.start, d.end) for d in find_dates(text, meeting_date) if d.kind == "abs")
    spans.extend((m.start(), m.end()) for m in re.finditer(r"['’]\d\d\b|\b(?:19|20)\d\d\b(?!\+\s*[a-z])(?:/\d\d)?", text))
    spans.extend((m.start(), m.end()) for m in re.finditer(r"\S+@\S+|https?://\S+|www\.\S+", text))
    if POSTCODE_RE.search(text):  # an address: "102 Petty France, London, SW1H 9AJ"
        spans.extend((m.start(), m.end()) for m in ADDRESS_NUMBER_RE.finditer(text))
    spans.extend((m.start(), m.end()) for m in STREET_NUMBER_RE.finditer(text))  # "1 Horseguards Road"
    spans.extend((m.start(), m.end()) for m in SPACED_PAGE_RE.finditer(text))  # a footer's "25 P a g e 1 4"
    # a standard's or a code's number after its initials: "ISA 260", "COVID 19", "NHS 111", and the
    # same number where the name is spelt out ("International Standard on Auditing 260 (ISA 260)")
    for code in {m.group(1) for m in ACRONYM_NUMBER_RE.finditer(text)}:
        spans.extend((m.start(), m.end()) for m in re.finditer(rf"(?<![\d.,]){code}(?![\d.,]\d)", text))
    return spans


# a recorded vote is part of its decision, never a figure (ANNOTATION.md): "For (14)" on a line of its own,
# "the voting was as follows: For 14, Against 45, Abstain 4", "carried by 45 votes to 14", "by 5 votes for and
# 1 against", "six were in favour, one abstained", "4 agreed and 4 abstained", "7 votes for 1 abstention"
_N = r"(?:\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|all)"
VOTE_RE = re.compile(
    r"(?i)\b(?:for|against|abstain(?:ed|ing)?|abstentions?|in\s+favour)\s*(?:[:(–-]\s*)?\d{1,3}\b\)?"
    rf"|\b{_N}\s+(?:votes?\s+)?(?:(?:were|was)\s+)?(?:for|against|in\s+favour|abstentions?|abstained|abstaining|"
    r"agreed|voted|objected|opposed)\b"
    rf"|\bby\s+{_N}\s+votes?\s+to\s+{_N}\b")
VOTING_RE = re.compile(r"(?i)\b(?:vot(?:e|es|ed|ing)|abstain(?:ed|ing)?|abstentions?|in\s+favour|seconded|proposed|"
                       r"carried|against)\b")


def vote_tallies(text: str) -> list[tuple[int, int]]:
    """Spans of a recorded vote's numbers: the whole text a tally ("For (14)"), or tallies in a sentence about voting."""
    if not (VOTE_TALLY_RE.match(text) or VOTING_RE.search(text)):
        return []
    return [(m.start(), m.end()) for m in VOTE_RE.finditer(text)
            if not re.match(r"(?i)for\s*\d", m.group(0)) or VOTE_TALLY_RE.match(text)
            or re.search(r"[:,;]\s*$|^\s*$", text[:m.start()][-3:])]  # "for 12 months" is no tally
