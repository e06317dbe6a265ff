"""OCR for PDF pages with no text layer: each page rendered with pypdfium2 and read with Tesseract
(through pytesseract), its words grouped into lines with their positions so the PDF parser's layout
(paragraphs from line gaps, running headers) applies to them as to any other page.

Modes (`scrutiny ingest --ocr`): ``auto`` reads such pages when Tesseract is installed, ``always``
requires it (an error naming what to install when it is missing), ``never`` leaves them unread (the
"no text layer (needs OCR)" warning). Blocks read by OCR carry ``ocr=True``, and so do the records
extracted from them.
"""
from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass

OCR_MODES = ("auto", "always", "never")
DPI = 300  # Tesseract reads body text best at about 300 dpi
MAX_SIDE_PX = 5000  # a page drawn larger than this (a poster, a plan) is rendered smaller
MIN_WORD_CONF = 30  # Tesseract's confidence (0-100) below which a word is taken as noise (a stamp, a photo)
MIN_LINE_CONF = 45  # a line whose words average less than this is dropped as noise
LANG = "eng"
INSTALL_HINT = "install Tesseract (Debian/Ubuntu: apt-get install tesseract-ocr; macOS: brew install tesseract)"


class OcrUnavailable(Exception):
    """--ocr always, and Tesseract (or pytesseract) is missing."""


def tesseract_path() -> str | None:
    """The tesseract binary on PATH (or SCRUTINY_TESSERACT; "none" turns OCR off), else None."""
    named = os.environ.get("SCRUTINY_TESSERACT")
    if named is not None:
        return None if named.lower() in ("", "none", "off") else shutil.which(named)
    return shutil.which("tesseract")


def available() -> bool:
    if tesseract_path() is None:
        return False
    try:
        import pytesseract  # noqa: F401
    except ImportError:
        return False
    return True


def check_mode(mode: str) -> bool:
    """Whether pages with no text layer are to be read by OCR under `mode`; raises OcrUnavailable
    for ``always`` without Tesseract and ValueError for an unknown mode."""
    if mode not in OCR_MODES:
        raise ValueError(f"unknown OCR mode {mode!r} (one of {', '.join(OCR_MODES)})")
    if mode == "never":
        return False
    if available():
        return True
    if mode == "always":
        raise OcrUnavailable(f"--ocr always: Tesseract is not installed; {INSTALL_HINT}")
    return False


@dataclass
class OcrLine:
    text: str
    top: float  # points from the top of the page
    bottom: float
    x0: float
    x1: float
    size: float  # height of the line's boxes, points


def _render(page, dpi: int = DPI):
    """The page as a greyscale PIL image at `dpi`, smaller where it would exceed MAX_SIDE_PX; and the
    scale used (pixels per point)."""
    width, height = page.get_size()
    scale = min(dpi / 72.0, MAX_SIDE_PX / max(width, height, 1.0))
    bitmap = page.render(scale=scale, grayscale=True)
    try:
        return bitmap.to_pil(), scale
    finally:
        bitmap.close()


def _lines(data: dict, scale: float) -> list[OcrLine]:
    """pytesseract's image_to_data (DICT) as lines of confident words, top to bottom."""
    groups: dict[tuple, list[int]] = {}
    for i, word in enumerate(data["text"]):
        if not word.strip() or float(data["conf"][i]) < MIN_WORD_CONF:
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        groups.setdefault(key, []).append(i)
    out = []
    for idx in groups.values():
        conf = sum(float(data["conf"][i]) for i in idx) / len(idx)
        text = " ".join(data["text"][i].strip() for i in idx)
        if conf < MIN_LINE_CONF or sum(ch.isalnum() for ch in text) < 2:
            continue
        top = min(data["top"][i] for i in idx) / scale
        bottom = max(data["top"][i] + data["height"][i] for i in idx) / scale
        x0 = min(data["left"][i] for i in idx) / scale
        x1 = max(data["left"][i] + data["width"][i] for i in idx) / scale
        heights = sorted(data["height"][i] for i in idx)
        out.append(OcrLine(text, top, bottom, x0, x1, heights[len(heights) // 2] / scale))
    out.sort(key=lambda ln: (round(ln.top), ln.x0))
    return out


def read_page(page) -> list[OcrLine]:
    """The text lines Tesseract reads on a pypdfium2 page."""
    import pytesseract

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # one core a page: workers run pages side by side
    image, scale = _render(page)
    cmd = tesseract_path()
    if cmd:
        pytesseract.pytesseract.tesseract_cmd = cmd
    data = pytesseract.image_to_data(image, lang=LANG, config="--psm 3",
                                     output_type=pytesseract.Output.DICT)
    return _lines(data, scale)


def version() -> str:
    import pytesseract

    try:
        return f"Tesseract {pytesseract.get_tesseract_version()}"
    except Exception:
        return "Tesseract"


def read_pages(data: bytes, numbers: list[int], deadline: float | None = None) -> tuple[dict[int, list[OcrLine]], list[str]]:
    """OCR of the pages `numbers` (1-based) of a PDF: {page: lines}, and warnings (a page that could
    not be read, pages left unread when `deadline`, a time.monotonic() value, has passed)."""
    import pypdfium2 as pdfium

    out: dict[int, list[OcrLine]] = {}
    warnings: list[str] = []
    try:
        doc = pdfium.PdfDocument(data)
    except Exception as e:  # pdfminer read the page list but pdfium cannot open the file
        return out, [f"OCR skipped: the PDF's pages cannot be rendered ({type(e).__name__}: {str(e)[:120]})"]
    try:
        for k, number in enumerate(numbers):
            if deadline is not None and time.monotonic() > deadline:
                left = numbers[k:]
                warnings.append(f"OCR stopped at the file's time limit: {len(left)} page(s) not read "
                                f"({_ranges(left)}); raise --file-timeout to read them")
                break
            page = doc[number - 1]
            try:
                out[number] = read_page(page)
            except Exception as e:
                warnings.append(f"page {number}: OCR failed ({type(e).__name__}: {str(e)[:120]})")
            finally:
                page.close()
    finally:
        doc.close()
    return out, warnings


def _ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 7] as "pages 1-3, 7"."""
    parts: list[str] = []
    start = prev = None
    for n in numbers:
        if start is None:
            start = prev = n
        elif n == prev + 1:
            prev = n
        else:
            parts.append(f"{start}-{prev}" if prev != start else str(start))
            start = prev = n
    if start is not None:
        parts.append(f"{start}-{prev}" if prev != start else str(start))
    return ("page " if len(numbers) == 1 else "pages ") + ", ".join(parts)
