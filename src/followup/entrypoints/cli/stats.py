"""``followup stats``: how the search is going, in figures (issue 14)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from followup.domain import words
from followup.entrypoints.cli.base import Env, json_option, now_option, pass_env
from followup.entrypoints.cli.formatter import Formatter
from followup.entrypoints.cli.output import heading, is_terminal, table
from followup.entrypoints.figures import (
    NONE,
    amount,
    follow_up_line,
    percent,
    period,
    shown_weeks,
    sparkline,
)
from followup.formats.stats import DEFINITIONS

if TYPE_CHECKING:
    from followup.domain.insights import Insights

HELP = (
    "How your search is going: the funnel, the response rate, your follow-up discipline,"
    " where it works, and your pace.\n\n"
    "The figures are about the applications added from --from to --to (your local days,"
    " both included), and all that happened to them since. A rate is shown as — when"
    " there is nothing to divide by. How each figure is counted:\n\n"
    + "\n\n".join(f"{name}: {text}" for name, text in DEFINITIONS.items())
)


@click.command(help=HELP)
@click.option("--from", "first", metavar="DATE", help="Only applications added on or after DATE.")
@click.option("--to", "last", metavar="DATE", help="Only applications added on or before DATE.")
@json_option
@now_option
@pass_env
def stats(env: Env, first: str | None, last: str | None, out: Formatter) -> None:
    from followup.services.insights import stats as compute  # noqa: PLC0415

    start = env.day(first, "--from") if first is not None else None
    end = env.day(last, "--to") if last is not None else None
    found = compute(env.deps, env.now, start, end)

    def data() -> dict[str, object]:
        from followup.formats.stats import stats_json  # noqa: PLC0415

        return stats_json(found)

    out.show(data, lambda: print_stats(found))


def print_stats(found: Insights) -> None:
    heading(f"Insights: {period(found)} (today is {words.day(found.today)})")
    if found.empty:
        click.echo(
            "No application in this period yet. Once you record some (followup add), "
            "this shows how they are going."
        )
        return
    f = found.funnel
    click.echo("")
    table(
        ["funnel", "count", "of applications"],
        [
            ["applications", str(f.applications), ""],
            *(
                [name, str(n), f"{round(n * 100 / f.applications)}%"]
                for name, n in (
                    ("answered", f.answered),
                    ("interviewed", f.interviewed),
                    ("offers", f.offers),
                    ("accepted", f.accepted),
                )
            ),
        ],
    )
    click.echo("")
    click.echo(f"Response rate: {percent(found.response)}")
    click.echo(f"Time to first answer: {amount(found.median_days_to_answer, 'days')} (median)")
    click.echo(f"Thank-yous all sent: {percent(found.thank_yous)} of interviews")
    click.echo(f"Status follow-ups: {follow_up_line(found.follow_ups)}")
    click.echo("")
    table(
        ["source", "applications", "response", "interview"],
        [
            [s.name or "(none)", str(s.applications), percent(s.response), percent(s.interview)]
            for s in found.sources
        ],
        title="By source",
    )
    click.echo("")
    table(
        ["channel", "follow-ups", "response", "interview after"],
        [
            [c.channel.value, str(c.follow_ups), percent(c.response), percent(c.interview)]
            for c in found.channels
        ],
        title="By channel",
    )
    _pace(found)
    click.echo("")
    click.echo("How each figure is counted: followup stats --help.")


def _pace(found: Insights) -> None:
    pace = found.pace
    weeks = shown_weeks(pace.weeks)
    click.echo("")
    aim = amount(round(pace.aim, 2))
    heading(
        f"Pace: {amount(pace.per_week)} a week (R9 aims at {aim}); weeks on aim: "
        f"{percent(pace.weeks_on_aim)}"
    )
    if not weeks:
        click.echo(f"  {NONE}")
        return
    shown = f"the last {len(weeks)} weeks" if len(weeks) < len(pace.weeks) else "each week"
    if is_terminal():
        click.echo(f"  {sparkline(weeks)}  {shown}, from {words.day(weeks[0].start)}")
        return
    click.echo(f"  {shown}:")
    for w in weeks:
        mark = "" if pace.on_aim(w) else "  (below the aim)"
        click.echo(f"  week of {words.day(w.start)}: {w.applications}{mark}")
