#!/usr/bin/env python3
"""Calibrate the confidence on every extracted record, and show how well calibrated it is.

The papers of the held-out gold (bench/gold-*.json, the final batch left out) and of the tracker chains
(bench/chains/*.json: every action of 23 successive parish minutes) are ingested as a user's files are; each
record found is paired with the gold by shared/eval/score.py's matching. For every kind and cue (the form a
record was read from: "motion", "minuted passive", "table money" ...) the share of records that were right
is the confidence, drawn towards the kind's own rate where a cue was seen few times:
(right + 4 * kind_rate) / (found + 4). With --write it goes to nlp/data/confidence.json.

It prints the table, then a reliability table leave-one-batch-out: each batch's records given the confidence
fitted on the other batches, binned, predicted against observed. Calibrated means the two columns agree.

usage: python bench/calibrate.py [--write]
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import heldout
from _kb import ROOT

KINDS = heldout.KINDS
PRIOR = 4
PEOPLE = 0.7  # people are not annotated for scoring: a judged value
OUT = ROOT / "nlp" / "data" / "confidence.json"


def chain_gold() -> dict[str, list[dict]]:
    """The chains as gold documents with actions only (every action of each meeting is annotated)."""
    docs: dict[str, dict] = {}
    for f in sorted((ROOT / "bench" / "chains").glob("*.json")):
        chain = json.loads(f.read_text())
        for d in chain["documents"]:
            docs.setdefault(d["source"], {"source": d["source"], "actions": []})
        for a in chain["actions"]:
            docs.setdefault(a["source"], {"source": a["source"], "actions": []})["actions"].append(a)
    return {"chains": list(docs.values())} if docs else {}


def observations(batches: dict[str, list[dict]]) -> list[tuple[str, str, str, bool]]:
    """(batch, kind, cue, right) for every record found in the batches' papers."""
    from nlp.confidence import cue_key

    sc = heldout.scorer()
    all_docs = [d for docs in batches.values() for d in docs]
    files = heldout.locate({d["source"] for d in all_docs})
    export = heldout.export_with([files[d["source"]] for d in all_docs if d["source"] in files])
    by_name = {Path(d["source"]).name: d for d in export["documents"]}
    out = []
    for batch, docs in batches.items():
        for g in docs:
            e = by_name.get(Path(g["source"]).name) or {}
            for kind in KINDS:
                if kind not in g:
                    continue
                found = e.get(kind) or []
                hit = {id(ep) for _, ep in sc.pair(g.get(kind) or [], found, sc.matcher(kind))}
                out += [(batch, kind, cue_key(r), id(r) in hit) for r in found]
    return out


def fit(obs: list[tuple[str, str, str, bool]]) -> dict[str, dict[str, float]]:
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    kind_counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for _, kind, cue, right in obs:
        counts[(kind, cue)][0] += right
        counts[(kind, cue)][1] += 1
        kind_counts[kind][0] += right
        kind_counts[kind][1] += 1
    table: dict[str, dict[str, float]] = {"people": {"*": PEOPLE}}
    for kind, (right, n) in kind_counts.items():
        rate = right / n if n else 0.5
        table.setdefault(kind, {})["*"] = round(rate, 3)
        for (k, cue), (r, m) in counts.items():
            if k == kind:
                table[kind][cue] = round((r + PRIOR * rate) / (m + PRIOR), 3)
    return table


def reliability(obs: list[tuple[str, str, str, bool]]) -> list[tuple[str, int, float, float]]:
    """Leave one batch out: (bin, records, mean confidence given, share right)."""
    bins: dict[int, list[tuple[float, bool]]] = defaultdict(list)
    for batch in sorted({o[0] for o in obs}):
        table = fit([o for o in obs if o[0] != batch])
        for b, kind, cue, right in obs:
            if b == batch:
                conf = table.get(kind, {}).get(cue, table.get(kind, {}).get("*", 0.5))
                bins[min(int(conf * 5), 4)].append((conf, right))
    out = []
    for i in sorted(bins):
        xs = bins[i]
        out.append((f"{i / 5:.1f}-{(i + 1) / 5:.1f}", len(xs), sum(c for c, _ in xs) / len(xs), sum(r for _, r in xs) / len(xs)))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--write", action="store_true", help=f"write the table to {OUT.relative_to(ROOT)}")
    args = ap.parse_args(argv)
    batches = {**heldout.batches(), **chain_gold()}
    obs = observations(batches)
    table = fit(obs)
    print(f"== confidence by kind and cue ({len(obs)} records found in {sum(map(len, batches.values()))} papers) ==")
    for kind in (*KINDS, "people"):
        cues = sorted(table.get(kind, {}).items(), key=lambda kv: -kv[1])
        print(f"{kind:16}", "  ".join(f"{c or '-'} {v:.2f}" for c, v in cues))
    print("== reliability, leave one batch out (confidence given vs share right) ==")
    for rng, n, given, right in reliability(obs):
        print(f"  {rng}  records {n:5d}  given {given:.2f}  right {right:.2f}")
    if args.write:
        OUT.write_text(json.dumps({"about": __doc__.split("\n\n")[1].replace("\n", " "), "confidence": table},
                                  indent=1, ensure_ascii=False) + "\n")
        print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
