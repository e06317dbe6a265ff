"""Corrections people make: the last word on a record or a document, kept apart from what is derived.

A correction names what it corrects by the document's source (the path it was ingested from, and
its content id then, which a rename keeps) and, for a record, by the record's kind and normalised
text: never by row ids, which a re-ingest, a new extractor version or `check --repair` renumber. A
record whose text moved a little under new rules is still found (the closest record of that kind in
that document, token F1 >= FUZZY). Every correction says who made it and when; nothing is deleted:
undoing one marks it undone, so the history stays whole and can be exported.

What a correction can say:
- a record of any kind: ``rejected`` (it disappears from every report, export and listing);
- an action: ``status`` (done | open | dropped), ``owner``, ``due_date``, ``note``, ``evidence`` (DOC[:PAGE]);
- a document: ``authority``, ``committee``, ``meeting_date``, ``kind`` (applied to the stored row at
  once, and again whenever the file is ingested anew).
"""
from __future__ import annotations

import getpass
import json
import os
import re
import sqlite3
from datetime import UTC, datetime

ACTION_FIELDS = ("status", "owner", "due_date", "note", "evidence")
ACTION_STATUSES = ("done", "open", "dropped")
DOC_FIELDS = ("authority", "committee", "meeting_date", "kind")
DOC_KINDS = ("minutes", "report", "presentation", "agenda", "other")
FUZZY = 0.75  # token F1 at which a record whose text changed is still the one corrected
RECORD_ID_RE = re.compile(r"^(metrics|recommendations|decisions|actions|dates|people):([0-9a-f]{6,16})-(\d+)$")
ACTION_REF_RE = re.compile(r"^([0-9a-f]{6,16})-(\d+)$")


class CorrectionError(Exception):
    """A correction that cannot be made as asked; the message names the culprit."""


def text_key(text: str | None) -> str:
    """A record's text as corrections know it: lower case, words only, single spaces."""
    return re.sub(r"[^a-z0-9]+", " ", (text or "").lower()).strip()[:400]


def who(by: str | None = None) -> str:
    if by:
        return by
    try:
        return os.environ.get("USER") or getpass.getuser()
    except Exception:  # no user name on this system
        return "unknown"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _f1(a: str, b: str) -> float:
    wa, wb = a.split(), b.split()
    if not wa or not wb:
        return 0.0
    pool, common = list(wb), 0
    for w in wa:
        if w in pool:
            pool.remove(w)
            common += 1
    if not common:
        return 0.0
    p, r = common / len(wa), common / len(wb)
    return 2 * p * r / (p + r)


# --- finding what is corrected ------------------------------------------------------------------
def find_record(store, ref: str) -> tuple[str, dict, dict]:
    """(kind, record, document) for a record id ("decisions:0f3a9c12-2") or an action's tracker ref ("0f3a9c12-3")."""
    m = RECORD_ID_RE.match(ref.strip())
    if m:
        kind, prefix, place = m.groups()
    else:
        m = ACTION_REF_RE.match(ref.strip())
        if not m:
            raise CorrectionError(f'"{ref}" is neither a record id (KIND:DOC-N, e.g. decisions:0f3a9c12-2) nor an '
                                  "action ref (as `scrutiny actions` shows it, e.g. 0f3a9c12-3)")
        kind, (prefix, place) = "actions", m.groups()
    rows = store.db.execute("SELECT id FROM documents WHERE id LIKE ?", (prefix + "%",)).fetchall()
    if len(rows) != 1:
        raise CorrectionError(f'no record "{ref}" (see "scrutiny records list DOC"'
                              + (" or \"scrutiny actions\")" if kind == "actions" else ")"))
    rec = next((r for r in store.records(kind, rows[0][0], corrected=False) if r["seq"] == int(place) - 1), None)
    if rec is None:
        raise CorrectionError(f'no record "{ref}" (see "scrutiny records list DOC")')
    return kind, rec, store.document_by(id=rows[0][0])


def match_records(rows: list[dict], records: list[dict]) -> dict[int, int]:
    """{correction index: record index}: the record whose normalised text is the correction's, else
    the closest one (token F1 >= FUZZY)."""
    keys = [text_key(r.get("text")) for r in records]
    out = {}
    for ci, c in enumerate(rows):
        exact = [i for i, k in enumerate(keys) if k == c["text_key"]]
        if exact:
            out[ci] = exact[0]
            continue
        best = max(((_f1(c["text_key"], k), i) for i, k in enumerate(keys)), default=(0.0, -1))
        if best[0] >= FUZZY:
            out[ci] = best[1]
    return out


def active(db: sqlite3.Connection, target: str, kind: str | None = None, doc: dict | None = None) -> list[dict]:
    """Corrections not undone, oldest first; of one kind and one document when given."""
    sql, args = "SELECT * FROM corrections WHERE undone_at IS NULL AND target = ?", [target]
    if kind:
        sql += " AND kind = ?"
        args.append(kind)
    if doc is not None:
        sql += " AND (source = ? OR doc_id = ?)"
        args += [doc["source"], doc["id"]]
    return [dict(r) for r in db.execute(sql + " ORDER BY id", args)]


def apply(db: sqlite3.Connection, kind: str, doc: dict, records: list[dict], keep_rejected: bool = False) -> list[dict]:
    """`records` of one document as corrected: rejected ones left out (or flagged), corrected fields set,
    each corrected field noted in the record's `set_by_hand` ({field: {value, was, by, at, note}})."""
    rows = active(db, "record", kind, doc)
    if not rows:
        return records
    hits = match_records(rows, records)
    for ci, ri in hits.items():
        c, rec = rows[ci], records[ri]
        hand = rec.setdefault("set_by_hand", {})
        hand[c["field"]] = {"value": c["value"], "was": c["old_value"], "by": c["by"], "at": c["at"],
                            "note": c["note"], "evidence": c["evidence"], "correction": c["id"]}
        if c["field"] in ("status", "owner", "due_date"):
            rec[c["field"]] = c["value"]
    if keep_rejected:
        return records
    return [r for r in records if "rejected" not in r.get("set_by_hand", {})]


def doc_overrides(db: sqlite3.Connection, source: str | None, doc_id: str | None) -> dict:
    """{field: value} that corrections set on the document with this source (or content id)."""
    out = {}
    for r in db.execute("SELECT field, value FROM corrections WHERE undone_at IS NULL AND target = 'document'"
                        " AND (source = ? OR doc_id = ?) ORDER BY id", (source or "", doc_id or "")):
        out[r[0]] = r[1]
    return out


# --- making corrections -------------------------------------------------------------------------
def _write(store, rows: list[dict]) -> int:
    """Insert the rows of one change; returns its change id."""
    with store.transaction() as db:
        change = None
        for r in rows:
            cur = db.execute(
                "INSERT INTO corrections (change_id, target, kind, source, doc_id, text_key, text, field, value,"
                " old_value, note, evidence, by, at) VALUES (0,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
                (r["target"], r["kind"], r["source"], r["doc_id"], r.get("text_key", ""), r.get("text"), r["field"],
                 r.get("value"), r.get("old_value"), r.get("note"), r.get("evidence"), r["by"], r["at"]))
            row_id = cur.fetchone()[0]
            change = change or row_id
            db.execute("UPDATE corrections SET change_id = ? WHERE id = ?", (change, row_id))
        for r in rows:
            if r["target"] == "document":
                _set_doc_field(db, r["doc_id"], r["field"], r.get("value"), "hand")
    return change


def _set_doc_field(db, doc_id: str, field: str, value, origin: str | None) -> None:
    row = db.execute("SELECT metadata_origin FROM documents WHERE id = ?", (doc_id,)).fetchone()
    if row is None:
        return
    origins = json.loads(row[0]) if row[0] else {}
    if origin:
        origins[field] = origin
    else:
        origins.pop(field, None)
    db.execute(f"UPDATE documents SET {field} = ?, metadata_origin = ? WHERE id = ?", (value, json.dumps(origins), doc_id))


def check_evidence(store, evidence: str) -> str:
    """DOC[:PAGE] naming a stored document; returned as "source[:page]"."""
    doc_key, _, page = evidence.rpartition(":") if re.search(r":\d+$", evidence) else (evidence, "", "")
    d = store.get_document(doc_key)
    if d is None:
        raise CorrectionError(f'no document matches "{doc_key}" (--evidence DOC[:PAGE])')
    return d["source"] + (f":{page}" if page else "")


def set_action(store, ref: str, status: str | None = None, note: str | None = None, evidence: str | None = None,
               owner: str | None = None, due: str | None = None, by: str | None = None) -> int:
    """Correct an action (by tracker ref or record id); returns the change id."""
    kind, rec, doc = find_record(store, ref)
    if kind != "actions":
        raise CorrectionError(f'"{ref}" is a record of {kind}, not an action (use "scrutiny records reject")')
    if status is not None and status not in ACTION_STATUSES:
        raise CorrectionError(f'unknown status "{status}" (one of {", ".join(ACTION_STATUSES)})')
    if due is not None and not re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", due):
        raise CorrectionError(f'cannot read the due date "{due}" (use YYYY, YYYY-MM or YYYY-MM-DD)')
    if evidence is not None:
        evidence = check_evidence(store, evidence)
    fields = {"status": status, "owner": owner, "due_date": due, "evidence": evidence}
    fields = {k: v for k, v in fields.items() if v is not None}
    if not fields and not note:
        raise CorrectionError("nothing to set: give --status, --owner, --due, --evidence or --note")
    if not fields:
        fields = {"note": note}
    base = {"target": "record", "kind": "actions", "source": doc["source"], "doc_id": doc["id"],
            "text_key": text_key(rec.get("text")), "text": rec.get("text"), "note": note, "by": who(by), "at": _now(),
            "evidence": evidence}
    return _write(store, [{**base, "field": f, "value": v, "old_value": rec.get(f) if f in rec else None}
                          for f, v in fields.items()])


def reject(store, ref: str, reason: str, by: str | None = None) -> int:
    """Reject a record of any kind as wrong; returns the change id."""
    if not (reason or "").strip():
        raise CorrectionError("say why: --reason TEXT")
    kind, rec, doc = find_record(store, ref)
    return _write(store, [{"target": "record", "kind": kind, "source": doc["source"], "doc_id": doc["id"],
                           "text_key": text_key(rec.get("text") or rec.get("name")),
                           "text": rec.get("text") or rec.get("name"), "field": "rejected", "value": "rejected",
                           "note": reason, "by": who(by), "at": _now()}])


def set_document(store, key: str, fields: dict, note: str | None = None, by: str | None = None) -> int:
    """Correct a document's metadata (authority, committee, meeting_date, kind); returns the change id.
    A value of "-" means none."""
    d = store.get_document(key)
    if d is None:
        raise CorrectionError(f'no document matches "{key}"')
    fields = {k: (None if v in ("-", "") else v) for k, v in fields.items() if v is not None}
    if not fields:
        raise CorrectionError("nothing to set: give --authority, --committee, --meeting-date or --kind")
    for k in fields:
        if k not in DOC_FIELDS:
            raise CorrectionError(f'cannot set "{k}" on a document')
    if fields.get("kind") is not None and fields["kind"] not in DOC_KINDS:
        raise CorrectionError(f'unknown kind "{fields["kind"]}" (one of {", ".join(DOC_KINDS)})')
    md = fields.get("meeting_date")
    if md is not None and not re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", md):
        raise CorrectionError(f'cannot read the meeting date "{md}" (use YYYY-MM-DD)')
    stamp, user = _now(), who(by)
    return _write(store, [{"target": "document", "kind": "document", "source": d["source"], "doc_id": d["id"],
                           "field": k, "value": v, "old_value": d.get(k), "note": note, "by": user, "at": stamp}
                          for k, v in fields.items()])


def undo(store, change_id: int, by: str | None = None) -> list[dict]:
    """Undo one change (every row it wrote); a document's field goes back to what it was, where no later
    correction has set it since. Returns the rows undone."""
    rows = [dict(r) for r in store.db.execute("SELECT * FROM corrections WHERE change_id = ? AND undone_at IS NULL",
                                              (change_id,))]
    if not rows:
        raise CorrectionError(f"no correction {change_id} to undo (see \"scrutiny corrections\")")
    stamp, user = _now(), who(by)
    with store.transaction() as db:
        db.execute("UPDATE corrections SET undone_at = ?, undone_by = ? WHERE change_id = ? AND undone_at IS NULL",
                   (stamp, user, change_id))
        for r in rows:
            if r["target"] != "document":
                continue
            later = doc_overrides(db, r["source"], r["doc_id"])
            for d in db.execute("SELECT id FROM documents WHERE source = ? OR id = ?", (r["source"], r["doc_id"] or "")):
                if r["field"] in later:
                    _set_doc_field(db, d[0], r["field"], later[r["field"]], "hand")
                else:
                    _set_doc_field(db, d[0], r["field"], r["old_value"], "inferred")
    return rows


def history(store, include_undone: bool = True) -> list[dict]:
    """Every correction, oldest first, with whether it still applies."""
    sql = "SELECT * FROM corrections" + ("" if include_undone else " WHERE undone_at IS NULL") + " ORDER BY id"
    return [dict(r) for r in store.db.execute(sql)]
