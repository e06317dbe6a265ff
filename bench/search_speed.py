"""Search latency: p50/p95 of warm queries on the seed corpus and on a synthetic KB of 100,000
chunks (with and without filters), and the wall time of cold `scrutiny search` processes.

    python bench/search_speed.py [--chunks 100000] [--keep DIR]

The large KB is built from real text: sentences of the seed files recombined into passages,
spread over 2,000 documents with varied authorities, committees, kinds and dates. Its vectors
are real embeddings of 400 of those passages reused with small noise (embedding 100k passages
would take an hour on 2 cores); they go into the numpy copy that queries read (chromadb, the
store of record, is not filled for this bench). Figures only; nothing is asserted.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _kb import ROOT, SHARED, build_kb  # noqa: E402

AUTHORITIES = ["Blackpool Council", "Lancashire County Council", "Somerset County Council", "Kent County Council",
               "Leeds City Council", "Bristol City Council", "Cornwall Council", "Norfolk County Council",
               "Manchester City Council", "Devon County Council"]
COMMITTEES = ["Children and Young People's Scrutiny Committee", "Corporate Parenting Board",
              "Adult Social Care Scrutiny Committee", "Health Scrutiny Committee", "Cabinet"]
KINDS = ["minutes", "report", "presentation", "agenda"]


def queries() -> list[str]:
    f = SHARED / "eval" / "queries-seeds.json"
    if f.exists():
        return [q["query"] for q in json.loads(f.read_text())]
    return ["children in care rate", "agency social workers", "Ofsted judgement", "go live date",
            "family safeguarding teams", "domestic abuse recommendations"]


def timed(fn, qs, repeat=3) -> list[float]:
    out = []
    for _ in range(repeat):
        for q in qs:
            t = time.perf_counter()
            fn(q)
            out.append((time.perf_counter() - t) * 1000)
    return out


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def report(name, ms):
    print(f"{name:58} p50 {statistics.median(ms):7.1f} ms   p95 {pct(ms, 95):7.1f} ms   (n={len(ms)})")


def cold(home: Path, q: str, extra=(), n=3) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        r = subprocess.run([sys.executable, "-m", "cli", "--kb", str(home), "search", q, "--json", *extra],
                           cwd=ROOT, capture_output=True, text=True)
        out.append(time.perf_counter() - t)
        assert r.returncode == 0, r.stderr
    return out


def build_large(home: Path, n_chunks: int, seed_store) -> None:
    from kb.search.chunking import split_sentences
    from kb.search.embed import get_embedder
    from kb.search.index import _save_cache
    from kb.store import open_store

    rng = random.Random(7)
    sents = []
    for (text,) in seed_store.db.execute("SELECT text FROM blocks WHERE kind != 'heading'"):
        sents += [text[s:e] for s, e in split_sentences(text) if len(text[s:e]) > 25]
    sections = [r[0] for r in seed_store.db.execute("SELECT DISTINCT section FROM chunks WHERE section IS NOT NULL")]
    store = open_store(home)
    n_docs = 2000
    per_doc = n_chunks // n_docs
    t0 = time.perf_counter()
    with store.transaction() as db:
        for d in range(n_docs):
            year = 2018 + d % 7
            db.execute("INSERT INTO documents (id, source, format, kind, authority, committee, meeting_date, title,"
                       " ingested_at) VALUES (?,?,?,?,?,?,?,?,?)",
                       (f"synth{d:06d}", f"synthetic/{d:06d}.txt", "txt", KINDS[d % 4], AUTHORITIES[d % 10],
                        COMMITTEES[d % 5], f"{year}-{1 + d % 12:02d}-{1 + d % 28:02d}", f"Synthetic paper {d}",
                        "2026-01-01T00:00:00"))
            rows = []
            for c in range(per_doc):
                text = " ".join(rng.sample(sents, rng.randint(4, 9)))
                rows.append((f"synth{d:06d}", c, text, rng.choice(sections), 1 + c // 3, 1 + c // 3, "text",
                             200, f"{d:06d}{c:04d}", "synthetic"))
            db.executemany("INSERT INTO chunks (doc_id, seq, text, section, page, page_end, kind, pieces, hash, chunker)"
                           " VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
    print(f"  synthetic KB: {n_docs} documents, {per_doc * n_docs} chunks in {time.perf_counter() - t0:.0f}s")
    t0 = time.perf_counter()
    ids, texts = zip(*store.db.execute("SELECT id, text FROM chunks ORDER BY id").fetchall())
    base_n = 400
    base = get_embedder(home).embed(list(texts[:base_n]))
    np_rng = np.random.default_rng(7)
    mat = base[np_rng.integers(0, base_n, len(ids))] + np_rng.normal(0, 0.02, (len(ids), base.shape[1]))
    mat = (mat / np.linalg.norm(mat, axis=1, keepdims=True)).astype(np.float32)
    _save_cache(home, np.asarray(ids, dtype=np.int64), mat, [f"{i}" for i in ids])
    print(f"  vectors: {base_n} real embeddings spread over {len(ids)} chunks in {time.perf_counter() - t0:.0f}s")
    store.db.execute("PRAGMA optimize")
    store.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chunks", type=int, default=100_000)
    ap.add_argument("--keep", type=Path, help="Build the large KB here and keep it.")
    args = ap.parse_args()
    from kb.search import search
    from kb.store import open_store

    qs = queries()
    filters = [dict(authority=["Blackpool Council"]), dict(since="2022-01", kind="report"),
               dict(authority=["Lancashire County Council", "Kent County Council"], until="2021")]
    with tempfile.TemporaryDirectory() as tmp:
        seed_home = Path(tmp) / "seeds"
        seeds = build_kb(seed_home, ROOT / "corpus" / "text")
        n = seeds.db.execute("SELECT count(*) FROM chunks").fetchone()[0]
        print(f"seed corpus: {n} chunks")
        search(seeds, "warm up")
        for mode in ("hybrid", "bm25", "dense"):
            report(f"  seeds, {mode}", timed(lambda q: search(seeds, q, mode=mode), qs))
        report("  seeds, hybrid + authority filter",
               timed(lambda q: search(seeds, q, authority=["Blackpool Council"]), qs))
        big_home = args.keep or Path(tmp) / "big"
        if not (big_home / "vectors.npy").exists():
            build_large(big_home, args.chunks, seeds)
        big = open_store(big_home)
        n = big.db.execute("SELECT count(*) FROM chunks").fetchone()[0]
        print(f"large KB: {n} chunks")
        search(big, "warm up")
        for mode in ("hybrid", "bm25", "dense"):
            report(f"  {n} chunks, {mode}", timed(lambda q: search(big, q, mode=mode), qs))
        for f in filters:
            label = ", ".join(f"{k}={v}" for k, v in f.items())
            report(f"  {n} chunks, hybrid, {label}"[:58], timed(lambda q: search(big, q, **f), qs))
        big.close()
        print("cold `scrutiny search` process (python -m cli ..., --json), wall seconds:")
        for name, home in (("seeds", seed_home), (f"{n} chunks", big_home)):
            ws = cold(home, "how many kids are in care in Blackpool", n=3)
            wf = cold(home, "agency social workers", ("--authority", "Blackpool Council", "--since", "2020"), n=3)
            print(f"  {name:12} no filter: {', '.join(f'{w:.2f}' for w in ws)}   "
                  f"with filters: {', '.join(f'{w:.2f}' for w in wf)}")
        seeds.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
