"""Finding the files an ingest reads, reading them safely, and the manifests that speak for them.

Everything here runs in the parent process before any file is parsed, so nothing here may hang or
stop the run: a name that is not valid UTF-8, a manifest that cannot be read or holds a bad value,
a FIFO or a link to a device, a file over the size limit is reported (an `Outcome` naming the file
or manifest line) and the run carries on. Only regular files are ever opened.
"""
from __future__ import annotations

import csv
import hashlib
import io
import os
import stat
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
MAX_FILE_MB = 512  # the largest file read (`ingest --max-file-size`): a budget book is some 50 MB
CHUNK = 1 << 20


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


class NotReadable(OSError):
    """A path that is not a regular file (a FIFO, a device): never read."""


class TooLarge(NotReadable):
    """A file over the size limit: never read whole."""


FILE_TYPES = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
              (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))


def not_regular(mode: int) -> str | None:
    """What a non-regular file is ("a FIFO (named pipe)"), None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((what for test, what in FILE_TYPES if test(mode)), "not a regular file")


def _open_regular(path, max_bytes: int) -> int:
    """A descriptor open on `path` if it is a regular file of at most `max_bytes`; NotReadable otherwise.
    Checked before opening (opening a device may act on it) and again on the descriptor (the path
    may have been swapped in between); O_NONBLOCK so that nothing can make the open or a read wait."""
    what = not_regular(os.stat(path).st_mode)
    if what is None:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
        st = os.fstat(fd)
        what = not_regular(st.st_mode)
        if what is None and st.st_size <= max_bytes:
            return fd
        os.close(fd)
        if what is None:
            raise TooLarge(f"{st.st_size / (1 << 20):,.0f} MB, over the {max_bytes >> 20} MB limit")
    raise NotReadable(f"not read: {what}, not a regular file")


def _chunks(fd: int, max_bytes: int) -> Iterable[bytes]:
    total = 0
    while chunk := os.read(fd, CHUNK):
        total += len(chunk)
        if total > max_bytes:  # a file that grew, or a special file that says it is empty
            raise TooLarge(f"over the {max_bytes >> 20} MB limit")
        yield chunk


def read_file(path, max_bytes: int = MAX_FILE_MB << 20) -> bytes:
    """The bytes of a regular file of at most `max_bytes`; NotReadable (an OSError) otherwise."""
    fd = _open_regular(path, max_bytes)
    try:
        return b"".join(_chunks(fd, max_bytes))
    finally:
        os.close(fd)


def hash_file(path, max_bytes: int = MAX_FILE_MB << 20) -> tuple[str, int]:
    """(sha256 hex digest, size) of a regular file, read in chunks: the parent never holds a whole file."""
    fd = _open_regular(path, max_bytes)
    h, size = hashlib.sha256(), 0
    try:
        for chunk in _chunks(fd, max_bytes):
            h.update(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    return h.hexdigest(), size


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
    left out, to be inferred from the document): an overlong value, a kind that is not one of the
    known kinds, a meeting date that is not an ISO date that exists."""
    from ingest.metadata import KINDS
    from kb.dates import ISO_RE, parse_user_date

    values, problems = {}, []
    for k in META_FIELDS:
        v = (row.get(k) or "").strip() or None
        if v is None or v.lower() in NONE_VALUES:
            values[k] = v
            continue
        if len(v) > MANIFEST_MAX_CELL:
            problems.append(f"its {k} is {len(v):,} characters long (at most {MANIFEST_MAX_CELL:,}); ignored")
            v = None
        elif k == "kind" and v.lower() not in KINDS:
            problems.append(f'unknown kind "{v}" (one of {", ".join(KINDS)}); inferred instead')
            v = None
        elif k == "kind":
            v = v.lower()
        elif k == "meeting_date":
            try:
                if not ISO_RE.fullmatch(v):
                    raise ValueError(f'"{v}" is not an ISO date (YYYY-MM-DD)')
                v = parse_user_date(v)
            except ValueError as e:
                problems.append(f"meeting_date: {e}; inferred instead")
                v = None
        values[k] = v
    return values, problems


def read_manifest(folder: Path) -> tuple[dict[str, dict], list[Outcome]]:
    """Rows of `folder/manifest.csv` keyed by the file path relative to the folder, and an Outcome
    for each problem (a manifest that cannot be used at all is ignored: its files are still read)."""
    path = folder / MANIFEST
    name = printable(path)
    try:
        if not os.path.lexists(path):
            return {}, []
        data = read_file(path, MANIFEST_MAX_BYTES)
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
        shown = printable(source)
        try:
            what = not_regular(os.stat(path).st_mode)
        except OSError:
            what = None  # a broken link: reported when it is read
        if what is not None:
            problems.append(Outcome(shown, "skipped", f"not read: {what}, not a regular file"))
            return
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
