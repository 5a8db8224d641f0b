"""The interchange file, ``followup/1`` (FORMAT.md): reading with exact error places, writing.

Reading validates everything before anything is written: the first problem is raised
as :class:`~followup.errors.InvalidFile` naming its place, as in
``applications[2].interviews[0].at: not a date-time``.

Optional fields added to FORMAT.md's ``followup/1`` (allowed: "only by adding optional
fields"), so that an export loses nothing the command line records: ``link``,
``source``, ``notes`` and ``recorded_on`` on applications, ``id`` on touches, and
``name`` (the candidate's, to sign drafts) in the settings.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from typing import Any, Protocol, TypeVar

from followup.domain.model import (
    WEEKDAYS,
    Application,
    Channel,
    Contact,
    ContactWindow,
    Decision,
    Interview,
    Outcome,
    Purpose,
    Role,
    Status,
    Touch,
)
from followup.domain.policy import POLICY_KEYS
from followup.domain.settings import Settings
from followup.errors import InvalidFile
from followup.formats.plan import window_to_json

FORMAT = "followup/1"
#: Ids become parts of action ids and URLs: printable, no spaces, no colons.
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,99}$")
ID_RULE = "letters, digits and . _ @ + - (up to 100, starting with a letter or digit)"

#: A touch outcome says which channel it happened on.
PHONE_OUTCOMES = frozenset({Outcome.REACHED, Outcome.NO_ANSWER, Outcome.VOICEMAIL})
EMAIL_OUTCOMES = frozenset({Outcome.SENT})


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
E = TypeVar("E")


@dataclass(frozen=True, slots=True)
class SettingsPatch:
    """The settings a file gives; what it leaves out stays as it is."""

    timezone: str | None = None
    country: str | None = MISSING
    policy: dict[str, int] = field(default_factory=dict)
    name: str | None = MISSING

    def apply(self, settings: Settings) -> Settings:
        return Settings(
            timezone=self.timezone or settings.timezone,
            country=settings.country if self.country is MISSING else self.country,
            policy=settings.policy.with_values(self.policy),
            name=settings.name if self.name is MISSING else self.name,
        )


@dataclass(frozen=True, slots=True)
class Document:
    settings: SettingsPatch
    applications: list[Application]
    #: Per application, the ids given here to touches that had none in the file: such a
    #: touch is the same record as a stored one with the same time, channel, purpose,
    #: outcome and contact (so importing a file twice changes nothing).
    generated_touch_ids: dict[str, frozenset[str]] = field(default_factory=dict)


#: Validators the reader needs from outside: each returns the normalised value or raises
#: ``ValueError`` with a reason (email, phone with the default region, country, zone).
@dataclass(frozen=True, slots=True)
class Checks:
    email: Callable[[str], str]
    phone: Callable[[str, str | None], str]
    country: Callable[[str], bool]
    timezone: Callable[[str], bool]
    default_country: str | None = None


def read(data: Any, checks: Checks) -> Document:
    """A validated document from parsed JSON; :class:`InvalidFile` at the first problem."""
    root = _Node(data, "")
    obj = root.object()
    fmt = root.key("format").require()
    if fmt.value != FORMAT:
        raise fmt.error(f"unsupported format {fmt.value!r} (expected {FORMAT!r})")
    patch = _settings(root.key("settings"), checks)
    country = checks.default_country if patch.country is MISSING else patch.country
    apps_node = root.key("applications").require()
    seen: set[str] = set()
    apps = []
    generated: dict[str, frozenset[str]] = {}
    for node in apps_node.items():
        app, new_ids = _application(node, checks, country)
        if app.id in seen:
            raise node.key("id").error(f"duplicate application id {app.id!r}")
        seen.add(app.id)
        apps.append(app)
        if new_ids:
            generated[app.id] = new_ids
    _unknown_keys(obj, root, {"format", "settings", "applications"})
    return Document(patch, apps, generated)


def write(settings: Settings, applications: list[Application]) -> dict[str, Any]:
    """The document of an export: settings in full, every application in full."""
    return {
        "format": FORMAT,
        "settings": {
            "timezone": settings.timezone,
            "country": settings.country,
            "policy": settings.policy.as_dict(),
            "name": settings.name,
        },
        "applications": [application_to_json(app) for app in applications],
    }


def application_to_json(app: Application) -> dict[str, Any]:
    return {
        "id": app.id,
        "company": app.company,
        "position": app.position,
        "status": app.status.value,
        "applied_on": _iso(app.applied_on),
        "recorded_on": _iso(app.recorded_on),
        "link": app.link,
        "source": app.source,
        "notes": app.notes,
        "contacts": [
            {
                "id": c.id,
                "name": c.name,
                "role": c.role.value,
                "email": c.email,
                "phone": c.phone,
                "name_confirmed": c.name_confirmed,
            }
            for c in app.contacts
        ],
        "interviews": [
            {
                "id": iv.id,
                "at": iv.at.isoformat(),
                "interviewers": list(iv.interviewers),
                "contacts_every_applicant": iv.contacts_every_applicant,
                "direct_contact_ok": iv.direct_contact_ok,
                "contact_window": (
                    window_to_json(iv.contact_window) if iv.contact_window is not None else None
                ),
                "answer_by": _iso(iv.answer_by),
            }
            for iv in app.interviews
        ],
        "touches": [
            {
                "id": t.id,
                "at": t.at.isoformat(),
                "contact": t.contact,
                "channel": t.channel.value,
                "purpose": t.purpose.value,
                "outcome": t.outcome.value,
                "decision": t.decision.value if t.decision else None,
                "decision_by": _iso(t.decision_by),
                "vacancies": t.vacancies,
            }
            for t in app.touches
        ],
        "snoozed_until": _iso(app.snoozed_until),
        "dismissed": sorted(app.dismissed),
    }


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None


# --- reading ------------------------------------------------------------------------------


class _Node:
    """A value in the document and its place, for error messages."""

    __slots__ = ("path", "value")

    def __init__(self, value: Any, path: str) -> None:
        self.value = value
        self.path = path

    def error(self, message: str) -> InvalidFile:
        return InvalidFile(f"{self.path or 'file'}: {message}")

    def key(self, name: str) -> _Node:
        value = self.value.get(name, MISSING) if isinstance(self.value, dict) else MISSING
        return _Node(value, f"{self.path}.{name}" if self.path else name)

    @property
    def missing(self) -> bool:
        return self.value is MISSING

    @property
    def null(self) -> bool:
        return self.value is MISSING or self.value is None

    def require(self) -> _Node:
        if self.null:
            raise self.error("missing")
        return self

    def object(self) -> dict[str, Any]:
        if not isinstance(self.value, dict):
            raise self.error("not an object")
        return self.value

    def items(self) -> list[_Node]:
        if self.null:
            return []
        if not isinstance(self.value, list):
            raise self.error("not a list")
        return [_Node(v, f"{self.path}[{i}]") for i, v in enumerate(self.value)]

    def text(self, *, required: bool = False) -> str | None:
        if self.null:
            if required:
                raise self.error("missing")
            return None
        if not isinstance(self.value, str):
            raise self.error("not a string")
        if "\x00" in self.value:
            raise self.error("contains a NUL character")
        stripped = self.value.strip()
        if required and not stripped:
            raise self.error("empty")
        return stripped or None

    def ident(self) -> str:
        value = self.text(required=True)
        assert value is not None
        if not ID_PATTERN.match(value):
            raise self.error(f"{value!r} is not a valid id ({ID_RULE})")
        return value

    def boolean(self, *, default: bool | None = None) -> bool | None:
        if self.null:
            return default
        if not isinstance(self.value, bool):
            raise self.error("not true, false or null")
        return self.value

    def day(self) -> date | None:
        if self.null:
            return None
        if not isinstance(self.value, str):
            raise self.error("not a date")
        try:
            return date.fromisoformat(self.value)
        except ValueError:
            raise self.error(f"not a date: {self.value!r} (expected YYYY-MM-DD)") from None

    def moment(self) -> datetime:
        self.require()
        if not isinstance(self.value, str):
            raise self.error("not a date-time")
        try:
            value = datetime.fromisoformat(self.value)
        except ValueError:
            raise self.error(f"not a date-time: {self.value!r}") from None
        if value.tzinfo is None:
            raise self.error(f"{self.value!r} needs a UTC offset, as in 2026-03-02T10:00:00+00:00")
        return value

    def clock(self) -> time | None:
        if self.null:
            return None
        if not isinstance(self.value, str) or not re.fullmatch(r"\d{2}:\d{2}", self.value):
            raise self.error(f"not a time of day: {self.value!r} (expected HH:MM)")
        try:
            return time.fromisoformat(self.value)
        except ValueError:
            raise self.error(f"not a time of day: {self.value!r}") from None

    def choice(self, enum: Callable[[str], E], *, default: E | None = None) -> E | None:
        if self.null:
            return default
        try:
            return enum(self.value)
        except ValueError:
            allowed = ", ".join(e.value for e in enum)  # type: ignore[attr-defined]
            raise self.error(f"{self.value!r} is not one of {allowed}") from None


def _unknown_keys(obj: dict[str, Any], node: _Node, known: set[str]) -> None:
    """Unknown keys are refused: a typo must not silently drop data."""
    for name in obj:
        if name not in known:
            raise node.key(name).error("unknown field")


def _settings(node: _Node, checks: Checks) -> SettingsPatch:
    if node.null:
        return SettingsPatch()
    obj = node.object()
    _unknown_keys(obj, node, {"timezone", "country", "policy", "name"})
    tz = node.key("timezone").text()
    if tz is not None and not checks.timezone(tz):
        raise node.key("timezone").error(f"unknown time zone {tz!r} (an IANA name)")
    country_node = node.key("country")
    country: str | None = MISSING
    if not country_node.missing:
        country = country_node.text()
        if country is not None:
            country = country.upper()
            if not checks.country(country):
                raise country_node.error(f"no holiday calendar for country {country!r}")
    policy: dict[str, int] = {}
    policy_node = node.key("policy")
    if not policy_node.null:
        for key_name, value in policy_node.object().items():
            spec = POLICY_KEYS.get(key_name)
            key = policy_node.key(key_name)
            if spec is None:
                raise key.error("unknown policy key")
            if isinstance(value, bool) or not isinstance(value, int):
                raise key.error("not a whole number")
            if value < spec.minimum:
                raise key.error(f"must be at least {spec.minimum}")
            policy[key_name] = value
    name_node = node.key("name")
    name: str | None = MISSING if name_node.missing else name_node.text()
    return SettingsPatch(tz, country, policy, name)


_APP_KEYS = {
    "id", "company", "position", "status", "applied_on", "recorded_on", "link", "source",
    "notes", "contacts", "interviews", "touches", "snoozed_until", "dismissed",
}  # fmt: skip
_CONTACT_KEYS = {"id", "name", "role", "email", "phone", "name_confirmed"}
_INTERVIEW_KEYS = {
    "id", "at", "interviewers", "contacts_every_applicant", "direct_contact_ok",
    "contact_window", "answer_by",
}  # fmt: skip
_TOUCH_KEYS = {
    "id", "at", "contact", "channel", "purpose", "outcome", "decision", "decision_by",
    "vacancies",
}  # fmt: skip


def _application(
    node: _Node, checks: Checks, country: str | None
) -> tuple[Application, frozenset[str]]:
    obj = node.object()
    _unknown_keys(obj, node, _APP_KEYS)
    app_id = node.key("id").ident()
    contacts = _unique(
        [_contact(n, checks, country) for n in node.key("contacts").items()],
        node.key("contacts"),
        "contact",
    )
    known = {c.id for c in contacts}
    interviews = _unique(
        [_interview(n, known) for n in node.key("interviews").items()],
        node.key("interviews"),
        "interview",
    )
    touches = [_touch(n, known) for n in node.key("touches").items()]
    _unique(touches, node.key("touches"), "touch")
    touches, new_ids = _name_touches(touches)
    dismissed = []
    for item in node.key("dismissed").items():
        text = item.text(required=True)
        assert text is not None
        dismissed.append(text)
    app = Application(
        id=app_id,
        company=_required_text(node.key("company")),
        position=_required_text(node.key("position")),
        status=node.key("status").choice(Status, default=Status.ACTIVE) or Status.ACTIVE,
        applied_on=node.key("applied_on").day(),
        recorded_on=node.key("recorded_on").day(),
        link=node.key("link").text(),
        source=node.key("source").text(),
        notes=node.key("notes").text(),
        contacts=tuple(contacts),
        interviews=tuple(interviews),
        touches=tuple(touches),
        snoozed_until=node.key("snoozed_until").day(),
        dismissed=frozenset(dismissed),
    )
    return app, new_ids


def _name_touches(touches: list[Touch]) -> tuple[list[Touch], frozenset[str]]:
    """Give the touches without an id one that no other touch of the file has."""
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


H = TypeVar("H", bound=_HasId)


def _unique(records: list[H], node: _Node, what: str) -> list[H]:
    seen: set[str] = set()
    for i, record in enumerate(records):
        if not record.id:  # a touch without an id gets one later
            continue
        if record.id in seen:
            raise _Node(None, f"{node.path}[{i}].id").error(f"duplicate {what} id {record.id!r}")
        seen.add(record.id)
    return records


def _required_text(node: _Node) -> str:
    value = node.text(required=True)
    assert value is not None
    return value


def _contact(node: _Node, checks: Checks, country: str | None) -> Contact:
    obj = node.object()
    _unknown_keys(obj, node, _CONTACT_KEYS)
    email = node.key("email").text()
    if email is not None:
        try:
            email = checks.email(email)
        except ValueError as e:
            raise node.key("email").error(str(e)) from None
    phone = node.key("phone").text()
    if phone is not None:
        try:
            phone = checks.phone(phone, country)
        except ValueError as e:
            raise node.key("phone").error(str(e)) from None
    return Contact(
        id=node.key("id").ident(),
        name=_required_text(node.key("name")),
        role=node.key("role").require().choice(Role) or Role.OTHER,
        email=email,
        phone=phone,
        name_confirmed=bool(node.key("name_confirmed").boolean(default=False)),
    )


def _interview(node: _Node, contacts: set[str]) -> Interview:
    obj = node.object()
    _unknown_keys(obj, node, _INTERVIEW_KEYS)
    interviewers: list[str] = []
    for item in node.key("interviewers").items():
        cid = item.ident()
        if cid not in contacts:
            raise item.error(f"interviewer {cid!r} is not a contact of this application")
        if cid in interviewers:
            raise item.error(f"interviewer {cid!r} is listed twice")
        interviewers.append(cid)
    return Interview(
        id=node.key("id").ident(),
        at=node.key("at").moment(),
        interviewers=tuple(interviewers),
        contacts_every_applicant=node.key("contacts_every_applicant").boolean(),
        direct_contact_ok=node.key("direct_contact_ok").boolean(),
        contact_window=_window(node.key("contact_window")),
        answer_by=node.key("answer_by").day(),
    )


def _window(node: _Node) -> ContactWindow | None:
    if node.null:
        return None
    obj = node.object()
    _unknown_keys(obj, node, {"days", "start", "end"})
    days = set()
    for item in node.key("days").items():
        if item.value not in WEEKDAYS:
            raise item.error(f"{item.value!r} is not one of {', '.join(WEEKDAYS)}")
        days.add(WEEKDAYS.index(item.value))
    start, end = node.key("start").clock(), node.key("end").clock()
    if (start is None) != (end is None):
        raise node.error("give both start and end, or neither")
    if start is not None and end is not None and start >= end:
        raise node.key("end").error("must be after start")
    return ContactWindow(frozenset(days), start, end)


def _touch(node: _Node, contacts: set[str]) -> Touch:
    obj = node.object()
    _unknown_keys(obj, node, _TOUCH_KEYS)
    contact = node.key("contact").text()
    if contact is not None and contact not in contacts:
        raise node.key("contact").error(f"{contact!r} is not a contact of this application")
    channel = node.key("channel").require().choice(Channel)
    outcome = node.key("outcome").require().choice(Outcome)
    assert channel is not None
    assert outcome is not None
    problem = outcome_channel_problem(outcome, channel)
    if problem:
        raise node.key("outcome").error(problem)
    touch_id = node.key("id")
    return Touch(
        id=touch_id.ident() if not touch_id.null else "",
        at=node.key("at").moment(),
        channel=channel,
        purpose=node.key("purpose").require().choice(Purpose) or Purpose.STATUS,
        outcome=outcome,
        contact=contact,
        decision=node.key("decision").choice(Decision),
        decision_by=node.key("decision_by").day(),
        vacancies=node.key("vacancies").text(),
    )


def outcome_channel_problem(outcome: Outcome, channel: Channel) -> str | None:
    """Calls are reached or not; emails are sent: the other pairs cannot have happened."""
    if outcome in PHONE_OUTCOMES and channel is not Channel.PHONE:
        return f"{outcome.value!r} is the outcome of a call (channel phone)"
    if outcome in EMAIL_OUTCOMES and channel is not Channel.EMAIL:
        return f"{outcome.value!r} is the outcome of an email (channel email)"
    return None
