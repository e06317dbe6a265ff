"""The `scrutiny export` contract (shared/eval/SCHEMA.md): documents with their records."""
from __future__ import annotations

import csv
import io
import json

from kb.store import RECORD_KINDS

DOC_EXPORT_FIELDS = ("id", "source", "format", "kind", "authority", "committee", "meeting_date", "title", "url", "same_as",
                     "pages", "parser")
INTERNAL = {"doc_id", "extractor", "block", "seq", "rowid"}


def export_documents(store, **filters) -> dict:
    docs = []
    by_kind = {kind: {} for kind in RECORD_KINDS}
    for kind in RECORD_KINDS:
        for r in store.records(kind):
            by_kind[kind].setdefault(r["doc_id"], []).append({k: v for k, v in r.items() if k not in INTERNAL})
    for d in store.documents(**filters, copies=True):  # every file, a copy marked with the paper it is (same_as)
        item = {f: d.get(f) for f in DOC_EXPORT_FIELDS}
        for kind in RECORD_KINDS:
            item[kind] = by_kind[kind].get(d["id"], [])
        docs.append(item)
    return {"documents": docs}


def to_json(data: dict) -> str:
    return json.dumps(data, indent=1, ensure_ascii=False)


def to_jsonl(data: dict) -> str:
    return "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in data["documents"])


CSV_FIELDS = ("document_id", "source", "authority", "committee", "meeting_date", "kind", "record", "number",
              "value", "unit", "measure", "subject", "period", "owner", "due_date", "due_text", "status", "date",
              "event", "name", "role", "organisation", "text", "page", "section", "set_by_hand", "ocr")


def to_csv(data: dict) -> str:
    """One row per extracted record, with its document's metadata (spreadsheet-friendly)."""
    from kb.safe import csv_cell, csv_row

    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CSV_FIELDS, extrasaction="ignore")
    w.writer.writerow(csv_row(CSV_FIELDS))
    for d in data["documents"]:
        base = {"document_id": d["id"], "source": d["source"], "authority": d["authority"],
                "committee": d["committee"], "meeting_date": d["meeting_date"], "kind": d["kind"]}
        for kind in RECORD_KINDS:
            for r in d.get(kind, []):
                row = {**base, **r, "record": kind}
                if r.get("set_by_hand"):  # "status by jb 2026-01-05: minuted in March"
                    row["set_by_hand"] = "; ".join(f"{f} by {h['by']} {h['at'][:10]}" + (f": {h['note']}" if h.get("note")
                                                   else "") for f, h in r["set_by_hand"].items())
                w.writerow({k: csv_cell(v) for k, v in row.items()})
    return buf.getvalue()
