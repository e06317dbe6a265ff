"""Dated events: what happened (or will happen) on a date the text states.

A date counts when its sentence says something happens (a verb, or an event noun such as
launch, inspection, go-live); not a document header's date, not the meeting's own date, and
not the period of a figure ("increased to 51 in May '22", "285 (March – Nov 2020)").
"""
from __future__ import annotations

import re

from nlp.dates import DateMention, find_dates

EVENT_NOUN_RE = re.compile(r"(?i)\b(?:launch\w*|inspection|inspected|visit|go[\s-]*live|evaluation|review|report|meeting|"
                           r"deadline|appointed|appointment|established|introduced|implemented|published|awarded|"
                           r"started|began|commenced|completed|concluded?|opened|closed|rated|roll[\s-]*out|pilot|elections?|letter|consultation)\b")
TREND_RE = re.compile(r"(?i)\b(?:increased|decreased|reduced|fell|rose|risen|fallen|dropped|compared|higher|lower|"
                      r"rate|average|similar\s+to|peak\w*|totall?ed|reached|saw)\b")
# the period or reference date of a figure, not an event (ANNOTATION.md): "As of January 2024, this totalled ...",
# "From January to September 2024, the clinic saw 1,601 patients", "for the year ending 31st March 2018"
REFERENCE_PERIOD_RE = re.compile(r"(?i)\b(?:as\s+(?:of|at)|year\s+end(?:ing|ed)|period\s+(?:ending|ended|to|from)|"
                                 r"up\s+to|between|from)\s+(?:the\s+)?$")
# a year naming a thing, not when something happened: "the 2010 budget", "the 2013 regulations"
YEAR_AS_NAME_RE = re.compile(r"(?i)^\s*(?:budget|precept|regulations?|act|accounts|strategy|plan|programme|guidance|"
                             r"framework|policy|settlement|census|survey|levels?|figures?|data|prices?|baseline)\b")
FIGURE_NEAR_RE = re.compile(r"(?:\d[\d.,]*\s*%?|per\s+[\d,]+)\s*(?:\(|in|from|at|to|by|as\s+at|for)?\s*$")
HEADER_SENT_RE = re.compile(r"(?i)\b(?:date\s+of\s+(?:the\s+)?meeting|meeting\s+(?:to\s+be\s+)?held\s+on|^meeting\s+of\b|"
                            r"published\s+on|printed\s+on|date\s+of\s+publication|^dated?\b)")
SIGNATURE_RE = re.compile(r"(?i)^\s*(?:signed|signature)\b[\s_.:…]*(?:\(?chair(?:man|person)?\)?[\s_.:…]*)?"
                          r"(?:dated?\b|date\s*:)")
ANAPHORA_RE = re.compile(r"(?i)\b(?:this|that|it)\s+was\s+(?:also\s+)?the\s+(?:date|day|month|year)\b")
EVENT_STOP = {"the", "a", "an", "on", "in", "of", "to", "and", "that", "this", "which", "was", "were", "been", "be",
              "by", "at", "for", "with", "from", "between", "through", "until", "date", "is", "are", "it"}


BODY_BEFORE_RE = re.compile(r"(?i)\b(?:committee|sub-committee|board|panel|council|cabinet|group|forum|partnership|"
                            r"meeting|assembly)\s*(?:\([A-Z][A-Za-z]{1,8}\)\s*)?$")


def _inside_parens_without_verb(text: str, dm: DateMention, span) -> bool:
    """ "285 (March – Nov 2020)": a figure's period in brackets; but "the Scrutiny Committee (17 December
    2024)" is when that body met."""
    open_i = text.rfind("(", 0, dm.start)
    if open_i < 0 or text.rfind(")", 0, dm.start) > open_i:
        return False
    if dm.day is not None and BODY_BEFORE_RE.search(text[:open_i]):
        return False
    close_i = text.find(")", dm.end)
    if close_i < 0:
        return False
    if span is None:
        return True
    base = span.start_char
    return not any(t.pos_ == "VERB" for t in span if open_i <= t.idx - base < close_i)


def _has_event(text: str, span) -> bool:
    if EVENT_NOUN_RE.search(text):
        return True
    if span is not None:
        return any(t.pos_ == "VERB" for t in span)
    return bool(re.search(r"\b\w+(?:ed|ing)\b", text))


def _body_meeting(text: str, dm: DateMention) -> str | None:
    """ "... considered by the Scrutiny Committee (17 December 2024)" -> "Scrutiny Committee meeting"."""
    open_i = text.rfind("(", 0, dm.start)
    m = BODY_BEFORE_RE.search(text[:open_i]) if open_i >= 0 and text.rfind(")", 0, dm.start) < open_i else None
    if not m:
        return None
    left = max(text.rfind(c, 0, m.start()) for c in ",;)")
    name = re.sub(r"(?i)^\W*(?:and\s+|by\s+)?(?:the\s+)?", "", text[left + 1:m.end()]).strip()
    name = re.sub(r"(?i)^.*\b(?:by|with|to|at)\s+(?:the\s+)?", "", name)
    return f"{name} meeting" if name else None


def _event_text(text: str, dm: DateMention) -> str:
    """A short description: the clause around the date, without the date."""
    body = _body_meeting(text, dm)
    if body:
        return body
    bounds = [m.end() for m in re.finditer(r"[,;:–—]|\bwhen\b|\bwhich\b|\bbut\b|\bafter\b", text[:dm.start])]
    left = bounds[-1] if bounds else 0
    right_m = re.search(r"[,;:–—]|\bwhen\b|\bwhich\b|\bbut\b|\ballowing\b", text[dm.end:])
    right = dm.end + right_m.start() if right_m else len(text)
    clause = (text[left:dm.start] + " " + text[dm.end:right])
    clause = re.sub(r"\b(?:on|in|of|from|since|by|until|between|and|through\s+to|the)\s*$", "", text[left:dm.start].strip()) + " " + text[dm.end:right]
    words = [w for w in re.findall(r"[\w'’-]+", clause)]
    while words and words[0].lower() in EVENT_STOP:
        words.pop(0)
    while words and words[-1].lower() in EVENT_STOP:
        words.pop()
    ev = " ".join(words[:14])
    return ev or text[:80]


# a sentence about what is to come (its year-less months are their next occurrence), unless it states a year
FUTURE_RE = re.compile(r"(?i)\b(?:will|shall|is\s+to|are\s+to|planned|scheduled|due|next|upcoming|"
                       r"(?:is|are)\s+(?:expected|anticipated|intended)\s+to|would\s+be\s+held)\b")


def events_in_sentence(text: str, span, *, meeting_date: str | None, prev_dates: list[DateMention] | None = None,
                       timeline: DateMention | None = None, header: bool = False) -> tuple[list[dict], list[DateMention]]:
    """(events, date mentions) of one sentence; the mentions feed "This was the date ..." in the next one."""
    out: list[dict] = []
    if not text:
        return out, []
    # a month without a year in a sentence about what is to come is its next occurrence (ANNOTATION.md)
    future = bool(FUTURE_RE.search(text)) and not re.search(r"\b(?:19|20)\d\d\b", text)
    mentions = find_dates(text, meeting_date, future=future)
    if header:
        return out, mentions
    if SIGNATURE_RE.match(text):
        return out, mentions  # "Signed ____ Dated 3rd September 2019": the signing of the minutes, a form's field
    header_sentence = bool(HEADER_SENT_RE.search(text))
    if not mentions:
        if prev_dates and ANAPHORA_RE.search(text):
            dm = prev_dates[-1]
            out.append({"date": dm.iso(), "event": _event_text(text, DateMention(0, 0, "", dm.year)), "text": text})
        elif timeline is not None and timeline.year and len(text) < 200 and (
                any(t.pos_ == "VERB" for t in span) if span is not None else _has_event(text, None)):
            out.append({"date": timeline.iso(), "event": re.sub(r"\s+", " ", text.strip())[:100], "text": text,
                        "timeline": True})
        return out, mentions
    words = re.sub(r"[\W_]+", "", text)
    if sum(len(re.sub(r"[\W_]+", "", d.text)) for d in mentions) >= len(words) - 2:
        return out, mentions  # the sentence is only a date: a header, a slide's date line
    if not _has_event(text, span):
        return out, mentions
    has_figures = bool(re.search(r"\d+(?:\.\d+)?\s*%|per\s+[\d,]{2,}|\brate\b|\b\d{1,3}(?:,\d{3})+\b|£\s?\d", text))
    for _i, dm in enumerate(mentions):
        iso = dm.iso()
        if iso is None:
            continue
        if meeting_date and iso == meeting_date and dm.day is not None:
            continue  # the meeting itself
        if header_sentence and meeting_date and (iso.startswith(meeting_date) or meeting_date.startswith(iso)):
            continue
        if _inside_parens_without_verb(text, dm, span):
            continue
        before = text[max(0, dm.start - 25):dm.start]
        after = text[dm.end:dm.end + 12]
        if FIGURE_NEAR_RE.search(before) or re.match(r"\s*(?:of|at|was|is|:)?\s*\d[\d.,]*(?!\d*\s*(?:st|nd|rd|th))", after):
            continue  # the period of a figure
        if has_figures and TREND_RE.search(text):
            continue
        if REFERENCE_PERIOD_RE.search(before) and re.search(r"\d[\d,.]*\s*(?:%|patients|children|clients|people|cases|£)|£\s?\d",
                                                            text):
            continue  # the reference period of a figure
        if dm.month is None and YEAR_AS_NAME_RE.match(text[dm.end:dm.end + 20]):
            continue
        if re.match(r"(?i)^\s*(?:[-–/]|to)\s*\d{2}\b", text[dm.end:dm.end + 5]) and dm.month is None:
            continue  # "2023/24", "2023-24": a financial year, a period
        out.append({"date": iso, "event": _event_text(text, dm), "text": text})
    return out, mentions
