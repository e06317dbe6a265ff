"""Plain listings (the KB's statistics, one document with its records, search hits) as tables, so
that every command that lists things writes the same formats: terminal, Markdown, CSV, Excel, HTML."""
from __future__ import annotations

from reports.render import Table, to_csv, to_html_tables, to_markdown, to_terminal, to_xlsx

# The columns each kind of record shows, after its page (the sentence it came from goes last).
RECORD_COLUMNS = {
    "metrics": ("value", "unit", "measure", "subject", "period"),
    "recommendations": ("number",),
    "decisions": ("number",),
    "actions": ("owner", "due_date", "due_text", "status"),
    "dates": ("date", "event"),
    "people": ("name", "role", "organisation"),
}
DOC_FIELDS = ("id", "source", "format", "kind", "authority", "committee", "meeting_date", "title", "url", "pages")


def render_tables(fmt: str, title: str, tables: list[Table], flat: Table | None = None, intro: str | None = None,
                  to_file: bool = False) -> str | bytes:
    """`tables` in `fmt` (table | md | csv | xlsx | html); CSV holds one table: `flat`, else the first."""
    if fmt == "md":
        return to_markdown(title, tables, intro)
    if fmt == "csv":
        return to_csv(flat or tables[0])
    if fmt == "xlsx":
        return to_xlsx(tables)
    if fmt == "html":
        return to_html_tables(title, tables, intro)
    return to_terminal(title, tables, to_file=to_file)


def stats_tables(s: dict) -> tuple[list[Table], Table]:
    tables = [Table("Knowledge base", ["what", "count"], [[k, v] for k, v in s["totals"].items()])]
    flat = Table("Knowledge base", ["group", "name", "count"], [["totals", k, v] for k, v in s["totals"].items()])
    for group in ("authority", "committee", "kind", "year"):
        tables.append(Table(f"Documents by {group}", [group, "documents"], [[n, c] for n, c in s[group]]))
        flat.rows += [[group, n, c] for n, c in s[group]]
    return tables, flat


def record_table(kind: str, records: list[dict]) -> Table:
    cols = RECORD_COLUMNS.get(kind, ())
    rows = [[r.get("page"), *(r.get(c) for c in cols), r.get("text")] for r in records]
    return Table(kind.capitalize(), ["page", *cols, "text"], rows, note=f"no {kind}")


def document_tables(doc: dict, records: dict[str, list[dict]], blocks: list | None = None) -> tuple[list[Table], Table]:
    """One document: its metadata, each kind of record, its text blocks; and one flat table of its records."""
    origin = doc.get("metadata_origin") or {}
    meta = Table("Document", ["field", "value", "from"],
                 [[f, doc.get(f), origin.get(f)] for f in DOC_FIELDS if doc.get(f) is not None])
    meta.rows += [["warning", w, None] for w in doc.get("warnings") or []]
    tables = [meta] + [record_table(kind, recs) for kind, recs in records.items()]
    if blocks:
        tables.append(Table("Text", ["page", "kind", "section", "text"],
                            [[b.page, b.kind, b.section, b.text] for b in blocks]))
    flat = Table("Records", ["record", "page", "number", "value", "unit", "measure", "subject", "period", "owner",
                             "due_date", "due_text", "status", "date", "event", "name", "role", "organisation",
                             "text", "section"])
    for kind, recs in records.items():
        for r in recs:
            flat.rows.append([kind, *(r.get(c) for c in flat.columns[1:])])
    return tables, flat


HIT_COLUMNS = ("rank", "score", "authority", "committee", "meeting_date", "source", "page", "section", "text")


def hits_table(results: list[tuple[str, list[dict]]]) -> Table:
    """Search hits of one or more queries, one row per hit."""
    many = len(results) > 1
    cols = (["query"] if many else []) + list(HIT_COLUMNS)
    rows = [([q] if many else []) + [round(h[c], 4) if c == "score" else h.get(c) for c in HIT_COLUMNS]
            for q, hits in results for h in hits]
    title = "Search" if many else f'Search: "{results[0][0]}"' if results else "Search"
    return Table(title, cols, rows, note="no passages match")
