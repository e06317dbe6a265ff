#!/usr/bin/env python3
"""Action tracker benchmark on annotated chains of meetings (bench/chains/*.json).

A chain is one body's successive meetings with, for each action the minutes record, its status as
the later minutes report it and the sentences that report it:

    {"body": ..., "documents": [{"source", "meeting_date"}],
     "actions": [{"id", "source", "meeting_date", "text", "owner", "due_date", "type",
                  "status": "done|updated|open|dropped",
                  "evidence": [{"source", "meeting_date", "text", "says"}]}]}

Each chain's files (from ../shared/corpus-parish, or --corpus) are copied into a folder WITHOUT a
manifest and ingested into a temporary KB as a user would (metadata inferred, extraction, search
index), then the tracker is run over it. Printed per chain and over all chains:

- found: gold actions matched by a tracker row of the same document (token F1 >= 0.5 on the text,
  shared/eval/score.py's token_f1; one row per gold action) over gold actions (recall);
- precision: tracker rows that match a gold action over tracker rows;
- status right: matched rows whose status is the gold status, over matched rows (overdue counts as
  open, "possible update" as updated: the gold has neither);
- false done: "done" rows whose evidence sentence matches none of that action's gold evidence that
  reports it done (token F1 >= 0.5), over "done" rows (a row matching no gold action is a false done);
- done with evidence: gold "done" actions found done with a right evidence sentence, over gold "done".

usage: python bench/tracker.py [--chains DIR] [--corpus DIR] [--json] [--verbose] [--no-index]
                               [--min-confidence X] [--keep DIR]
"""
from __future__ import annotations

import argparse
import importlib.util
import inspect
import json
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _kb import ROOT, SHARED

AS_GOLD = {"overdue": "open", "possible update": "updated"}
MATCH = 0.5


def _score_module():
    spec = importlib.util.spec_from_file_location("score", SHARED / "eval" / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


token_f1 = _score_module().token_f1


def build(chain: dict, corpus: Path, home: Path, index: bool) -> tuple[object, list[str]]:
    """A KB of the chain's files, ingested without a manifest; returns the store and files missing."""
    from ingest.pipeline import ingest
    from kb.store import open_store

    folder = home / "files"
    folder.mkdir(parents=True)
    missing = []
    for d in chain["documents"]:
        src = corpus / d["source"]
        if src.exists():
            shutil.copy(src, folder / src.name)
        else:
            missing.append(d["source"])
    store = open_store(home / "kb")
    summary = ingest(store, [str(folder)], workers=1, with_extraction=True)
    for o in summary.failed:
        print(f"  ingest failed: {o.source}: {o.reason}", file=sys.stderr)
    if index:
        from kb.search import sync

        sync(store)
    return store, missing


def _relink(store) -> None:
    try:
        from kb.followups import refresh
    except ImportError:  # the tracker of before kb.followups: nothing stored to redo
        return
    refresh(store, force=True)


def run_tracker(store, min_confidence: float | None) -> list[dict]:
    from reports.actions import tracker

    kwargs = {"as_of": "2100-01-01"}
    if min_confidence is not None and "min_confidence" in inspect.signature(tracker).parameters:
        kwargs["min_confidence"] = min_confidence
    return tracker(store, **kwargs)["actions"]


def match(gold: list[dict], rows: list[dict]) -> dict[int, int]:
    """{gold index: row index}: within each document, best token F1 first, one to one."""
    pairs = []
    for gi, g in enumerate(gold):
        for ri, r in enumerate(rows):
            if Path(r["source"]).name != Path(g["source"]).name:
                continue
            f = token_f1(g["text"], r.get("text") or "")
            if f >= MATCH:
                pairs.append((f, gi, ri))
    out, used = {}, set()
    for _f, gi, ri in sorted(pairs, reverse=True):
        if gi in out or ri in used:
            continue
        out[gi] = ri
        used.add(ri)
    return out


def _done_evidence(g: dict) -> list[dict]:
    return [e for e in g.get("evidence") or [] if (e.get("says") or "done").lower() in ("done", "completed")]


def _evidence_right(row: dict, g: dict | None) -> bool:
    ev = row.get("evidence") or {}
    if g is None or not ev.get("text"):
        return False
    return any(Path(e["source"]).name == Path(ev.get("source") or "").name and token_f1(e["text"], ev["text"]) >= MATCH
               for e in _done_evidence(g))


def score(chain: dict, rows: list[dict]) -> dict:
    gold = chain["actions"]
    m = match(gold, rows)
    by_row = {ri: gold[gi] for gi, ri in m.items()}
    right = [gi for gi, ri in m.items() if AS_GOLD.get(rows[ri]["status"], rows[ri]["status"]) == gold[gi]["status"]]
    done_rows = [ri for ri, r in enumerate(rows) if r["status"] == "done"]
    false_done = [ri for ri in done_rows if not _evidence_right(rows[ri], by_row.get(ri))]
    gold_done = [gi for gi, g in enumerate(gold) if g["status"] == "done"]
    done_ok = [gi for gi in gold_done if gi in m and rows[m[gi]]["status"] == "done"
               and _evidence_right(rows[m[gi]], gold[gi])]
    return {"gold": len(gold), "rows": len(rows), "found": len(m), "status_right": len(right),
            "done_rows": len(done_rows), "false_done": len(false_done), "gold_done": len(gold_done),
            "done_with_evidence": len(done_ok),
            "possible_update_rows": sum(1 for r in rows if r["status"] == "possible update"),
            "_misses": [gold[gi]["text"] for gi in range(len(gold)) if gi not in m],
            "_wrong": [(gold[gi]["text"], gold[gi]["status"], rows[m[gi]]["status"],
                        (rows[m[gi]].get("evidence") or {}).get("text")) for gi in m if gi not in right],
            "_false_done": [(rows[ri].get("text"), (rows[ri].get("evidence") or {}).get("text")) for ri in false_done]}


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.2f} ({a}/{b})" if b else "- (0/0)"


def line(name: str, s: dict) -> str:
    return (f"{name:28} found {_ratio(s['found'], s['gold']):15} precision {_ratio(s['found'], s['rows']):15} "
            f"status right {_ratio(s['status_right'], s['found']):15} false done {_ratio(s['false_done'], s['done_rows']):13} "
            f"done w/ evidence {_ratio(s['done_with_evidence'], s['gold_done'])}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--chains", type=Path, default=ROOT / "bench" / "chains")
    ap.add_argument("--corpus", type=Path, default=SHARED / "corpus-parish")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--verbose", "-v", action="store_true")
    ap.add_argument("--no-index", action="store_true", help="Skip embedding (no semantic closeness).")
    ap.add_argument("--min-confidence", type=float, default=None)
    ap.add_argument("--keep", type=Path, help="Build the KBs under this folder and keep them.")
    ap.add_argument("--reuse", action="store_true", help="With --keep: use the KBs built there before (relink only).")
    args = ap.parse_args(argv)
    files = sorted(args.chains.glob("*.json"))
    if not files:
        print(f"no chains in {args.chains}", file=sys.stderr)
        return 1
    results, total = {}, {}
    for f in files:
        chain = json.loads(f.read_text())
        base = (args.keep / f.stem) if args.keep else Path(tempfile.mkdtemp(prefix="tracker-bench-"))
        try:
            if args.reuse and (base / "kb").exists():
                from kb.store import open_store

                store = open_store(base / "kb")
                _relink(store)
            else:
                shutil.rmtree(base, ignore_errors=True)
                store, missing = build(chain, args.corpus, base, index=not args.no_index)
                if missing:
                    print(f"  {f.name}: {len(missing)} files not found: {missing[:3]}", file=sys.stderr)
            rows = run_tracker(store, args.min_confidence)
            store.close()
        finally:
            if args.keep is None:
                shutil.rmtree(base, ignore_errors=True)
        s = score(chain, rows)
        results[f.stem] = s
        for k, v in s.items():
            if not k.startswith("_"):
                total[k] = total.get(k, 0) + v
    if args.json:
        print(json.dumps({"chains": {k: {x: y for x, y in v.items() if not x.startswith("_")} for k, v in results.items()},
                          "total": total}, indent=1))
        return 0
    for name, s in results.items():
        print(line(name, s))
        if args.verbose:
            for t in s["_misses"]:
                print(f"    missed: {t[:140]}")
            for t, g, got, ev in s["_wrong"]:
                print(f"    status {got} (gold {g}): {t[:110]}\n        evidence: {(ev or '')[:140]}")
            for t, ev in s["_false_done"]:
                print(f"    false done: {(t or '')[:110]}\n        evidence: {(ev or '')[:140]}")
    if len(results) > 1:
        print(line("all chains", total))
    return 0


if __name__ == "__main__":
    sys.exit(main())
