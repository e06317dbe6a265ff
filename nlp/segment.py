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
    r"\s*(?:[:;,–—-]\s*)?(?:that)?\s*[:;,–—-]?\s*(?:(?:the\s+)?(?:[\w'’&-]+\s+){0,4}?(?:committee|board|panel|cabinet|council|"
    r"sub-committee)(?:\s+(?:agrees?|resolves?|decides?)(?:\s+to)?(?=\s*:))?\s*[:;,]?)?\s*$")
# "26) RESOLVED that the County Council:", "3) RESOLVED that Council:", "RESOLVED that Cabinet agree to:" lead their items
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
    motion_result: str | None = None  # the text of a motion put to the vote: "carried" or "lost"
    concludes_motion: bool = False  # the block that records the vote on a motion whose text is marked
    header_date: bool = False  # the value of a "Date of meeting:" label
    sentences: list[Sentence] = field(default_factory=list)


# the marker of a sub-item run into the paragraph before it, as HTML minutes often are: "Cllr Anderson to progress.
# c. The noticeboard ...", "... ‘dust Frisbee’. o Cllr Storey to report back ...", "... to cut back. • There were ...",
# "PCC to seek three estimates for repair. * To place on October agenda.", "Clerk to ask Highways c. Public Rights of
# Way ..." (a letter a to h after a word), and a marker left at the end ("... agenda. iii.")
SUB_ITEM_RE = re.compile(r"(?:(?<=[.!?;:])\s+(?:\(?(?:[a-z]|[ivx]{1,4})[.)]|[*o])|\s+[•▪●◦‣])\s+(?=[\"“‘(]?[A-Z0-9£])"
                         r"|(?<=[.!?;:])\s+\(?(?:[a-z]|[ivx]{1,4})[.)]\s*$"
                         r"|(?<=[a-z,])\s+[a-h]\.\s+(?=[A-Z][a-z])")  # "Clerk to ask Highways c. Public Rights of Way"


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of `text`, rule-based: ". A" is a boundary unless the word before is an abbreviation; a sub-item
    marker run into the text ("... to progress. c. The noticeboard ...") ends a sentence and belongs to none."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in SUB_ITEM_RE.finditer(text):
        spans.extend((s + pos, e + pos) for s, e in _split_plain(text[pos:m.start()]))
        pos = m.end()
    spans.extend((s + pos, e + pos) for s, e in _split_plain(text[pos:]))
    return spans


def _split_plain(text: str) -> list[tuple[int, int]]:
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


# "(7) Mr Brady proposed, and Ms Meade seconded the following amendment:", "Mr Murphy proposed, and Mr Thomas
# seconded the motion that": the motion's text follows, then the vote and its outcome
MOTION_LEADIN_RE = re.compile(r"(?i)\b(?:proposed|moved)\b[^.]{0,80}?\bseconded\b[^.]{0,20}?\b(?:the\s+following|the|this|an?)\s+"
                              r"(?:substantive\s+)?(?:motion|amendment)s?\b[^.]{0,20}?(?::|\bthat)\s*$")
MOTION_END_RE = re.compile(r"(?i)\bput\s+(?:the\s+|a\s+)?(?:[\w-]+\s+){0,10}?to\s+the\s+vote\b|\bvoting\s+was\s+as\s+follows\b"
                           r"|\b(?:motion|amendment)s?\s+(?:was\s+|were\s+)?(?:carried|lost|fell|defeated|withdrawn)\b"
                           r"|^\W*(?:it\s+was\s+)?resolved\b|\bproposed\b[^.]{0,80}?\bseconded\b")
MOTION_RESULT_RE = re.compile(r"(?i)\b(?:motion|amendment)s?\s+(?:as\s+amended\s+)?(?:was\s+|were\s+)?"
                              r"(?P<r>carried|lost|fell|defeated|withdrawn)\b")
MINUTE_HEADING_RE = re.compile(r"^\s*\d{1,4}[.)]\s+[A-Z]")
PARA_NUMBER_RE = re.compile(r"^\(?\d{1,2}\)\s+[A-Z]")  # "(5) Mr Brady ...": the minute's next paragraph
LABEL_RE = re.compile(r"^[A-Z][\w\s’'()-]{0,40}:$")  # "Proposed Purpose:", "Proposed Amount:"


def _motion_outcome(ctxs: list[BlockContext], j: int) -> tuple[str | None, int | None, bool]:
    """(result, the block that records it, whether a resolution restates the motion) after a motion ending at j."""
    for k in range(j, min(len(ctxs), j + 15)):
        t = ctxs[k].block.text or ""
        m = MOTION_RESULT_RE.search(t)
        if m:
            restated = any(RESOLVED_LEADIN_RE.match(ctxs[x].block.text or "") or INLINE_RESOLVED_RE.search(ctxs[x].block.text or "")
                           for x in range(k + 1, min(len(ctxs), k + 4)))
            return ("carried" if m.group("r").lower() == "carried" else "lost"), k, restated
        if k > j and MOTION_LEADIN_RE.search(t):
            return _substantive_outcome(ctxs, k) if re.search(r"(?i)\bamendment", t) else (None, None, False)
    return None, None, False


def _substantive_outcome(ctxs: list[BlockContext], start: int) -> tuple[str | None, int | None, bool]:
    """A motion debated with amendments: its result is the "Substantive Motion carried." after them, in the same minute."""
    for k in range(start, min(len(ctxs), start + 300)):
        b = ctxs[k].block
        if b.kind == "heading" and MINUTE_HEADING_RE.match(b.text or ""):
            break
        m = re.search(r"(?i)\bsubstantive\s+motion\s+(?:as\s+amended\s+)?(?:was\s+)?(?P<r>carried|lost|fell|defeated)\b",
                      b.text or "")
        if m:
            return ("carried" if m.group("r").lower() == "carried" else "lost"), k, False
    return None, None, False


def _mark_motions(ctxs: list[BlockContext]) -> None:
    """The text of each motion or amendment put to the vote: a decision with its result, unless a resolution after the
    vote restates it (then that resolution is the record)."""
    for i, c in enumerate(ctxs):
        if c.region or not MOTION_LEADIN_RE.search(c.block.text or ""):
            continue
        items, j, quoted = [], i + 1, False
        while j < len(ctxs) and j - i <= 40:
            b = ctxs[j].block
            t = (b.text or "").strip()
            if MOTION_END_RE.search(t) or (b.kind == "heading" and MINUTE_HEADING_RE.match(t)) \
                    or (items and ((PARA_NUMBER_RE.match(t) and not quoted) or LABEL_RE.match(t))):
                break  # the vote, the next minute, the minute's next paragraph, "Proposed Amount:" after the purpose
            quoted = quoted or t.startswith(("“", '"'))
            if b.kind != "heading" and ctxs[j].region is None and not LABEL_RE.match(t):
                items.append(j)
            j += 1
            if quoted and t.endswith(("”", '"', "”.", '".')):
                break  # the motion's text is quoted: it ends with the closing quote
        result, k, restated = _motion_outcome(ctxs, j)
        if result is None or not items:
            continue
        ctxs[k].concludes_motion = True  # "Motion carried.": the motion's text, or the resolution after, is the record
        if restated:
            continue
        for x in items:
            ctxs[x].region, ctxs[x].leadin, ctxs[x].motion_result = "motion", i, result


def _is_list_member(b: Block) -> bool:
    return b.kind == "list_item" or (b.kind == "paragraph" and (
        (b.number is not None and not re.match(r"^\d+\.\d", b.number or ""))
        or bool(re.match(r"\(\s*(?:\d{1,2}|[a-z]|[ivx]{1,4})\s*\)\s+\S|[A-Ha-h]\)\s+[A-Z]", b.text or ""))))  # "(1) Endorses ...", "A) Note ..."


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
            # a list ends where a resolution's own lead-in begins ("4. RESOLVED that Cabinet agree to:" after the points
            # Members raised)
            while j < len(ctxs) and _is_list_member(ctxs[j].block) and not RESOLVED_LEADIN_RE.match(ctxs[j].block.text or ""):
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
    _mark_motions(ctxs)
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
            nxt = ctxs[c.index + 1].block.text if c.index + 1 < len(ctxs) else ""
            if c.index >= 3 or not re.search(r"(?i)\bminu", nxt or ""):
                # a date under a page's title, above the minutes it shows, is when the page was published
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
