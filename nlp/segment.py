"""Genre-aware segmentation of a parsed document into sentences with their context.

A block of a council paper means different things by where it sits: a list item after
"Resolved: That;" is a decision, one under "2.0 Recommendation(s)" is a recommendation, one
after "the following questions were raised:" is a question and its answer, one after "plan to
deliver the following key work between September 2023 and April 2024:" is a dated plan. This
module marks each block with such a role, and splits block text into sentences.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.model import Block, ParsedDocument
from nlp.dates import DateMention, find_dates

ABBREV = {"mr", "mrs", "ms", "dr", "cllr", "st", "no", "nos", "e.g", "i.e", "etc", "vs", "cf", "approx", "para",
          "paras", "ref", "fig", "co", "ltd", "inc", "prof", "rev", "sgt", "insp", "supt", "jan", "feb", "mar",
          "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "cl", "pp", "p", "vol", "dept"}
SENT_SPLIT_RE = re.compile(r"(?<=[.!?])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9£])")

RESOLVED_LEADIN_RE = re.compile(
    r"(?i)^\s*(?:\(?\d{1,3}[.)]\s+)?(?:it\s+was\s+)?(?:resolved|agreed|decided|recommended|decisions?|resolution)(?:\s+unanimously)?"
    r"\s*(?:[:;,–—-]\s*)?(?:that)?\s*[:;,–—-]?\s*(?:the\s+(?:[\w'’&-]+\s+){0,4}?(?:committee|board|panel|cabinet|council|"
    r"sub-committee)\s*[:;,]?)?\s*$")  # "26) RESOLVED that the County Council:" leads its numbered items
INLINE_RESOLVED_RE = re.compile(
    r"(?:^|(?<=[.:;)]\s)|(?<=\s)(?=RESOLVED|Resolved\s+(?:to|that)\b))(?:RESOLVED|Resolved|It was resolved|It was RESOLVED|DECISION|Decision|AGREED|Agreed)\b"
    r"(?!\s*(?:[:–—-]\s*)?(?:no\.?\s*)?\d{2,4}/\d{2,6})"  # "Decision - 21/00086 - Title": a decision cited by its number
    r"(?:\s+unanimously)?\s*(?:[:–—-]\s*)?(?:(?:[Tt]hat|THAT)\b)?\s*[:;,]?\s*(?P<body>[\w(“\"‘'].{8,})$", re.DOTALL)
RECOMMENDATION_HEADING_RE = re.compile(r"(?i)^\s*(?:\d+(?:\.\d+)*\.?\s+)?recommendations?(?:\s*\(s\))?\s*:?\s*$")
QA_LEADIN_RE = re.compile(
    r"(?i)\b(?:questions?|queries|query|comments?|issues\s+were\s+raised|raised|discussion|discussed|debate|"
    r"clarified|responded|in\s+response|points?\s+(?:were|was)\s+made|members\s+(?:asked|raised|noted))\b")
PLAN_LEADIN_RE = re.compile(
    r"(?i)\b(?:plans?\s+to|planned|intends?\s+to|will\s+deliver|next\s+steps|action\s+plan|timetable|milestones|"
    r"timeline|key\s+work|will\s+be\s+(?:delivered|undertaken|taken\s+forward)|proposed\s+actions?|the\s+following\s+actions?)\b")
RECS_LEADIN_RE = re.compile(r"(?i)\brecommendations?\b")
HEADER_LABEL_RE = re.compile(r"(?i)^\s*(?:date\s+of\s+(?:the\s+)?meeting|meeting\s+date|date|report\s+date|date\s+of\s+report)\s*:?\s*$")


@dataclass
class Sentence:
    text: str
    block: int
    start: int  # offset within the block's text
    end: int
    span: object = None  # spaCy Span, set once the block has been through the pipeline


@dataclass
class BlockContext:
    index: int
    block: Block
    region: str | None = None  # resolved | recommendations | inspect_recs | qa | plan
    leadin: int | None = None  # the block that opened a list region
    timeline: DateMention | None = None  # a bare date line above ("January 2020" then "X appointed ...")
    header_date: bool = False  # the value of a "Date of meeting:" label
    sentences: list[Sentence] = field(default_factory=list)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of `text`, rule-based: ". A" is a boundary unless the word before is an abbreviation."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in SENT_SPLIT_RE.finditer(text):
        cut = m.start()
        prev = re.search(r"([A-Za-z.]+)[.!?]*$", text[start:cut])
        word = (prev.group(1).lower().rstrip(".") if prev else "")
        if word in ABBREV or (len(word) == 1 and word.isalpha()):
            continue
        end = m.end()
        seg = text[start:end].strip()
        if seg:
            s = start + (len(text[start:end]) - len(text[start:end].lstrip()))
            spans.append((s, s + len(seg)))
        start = end
    seg = text[start:].strip()
    if seg:
        s = start + (len(text[start:]) - len(text[start:].lstrip()))
        spans.append((s, s + len(seg)))
    return spans


def _is_list_member(b: Block) -> bool:
    return b.kind == "list_item" or (b.kind == "paragraph" and (
        (b.number is not None and not re.match(r"^\d+\.\d", b.number or ""))
        or bool(re.match(r"\(\s*(?:\d{1,2}|[a-z]|[ivx]{1,4})\s*\)\s+\S", b.text or ""))))  # "(1) Endorses ..."


def segment(doc: ParsedDocument, meeting_date: str | None = None) -> list[BlockContext]:
    blocks = doc.blocks or []
    ctxs = [BlockContext(i, b) for i, b in enumerate(blocks)]
    i = 0
    while i < len(ctxs):
        b = ctxs[i].block
        text = (b.text or "").strip()
        region = None
        if text.endswith((":", ";", "–", "-")) or RESOLVED_LEADIN_RE.match(text):
            last = split_sentences(text)
            last_sent = text[last[-1][0]:] if last else text
            if RESOLVED_LEADIN_RE.match(text) or (b.kind == "heading" and re.match(r"(?i)^resolved\b", text)):
                region = "resolved"
            elif RECS_LEADIN_RE.search(last_sent) and not re.search(r"(?i)\breasons?\b", last_sent):
                region = "inspect_recs"
            elif PLAN_LEADIN_RE.search(last_sent):
                region = "plan"
            elif QA_LEADIN_RE.search(last_sent):
                region = "qa"
        if region:
            j = i + 1
            while j < len(ctxs) and _is_list_member(ctxs[j].block):
                ctxs[j].region, ctxs[j].leadin = region, i
                j += 1
            if region == "resolved" and j == i + 1:
                # "Resolved:" then plain paragraphs: take the paragraphs up to the next heading
                while j < len(ctxs) and ctxs[j].block.kind == "paragraph" and j - i <= 6 \
                        and not re.match(r"(?i)^supporting documents|^background papers", ctxs[j].block.text):
                    ctxs[j].region, ctxs[j].leadin = region, i
                    j += 1
            i = max(j, i + 1)
            continue
        i += 1
    for c in ctxs:
        sec = c.block.section or ""
        last_heading = sec.split(" > ")[-1] if sec else ""
        if c.region is None and c.block.kind != "heading" and RECOMMENDATION_HEADING_RE.match(last_heading):
            c.region = "recommendations"
    # bare date lines that head a run of short entries (timelines, "January 2020" / "X appointed ...")
    timeline: DateMention | None = None
    left = 0
    prev_label = False
    for c in ctxs:
        text = (c.block.text or "").strip()
        c.header_date = prev_label
        prev_label = bool(HEADER_LABEL_RE.match(text))
        found = find_dates(text, meeting_date) if len(text) < 40 and not c.header_date else []
        if found and found[0].iso() != meeting_date and len(found) == 1 and len(re.sub(r"[\W_]+", "", text)) <= len(re.sub(r"[\W_]+", "", found[0].text)) + 1:
            timeline, left = found[0], 8
            continue
        if timeline is not None and (len(text) > 200 or left <= 0):
            timeline = None
        if timeline is not None:
            c.timeline = timeline
            left -= 1
    for c in ctxs:
        text = c.block.text or ""
        c.sentences = [Sentence(text[s:e], c.index, s, e) for s, e in split_sentences(text)]
    return ctxs
