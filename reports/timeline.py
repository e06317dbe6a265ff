"""`scrutiny timeline`: an authority's dated events in order, plans matched with outcomes.

A `dates` record is a *plan* when its date lies after the meeting that states it, or its words say so
("will start", "planned", "roll out", "go live"); an *outcome* when it is stated as done ("launched",
"went live", "began"). A plan and a later-stated outcome sharing key words are one event with
`planned` and `actual` dates; the plan *slipped* when the outcome came after the planned period ended,
and is *overdue* when its period has passed with no outcome in the documents.
"""
from __future__ import annotations

import re
from datetime import date

from kb.meetings import is_later
from reports.common import (
    ReportError,
    cite,
    keywords,
    parse_as_of,
    period_end,
    period_start,
    resolve_authorities,
    topic_documents,
)

PLAN_WORDS = re.compile(r"\b(will|would|shall|plan(?:s|ned)?|planning|to (?:start|begin|launch|go live|roll out|be "
                        r"(?:launched|implemented|introduced|completed))|roll(?:ing|ed)? out|go(?:ing)? live|due to|"
                        r"expected|anticipated|scheduled|target(?:ed)?|aim(?:s|ed)? to|intend(?:s|ed)?|proposed|"
                        # "from April 2024", "by the end of March": a start or a deadline, not "arising from"
                        r"(?:from|by) (?:the )?(?:(?:end|start|beginning) of )?(?:\d{1,2}(?:st|nd|rd|th)? )?"
                        r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|spring|summer|autumn|winter|\d{4}|"
                        r"the (?:financial|municipal|academic) year)\w*)\b", re.I)
OUTCOME_WORDS = re.compile(r"\b(launched|went live|gone live|began|begun|started|commenced|took place|"
                           r"(?:was|were|has been|have been|had been) (?:completed|implemented|introduced|opened|"
                           r"published|held|launched|achieved|delivered|concluded|received|awarded|approved)|"
                           r"implemented|introduced|opened|came into (?:effect|force)|concluded|completed|"
                           r"inspected|published)\b", re.I)
# Vocabulary of planning and outcome, left out when matching a plan with its outcome by key words.
EVENT_STOP = frozenset(
    "will would plan planned planning start started starting begin began begun launch launched go going went gone "
    "live roll rolled rolling out due expected anticipated scheduled target aim intend proposed implemented "
    "introduced opened completed complete took place commenced full fully official officially date new "
    "council county borough city district took".split())


def classify(rec: dict, doc: dict) -> str:
    """'planned' or 'actual' for one dates record of document `doc`."""
    words = f"{rec.get('event') or ''} {rec.get('text') or ''}"
    if is_later(rec.get("date"), doc.get("meeting_date")):
        return "planned"
    if PLAN_WORDS.search(words) and not OUTCOME_WORDS.search(words):
        return "planned"
    return "actual"


def _event_words(rec: dict) -> set[str]:
    return keywords(rec.get("event") or rec.get("text"), EVENT_STOP)


def _matches(p: set[str], a: set[str]) -> float:
    shared = p & a
    if not shared or len(shared) < min(2, len(p), len(a)):
        return 0.0
    return len(shared) / len(p | a)


def _dedupe(items: list[dict]) -> list[dict]:
    """One entry per event: the same date and key words stated in several documents are kept once (the
    earliest statement), the others listed under `also`."""
    kept: list[dict] = []
    for x in sorted(items, key=lambda x: x["doc"].get("meeting_date") or ""):
        for k in kept:
            if k["rec"]["date"] == x["rec"]["date"] and (k["words"] == x["words"] or _matches(k["words"], x["words"])
                                                         >= 0.5):
                k["also"].append(cite(x["doc"], x["rec"].get("page"), x["rec"]))
                break
        else:
            kept.append({**x, "also": []})
    return kept


def _month_delay(planned: str, actual: str) -> int | None:
    end, got = period_end(planned), period_start(actual)
    if not end or not got or got <= end:
        return None
    start = period_start(planned)
    return max(1, (got.year - start.year) * 12 + got.month - start.month)


LAUNCH_PLAN = re.compile(r"\b(start|begin|launch|roll(?:ing)? out|go live|implement|introduce|open)\w*", re.I)
LAUNCH_DONE = re.compile(r"\b(launched|went live|gone live|began|begun|started|commenced|implemented|introduced|"
                         r"opened)\b", re.I)


def _launch(x: dict, pattern: re.Pattern) -> bool:
    return bool(pattern.search(f"{x['rec'].get('event') or ''} {x['rec'].get('text') or ''}"))


def build_events(store, docs: list[dict], as_of: date | None = None, topic: str | None = None) -> list[dict]:
    """Dated events stated in `docs`, plans paired with outcomes, in date order.

    Plans pair with outcomes by shared key words; with a `topic` (all `docs` are about it), a plan to
    start/launch/roll out that shares no words with any outcome pairs, as a *weak* match, with the
    first launch stated after it (e.g. "roll out the new way of working in October 2020" and "launched the
    Family Safeguarding Model on 11 February 2021")."""
    as_of = as_of or date.today()
    recs = []
    for d in docs:
        for r in store.records("dates", d["id"]):
            if not r.get("date"):
                continue
            recs.append({"rec": r, "doc": d, "type": classify(r, d), "words": _event_words(r)})
    plans = _dedupe([x for x in recs if x["type"] == "planned"])
    outcomes = _dedupe([x for x in recs if x["type"] == "actual"])
    used_outcomes: set[int] = set()
    events = []
    for p in plans:
        best, best_score = None, 0.0
        for i, a in enumerate(outcomes):
            # an outcome of this plan happens after the plan was made
            made = p["doc"].get("meeting_date")
            if made and not is_later(a["rec"]["date"], made):
                continue
            score = _matches(p["words"], a["words"])
            if score > best_score:
                best, best_score = i, score
        weak = False
        if best is None and topic and _launch(p, LAUNCH_PLAN):
            made = p["doc"].get("meeting_date")
            launches = [(a["rec"]["date"], i) for i, a in enumerate(outcomes)
                        if i not in used_outcomes and _launch(a, LAUNCH_DONE)
                        and (not made or is_later(a["rec"]["date"], made))]
            if launches:
                best, weak = min(launches)[1], True
        ev = _item(p, "planned")
        ev["planned"] = p["rec"]["date"]
        ev["actual"] = None
        if best is not None:
            a = outcomes[best]
            used_outcomes.add(best)
            ev.update(_item(a, "actual"))
            ev["planned"], ev["actual"] = p["rec"]["date"], a["rec"]["date"]
            ev["plan"] = {"date": p["rec"]["date"], "text": p["rec"].get("text") or p["rec"].get("event"),
                          **cite(p["doc"], p["rec"].get("page"), p["rec"])}
            ev["match"] = "weak: both about starting, no shared key words" if weak else "shared key words"
            delay = _month_delay(p["rec"]["date"], a["rec"]["date"])
            ev["slipped"] = delay is not None
            ev["status"] = "slipped" if delay else "delivered"
            ev["flag"] = (f"slipped: planned {p['rec']['date']}, happened {a['rec']['date']} "
                          f"(about {delay} month{'s' if delay != 1 else ''} late)") if delay else None
            if weak and ev["flag"]:
                ev["flag"] += "; plan and outcome matched by wording about starting only"
        else:
            end = period_end(p["rec"]["date"])
            overdue = end is not None and end < as_of
            ev["slipped"] = overdue
            ev["status"] = "no outcome reported" if overdue else "planned"
            ev["flag"] = (f"planned for {p['rec']['date']}; no outcome found in the documents" if overdue else None)
        events.append(ev)
    for i, a in enumerate(outcomes):
        if i in used_outcomes:
            continue
        ev = _item(a, "actual")
        ev.update({"planned": None, "actual": a["rec"]["date"], "slipped": False, "status": "happened", "flag": None})
        events.append(ev)
    events.sort(key=lambda e: (e["date"] or "", e.get("meeting_date") or ""))
    return events


def _item(x: dict, kind: str) -> dict:
    r, d = x["rec"], x["doc"]
    return {"date": r["date"], "event": r.get("event") or r.get("text"), "type": kind, "text": r.get("text"),
            **cite(d, r.get("page"), r), "authority": d.get("authority"), "url": d.get("url"),
            "also_stated_in": x.get("also", [])}


def source_list(docs: list[dict]) -> list[dict]:
    return [{"source": d["source"], "committee": d.get("committee"), "meeting_date": d.get("meeting_date"),
             "kind": d.get("kind"), "url": d.get("url"), "title": d.get("title"), "authority": d.get("authority"),
             "page": None} for d in docs]


def timeline(store, authority: str, topic: str | None = None, as_of: str | None = None,
             meetings: bool = True, since: str | None = None, until: str | None = None) -> dict:
    """The `scrutiny timeline` report as data."""
    (name,) = resolve_authorities(store, [authority])
    day = parse_as_of(as_of)
    docs = topic_documents(store, name, topic, since=since, until=until)
    if not docs:
        what = f' on "{topic}"' if topic else ""
        raise ReportError(f'no documents of "{name}"{what} in the knowledge base')
    events = build_events(store, docs, day, topic=topic)
    if meetings:
        for d in docs:
            if d.get("meeting_date"):
                title = d.get("title") or d["source"]
                events.append({"date": d["meeting_date"], "event": f"{d.get('committee') or 'Meeting'}: {title}",
                               "type": "meeting", "text": None, **cite(d, None), "authority": d.get("authority"),
                               "url": d.get("url"), "planned": None, "actual": None, "slipped": False,
                               "status": d.get("kind") or "meeting", "flag": None})
        events.sort(key=lambda e: (e["date"] or "", e["type"] != "meeting"))
    return {"authority": name, "topic": topic, "as_of": day.isoformat(), "events": events,
            "slipped": sum(1 for e in events if e.get("slipped")), "sources": source_list(docs)}


# --- presentation (used by reports.render) ---------------------------------------------------------
def title(data: dict) -> str:
    return f"Timeline: {data['authority']}" + (f" — {data['topic']}" if data.get("topic") else "")


def intro(data: dict) -> str:
    n = sum(1 for e in data["events"] if e["type"] != "meeting")
    k, docs = data["slipped"], len(data["sources"])
    return (f"{n} dated event{'s' * (n != 1)} from {docs} document{'s' * (docs != 1)}, as of {data['as_of']}; "
            f"{k} plan{'s' * (k != 1)} slipped or passed with no outcome reported.")


def tables(data: dict, spreadsheet: bool = False):
    from reports.render import Table, cited

    if spreadsheet:
        return [flat(data), sources_table(data)]
    rows = [[e["date"], e["event"], e.get("planned"), e.get("actual"), e["status"], e.get("flag") or "",
             cited(e)] for e in data["events"]]
    return [Table("Events", ["Date", "Event", "Planned", "Actual", "Status", "Flag", "Source"], rows,
                  status_col="Status", note="no dated events found"), sources_table(data)]


def sources_table(data: dict):
    from reports.render import Table

    return Table("Sources", ["Source", "Committee", "Meeting date", "Kind", "Link"],
                 [[s["source"], s["committee"], s["meeting_date"], s["kind"], s.get("url")] for s in data["sources"]])


def flat(data: dict):
    from reports.render import Table

    cols = ["date", "event", "type", "planned", "actual", "status", "slipped", "flag", "text", "source", "page",
            "meeting_date", "committee", "plan_source", "plan_page", "url"]
    rows = [[e["date"], e["event"], e["type"], e.get("planned"), e.get("actual"), e["status"], e.get("slipped"),
             e.get("flag"), e.get("text"), e["source"], e.get("page"), e.get("meeting_date"), e.get("committee"),
             (e.get("plan") or {}).get("source"), (e.get("plan") or {}).get("page"), e.get("url")]
            for e in data["events"]]
    return Table("Timeline", cols, rows, status_col="status")


def html_context(data: dict) -> dict:
    from reports.render import source_numbers

    sources, numbers = source_numbers(data["sources"])
    return {"title": title(data), "intro": intro(data), "sources": sources, "srcno": numbers}
