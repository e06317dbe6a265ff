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
  reports it done (`same_evidence`: token F1 >= 0.5, or the one holds the other, the gold quoting a clause of
  the sentence), over "done" rows (a row matching no gold action is a false done);
- done with evidence: gold "done" actions found done with a right evidence sentence, over gold "done".

--diagnose: for every gold "done" action a row matches, why it is not done with its evidence (STAGES).
--confusion: gold status x tracker status among found actions, over all chains.

usage: python bench/tracker.py [--chains DIR] [--corpus DIR] [--json] [--verbose] [--no-index]
                               [--min-confidence X] [--keep DIR [--reuse]] [--diagnose] [--confusion]
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


_score = _score_module()
token_f1 = _score.token_f1


def _within(part: str, whole: str) -> float:
    """Share of `part`'s words (shared/eval/score.py's words, with repeats) found in `whole`."""
    a, pool = _score.words(part), list(_score.words(whole))
    hit = 0
    for w in a:
        if w in pool:
            pool.remove(w)
            hit += 1
    return hit / len(a) if a else 0.0


def same_evidence(gold: str, text: str) -> bool:
    """Whether a quoted sentence is a gold evidence text: token F1 >= 0.5, or one holds the other (the gold quotes a
    clause of the sentence: "estimates are awaited" in "Northwold Sports and Social Club roof repairs – estimates
    are awaited."; or the sentence is one of the gold's: 8 of 10 words of the shorter in the longer, the shorter
    at least 3 words of the gold or 5 of the sentence)."""
    if token_f1(gold, text) >= MATCH:
        return True
    ng, nt = len(_score.words(gold)), len(_score.words(text))
    return (ng >= 3 and _within(gold, text) >= 0.8) or (nt >= 5 and _within(text, gold) >= 0.8)


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
    return any(Path(e["source"]).name == Path(ev.get("source") or "").name and same_evidence(e["text"], ev["text"])
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
            "_false_done": [(rows[ri].get("text"), (rows[ri].get("evidence") or {}).get("text")) for ri in false_done],
            "_pairs": [(gold[gi]["status"], rows[ri]["status"]) for gi, ri in m.items()]}


# --- why a gold "done" action is not found done with its evidence (--diagnose) ----------------------
STAGES = ("a: evidence paper not linked (authority/committee, meeting-date order)",
          "e: no later sentence matches the gold text (segmentation)",
          "a: shares no word with the action", "a: beyond the candidate cap",
          "d: cue reading not done", "b: done model below T_DONE", "c: a wrong sentence or later update wins",
          "e: right sentence, bench match fails", "ok")


def diagnose(store, chain: dict, rows: list[dict]) -> list[tuple[str, str, str]]:
    """For every gold "done" action matched by a tracker row: (stage, action, detail), the furthest stage that
    one of its gold done evidence sentences reaches on the way to the row's status (STAGES, in order)."""
    from kb.followups import T_DONE, all_candidates, done_score, link_score, prepare
    from kb.meetings import is_later

    gold = chain["actions"]
    m = match(gold, rows)
    docs = store.documents()
    by_name = {Path(d["source"]).name: d for d in docs}
    groups: dict[str, list[dict]] = {}
    for d in docs:
        groups.setdefault(d.get("authority") or "", []).append(d)
    prepared = {a: prepare(store, ds) for a, ds in groups.items() if a}
    cands: dict[str, dict] = {}
    ranks: dict[str, dict] = {}
    for g in prepared.values():
        if g is None:
            continue
        for p, cs in all_candidates(g):
            cands[p.rec["id"]] = {id(u): (what, cue, link_score(x), done_score(x)) for u, x, what, cue in cs}
            shared: dict[int, float] = {}
            for w in p.own | p.topic:
                weight = g.idf.get(w, g.default) * (1.0 if w in p.own else 0.5)
                for i in g.postings.get(w, ()):
                    shared[i] = shared.get(i, 0.0) + weight
            ranks[p.rec["id"]] = {id(g.units[i]): r for r, i in enumerate(
                sorted((i for i in shared if is_later(g.units[i].doc.get("meeting_date"), p.doc.get("meeting_date"))),
                       key=lambda i: -shared[i]))}
    out = []
    for gi, ri in m.items():
        g_act, row = gold[gi], rows[ri]
        if g_act["status"] != "done":
            continue
        best = (-1, "no done evidence in the gold")
        adoc = by_name.get(Path(row["source"]).name)
        group = prepared.get((adoc or {}).get("authority") or "")
        for e in _done_evidence(g_act):
            edoc = by_name.get(Path(e["source"]).name)
            if edoc is None or adoc is None or group is None or edoc.get("authority") != adoc.get("authority") \
                    or not is_later(edoc.get("meeting_date"), adoc.get("meeting_date")):
                st = (0, f"evidence {e['meeting_date']} not later/same authority")
            else:
                units = [u for u in group.units if u.doc["id"] == edoc["id"]]
                fu = max(units, key=lambda u: (same_evidence(e["text"], u.text), token_f1(e["text"], u.text)),
                         default=None)
                f = token_f1(e["text"], fu.text) if fu else 0.0
                if fu is None or not same_evidence(e["text"], fu.text):
                    st = (1, f"best unit F1 {f:.2f}: {(fu.text if fu else '')[:100]!r}")
                elif id(fu) not in ranks.get(row["id"], {}):
                    st = (2, f"no shared word: {fu.text[:100]!r}")
                elif id(fu) not in cands.get(row["id"], {}):
                    st = (3, f"rank {ranks[row['id']][id(fu)]}: {fu.text[:100]!r}")
                else:
                    what, cue, sc, pd = cands[row["id"]][id(fu)]
                    if what not in ("done", "dropped"):
                        st = (4, f"says {what} ({cue}), link {sc:.2f}: {fu.text[:100]!r}")
                    elif pd < T_DONE:
                        st = (5, f"done {pd:.2f}, link {sc:.2f} ({cue}): {fu.text[:100]!r}")
                    elif not (row["status"] == "done" and (row.get("evidence") or {}).get("text")):
                        ev = (row.get("evidence") or {}).get("text") or ""
                        st = (6, f"row {row['status']} on {ev[:80]!r}; gold {fu.text[:60]!r} {sc:.2f}")
                    elif not _evidence_right(row, g_act):
                        ev = row["evidence"]["text"]
                        st = (6 if ev != fu.text else 7, f"row done on {ev[:80]!r}; gold {fu.text[:60]!r} {sc:.2f}")
                    else:
                        st = (8, "")
            best = max(best, st, key=lambda t: t[0])
        if best[0] >= 0:
            out.append((STAGES[best[0]], g_act["text"], best[1]))
    return out


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
    ap.add_argument("--confusion", action="store_true", help="Gold status x tracker status among found, all chains.")
    ap.add_argument("--diagnose", action="store_true",
                    help="Why each found gold-done action is not done with its evidence (STAGES), per chain.")
    args = ap.parse_args(argv)
    files = sorted(args.chains.glob("*.json"))
    if not files:
        print(f"no chains in {args.chains}", file=sys.stderr)
        return 1
    results, total, diagnosed = {}, {}, {}
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
            if args.diagnose:
                diagnosed[f.stem] = diagnose(store, chain, rows)
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
    if args.confusion:
        print_confusion([p for s in results.values() for p in s["_pairs"]])
    if args.diagnose:
        print_diagnosis(diagnosed, args.verbose)
    return 0


def print_confusion(pairs: list[tuple[str, str]]) -> None:
    """Gold status (rows) x tracker status (columns) among found actions."""
    cols = ("open", "overdue", "possible update", "updated", "done", "dropped")
    head = "gold \\ tracker"
    print(f"\n{head:16}" + "".join(f"{c:>17}" for c in cols))
    for g in ("open", "updated", "done", "dropped"):
        print(f"{g:16}" + "".join(f"{sum(1 for a, b in pairs if a == g and b == c):>17}" for c in cols))


def print_diagnosis(diagnosed: dict, verbose: bool) -> None:
    names = list(diagnosed)
    print("\nfound gold-done actions, by the furthest stage their gold evidence reaches:")
    print(f"{'stage':58}" + "".join(f"{n[:12]:>13}" for n in names) + f"{'all':>6}")
    for stage in STAGES:
        counts = [sum(1 for s, _t, _d in diagnosed[n] if s == stage) for n in names]
        print(f"{stage:58}" + "".join(f"{c:>13}" for c in counts) + f"{sum(counts):>6}")
    if verbose:
        for n in names:
            for stage in STAGES[:-1]:
                for s, t, d in diagnosed[n]:
                    if s == stage:
                        print(f"  [{n[:5]} {stage[:30]}] {t[:90]}\n      {d}")


if __name__ == "__main__":
    sys.exit(main())
