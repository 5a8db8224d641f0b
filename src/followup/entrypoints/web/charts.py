"""The Insights page's charts, as geometry for hand-written SVG (issue 14).

Why by hand: the page has three small charts (a funnel of five bars, the rates by source
or channel, a bar a week), each a few rectangles and labels. A charting library (Altair,
Plotly, pygal) would weigh more than the whole web app, most of them draw with
JavaScript, and none makes the chart more accessible than an SVG whose numbers are also
written beside it. This module only computes where each bar goes; the template writes
the SVG (autoescaped, so a source's name cannot inject markup).

Coordinates are in the SVG's own units: the chart is :data:`WIDTH` wide and scales to its
container (``viewBox``), so it reads the same on a phone and on a wide screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from followup.domain import words
from followup.domain.insights import Pace

WIDTH = 400
ROW = 28
BAR = 18
LABEL = 130  # room for the labels, left of the horizontal bars
VALUE = 90  # room for the value, right of them
PACE_HEIGHT = 140
AXIS = 18  # room for the first and last week's dates, under the bars
MAX_WEEK_BAR = 40  # a period of a few weeks gets bars, not slabs
LONGEST_LABEL = 16  # characters of a label in a chart (the table beside it has it whole)


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    #: What the bar says in words: ``4``, ``67%``.
    text: str
    x: float
    y: float
    width: float
    height: float

    @property
    def shown(self) -> str:
        """The label as the chart writes it: a long one is cut (the title, the description
        and the table beside the chart have it whole)."""
        if len(self.label) <= LONGEST_LABEL:
            return self.label
        return self.label[: LONGEST_LABEL - 1] + "…"


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    bars: tuple[Bar, ...]
    #: The height of R9's aim (pace only), as a line across the bars.
    aim_y: float | None = None
    #: The dates under the pace chart: (x, text, anchor).
    ticks: tuple[tuple[float, str, str], ...] = ()


def horizontal(rows: list[tuple[str, float, str]], top: float | None = None) -> Chart:
    """One bar a row, ``(label, value, text)``; the longest is ``top`` (default: the
    largest value). A value of 0 draws no bar, only its text."""
    most = top if top is not None else max((v for _, v, _ in rows), default=0)
    room = WIDTH - LABEL - VALUE
    bars = tuple(
        Bar(
            label,
            text,
            LABEL,
            i * ROW + (ROW - BAR) / 2,
            round(room * value / most, 1) if most else 0,
            BAR,
        )
        for i, (label, value, text) in enumerate(rows)
    )
    return Chart(WIDTH, max(1, len(rows)) * ROW, bars)


def pace(p: Pace, weeks_shown: int) -> Chart:
    """A bar a week (the last ``weeks_shown``), with R9's aim as a line across."""
    weeks = p.weeks[-weeks_shown:]
    most = max([p.aim, *(w.applications for w in weeks)])
    step = WIDTH / max(1, len(weeks))
    bars = []
    for i, w in enumerate(weeks):
        height = round(PACE_HEIGHT * w.applications / most, 1) if most else 0
        width = min(step * 0.7, MAX_WEEK_BAR)
        bars.append(
            Bar(
                f"week of {words.day(w.start)}",
                str(w.applications),
                round(i * step + (step - width) / 2, 1),
                PACE_HEIGHT - height,
                round(width, 1),
                height,
            )
        )
    ticks: tuple[tuple[float, str, str], ...] = ()
    if weeks:
        ticks = ((0, words.day(weeks[0].start), "start"),)
        if len(weeks) > 1:
            ticks += ((WIDTH, words.day(weeks[-1].start), "end"),)
    aim_y = round(PACE_HEIGHT - PACE_HEIGHT * p.aim / most, 1) if most else None
    return Chart(WIDTH, PACE_HEIGHT + AXIS, tuple(bars), aim_y, ticks)
