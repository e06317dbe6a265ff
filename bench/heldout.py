"""Held-out extraction gold (bench/gold-*.json): scored per batch, and first contact recorded honestly.

Each gold file is a batch of real papers annotated to shared/eval/ANNOTATION.md by annotators who had not
seen the extraction code. The papers are ingested as a user's files are (the ingest pipeline, no manifest:
metadata inferred) and the export scored with shared/eval/score.py.

First contact: a batch's score with the code as it stood BEFORE any rule was written with that batch in
view. `record_first_contact(batch, commit)` checks that commit out into a scratch worktree, runs the same
ingest and scoring with that code (a subprocess with PYTHONPATH at the worktree), and keeps the figures in
bench/first_contact.json, so that the table can be re-derived by anyone from the repository's history.
"""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from _kb import ROOT, SHARED

KINDS = ("metrics", "recommendations", "decisions", "actions", "dates")
FIELDS = ("authority", "committee", "meeting_date", "kind")
FIRST_CONTACT = ROOT / "bench" / "first_contact.json"
CORPORA = ("corpus-real", "corpus-parish")
EXPORT_SCRIPT = """
import json, sys, tempfile
from pathlib import Path
from ingest.pipeline import ingest
from kb.export import export_documents
from kb.store import open_store
paths = json.loads(sys.argv[1])
with tempfile.TemporaryDirectory() as tmp:
    store = open_store(Path(tmp) / "kb")
    ingest(store, paths)
    data = export_documents(store)
    store.close()
Path(sys.argv[2]).write_text(json.dumps(data, ensure_ascii=False, default=str))
"""


def scorer():
    spec = importlib.util.spec_from_file_location("shared_score", SHARED / "eval" / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def batches(final: bool = False) -> dict[str, list[dict]]:
    """The gold files' documents, by file name (gold-real-a.json ..., gold-parish-h.json ...). A gold-final-*.json
    batch is left out unless `final`: it is kept unseen, to be scored once, on first contact, at the end."""
    return {g.name: json.loads(g.read_text())["documents"] for g in sorted((ROOT / "bench").glob("gold-*.json"))
            if final or not g.name.startswith("gold-final")}


def locate(names: set[str]) -> dict[str, Path]:
    """Where each source file lies in ../shared (corpus-real and corpus-parish, read in place)."""
    found = {}
    for corpus in CORPORA:
        folder = SHARED / corpus
        if folder.is_dir():
            for p in folder.rglob("*"):
                if p.is_file() and p.name in names:
                    found.setdefault(p.name, p)
    return found


def export_with(paths: list[Path], code_root: Path | None = None) -> dict:
    """Ingest `paths` into a scratch KB and export it: in this process, or with the code at `code_root`."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "export.json"
        env = None
        if code_root is not None:
            import os

            env = {**os.environ, "PYTHONPATH": str(code_root), "HF_HUB_OFFLINE": "1"}
        subprocess.run([sys.executable, "-c", EXPORT_SCRIPT, json.dumps([str(p) for p in paths]), str(out)],
                       check=True, env=env, cwd=str(code_root or ROOT), capture_output=True)
        return json.loads(out.read_text())


def summarise(result: dict) -> dict:
    """The figures kept and printed for a batch: P/R/F1 per kind and overall, due dates, fields."""
    out = {k: {m: result[k][m] for m in ("precision", "recall", "f1", "gold", "found", "matched")} for k in KINDS}
    out["all"] = result.get("all")
    out["action_due_date_accuracy"] = result.get("action_due_date_accuracy")
    out["fields"] = result.get("fields")
    out["action_types"] = {k: v["recall"] for k, v in (result.get("action_type_recall") or {}).items()}
    return out


def score_docs(docs: list[dict], export: dict) -> dict:
    return summarise(scorer().score({"documents": docs}, export))


def type_accuracy(docs: list[dict], export: dict) -> tuple[int, int]:
    """Matched actions whose extracted `type` is the gold's: (right, matched)."""
    sc = scorer()
    by_name = {Path(d["source"]).name: d for d in export["documents"]}
    right = total = 0
    for g in docs:
        e = by_name.get(Path(g["source"]).name) or {}
        for gp, ep in sc.pair(g.get("actions") or [], e.get("actions") or [], sc.matcher("actions")):
            if gp.get("type"):
                total += 1
                right += gp["type"] == ep.get("type")
    return right, total


def record_first_contact(batch: str, commit: str) -> dict:
    """Score `batch` with the code at `commit` and keep it in bench/first_contact.json."""
    docs = batches(final=True)[batch]
    files = locate({d["source"] for d in docs})
    missing = [d["source"] for d in docs if d["source"] not in files]
    if missing:
        raise SystemExit(f"{batch}: sources not found under ../shared: {missing}")
    full = subprocess.run(["git", "-C", str(ROOT), "rev-parse", commit], capture_output=True, text=True,
                          check=True).stdout.strip()
    with tempfile.TemporaryDirectory() as tmp:
        wt = Path(tmp) / "code"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(wt), full], check=True,
                       capture_output=True)
        try:
            export = export_with([files[d["source"]] for d in docs], code_root=wt)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(wt)], capture_output=True)
    entry = {"commit": full[:10], "documents": len(docs), **score_docs(docs, export)}
    right, total = type_accuracy(docs, export)
    entry["action_type_accuracy"] = round(right / total, 3) if total else None
    table = json.loads(FIRST_CONTACT.read_text()) if FIRST_CONTACT.exists() else {}
    table[batch] = entry
    FIRST_CONTACT.write_text(json.dumps(table, indent=1, ensure_ascii=False) + "\n")
    return entry


def line(name: str, s: dict) -> str:
    f1 = "  ".join(f"{k[:4]} {s[k]['f1']:.2f}" for k in KINDS)
    a = s.get("all") or {}
    due = s.get("action_due_date_accuracy")
    return (f"{name:<22} all P {a.get('precision', 0):.2f} R {a.get('recall', 0):.2f} F1 {a.get('f1', 0):.2f}  | {f1}"
            f"  | due {due if due is not None else '-'}")


def report(verbose: bool = False) -> None:
    """Print, per batch, first contact (recorded) beside today's score, then the pooled figures; a final batch
    only once its first contact is recorded."""
    first = json.loads(FIRST_CONTACT.read_text()) if FIRST_CONTACT.exists() else {}
    golds = {b: docs for b, docs in batches(final=True).items() if not b.startswith("gold-final") or b in first}
    names = {d["source"] for docs in golds.values() for d in docs}
    files = locate(names)
    usable = {b: docs for b, docs in golds.items() if all(d["source"] in files for d in docs)}
    if not usable:
        print("== held-out: skipped (../shared corpora not found) ==")
        return
    all_docs = [d for docs in usable.values() for d in docs]
    export = export_with([files[d["source"]] for d in all_docs])
    print(f"== held-out gold: {len(all_docs)} papers in {len(usable)} batches, ingested without a manifest ==")
    print("first contact (the code before the batch was seen; bench/first_contact.json) and now:")
    for b, docs in usable.items():
        if b in first:
            print(line(f"{b} first", first[b]) + f"  @{first[b]['commit']}")
        print(line(f"{b} now", score_docs(docs, export)))
    pooled = score_docs(all_docs, export)
    print(line("ALL now", pooled))
    fc = [first[b] for b in usable if b in first]
    if fc:
        print("first-contact batches pooled now:",
              line("", score_docs([d for b in usable if b in first for d in usable[b]], export)).strip())
    right, total = type_accuracy(all_docs, export)
    print(f"action types right among matched: {right}/{total}" + (f" = {right / total:.2f}" if total else ""))
    print("action type recall:", "  ".join(f"{t} {v}" for t, v in sorted((pooled.get("action_types") or {}).items())))
    print("metadata fields right:", pooled.get("fields"))
    if verbose:
        sc = scorer()
        sc.score({"documents": all_docs}, export, verbose=True)
