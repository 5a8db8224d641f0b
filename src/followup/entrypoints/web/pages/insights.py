"""The Insights page (issue 14): the figures of ``followup stats`` with SVG charts.

A GET form picks the period (``?from=&to=``, local days, typed as anywhere else in
followup); a date that cannot be read is said beside its field and the figures of the
whole search are shown instead.

The page is kept by the page cache (:func:`.rendering.cached`) like the others: besides the
records, its figures depend on the day (the pace's weeks) and on which interviews took
place, and both are instants at which the plan changes too (midnight; an interview's start
ends its preparation), so the cache never serves it past them. A large search is thus
counted once per change, not once per visit.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from followup.domain.insights import Insights, Share
from followup.domain.when import DateInputError, parse_day
from followup.entrypoints import figures
from followup.entrypoints.web import charts
from followup.entrypoints.web.rendering import cached, render
from followup.entrypoints.web.state import deps_of
from followup.formats.stats import DEFINITIONS
from followup.services import insights
from followup.services.session import Deps, reading

pages = APIRouter(include_in_schema=False)
posts = APIRouter(include_in_schema=False)


@pages.get("/insights", response_class=HTMLResponse)
async def insights_page(request: Request) -> Response:
    return await cached(request, lambda: _insights(request))


async def _insights(request: Request) -> Response:
    deps = deps_of(request)
    context, status = figures_of(deps, deps.clock.now(), request.query_params)
    return render(request, "insights.html", {**context, "here": "/insights"}, status=status)


def figures_of(deps: Deps, now: datetime, query: Mapping[str, str]) -> tuple[dict[str, Any], int]:
    """The figures of one search for the period a GET form asked (``from``, ``to``), with
    what to say of a date that cannot be read, and the page's status: the seeker's own
    Insights and a coach's read-only view of it show the same (``_insights_figures.html``)."""
    with reading(deps, now) as plan:
        today = plan.today
    typed = {name: (query.get(name) or "").strip()[:40] for name in ("from", "to")}
    errors: dict[str, str] = {}
    days: dict[str, date | None] = {}
    for name, text in typed.items():
        days[name] = None
        if text:
            try:
                days[name] = parse_day(text, today)
            except DateInputError as e:
                errors[name] = str(e)
    first, last = days["from"], days["to"]
    if first is not None and last is not None and first > last:
        errors["to"] = "the end of the period comes before its start"
        first = last = None
    if errors:
        first = last = None
    found = insights.stats(deps, now, first, last)
    context = {
        "found": found,
        "typed": typed,
        "errors": errors,
        "definitions": DEFINITIONS,
        **_charts(found),
        "f": figures,
    }
    return context, 400 if errors else 200


def _charts(found: Insights) -> dict[str, Any]:
    funnel = found.funnel
    whole = funnel.applications
    rows = [
        ("applications", funnel.applications),
        ("answered", funnel.answered),
        ("interviewed", funnel.interviewed),
        ("offers", funnel.offers),
        ("accepted", funnel.accepted),
    ]
    sources = [
        (s.name or "(no source)", s.response.rate or 0, _short(s.response)) for s in found.sources
    ]
    channels = [(c.channel.value, c.response.rate or 0, _short(c.response)) for c in found.channels]
    return {
        "funnel_chart": charts.horizontal(
            [
                (name, n, f"{n}" + (f" ({round(n * 100 / whole)}%)" if whole else ""))
                for name, n in rows
            ]
        ),
        "source_chart": charts.horizontal(sources, top=1),
        "channel_chart": charts.horizontal(channels, top=1),
        "pace_chart": charts.pace(found.pace, figures.SHOWN_WEEKS),
        "weeks": figures.shown_weeks(found.pace.weeks),
    }


def _short(share: Share) -> str:
    """A rate as a chart's bar says it (``67%``); the table beside it gives the counts."""
    return figures.NONE if share.rate is None else f"{round(share.rate * 100)}%"
