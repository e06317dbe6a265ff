"""Action trackers that councils keep themselves: tables with columns such as Ref / Action / Owner / Due /
Status / RAG / Update, in a PDF, DOCX or HTML paper (a committee's "action log", "outstanding actions",
"recommendation tracker"). Each row becomes an action with the status and date the table states.

    tracker_columns(header) -> {"action": 1, "status": 4, ...} or None when the table is no tracker
    read_row(cells, columns, meeting_date) -> the row as an action's fields, or None
    tracker_actions(ctxs, meeting_date, next_meeting, add) -> calls add(fields, ctx) for each row

A table is a tracker when its header names what is to be done (Action, Agreed action, Recommendation,
Task, Issue) and at least one column that tracks it (Status, RAG, Update, Progress, Owner/Lead, Due/Target
date). The stated status is read from the Status (or RAG) cell, the Update cell's words where the status
cell says nothing (ANNOTATION.md: a tracker row is an action of type `resolution`).
"""
from __future__ import annotations

import re
from collections.abc import Callable

# header cell -> role, first match wins (cells are compared lower case, punctuation dropped)
COLUMN_RES: tuple[tuple[str, re.Pattern], ...] = (
    ("ref", re.compile(r"^(?:action\s+|item\s+|rec(?:ommendation)?\s+|minute\s+)?(?:ref(?:erence)?|no|number|id)\b|^#$|^minute$")),
    ("due", re.compile(r"\b(?:due|deadline|target\s+date|by\s+when|timescales?|completion\s+date|date\s+due|"
                       r"target|when)\b")),
    ("status", re.compile(r"\b(?:status|rag|b?rag\s+rating|complete[d?]?|state|open\s*/\s*closed)\b")),
    ("update", re.compile(r"\b(?:update|updates|progress|comments?|notes?|action\s+taken|response|outcome|"
                          r"position|commentary)\b")),
    ("owner", re.compile(r"\b(?:owner|lead|lead\s+officer|responsib\w*|who|by\s+whom|action\s+by|officer|"
                         r"assigned\s+to|actionee)\b")),
    ("meeting", re.compile(r"\b(?:meeting|date\s+raised|date\s+of\s+meeting|origin|date\s+agreed|raised)\b|^date$")),
    ("action", re.compile(r"\b(?:actions?|agreed\s+actions?|action\s+required|recommendations?|tasks?|issues?|"
                          r"description|request|what)\b")),
)
TRACKS = ("status", "update", "owner", "due")

DONE_RE = re.compile(r"(?i)^\W*(?:complete[d]?|done|closed|achieved|delivered|implemented|actioned|finished|"
                     r"resolved|blue|c)\W*$|^\W*(?:complete[d]?|done|closed|actioned|implemented)\b")
DROPPED_RE = re.compile(r"(?i)\b(?:withdrawn|cancelled|canceled|no\s+longer\s+(?:required|needed|relevant|applicable)|"
                        r"superseded|not\s+(?:being\s+)?(?:pursued|progressed|proceeding)|dropped|abandoned|"
                        r"closed\s*[-–—:]\s*not\s+(?:pursued|required))\b")
OPEN_RE = re.compile(r"(?i)^\W*(?:open|not\s+started|outstanding|red|pending|overdue|new)\W*$")
PROGRESS_RE = re.compile(r"(?i)^\W*(?:in\s+progress|ongoing|on\s+track|on\s+going|amber|green|underway|"
                         r"partially\s+complete[d]?|started|progressing|a|g|r)\W*$")
# the Update cell's own words, where the status cell says nothing
UPDATE_DONE_RE = re.compile(r"(?i)^\W*(?:complete[d]?|done|closed|actioned)\b|\b(?:has|have|had)\s+been\s+"
                            r"(?:completed|circulated|sent|provided|published|presented|actioned|delivered)\b")


def _norm(cell: str | None) -> str:
    return re.sub(r"[^a-z0-9#/ ]+", " ", (cell or "").lower()).strip()


def tracker_columns(header: list[str] | None) -> dict[str, int] | None:
    """Which column holds what, for a tracker's header row; None when the header is no tracker's."""
    if not header or len(header) < 2:
        return None
    cols: dict[str, int] = {}
    for i, cell in enumerate(header):
        h = _norm(cell)
        if not h or len(h) > 40:
            continue
        for role, rx in COLUMN_RES:
            if rx.search(h):
                if role not in cols:
                    cols[role] = i
                break
    if "action" not in cols or not any(t in cols for t in TRACKS):
        return None
    if len(cols) < 3 and "status" not in cols:  # "Issue | Comments": a table of comments, not a tracker
        return None
    return cols


def stated_status(status_cell: str | None, update_cell: str | None) -> str:
    """done | dropped | updated | open, as the row states it (a progress word or an update, not a
    completion, is "updated")."""
    s, u = (status_cell or "").strip(), (update_cell or "").strip()
    for text in (s, u if not s else ""):
        if DROPPED_RE.search(text):
            return "dropped"
    if s and DONE_RE.search(s):
        return "done"
    if not s and u and UPDATE_DONE_RE.search(u):
        return "done"
    if s and OPEN_RE.match(s):
        return "updated" if u else "open"
    if (s and PROGRESS_RE.match(s)) or u:
        return "updated"
    return "open"


def read_row(cells: list[str], columns: dict[str, int], meeting_date: str | None,
             next_meeting: Callable[[], str | None] | None = None) -> dict | None:
    """The row as an action's fields (text, owner, due_date, due_text, status, type, cue, ref, update);
    None for an empty row or one that repeats the header."""
    from nlp.dates import resolve_due

    def cell(role: str) -> str | None:
        i = columns.get(role)
        if i is None or i >= len(cells):
            return None
        v = re.sub(r"\s+", " ", cells[i] or "").strip()
        return v or None

    text = cell("action")
    if not text or len(re.findall(r"[A-Za-z]{2,}", text)) < 3:
        return None
    due_cell = cell("due")
    due_date, due_text = (None, None)
    if due_cell:
        due_date, due_text = resolve_due(f"by {due_cell}", meeting_date, next_meeting)
        if due_date is None:
            due_date, due_text = resolve_due(due_cell, meeting_date, next_meeting)
        due_text = due_text or due_cell
    status_cell, update = cell("status"), cell("update")
    status = stated_status(status_cell, update)
    return {"text": text, "owner": cell("owner"), "due_date": due_date, "due_text": due_text, "status": status,
            "type": "resolution", "cue": "tracker table" + (f": {status_cell}" if status_cell else ""),
            "ref": cell("ref"), "update": update, "confidence": 0.9}


def tracker_actions(ctxs, meeting_date: str | None, next_meeting, add: Callable[[dict, object], None]) -> int:
    """Each row of each tracker table among the blocks (nlp.segment contexts) as an action: add(fields, ctx)."""
    n = 0
    columns_of: dict[object, dict | None] = {}
    for ctx in ctxs:
        b = ctx.block
        if b.kind != "table_row" or not b.cells or not b.header:
            continue
        key = (b.table, tuple(b.header))
        if key not in columns_of:
            columns_of[key] = tracker_columns(b.header)
        cols = columns_of[key]
        if cols is None or [_norm(c) for c in b.cells] == [_norm(h) for h in b.header]:
            continue
        row = read_row(b.cells, cols, meeting_date, next_meeting)
        if row is None:
            continue
        row.pop("ref", None)
        row.pop("update", None)
        add(row, ctx)
        n += 1
    return n
