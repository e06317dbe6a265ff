"""OCR: of the PDFs read today as "no text layer (needs OCR)", how many give text with Tesseract, and how fast.

usage: python bench/ocr.py [PATH ...] [--per-file SECONDS] [--min-chars N] [--scan PDF] [--pages N]

Defaults to ../shared/robust-pdfs. Each PDF is parsed without OCR first; those refused as "no text layer
(needs OCR)" are parsed again with OCR (at most --per-file seconds each, as a file's time limit would
allow). Prints, per file, the pages read and the characters found, then how many gave text (at least
--min-chars letters and digits), the seconds per page and the pages per second on this machine.

Those fixtures are mostly pictures, so the speed on pages of text is measured on a made scan too: the
first --pages pages of --scan (a council paper with a text layer; default one from ../shared/corpus-real)
rendered at 200 dpi into an image-only PDF, read back by OCR, its words compared with the text layer's.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _kb import SHARED  # also puts the project on sys.path, offline model settings


def needs_ocr(paths: list[Path]) -> list[Path]:
    from ingest.parsers import NoText, ParseError, parse_file

    out = []
    for p in paths:
        try:
            parse_file(p, ocr="never", convert=False)
        except NoText as e:
            if "needs OCR" in str(e):
                out.append(p)
        except ParseError:
            pass
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--per-file", type=float, default=120.0)
    ap.add_argument("--min-chars", type=int, default=200)
    ap.add_argument("--scan", default=str(SHARED / "corpus-real" / "council-assistant" /
                                          "cabinet_2025-01-30__Printed minutes 30th-Jan-2025 10.00 Cabinet.pdf"))
    ap.add_argument("--pages", type=int, default=4)
    args = ap.parse_args()
    from ingest.parsers import ParseError, parse_file
    from ingest.parsers.ocr import available

    if not available():
        sys.exit("Tesseract is not installed (apt-get install tesseract-ocr; pip install pytesseract)")
    roots = [Path(p) for p in args.paths] or [SHARED / "robust-pdfs"]
    pdfs = sorted(f for r in roots for f in ([r] if r.is_file() else r.rglob("*")) if f.suffix.lower() == ".pdf")
    todo = needs_ocr(pdfs)
    print(f"{len(todo)} of {len(pdfs)} PDFs read without OCR as 'no text layer (needs OCR)'")
    legible = pages = 0
    seconds = 0.0
    for p in todo:
        t0 = time.perf_counter()
        try:
            doc = parse_file(p, ocr="always", deadline=time.monotonic() + args.per_file, convert=False)
            read = sum(1 for b in doc.blocks if b.ocr)
            chars = sum(ch.isalnum() for b in doc.blocks for ch in b.text)
            ocr_pages = len({b.page for b in doc.blocks if b.ocr})
            stopped = any("OCR stopped" in w for w in doc.warnings)
            done = doc.pages if not stopped else ocr_pages
            note = f"{read} blocks, {chars} chars" + (" (stopped at the time limit)" if stopped else "")
        except ParseError as e:
            chars, done, note = 0, None, f"no text: {e}"
        dt = time.perf_counter() - t0
        done = done if done is not None else _page_count(p)
        pages += done
        seconds += dt
        legible += chars >= args.min_chars
        print(f"  {p.relative_to(p.parents[1])}: {done} page(s), {dt:.1f} s, {note}")
    if pages:
        print(f"{legible} of {len(todo)} give text (>= {args.min_chars} letters/digits); "
              f"{pages} pages in {seconds:.1f} s: {seconds / pages:.2f} s/page, {pages / seconds:.2f} pages/s")
    if Path(args.scan).is_file():
        made_scan(Path(args.scan), args.pages)


def image_pdf(data: bytes, pages: int, dpi: int = 200) -> bytes:
    """The first `pages` pages of a PDF as an image-only PDF (what a scanner gives), at `dpi`."""
    import io

    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        images = [doc[i].render(scale=dpi / 72, grayscale=True).to_pil() for i in range(min(pages, len(doc)))]
    finally:
        doc.close()
    out = io.BytesIO()
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return out.getvalue()


def made_scan(path: Path, pages: int) -> None:
    import re

    from ingest.parsers import parse_file

    original = parse_file(path)
    scan = image_pdf(path.read_bytes(), pages)
    t0 = time.perf_counter()
    doc = parse_file(Path("scan.pdf"), scan, ocr="always")
    dt = time.perf_counter() - t0
    n = doc.pages or pages

    def words(blocks) -> list[str]:
        return re.findall(r"[a-z0-9]+", " ".join(b.text for b in blocks if (b.page or 0) <= n).lower())

    from collections import Counter

    want, got = Counter(words(original.blocks)), Counter(words(doc.blocks))
    recall = sum(min(k, got[w]) for w, k in want.items()) / max(sum(want.values()), 1)
    print(f"made scan ({path.name}, {n} pages at 200 dpi): {dt:.1f} s, {dt / n:.2f} s/page, "
          f"{n / dt:.2f} pages/s; {recall:.0%} of the text layer's words found by OCR")


def _page_count(p: Path) -> int:
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(str(p))
        try:
            return len(doc)
        finally:
            doc.close()
    except Exception:
        return 0


if __name__ == "__main__":
    main()
