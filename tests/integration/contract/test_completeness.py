"""Every method of the store's ports is called by some contract test, so that no method of
the fake (or of a store to come) goes unverified, and a new method needs its contract."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from followup.services import ports

PARTS = [
    ports.StoredSettings,
    ports.Records,
    ports.Listings,
    ports.StoredPlan,
    ports.History,
    ports.MailState,
    ports.FeedAndDigest,
    ports.Store,
]


def methods(protocol: type) -> list[str]:
    return [name for name, value in vars(protocol).items() if callable(value) and name[0] != "_"]


def test_the_repository_is_exactly_its_parts() -> None:
    combined = {name for part in PARTS[:-1] for name in methods(part)}
    assert len(combined) == sum(len(methods(part)) for part in PARTS[:-1])
    bases = [c for c in ports.Repository.__mro__[1:] if c.__module__ == ports.__name__]
    assert bases == PARTS[:-1]


@pytest.mark.parametrize("part", PARTS, ids=lambda p: p.__name__)
def test_each_method_is_called_by_a_contract(part: type) -> None:
    calls = "\n".join(p.read_text() for p in Path(__file__).parent.glob("test_*.py"))
    uncalled = [name for name in methods(part) if not re.search(rf"\.{name}\(", calls)]
    assert not uncalled, f"no contract test calls {part.__name__}: {', '.join(uncalled)}"
