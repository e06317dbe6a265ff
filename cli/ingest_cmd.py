"""`scrutiny ingest`, `stats`, `show` and `export`."""
from __future__ import annotations

import json
import sys

import click

from cli.common import authority_option, emit, get_store, output_options
from ingest.discover import MAX_FILE_MB
from ingest.workers import MAX_DEFAULT_WORKERS, default_workers


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--workers", "-j", type=click.IntRange(1, 64), default=default_workers(), show_default=True,
              help=f"Parallel parsing processes (one per core, at most {MAX_DEFAULT_WORKERS}).")
@click.option("--no-extract", is_flag=True, help="Store text only; skip the extraction of figures, actions...")
@click.option("--force", is_flag=True, help="Re-parse files even when their bytes are unchanged.")
@click.option("--quiet", "-q", is_flag=True, help="Print only the closing summary and failures.")
@click.option("--file-timeout", type=click.FloatRange(min=1), default=300, show_default=True,
              help="Seconds one file may take before it is stopped and reported as failed.")
@click.option("--file-memory", type=click.IntRange(min=0), default=4096, show_default=True,
              help="Megabytes of memory one file's parsing may take on top of the worker's own (0: no limit).")
@click.option("--max-file-size", type=click.IntRange(min=1), default=MAX_FILE_MB, show_default=True, metavar="MB",
              help="Largest file read, in megabytes; larger ones are reported, not read.")
@click.option("--device", type=click.Choice(["cpu", "cuda"]), default="cpu", show_default=True,
              help="Where to compute the search index's embeddings.")
@click.option("--no-index", is_flag=True, help="Skip embedding for search (a later ingest or `check --repair` does it).")
@click.option("--strict", is_flag=True, help="Exit 1 when a file was skipped (legacy format, no text) too.")
@click.option("--ocr", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Read PDF pages that have no text layer (scans) with Tesseract: auto = when it is installed; "
                   "always = require it.")
@click.pass_context
def ingest(ctx, paths, workers, no_extract, force, quiet, file_timeout, file_memory, max_file_size, device, no_index,
           strict, ocr):
    """Ingest files and folders (PDF, HTML, DOCX, PPTX, TXT, MD) into the knowledge base.

    A manifest.csv in a folder supplies metadata (file,authority,committee,meeting_date,kind,url).
    Unchanged files are skipped by content hash. Legacy .doc, .ppt, .odt, .odp and .rtf files are
    converted with LibreOffice where it is installed, else skipped with the reason, as are files with
    no text. Exit status 1 if any file failed (or, with --strict, was skipped).
    """
    import time

    from cli.progress import StageProgress
    from ingest.parsers.ocr import OcrUnavailable, check_mode
    from ingest.pipeline import IngestStopped
    from ingest.pipeline import ingest as run_ingest

    from kb.search.embed import EmbeddingError, check_device

    try:
        check_mode(ocr)
        if not no_index:
            check_device(device)  # before any file is read
    except (OcrUnavailable, EmbeddingError) as e:
        raise click.ClickException(str(e)) from None
    started = time.monotonic()
    store = get_store(ctx, readonly=False)
    shown = StageProgress(quiet=quiet, tty=sys.stderr.isatty())

    def progress(o):
        if o.status == "failed":
            shown.note(f"FAILED {o.source}: {o.reason}")
        elif not quiet and (shown.bar is None or o.status == "skipped"):
            shown.note(f"{o.status:9} {o.source}" + (f" ({o.reason})" if o.reason else ""))
        shown.advance()

    stopped = None
    try:
        with store.writer_lock():
            shown.stage("reading files")
            try:
                summary = run_ingest(store, paths, workers=workers, with_extraction=not no_extract, progress=progress,
                                     force=force, file_timeout=file_timeout, file_memory_mb=file_memory or None,
                                     max_file_mb=max_file_size, on_total=lambda n: shown.update(0, n), ocr=ocr)
            except IngestStopped as e:  # a full disk: what was stored before stays, each document whole
                summary, stopped = e.summary, e.reason
            if not no_index and stopped is None:  # after the documents are committed: no SQLite lock held
                stopped = _index(store, device, quiet, shown, summary.vectors)
            if not no_extract and stopped is None:  # the tracker's links to later papers, for the authorities
                from kb.followups import refresh  # whose papers changed

                shown.stage("linking actions")
                refresh(store)
    finally:
        shown.stop()
        store.close()
    _summarise(summary, quiet, strict, time.monotonic() - started, shown.times)
    if stopped is not None:
        raise click.ClickException(f"stopped: {stopped}")
    if summary.failed or (strict and summary.skipped):
        ctx.exit(1)


def _index(store, device: str, quiet: bool, shown, known: dict) -> Exception | None:
    """The search index brought in step (passages embedded: `known`, those the workers embedded, stored as
    they are), shown as a stage; the error that stopped it."""
    from kb.search import sync
    from kb.store import StoreError

    shown.stage("embedding passages")
    try:
        synced = sync(store, device=device, on_count=shown.update, known=known)
    except StoreError as e:
        return e
    if not quiet and (synced["added"] or synced["removed"]):
        shown.note(f"search index: {synced['added']} passages added ({synced['embedded']} embedded), "
                   f"{synced['removed']} removed")
    return None


def _summarise(summary, quiet: bool, strict: bool, seconds: float, stages: dict[str, float]) -> None:
    """The closing summary: counts and the whole time (each stage's too), then the skipped and the
    failed files with their reasons."""
    counts = summary.count()
    parts = [f"{counts.get(k, 0)} {k}" for k in ("ingested", "updated", "renamed", "unchanged", "skipped", "failed")]
    each = ", ".join(f"{name} {t:.1f}s" for name, t in stages.items())
    click.echo(f"{', '.join(parts)} in {seconds:.1f}s" + (f" ({each})" if len(stages) > 1 else ""), err=True)
    if summary.skipped and (strict or not quiet):
        click.echo("Skipped files:", err=True)
        for o in summary.skipped:
            click.echo(f"  {o.source}: {o.reason}", err=True)
    if summary.failed:
        click.echo("Failed files:", err=True)
        for o in summary.failed:
            click.echo(f"  {o.source}: {o.reason}", err=True)


LISTING = ("table", "json", "md", "csv", "html", "xlsx")


@click.command()
@output_options(LISTING)
@click.pass_context
def stats(ctx, fmt, output):
    """Documents by authority, committee, kind and year; record counts."""
    store = get_store(ctx)
    s = store.stats()
    if fmt == "json":
        return emit(json.dumps(s, indent=1), output)
    from reports.listing import render_tables, stats_tables

    tables, flat = stats_tables(s)
    emit(render_tables(fmt, "Knowledge base", tables, flat, to_file=output is not None), output)


@click.command()
@click.argument("doc")
@output_options(LISTING)
@click.option("--blocks/--no-blocks", default=True, help="Include the document's text blocks.")
@click.pass_context
def show(ctx, doc, fmt, output, blocks):
    """One document (id, id prefix or source path): metadata, extracted records and text blocks.

    Ids are printed by `scrutiny search`, `export` and `actions` (refs start with the id).
    """
    from kb.store import RECORD_KINDS

    store = get_store(ctx)
    d = store.get_document(doc)
    if d is None:
        raise click.ClickException(f'no document matches "{doc}" (ids: "scrutiny export --format jsonl")')
    bl = store.blocks(d["id"]) if blocks else []
    recs = {k: store.records(k, d["id"]) for k in RECORD_KINDS}
    if fmt == "json":
        return emit(json.dumps({**d, "blocks": [b.to_dict() for b in bl], **recs}, indent=1, ensure_ascii=False),
                    output)
    from reports.listing import document_tables, render_tables

    tables, flat = document_tables(d, recs, bl)
    title = d.get("title") or d["source"]
    emit(render_tables(fmt, title, tables, flat, to_file=output is not None), output)


@click.command()
@output_options(("json", "jsonl", "csv"), default="json")
@authority_option()
@click.pass_context
def export(ctx, fmt, output, authority):
    """Export documents and extracted records (JSON per shared SCHEMA.md, JSONL, or CSV of records)."""
    from kb.export import export_documents, to_csv, to_json, to_jsonl

    store = get_store(ctx)
    names = None
    if authority:
        from ingest.gazetteer import UnknownAuthority, resolve_names

        try:
            names = resolve_names(authority, sorted({d["authority"] for d in store.documents() if d["authority"]}))
        except UnknownAuthority as e:
            raise click.ClickException(str(e)) from None
    data = export_documents(store, authority=names)
    emit({"json": to_json, "jsonl": to_jsonl, "csv": to_csv}[fmt](data), output)


COMMANDS = [ingest, stats, show, export]
