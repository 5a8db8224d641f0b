"""The contact window checks itself (R3, R11): one home for what a window may be."""

from __future__ import annotations

from datetime import time

import pytest

from followup.domain.model import ContactWindow, InvalidWindow


@pytest.mark.parametrize(
    ("days", "start", "end", "problem"),
    [
        ({7}, None, None, InvalidWindow.DAYS),
        ({-1, 2}, None, None, InvalidWindow.DAYS),
        (set(), time(10), None, InvalidWindow.HALF),
        (set(), None, time(12), InvalidWindow.HALF),
        ({1}, time(12), time(10), InvalidWindow.ORDER),
        ({1}, time(10), time(10), InvalidWindow.ORDER),
    ],
)
def test_an_impossible_window_cannot_be_made(
    days: set[int], start: time | None, end: time | None, problem: str
) -> None:
    with pytest.raises(InvalidWindow) as caught:
        ContactWindow(frozenset(days), start, end)
    assert caught.value.problem == problem


@pytest.mark.parametrize(
    ("days", "start", "end"),
    [
        (set(), None, None),
        ({0, 6}, None, None),
        ({1, 3}, time(10), time(12)),
        (set(), time(9), time(9, 1)),
    ],
)
def test_a_possible_window_is_kept_as_given(
    days: set[int], start: time | None, end: time | None
) -> None:
    window = ContactWindow(frozenset(days), start, end)
    assert (window.days, window.start, window.end) == (frozenset(days), start, end)
