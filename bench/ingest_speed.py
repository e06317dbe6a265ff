"""Ingest speed (issue #17): pages per second for each stage and for the whole ingest, beside the limit of
reading (pypdfium2's plain text of the same PDFs), the unchanged re-run's share, and the peak memory.

usage: python bench/ingest_speed.py [PATH ...] [--workers N] [--skip-stages]

Defaults to ../shared/corpus-real (corpus/published where it is absent). Every ingest is the real
`scrutiny ingest` command in its own process, timed as a whole (start-up, worker warm-up and all), into a
fresh KB:

- parse alone: `--no-extract --no-index`; parse + extraction: `--no-index`;
- full: parse, extraction and the passages embedded (in the workers) and stored in the search index;
- re-run: the same full command again over the unchanged files (target: under 5% of the first);

and the PDFs' plain text with pypdfium2 in this process (one core: the ceiling on reading). Peak memory is
the largest sum of the resident memory of the ingest's processes (parent and workers), sampled from /proc.
Targets: the full ingest at least 20 pages/s on two cores, parse alone at least 0.1 of pypdfium2's rate.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _kb import ROOT, SHARED  # also puts the project on sys.path, offline model settings


def _tree_rss_mb(pid: int) -> float:
    """Resident memory of `pid` and its descendants, MB (Linux /proc; 0 elsewhere)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo.extend(children.get(p, []))
    return total / 2**20


def run(home: Path, paths: list[str], workers: int, *flags: str) -> tuple[float, float, str]:
    """(seconds, peak MB of the process tree, last line of output) of one `scrutiny ingest`."""
    cmd = [sys.executable, "-m", "cli", "--kb", str(home), "ingest", "-q", "-j", str(workers), *flags, *paths]
    started = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = [0.0]

    def sample():
        while p.poll() is None:
            peak[0] = max(peak[0], _tree_rss_mb(p.pid))
            time.sleep(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = p.communicate()
    seconds = time.perf_counter() - started
    sampler.join()
    lines = [x for x in out.splitlines() if x.strip()]
    return seconds, peak[0], lines[-1] if lines else ""


def pdfium_rate(paths: list[str]) -> tuple[int, float]:
    """(pages, seconds) of pypdfium2's plain text of every PDF under `paths`, in this process."""
    import pypdfium2 as pdfium

    pdfs = [f for p in paths for f in (Path(p).rglob("*") if Path(p).is_dir() else [Path(p)])
            if f.suffix.lower() == ".pdf"]
    pages, started = 0, time.perf_counter()
    for f in pdfs:
        try:
            doc = pdfium.PdfDocument(str(f))
        except pdfium.PdfiumError:
            continue
        for i in range(len(doc)):
            page = doc[i]
            page.get_textpage().get_text_range()
            pages += 1
        doc.close()
    return pages, time.perf_counter() - started


def stored_pages(home: Path, pdf_only: bool = False) -> int:
    from kb.store import open_store

    with open_store(home, readonly=True) as store:
        return sum(d.get("pages") or 0 for d in store.documents() if not pdf_only or d.get("format") == "pdf")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--skip-stages", action="store_true", help="only the full ingest and its re-run")
    args = ap.parse_args()
    paths = args.paths or [str(p) for p in (SHARED / "corpus-real",) if p.exists()] or \
        [str(ROOT / "corpus" / "published")]
    limit_pages, limit_s = pdfium_rate(paths)
    print(f"ingest speed over {', '.join(paths)} with {args.workers} workers ({os.cpu_count()} cores)")
    print(f"  pypdfium2 plain text   {limit_pages:5d} PDF pages in {limit_s:6.1f} s = "
          f"{limit_pages / limit_s:6.1f} pages/s (one process: the ceiling on reading)")
    limit = limit_pages / limit_s
    with tempfile.TemporaryDirectory() as tmp:
        stages = [] if args.skip_stages else [("parse alone", ("--no-extract", "--no-index")),
                                               ("parse + extraction", ("--no-index",))]
        for n, (name, flags) in enumerate([*stages, ("full (with embedding)", ())]):
            home = Path(tmp) / f"kb{n}"  # a fresh KB for each
            seconds, peak, last = run(home, paths, args.workers, *flags)
            pages = stored_pages(home)
            rate = pages / seconds
            print(f"  {name:22} {pages:5d} pages in {seconds:6.1f} s = {rate:6.1f} pages/s "
                  f"({rate / limit:.2f} of pypdfium2), peak {peak:,.0f} MB   [{last}]")
        again, peak, last = run(home, paths, args.workers)
        print(f"  unchanged re-run       {again:6.1f} s = {again / seconds:.1%} of the first (target < 5%), "
              f"peak {peak:,.0f} MB   [{last}]")


if __name__ == "__main__":
    main()
