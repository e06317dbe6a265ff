"""Finding the files an ingest reads, and the manifests that speak for them.

Everything here runs in the parent process before any file is parsed, so nothing here may hang or
stop the run: a name that is not valid UTF-8, a manifest that cannot be read or holds a bad value
is reported (an `Outcome` naming the file or manifest line) and the run carries on.
"""
from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

DOC_SUFFIXES = {".pdf", ".html", ".htm", ".docx", ".pptx", ".txt", ".md", ".markdown"}
LEGACY_SUFFIXES = {".doc", ".ppt", ".odt", ".odp", ".xls", ".rtf", ".ods"}
MANIFEST = "manifest.csv"
META_FIELDS = ("authority", "committee", "meeting_date", "kind", "url")
NONE_VALUES = {"-", "none", "n/a"}  # a manifest cell that says "none" (an empty cell means "infer it")
MANIFEST_MAX_BYTES = 16 * 1024 * 1024  # some 100,000 rows
MANIFEST_MAX_CELL = 1000  # characters in one metadata value (a committee's name is under 200)


@dataclass
class FileTask:
    path: Path  # where to read it
    source: str  # the path as the user gave it (relative where they gave a relative path), fit to store and print
    manifest: dict | None = None  # its manifest row, if a manifest.csv in its folder names it
    warnings: tuple[str, ...] = ()  # about the file itself (a name that is not valid UTF-8)


@dataclass
class Outcome:
    source: str
    status: str  # ingested | updated | unchanged | renamed | skipped | failed
    reason: str | None = None
    doc_id: str | None = None
    seconds: float = 0.0


def printable(path: str | os.PathLike) -> str:
    """A path as text that can be stored and printed: bytes of a name that are not UTF-8 (a
    Latin-1 "Comit\\xe9.pdf" from an old archive) are written as \\xNN escapes."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


class ManifestError(Exception):
    """A manifest that cannot be used at all (unreadable, too large, not CSV)."""


def _decode(data: bytes) -> str:
    """UTF-8 (with or without a BOM), else Windows-1252, which is what Excel on Windows saves."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _manifest_rows(text: str) -> Iterable[tuple[int, dict]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        for row in reader:
            yield reader.line_num, row
    except csv.Error as e:
        raise ManifestError(f"not readable as CSV after line {reader.line_num} ({e})") from None


def check_row(row: dict) -> tuple[dict, list[str]]:
    """A manifest row's metadata values, and what is wrong with any of them (that value is then
    left out, to be inferred from the document)."""
    values, problems = {}, []
    for k in META_FIELDS:
        v = (row.get(k) or "").strip() or None
        if v is not None and len(v) > MANIFEST_MAX_CELL:
            problems.append(f"its {k} is {len(v):,} characters long (at most {MANIFEST_MAX_CELL:,}); ignored")
            v = None
        values[k] = v
    return values, problems


def read_manifest(folder: Path) -> tuple[dict[str, dict], list[Outcome]]:
    """Rows of `folder/manifest.csv` keyed by the file path relative to the folder, and an Outcome
    for each problem (a manifest that cannot be used at all is ignored: its files are still read)."""
    path = folder / MANIFEST
    name = printable(path)
    try:
        if not path.is_file():
            return {}, []
        with open(path, "rb") as fh:
            data = fh.read(MANIFEST_MAX_BYTES + 1)
        if len(data) > MANIFEST_MAX_BYTES:
            raise ManifestError(f"larger than {MANIFEST_MAX_BYTES >> 20} MB")
        rows: dict[str, dict] = {}
        problems: list[Outcome] = []
        for line, row in _manifest_rows(_decode(data)):
            file = (row.get("file") or "").strip()
            if not file:
                continue
            rel = os.path.normpath(file)
            if rel.startswith("..") or os.path.isabs(rel):
                continue  # a manifest speaks only for files inside its own folder
            rows[rel], wrong = check_row(row)
            problems += [Outcome(f"{name} line {line}", "failed", f"{file}: {w}") for w in wrong]
        return rows, problems
    except (OSError, ManifestError) as e:
        reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
        return {}, [Outcome(name, "failed", f"manifest ignored: {reason}")]


def discover(paths: Iterable[str]) -> tuple[list[FileTask], list[Outcome]]:
    """Files to ingest under `paths` (folders walked, hidden entries and symlink loops skipped),
    and outcomes for paths and manifests that cannot be read."""
    tasks: list[FileTask] = []
    problems: list[Outcome] = []
    seen: set[str] = set()
    manifests: dict[Path, dict] = {}

    def manifest_of(folder: Path) -> dict:
        if folder not in manifests:
            manifests[folder], wrong = read_manifest(folder)
            problems.extend(wrong)
        return manifests[folder]

    def add(path: Path, source: str, top: Path) -> None:
        real = os.path.realpath(path)
        if real in seen:
            return
        seen.add(real)
        row = None
        # the manifest of the file's own folder, else of the nearest folder above it up to the one walked
        base = path.parent
        while True:
            rel = os.path.normpath(os.path.relpath(path, base))
            if rel in manifest_of(base):
                row = manifests[base][rel]
                break
            if base == top or base == base.parent:
                break
            base = base.parent
        shown = printable(source)
        warnings = (f"the file name is not valid UTF-8; stored as {shown}",) if shown != source else ()
        tasks.append(FileTask(path=path, source=shown, manifest=row, warnings=warnings))

    for given in paths:
        p = Path(given)
        if not p.exists():
            problems.append(Outcome(printable(given), "failed", "no such file or folder"))
        elif p.is_dir():
            manifest_of(p)
            for full in _walk(p, problems):
                add(full, str(full), p)
        else:
            add(p, given, p.parent)
    unique = {(o.source, o.reason): o for o in problems}
    return tasks, list(unique.values())


def _walk(top: Path, problems: list[Outcome]) -> Iterable[Path]:
    """Document files under `top`, in order; hidden entries and symlink loops skipped."""
    visited: set[str] = set()

    def on_error(e: OSError) -> None:
        problems.append(Outcome(printable(e.filename or top), "failed", f"cannot read folder: {e.strerror}"))

    for root, dirs, files in os.walk(top, followlinks=True, onerror=on_error):
        real = os.path.realpath(root)
        if real in visited:  # a symlink loop
            dirs[:] = []
            continue
        visited.add(real)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or name == MANIFEST:
                continue
            suffix = Path(name).suffix.lower()
            if suffix in DOC_SUFFIXES or suffix in LEGACY_SUFFIXES:
                yield Path(root) / name
