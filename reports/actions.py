"""`scrutiny actions`: the follow-up tracker councils keep by hand, inferred from the KB.

Status of each action record:
- **done** when a LATER document of the same authority (preferably the same committee) reports it
  done: a sentence with completion vocabulary ("the update report was presented", "received the
  update", "has been completed", "circulated") sharing key words with the action and the item it came
  from; or, failing that, a later meeting of the same committee holding an item on the same subject.
  The evidence sentence and its document are returned.
- **overdue** when its due date has passed without such evidence (a month-precision due date is due
  at the end of that month);
- **open** otherwise.
"""
from __future__ import annotations

import re
from datetime import date

from kb.meetings import is_later, next_meeting
from reports.common import ReportError, keywords, parse_as_of, period_end, resolve_authorities, sentences

STATUSES = ("open", "overdue", "done", "all")

COMPLETION = re.compile(
    r"\b(update (?:report )?(?:was|were|had been|has been) (?:presented|provided|received|considered|given|noted)|"
    # "the update report [on the Family Safeguarding Model requested in March] was presented"
    r"(?:report|update|presentation|briefing|information|details|paper|note|response)s?(?:\W+[\w'’-]+){0,12}?\W+"
    r"(?:was|were|had been|has been|have been) (?:presented|provided|received|considered|circulated|shared|"
    r"submitted|sent|given|brought)|"
    r"received (?:an?|the) (?:update|report|presentation|briefing)|considered (?:an?|the) (?:update|follow[- ]up|"
    r"progress) report|"
    r"(?:has|have|had) been (?:completed|done|actioned|implemented|delivered|circulated|provided|addressed)|"
    r"(?:was|were) (?:completed|actioned|circulated|implemented|delivered|addressed)|"
    r"follow[- ]up report|report(?:ed)? back|as requested (?:by|at)|action (?:is |was )?(?:complete|closed))\b",
    re.I)
# Words of an action that say what kind of follow-up it is, not what it is about.
ACTION_STOP = frozenset(
    "update report present presented committee board meeting month months week weeks year years six "
    "three twelve four two one future next brought back provided provide circulated circulate member "
    "members officer officers further detail details information request requested agreed resolved noted "
    "note that item scrutiny council cabinet time due date progress be".split())
SUBJECT_STOP = frozenset(
    "minutes agenda report update supporting documents".split())


def _completes(sentence: str, wanted: set[str]) -> bool:
    """The completion phrase is about what the action names: one of `wanted` stands in what was
    done (the words just before "... was presented", or just after "received the ...").
    "Finance had been provided by the DfE so that the number of social workers could be increased"
    does not complete "increase the number of social workers"."""
    for m in COMPLETION.finditer(sentence):
        passive = re.match(r"(?:was|were|has|have|had)\b", m.group(0), re.I)
        # passive ("X had been provided"): X stands before; active ("received the X"): after
        window = sentence[max(0, m.start() - 80): m.end()] if passive else sentence[m.start(): m.end() + 40]
        if wanted & keywords(window):
            return True
    return False


def _subject_words(rec: dict, doc: dict) -> set[str]:
    """What the action is about: its own key words plus those of the item (section) and document title."""
    return (keywords(rec.get("text"), ACTION_STOP) | keywords(rec.get("section"), ACTION_STOP | SUBJECT_STOP)
            | keywords(doc.get("title"), ACTION_STOP | SUBJECT_STOP))


def _doc_sentences(store, doc_id: str, cache: dict | None) -> list[tuple]:
    """(block, [(sentence, key words)] of sentences with completion vocabulary), per block; cached per report."""
    if cache is not None and doc_id in cache:
        return cache[doc_id]
    out = []
    for b in store.blocks(doc_id):
        done = [(s, keywords(s)) for s in sentences(b.text) if COMPLETION.search(s)]
        out.append((b, keywords(b.section), keywords(b.text) if b.kind == "heading" else None, done))
    if cache is not None:
        cache[doc_id] = out
    return out


def find_evidence(store, rec: dict, doc: dict, later_docs: list[dict], cache: dict | None = None) -> dict | None:
    """The best passage in a later document that shows the action done, or None."""
    subject = _subject_words(rec, doc)
    if not subject:
        return None
    own = keywords(rec.get("text"), ACTION_STOP)  # what the action itself names ("team leaders"), if anything
    place_words = keywords(doc.get("authority"))  # "Lancashire" names no deliverable
    need = min(2, len(subject))
    best, best_score = None, 0.0
    for d in later_docs:
        same_committee = bool(doc.get("committee")) and d.get("committee") == doc.get("committee")
        title_words = keywords(d.get("title"))
        heading_hit = None
        for b, section_words, heading_words, done in _doc_sentences(store, d["id"], cache):
            ctx = section_words | title_words
            if heading_words is not None and len(subject & heading_words) >= need and heading_hit is None:
                heading_hit = b
            for s, words in done:
                if not (subject & words or re.search(r"\b(update|report|briefing|presentation|information|details|"
                                                     r"follow[- ]up)", s, re.I)):
                    continue
                shared = subject & (words | ctx)
                if len(shared) < need or (own and not own & (words | ctx)):
                    continue
                if not _completes(s, (own or subject) - place_words):
                    continue
                score = len(shared) / len(subject) + (0.5 if same_committee else 0) + (0.3 if subject & words else 0)
                follow_up = re.search(r"\bupdate|follow[- ]up|progress", s, re.I)
                if follow_up and re.search(r"\bupdate", rec.get("text") or "", re.I):
                    score += 0.3
                if score > best_score:
                    best_score = score
                    best = {"source": d["source"], "meeting_date": d.get("meeting_date"), "text": s, "page": b.page,
                            "committee": d.get("committee"), "url": d.get("url"), "match": "reported done"}
        # the later meeting being an item on the same subject: an update/follow-up on it, same committee
        if best is None and same_committee and not own - keywords(doc.get("title")) - keywords(rec.get("section")):
            subj_title = len(subject & title_words) >= need
            item = heading_hit if heading_hit is not None else None
            text = item.text if item is not None else (d.get("title") if subj_title else None)
            if text and re.search(r"\bupdate|follow[- ]up|progress|review", f"{text} {d.get('title') or ''}", re.I):
                best_score = 0.1
                best = {"source": d["source"], "meeting_date": d.get("meeting_date"),
                        "text": f"Item on the same subject at a later meeting: {text}",
                        "page": item.page if item is not None else None, "committee": d.get("committee"),
                        "url": d.get("url"), "match": "later item on the same subject"}
    return best


def due_of(rec: dict, doc: dict, all_docs: list[dict]) -> tuple[str | None, dict | None]:
    """An action's due date, and the meeting it was read from for "at the next meeting" (resolved
    here, against every meeting the KB holds now, not only those it held when the action was stored)."""
    from nlp.dates import NEXT_MEETING_RE

    if not NEXT_MEETING_RE.search(rec.get("due_text") or ""):
        return rec.get("due_date"), None
    nxt = next_meeting(doc, all_docs)
    if nxt is None:
        return rec.get("due_date"), None
    return nxt["meeting_date"], {"source": nxt["source"], "meeting_date": nxt["meeting_date"],
                                 "committee": nxt.get("committee"), "url": nxt.get("url")}


def tracker(store, authority: list[str] | tuple[str, ...] = (), committee: str | None = None,
            owner: str | None = None, status: str = "all", since: str | None = None, until: str | None = None,
            as_of: str | None = None) -> dict:
    """The `scrutiny actions` report as data."""
    if status not in STATUSES:
        raise ReportError(f'unknown status "{status}" (one of {", ".join(STATUSES)})')
    day = parse_as_of(as_of)
    names = resolve_authorities(store, list(authority)) if authority else None
    all_docs = store.documents(authority=names)  # every document may hold evidence
    docs = store.documents(authority=names, committee=committee, since=since, until=until)
    out, cache = [], {}
    for d in docs:
        recs = store.records("actions", d["id"])
        if not recs:
            continue
        later = [x for x in all_docs if x["authority"] == d["authority"] and x["id"] != d["id"]
                 and is_later(x.get("meeting_date"), d.get("meeting_date"))
                 and (period_end(x.get("meeting_date")) or day) <= day]
        # the same committee's later meetings first
        later.sort(key=lambda x: (x.get("committee") != d.get("committee"), x.get("meeting_date") or ""))
        for seq, r in enumerate(recs, 1):
            if owner and owner.lower() not in (r.get("owner") or "").lower():
                continue
            evidence = None
            if (r.get("status") or "").lower() == "done":
                evidence = {"source": d["source"], "meeting_date": d.get("meeting_date"), "text": r.get("text"),
                            "page": r.get("page"), "committee": d.get("committee"), "url": d.get("url"),
                            "match": "stated done in the same document"}
            else:
                evidence = find_evidence(store, r, d, later, cache)
            due_date, due_meeting = due_of(r, d, all_docs)
            due_end = period_end(due_date)
            if evidence:
                st = "done"
            elif due_end is not None and due_end < day:
                st = "overdue"
            else:
                st = "open"
            if status != "all" and st != status:
                continue
            out.append({
                "ref": f"{d['id'][:8]}-{seq}", "authority": d.get("authority"), "committee": d.get("committee"),
                "meeting_date": d.get("meeting_date"), "item": r.get("section") or d.get("title"),
                "source": d["source"],
                "url": d.get("url"), "page": r.get("page"), "text": r.get("text"), "owner": r.get("owner"),
                "due_date": due_date, "due_text": r.get("due_text"), "due_meeting": due_meeting, "status": st,
                "days_overdue": (day - due_end).days if st == "overdue" else None,
                "update": evidence["text"] if evidence else None, "evidence": evidence,
            })
    out.sort(key=lambda a: (a["authority"] or "", a["meeting_date"] or "", a["ref"]))
    counts = {s: sum(1 for a in out if a["status"] == s) for s in ("overdue", "open", "done")}
    return {"as_of": day.isoformat(), "filters": {"authority": names, "committee": committee, "owner": owner,
                                                  "status": status, "since": since, "until": until},
            "counts": counts, "actions": out}


def action_status(store, doc: dict, rec: dict, as_of: date, cache: dict | None = None) -> tuple[str, dict | None]:
    """Status of one action record (used by compare)."""
    all_docs = store.documents(authority=[doc["authority"]])
    later = [x for x in all_docs if x["id"] != doc["id"] and is_later(x.get("meeting_date"), doc.get("meeting_date"))
             and (period_end(x.get("meeting_date")) or as_of) <= as_of]
    later.sort(key=lambda x: (x.get("committee") != doc.get("committee"), x.get("meeting_date") or ""))
    ev = find_evidence(store, rec, doc, later, cache)
    if ev:
        return "done", ev
    end = period_end(due_of(rec, doc, all_docs)[0])
    return ("overdue" if end is not None and end < as_of else "open"), None


# --- presentation (used by reports.render) ---------------------------------------------------------
def title(data: dict) -> str:
    return f"Actions tracker as of {data['as_of']}"


def intro(data: dict) -> str:
    c = data["counts"]
    return (f"{len(data['actions'])} actions: {c['overdue']} overdue, {c['open']} open, {c['done']} done. "
            "Status is inferred from later documents of the same authority; month-precision due dates fall due "
            "at the end of the month.")


def due_label(a: dict) -> str | None:
    """The due date as a reader sees it: with "(next meeting)" where it is the committee's next
    meeting, or the wording itself where no date could be read ("at the next meeting" before any)."""
    if a.get("due_date"):
        return a["due_date"] + (" (next meeting)" if a.get("due_meeting") else "")
    return a.get("due_text")


def _meeting(a: dict) -> str:
    return " ".join(x for x in (a.get("meeting_date"), a.get("committee")) if x)


def tables(data: dict, spreadsheet: bool = False):
    from reports.render import Table, cited

    if spreadsheet:
        return [flat(data)]
    rows = []
    for a in data["actions"]:
        ev = a["evidence"]
        update = f"{ev['text']} [{cited(ev['source'], ev.get('page'))}, {ev.get('meeting_date')}]" if ev else ""
        rows.append([a["ref"], f"{a['authority']}\n{_meeting(a)}" + (f"\n{a['item']}" if a.get("item") else ""),
                     a["text"], a.get("owner"), due_label(a), a["status"], update,
                     cited(a["source"], a.get("page"))])
    return [Table("Actions", ["Ref", "Origin meeting and item", "Action", "Owner", "Due", "Status", "Update",
                              "Source"], rows, status_col="Status", note="no actions match")]


def flat(data: dict):
    from reports.render import Table

    cols = ["ref", "authority", "committee", "meeting_date", "item", "action", "owner", "due_date", "due_text",
            "status", "days_overdue", "update", "evidence_source", "evidence_meeting_date", "evidence_page", "source",
            "page", "url"]
    rows = []
    for a in data["actions"]:
        ev = a["evidence"] or {}
        rows.append([a["ref"], a["authority"], a["committee"], a["meeting_date"], a.get("item"), a["text"],
                     a.get("owner"), a.get("due_date"), a.get("due_text"), a["status"], a.get("days_overdue"),
                     ev.get("text"), ev.get("source"), ev.get("meeting_date"), ev.get("page"), a["source"],
                     a.get("page"), a.get("url")])
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
    return {"title": title(data), "intro": intro(data), "sources": sources, "srcno": numbers, "due_label": due_label}
