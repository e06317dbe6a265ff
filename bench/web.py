"""Page times of the web workspace: p50/p95 per page, over real HTTP to the uvicorn server `scrutiny serve`
runs, on the corpus KB (corpus/published, ingested with extraction) and on the 100,000-passage KB of
bench/search_speed.py (synthetic documents of real text, no records).

    python bench/web.py [--kb DIR] [--big DIR] [--chunks 100000] [-n 20] [--no-big]

--kb reuses a KB of corpus/published (`make demo` builds demo-kb), else one is built in a temporary folder;
--big reuses (or builds and keeps) the large KB. Each page is fetched once to warm it (the first search loads
the embedding model), then n times; searches rotate over the seed queries. Figures only; nothing is asserted.
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from _kb import ROOT, build_kb

QUERIES = ["children in care rate", "agency social workers", "Ofsted judgement", "family safeguarding teams",
           "domestic abuse recommendations", "recruiting mental health workers", "caseloads", "go live date"]


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(p / 100 * (len(xs) - 1)))]


def time_pages(url: str, pages: list[tuple[str, list[str]]], n: int) -> None:
    import httpx

    with httpx.Client(base_url=url, timeout=120) as c:
        for name, paths in pages:
            for p in paths[:2]:
                r = c.get(p)  # warm: the first search loads the model, the first tracker links actions
                if r.status_code != 200:
                    raise SystemExit(f"{p}: HTTP {r.status_code}: {r.text[:300]}")
            ms = []
            for i in range(n):
                t = time.perf_counter()
                r = c.get(paths[i % len(paths)])
                ms.append((time.perf_counter() - t) * 1000)
                assert r.status_code == 200, (paths[i % len(paths)], r.status_code)
            print(f"  {name:34} p50 {statistics.median(ms):7.1f} ms   p95 {pct(ms, 95):7.1f} ms   "
                  f"({len(r.content) // 1024} KB, n={n})")


def pages_of(home: Path, big: bool) -> list[tuple[str, list[str]]]:
    from urllib.parse import quote_plus

    from kb.store import open_store

    with open_store(home) as s:
        docs = s.documents()
        auths = sorted({d["authority"] for d in docs if d.get("authority")})
        counts = s.block_counts()
    doc = max(docs, key=lambda d: counts.get(d["id"], 0))["id"] if counts else docs[len(docs) // 2]["id"]
    a = quote_plus("Blackpool Council" if "Blackpool Council" in auths else auths[0])
    cmp = "&".join(f"authority={quote_plus(x)}" for x in auths[:3])
    return [
        ("Search (the form)", ["/search"]),
        ("Search (a query, warm)", [f"/search?q={quote_plus(q)}" for q in QUERIES]),
        ("Search (a query and an authority)", [f"/search?q={quote_plus(q)}&authority={a}" for q in QUERIES]),
        ("Documents", ["/documents"] if not big else [f"/documents?authority={a}"]),
        ("Document" + (" (no text: synthetic)" if big else " (the longest)"), [f"/documents/{doc}"]),
        ("Authority", [f"/authorities/{a}"]),
        ("Tracker", ["/tracker?as_of=2026-11-23"]),
        ("Compare (3 authorities)", [f"/compare?{cmp}&topic=family+safeguarding&as_of=2026-11-23"]),
        ("Timeline", [f"/timeline?authority={a}&as_of=2026-11-23"]),
        ("Ingest", ["/ingest"]),
        ("API search", [f"/api/search?q={quote_plus(q)}&limit=10" for q in QUERIES]),
        ("API actions", ["/api/actions?as_of=2026-11-23"]),
    ]


def corpus_kb(tmp: Path) -> Path:
    from click.testing import CliRunner

    from cli.main import cli

    home = tmp / "corpus"
    t = time.perf_counter()
    r = CliRunner().invoke(cli, ["--kb", str(home), "ingest", "-q", str(ROOT / "corpus" / "published")])
    if r.exit_code:
        raise SystemExit(r.output)
    print(f"corpus KB built in {time.perf_counter() - t:.0f}s")
    return home


def big_kb(tmp: Path, keep: Path | None, chunks: int) -> Path:
    from search_speed import build_large

    home = keep or tmp / "big"
    if not (home / "vectors.npy").exists():
        seeds = build_kb(tmp / "seeds", ROOT / "corpus" / "text")
        build_large(home, chunks, seeds)
        seeds.close()
    return home


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kb", type=Path, help="A KB of corpus/published to reuse (e.g. demo-kb).")
    ap.add_argument("--big", type=Path, help="Where the 100,000-passage KB is (or is to be kept).")
    ap.add_argument("--chunks", type=int, default=100_000)
    ap.add_argument("-n", type=int, default=20, help="Requests per page after warming.")
    ap.add_argument("--no-big", action="store_true", help="Only the corpus KB.")
    args = ap.parse_args()
    from reports.web.core import Settings
    from reports.web.live import serving

    with tempfile.TemporaryDirectory() as tmp:
        home = args.kb or corpus_kb(Path(tmp))
        print(f"corpus KB ({home}):")
        with serving(Settings(home=home)) as url:
            time_pages(url, pages_of(home, big=False), args.n)
        if args.no_big:
            return 0
        big = big_kb(Path(tmp), args.big, args.chunks)
        from kb.store import open_store

        with open_store(big) as s:
            n = s.passage_count()
        print(f"large KB ({n} passages, {big}):")
        with serving(Settings(home=big)) as url:
            time_pages(url, pages_of(big, big=True), args.n)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
