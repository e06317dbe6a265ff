"""`scrutiny search`: ranked passages for a query (hybrid BM25 + dense by default)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from cli.common import ALL_FORMATS, DATE, authority_option, emit, get_store, output_options


def _filters(fn):
    for opt in reversed([
        authority_option(),
        click.option("--committee", help="Only committees whose name contains this."),
        click.option("--kind", type=click.Choice(["minutes", "report", "presentation", "agenda", "other"]),
                     help="Only this kind of document."),
        click.option("--since", type=DATE, help="Meetings on or after DATE (2021, 2021-03, 2021-03-16)."),
        click.option("--until", type=DATE, help="Meetings on or before DATE."),
    ]):
        fn = opt(fn)
    return fn


@click.command()
@click.argument("query", required=False)
@_filters
@click.option("--limit", "-n", type=click.IntRange(1, 200), default=10, show_default=True, help="Hits to show.")
@click.option("--mode", type=click.Choice(["hybrid", "bm25", "dense"]), default="hybrid", show_default=True,
              help="Keyword (BM25), dense (embeddings) or both fused.")
@click.option("--queries", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Run one query per line of FILE (printed as JSON Lines unless --format says otherwise).")
@output_options(ALL_FORMATS)
@click.pass_context
def search(ctx, query, authority, committee, kind, since, until, limit, mode, queries, fmt, output):
    """Search the knowledge base for passages about QUERY.

    Hits are passages (an agenda item, a report section, a slide, a table) ranked by keyword and
    meaning together; at most three come from one document before others are shown.
    `--format json` (or `--json`) prints the shared/eval/SCHEMA.md search shape.
    """
    from kb.search import SearchError
    from kb.search import search as run_search

    if bool(query) == bool(queries):
        raise click.UsageError("give a QUERY or --queries FILE (not both)")
    store = get_store(ctx)
    opts = dict(authority=list(authority) or None, committee=committee, kind=kind, since=since, until=until,
                limit=limit, mode=mode)
    try:
        lines = ([q.strip() for q in queries.read_text(encoding="utf-8").splitlines() if q.strip()] if queries
                 else [query])
        results = [(q, run_search(store, q, **opts)) for q in lines]
    except SearchError as e:
        raise click.ClickException(str(e)) from None
    finally:
        store.close()
    emit(_render(results, fmt, batch=bool(queries), to_file=output is not None), output)


def _render(results: list[tuple[str, list[dict]]], fmt: str, batch: bool, to_file: bool) -> str | bytes:
    """Hits in `fmt`: JSON per query (SCHEMA.md), JSON Lines (a query per line in batch mode, else a
    hit per line), the terminal listing with highlighted snippets, or a table of hits."""
    if fmt == "jsonl" or (batch and fmt == "table"):
        rows = [{"query": q, "hits": hits} for q, hits in results] if batch else results[0][1]
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    if fmt == "json":
        objs = [{"query": q, "hits": hits} for q, hits in results]
        return json.dumps(objs if batch else objs[0], indent=1, ensure_ascii=False)
    if fmt == "table":
        import io
        import shutil

        from rich.console import Console

        tty = not to_file and sys.stdout.isatty()
        buf = io.StringIO()
        console = Console(file=buf, highlight=False, force_terminal=tty,
                          width=shutil.get_terminal_size((100, 40)).columns if tty else 100)
        _print_to(console, *results[0])
        return buf.getvalue()
    from reports.listing import hits_table, render_tables

    table = hits_table(results)
    return render_tables(fmt, table.title, [table], to_file=to_file)


def _print_to(console, query: str, hits: list[dict]) -> None:
    import re

    from rich.text import Text

    from kb.search import query_terms, snippet

    if not hits:
        console.print(f'No passages match "{query}".')
        return
    terms = query_terms(query)
    pattern = re.compile(r"\b(" + "|".join(re.escape(t) + r"\w*" for t in terms) + r")", re.I) if terms else None
    for h in hits:
        where = " · ".join(str(x) for x in (h["authority"], h.get("committee"), h["meeting_date"]) if x)
        pages = f"p.{h['page']}" if h.get("page") else ""
        if pages and h.get("page_end") and h["page_end"] != h["page"]:
            pages = f"pp.{h['page']}-{h['page_end']}"
        src = h["source"] + (f" {pages}" if pages else "")
        console.print(Text(f"{h['rank']:>2}. ", style="bold") + Text(where, style="bold cyan")
                      + Text(f"  [{h['score']:.3f}]", style="dim"))
        console.print(Text(f"    {src}" + (f" — {h['section']}" if h.get("section") else ""), style="dim"))
        body = snippet(h["text"], terms)
        t = Text("    " + body.replace("\n", " "))
        if pattern:
            t.highlight_regex(pattern, style="bold yellow")
        console.print(t)
        console.print()


COMMANDS = [search]
