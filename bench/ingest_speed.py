"""Ingest speed (issue #17): pages per second for each stage and for the whole ingest, beside the limit of
reading (pypdfium2's plain text of the same PDFs), the unchanged re-run's share, and the peak memory.

usage: python bench/ingest_speed.py [PATH ...] [--workers N] [--skip-stages] [--profile FILES]

Defaults to ../shared/corpus-real (corpus/published where it is absent). Every ingest is the real
`scrutiny ingest` command in its own process, timed as a whole (start-up, worker warm-up and all), into a
fresh KB:

- parse alone: `--no-extract --no-index`; parse + extraction: `--no-index`;
- full: parse, extraction and the passages embedded (in the workers) and stored in the search index;
- re-run: the same full command again over the unchanged files (target: under 5% of the first);

and the PDFs' plain text with pypdfium2 in this process (one core: the ceiling on reading). Peak memory is
the largest sum of the resident memory of the ingest's processes (parent and workers), sampled from /proc.
Before the runs: the share of PDF pages the parser reads on each path (pdfium alone, or pdfplumber's table
finder for pages that draw ruling), and a profile of parsing and extracting a few files in one process, its top
lines by own time. Targets: the full ingest at least 20 pages/s on two cores, parse alone at least 0.1 of pypdfium2's rate.
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


def _files(paths: list[str], suffixes: tuple[str, ...] | None = None) -> list[Path]:
    found = sorted(f for p in paths for f in (Path(p).rglob("*") if Path(p).is_dir() else [Path(p)]) if f.is_file())
    return [f for f in found if suffixes is None or f.suffix.lower() in suffixes]


def _pdf_pages(paths: list[str]):
    """Every page of every PDF under `paths` that pypdfium2 opens, as pypdfium2 pages."""
    import pypdfium2 as pdfium

    for f in _files(paths, (".pdf",)):
        try:
            doc = pdfium.PdfDocument(str(f))
        except pdfium.PdfiumError:
            continue
        for i in range(len(doc)):
            yield doc[i]
        doc.close()


def pdfium_rate(paths: list[str]) -> tuple[int, float]:
    """(pages, seconds) of pypdfium2's plain text of every PDF under `paths`, in this process."""
    pages, started = 0, time.perf_counter()
    for page in _pdf_pages(paths):
        page.get_textpage().get_text_range()
        pages += 1
    return pages, time.perf_counter() - started


def table_path_share(paths: list[str]) -> tuple[int, int]:
    """(PDF pages, of which pages the parser sends to pdfplumber's table finder): the parser's own test."""
    from ingest.parsers.pdf import _may_hold_table

    pages = tabled = 0
    for page in _pdf_pages(paths):
        pages += 1
        tabled += bool(_may_hold_table(page))
    return pages, tabled


def profile(paths: list[str], files: int, top: int = 20) -> None:
    """cProfile of parsing and extracting `files` files spread over `paths`, in this process (one core)."""
    import cProfile
    import pstats

    from ingest.parsers import parse_file
    from nlp.extract import extract
    from nlp.spacy_pipeline import get_nlp, get_parser_nlp

    get_nlp(), get_parser_nlp()  # model loading is not what is profiled
    every = _files(paths, (".pdf", ".html", ".htm", ".docx", ".pptx", ".txt", ".md"))
    chosen = every[::max(1, len(every) // files)][:files]
    extract(parse_file(chosen[0]), {"kind": None, "meeting_date": None, "authority": None})  # one-time costs
    prof = cProfile.Profile()  # (lazy imports, soupsieve's and spaCy's first calls) left out, as in a worker
    for f in chosen:
        prof.enable()
        try:
            doc = parse_file(f)
            extract(doc, {"kind": None, "meeting_date": None, "authority": None})
        except Exception as e:  # noqa: BLE001 - a bench: a file that fails is named and skipped
            print(f"  (profile: {f.name} skipped: {type(e).__name__})")
        finally:
            prof.disable()
    stats = pstats.Stats(prof)
    print(f"  profile of parse + extraction, {len(chosen)} files, {stats.total_tt:.1f} s; top {top} by own time:")
    width = 100
    rows = sorted(stats.stats.items(), key=lambda kv: kv[1][2], reverse=True)[:top]
    for (file, line, func), (_, calls, own, cum, _) in rows:
        where = f"{Path(file).parent.name}/{Path(file).name}:{line} {func}"[-60:]
        print(f"    {own:7.2f} s own {cum:7.2f} s cum {calls:9d} calls  {where}"[:width])


def stored_pages(home: Path, pdf_only: bool = False) -> int:
    from kb.store import open_store

    with open_store(home, readonly=True) as store:
        return sum(d.get("pages") or 0 for d in store.documents() if not pdf_only or d.get("format") == "pdf")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--skip-stages", action="store_true", help="only the full ingest and its re-run")
    ap.add_argument("--profile", type=int, default=12, metavar="FILES",
                    help="profile parse + extraction of this many files (0: no profile)")
    args = ap.parse_args()
    paths = args.paths or [str(p) for p in (SHARED / "corpus-real",) if p.exists()] or \
        [str(ROOT / "corpus" / "published")]
    limit_pages, limit_s = pdfium_rate(paths)
    print(f"ingest speed over {', '.join(paths)} with {args.workers} workers ({os.cpu_count()} cores)")
    print(f"  pypdfium2 plain text   {limit_pages:5d} PDF pages in {limit_s:6.1f} s = "
          f"{limit_pages / limit_s:6.1f} pages/s (one process: the ceiling on reading)")
    limit = limit_pages / limit_s
    pdf_pages, tabled = table_path_share(paths)
    print(f"  PDF pages by path: {pdf_pages - tabled} on pdfium's fast path, {tabled} "
          f"({tabled / max(pdf_pages, 1):.0%}) through pdfplumber's table finder (they draw ruling)")
    if args.profile:
        profile(paths, args.profile)
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
