"""Server mode, ingest scaling (issue #16): 1, 2 and 4 `scrutiny ingest` processes over the same folder into
one server KB (each a fresh database), pages/s and the ratio to one process; each file must be stored once.

usage: python bench/scale.py [PATH ...] [--procs 1,2,4] [--no-extract]
       python bench/scale.py --search 100000,1000000 [--per-doc 50]

Defaults to corpus/published plus ../shared/seeds. It starts a throwaway PostgreSQL cluster and Chroma server
(tests/servers.py). Each process parses with one worker (-j 1), so N processes are N parsers, as N machines
would be.

--search: warm search latency on a server KB of N synthetic passages of real text, for each N given (see
build_search_kb and time_searches): build time, sizes, memory, p50/p95 of hybrid search() with no filter, an
authority filter and a date range, split into the keyword (PostgreSQL) and dense (Chroma) parts.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _kb import ROOT, SHARED, throwaway_servers  # also puts the project on sys.path, offline model settings


def run(kb: str, paths: list[str], procs: int, extract: bool) -> tuple[float, int]:
    """Seconds for `procs` ingests to finish, and how many files they read in all."""
    env = {**os.environ, "SCRUTINY_KB": kb}
    args = [sys.executable, "-m", "cli", "ingest", *paths, "-j", "1", "-q", "--no-index"]
    args += [] if extract else ["--no-extract"]
    t0 = time.perf_counter()
    ps = [subprocess.Popen(args, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
          for _ in range(procs)]
    outs = [p.communicate()[0] for p in ps]
    seconds = time.perf_counter() - t0
    if any(p.returncode not in (0, 1) for p in ps):
        raise SystemExit("\n".join(outs))
    return seconds, sum(int(m.group(1)) for o in outs for m in [re.search(r"(\d+) ingested", o)] if m)


# --- search latency on a large server KB (--search) -----------------------------------------------------------

SEARCH_FILTERS = {"no filter": {}, "authority": dict(authority=["Blackpool Council"]),
                  "date range": dict(since="2022-01", until="2023")}


def _rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants (the PostgreSQL cluster's backends, the Chroma
    server's), from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo += children.get(p, [])
        with contextlib.suppress(OSError, ValueError):
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
    return total / 2**20


def _pg_pid() -> int:
    from _kb import SERVERS

    return int((SERVERS["pg"].data / "postmaster.pid").read_text().split()[0])


def seed_documents() -> list[tuple[str, list[str]]]:
    """(title, sentences) of each real document: the shared/corpus-real PDFs (bench/_kb.real_pages) and the
    seed text files of corpus/text; over-long "sentences" (tables, lists) cut every 40 words."""
    from _kb import real_pages
    from search_speed import cut_sentences

    docs = []
    for name, pages in real_pages().items():
        title = re.sub(r"^[a-z_]+_\d{4}-\d{2}-\d{2}__", "", Path(name).stem).replace("_", " ")
        docs.append((title, cut_sentences(" ".join(pages))))
    for f in sorted((ROOT / "corpus" / "text").glob("*.txt")):
        docs.append(("Seed paper " + f.stem[:3], cut_sentences(f.read_text(errors="replace"))))
    return [d for d in docs if len(d[1]) >= 5]


def build_search_kb(kb: str, n_passages: int, per_doc: int = 50, base_words: int = 150, batch_docs: int = 100,
                    stop_at: float | None = None) -> dict:
    """(The KB may hold a smaller one built by this function: it is grown to `n_passages`, or as far as it gets
    by the time.time() `stop_at`.)"""
    """Fill the fresh server KB `kb` with `n_passages` passages of real text, as bench/search_speed.py builds
    its embedded one: n/per_doc synthetic documents, each a run of consecutive real passages (80-180 words,
    sentence-aligned) of one real document from a random sentence; authority (10, skewed: the largest ~25%),
    committee (5), kind (4) and date (2015-2025) drawn per document. Stored through the store's interface
    (`put_document` with the passages handed over as data, as the ingest workers do; no blocks or records), the
    vectors through kb.search.index's own writer to the Chroma server, 5,000 a request, while PostgreSQL takes
    the next documents. Vectors: real embeddings of ~150-word windows of the real documents, each passage the
    vector of the window holding its first sentence plus small noise (N(0, 0.01), renormalised)."""
    import random
    from concurrent.futures import ThreadPoolExecutor

    import numpy as np
    from search_speed import AUTHORITIES, COMMITTEES, KINDS, cut_windows

    from kb.search.index import _write_vectors, chroma_collection, vector_id
    from kb.store import open_store

    t0 = time.perf_counter()
    docs = seed_documents()
    windows, window_of = cut_windows(docs, base_words)
    base = _window_vectors(windows)
    t_embed = time.perf_counter() - t0
    store = open_store(kb)
    client, col = chroma_collection(store)
    n_docs = max(1, n_passages // per_doc)
    first = store.db.execute("SELECT count(*) FROM documents WHERE id LIKE 'synth%'").fetchone()[0]
    auth_w, kind_w = [25, 18, 14, 11, 9, 7, 6, 4, 4, 2], [30, 45, 10, 15]
    doc_weights = [len(ss) for _, ss in docs]
    pending = None
    t_pg = t_chroma = 0.0
    t1 = time.perf_counter()
    with ThreadPoolExecutor(1) as pool:
        for b0 in range(first, n_docs, batch_docs):
            if stop_at is not None and time.time() > stop_at:
                print(f"    stopped at {b0 * per_doc} passages: out of time (--build-until)", flush=True)
                break
            tb = time.perf_counter()
            wanted, known = {}, {}
            for d in range(b0, min(n_docs, b0 + batch_docs)):
                rng, np_rng = random.Random(7_000_000 + d), np.random.default_rng(7_000_000 + d)  # the same KB grown or not
                di = rng.choices(range(len(docs)), weights=doc_weights)[0]
                title, sents = docs[di]
                doc = dict(id=f"synth{d:07d}", source=f"synthetic/{d:07d}.txt", format="txt",
                           kind=rng.choices(KINDS, kind_w)[0], authority=rng.choices(AUTHORITIES, auth_w)[0],
                           committee=rng.choice(COMMITTEES), title=title, pages=1 + per_doc // 3,
                           meeting_date=f"{rng.randint(2015, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                           ingested_at="2026-01-01T00:00:00", metadata_origin={"authority": "synthetic"})
                pos, passages, vec_of = rng.randrange(len(sents)), [], []
                for c in range(per_doc):
                    vec_of.append(window_of[di][pos])
                    want, got, part = rng.randint(80, 180), 0, []
                    while got < want:
                        part.append(sents[pos])
                        got += len(sents[pos].split())
                        pos = (pos + 1) % len(sents)
                    passages.append(dict(text=" ".join(part), section=f"{title} > Part {1 + c // 8}", page=1 + c // 3,
                                         page_end=1 + c // 3, kind="text", pieces=1, hash=f"{d:07d}{c:04d}",
                                         chunker="synthetic"))
                store.put_document(doc, [], {}, passages=passages)
                mat = base[np.asarray(vec_of)] + np_rng.normal(0, 0.01, (per_doc, base.shape[1]))
                mat = (mat / np.linalg.norm(mat, axis=1, keepdims=True)).astype(np.float32)
                known.update(zip((p["hash"] for p in passages), mat))
                for r in store.db.execute("SELECT id, hash FROM chunks WHERE doc_id = ?", (doc["id"],)):
                    wanted[vector_id(r[0], r[1])] = {"id": r[0], "doc_id": doc["id"], "hash": r[1],
                                                     "authority": doc["authority"], "committee": doc["committee"],
                                                     "kind": doc["kind"], "meeting_date": doc["meeting_date"]}
            t_pg += time.perf_counter() - tb
            if pending is not None:  # one batch of vectors in flight at a time
                t_chroma += pending.result()

            def write(wanted=wanted, known=known):
                tc = time.perf_counter()
                _write_vectors(client, col, wanted, list(wanted), [], known)
                return time.perf_counter() - tc

            pending = pool.submit(write)
            done = min(n_docs, b0 + batch_docs) * per_doc
            if done % 100_000 == 0 or done == n_docs * per_doc:
                print(f"    {done:>9} passages  {time.perf_counter() - t1:7.0f} s  "
                      f"(this process {_self_mb():.0f} MB)", flush=True)
        if pending is not None:
            t_chroma += pending.result()
    t_fill = time.perf_counter() - t1
    t2 = time.perf_counter()
    store.db.execute("VACUUM ANALYZE chunks")
    store.db.execute("VACUUM ANALYZE documents")
    t_vacuum = time.perf_counter() - t2
    n_chunks, n_vec = store.db.execute("SELECT count(*) FROM chunks").fetchone()[0], col.count()
    n_docs = store.db.execute("SELECT count(*) FROM documents").fetchone()[0]
    store.close()
    return dict(docs=n_docs, chunks=n_chunks, vectors=n_vec, real_docs=len(docs), windows=len(windows),
                embed_s=t_embed, fill_s=t_fill, pg_s=t_pg, chroma_s=t_chroma, vacuum_s=t_vacuum)


def _window_vectors(windows: list[str]):
    """Real embeddings of the windows, kept outside the repository between runs (embedding ~2,300 windows
    takes minutes on a busy 2-core machine): $XDG_CACHE_HOME/scrutiny-kb/bench-windows-<hash>.npy."""
    import hashlib

    import numpy as np

    from kb.search.embed import MODEL_NAME, get_embedder

    key = hashlib.sha256("\n\0".join([MODEL_NAME, *windows]).encode()).hexdigest()[:16]
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "scrutiny-kb" / f"bench-windows-{key}.npy"
    if cache.exists():
        return np.load(cache)
    vecs = get_embedder(None).embed(windows)
    cache.parent.mkdir(parents=True, exist_ok=True)
    np.save(cache, vecs)
    return vecs


def _self_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def time_searches(kb: str, repeat: int = 3) -> dict:
    """Warm hybrid `search()` (what `scrutiny search` calls) per filter: p50/p95 of the whole call, and of its
    parts timed inside it: the keyword ranking (PostgreSQL, engine._bm25_list), the query's embedding and the
    Chroma server's nearest-neighbour search (server.chroma_query: the collection and the query). The
    embedding and the Chroma search run in a second thread while PostgreSQL ranks, so the parts overlap; the
    rest of the call is the filter's documents, fetching the hits' rows and fusing."""
    from search_speed import pct, queries

    from kb.search import engine, search, server
    from kb.search.embed import get_embedder
    from kb.store import open_store

    store = open_store(kb)
    emb = get_embedder(store.home)
    parts: dict[str, float] = {}

    def timer(name, fn):
        def wrapped(*a, **kw):
            t = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                parts[name] = parts.get(name, 0.0) + (time.perf_counter() - t) * 1000
        return wrapped

    orig = engine._bm25_list, server.chroma_query, emb.embed
    engine._bm25_list, server.chroma_query, emb.embed = (timer("keyword", orig[0]), timer("dense", orig[1]),
                                                          timer("embed", orig[2]))
    qs = queries()
    out = {}
    try:
        for q in qs:  # warm: the first call of each query (document frequencies counted, pages read)
            for f in SEARCH_FILTERS.values():
                search(store, q, **f)
        for label, f in SEARCH_FILTERS.items():
            rows = []
            for _ in range(repeat):
                for q in qs:
                    parts.clear()
                    t = time.perf_counter()
                    search(store, q, **f)
                    total = (time.perf_counter() - t) * 1000
                    rows.append((total, parts.get("keyword", 0.0), parts.get("dense", 0.0), parts.get("embed", 0.0)))
            cols = list(zip(*rows))
            out[label] = {name: (statistics.median(xs), pct(xs, 95)) for name, xs in
                          zip(("total", "keyword", "dense", "embed"), cols)}
            out[label]["n"] = len(rows)
            slow = sorted(zip(cols[0], cols[1], [q for _ in range(repeat) for q in qs]), reverse=True)[:2]
            out[label]["slowest"] = [(round(t), round(k), q) for t, k, q in slow]
    finally:
        engine._bm25_list, server.chroma_query, emb.embed = orig
        store.close()
    return out


def search_bench(kb: str, servers: dict, sizes: list[int], per_doc: int, time_only: bool = False,
                 stop_at: float | None = None) -> None:
    """Grow the server KB `kb` to each size in turn (one KB: 100,000 then 1,000,000 adds 900,000) and time its
    searches there. `servers`: pg_pid, chroma_pid, chroma_dir, for the memory and sizes said."""
    from kb.store import open_store

    def servers_mb() -> float:
        return _rss_mb(servers["pg_pid"]) + _rss_mb(servers["chroma_pid"])

    for n in sizes:
        if not time_only:
            print(f"server KB grown to {n} synthetic passages ({n // per_doc} documents of {per_doc}):", flush=True)
            b = build_search_kb(kb, n, per_doc, stop_at=stop_at)
            print(f"  built: {b['chunks']} passages, {b['vectors']} vectors, {b['docs']} documents from "
                  f"{b['real_docs']} real ones ({b['windows']} windows embedded in {b['embed_s']:.0f} s); added in "
                  f"{b['fill_s']:.0f} s (PostgreSQL side {b['pg_s']:.0f} s, Chroma writes {b['chroma_s']:.0f} s, "
                  f"overlapping), VACUUM ANALYZE {b['vacuum_s']:.0f} s", flush=True)
        with open_store(kb) as store:
            n_chunks = store.db.execute("SELECT count(*) FROM chunks").fetchone()[0]
            sizes_b = {r[0]: r[1] for r in store.db.execute(
                "SELECT 'database', pg_database_size(current_database()) UNION ALL"
                " SELECT 'chunks (with its indexes and TOAST)', pg_total_relation_size('chunks') UNION ALL"
                " SELECT 'chunks_tsv (GIN)', pg_relation_size('chunks_tsv')")}
        print(f"  {n_chunks} passages; sizes: " + ", ".join(f"{k} {v / 2**20:.0f} MB" for k, v in sizes_b.items()) +
              f"; Chroma server folder {_du_mb(Path(servers['chroma_dir'])):.0f} MB", flush=True)
        before = servers_mb()
        res = time_searches(kb)
        print(f"  memory: this process peak {_self_mb():.0f} MB; PostgreSQL + Chroma server resident "
              f"{before:.0f} MB before the searches, {servers_mb():.0f} MB after")
        print(f"  warm hybrid search(), ms: {'p50':>7} {'p95':>7}   keyword p50/p95   dense p50/p95   "
              "query embedding p50/p95")
        for label, r in res.items():
            print(f"    {label:12} {r['total'][0]:7.1f} {r['total'][1]:7.1f}   {r['keyword'][0]:7.1f} "
                  f"{r['keyword'][1]:7.1f}   {r['dense'][0]:6.1f} {r['dense'][1]:6.1f}   {r['embed'][0]:6.1f} "
                  f"{r['embed'][1]:6.1f}   (n={r['n']}; slowest total/keyword: {r['slowest']})", flush=True)


def serve(path: Path) -> None:
    """Start throwaway servers and a fresh server KB in them, say where in the JSON file `path`, and keep them
    until interrupted (for --search --servers: grow the KB in steps, time it again after a change)."""
    import json
    import signal

    from _kb import SERVERS

    with contextlib.ExitStack() as stack:
        kb = throwaway_servers(stack)()
        path.write_text(json.dumps({"kb": kb, "vectors": os.environ["SCRUTINY_VECTORS"], "pg_pid": _pg_pid(),
                                    "chroma_pid": SERVERS["chroma"].proc.pid,
                                    "chroma_dir": str(SERVERS["chroma"].dir / "data")}))
        print(f"servers up: {path.read_text()}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            signal.signal(signal.SIGTERM, signal.default_int_handler)
            while True:
                time.sleep(3600)


def _du_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--procs", default="1,2,4")
    ap.add_argument("--no-extract", action="store_true")
    ap.add_argument("--search", help="Sizes (passages) of the synthetic server KBs to time searches on, e.g. 100000,1000000")
    ap.add_argument("--per-doc", type=int, default=50, help="Passages per synthetic document (--search)")
    ap.add_argument("--serve", type=Path, metavar="FILE", help="Start the servers and a KB, say where in FILE, wait")
    ap.add_argument("--servers", type=Path, metavar="FILE", help="--search in the servers --serve started")
    ap.add_argument("--time-only", action="store_true", help="--search --servers: time the KB as it is")
    ap.add_argument("--build-until", metavar="HH:MM", help="Stop growing the KB at this UTC time, and time it there")
    args = ap.parse_args()
    if args.serve:
        return serve(args.serve)
    if args.search or args.time_only:
        sizes = [int(x) for x in (args.search or "0").split(",")]
        stop_at = None
        if args.build_until:
            import datetime as dt

            now = dt.datetime.now(dt.UTC)
            h, m = map(int, args.build_until.split(":"))
            stop_at = now.replace(hour=h, minute=m, second=0).timestamp()
        if args.servers:
            import json

            where = json.loads(args.servers.read_text())
            os.environ["SCRUTINY_VECTORS"] = where["vectors"]
            return search_bench(where["kb"], where, sizes, args.per_doc, args.time_only, stop_at)
        from _kb import SERVERS

        with contextlib.ExitStack() as stack:
            kb = throwaway_servers(stack)()
            search_bench(kb, {"pg_pid": _pg_pid(), "chroma_pid": SERVERS["chroma"].proc.pid,
                              "chroma_dir": SERVERS["chroma"].dir / "data"}, sizes, args.per_doc, stop_at=stop_at)
        return
    paths = args.paths or [str(p) for p in (ROOT / "corpus" / "published", SHARED / "seeds") if p.exists()]
    from kb.store import open_store

    with contextlib.ExitStack() as stack:
        new_kb = throwaway_servers(stack)
        base = None
        print(f"{'processes':>9} {'seconds':>8} {'files read':>10} {'pages/s':>8} {'ratio':>6}")
        for n in [int(x) for x in args.procs.split(",")]:
            kb = new_kb()
            open_store(kb).close()  # migrated before the processes start
            seconds, read = run(kb, paths, n, not args.no_extract)
            with open_store(kb) as store:
                pages, docs = store.total_pages(), store.counts()["documents"]
            rate = pages / seconds
            base = base or rate
            print(f"{n:9} {seconds:8.1f} {read:10} {rate:8.2f} {rate / base:6.2f}"
                  f"{'' if read == docs else f'  (files read {read}, documents stored {docs})'}")


if __name__ == "__main__":
    main()
