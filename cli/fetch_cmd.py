"""`scrutiny fetch moderngov`: committee papers downloaded from a ModernGov site, then ingested."""
from __future__ import annotations

from urllib.parse import urlsplit

import click

from cli.common import DATE
from kb.store import files_home


def _download_options(f):
    """What both ways of fetching take: whose papers, how politely, and what to do with them after."""
    options = [
        click.option("--authority", help="The council's name, recorded as every paper's authority (default: inferred)."),
        click.option("--delay", type=click.FloatRange(min=0), default=1.0, show_default=True,
                     help="Seconds between two requests."),
        click.option("--timeout", type=click.FloatRange(min=1), default=60, show_default=True,
                     help="Seconds one request may take."),
        click.option("--retries", type=click.IntRange(min=0), default=3, show_default=True,
                     help="Retries (with back-off) after a server error or no answer."),
        click.option("--no-ingest", is_flag=True, help="Download only; a later `scrutiny ingest` reads them."),
        click.option("--no-index", is_flag=True, help="Ingest without embedding for search."),
        click.option("--quiet", "-q", is_flag=True, help="Print only the summaries and failures."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


@click.group()
def fetch():
    """Download committee papers from where councils publish them, then ingest them."""


@fetch.command("moderngov")
@click.argument("base_url")
@click.option("--committee", "committees", multiple=True, metavar="NAME",
              help="Only committees whose title holds NAME (repeatable; default: all).")
@click.option("--since", type=DATE, help="First meeting date (YYYY[-MM[-DD]], \"6 months ago\"; default: a year ago).")
@click.option("--until", type=DATE, help="Last meeting date (default: today).")
@_download_options
@click.pass_context
def moderngov(ctx, base_url, committees, since, until, authority, delay, timeout, retries, no_ingest, no_index,
              quiet):
    """Papers of a ModernGov site's meetings (agenda, minutes, reports, appendices), read through its web
    service (mgWebService.asmx), into the KB's papers/ folder with what the site says (committee, meeting
    date, URL) as their metadata; then ingested. One request at a time, conditional requests: what is held
    unchanged is not downloaded again. Exit status 1 if anything failed."""
    from ingest.fetch import fetch_moderngov, papers_root
    from ingest.fetch.http import Client
    from kb.dates import bounds

    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise click.UsageError(f'BASE_URL must be a site\'s address, such as https://democracy.lancashire.gov.uk '
                               f'(got "{base_url}")')
    since, until = bounds(since)[0] if since else None, bounds(until)[1] if until else None
    if since and until and since > until:
        raise click.UsageError("--since is after --until")
    client = Client(hosts={parts.netloc.lower()}, delay=delay, timeout=timeout, retries=retries)
    home = files_home(ctx.obj["home"])  # where the papers are kept
    report = fetch_moderngov(home, base_url, client, committees, since, until, authority,
                             progress=None if quiet else lambda p: click.echo(f"  {p.meeting_date} {p.committee}: "
                                                                              f"{p.title}", err=True))
    _finish(ctx, report, client, parts.netloc, [str(papers_root(home, base_url))], no_ingest, no_index, quiet)


@fetch.command("urls")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@_download_options
@click.pass_context
def urls(ctx, file, authority, delay, timeout, retries, no_ingest, no_index, quiet):
    """Papers from a plain list of document URLs (one a line; # comments), for councils on other systems:
    downloaded into the KB's papers/<host>/ folder (no request to any host the list does not name), with
    each URL as its document's metadata, then ingested. What is held unchanged is not downloaded again."""
    from ingest.fetch import fetch_urls, papers_root, read_url_list
    from ingest.fetch.http import Client

    try:
        listed = read_url_list(file.read())
    except ValueError as e:
        raise click.UsageError(f"{file.name}: {e}") from None
    if not listed:
        raise click.UsageError(f"{file.name}: no URLs in the list")
    client = Client(hosts={urlsplit(u).netloc.lower() for u in listed}, delay=delay, timeout=timeout,
                    retries=retries)
    home = files_home(ctx.obj["home"])  # where the papers are kept
    report = fetch_urls(home, listed, client, authority,
                        progress=None if quiet else lambda p: click.echo(f"  {p.url}", err=True))
    roots = sorted({str(papers_root(home, u)) for u in listed})
    _finish(ctx, report, client, ", ".join(sorted(client.hosts)), roots, no_ingest, no_index, quiet)


def _finish(ctx, report, client, where: str, roots: list[str], no_ingest: bool, no_index: bool, quiet: bool):
    """The fetch's report, then the ingest of what is held; exit 1 when anything failed."""
    from pathlib import Path

    click.echo(f"fetched from {where}: {len(report.new)} new, {len(report.changed)} changed, "
               f"{len(report.unchanged)} unchanged, {len(report.failed)} failed "
               f"({len(client.requests)} requests)", err=True)
    for url, reason in report.failed:
        click.echo(f"  FAILED {url}: {reason}", err=True)
    roots = [r for r in roots if Path(r).is_dir()]
    ingest_failed = False
    if not no_ingest and roots:
        from cli.ingest_cmd import ingest

        try:
            ctx.invoke(ingest, paths=tuple(roots), quiet=quiet, no_index=no_index)
        except click.exceptions.Exit as e:  # ctx.exit(1) there: a file that failed to ingest
            ingest_failed = bool(e.exit_code)
    if report.failed or ingest_failed:
        ctx.exit(1)


COMMANDS = [fetch]
