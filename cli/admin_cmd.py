"""`scrutiny check`, `scrutiny backup` and `scrutiny migrate`."""
from __future__ import annotations

import json
from pathlib import Path

import click

from cli.common import emit, get_store, output_options


@click.command()
@click.option("--repair", is_flag=True, help="Rebuild what is derivable (indexes, orphan rows).")
@output_options(("table", "json"))
@click.pass_context
def check(ctx, repair, fmt, output):
    """Verify the knowledge base: counts, orphan rows, index agreement. Exit 1 on problems.

    Without --repair nothing is written. A damaged kb.sqlite is restored from a backup; the search
    indexes (keywords, vectors) are derivable and --repair rebuilds them, moving an unreadable vector
    store aside.
    """
    from kb.maintenance import check as run_check

    store = get_store(ctx, readonly=True, inspect=not repair)
    try:
        if repair:
            with store.writer_lock():
                report = run_check(store, repair=True)
        else:
            report = run_check(store)
    finally:
        store.close()  # the last connection to close removes SQLite's -wal and -shm files: nothing left behind
    if fmt == "json":
        emit(json.dumps({"ok": report.ok, "counts": report.counts, "problems": report.problems,
                         "repaired": report.repaired, "damaged": report.damaged}, indent=1), output)
    else:
        lines = [", ".join(f"{v} {k}" for k, v in report.counts.items())]
        lines += [f"repaired: {r}" for r in report.repaired] + [f"problem: {p}" for p in report.problems]
        lines.append("OK" if report.ok else "kb.sqlite is damaged: restore the knowledge base from a backup"
                     if report.damaged else f"{len(report.problems)} problem(s); run `scrutiny check --repair`")
        emit("\n".join(lines) + "\n", output)
    if not report.ok:
        ctx.exit(1)


@click.command()
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@click.pass_context
def backup(ctx, dest):
    """Write a consistent copy of the knowledge base to DEST (safe while it is in use).

    Restore by pointing --kb (or SCRUTINY_KB) at the copy, or copying it back.
    """
    from kb.maintenance import backup as run_backup

    store = get_store(ctx, readonly=True)
    try:
        info = run_backup(store, dest)
    except FileExistsError as e:
        raise click.ClickException(str(e)) from None
    click.echo(f"backed up to {info['dest']}: " + ", ".join(f"{v} {k}" for k, v in info["counts"].items()))




@click.command()
@click.option("--to", "to", required=True, metavar="URL",
              help="The server knowledge base to copy into: postgresql://USER@HOST/DB (vectors go to --vectors).")
@click.option("--no-index", is_flag=True, help="Copy no vectors (a later `check --repair` embeds the passages).")
@click.pass_context
def migrate(ctx, to, no_index):
    """Copy this (embedded) knowledge base into a server knowledge base, parsing nothing again.

    Documents, their blocks and records, corrections (with their ids) and web users are copied; the
    passages are cut again and keep their vectors (by the hash of their text), so nothing already embedded
    is embedded again. Follow-up links are recomputed there. The source is only read.
    """
    from kb.moving import copy_kb
    from kb.store import is_server, open_store

    if not is_server(to):
        raise click.UsageError(f'--to must be a postgresql:// URL, not "{to}"')
    src = get_store(ctx, readonly=True)
    try:
        if src.server:
            raise click.UsageError("--kb names a server knowledge base already; migrate copies an embedded one")
        dst = open_store(to)
        try:
            with dst.writer_lock():
                info = copy_kb(src, dst, progress=lambda m: click.echo(m, err=True), embed=not no_index)
        finally:
            dst.close()
    finally:
        src.close()
    click.echo(", ".join(f"{v} {k.replace('_', ' ')}" for k, v in info.items()) + f" copied into {dst.location()}")


COMMANDS = [check, backup, migrate]
