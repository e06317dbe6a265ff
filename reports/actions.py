"""`scrutiny actions`: the follow-up tracker councils keep by hand, read from the KB.

The work is done below reports/: kb.followups links each action to the later papers that report on it
(stored, recomputed when an authority's papers change) and kb.corrections keeps what people set by
hand. This module reads both and presents them. Status of each action:

- what a person set (`scrutiny actions set`), marked as set by hand;
- else, for a row of a council's own tracker table, the latest such table's stated status;
- else what later papers report (kb.followups.status_of): **done** (a completion, surely about it),
  **dropped**, **updated** (a later mention that reports no completion), **possible update** (a weaker
  match, for a person to confirm);
- else **overdue** when its due date has passed (a month-precision date at the end of the month),
  **open** otherwise.

Every status shows its evidence: document, meeting date, page, the sentence, and why it was taken
(score, cue, shared words).
"""
from __future__ import annotations

import re
from datetime import date

from kb.meetings import is_later, next_meeting
from reports.common import ReportError, parse_as_of, period_end, period_start, resolve_authorities

STATUSES = ("open", "overdue", "updated", "possible update", "done", "dropped", "all")
SHOWN = ("overdue", "open", "possible update", "updated", "done", "dropped")
MIN_CONFIDENCE = 0.4


def due_of(rec: dict, doc: dict, all_docs: list[dict]) -> tuple[str | None, dict | None]:
    """An action's due date, and the meeting it was read from for "at the next meeting" (resolved
    here, against every meeting the KB holds now, not only those it held when the action was stored)."""
    from nlp.dates import NEXT_MEETING_RE

    if "due_date" in (rec.get("set_by_hand") or {}) or not NEXT_MEETING_RE.search(rec.get("due_text") or ""):
        return rec.get("due_date"), None
    nxt = next_meeting(doc, all_docs)
    if nxt is None:
        return rec.get("due_date"), None
    return nxt["meeting_date"], {"source": nxt["source"], "meeting_date": nxt["meeting_date"],
                                 "committee": nxt.get("committee"), "url": nxt.get("url")}


def _evidence(lk: dict) -> dict:
    why = dict(lk.get("why") or {})
    return {"source": lk["source"], "meeting_date": lk.get("meeting_date"), "text": lk["sentence"], "page": lk.get("page"),
            "committee": lk.get("committee"), "url": lk.get("url"), "score": lk["score"], "cue": lk.get("cue"),
            "says": lk["says"], "why": why}


def _hand(rec: dict) -> dict | None:
    """What a person set on this action (status, owner, due date, note, evidence), or None."""
    return rec.get("set_by_hand") or None


def _own_evidence(rec: dict, doc: dict, says: str, cue: str | None) -> dict:
    """The action's own paper as its evidence (a tracker table's row, a sentence that states it done)."""
    return {"source": doc["source"], "meeting_date": doc.get("meeting_date"), "text": rec.get("text"),
            "page": rec.get("page"), "committee": doc.get("committee"), "url": doc.get("url"), "says": says,
            "cue": cue, "score": 1.0, "why": {"stated": True}}


def _by_hand(hand: dict, day: date, due_end: date | None) -> tuple[str, dict | None]:
    h, ev = hand["status"], None
    cited = (hand.get("evidence") or {}).get("value")
    if cited:
        src, _, page = cited.rpartition(":") if re.search(r":\d+$", cited) else (cited, "", "")
        ev = {"source": src, "page": int(page) if page else None, "text": h.get("note") or "", "meeting_date": None,
              "says": h["value"], "cue": "set by hand"}
    st = h["value"]
    return ("overdue" if st == "open" and due_end is not None and due_end < day else st), ev


def _status(rec: dict, doc: dict, links: list[dict], day: date, due_end: date | None) -> tuple[str, dict | None]:
    """What a person set; else a tracker table's latest word (a later table's row, else the row's own); else
    what later papers report (kb.followups.status_of); else overdue or open."""
    from kb.followups import status_of

    hand = rec.get("set_by_hand") or {}
    if "status" in hand:
        return _by_hand(hand, day, due_end)
    stated = (rec.get("status") or "open").lower()
    st, lk = status_of(links, day, due_end)
    if str(rec.get("cue") or "").startswith("tracker table") and not (lk and _from_table(lk)):
        if stated in ("done", "dropped", "updated"):
            return stated, _own_evidence(rec, doc, stated, rec.get("cue"))
        return ("overdue" if due_end is not None and due_end < day else "open"), None
    if stated == "done" and lk is None:
        return "done", _own_evidence(rec, doc, "done", "stated done in the same document")
    return st, (_evidence(lk) if lk else None)


def _from_table(lk: dict) -> bool:
    return str(lk.get("cue") or "").startswith("tracker table")


def _later_ok(d: dict, day: date) -> bool:
    return (period_start(d.get("meeting_date")) or day) <= day


def tracker(store, authority: list[str] | tuple[str, ...] = (), committee: str | None = None,
            owner: str | None = None, status: str = "all", since: str | None = None, until: str | None = None,
            as_of: str | None = None, min_confidence: float | None = MIN_CONFIDENCE,
            for_meeting: str | None = None) -> dict:
    """The `scrutiny actions` report as data. `for_meeting` (with `committee`): what the committee's next
    meeting on that date should see: open, overdue, and what changed since it last met."""
    from kb.followups import action_confidence, links_of, refresh

    if status not in STATUSES:
        raise ReportError(f'unknown status "{status}" (one of {", ".join(STATUSES)})')
    window = _window(store, committee, for_meeting) if for_meeting else None
    day = parse_as_of(for_meeting or as_of)
    names = resolve_authorities(store, list(authority)) if authority else None
    refresh(store, names)
    all_docs = store.documents(authority=names)
    docs = store.documents(authority=names, committee=committee, since=since, until=until)
    if window:
        docs = [d for d in docs if d.get("meeting_date") and d["meeting_date"] <= window["last_met"]]
    # one query for every action (a query per document costs more than reading the rest, in a KB of thousands)
    by_doc: dict[str, list[dict]] = {}
    for r in store.records("actions"):
        by_doc.setdefault(r["doc_id"], []).append(r)
    recs = [(d, r) for d in docs for r in by_doc.get(d["id"], [])]
    links = links_of(store, [r["rowid"] for _, r in recs])
    hidden = {lk["evidence_action_id"] for ls in links.values() for lk in ls if lk.get("evidence_action_id")}
    out = []
    for d, r in recs:
        rowid = r["rowid"]
        conf = action_confidence(r)
        if rowid in hidden or (min_confidence is not None and conf < min_confidence and not _hand(r)):
            continue
        if owner and owner.lower() not in (r.get("owner") or "").lower():
            continue
        mine = [lk for lk in links.get(rowid, []) if _later_ok(lk, day)]
        due_date, due_meeting = due_of(r, d, all_docs)
        due_end = period_end(due_date)
        st, ev = _status(r, d, mine, day, due_end)
        if window and not _in_window(st, ev, window):
            continue
        if status != "all" and st != status:
            continue
        out.append(_row(d, r, st, ev, due_date, due_meeting, due_end, day, conf, mine))
    out.sort(key=lambda a: (a["authority"] or "", a["meeting_date"] or "", a["ref"]))
    counts = {s: sum(1 for a in out if a["status"] == s) for s in SHOWN}
    return {"as_of": day.isoformat(), "filters": {"authority": names, "committee": committee, "owner": owner,
                                                  "status": status, "since": since, "until": until,
                                                  "min_confidence": min_confidence, "for_meeting": for_meeting},
            "window": window, "counts": counts, "actions": out}


def _row(d, r, st, ev, due_date, due_meeting, due_end, day, conf, links) -> dict:
    later = [lk for lk in links if ev is None or lk.get("sentence") != ev.get("text")]
    overdue = st not in ("done", "dropped") and due_end is not None and due_end < day
    return {
        "ref": f"{d['id'][:8]}-{r['seq'] + 1}", "id": r["id"], "authority": d.get("authority"),
        "committee": d.get("committee"), "meeting_date": d.get("meeting_date"), "item": r.get("section") or d.get("title"),
        "source": d["source"], "url": d.get("url"), "page": r.get("page"), "text": r.get("text"), "owner": r.get("owner"),
        "type": r.get("type"), "cue": r.get("cue"), "confidence": conf,
        "due_date": due_date, "due_text": r.get("due_text"), "due_meeting": due_meeting, "status": st,
        "days_overdue": (day - due_end).days if overdue else None,
        "update": ev["text"] if ev else None, "evidence": ev,
        "other_evidence": [_short(lk) for lk in later[:3]], "set_by_hand": _hand(r),
        **({"ocr": True} if r.get("ocr") else {}),  # read from a scan: cited as such
    }


def _short(lk: dict) -> dict:
    return {"source": lk["source"], "meeting_date": lk.get("meeting_date"), "page": lk.get("page"),
            "text": lk["sentence"], "score": lk["score"], "says": lk["says"]}


def _window(store, committee: str | None, for_meeting: str) -> dict:
    """The committee's last meeting before `for_meeting`: what has happened since is what the pack shows."""
    if not committee:
        raise ReportError("--for-meeting needs --committee (whose next meeting it is)")
    if period_start(for_meeting) is None:
        raise ReportError(f'cannot read the date "{for_meeting}" (use YYYY-MM-DD)')
    met = [d["meeting_date"] for d in store.documents(committee=committee) if d.get("meeting_date")
           and is_later(for_meeting, d["meeting_date"])]
    if not met:
        raise ReportError(f'no meeting of a committee matching "{committee}" before {for_meeting}')
    return {"committee": committee, "last_met": max(met), "for_meeting": for_meeting}


def _in_window(st: str, ev: dict | None, window: dict) -> bool:
    """What is still outstanding (open, overdue, updated); what was closed (done, dropped) only when the paper
    that closed it came after the committee last met (it saw those reported at that meeting)."""
    if st not in ("done", "dropped"):
        return True
    when = (ev or {}).get("meeting_date")
    return when is None or is_later(when, window["last_met"])


def action_status(store, doc: dict, rec: dict, as_of: date, cache: dict | None = None) -> tuple[str, dict | None]:
    """Status of one action record and its evidence (used by compare)."""
    from kb.followups import links_of, refresh

    if cache is not None and "refreshed" not in cache:
        refresh(store)
        cache["refreshed"] = True
    rowid = rec["rowid"]
    mine = [lk for lk in links_of(store, [rowid]).get(rowid, []) if _later_ok(lk, as_of)]
    names = [doc["authority"]] if doc.get("authority") else None
    key = ("docs", doc.get("authority"))
    if cache is None or key not in cache:
        all_docs = store.documents(authority=names)
        if cache is not None:
            cache[key] = all_docs
    else:
        all_docs = cache[key]
    return _status(rec, doc, mine, as_of, period_end(due_of(rec, doc, all_docs)[0]))


# --- presentation (used by reports.render) ---------------------------------------------------------
def title(data: dict) -> str:
    w = data.get("window")
    if w:
        return f"Actions for {w['committee']} on {w['for_meeting']} (since {w['last_met']})"
    return f"Actions tracker as of {data['as_of']}"


def intro(data: dict) -> str:
    c = data["counts"]
    parts = ", ".join(f"{c[s]} {s}" for s in SHOWN if c.get(s))
    return (f"{len(data['actions'])} actions" + (f": {parts}" if parts else "") + ". Status comes from later papers of "
            "the same authority (the sentence is quoted with why it was taken), a council's own tracker table, or a "
            "person's correction (marked set by hand); month-precision due dates fall due at the end of the month.")


def due_label(a: dict) -> str | None:
    """The due date as a reader sees it: with "(next meeting)" where it is the committee's next
    meeting, or the wording itself where no date could be read ("at the next meeting" before any)."""
    if a.get("due_date"):
        return a["due_date"] + (" (next meeting)" if a.get("due_meeting") else "") + (
            " (set by hand)" if "due_date" in (a.get("set_by_hand") or {}) else "")
    return a.get("due_text")


def hand_label(a: dict) -> str:
    """ "set by hand by jb on 2026-01-05: minuted in March" for each corrected field."""
    hand = a.get("set_by_hand") or {}
    return "; ".join(f"{f} set by hand by {h['by']} on {h['at'][:10]}" + (f": {h['note']}" if h.get("note") else "")
                     for f, h in hand.items())


def why_label(ev: dict | None) -> str:
    if not ev:
        return ""
    why = ev.get("why") or {}
    bits = [f"score {ev['score']:.2f}" if isinstance(ev.get("score"), float) else None,
            f"done {why['p_done']:.2f}" if isinstance(why.get("p_done"), float) else None,
            f"cue \"{ev['cue']}\"" if ev.get("cue") else None,
            ("shared: " + ", ".join(why.get("shared", [])[:6])) if why.get("shared") else None,
            f"cites {why['cites']}" if why.get("cites") else None,
            f"closeness {why['closeness']:.2f}" if why.get("closeness") is not None else None]
    return "; ".join(b for b in bits if b)


def _meeting(a: dict) -> str:
    return " ".join(x for x in (a.get("meeting_date"), a.get("committee")) if x)


def status_label(a: dict) -> str:
    st = a["status"] + (" (set by hand)" if "status" in (a.get("set_by_hand") or {}) else "")
    return st + (f", {a['days_overdue']} days overdue" if a.get("days_overdue") and a["status"] != "overdue" else "")


def tables(data: dict, spreadsheet: bool = False):
    from reports.render import Table, cited

    if spreadsheet:
        return [flat(data)]
    rows = []
    for a in data["actions"]:
        ev = a["evidence"]
        update = f"{ev['text']} [{cited(ev)}, {ev.get('meeting_date')}]" if ev else ""
        if ev and why_label(ev):
            update += f"\n({why_label(ev)})"
        if a.get("set_by_hand"):
            update += f"\n[{hand_label(a)}]"
        rows.append([a["ref"], f"{a['authority']}\n{_meeting(a)}" + (f"\n{a['item']}" if a.get("item") else ""),
                     a["text"], a.get("owner"), due_label(a), status_label(a), update.strip(),
                     cited(a)])
    return [Table("Actions", ["Ref", "Origin meeting and item", "Action", "Owner", "Due", "Status", "Update",
                              "Source"], rows, status_col="Status", note="no actions match")]


def flat(data: dict):
    from reports.render import Table

    cols = ["ref", "authority", "committee", "meeting_date", "item", "action", "owner", "due_date", "due_text",
            "status", "days_overdue", "update", "evidence_source", "evidence_meeting_date", "evidence_page",
            "evidence_score", "evidence_cue", "set_by_hand", "type", "confidence", "source", "page", "url",
            "read_by_ocr"]
    rows = []
    for a in data["actions"]:
        ev = a["evidence"] or {}
        rows.append([a["ref"], a["authority"], a["committee"], a["meeting_date"], a.get("item"), a["text"],
                     a.get("owner"), a.get("due_date"), a.get("due_text"), a["status"], a.get("days_overdue"),
                     ev.get("text"), ev.get("source"), ev.get("meeting_date"), ev.get("page"), ev.get("score"),
                     ev.get("cue"), hand_label(a) or None, a.get("type"), a.get("confidence"), a["source"],
                     a.get("page"), a.get("url"), "yes" if a.get("ocr") else None])
    return Table("Actions", cols, rows, status_col="status")


def html_context(data: dict) -> dict:
    from reports.render import source_numbers

    srcs = []
    for a in data["actions"]:
        srcs.append({"source": a["source"], "committee": a["committee"], "meeting_date": a["meeting_date"],
                     "authority": a["authority"], "url": a.get("url"), "kind": None, "title": a.get("item")})
        if a["evidence"]:
            ev = a["evidence"]
            srcs.append({"source": ev["source"], "committee": ev.get("committee"),
                         "meeting_date": ev.get("meeting_date"),
                         "authority": a["authority"], "url": ev.get("url"), "kind": None, "title": None})
    sources, numbers = source_numbers(srcs)
    return {"title": title(data), "intro": intro(data), "sources": sources, "srcno": numbers, "due_label": due_label,
            "why_label": why_label, "hand_label": hand_label, "shown": SHOWN}
