"""`scrutiny compare`, `actions` and `timeline`: thin skins over reports/."""
from __future__ import annotations

import click

from cli.common import DATE, authority_option, emit, get_store, output_options
from reports.render import FORMATS


def _run(ctx, name: str, build, fmt: str, output):
    """Build report data with `build(store)`, render it in `fmt`, write it; library errors become ClickException."""
    from reports import render
    from reports.common import ReportError

    if fmt in ("xlsx", "docx") and output is None:
        raise click.UsageError(f"--format {fmt} needs -o FILE.{fmt}")
    store = get_store(ctx)
    try:
        data = build(store)
    except ReportError as e:
        raise click.ClickException(str(e)) from None
    finally:
        store.close()
    module = __import__(f"reports.{name}", fromlist=["title"])
    emit(render.render(name, data, fmt, module, to_file=output is not None), output)


@click.command()
@click.argument("authorities", nargs=-1, required=True)
@click.option("--topic", "-t", required=True, help='What to compare, e.g. "family safeguarding".')
@click.option("--committee", help="Only documents of committees whose name contains this.")
@click.option("--since", type=DATE, help="Only documents from this date (YYYY[-MM[-DD]], \"3 months ago\").")
@click.option("--until", type=DATE, help="Only documents up to this date.")
@click.option("--as-of", type=DATE, help="Date for action and plan status [default: today].")
@output_options(FORMATS)
@click.pass_context
def compare(ctx, authorities, topic, committee, since, until, as_of, fmt, output):
    """Compare what AUTHORITIES' documents say on --topic, side by side.

    Key figures aligned by what they measure (with national and statistical-neighbour figures the
    documents quote), money, ratings, planned-vs-actual timeline, recommendations, decisions, open
    actions, issues and risks, and the sources; every cell cites document and page.

    \b
    Example: scrutiny compare Blackpool Somerset --topic "family safeguarding" --format html -o cmp.html
    """
    from reports.compare import compare as build

    _run(ctx, "compare", lambda s: build(s, authorities, topic, as_of=as_of, committee=committee, since=since,
                                         until=until), fmt, output)


@click.command()
@authority_option()
@click.option("--committee", help="Only actions from committees whose name contains this.")
@click.option("--owner", help="Only actions whose owner contains this.")
@click.option("--status", type=click.Choice(["open", "overdue", "updated", "possible update", "done", "dropped", "all"]),
              default="all", show_default=True)
@click.option("--since", type=DATE, help="Only actions from meetings on or after this date.")
@click.option("--until", type=DATE, help="Only actions from meetings up to this date.")
@click.option("--as-of", type=DATE, help="Date to judge due dates against [default: today].")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.4, show_default=True,
              help="Only actions read with at least this confidence (0 shows every one).")
@click.option("--for-meeting", type=DATE, help="With --committee: the pack for its meeting on DATE (open, "
              "overdue, and what changed since it last met).")
@output_options(FORMATS)
@click.pass_context
def actions(ctx, authority, committee, owner, status, since, until, as_of, min_confidence, for_meeting, fmt, output):
    """The follow-up action tracker: ref, origin meeting, action, owner, due, status, update.

    Status: done, dropped or updated as later papers of the same authority report it (the sentence is
    quoted, with why it was taken), "possible update" for a weaker match to confirm, overdue when the
    due date has passed, open otherwise; a council's own tracker table states its rows' status, and a
    correction (`scrutiny actions set`) has the last word.
    """
    from reports.actions import tracker

    _run(ctx, "actions", lambda s: tracker(s, authority=authority, committee=committee, owner=owner, status=status,
                                           since=since, until=until, as_of=as_of, min_confidence=min_confidence,
                                           for_meeting=for_meeting), fmt, output)


@click.command()
@click.argument("authority")
@click.option("--topic", "-t", help="Only documents on this topic.")
@click.option("--since", type=DATE, help="Only documents from this date.")
@click.option("--until", type=DATE, help="Only documents up to this date.")
@click.option("--as-of", type=DATE, help="Date to judge plans against [default: today].")
@click.option("--meetings/--no-meetings", default=True, show_default=True, help="List the meetings themselves too.")
@output_options(FORMATS)
@click.pass_context
def timeline(ctx, authority, topic, since, until, as_of, meetings, fmt, output):
    """Dated events of AUTHORITY in order, with sources; slipped plans flagged."""
    from reports.timeline import timeline as build

    _run(ctx, "timeline", lambda s: build(s, authority, topic=topic, as_of=as_of, meetings=meetings, since=since,
                                          until=until), fmt, output)


COMMANDS = [compare, actions, timeline]
