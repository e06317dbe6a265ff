"""`scrutiny`: the command-line skin over ingest/, nlp/, kb/ and reports/.

Commands live in one small module per group; this module only wires them up.
Heavy libraries (spaCy, torch, chromadb) are imported inside the commands that need them.
"""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import click

from kb.store import StoreError, default_home, kb_location, store_error

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


class KBLocation(click.ParamType):
    """A knowledge base folder (a Path), or a postgresql:// URL (kept as it is)."""

    name = "kb"

    def get_metavar(self, param, ctx=None):
        return "PATH|URL"

    def convert(self, value, param, ctx):
        if isinstance(value, Path):
            return value
        loc = kb_location(value)
        if isinstance(loc, Path) and loc.exists() and not loc.is_dir():
            self.fail(f'"{value}" is a file, not a knowledge base folder', param, ctx)
        return loc


class Scrutiny(click.Group):
    """The command group; a store error that no command turned into its own message (a damaged
    kb.sqlite found mid-query, a full disk) is said once here, with what to do, never as a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except sqlite3.DatabaseError as e:
            raise click.ClickException(str(store_error((ctx.obj or {}).get("home") or default_home(), e))) from None
        except StoreError as e:
            raise click.ClickException(str(e)) from None


@click.group(cls=Scrutiny, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--kb", "kb_path", type=KBLocation(), envvar="SCRUTINY_KB",
              help="Knowledge base folder, or a postgresql://USER@HOST/DB URL for a server knowledge base "
                   "[env SCRUTINY_KB; default ~/.local/share/scrutiny-kb].")
@click.option("--vectors", "vectors", metavar="URL", envvar="SCRUTINY_VECTORS",
              help="The Chroma server of a server knowledge base, http://HOST:PORT [env SCRUTINY_VECTORS].")
@click.version_option(package_name="scrutiny-kb")
@click.pass_context
def cli(ctx: click.Context, kb_path: Path | str | None, vectors: str | None) -> None:
    """Scrutiny KB: a knowledge base of council committee papers.

    Ingest minutes, reports and slides; extract the figures, recommendations,
    decisions, actions, dates and people they hold; search, compare and track.
    """
    if vectors:
        os.environ["SCRUTINY_VECTORS"] = vectors  # read by kb/pg.py where a server KB opens its vectors
    ctx.obj = {"home": kb_path or default_home()}


from cli import (  # noqa: E402 (they import `cli` above)
    admin_cmd,
    fetch_cmd,
    ingest_cmd,
    report_cmd,
    search_cmd,
    tracker_cmd,
    web_cmd,
)

for module in (ingest_cmd, fetch_cmd, search_cmd, report_cmd, admin_cmd, tracker_cmd, web_cmd):  # tracker_cmd's `actions` wraps report_cmd's
    for command in module.COMMANDS:
        cli.add_command(command)
