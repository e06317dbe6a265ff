"""Ingest speed: a first ingest of the corpus against a re-run over the same, unchanged files.

usage: python bench/ingest_speed.py [PATH ...] [--workers N] [--no-extract]

Defaults to corpus/published plus ../shared/seeds and ../shared/corpus-real when present.
Prints files, pages and seconds for both runs and the re-run's share of the first
(the target: under 5%).
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _kb import ROOT, SHARED  # also puts the project on sys.path, offline model settings


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--no-extract", action="store_true")
    args = ap.parse_args()
    paths = args.paths or [str(p) for p in (ROOT / "corpus" / "published", SHARED / "seeds",
                                            SHARED / "corpus-real") if p.exists()]
    from ingest.pipeline import ingest
    from kb.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "kb")
        t0 = time.perf_counter()
        first = ingest(store, paths, workers=args.workers, with_extraction=not args.no_extract)
        t1 = time.perf_counter()
        second = ingest(store, paths, workers=args.workers, with_extraction=not args.no_extract)
        t2 = time.perf_counter()
        pages = store.total_pages()
        words = sum(len(t.split()) for t in store.block_texts())
        c1, c2 = first.count(), second.count()
        print(f"paths: {', '.join(paths)}")
        print(f"workers: {args.workers}, extraction: {'off' if args.no_extract else 'on'}")
        print(f"first run : {t1 - t0:8.2f} s  {dict(c1)}")
        print(f"            {pages} pages, {words} words stored: {pages / (t1 - t0):.1f} pages/s, "
              f"{words / (t1 - t0):.0f} words/s")
        print(f"re-run    : {t2 - t1:8.2f} s  {dict(c2)}")
        print(f"re-run / first run: {100 * (t2 - t1) / (t1 - t0):.2f}% (target < 5%)")
        slow = sorted((o for o in first.outcomes if o.seconds), key=lambda o: -o.seconds)[:5]
        print("slowest files:")
        for o in slow:
            print(f"  {o.seconds:6.2f} s  {o.source}")
        store.close()


if __name__ == "__main__":
    main()
