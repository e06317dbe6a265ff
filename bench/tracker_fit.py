#!/usr/bin/env python3
"""Fit the follow-up models (kb.followups: the link model WEIGHTS, BIAS and the done model DONE_WEIGHTS,
DONE_BIAS) on the annotated chains, choose the "done" threshold on held-out chains, and print the tracker's
figures leave-one-chain-out beside the in-sample ones.

For each chain KB (built by `bench/tracker.py --keep DIR`), every tracker row (bench/tracker.py's rows) is paired
with every later sentence that kb.followups.candidates gives it:

- link model: for the rows that match a gold action, the pair is true when the sentence is one of that
  action's gold evidence sentences (bench.same_evidence), false otherwise;
- done model: for every row, each candidate that reads as done (says done or dropped) is true when it is one
  of the action's gold evidence sentences that report it done; a row that matches no gold action (not an
  action at all) has none.

Leave-one-chain-out: both models are fitted on two chains, the third chain's KB is relinked with them and
scored by bench/tracker.py's rules at each "done" threshold; T_DONE is the lowest threshold at which "done"
rows whose evidence is wrong stay under 10% over the held-out chains together. The in-sample figures fit on
all three. Prints the weights to put in kb/followups.py.

usage: python bench/tracker_fit.py --keep DIR [--chains DIR] [--l2 X] [--quick]
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

T_DONE_GRID = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8)
FALSE_DONE_MAX = 0.10


def collect(store, chain: dict, name: str = "") -> list[dict]:
    """One entry per (tracker row, candidate sentence): features, truths, and keys (this chain's `name` in
    them: row ids repeat from KB to KB) to recompute `mutual` and `top` under other link weights."""
    from kb.followups import all_candidates, prepare

    rows = bench.run_tracker(store, None)
    m = bench.match(chain["actions"], rows)
    gi_of = {rows[ri]["id"]: gi for gi, ri in m.items()}
    ids = {r["id"] for r in rows}
    by_auth: dict = {}
    for d in store.documents():
        by_auth.setdefault(d.get("authority") or "", []).append(d)
    out = []
    for auth, group_docs in by_auth.items():
        g = prepare(store, group_docs) if auth else None
        if g is None:
            continue
        for p, cands in all_candidates(g):
            if p.rec["id"] not in ids:
                continue
            gi = gi_of.get(p.rec["id"])
            ga = chain["actions"][gi] if gi is not None else None
            ev = (ga or {}).get("evidence") or []
            done_ev = bench._done_evidence(ga) if ga else []
            for u, x, _what, _cue in cands:
                same = [e for e in ev if bench.same_evidence(e["text"], u.text)]
                out.append({"row": (name, p.rec["id"]), "unit": (name, u.doc["id"], u.block, u.text[:60]), "gi": gi,
                            "x": {k: v for k, v in x.items() if not k.startswith("_")},
                            "link": int(bool(same)), "done": int(any(e in done_ev for e in same))})
    return out


def _sig(z):
    return 1 / (1 + np.exp(-z))


def relational(data: list[dict], w: dict, bias: float) -> None:
    """`mutual`, `link` and `top` as the link weights `w` make them (as kb.followups.all_candidates does: `mutual`
    from the scores without it, `link` and `top` from the scores with it)."""
    from kb.followups import FEATURES, set_leads

    def scores() -> list[float]:
        return [float(_sig(bias + sum(w[k] * d["x"][k] for k in FEATURES))) for d in data]

    for d in data:
        d["x"]["mutual"] = 0.0
    by_unit: dict = {}
    s = scores()
    for d, v in zip(data, s):
        by_unit[d["unit"]] = max(by_unit.get(d["unit"], 0.0), v)
    for d, v in zip(data, s):
        d["x"]["mutual"] = float(v >= by_unit[d["unit"]])
    by_row: dict = {}
    s = scores()
    for d, v in zip(data, s):  # the best link of the action in each later paper
        key = (d["row"], d["unit"][1])
        by_row[key] = max(by_row.get(key, 0.0), v)
    for d, v in zip(data, s):
        d["x"]["link"] = v
        d["x"]["top"] = float(v >= by_row[(d["row"], d["unit"][1])])
    rows: dict = {}
    for d in data:
        rows.setdefault(d["row"], []).append(d["x"])
    for xs in rows.values():
        set_leads(xs)


def fit(x: np.ndarray, y: np.ndarray, l2: float, steps: int = 50) -> np.ndarray:
    """Logistic regression by Newton's method; the last column of `x` is the intercept (not penalised)."""
    w = np.zeros(x.shape[1])
    pen = np.full(x.shape[1], l2)
    pen[-1] = 0.0
    for _ in range(steps):
        p = _sig(x @ w)
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


def matrix(data: list[dict], names: tuple[str, ...], label: str) -> tuple[np.ndarray, np.ndarray]:
    x = np.array([[d["x"][k] for k in names] + [1.0] for d in data], dtype=float)
    return x, np.array([d[label] for d in data], dtype=float)


def fit_models(data: list[dict], l2: float) -> dict:
    """Both models on these pairs: the link model on the rows that match a gold action (each pair twice where it
    has a passage vector: with and without, so that the model serves a KB without vectors too), then the done
    model on the done-saying pairs of every row, with `mutual` and `top` as the fitted link model makes them."""
    from kb.followups import DONE_FEATURES, FEATURES, PRIORS

    link = [d for d in data if d["gi"] is not None]
    link = link + [{**d, "x": {**d["x"], "closeness": 0.0, "has_closeness": 0.0}} for d in link if d["x"]["has_closeness"]]
    x, y = matrix(link, FEATURES, "link")
    w = fit_signed(x, y, l2, FEATURES)
    sd = x[:, :-1].std(axis=0)
    weights = {k: (float(v) if (k not in PRIORS or s > 0) else PRIORS[k]) for k, v, s in zip(FEATURES, w[:-1], sd)}
    bias = float(w[-1])
    relational(data, weights, bias)
    done = [d for d in data if d["x"]["says_done"]]
    xd, yd = matrix(done, DONE_FEATURES, "done")
    wd = fit_signed(xd, yd, l2, DONE_FEATURES)
    sdd = xd[:, :-1].std(axis=0)
    done_w = {k: (float(v) if s > 0 else 0.0) for k, v, s in zip(DONE_FEATURES, wd[:-1], sdd)}
    return {"WEIGHTS": weights, "BIAS": bias, "DONE_WEIGHTS": done_w, "DONE_BIAS": float(wd[-1])}


def use(models: dict, t_done: float | None = None) -> None:
    import kb.followups as fu

    for k, v in models.items():
        setattr(fu, k, v)
    if t_done is not None:
        fu.T_DONE = t_done


def score_at(store, chain: dict, grid: tuple[float, ...]) -> dict[float, dict]:
    """bench/tracker.py's figures for this KB at each "done" threshold (links as they are stored now)."""
    import kb.followups as fu

    keep = fu.T_DONE
    out = {}
    try:
        for t in grid:
            fu.T_DONE = t
            out[t] = bench.score(chain, bench.run_tracker(store, None))
    finally:
        fu.T_DONE = keep
    return out


def _sum(results: list[dict]) -> dict:
    tot: dict = {}
    for s in results:
        for k, v in s.items():
            if not k.startswith("_"):
                tot[k] = tot.get(k, 0) + v
    return tot


def fmt(models: dict) -> str:
    from kb.followups import PRIORS

    w = ", ".join(f'"{k}": {v:.2f}' for k, v in models["WEIGHTS"].items() if k not in PRIORS)
    d = ", ".join(f'"{k}": {v:.2f}' for k, v in models["DONE_WEIGHTS"].items())
    return (f"WEIGHTS = {{{w}, **PRIORS}}\nBIAS = {models['BIAS']:.2f}\n"
            f"DONE_WEIGHTS = {{{d}}}\nDONE_BIAS = {models['DONE_BIAS']:.2f}")


def main(argv: list[str] | None = None) -> int:
    from kb.followups import refresh
    from kb.store import open_store

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--keep", type=Path, required=True, help="Where bench/tracker.py --keep built the chain KBs.")
    ap.add_argument("--chains", type=Path, default=ROOT / "bench" / "chains")
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--json", type=Path, help="Write the figures (held out and in sample) here.")
    args = ap.parse_args(argv)
    chains, data = {}, {}
    for f in sorted(args.chains.glob("*.json")):
        home = args.keep / f.stem / "kb"
        if not home.exists():
            print(f"no KB for {f.stem} under {args.keep} (run bench/tracker.py --keep {args.keep})", file=sys.stderr)
            return 1
        chains[f.stem] = json.loads(f.read_text())
        store = open_store(home)
        refresh(store, force=True)
        data[f.stem] = collect(store, chains[f.stem], f.stem)
        store.close()
        d = data[f.stem]
        print(f"{f.stem}: {len(d)} candidate pairs, {sum(x['link'] for x in d)} true links, "
              f"{sum(1 for x in d if x['x']['says_done'])} read as done, {sum(x['done'] for x in d)} true done",
              file=sys.stderr)

    held: dict[str, dict[float, dict]] = {}
    for name in chains:
        models = fit_models([d for k, v in data.items() if k != name for d in v], args.l2)
        use(models)
        store = open_store(args.keep / name / "kb")
        refresh(store, force=True)
        held[name] = score_at(store, chains[name], T_DONE_GRID)
        store.close()
    print("held out (fit on the other two chains): T_DONE -> false done, done with evidence, status right")
    pooled = {t: _sum([held[n][t] for n in chains]) for t in T_DONE_GRID}
    for t in T_DONE_GRID:
        s = pooled[t]
        print(f"  {t:.2f}: false done {bench._ratio(s['false_done'], s['done_rows']):14} done w/ evidence "
              f"{bench._ratio(s['done_with_evidence'], s['gold_done']):14} status right "
              f"{bench._ratio(s['status_right'], s['found'])}")
    ok = [t for t in T_DONE_GRID if pooled[t]["done_rows"] and pooled[t]["false_done"] / pooled[t]["done_rows"] < FALSE_DONE_MAX]
    t_done = min(ok) if ok else max(T_DONE_GRID)
    print(f"T_DONE = {t_done} (lowest with held-out false done under {FALSE_DONE_MAX:.0%})")
    for n in chains:
        print("  " + bench.line(n, held[n][t_done]))
    print("  " + bench.line("all chains, held out", pooled[t_done]))

    models = fit_models([d for v in data.values() for d in v], args.l2)
    use(models, t_done)
    inside = {}
    for name in chains:
        store = open_store(args.keep / name / "kb")
        refresh(store, force=True)
        inside[name] = score_at(store, chains[name], (t_done,))[t_done]
        store.close()
    print("in sample (fit on all three chains):")
    for n in chains:
        print("  " + bench.line(n, inside[n]))
    print("  " + bench.line("all chains, in sample", _sum(list(inside.values()))))
    print(fmt(models))
    print(f"T_DONE = {t_done}")
    if args.json:
        strip = lambda s: {k: v for k, v in s.items() if not k.startswith("_")}  # noqa: E731
        args.json.write_text(json.dumps({"t_done": t_done, "held_out": {n: strip(held[n][t_done]) for n in chains},
                                         "in_sample": {n: strip(inside[n]) for n in chains},
                                         "held_out_grid": {str(t): strip(pooled[t]) for t in T_DONE_GRID},
                                         "models": models}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
