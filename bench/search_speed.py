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
from _kb import ROOT, SHARED, build_kb

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
    return xs[min(len(xs) - 1, round(p / 100 * (len(xs) - 1)))]


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


def cut_sentences(text: str) -> list[str]:
    """The sentences of `text`, over-long ones (tables, lists) cut every 40 words."""
    from kb.search.chunking import split_sentences

    text = re.sub(r"\s+", " ", text).strip()
    out = []
    for s, e in split_sentences(text):
        words = text[s:e].split()
        out += [" ".join(words[i:i + 40]) for i in range(0, len(words), 40)]
    return [x for x in out if len(x) > 3]


def real_documents(seed_store) -> list[tuple[str, list[str]]]:
    """(title, sentences) of each real document: every PDF under shared/corpus-real (pdfplumber)
    and the seed files. Over-long "sentences" (tables, lists) are cut every 40 words."""
    from _kb import real_pages

    docs = []
    for name, pages in real_pages().items():
        title = re.sub(r"^[a-z_]+_\d{4}-\d{2}-\d{2}__", "", Path(name).stem).replace("_", " ")
        sents = cut_sentences(" ".join(pages))
        if len(sents) >= 5:
            docs.append((title, sents))
    for doc_id, title in seed_store.db.execute("SELECT id, title FROM documents"):
        text = " ".join(r[0] for r in seed_store.db.execute(
            "SELECT text FROM blocks WHERE doc_id = ? ORDER BY seq", (doc_id,)))
        docs.append((title or "Seed paper", cut_sentences(text)))
    return docs


def cut_windows(docs: list[tuple[str, list[str]]], base_words: int) -> tuple[list[str], list[list[int]]]:
    """The ~base_words-word windows of sentences that get real embeddings, and which window each sentence of
    each document is in."""
    windows, window_of = [], []
    for _, sents in docs:
        wo, cur, n = [], [], 0
        for s in sents:
            if n >= base_words:
                windows.append(" ".join(cur))
                cur, n = [], 0
            cur.append(s)
            n += len(s.split())
            wo.append(len(windows))
        windows.append(" ".join(cur))
        window_of.append(wo)
    return windows, window_of


def build_large(home: Path, n_chunks: int, seed_store, base_words: int = 150) -> None:
    """A KB of `n_chunks` passages of real text: each of 2,000 synthetic documents is a run of
    consecutive real passages (80-180 words, sentence-aligned) from one real document, starting at
    a random sentence, so passages overlap but rarely repeat; metadata is drawn with skew (one
    authority holds ~25% of chunks, the smallest ~2%); the heading path is the real document's title
    and a part number. Vectors: every real document is cut into
    ~150-word windows that are embedded for real; a synthetic chunk gets the vector of the window
    that holds its first sentence plus small noise."""
    from kb.search.embed import get_embedder
    from kb.search.index import _save_cache
    from kb.store import open_store

    rng = random.Random(7)
    docs = real_documents(seed_store)
    windows, window_of = cut_windows(docs, base_words)
    n_words = sum(len(s.split()) for _, ss in docs for s in ss)
    store = open_store(home)
    n_docs = 2000
    per_doc = n_chunks // n_docs
    auth_w = [25, 18, 14, 11, 9, 7, 6, 4, 4, 2]
    kind_w = [30, 45, 10, 15]
    vec_of: list[int] = []
    t0 = time.perf_counter()
    with store.transaction() as db:
        for d in range(n_docs):
            di = rng.choices(range(len(docs)), weights=[len(ss) for _, ss in docs])[0]
            title, sents = docs[di]
            auth, kind = rng.choices(AUTHORITIES, auth_w)[0], rng.choices(KINDS, kind_w)[0]
            comm = rng.choice(COMMITTEES)
            date = f"{rng.randint(2015, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            db.execute("INSERT INTO documents (id, source, format, kind, authority, committee, meeting_date, title,"
                       " ingested_at) VALUES (?,?,?,?,?,?,?,?,?)",
                       (f"synth{d:06d}", f"synthetic/{d:06d}.txt", "txt", kind, auth, comm, date, title,
                        "2026-01-01T00:00:00"))
            pos = rng.randrange(len(sents))
            rows = []
            for c in range(per_doc):
                vec_of.append(window_of[di][pos])
                want, got, part = rng.randint(80, 180), 0, []
                while got < want:
                    part.append(sents[pos])
                    got += len(sents[pos].split())
                    pos = (pos + 1) % len(sents)
                section = f"{title} > Part {1 + c // 8}"
                rows.append((f"synth{d:06d}", c, " ".join(part), section, 1 + c // 3, 1 + c // 3, "text",
                             200, f"{d:06d}{c:04d}", "synthetic", auth, comm, kind, date))
            db.executemany("INSERT INTO chunks (doc_id, seq, text, section, page, page_end, kind, pieces, hash,"
                           " chunker, authority, committee, doc_kind, meeting_date)"
                           " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    print(f"  synthetic KB: {n_docs} documents, {per_doc * n_docs} chunks of real text in "
          f"{time.perf_counter() - t0:.0f}s; drawn from {len(docs)} real documents ({n_words} words: "
          f"the shared/corpus-real PDFs read with pdfplumber, and the seed files)")
    t0 = time.perf_counter()
    ids = [r[0] for r in store.db.execute("SELECT id FROM chunks ORDER BY id")]
    base = get_embedder(home).embed(windows)
    np_rng = np.random.default_rng(7)
    mat = base[np.asarray(vec_of)] + np_rng.normal(0, 0.01, (len(ids), base.shape[1]))
    mat = (mat / np.linalg.norm(mat, axis=1, keepdims=True)).astype(np.float32)
    _save_cache(home, np.asarray(ids, dtype=np.int64), mat, [f"{i}" for i in ids])
    print(f"  vectors: {len(windows)} real embeddings of ~{base_words}-word windows, spread over {len(ids)} "
          f"chunks (+ noise) in {time.perf_counter() - t0:.0f}s")
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
            report(f"  seeds, {mode}", timed(lambda q, mode=mode: search(seeds, q, mode=mode), qs))
        report("  seeds, hybrid + authority filter",
               timed(lambda q: search(seeds, q, authority=["Blackpool Council"]), qs))
        big_home = args.keep or Path(tmp) / "big"
        if not (big_home / "vectors.npy").exists():
            build_large(big_home, args.chunks, seeds)
        else:
            print(f"  (reusing the synthetic KB in {big_home}; see build_large for what it holds)")
        big = open_store(big_home)
        n = big.db.execute("SELECT count(*) FROM chunks").fetchone()[0]
        print(f"large KB: {n} chunks")
        from kb.search import engine

        full = {q: [c for c, _ in engine.bm25(big.db, q, prune=False)][:10] for q in qs}
        part = {q: [c for c, _ in engine.bm25(big.db, q)][:10] for q in qs}
        agree = statistics.mean(len(set(full[q]) & set(part[q])) / max(1, len(full[q])) for q in qs)
        print(f"  BM25 top-10 shared with the unpruned OR query (OR_BUDGET {engine.OR_BUDGET}): {agree:.2f}")
        report(f"  {n} chunks, bm25 unpruned OR query", timed(lambda q: engine.bm25(big.db, q, prune=False), qs))
        search(big, "warm up")
        for mode in ("hybrid", "bm25", "dense"):
            report(f"  {n} chunks, {mode}", timed(lambda q, mode=mode: search(big, q, mode=mode), qs))
        for f in filters:
            label = ", ".join(f"{k}={v}" for k, v in f.items())
            report(f"  {n} chunks, hybrid, {label}"[:58], timed(lambda q, f=f: search(big, q, **f), qs))
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
