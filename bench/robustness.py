"""Robustness: ingest the real malformed, encrypted and odd PDFs (../shared/robust-pdfs) and
print how many were stored, how many rejected (by reason), the slowest files and peak memory; then
run the generated hostile set (bench/hostile.py: a FIFO, links to devices, names that are not UTF-8,
bad manifests, HTML nested 100,000 deep, a DOCX of 100,000 paragraphs, a full disk, a damaged store,
a parent killed mid-ingest) and print, per case, whether it held, seconds and peak memory.

usage: python bench/robustness.py [PATH ...] [--extract] [--file-timeout S] [--workers N]
                                  [--hostile-only | --no-hostile]
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _kb import SHARED  # also puts the project on sys.path, offline model settings


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--extract", action="store_true", help="run extraction too (slower)")
    ap.add_argument("--file-timeout", type=float, default=60)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--hostile-only", action="store_true", help="only the generated hostile set")
    ap.add_argument("--no-hostile", action="store_true", help="only the real PDFs")
    args = ap.parse_args()
    if not args.hostile_only:
        real_pdfs(args)
    if not args.no_hostile:
        hostile_set()


def hostile_set() -> None:
    from hostile import run_all

    print("\ngenerated hostile set:")
    print(f"  {'case':44} {'held':5} {'seconds':>8} {'peak MB':>8}  what was said")
    results = []
    for r in run_all():
        results.append(r)
        print(f"  {r.case:44} {'yes' if r.held else 'NO':5} {r.seconds:8.1f} {r.peak_mb:8.0f}  {r.note}", flush=True)
    print(f"  {sum(r.held for r in results)} of {len(results)} held")


def real_pdfs(args) -> None:
    paths = args.paths or [str(SHARED / "robust-pdfs")]
    if not all(Path(p).exists() for p in paths):
        print(f"skipped: {', '.join(paths)} not present")
        return
    from ingest.pipeline import ingest
    from kb.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "kb")
        t0 = time.perf_counter()
        summary = ingest(store, paths, workers=args.workers, with_extraction=args.extract,
                         file_timeout=args.file_timeout)
        wall = time.perf_counter() - t0
        counts = summary.count()
        print(f"{sum(counts.values())} files in {wall:.1f} s ({args.workers} workers, "
              f"extraction {'on' if args.extract else 'off'}, timeout {args.file_timeout:g} s)")
        for status in ("ingested", "unchanged", "skipped", "failed"):
            print(f"  {status:10} {counts.get(status, 0)}")
        reasons = Counter(re.sub(r"\s*\(.*$|: .*$", "", o.reason or "") for o in summary.failed + summary.skipped)
        print("rejected, by reason:")
        for reason, n in reasons.most_common():
            print(f"  {n:4}  {reason}")
        warned = sum(1 for d in store.documents(copies=True) if "OCR" in str(d.get("warnings") or "").upper())
        print(f"stored with pages needing OCR: {warned}")
        print("slowest files:")
        for o in sorted(summary.outcomes, key=lambda o: -o.seconds)[:8]:
            print(f"  {o.seconds:6.2f} s  {o.status:8} {Path(o.source).relative_to(paths[0]) if paths[0] in o.source else o.source}")
        me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"peak memory: this process {me:.0f} MB, largest worker {kids:.0f} MB")
        store.close()


if __name__ == "__main__":
    main()
