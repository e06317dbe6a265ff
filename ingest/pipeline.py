"""`scrutiny ingest`: walk paths, skip unchanged bytes, parse and extract in worker processes,
store each document in one transaction.

Work per file happens in `process_file` (parse -> metadata -> extraction), which runs in a
worker process and returns plain data; only the parent process writes to the store, so a
failure or a kill part-way leaves every stored document whole.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from ingest.discover import (  # noqa: F401 (FileTask, Outcome, discover, read_manifest: also imported from here)
    DOC_SUFFIXES,
    LEGACY_SUFFIXES,
    MANIFEST,
    MAX_FILE_MB,
    META_FIELDS,
    NONE_VALUES,
    FileTask,
    NotReadable,
    Outcome,
    TooLarge,
    discover,
    hash_file,
    printable,
    read_file,
    read_manifest,
)
from ingest.model import SKIPPED_ERRORS, Block, ParseError
from ingest.workers import WARM_UP_S, run_jobs
from kb.meetings import meeting_key, next_meeting

ID_LENGTH = 16
# Change it when parsing or metadata inference changes what is stored for a file: the next ingest
# (with extraction) re-reads every file stored under an older version, as it does for a new
# EXTRACTOR_VERSION (nlp/__init__.py).
READER_VERSION = "read-9"
# The share of a file's time limit that OCR and a LibreOffice conversion may take: the rest is left for
# extraction. OCR past it stops, with a warning naming the pages left unread.
OCR_SHARE = 0.75
# The share of a file's time limit after which its worker stops embedding its passages (the rest are embedded
# after the run): a long paper is never failed for its embedding.
EMBED_SHARE = 0.9


def processing_version(with_extraction: bool) -> str:
    """What a document row records as having read it (the documents.extractor column)."""
    from nlp import EXTRACTOR_VERSION

    return f"{READER_VERSION}/{EXTRACTOR_VERSION}" if with_extraction else READER_VERSION


class IngestStopped(Exception):
    """The store could not be written (a full disk): the run stops; `summary` says what was stored
    before, each document whole, and `reason` what went wrong and what to do (a kb.store.StoreError)."""

    def __init__(self, reason: Exception, summary: Summary):
        super().__init__(str(reason))
        self.reason, self.summary = reason, summary


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0
    vectors: dict = field(default_factory=dict)  # passages embedded by the workers, by the hash of their text

    def count(self) -> Counter:
        return Counter(o.status for o in self.outcomes)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def skipped(self) -> list[Outcome]:
        """Files not stored for a stated reason that is no fault of the run (a legacy format, no text)."""
        return [o for o in self.outcomes if o.status == "skipped"]


def file_id(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:ID_LENGTH]


def next_meeting_finder(meetings: dict[str, list[dict]], meta: dict):
    """A callable giving the date of the committee's first meeting after this one that the KB
    knows of (for "at the next meeting"), or None where it knows none."""
    def find() -> str | None:
        nxt = next_meeting(meta, meetings.get(meeting_key(meta.get("authority"), meta.get("committee"))) or [])
        return nxt["meeting_date"] if nxt else None

    return find


def known_meetings(store) -> dict[str, list[dict]]:
    """The meetings the KB holds, by body (`kb.meetings.meeting_key`): small picklable dicts."""
    out: dict[str, list[dict]] = {}
    for d in store.documents():
        if d.get("meeting_date") and d.get("committee"):
            out.setdefault(meeting_key(d["authority"], d["committee"]), []).append(
                {k: d[k] for k in ("authority", "committee", "meeting_date")})
    return out


def process_file(path: Path, manifest: dict | None, with_extraction: bool = True,
                 meetings: dict[str, list[dict]] | None = None, max_bytes: int = MAX_FILE_MB << 20,
                 ocr: str = "never", time_limit: float | None = None) -> dict:
    """Parse, infer metadata and extract; runs in a worker. Returns plain, picklable data. `ocr`: PDF pages
    with no text layer read with Tesseract (auto | always | never); `time_limit`: the seconds the file
    is given, of which OCR and a LibreOffice conversion may take up to OCR_SHARE."""
    from ingest.parsers import parse_file
    from kb.search.chunking import passages

    started = time.perf_counter()
    deadline = time.monotonic() + OCR_SHARE * time_limit if time_limit else None
    data = read_file(path, max_bytes)
    named = Path(printable(path))  # what parsing and metadata see of the name: text that can be stored
    doc = parse_file(named, data, ocr=ocr, deadline=deadline)
    meta, origin = merge_metadata(doc, named, manifest)
    records: dict[str, list[dict]] = {}
    extractor = None
    if with_extraction:
        from nlp.extract import extract

        records = extract(doc, meta, next_meeting=next_meeting_finder(meetings or {}, meta))
        mark_ocr_records(doc, records)
    extractor = processing_version(with_extraction)
    return {
        "id": file_id(data), "size": len(data), "format": doc.format, "parser": doc.parser, "pages": doc.pages,
        "title": meta.get("title") or doc.title, "meta": meta, "origin": origin,
        "warnings": doc.warnings, "blocks": [b.to_dict() for b in doc.blocks], "records": records,
        "passages": passages(doc.blocks, doc.format),
        "extractor": extractor, "seconds": time.perf_counter() - started,
    }


def mark_ocr_records(doc, records: dict[str, list[dict]]) -> None:
    """Records extracted from blocks read by OCR get ``ocr: True``."""
    read = {i for i, b in enumerate(doc.blocks) if b.ocr}
    if not read:
        return
    for items in records.values():
        for r in items:
            if r.get("block") in read:
                r["ocr"] = True


def merge_metadata(doc, path: Path, manifest: dict | None) -> tuple[dict, dict]:
    """The manifest's values win; the rest is inferred from the document. Returns the metadata
    and, per field, where it came from ("manifest" or "inferred")."""
    from ingest.metadata import infer_metadata

    inferred = infer_metadata(doc, path)
    meta, origin = {}, {}
    for k in (*META_FIELDS, "title"):
        given = (manifest or {}).get(k)
        if given and given.lower() in NONE_VALUES:  # stated: none (a national report has no authority)
            meta[k], origin[k] = None, "manifest"
            continue
        meta[k] = given if given else inferred.get(k)
        if meta[k] is not None:
            origin[k] = "manifest" if given else "inferred"
    return meta, origin


def _warm(extraction: bool = True, embedding: tuple[str, int] | None = None) -> None:
    """In a worker, before its first file: the spaCy pipelines and the embedding model loaded (seconds, not
    the file's time)."""
    if extraction:
        from nlp.spacy_pipeline import get_nlp, get_parser_nlp

        get_nlp()
        get_parser_nlp()
    if embedding:
        from kb.search.embed import embed_passages

        embed_passages(["warm-up"], *embedding)


def _work(job: tuple) -> dict:
    """process_file in a worker, and its passages embedded where `embedding` (model file, threads) is given:
    a file to skip comes back as {"skip": reason}; a failure raises."""
    path, manifest, with_extraction, meetings, max_bytes, ocr, time_limit, embedding = job
    started = time.monotonic()
    try:
        result = process_file(Path(path), manifest, with_extraction, meetings, max_bytes, ocr, time_limit)
        if embedding and result["passages"]:
            stop = started + EMBED_SHARE * time_limit if time_limit else None
            result["vectors"] = _embed(result["passages"], embedding, stop)
        return result
    except SKIPPED_ERRORS as e:
        return {"skip": str(e)}
    except TooLarge as e:
        raise ParseError(f"{e} (raise --max-file-size)") from None
    except NotReadable as e:
        return {"skip": str(e)}
    except ParseError:
        raise
    except MemoryError:
        raise
    except Exception as e:  # a parser library's own failure on a malformed file
        raise ParseError(f"could not be read ({type(e).__name__}: {e})") from e


def _embed(passages: list[dict], embedding: tuple[str, int], stop: float | None) -> dict:
    """{hash: vector} of a file's passages, a batch at a time until `stop` (monotonic): what is left then is
    embedded by the search index's sync after the run, not counted against the file's time limit."""
    from kb.search.chunking import model_text
    from kb.search.embed import embed_passages

    texts = {p["hash"]: model_text(p) for p in passages}
    hashes, out = list(texts), {}
    for start in range(0, len(hashes), 64):
        if stop is not None and time.monotonic() > stop:
            break
        part = hashes[start:start + 64]
        out.update(zip(part, embed_passages([texts[h] for h in part], *embedding)))
    return out


def ingest(store, paths: Iterable[str], workers: int = 1, with_extraction: bool = True,
           progress: Callable[[Outcome], None] | None = None, force: bool = False,
           file_timeout: float | None = 300, file_memory_mb: int | None = None,
           on_total: Callable[[int], None] | None = None, max_file_mb: int = MAX_FILE_MB,
           ocr: str = "auto", embed: bool = False) -> Summary:
    """Ingest `paths` into `store`. Each file is parsed in a worker process, stopped after
    `file_timeout` seconds; results are written by this process, one transaction per file. `ocr`
    (auto | always | never): PDF pages with no text layer read with Tesseract (ingest.parsers.ocr);
    raises OcrUnavailable for ``always`` without Tesseract, before any file is read. `embed`: the workers
    embed each file's passages too (on the CPU, while other files are parsed), kept in `summary.vectors`
    for the search index's sync (kb.search.sync(known=...)) to store."""
    from ingest.parsers.ocr import check_mode

    check_mode(ocr)
    started = time.perf_counter()
    summary = Summary()

    def report(o: Outcome) -> None:
        summary.outcomes.append(o)
        progress and progress(o)

    tasks, problems = discover(paths)
    if on_total:
        on_total(len(tasks) + len(problems))
    for o in problems:
        report(o)
    todo: list[tuple[FileTask, str | None]] = []  # (task, id of the old version it replaces)
    why: dict[str, str] = {}  # why an unchanged file is read again
    for task in tasks:
        step = _triage(store, task, force, with_extraction, max_file_mb << 20)
        if isinstance(step, Outcome):
            report(step)
            continue
        todo.append((task, step[0]))
        if step[1]:
            why[task.source] = step[1]
    by_path = {str(t.path): (t, r) for t, r in todo}
    meetings = known_meetings(store) if todo and with_extraction else {}
    embedding = _embedding(store, workers) if embed and todo else None
    jobs = [(str(t.path), t.manifest, with_extraction, meetings, max_file_mb << 20, ocr, file_timeout, embedding)
            for t, _ in todo]
    server = getattr(store, "server", False) and bool(jobs)  # other ingests may be reading the same files
    claims = dict(store=store, jobs=jobs, by_path=by_path, report=report, file_timeout=file_timeout,
                  triage=dict(force=force, with_extraction=with_extraction, max_bytes=max_file_mb << 20))
    run = dict(store=store, by_path=by_path, why=why, report=report, workers=workers, file_timeout=file_timeout,
               file_memory_mb=file_memory_mb, vectors=summary.vectors,
               warm=partial(_warm, with_extraction, embedding) if with_extraction or embedding else None)
    try:
        _store_results(jobs=_claimed_jobs(**claims, enqueue=True) if server else jobs, **run)
        while server and store.claimed_elsewhere([t.source for t, _ in todo]):
            time.sleep(0.5)  # files other ingests hold: they store them, or die and this one reads them
            _store_results(jobs=_claimed_jobs(**claims, enqueue=False), **run)
    except sqlite3.DatabaseError as e:  # the transaction of the file being written was rolled back
        from kb.store import store_error

        summary.seconds = time.perf_counter() - started
        raise IngestStopped(store_error(store.home, e), summary) from None
    summary.seconds = time.perf_counter() - started
    return summary


def _embedding(store, workers: int) -> tuple[str, int] | None:
    """(the embedding model's file, threads per worker) for workers to embed with; None where it cannot be had."""
    from kb.search.embed import model_file

    path = model_file(store.home)
    return (str(path), max(1, (os.cpu_count() or 1) // max(1, workers))) if path else None


def _store_results(store, jobs, by_path: dict, why: dict, report: Callable[[Outcome], None], workers: int,
                   file_timeout: float | None, file_memory_mb: int | None, vectors: dict,
                   warm: Callable | None = None) -> None:
    """Parse the jobs' files in worker processes and store each result in one transaction, as it comes."""
    for job, ok, result in run_jobs(_work, jobs, workers=max(1, workers), timeout=file_timeout,
                                    memory_mb=file_memory_mb, warm=warm):
        task, replaces = by_path[job[0]]
        if not ok:
            report(Outcome(task.source, "failed", _reason(result)))
        elif "skip" in result:
            report(Outcome(task.source, "skipped", result["skip"]))
        else:
            # the version this run triages by (the parent's: a worker is a fresh interpreter of the same install)
            result["extractor"] = processing_version(job[2])
            store.put_document(_row(task, result), [Block.from_dict(b) for b in result["blocks"]],
                               result["records"], replaces=replaces, passages=result["passages"])
            vectors.update(result.get("vectors") or {})
            report(Outcome(task.source, "updated" if replaces else "ingested", why.get(task.source),
                           result["id"], result["seconds"]))
        if getattr(store, "server", False):
            store.finish(task.source)


def _claimed_jobs(store, jobs: list[tuple], by_path: dict, report: Callable[[Outcome], None], triage: dict,
                  file_timeout: float | None, enqueue: bool):
    """A server KB's jobs, each handed out once this ingest has claimed its file (kb/pg.py: FOR UPDATE SKIP
    LOCKED, so several ingests over the same files read each once) and found it still to read (another
    ingest may have stored it meanwhile). Ends when no file is left to claim; the caller waits for those
    that other live ingests hold (one that dies leaves its claim, and a later round reads the file)."""
    job_of = {by_path[j[0]][0].source: j for j in jobs}
    sources = list(job_of)
    if enqueue:
        store.enqueue(sources)
    ttl = (file_timeout or 3600) + WARM_UP_S + 120  # a worker's warm-up is outside its file's timeout
    for source in sources:
        if not store.claim(source, ttl):  # another ingest holds it, or has stored it
            continue
        job = job_of[source]
        task = by_path[job[0]][0]
        step = _triage(store, task, **triage)
        if isinstance(step, Outcome):
            store.finish(source)
            report(step)
            continue
        by_path[job[0]] = (task, step[0])
        yield job


def _triage(store, task: FileTask, force: bool, with_extraction: bool, max_bytes: int):
    """What to do with one file, from its bytes' hash: an Outcome when nothing is to be read (unchanged,
    renamed, skipped, unreadable), else (id of the version it replaces or None, why it is read again)."""
    try:
        digest, size = hash_file(task.path, max_bytes)
    except TooLarge as e:
        return Outcome(task.source, "failed", f"{e} (raise --max-file-size)")
    except NotReadable as e:
        return Outcome(task.source, "skipped", str(e))
    except OSError as e:
        return Outcome(task.source, "failed", f"cannot read file: {e.strerror or e}")
    if not size:
        return Outcome(task.source, "skipped", "empty file")
    doc_id = digest[:ID_LENGTH]
    existing = store.document_by(id=doc_id) if not force else None
    if not (existing and existing["id"] == doc_id):
        old = store.document_by(source=task.source)
        return old["id"] if old else None, None
    if existing["source"] == task.source:
        if task.manifest and _manifest_differs(existing, task.manifest):
            return doc_id, "the manifest's values changed"
        if with_extraction and existing.get("extractor") != processing_version(with_extraction):
            return doc_id, "read again: stored by older reading or extraction rules"
        return Outcome(task.source, "unchanged", None, doc_id)
    if existing.get("abspath") and not os.path.exists(existing["abspath"]):
        store.rename(doc_id, task.source, _abspath(task))
        return Outcome(task.source, "renamed", None, doc_id)
    return Outcome(task.source, "unchanged", f"same content as {existing['source']}", doc_id)


def _row(task: FileTask, result: dict) -> dict:
    """The documents row of a parsed file."""
    meta = result["meta"]
    return {"id": result["id"], "source": task.source, "abspath": _abspath(task), "format": result["format"],
            "pages": result["pages"], "size": result["size"], "title": result["title"],
            "metadata_origin": result["origin"], "warnings": [*task.warnings, *result["warnings"]],
            "parser": result.get("parser") or result["format"], "extractor": result["extractor"],
            **{k: meta.get(k) for k in ("kind", "authority", "committee", "meeting_date", "url")}}


def _abspath(task: FileTask) -> str | None:
    """Where the file is, to recognise a rename later; None for a name that is not valid UTF-8 (stored
    as printable text, which names no file)."""
    path = str(task.path.resolve())
    return path if printable(path) == path else None


def _reason(message: str) -> str:
    """ParseError's own words, without the exception class name the worker adds."""
    for prefix in ("ParseError: ", "UnsupportedFormat: "):
        if message.startswith(prefix):
            return message[len(prefix):]
    return message


def _manifest_differs(existing: dict, manifest: dict) -> bool:
    def stated(v):
        return None if v.lower() in NONE_VALUES else v

    return any(manifest.get(k) and stated(manifest[k]) != existing.get(k) for k in META_FIELDS)
