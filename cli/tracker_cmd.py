"""Corrections: `scrutiny actions set`, `records`, `docs set` and `corrections` (history, export, undo).

Thin skins over kb.corrections. `actions` stays the tracker report (cli.report_cmd) when run without a
subcommand; `actions set REF` corrects one action.
"""
from __future__ import annotations

import csv
import inspect
import io
import json

import click

from cli.common import emit, get_store
from cli.report_cmd import actions as actions_report


def _correcting(ctx, fn):
    """Run fn(store) on a writable store; a CorrectionError becomes a ClickException naming the culprit."""
    from kb.corrections import CorrectionError

    store = get_store(ctx, readonly=True)  # it must exist: corrections name what is stored
    try:
        return fn(store)
    except CorrectionError as e:
        raise click.ClickException(str(e)) from None
    finally:
        store.close()


@click.pass_context
def _tracker(ctx, **kwargs):
    if ctx.invoked_subcommand is None:
        ctx.invoke(actions_report.callback, **kwargs)


actions = click.Group(
    name="actions", params=list(actions_report.params), callback=_tracker, invoke_without_command=True,
    help=inspect.cleandoc(actions_report.help or "") + "\n\nWith a subcommand: `actions set REF ...` corrects one action.",
    short_help="The follow-up action tracker (and `actions set` to correct one).")


@actions.command("set")
@click.argument("ref")
@click.option("--status", type=click.Choice(["done", "open", "dropped"]), help="The action's status, as you know it.")
@click.option("--note", help="Why: shown with the corrected value.")
@click.option("--evidence", metavar="DOC[:PAGE]", help="The paper that shows it (id, id prefix or path, and page).")
@click.option("--owner", help="Who must act.")
@click.option("--due", metavar="DATE", help="Due date (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--by", help="Who makes the correction [default: $USER].")
@click.pass_context
def set_action(ctx, ref, status, note, evidence, owner, due, by):
    """Correct action REF (as `scrutiny actions` shows it, e.g. 0f3a9c12-3, or a record id actions:0f3a9c12-3).

    The correction is kept apart from what is extracted and survives re-ingesting the file and new
    extraction rules; every report marks the value as set by hand. `scrutiny corrections undo` undoes it.
    """
    from kb.corrections import set_action as run

    change = _correcting(ctx, lambda s: run(s, ref, status=status, note=note, evidence=evidence, owner=owner,
                                            due=due, by=by))
    click.echo(f"correction {change}: action {ref} set by hand")


@click.group()
def records():
    """List records with their ids; reject a wrong one."""


@records.command("reject")
@click.argument("record_id")
@click.option("--reason", required=True, help="Why the record is wrong.")
@click.option("--by", help="Who rejects it [default: $USER].")
@click.pass_context
def reject(ctx, record_id, reason, by):
    """Reject RECORD_ID (KIND:NUMBER as `scrutiny records list` shows it, or an action's tracker ref).

    A rejected record disappears from every report, export and listing; `scrutiny corrections undo` brings it back.
    """
    from kb.corrections import reject as run

    change = _correcting(ctx, lambda s: run(s, record_id, reason, by=by))
    click.echo(f"correction {change}: {record_id} rejected")


@records.command("list")
@click.argument("doc")
@click.option("--kind", type=click.Choice(["metrics", "recommendations", "decisions", "actions", "dates", "people"]),
              help="Only records of this kind.")
@click.option("--rejected", is_flag=True, help="Show rejected records too (marked).")
@click.pass_context
def list_records(ctx, doc, kind, rejected):
    """The records of document DOC (id, id prefix or source path) with their ids."""
    from kb.store import RECORD_KINDS

    store = get_store(ctx)
    try:
        d = store.get_document(doc)
        if d is None:
            raise click.ClickException(f'no document matches "{doc}"')
        for k in ([kind] if kind else RECORD_KINDS):
            for r in store.records(k, d["id"], keep_rejected=rejected):
                mark = " [rejected]" if "rejected" in (r.get("set_by_hand") or {}) else ""
                text = r.get("text") if k != "people" else f"{r.get('name')} ({r.get('role') or ''})"
                click.echo(f"{r['id']:>28}  p{r.get('page') or '-':<4} {(text or '')[:110]}{mark}")
    finally:
        store.close()


@click.group()
def docs():
    """Correct a document's metadata."""


@docs.command("set")
@click.argument("doc")
@click.option("--authority", help='The council ("-" for none).')
@click.option("--committee", help='The committee or meeting body ("-" for none).')
@click.option("--meeting-date", help="The meeting date (YYYY-MM-DD).")
@click.option("--kind", type=click.Choice(["minutes", "report", "presentation", "agenda", "other"]))
@click.option("--note", help="Why.")
@click.option("--by", help="Who makes the correction [default: $USER].")
@click.pass_context
def set_doc(ctx, doc, authority, committee, meeting_date, kind, note, by):
    """Correct document DOC's authority, committee, meeting date or kind (kept when the file is ingested again)."""
    from kb.corrections import set_document

    fields = {"authority": authority, "committee": committee, "meeting_date": meeting_date, "kind": kind}
    change = _correcting(ctx, lambda s: set_document(s, doc, fields, note=note, by=by))
    click.echo(f"correction {change}: {doc} " + ", ".join(f"{k} set" for k, v in fields.items() if v is not None))


@click.group(invoke_without_command=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to FILE.")
@click.pass_context
def corrections(ctx, fmt, output):
    """The history of corrections (who, when, what, undone or not); `corrections undo CHANGE` undoes one."""
    if ctx.invoked_subcommand is not None:
        return
    from pathlib import Path

    from kb.corrections import history

    store = get_store(ctx)
    try:
        rows = history(store)
    finally:
        store.close()
    emit(_history_text(rows, fmt), Path(output) if output else None)


def _history_text(rows: list[dict], fmt: str) -> str:
    cols = ["id", "change_id", "target", "kind", "source", "text", "field", "value", "old_value", "note", "evidence",
            "by", "at", "undone_by", "undone_at"]
    if fmt == "json":
        return json.dumps(rows, indent=1, ensure_ascii=False)
    if fmt == "csv":
        from kb.safe import csv_cell

        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(cols)
        for r in rows:
            w.writerow([csv_cell("" if r.get(c) is None else r.get(c)) for c in cols])
        return buf.getvalue()
    if not rows:
        return "no corrections\n"
    out = []
    for r in rows:
        what = r["text"] or r["source"]
        state = f"  (undone by {r['undone_by']} {r['undone_at'][:10]})" if r.get("undone_at") else ""
        out.append(f"{r['change_id']:>4} {r['at'][:16]} {r['by']}: {r['kind']} {r['field']} = {r['value']!s} "
                   f"[{(what or '')[:70]}]" + (f" — {r['note']}" if r.get("note") else "") + state)
    return "\n".join(out) + "\n"


@corrections.command("undo")
@click.argument("change", type=int)
@click.option("--by", help="Who undoes it [default: $USER].")
@click.pass_context
def undo(ctx, change, by):
    """Undo correction CHANGE (its number in `scrutiny corrections`); the history keeps both."""
    from kb.corrections import undo as run

    rows = _correcting(ctx, lambda s: run(s, change, by=by))
    click.echo(f"undone: correction {change} ({len(rows)} value(s))")


COMMANDS = [actions, records, docs, corrections]
