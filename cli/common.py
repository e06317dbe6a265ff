"""Helpers shared by the command modules: opening the KB, output options, writing output."""
from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from kb.store import StoreError, open_store


def get_store(ctx: click.Context, readonly: bool = True):
    try:
        return open_store(ctx.obj["home"], readonly=readonly)
    except StoreError as e:
        raise click.ClickException(str(e)) from None


def output_options(formats: tuple[str, ...], default: str = "table"):
    """`--format` and `-o/--output`, declared once for every command that lists things."""

    def decorator(fn):
        @click.option("--format", "fmt", type=click.Choice(formats), default=default, show_default=True,
                      help="Output format.")
        @click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                      help="Write to FILE instead of the terminal.")
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            return fn(*args, **kwargs)

        return wrapper

    return decorator


def emit(content: str | bytes, output: Path | None) -> None:
    """Write to -o FILE atomically (a temp file renamed into place), else to stdout."""
    if output is None:
        if isinstance(content, bytes):
            sys.stdout.buffer.write(content)
        else:
            click.echo(content, nl=not content.endswith("\n"))
        return
    tmp = output.with_name(f".{output.name}.part")
    if isinstance(content, bytes):
        tmp.write_bytes(content)
    else:
        tmp.write_text(content, encoding="utf-8")
    tmp.replace(output)
    click.echo(f"wrote {output}", err=True)
