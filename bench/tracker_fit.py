#!/usr/bin/env python3
"""Fit the follow-up link model (kb.followups.WEIGHTS, BIAS) on the annotated chains, and say how well it
carries over from chain to chain.

For each chain KB (built by `bench/tracker.py --keep DIR`), every tracker row that matches a gold action is
paired with every later sentence that shares a word with it (kb.followups.candidates): the pair is a true
link when the sentence is one of that action's gold evidence sentences (token F1 >= 0.5), a false one
otherwise (every candidate of an action the minutes never took up again is false). A logistic regression
(L2, Newton steps) is fitted on the features; leave-one-chain-out shows how the best link of each action
fares on a chain the model was not fitted on. Prints the weights to put in kb/followups.py.

usage: python bench/tracker_fit.py --keep DIR [--chains DIR] [--l2 X]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import tracker as bench
from _kb import ROOT


def simulate(data: dict, scores: dict, chains: dict, t_done: float, t_update: float) -> dict:
    """Status of each matched action from its best links under these thresholds, against the gold:
    (status right, matched; done called, done with a true sentence)."""
    right = n = done = done_ok = 0
    confusion: dict = {}
    for stem, rows in data.items():
        best: dict[int, list] = {}
        for (gi, x, y), s in zip(rows, scores[stem]):
            b = best.setdefault(gi, [0.0, 0, 0.0, 0])  # best score, its truth; best done score, its truth
            if s > b[0]:
                b[0], b[1] = s, y
            if x["says_done"] and s > b[2]:
                b[2], b[3] = s, y
        for gi, gold in chains[stem].items():
            b = best.get(gi, [0.0, 0, 0.0, 0])
            st = "done" if b[2] >= t_done else "updated" if b[0] >= t_update else "open"
            n += 1
            right += st == gold
            confusion[(gold, st)] = confusion.get((gold, st), 0) + 1
            if st == "done":
                done += 1
                done_ok += b[3]
    return {"right": right, "n": n, "done": done, "done_ok": done_ok, "confusion": confusion}


def pairs(store, chain: dict) -> tuple[list[tuple[int, dict, int]], dict[int, str]]:
    """(gold action index, features, label) for every candidate of every matched action; and the gold status
    of each matched action."""
    from kb.followups import all_candidates, prepare
    from reports.actions import tracker

    rows = tracker(store, as_of="2100-01-01", min_confidence=None)["actions"]
    m = bench.match(chain["actions"], rows)
    docs = store.documents()
    by_auth: dict = {}
    for d in docs:
        by_auth.setdefault(d.get("authority") or "", []).append(d)
    want = {rows[ri]["id"]: gi for gi, ri in m.items()}
    found = {gi: chain["actions"][gi]["status"] for gi in m}
    out = []
    for auth, group_docs in by_auth.items():
        g = prepare(store, group_docs) if auth else None
        if g is None:
            continue
        for p, cands in all_candidates(g):
            gi = want.get(p.rec["id"])
            if gi is None:
                continue
            ev = chain["actions"][gi].get("evidence") or []
            for u, x, _what, _cue in cands:
                label = int(any(bench.token_f1(e["text"], u.text) >= bench.MATCH for e in ev))
                out.append((gi, x, label))
                if x["has_closeness"]:  # the same pair in a KB without vectors, so that the model serves both
                    out.append((gi, {**x, "closeness": 0.0, "has_closeness": 0.0}, label))
    return out, found


def fit(x: np.ndarray, y: np.ndarray, l2: float, steps: int = 50) -> np.ndarray:
    """Logistic regression by Newton's method; the last column of `x` is the intercept (not penalised)."""
    w = np.zeros(x.shape[1])
    pen = np.full(x.shape[1], l2)
    pen[-1] = 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-x @ w))
        grad = x.T @ (p - y) + pen * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(pen + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    return w


# features that can only make a sentence more likely to report on the action: their weights are kept >= 0
# (a dash-label naming what the action names never counts against it, whatever the noise in the gold)
MAY_BE_NEGATIVE = ("has_closeness", "long")


def fit_signed(x: np.ndarray, y: np.ndarray, l2: float, names: tuple[str, ...]) -> np.ndarray:
    """`fit`, then features whose weight came out negative against their sense are dropped and the rest refitted."""
    keep = list(range(x.shape[1]))
    while True:
        w = np.zeros(x.shape[1])
        w[keep] = fit(x[:, keep], y, l2)
        bad = [i for i in keep[:-1] if w[i] < 0 and names[i] not in MAY_BE_NEGATIVE]
        if not bad:
            return w
        keep = [i for i in keep if i not in bad]


def matrix(data: list[tuple[int, dict, int]], names: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    x = np.array([[d[1][k] for k in names] + [1.0] for d in data], dtype=float)
    return x, np.array([d[2] for d in data], dtype=float)


def top_link_precision(data, w, names, at: float) -> tuple[int, int, int]:
    """Over actions: (best link above `at` and true, best link above `at`, actions with a true candidate)."""
    best: dict[int, tuple[float, int]] = {}
    have = set()
    for gi, x, y in data:
        s = 1 / (1 + np.exp(-(np.array([x[k] for k in names] + [1.0]) @ w)))
        if y:
            have.add(gi)
        if gi not in best or s > best[gi][0]:
            best[gi] = (s, y)
    taken = [y for s, y in best.values() if s >= at]
    return sum(taken), len(taken), len(have)


def main(argv: list[str] | None = None) -> int:
    from kb.followups import FEATURES
    from kb.store import open_store

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--keep", type=Path, required=True, help="Where bench/tracker.py --keep built the chain KBs.")
    ap.add_argument("--chains", type=Path, default=ROOT / "bench" / "chains")
    ap.add_argument("--l2", type=float, default=1.0)
    args = ap.parse_args(argv)
    data, matched = {}, {}
    for f in sorted(args.chains.glob("*.json")):
        home = args.keep / f.stem / "kb"
        if not home.exists():
            print(f"no KB for {f.stem} under {args.keep} (run bench/tracker.py --keep {args.keep})", file=sys.stderr)
            return 1
        store = open_store(home)
        chain = json.loads(f.read_text())
        data[f.stem], matched[f.stem] = pairs(store, chain)
        store.close()
        print(f"{f.stem}: {len(data[f.stem])} candidate pairs, {sum(d[2] for d in data[f.stem])} true", file=sys.stderr)
    names = FEATURES
    for held in data:
        train = [d for k, v in data.items() if k != held for d in v]
        w = fit_signed(*matrix(train, names), args.l2, names)
        for at in (0.05, 0.1, 0.2, 0.3, 0.5):
            ok, n, have = top_link_precision(data[held], w, names, at)
            print(f"held out {held:20} best link >= {at}: {ok}/{n} true (precision {ok / n if n else 0:.2f}), "
                  f"{have} actions have a true candidate")
    loo = {}
    for held in data:
        w = fit_signed(*matrix([d for k, v in data.items() if k != held for d in v], names), args.l2, names)
        x, _y = matrix(data[held], names)
        loo[held] = list(1 / (1 + np.exp(-(x @ w))))
    print("status on held-out chains (actions found): t_done t_update -> right/found, done called (true sentence)")
    for t_done in (0.3, 0.5, 0.7):
        for t_update in (0.1, 0.15, 0.2, 0.3, 0.5):
            r = simulate(data, loo, matched, t_done, t_update)
            c = r["confusion"]
            print(f"  {t_done:.2f} {t_update:.2f} -> {r['right']}/{r['n']} ({r['right'] / r['n']:.2f}), "
                  f"done {r['done']} ({r['done_ok']} true); called updated: "
                  + ", ".join(f"{c.get((g, 'updated'), 0)} {g}" for g in ("open", "updated", "done")))
    from kb.followups import PRIORS

    x, y = matrix([d for v in data.values() for d in v], names)
    w = fit_signed(x, y, args.l2, names)
    fitted = [(k, v) for k, v, sd in zip(names, w[:-1], x[:, :-1].std(axis=0)) if k not in PRIORS or sd > 0]
    print("WEIGHTS = {" + ", ".join(f'"{k}": {v:.2f}' for k, v in fitted) + ", **PRIORS}")
    print("features the chains never vary (kept at PRIORS):",
          [k for k, sd in zip(names, x[:, :-1].std(axis=0)) if sd == 0])
    print(f"BIAS = {w[-1]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
