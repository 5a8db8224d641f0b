"""Reading a ``followup/1`` file: every field validated, the first problem named by its place.

Plain functions over dicts: an import of 100,000 applications reads a few million
fields, so the place of a field (``applications[3].contacts[1].email``) is formatted
only when there is an error to report. Nothing is written until the whole file is read.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any, Protocol, TypeVar

from followup.domain import text
from followup.domain.model import (
    WEEKDAYS,
    Application,
    Channel,
    Contact,
    ContactWindow,
    Decision,
    Interview,
    InvalidWindow,
    Outcome,
    Purpose,
    Role,
    Status,
    Touch,
    dismissal_problem,
    outcome_channel_problem,
)
from followup.domain.policy import MAXIMUM, POLICY_KEYS
from followup.domain.settings import Settings
from followup.domain.when import EARLIEST, LATEST, ahead_problem, in_range
from followup.domain.words import day as written_day
from followup.errors import InvalidFile
from followup.formats.interchange import (
    FORMAT,
    ID_PATTERN,
    ID_RULE,
    MISSING,
    Checks,
    Document,
    SettingsPatch,
)

E = TypeVar("E")


def read(data: Any, checks: Checks) -> Document:
    """A validated document from parsed JSON; :class:`InvalidFile` at the first problem."""
    obj = _object(data, "file")
    frame = {k: v for k, v in obj.items() if k != "applications"}
    if "applications" in obj:
        raw = obj["applications"]
        frame["applications"] = raw if raw is None or isinstance(raw, list) else 0
    reader = Reader(frame, checks)
    return reader.document(reader.applications(_list(obj.get("applications"), "applications")))


class Reader:
    """A file checked in two steps: its frame (format, settings) first, then its
    applications one at a time, so that a file read as a stream (``formats.stream``)
    is refused at its first invalid application without reading the rest.

    ``frame`` is the file's top-level object with ``applications`` given only as what
    it is: a list (any), ``None``, or another value (not a list).
    """

    def __init__(self, frame: dict[str, Any], checks: Checks) -> None:
        _known(frame, "", {"format", "settings", "applications"})
        if frame.get("format") != FORMAT:
            got = frame.get("format")
            raise _error("", "format", f"unsupported format {got!r} (expected {FORMAT!r})")
        self.settings = _settings(frame.get("settings"), checks)
        if frame.get("applications") is None:
            raise _error("", "applications", "missing")
        _list(frame["applications"], "applications")
        patch = self.settings
        self._country = checks.default_country if patch.country is MISSING else patch.country
        # A number is parsed once per distinct string (phonenumbers is the cost); an email
        # address costs little once its domain was checked (the adapter remembers domains),
        # so only the recent ones are kept: a company's HR address repeats nearby.
        self._email = functools.lru_cache(maxsize=RECENT_ADDRESSES)(checks.email)
        self._phone = _memo(checks.phone)
        self._now = checks.now
        zone = patch.timezone or checks.timezone_name
        self._tz: tzinfo = Settings(timezone=zone).tz if zone else UTC
        self._today = checks.now.astimezone(self._tz).date() if checks.now else None

    def applications(self, items: Iterable[Any]) -> Iterator[tuple[Application, frozenset[str]]]:
        """Each application of ``items`` checked, with the touch ids it was given."""
        email, phone = self._email, self._phone
        seen: set[str] = set()
        for i, raw in enumerate(items):
            path = f"applications[{i}]"
            app, new_ids = _application(raw, path, email, phone, self._country)
            if self._now is not None:
                self._not_ahead(app, path)
            if app.id in seen:
                raise _error(path, "id", f"duplicate application id {app.id!r}")
            seen.add(app.id)
            yield app, new_ids

    def _not_ahead(self, app: Application, path: str) -> None:
        """An applied date after today, or a touch after now, as ``add`` and ``log``
        refuse them: a typo there would silence or close the application for months."""
        assert self._now is not None
        assert self._today is not None
        if app.applied_on is not None and app.applied_on > self._today:
            raise _error(
                path,
                "applied_on",
                f"{written_day(app.applied_on)} is in the future "
                f"(today is {written_day(self._today)})",
            )
        tz, today = self._tz, self._today
        for i, touch in enumerate(app.touches):
            if touch.at.astimezone(tz).date() <= today:  # ahead_problem's own test, cheaper
                continue
            problem = ahead_problem(touch.at, self._now, tz)
            if problem is not None:
                raise _error(f"{path}.touches[{i}]", "at", problem)

    def document(self, apps: Iterable[tuple[Application, frozenset[str]]]) -> Document:
        """The whole document: every application read (and checked) now."""
        found = []
        generated: dict[str, frozenset[str]] = {}
        for app, new_ids in apps:
            found.append(app)
            if new_ids:
                generated[app.id] = new_ids
        return Document(self.settings, found, generated)


#: Email addresses whose check is remembered during a read.
RECENT_ADDRESSES = 4_096


def _memo(check: Callable[..., str]) -> Callable[..., str]:
    """The same number is checked once per read (a person's number repeats)."""
    cache: dict[tuple[Any, ...], str] = {}

    def checked(*args: Any) -> str:
        if args not in cache:
            cache[args] = check(*args)
        return cache[args]

    return checked


def _error(path: str, key: str | None, message: str) -> InvalidFile:
    place = f"{path}.{key}" if path and key else key or path or "file"
    return InvalidFile(f"{place}: {message}")


def _object(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _error(path, None, "not an object")
    return value


def _list(value: Any, path: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _error(path, None, "not a list")
    return value


def _known(obj: dict[str, Any], path: str, keys: set[str]) -> None:
    """Unknown keys are refused: a typo must not silently drop data."""
    if not obj.keys() <= keys:
        unknown = next(k for k in obj if k not in keys)
        raise _error(path, unknown, "unknown field")


def _text(obj: dict[str, Any], path: str, key: str, *, required: bool = False) -> str | None:
    value = obj.get(key)
    if value is None:
        if required:
            raise _error(path, key, "missing")
        return None
    if not isinstance(value, str):
        raise _error(path, key, "not a string")
    if required and not value.strip():
        raise _error(path, key, "empty")
    try:
        return text.clean(value, key)
    except ValueError as e:
        # The reason starts with the field's name, which the place already ends with.
        raise _error(path, key, str(e).removeprefix(f"{key} ")) from None


def _required(obj: dict[str, Any], path: str, key: str) -> str:
    value = _text(obj, path, key, required=True)
    assert value is not None
    return value


def _ident(value: Any, path: str, key: str | None) -> str:
    if value is None:
        raise _error(path, key, "missing")
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        raise _error(path, key, f"{value!r} is not a valid id ({ID_RULE})")
    return value


def _bool(obj: dict[str, Any], path: str, key: str) -> bool | None:
    value = obj.get(key)
    if value is not None and not isinstance(value, bool):
        raise _error(path, key, "not true, false or null")
    return value


def _day(obj: dict[str, Any], path: str, key: str) -> date | None:
    value = obj.get(key)
    if value is None:
        return None
    try:
        day = date.fromisoformat(value)
    except (TypeError, ValueError):
        raise _error(path, key, f"not a date: {value!r} (expected YYYY-MM-DD)") from None
    if not in_range(day):
        raise _error(path, key, f"{value!r} is out of range ({EARLIEST.year} to {LATEST.year})")
    return day


def _moment(obj: dict[str, Any], path: str, key: str) -> datetime:
    value = obj.get(key)
    if value is None:
        raise _error(path, key, "missing")
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise _error(path, key, f"not a date-time: {value!r}") from None
    if moment.tzinfo is None:
        raise _error(path, key, f"{value!r} needs a UTC offset, as in 2026-03-02T10:00:00+00:00")
    if not in_range(moment.date()):
        raise _error(path, key, f"{value!r} is out of range ({EARLIEST.year} to {LATEST.year})")
    return moment


def _clock(obj: dict[str, Any], path: str, key: str) -> time | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not _HHMM.fullmatch(value):
        raise _error(path, key, f"not a time of day: {value!r} (expected HH:MM)")
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise _error(path, key, f"not a time of day: {value!r}") from None


def _choice(obj: dict[str, Any], path: str, key: str, enum: type[E], default: E | None = None) -> E:
    value = obj.get(key)
    if value is None:
        if default is None:
            raise _error(path, key, "missing")
        return default
    member = _MEMBERS[enum].get(value) if isinstance(value, str) else None
    if member is None:
        allowed = ", ".join(_MEMBERS[enum])
        raise _error(path, key, f"{value!r} is not one of {allowed}")
    return member  # type: ignore[no-any-return]


#: Enum members by value: a dict lookup is ten times faster than calling the enum.
_MEMBERS: dict[type, dict[str, Any]] = {
    cls: {m.value: m for m in cls} for cls in (Status, Role, Channel, Purpose, Outcome, Decision)
}
_HHMM = re.compile(r"\d{2}:\d{2}")


def _settings(raw: Any, checks: Checks) -> SettingsPatch:
    if raw is None:
        return SettingsPatch()
    obj = _object(raw, "settings")
    _known(obj, "settings", {"timezone", "country", "policy", "name"})
    tz = _text(obj, "settings", "timezone")
    if tz is not None and not checks.timezone(tz):
        raise _error("settings", "timezone", f"unknown time zone {tz!r} (an IANA name)")
    country: str | None = MISSING
    if "country" in obj:
        country = _text(obj, "settings", "country")
        if country is not None:
            country = country.upper()
            if not checks.country(country):
                raise _error("settings", "country", f"no holiday calendar for country {country!r}")
    policy: dict[str, int] = {}
    raw_policy = obj.get("policy")
    if raw_policy is not None:
        for key, value in _object(raw_policy, "settings.policy").items():
            spec = POLICY_KEYS.get(key)
            if spec is None:
                raise _error("settings.policy", key, "unknown policy key")
            if isinstance(value, bool) or not isinstance(value, int):
                raise _error("settings.policy", key, "not a whole number")
            if not spec.minimum <= value <= MAXIMUM:
                raise _error(
                    "settings.policy", key, f"must be between {spec.minimum} and {MAXIMUM}"
                )
            policy[key] = value
    name: str | None = _text(obj, "settings", "name") if "name" in obj else MISSING
    return SettingsPatch(tz, country, policy, name)


_APP_KEYS = {
    "id", "company", "position", "status", "applied_on", "recorded_on", "link", "source",
    "notes", "posting", "contacts", "interviews", "touches", "snoozed_until", "dismissed",
}  # fmt: skip
_CONTACT_KEYS = {"id", "name", "role", "email", "phone", "name_confirmed", "email_failed_on"}
_INTERVIEW_KEYS = {
    "id", "at", "interviewers", "contacts_every_applicant", "direct_contact_ok",
    "contact_window", "answer_by", "notes", "cancelled",
}  # fmt: skip
_TOUCH_KEYS = {
    "id", "at", "contact", "channel", "purpose", "outcome", "decision", "decision_by",
    "vacancies", "message_id", "notes",
}  # fmt: skip


def _application(
    raw: Any,
    path: str,
    email: Callable[[str], str],
    phone: Callable[[str, str | None], str],
    country: str | None,
) -> tuple[Application, frozenset[str]]:
    obj = _object(raw, path)
    _known(obj, path, _APP_KEYS)
    app_id = _ident(obj.get("id"), path, "id")
    contacts = [
        _contact(c, f"{path}.contacts[{i}]", email, phone, country)
        for i, c in enumerate(_list(obj.get("contacts"), f"{path}.contacts"))
    ]
    _unique(contacts, f"{path}.contacts", "contact")
    known = {c.id for c in contacts}
    interviews = [
        _interview(x, f"{path}.interviews[{i}]", known)
        for i, x in enumerate(_list(obj.get("interviews"), f"{path}.interviews"))
    ]
    _unique(interviews, f"{path}.interviews", "interview")
    touches = [
        _touch(x, f"{path}.touches[{i}]", known)
        for i, x in enumerate(_list(obj.get("touches"), f"{path}.touches"))
    ]
    _unique(touches, f"{path}.touches", "touch")
    touches, new_ids = _name_touches(touches)
    dismissed = []
    for i, item in enumerate(_list(obj.get("dismissed"), f"{path}.dismissed")):
        if not isinstance(item, str) or not item.strip():
            raise _error(f"{path}.dismissed[{i}]", None, "not an action id")
        problem = dismissal_problem(item.strip(), app_id, interviews, known)
        if problem is not None:
            raise _error(f"{path}.dismissed[{i}]", None, problem)
        dismissed.append(item.strip())
    app = Application(
        id=app_id,
        company=_required(obj, path, "company"),
        position=_required(obj, path, "position"),
        status=_choice(obj, path, "status", Status, Status.ACTIVE),
        applied_on=_day(obj, path, "applied_on"),
        recorded_on=_day(obj, path, "recorded_on"),
        link=_link(obj, path),
        source=_text(obj, path, "source"),
        notes=_text(obj, path, "notes"),
        posting=_text(obj, path, "posting"),
        contacts=tuple(contacts),
        interviews=tuple(interviews),
        touches=tuple(touches),
        snoozed_until=_day(obj, path, "snoozed_until"),
        dismissed=frozenset(dismissed),
    )
    return app, new_ids


def _link(obj: dict[str, Any], path: str) -> str | None:
    link = _text(obj, path, "link")
    if link is not None and not link.lower().startswith(("http://", "https://")):
        raise _error(path, "link", f"{link!r} is not an http(s) address")
    return link


def _name_touches(touches: list[Touch]) -> tuple[list[Touch], frozenset[str]]:
    """Give the touches without an id one that no other touch of the file has."""
    if all(t.id for t in touches):
        return touches, frozenset()
    used = {t.id for t in touches}
    counter = 0
    named, new_ids = [], set()
    for t in touches:
        if t.id:
            named.append(t)
            continue
        counter += 1
        while f"t{counter}" in used:
            counter += 1
        named.append(replace(t, id=f"t{counter}"))
        new_ids.add(f"t{counter}")
    return named, frozenset(new_ids)


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


def _unique(records: Sequence[_HasId], path: str, what: str) -> None:
    seen: set[str] = set()
    for i, record in enumerate(records):
        if not record.id:  # a touch without an id gets one later
            continue
        if record.id in seen:
            raise _error(f"{path}[{i}]", "id", f"duplicate {what} id {record.id!r}")
        seen.add(record.id)


def _contact(
    raw: Any,
    path: str,
    email_check: Callable[[str], str],
    phone_check: Callable[[str, str | None], str],
    country: str | None,
) -> Contact:
    obj = _object(raw, path)
    _known(obj, path, _CONTACT_KEYS)
    email = _text(obj, path, "email")
    phone = _text(obj, path, "phone")
    try:
        if email is not None:
            email = email_check(email)
    except ValueError as e:
        raise _error(path, "email", str(e)) from None
    try:
        if phone is not None:
            phone = phone_check(phone, country)
    except ValueError as e:
        raise _error(path, "phone", str(e)) from None
    return Contact(
        id=_ident(obj.get("id"), path, "id"),
        name=_required(obj, path, "name"),
        role=_choice(obj, path, "role", Role),
        email=email,
        phone=phone,
        name_confirmed=bool(_bool(obj, path, "name_confirmed")),
        email_failed_on=_day(obj, path, "email_failed_on"),
    )


def _interview(raw: Any, path: str, contacts: set[str]) -> Interview:
    obj = _object(raw, path)
    _known(obj, path, _INTERVIEW_KEYS)
    interviewers: list[str] = []
    for i, item in enumerate(_list(obj.get("interviewers"), f"{path}.interviewers")):
        where = f"{path}.interviewers[{i}]"
        cid = _ident(item, where, None)
        if cid not in contacts:
            raise _error(where, None, f"interviewer {cid!r} is not a contact of this application")
        if cid in interviewers:
            raise _error(where, None, f"interviewer {cid!r} is listed twice")
        interviewers.append(cid)
    window = obj.get("contact_window")
    return Interview(
        id=_ident(obj.get("id"), path, "id"),
        at=_moment(obj, path, "at"),
        interviewers=tuple(interviewers),
        contacts_every_applicant=_bool(obj, path, "contacts_every_applicant"),
        direct_contact_ok=_bool(obj, path, "direct_contact_ok"),
        contact_window=_window(window, f"{path}.contact_window") if window is not None else None,
        answer_by=_day(obj, path, "answer_by"),
        notes=_text(obj, path, "notes"),
        cancelled=bool(_bool(obj, path, "cancelled")),
    )


def _window(raw: Any, path: str) -> ContactWindow:
    obj = _object(raw, path)
    _known(obj, path, {"days", "start", "end"})
    days = set()
    for i, item in enumerate(_list(obj.get("days"), f"{path}.days")):
        if item not in WEEKDAYS:
            raise _error(f"{path}.days[{i}]", None, f"{item!r} is not one of {', '.join(WEEKDAYS)}")
        days.add(WEEKDAYS.index(item))
    start, end = _clock(obj, path, "start"), _clock(obj, path, "end")
    try:
        return ContactWindow(frozenset(days), start, end)
    except InvalidWindow as e:
        if e.problem == InvalidWindow.ORDER:
            raise _error(path, "end", "must be after start") from None
        raise _error(path, None, "give both start and end, or neither") from None


def _touch(raw: Any, path: str, contacts: set[str]) -> Touch:
    obj = _object(raw, path)
    _known(obj, path, _TOUCH_KEYS)
    contact = _text(obj, path, "contact")
    if contact is not None and contact not in contacts:
        raise _error(path, "contact", f"{contact!r} is not a contact of this application")
    channel = _choice(obj, path, "channel", Channel)
    outcome = _choice(obj, path, "outcome", Outcome)
    problem = outcome_channel_problem(outcome, channel)
    if problem:
        raise _error(path, "outcome", problem)
    decision = obj.get("decision")
    return Touch(
        id=_ident(obj["id"], path, "id") if obj.get("id") is not None else "",
        at=_moment(obj, path, "at"),
        channel=channel,
        purpose=_choice(obj, path, "purpose", Purpose),
        outcome=outcome,
        contact=contact,
        decision=_choice(obj, path, "decision", Decision) if decision is not None else None,
        decision_by=_day(obj, path, "decision_by"),
        vacancies=_text(obj, path, "vacancies"),
        message_id=_header(obj, path, "message_id"),
        notes=_text(obj, path, "notes"),
    )


def _header(obj: dict[str, Any], path: str, key: str) -> str | None:
    """A value that goes into mail headers: one line, no NUL."""
    value = _text(obj, path, key)
    if value is not None and any(ch in value for ch in "\r\n"):
        raise _error(path, key, "must be on one line")
    return value
