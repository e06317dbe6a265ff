"""Extraction of metrics, recommendations, decisions, actions, dated events and people from a
parsed council paper.

    extract(doc, meta, next_meeting=None) -> {"metrics": [...], "recommendations": [...], ...}
    extract_many([(doc, meta), ...]) -> [result, ...]   # one nlp.pipe over all blocks

Every record carries its evidence: `text` (the sentence it came from, as written in the
document), `page`, `section` and `block` (index into doc.blocks). Unknown values are None.
Extraction never raises on odd text: a failing sentence is skipped.
"""
from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ingest.model import RECORD_FIELDS, ParsedDocument
from ingest.textblocks import VOTE_TALLY_RE
from nlp import EXTRACTOR_VERSION as EXTRACTOR_VERSION  # re-exported: the version of these rules
from nlp import actions as A
from nlp import confidence as C
from nlp import decisions as D
from nlp import followup as F
from nlp import minuted_tasks as MT
from nlp import tracker_tables as T
from nlp.dates import parse_ref, resolve_due, stated_next_meeting
from nlp.events import EVENT_NOUN_RE, events_in_sentence
from nlp.metrics import PER_CONTEXT_RE, metrics_in_sentence, metrics_in_table_row
from nlp.people import merge_people, people_in_text
from nlp.segment import BlockContext, segment

KINDS = ("metrics", "recommendations", "decisions", "actions", "dates", "people")
FIELDS = RECORD_FIELDS
def empty_result() -> dict[str, list[dict]]:
    return {k: [] for k in KINDS}


def _clean(v):
    if isinstance(v, str):
        v = re.sub(r"\s+", " ", v).strip()
        return v or None
    return v


def _record(kind: str, fields: dict, ctx: BlockContext) -> dict:
    rec = {k: _clean(fields.get(k)) for k in FIELDS[kind]}
    if kind == "actions":
        rec["status"] = rec.get("status") or "open"
    if "page" in rec:
        rec["page"] = ctx.block.page
    rec["section"] = _clean(ctx.block.section)
    rec["block"] = ctx.index
    return rec


@dataclass
class _Reading:
    """What reading a document's blocks in order carries from one block to the next."""
    md: str | None
    place: str | None
    authority: str | None
    res: dict
    per_context: str | None = None
    last_section: str | None = None
    last_heading: str | None = None
    row_label: dict = field(default_factory=dict)
    seen_dates: set = field(default_factory=set)
    after_resolution: bool = False


def _safe(fn, *a, **kw):
    try:
        return fn(*a, **kw)
    except Exception:  # extraction never raises on odd text: a failing sentence is skipped
        return None


def _unit_group(unit: str | None) -> str:
    u = (unit or "").lower()
    if u.startswith("per "):
        return "rate"
    return {"gbp": "money", "%": "percent", "count": "count", "rating": "rating", "days": "duration",
            "weeks": "duration", "months": "duration", "years": "duration"}.get(u, "other")


def _metrics_in_block(ctx: BlockContext, st: _Reading, cell_docs: dict) -> None:
    b, text = ctx.block, ctx.block.text or ""
    if b.kind == "table_row" and b.cells:
        first = next((c for c in b.cells[:1] if c), None)
        if first:
            st.row_label[b.table if b.table is not None else -1] = first
        label = st.row_label.get(b.table if b.table is not None else -1)
        found = _safe(metrics_in_table_row, b.cells, b.header, label,
                      span_lookup=lambda ci, i=ctx.index: cell_docs.get((i, ci)), meeting_date=st.md, subject=st.place) or []
        for ci, m in found:
            m["text"] = b.cells[ci] or text
            m["cue"] = f"table {_unit_group(m.get('unit'))}"
            st.res["metrics"].append(_record("metrics", m, ctx))
    elif not ctx.header_date and not _looks_like_contents(text, b.section):
        for s in ctx.sentences:
            found = _safe(metrics_in_sentence, s.text, s.span, meeting_date=st.md, subject=st.place,
                          per_context=st.per_context, heading=st.last_heading, sentence_start=True) or []
            for m in found:
                m["text"] = s.text
                m["cue"] = f"sentence {_unit_group(m.get('unit'))}"
                rec = _record("metrics", m, ctx)
                if m.get("_pos"):
                    rec["_pos"] = m["_pos"]
                st.res["metrics"].append(rec)


def _decisions_in_block(ctx: BlockContext, ctxs: list[BlockContext], st: _Reading) -> list[str]:
    """Decisions and recommendations of the block; returns the decisions' texts (some are also actions)."""
    found = D.decisions_in_block(ctx, st.after_resolution, ctxs[ctx.index - 1] if ctx.index else None)
    for it in found:
        st.res["decisions"].append(_record("decisions", {"number": it.number, "text": it.text, "cue": it.cue,
                                                         "result": it.result}, ctx))
    if ctx.block.kind != "heading":
        st.after_resolution = D.continues_resolution(ctx, found)
    for it in D.recommendations_in_block(ctx, ctxs[ctx.index - 1] if ctx.index else None):
        st.res["recommendations"].append(_record("recommendations", {"number": it.number, "text": it.text,
                                                                     "cue": it.cue}, ctx))
    return [it.text for it in found]


def _dates_in_block(ctx: BlockContext, st: _Reading) -> None:
    prev = []
    for s in ctx.sentences:
        found, mentions = _safe(events_in_sentence, s.text, s.span, meeting_date=st.md, prev_dates=prev,
                                timeline=ctx.timeline, header=ctx.header_date) or ([], [])
        prev = mentions or prev
        for ev in found:
            trig = EVENT_NOUN_RE.search(s.text)
            timeline = ev.pop("timeline", False)
            key = (ev["date"], trig.group(0).lower()[:5] if trig and not timeline else s.text)
            if key in st.seen_dates:
                continue
            st.seen_dates.add(key)
            ev["cue"] = "timeline" if timeline else ("event noun" if trig else "dated sentence")
            st.res["dates"].append(_record("dates", ev, ctx))


def _people_in_block(ctx: BlockContext, st: _Reading, block_docs: list) -> None:
    text = ctx.block.text or ""
    if ctx.block.kind != "table_row" and re.search(r"[A-Z][a-z]+\s+[A-Z][a-z]+", text):
        span = block_docs[ctx.index][:] if block_docs and block_docs[ctx.index] is not None else None
        for p in _safe(people_in_text, text, span, st.authority) or []:
            p["cue"] = "named"
            rec = _record("people", p, ctx)
            rec["text"] = text
            st.res["people"].append(rec)


def _extract(doc: ParsedDocument, meta: dict, ctxs: list[BlockContext], cell_docs: dict,
             block_docs: list, next_meeting: Callable[[], str | None] | None) -> dict[str, list[dict]]:
    meta = meta or {}
    md = meta.get("meeting_date")
    md = md if parse_ref(md) else None
    authority = meta.get("authority")
    st = _Reading(md=md, place=F.place(authority), authority=authority, res=empty_result())
    res = st.res
    # "at the next meeting": the date the paper gives for it, else the committee's next meeting the KB holds
    full_text = "\n".join(c.block.text or "" for c in ctxs)
    stated_next = stated_next_meeting(full_text, md)
    kb_next = next_meeting

    def next_meeting() -> str | None:
        return stated_next or (kb_next() if kb_next is not None else None)  # the paper's own word first (ANNOTATION.md)

    def add_action(text, ctx, fu: F.FollowUp, due_src=None):
        due_date, due_text = resolve_due(due_src if due_src is not None else text, md, next_meeting)
        res["actions"].append(_record("actions", {"text": text, "owner": fu.owner, "due_date": due_date,
                                                  "due_text": due_text, "status": "open", "type": fu.type,
                                                  "cue": fu.cue}, ctx))

    fctx = F.Context(meeting_date=md, doc_kind=meta.get("kind"), authority=authority, initials=A.initials_in(full_text),
                     answers=bool(F.ANSWERS_RE.search(f"{meta.get('title') or ''}\n{full_text[:600]}")))
    plan_leadins = {ctx.leadin for ctx in ctxs if ctx.region == "plan" and ctx.leadin is not None}
    for ctx in ctxs:
        b = ctx.block
        if b.section != st.last_section:
            st.per_context, st.last_section = None, b.section
        if b.kind == "heading":
            st.last_heading = b.text
        pc = PER_CONTEXT_RE.search(b.text or "")
        if pc:
            st.per_context = f"per {int(pc.group(1).replace(',', '')):,}"
        _metrics_in_block(ctx, st, cell_docs)
        block_decisions = _decisions_in_block(ctx, ctxs, st)
        _actions_in_block(ctx, ctxs, block_decisions, fctx, add_action, plan_leadins)
        _dates_in_block(ctx, st)
        _people_in_block(ctx, st, block_docs)
    # a council's own action tracker (Ref / Action / Owner / Due / Status): one action per row, status as stated
    T.tracker_actions(ctxs, md, next_meeting, lambda fields, ctx: res["actions"].append(_record("actions", fields, ctx)))
    return _tidy(res)


def _tidy(res: dict) -> dict:
    """Records read twice are one; lead-ins and stray fragments are none."""
    res["people"] = merge_people(res["people"])
    for m in res["metrics"]:  # a vote's tally ("Abstain (4)") is its own however often the same line recurs
        m["_vote"] = m.get("block") if VOTE_TALLY_RE.match(m.get("text") or "") else None
    res["metrics"] = _dedupe(res["metrics"], ("value", "unit", "text", "_vote"))
    for m in res["metrics"]:
        m.pop("_vote", None)
    res["actions"] = _dedupe(res["actions"], ("text",))
    for k in ("decisions", "recommendations"):
        # a lead-in ("Cabinet is asked to:", "the County Council:") or a stray fragment ("unanimously.") is not an item;
        # the same item quoted twice (report and covering sheet) is one
        res[k] = [d for d in res[k] if not D.is_lead_in(d.get("text")) or D.MOTION_OUTCOME_RE.search(d.get("text") or "")
                  or D.PAYMENTS_AGREED_RE.search(d.get("text") or "")]
        for d in res[k]:
            d["_key"] = re.sub(r"[^a-z0-9]+", " ", (d.get("text") or "").lower()).strip()[:90]
            if D.MOTION_OUTCOME_RE.search(d.get("text") or ""):
                d["_key"] += f" {d.get('block')}"  # "Amendment lost." after each of four votes: four decisions
        res[k] = _dedupe(res[k], ("_key",))
        for d in res[k]:
            d.pop("_key", None)
    return res


def _decision_follow_up(d: str, md: str | None, authority: str | None) -> F.FollowUp | None:
    """A decision that is also an action (ANNOTATION.md): it resolves a task to be carried out after the
    meeting (to act, report back, circulate ..., or by a stated date), not only to note or approve."""
    if MT.agreed_task(d):  # "Council agreed that enquiries should be made into ...": the body that agreed acts
        return F.FollowUp("resolution", MT.agreed_doer(d) or authority, "agreed task")
    if A.DECISION_ONLY_RE.match(d) and not A.FOLLOW_UP_RE.search(d):
        return None  # it notes, approves, endorses, pays: a decision only, however dated
    doer = MT.agreed_doer(d)
    if doer:  # "It was agreed that Cllr Anderson should go back to Highways ...": the resolution names who acts
        return F.FollowUp("resolution", doer, "resolution")
    to_act = A.ACT_DECISION_RE.search(d)
    # "the Licence should be launched on 30 September 2010": a dated decision (the year stated) is to be done
    dated = bool(re.search(r"\b(?:19|20)\d\d\b", d)) and F.future_date(d, md) and not A.NOTE_ONLY_RE.search(d)
    if not (to_act or dated or (A.FOLLOW_UP_RE.search(d) and not (
            A.NOTE_ONLY_RE.search(d) and not A.FOLLOW_UP_RE.search(A.NOTE_ONLY_RE.sub("", d))))):
        return None
    if A.delegated_to(d):
        owner = A.delegated_to(d)
    elif re.search(r"(?i)officer|director|head\s+of", d):
        owner = F.owner_from(d, authority)
    else:  # "the Councillors resolved to apply for ...": the body that resolved acts
        owner = authority if to_act else None
    return F.FollowUp("resolution", owner, "resolution")


def _actions_in_block(ctx: BlockContext, ctxs: list[BlockContext], block_decisions: list[str], fctx: F.Context,
                      add_action, plan_leadins: set[int]) -> None:
    """The block's follow-ups: its decisions that ask for a task, the items of a dated plan, and sentences
    that record a request, an undertaking, an awaited reply or a dated commitment."""
    b, md = ctx.block, fctx.meeting_date
    acted = set()
    for d in block_decisions:
        fu = _decision_follow_up(d, md, fctx.authority)
        if fu:
            add_action(d, ctx, fu)
            acted.add(d)
    if ctx.region == "plan" and ctx.leadin is not None:
        lead = ctxs[ctx.leadin].block.text or ""
        text = b.text or ""
        src = lead if F.has_time(lead, md) else text
        if F.has_time(src, md):  # a plan's item is a commitment only with a time (ANNOTATION.md)
            add_action(text, ctx, F.FollowUp("commitment", F.owner_from(lead, fctx.authority), "dated plan"), due_src=src)
        return
    if ctx.region in ("resolved", "recommendations", "inspect_recs") or b.kind in ("table_row", "heading") \
            or ctx.index in plan_leadins:
        return
    fctx.region = ctx.region
    for s in ctx.sentences:
        if any(s.text in d or d in s.text for d in acted):
            continue
        if fctx.nlp is None and s.span is not None:
            fctx.nlp = _nlp()
        fu = F.classify(s.text, s.span, fctx)
        if fu:
            add_action(s.text, ctx, fu)

TOC_ENTRY_RE = re.compile(r"[A-Za-z)’'…]\s+(\d{1,3})(?=\s+[A-Z]|\s*$)")


def _looks_like_contents(text: str, section: str | None) -> bool:
    """A table of contents: titles each followed by a page number, in order ("Response 14 Next steps 56")."""
    if section and re.search(r"(?i)\b(?:contents|index)\b", section.split(" > ")[-1]):
        return True
    nums = [int(n) for n in TOC_ENTRY_RE.findall(text)]
    if len(nums) < 3 or re.search(r"[.;!?](?:\s|$)", text):
        return False
    return sum(1 for a, b in itertools.pairwise(nums) if b >= a) >= len(nums) - 2


def _dedupe(items: list[dict], keys: tuple) -> list[dict]:
    seen, out = set(), []
    for it in items:
        k = tuple(str(it.get(x)) for x in keys)
        if k in seen:
            continue
        seen.add(k)
        out.append(it)
    return out


def _nlp():
    from nlp.spacy_pipeline import get_nlp

    return get_nlp()


def _prepare(doc: ParsedDocument, meta: dict):
    md = (meta or {}).get("meeting_date")
    try:
        ctxs = segment(doc, md if parse_ref(md) else None)
    except Exception:
        ctxs = []
    return ctxs


NEEDS_NLP_RE = re.compile(
    r"\d|[A-Z][\w'’-]+\s+[A-Z][a-z]|Good|Outstanding|Inadequate|Requires|Clerk|Chair|Treasurer|Secretary|"
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b|"
    r"(?i:\b(?:will|would|shall|requested|asked|agreed|resolved|noted|carried|lost|defeated|fell|vote|two|three|four|five|six|seven|eight|nine|ten|"
    r"eleven|twelve|twenty|thirty|dozen|hundred|year|month)\b)")


def extract_many(items: list[tuple[ParsedDocument, dict]], next_meeting=None) -> list[dict[str, list[dict]]]:
    """Extract from many documents, running spaCy once over all their blocks (nlp.pipe)."""
    prepared = [_prepare(doc, meta) for doc, meta in items]
    texts: list[str] = []
    where: list[tuple] = []
    for di, ctxs in enumerate(prepared):
        for ctx in ctxs:
            t = ctx.block.text or ""
            if not NEEDS_NLP_RE.search(t):
                continue  # nothing any extractor looks for: spare the pipeline
            texts.append(t[:100_000])
            where.append((di, ctx.index, None))
            if ctx.block.kind == "table_row" and ctx.block.cells:
                for ci, cell in enumerate(ctx.block.cells):
                    if cell and re.search(r"\d|%|£", cell):
                        texts.append(cell[:100_000])
                        where.append((di, ctx.index, ci))
    docs = []
    if texts:
        try:
            from nlp.spacy_pipeline import pipe

            docs = pipe(texts)
        except Exception:
            docs = [None] * len(texts)
    block_docs = [[None] * len(ctxs) for ctxs in prepared]
    cell_docs: list[dict] = [{} for _ in prepared]
    for (di, bi, ci), sdoc in zip(where, docs):
        if ci is None:
            block_docs[di][bi] = sdoc
        else:
            cell_docs[di][(bi, ci)] = sdoc[:] if sdoc is not None else None
    results = []
    for di, ((doc, meta), ctxs) in enumerate(zip(items, prepared)):
        for ctx in ctxs:
            sdoc = block_docs[di][ctx.index]
            for s in ctx.sentences:
                s.span = sdoc.char_span(s.start, s.end, alignment_mode="expand") if sdoc is not None else None
        try:
            results.append(_extract(doc, meta or {}, ctxs, cell_docs[di], block_docs[di], next_meeting))
        except Exception:
            results.append(empty_result())
    _relabel_measures(results)
    for r in results:
        C.assign(r)
    return results


def _relabel_measures(results: list[dict]) -> None:
    """Second spaCy pass, with the dependency parser, over only the sentences that hold a figure:
    each figure's measure becomes the noun phrase the parse says it measures (nlp.measure)."""
    recs = [m for r in results for m in r.get("metrics", []) if m.get("_pos")]
    if recs:
        sents = sorted({m["text"] for m in recs if m.get("text")})
        try:
            from nlp.measure import label
            from nlp.spacy_pipeline import parse

            parsed = dict(zip(sents, parse(sents)))
        except Exception:
            parsed = {}
            label = None
        for m in recs:
            s, e = m["_pos"]
            try:
                new = label(parsed.get(m["text"]), s, e, m.get("unit")) if label else None
            except Exception:
                new = None
            if new and 2 <= len(new) <= 120:
                m["measure"] = new
    for r in results:
        for m in r.get("metrics", []):
            m.pop("_pos", None)


def extract(doc: ParsedDocument, meta: dict, next_meeting: Callable[[], str | None] | None = None) -> dict[str, list[dict]]:
    """Extract from one document. `next_meeting` resolves "at the next meeting" to a date where given."""
    return extract_many([(doc, meta)], next_meeting=next_meeting)[0]
