"""Helpers shared by the command modules: opening the KB, output options, writing output."""
from __future__ import annotations

import contextlib
import functools
import sys
from pathlib import Path

import click

from kb.store import StoreError, open_store

# Every output format a command may offer, and the one a file's extension implies.
ALL_FORMATS = ("table", "json", "jsonl", "csv", "md", "html", "xlsx")
EXTENSION_FORMATS = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".md": "md",
                     ".markdown": "md", ".html": "html", ".htm": "html", ".xlsx": "xlsx"}


class DateParam(click.ParamType):
    """Every date option: ISO at any precision, "today", "yesterday", "3 months ago" (kb.dates);
    anything else is a usage error (exit 2) saying what was wrong."""

    name = "date"

    def get_metavar(self, param, ctx=None):
        return "DATE"

    def convert(self, value, param, ctx):
        from kb.dates import parse_user_date

        try:
            return parse_user_date(value)
        except ValueError as e:
            self.fail(str(e), param, ctx)


DATE = DateParam()


def get_store(ctx: click.Context, readonly: bool = True, inspect: bool = False):
    try:
        return open_store(ctx.obj["home"], readonly=readonly, inspect=inspect)
    except StoreError as e:
        raise click.ClickException(str(e)) from None


def resolve_format(fmt: str | None, output: Path | None, formats: tuple[str, ...], default: str) -> str:
    """The format asked for, else the one -o FILE's extension implies, else `default`; a format
    that contradicts the extension (`--format csv -o report.html`) is a usage error."""
    implied = EXTENSION_FORMATS.get(output.suffix.lower()) if output is not None else None
    if fmt is None:
        if implied is not None and implied not in formats:
            raise click.UsageError(f'cannot write {implied} ("{output.name}"); this command writes '
                                   f"{', '.join(formats)}")
        fmt = implied or default
    elif implied is not None and implied != fmt:
        raise click.UsageError(f'--format {fmt} does not match the file name "{output.name}" ({implied}); '
                               f"change one of them")
    if fmt == "xlsx" and output is None:
        raise click.UsageError("--format xlsx needs -o FILE.xlsx")
    return fmt


def output_options(formats: tuple[str, ...], default: str = "table"):
    """`--format`, `-o/--output` and `--json` (same as --format json), declared once for every
    command that lists things. Without --format the format follows -o FILE's extension."""

    def decorator(fn):
        @click.option("--format", "fmt", type=click.Choice(formats), default=None,
                      help=f"Output format [default: {default}, or what -o FILE's extension says].")
        @click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                      help="Write to FILE instead of the terminal.")
        @click.option("--json", "as_json", is_flag=True, hidden="json" not in formats,
                      help="Same as --format json.")
        @functools.wraps(fn)
        def wrapper(*args, fmt=None, output=None, as_json=False, **kwargs):
            if as_json:
                if "json" not in formats:
                    raise click.UsageError(f"--json: this command writes {', '.join(formats)}")
                if fmt not in (None, "json"):
                    raise click.UsageError(f"--json and --format {fmt} disagree; give one of them")
                fmt = "json"
            return fn(*args, fmt=resolve_format(fmt, output, formats, default), output=output, **kwargs)

        return wrapper

    return decorator


def authority_option(help: str = "Only this authority (repeatable; short forms accepted: Lancs, Blackpool)."):
    """`-a/--authority`, the same on every command that filters by authority."""
    return click.option("--authority", "-a", multiple=True, help=help)


def emit(content: str | bytes, output: Path | None) -> None:
    """Write to -o FILE atomically, else to stdout. The temporary file is a new one made beside FILE
    (O_EXCL, never a name that exists: a symlink planted there is not followed), then renamed over FILE."""
    if output is None:
        if isinstance(content, bytes):
            sys.stdout.buffer.write(content)
        else:
            click.echo(content, nl=not content.endswith("\n"))
        return
    import os
    import tempfile

    data = content if isinstance(content, bytes) else content.encode("utf-8")
    try:
        fd, tmp = tempfile.mkstemp(dir=output.parent or ".", prefix=f".{output.name}.", suffix=".part")
    except OSError as e:
        raise click.ClickException(f'cannot write "{output}": {e.strerror}') from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, output)
    except OSError as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise click.ClickException(f'cannot write "{output}": {e.strerror or e}') from None
    click.echo(f"wrote {output}", err=True)


def _umask() -> int:
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask
