"""The geometry of the Insights charts: bars in proportion, nothing drawn from nothing."""

from __future__ import annotations

from followup.domain.insights import Pace, Week
from followup.entrypoints.web import charts
from tests.builders import d


def test_horizontal_bars_are_in_proportion_and_long_labels_cut() -> None:
    chart = charts.horizontal([("a very long source name indeed", 3, "3"), ("b", 1, "1")])
    long, short = chart.bars
    assert long.width == charts.WIDTH - charts.LABEL - charts.VALUE
    assert short.width == round(long.width / 3, 1)
    assert long.shown == "a very long sou…"
    assert len(long.shown) == charts.LONGEST_LABEL
    assert long.label == "a very long source name indeed"  # whole in the description
    assert chart.height == 2 * charts.ROW


def test_rates_are_drawn_against_one() -> None:
    chart = charts.horizontal([("phone", 0.5, "50%"), ("email", 0, "—")], top=1)
    assert chart.bars[0].width == round((charts.WIDTH - charts.LABEL - charts.VALUE) / 2, 1)
    assert chart.bars[1].width == 0


def test_nothing_to_draw_divides_by_nothing() -> None:
    assert charts.horizontal([]).bars == ()
    assert charts.horizontal([("a", 0, "0")]).bars[0].width == 0
    empty = charts.pace(Pace(7, ()), 26)
    assert (empty.bars, empty.ticks) == ((), ())


def test_pace_bars_the_aim_and_the_last_weeks() -> None:
    weeks = tuple(Week(d("2026-01-05"), n) for n in range(30))
    chart = charts.pace(Pace(7, weeks), 26)
    assert len(chart.bars) == 26
    assert chart.bars[0].label == "week of Mon 5 Jan 2026"
    tallest = chart.bars[-1]
    assert (tallest.text, tallest.y, tallest.height) == ("29", 0, charts.PACE_HEIGHT)
    assert chart.aim_y == round(charts.PACE_HEIGHT - charts.PACE_HEIGHT / 29, 1)
    few = charts.pace(Pace(7, weeks[:2]), 26)
    assert all(b.width <= charts.MAX_WEEK_BAR for b in few.bars)
    assert few.aim_y == 0  # 1 a week is the top when no week did more
