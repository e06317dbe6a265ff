"""`scrutiny ingest`, `stats`, `show` and `export`."""
from __future__ import annotations

import json
import os
import sys

import click

from cli.common import emit, get_store, output_options


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--workers", "-j", type=click.IntRange(1, 64), default=None,
              help="Parallel parsing processes [default: number of cores].")
@click.option("--no-extract", is_flag=True, help="Store text only; skip the extraction of figures, actions...")
@click.option("--force", is_flag=True, help="Re-parse files even when their bytes are unchanged.")
@click.option("--quiet", "-q", is_flag=True, help="Print only the closing summary and failures.")
@click.option("--file-timeout", type=click.FloatRange(min=1), default=300, show_default=True,
              help="Seconds one file may take before it is stopped and reported as failed.")
@click.option("--file-memory", type=click.IntRange(min=0), default=4096, show_default=True,
              help="Megabytes of memory one file's parsing may take on top of the worker's own (0: no limit).")
@click.option("--device", type=click.Choice(["cpu", "cuda"]), default="cpu", show_default=True,
              help="Where to compute the search index's embeddings.")
@click.option("--no-index", is_flag=True, help="Skip embedding for search (a later ingest or `check --repair` does it).")
@click.pass_context
def ingest(ctx, paths, workers, no_extract, force, quiet, file_timeout, file_memory, device, no_index):
    """Ingest files and folders (PDF, HTML, DOCX, PPTX, TXT, MD) into the knowledge base.

    A manifest.csv in a folder supplies metadata (file,authority,committee,meeting_date,kind,url).
    Unchanged files are skipped by content hash. Exit status 1 if any file failed.
    """
    from ingest.pipeline import ingest as run_ingest

    store = get_store(ctx, readonly=False)
    workers = workers or min(4, os.cpu_count() or 1)
    bar = None
    if sys.stderr.isatty() and not quiet:
        from rich.progress import Progress

        bar = Progress(transient=True)

    def progress(outcome):
        if outcome.status == "failed":
            click.echo(f"FAILED {outcome.source}: {outcome.reason}", err=True)
        elif not quiet and bar is None:
            click.echo(f"{outcome.status:9} {outcome.source}" + (f" ({outcome.reason})" if outcome.reason else ""),
                       err=True)
        if bar is not None:
            bar.advance(task)

    if bar is not None:
        bar.start()
        task = bar.add_task("ingesting", total=None)
    from kb.store import StoreError

    try:
        with store.writer_lock():
            summary = run_ingest(store, paths, workers=workers, with_extraction=not no_extract, progress=progress,
                                 force=force, file_timeout=file_timeout, file_memory_mb=file_memory or None,
                                 on_total=(lambda n: bar.update(task, total=n)) if bar is not None else None)
            if not no_index:  # after the documents are committed: no SQLite write lock is held while embedding
                from kb.search import sync

                synced = sync(store, device=device, progress=None if quiet else lambda m: click.echo(m, err=True))
                if not quiet and (synced["added"] or synced["removed"]):
                    click.echo(f"search index: {synced['added']} passages added, {synced['removed']} removed",
                               err=True)
            if not no_extract:  # the action tracker's links to later papers, for the authorities whose papers changed
                from kb.followups import refresh

                refresh(store)
    except StoreError as e:
        raise click.ClickException(str(e)) from None
    finally:
        if bar is not None:
            bar.stop()
        store.close()
    counts = summary.count()
    parts = [f"{counts.get(k, 0)} {k}" for k in ("ingested", "updated", "renamed", "unchanged", "failed")]
    click.echo(f"{', '.join(parts)} in {summary.seconds:.1f}s", err=True)
    if summary.failed:
        click.echo("Failed files:", err=True)
        for o in summary.failed:
            click.echo(f"  {o.source}: {o.reason}", err=True)
        ctx.exit(1)


@click.command()
@output_options(("table", "json"))
@click.pass_context
def stats(ctx, fmt, output):
    """Documents by authority, committee, kind and year; record counts."""
    store = get_store(ctx)
    s = store.stats()
    if fmt == "json":
        return emit(json.dumps(s, indent=1), output)
    from rich.console import Console
    from rich.table import Table

    console = Console(record=output is not None, width=120)
    t = Table(title="Knowledge base")
    t.add_column("what")
    t.add_column("count", justify="right")
    for k, v in s["totals"].items():
        t.add_row(k, str(v))
    console.print(t)
    for group in ("authority", "committee", "kind", "year"):
        t = Table(title=f"Documents by {group}")
        t.add_column(group)
        t.add_column("documents", justify="right")
        for name, n in s[group]:
            t.add_row(name, str(n))
        console.print(t)
    if output:
        emit(console.export_text(), output)


@click.command()
@click.argument("doc")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--blocks/--no-blocks", default=True, help="Include the document's text blocks.")
@click.pass_context
def show(ctx, doc, as_json, blocks):
    """Metadata, blocks and extracted records of one document (id, id prefix or source path)."""
    from kb.store import RECORD_KINDS

    store = get_store(ctx)
    d = store.get_document(doc)
    if d is None:
        raise click.ClickException(f'no document matches "{doc}" (see "scrutiny export --format jsonl")')
    bl = store.blocks(d["id"]) if blocks else []
    recs = {k: store.records(k, d["id"]) for k in RECORD_KINDS}
    if as_json:
        click.echo(json.dumps({**d, "blocks": [b.to_dict() for b in bl], **recs}, indent=1, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.markup import escape

    c = Console()
    for f in ("id", "source", "format", "kind", "authority", "committee", "meeting_date", "title", "pages"):
        origin = (d.get("metadata_origin") or {}).get(f)
        c.print(f"[bold]{f:13}[/bold] {escape(str(d.get(f)))}" + (f"  [dim]({origin})[/dim]" if origin else ""))
    for w in d.get("warnings") or []:
        c.print(f"[yellow]warning[/yellow] {escape(w)}")
    c.print(" ".join(f"{k}: {len(v)}" for k, v in recs.items()))
    for b in bl:
        where = f"p{b.page}" if b.page else ""
        c.print(f"[dim]{where:>4} {b.kind[:4]}[/dim] " + ("[bold]" + escape(b.text) + "[/bold]" if b.kind == "heading"
                                                        else escape(b.text)))


@click.command()
@output_options(("json", "jsonl", "csv"), default="json")
@click.option("--authority", multiple=True, help="Only these authorities (repeatable; short forms accepted).")
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
