"""`scrutiny search`: ranked passages for a query (hybrid BM25 + dense by default)."""
from __future__ import annotations

import json
from pathlib import Path

import click

from cli.common import DATE, emit, get_store


def _filters(fn):
    for opt in reversed([
        click.option("--authority", multiple=True, help="Only this authority (repeatable; short forms accepted)."),
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
@click.option("--json", "as_json", is_flag=True, help="Print JSON (shared/eval/SCHEMA.md search shape).")
@click.option("--queries", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Run one query per line of FILE; print one JSON object per line.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE.")
@click.pass_context
def search(ctx, query, authority, committee, kind, since, until, limit, mode, as_json, queries, output):
    """Search the knowledge base for passages about QUERY.

    Hits are passages (an agenda item, a report section, a slide, a table) ranked by keyword and
    meaning together; at most three come from one document before others are shown.
    """
    from kb.search import SearchError
    from kb.search import search as run_search

    if bool(query) == bool(queries):
        raise click.UsageError("give a QUERY or --queries FILE (not both)")
    store = get_store(ctx)
    opts = dict(authority=list(authority) or None, committee=committee, kind=kind, since=since, until=until,
                limit=limit, mode=mode)
    try:
        if queries:
            lines = [q.strip() for q in queries.read_text(encoding="utf-8").splitlines() if q.strip()]
            out = [json.dumps({"query": q, "hits": run_search(store, q, **opts)}, ensure_ascii=False) for q in lines]
            return emit("\n".join(out) + ("\n" if out else ""), output)
        hits = run_search(store, query, **opts)
    except SearchError as e:
        raise click.ClickException(str(e)) from None
    finally:
        store.close()
    if as_json:
        return emit(json.dumps({"query": query, "hits": hits}, indent=1, ensure_ascii=False), output)
    _print(query, hits, output)


def _print(query: str, hits: list[dict], output: Path | None) -> None:
    from rich.console import Console

    if output:
        with open(output, "w", encoding="utf-8") as fh:
            _print_to(Console(file=fh, highlight=False, width=100), query, hits)
    else:
        _print_to(Console(highlight=False), query, hits)


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
