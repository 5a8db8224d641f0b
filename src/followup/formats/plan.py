"""Actions as JSON: the public ``plan --json`` entries, and the full record the store keeps.

The public shape is FORMAT.md's and is pinned by tests; only optional fields may be
added to it. The full record adds what ``explain`` needs (the window's days, the steps)
and round-trips exactly, so the stored plan can be compared with a fresh one.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time
from sys import intern
from typing import Any

from followup.domain.model import WEEKDAYS, Action, ActionKind, Channel, ContactWindow, Step
from followup.domain.words import clock, weekday_codes


def public(action: Action, today: date) -> dict[str, Any]:
    """One entry of ``plan --json`` (FORMAT.md, "The plan")."""
    hours = action.window.hours if action.window is not None else None
    record = {
        "id": action.id,
        "kind": action.kind.value,
        "application": action.application,
        "company": action.company,
        "position": action.position,
        "contact": action.contact,
        "channel": action.channel.value if action.channel else None,
        "due": action.due.isoformat(),
        "window": {"start": clock(hours[0]), "end": clock(hours[1])} if hours else None,
        "overdue": action.due < today,
        "rule": action.rule,
        "reason": action.reason,
        "script": list(action.script),
    }
    if action.contact_application is not None:
        # Optional (FORMAT.md allows adding those): R10 took the HR contact of another
        # application at the same company, and ``contact`` is that application's id.
        record["contact_application"] = action.contact_application
    return record


def plan_json_chunks(
    now: datetime, today: date, actions: Iterable[Action], batch: int = 500
) -> Iterator[str]:
    """``plan --json`` as pieces of text, ``batch`` actions each: the very text of
    ``json.dumps(document, indent=2, ensure_ascii=False)``, written as the plan is read so
    that memory stays bounded whatever its size."""
    import textwrap  # noqa: PLC0415 - only this writer indents

    head = json.dumps({"now": now.isoformat(), "today": today.isoformat()}, indent=2)
    opening = head[: -len("\n}")] + ',\n  "actions": ['
    pieces: list[str] = []
    first = True
    for action in actions:
        entry = json.dumps(public(action, today), indent=2, ensure_ascii=False)
        pieces.append(("\n" if first else ",\n") + textwrap.indent(entry, "    "))
        first = False
        if len(pieces) >= batch:
            yield opening + "".join(pieces)
            opening, pieces = "", []
    yield opening + "".join(pieces) + ("]\n}" if first else "\n  ]\n}")


def explain_json(action: Action) -> dict[str, Any]:
    """How an action's due date was found, step by step: ``explain --json`` and the API."""
    return {
        "id": action.id,
        "kind": action.kind.value,
        "due": action.due.isoformat(),
        "rule": action.rule,
        "reason": action.reason,
        "steps": [
            {"rule": s.rule, "step": s.text, "date": s.day.isoformat() if s.day else None}
            for s in action.steps
        ],
    }


def to_record(action: Action) -> dict[str, Any]:
    """Everything about an action, for the store."""
    record = public(action, action.due)
    del record["overdue"]
    if action.window is not None:
        record["window"] = window_to_json(action.window)
    record["contact_name"] = action.contact_name
    record["steps"] = [[s.rule, s.text, s.day.isoformat() if s.day else None] for s in action.steps]
    return record


def from_record(record: dict[str, Any]) -> Action:
    """An action from the store's record.

    A calendar reads a whole year of a backlog (94,000 actions at 100,000 applications):
    the texts that repeat across actions (a step's words, a rule, a company, a script's
    lines) are shared rather than held once per action, and so are days and windows,
    which halves the memory those actions take.
    """
    window = record["window"]
    return Action(
        id=record["id"],
        kind=ActionKind(record["kind"]),
        due=_day(record["due"]),
        rule=intern(record["rule"]),
        reason=record["reason"],
        application=record["application"],
        company=_shared(record["company"]),
        position=_shared(record["position"]),
        contact=_shared(record["contact"]),
        contact_name=_shared(record["contact_name"]),
        contact_application=record.get("contact_application"),
        channel=Channel(record["channel"]) if record["channel"] else None,
        window=_window(window.get("start"), window.get("end"), *window.get("days") or ())
        if window is not None
        else None,
        script=tuple(intern(line) for line in record["script"]),
        steps=tuple(
            Step(intern(rule), intern(text), _day(day) if day else None)
            for rule, text, day in record["steps"]
        ),
    )


def _shared(text: str | None) -> str | None:
    return intern(text) if text is not None else None


_day = functools.lru_cache(maxsize=4096)(date.fromisoformat)


@functools.lru_cache(maxsize=256)
def _window(start: str | None, end: str | None, *days: str) -> ContactWindow:
    return window_from_json({"days": days, "start": start, "end": end})


def window_to_json(window: ContactWindow) -> dict[str, Any]:
    return {
        "days": weekday_codes(window.days),
        "start": clock(window.start) if window.start else None,
        "end": clock(window.end) if window.end else None,
    }


def window_from_json(data: dict[str, Any]) -> ContactWindow:
    """The inverse of :func:`window_to_json` for trusted data (the store's own records)."""
    return ContactWindow(
        days=frozenset(WEEKDAYS.index(d) for d in data.get("days") or ()),
        start=time.fromisoformat(data["start"]) if data.get("start") else None,
        end=time.fromisoformat(data["end"]) if data.get("end") else None,
    )
