"""The Insights figures in words, shared by ``followup stats`` and the Insights page."""

from __future__ import annotations

from followup.domain import words
from followup.domain.insights import FollowUps, Insights, Share, Week

#: What a rate over nothing shows (never a division by zero).
NONE = "—"
#: The sparkline's steps, from an empty week to the busiest one.
BARS = "▁▂▃▄▅▆▇█"
#: The weeks a terminal line or a chart shows: the last ones of the period.
SHOWN_WEEKS = 26


def percent(share: Share) -> str:
    """``67% (4 of 6)``, or ``—`` when the denominator is 0."""
    if share.rate is None:
        return NONE
    return f"{round(share.rate * 100)}% ({share.part} of {share.whole})"


def amount(value: float | None, unit: str = "") -> str:
    if value is None:
        return NONE
    text = str(int(value)) if float(value).is_integer() else f"{value:.1f}"
    return f"{text} {unit}".rstrip()


def period(found: Insights) -> str:
    """Which applications the figures are about, in words."""
    if found.first and found.last:
        return f"applications added from {words.day(found.first)} to {words.day(found.last)}"
    if found.first:
        return f"applications added since {words.day(found.first)}"
    if found.last:
        return f"applications added up to {words.day(found.last)}"
    return "all applications"


def follow_up_line(ups: FollowUps) -> str:
    """``3 made; of the 3 with a due date, 2 on time (67%) and 1 late (median 2 days, at
    most 2)``."""
    if not ups.done:
        return "none made yet"
    text = f"{ups.done} made"
    if not ups.compared:
        return text + "; none had a due date to compare with"
    on_time = ups.on_time
    text += f"; of the {ups.compared} with a due date, {on_time.part} on time"
    text += f" ({round(on_time.part * 100 / on_time.whole)}%)"
    if ups.late:
        text += (
            f" and {len(ups.late)} late (median {amount(ups.median_days_late, 'days')},"
            f" at most {words.plural(ups.max_days_late or 0, 'day')})"
        )
    return text


def shown_weeks(weeks: tuple[Week, ...]) -> tuple[Week, ...]:
    return weeks[-SHOWN_WEEKS:]


def sparkline(weeks: tuple[Week, ...]) -> str:
    """One character a week, its height proportional to the week's applications."""
    top = max((w.applications for w in weeks), default=0)
    if top == 0:
        return BARS[0] * len(weeks)
    return "".join(BARS[round(w.applications * (len(BARS) - 1) / top)] for w in weeks)
