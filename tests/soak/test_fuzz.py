"""A fuzzer over what reads untrusted text: the import file reader, the date and time
parsers and the call-window parser (issue 11, ``make soak``).

Any input gives a value or the module's own error (:class:`InvalidFile`,
:class:`DateInputError`), never another exception. Each target runs for a fixed time
budget, ``FUZZ_SECONDS`` (a second in ``make test``; ``make soak`` sets a long one):
Hypothesis is run again and again, new examples each time, until the budget is spent.
The figures are printed (``pytest -s``) and kept in ``test-artifacts/fuzz.json``.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup import bootstrap
from followup.domain.when import DateInputError, parse_day, parse_moment, parse_now, parse_window
from followup.errors import InvalidFile
from followup.formats import reader, stream
from followup.formats.interchange import Checks
from followup.services import interchange

BUDGET = float(os.environ.get("FUZZ_SECONDS", "1"))
NOW = datetime(2026, 10, 20, 9, tzinfo=UTC)
ZONES = [ZoneInfo(z) for z in ("Europe/Lisbon", "America/New_York", "Australia/Lord_Howe")]
FIGURES: dict[str, dict[str, float]] = {}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# --- inputs -------------------------------------------------------------------------------

#: Text near what the parsers expect: their own words, digits, separators, odd characters.
_PIECES = st.sampled_from(
    ["today", "tomorrow", "yesterday", "tue", "monday", "+3d", "-2w", "+9999w", "mar", "Mon",
     "2026", "10", "25", "01:30", "24:00", "9", "-", ":", "T", " ", ",", "+01:00", "-25:00",
     "Z", "2026-10-25", "2026-02-30", "9999-12-31", "0001-01-01", "weekdays", "mon-fri",
     "10:00-12:00", "14-16", "\u2028", "\x00", "\u0660", "\uff11", "é"]
)  # fmt: skip
TEXTS = st.one_of(
    st.text(max_size=40),
    st.lists(_PIECES, max_size=6).map("".join),
    st.lists(_PIECES).map(" ".join),
)

_KEYS = st.sampled_from(
    ["id", "company", "position", "status", "applied_on", "contacts", "interviews", "touches",
     "name", "role", "email", "phone", "at", "interviewers", "contact_window", "days", "start",
     "end", "channel", "purpose", "outcome", "contact", "dismissed", "notes", "decision",
     "snoozed_until", "link", "message_id", "answer_by", "cancelled", "settings", "policy"]
)  # fmt: skip
_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), TEXTS,
    st.sampled_from(["active", "hr", "email", "phone", "sent", "status", "no_answer", "ana",
                     "iv1", "2026-03-02T10:00:00Z", "2026-03-02", "10:00", "tue",
                     "ana@acme.example", "+351 912 345 678", "https://x.example"]),
)  # fmt: skip
JSON = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_KEYS, inner, max_size=6)),
    max_leaves=30,
)
DOCUMENTS = st.fixed_dictionaries(
    {"format": st.just("followup/1"), "applications": st.lists(JSON, max_size=3)},
    optional={"settings": JSON},
)


def _damaged(document: dict[str, Any], at: int, bad: bytes) -> bytes:
    """A valid document with a byte or two replaced at ``at``: syntax errors anywhere."""
    data = json.dumps(document).encode()
    at %= len(data) + 1
    return data[:at] + bad + data[at + 1 :]


FILES = st.one_of(
    st.binary(max_size=200),
    DOCUMENTS.map(lambda d: json.dumps(d).encode()),
    st.builds(_damaged, DOCUMENTS, st.integers(0, 10_000), st.binary(min_size=0, max_size=2)),
)

# --- the fuzzer ---------------------------------------------------------------------------


def fuzz(name: str, strategy: st.SearchStrategy[Any], target: Callable[[Any], None]) -> None:
    """Run ``target`` on examples of ``strategy`` until the budget is spent."""
    tried = 0

    @settings(
        max_examples=100, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(strategy)
    def once(value: Any) -> None:
        nonlocal tried
        tried += 1
        target(value)

    start = time.monotonic()
    while time.monotonic() - start < BUDGET:
        once()  # an unexpected exception fails here, with the (shrunk) input that raised it
    seconds = time.monotonic() - start
    FIGURES[name] = {"tried": tried, "failed": 0, "seconds": round(seconds, 1)}
    print(f"fuzz {name}: {tried:,} inputs, 0 unexpected exceptions, {seconds:.0f} s")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "fuzz.json").write_text(json.dumps(FIGURES, indent=2))


@pytest.fixture(scope="module")
def checks(tmp_path_factory: pytest.TempPathFactory) -> Checks:
    deps = bootstrap.build(str(tmp_path_factory.mktemp("fuzz") / "f.db"), NOW)
    return interchange.checks(deps, "PT")


def test_the_file_reader(checks: Checks) -> None:
    def target(data: bytes) -> None:
        with contextlib.suppress(InvalidFile):
            stream.Streamed(lambda: io.BytesIO(data), checks).check()
        try:  # the same file parsed whole (the API's path) gives the same kind of answer
            parsed = json.loads(data)
        except ValueError:  # not JSON: the stream said so above
            return
        with contextlib.suppress(InvalidFile):
            reader.read(parsed, checks)

    fuzz("file reader", FILES, target)


def test_the_date_parsers() -> None:
    def target(value: tuple[str, ZoneInfo]) -> None:
        text, tz = value
        for parse in (
            lambda: parse_day(text, NOW.date()),
            lambda: parse_moment(text, NOW, tz),
            lambda: parse_now(text),
        ):
            with contextlib.suppress(DateInputError):
                parse()

    fuzz("date parser", st.tuples(TEXTS, st.sampled_from(ZONES)), target)


def test_the_window_parser() -> None:
    def target(text: str) -> None:
        with contextlib.suppress(DateInputError):
            parse_window(text)

    fuzz("window parser", TEXTS, target)
