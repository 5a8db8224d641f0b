"""Import and export of the interchange file (FORMAT.md, ``followup/1``).

Import validates the whole file before writing anything, then merges it in one
transaction: the file's records win over stored ones with the same ids, records only
in the database are kept, and a touch without an id is the same record as a stored one
with the same time, channel, purpose, outcome and contact. Importing twice is
therefore a no-op, and a refused file leaves the database as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Protocol

from followup.domain.model import Application, Touch
from followup.domain.settings import Settings
from followup.formats import interchange, reader, stream
from followup.services.session import Deps, Session, writing


@dataclass(frozen=True, slots=True)
class Imported:
    created: int
    updated: int
    unchanged: int
    settings_changed: bool
    #: What the file changed in the settings, one phrase each ("timezone 'A' -> 'B'").
    settings: tuple[str, ...] = ()


def valid_zone(name: str) -> bool:
    try:
        Settings(timezone=name).tz  # noqa: B018 - raises for an unknown zone
    except (ValueError, LookupError):  # ZoneInfoNotFoundError is a KeyError
        return False
    return True


def checks(
    deps: Deps,
    default_country: str | None,
    *,
    now: datetime | None = None,
    timezone: str | None = None,
) -> interchange.Checks:
    """The reader's checks; with ``now``, no applied date or touch ahead of it either."""
    return interchange.Checks(
        email=deps.details.email,
        phone=deps.details.phone,
        country=deps.holidays.is_supported,
        timezone=valid_zone,
        default_country=default_country,
        now=now,
        timezone_name=timezone,
    )


def _checks_now(deps: Deps, now: datetime | None) -> interchange.Checks:
    """The checks of an import into the database now (its country, zone and clock)."""
    with deps.store.reading() as repo:
        stored = repo.load_settings()
    return checks(deps, stored.country, now=now or deps.clock.now(), timezone=stored.timezone)


def import_data(
    deps: Deps, data: Any, now: datetime | None = None, name: str = "a followup/1 document"
) -> Imported:
    """Import a document already parsed (the API's JSON body, the demo)."""
    return _merge_in(deps, reader.read(data, _checks_now(deps, now)), now, name)


class CheckedFile(Protocol):
    """A file's settings and its applications, checked elsewhere (another process) as
    :class:`~followup.formats.stream.Streamed` checks them; each application comes with
    its generated touch ids and its fingerprint (``formats.history.fingerprint``)."""

    @property
    def settings(self) -> interchange.SettingsPatch: ...

    def __iter__(self) -> Iterator[tuple[Application, frozenset[str], str | None]]: ...


#: Starts the reading of a file elsewhere (the command line's read-ahead process).
ReadAhead = Callable[
    [stream.Opener, interchange.Checks, Callable[[Application], str | None]],
    AbstractContextManager[CheckedFile],
]


def import_file(
    deps: Deps,
    open_file: stream.Opener,
    now: datetime | None = None,
    read_ahead: ReadAhead | None = None,
    name: str = "a followup/1 file",
) -> Imported:
    """Import a file read as a stream (``open_file`` opens it anew from its start).

    Read twice: its frame first (the format, the settings wherever they are, and the
    whole syntax, building nothing of the applications), then its applications inside
    the write, each built and checked once as it is read and merged a batch at a time.
    The first invalid one ends the read and the whole transaction is rolled back: a bad
    file writes nothing, and memory holds one batch whatever the size of the file.

    With ``read_ahead``, the reading and checking (and the history's fingerprints) run
    elsewhere, at the same time as this process merges, plans and writes (issue 12);
    what is imported or refused is the same.
    """
    file_checks = _checks_now(deps, now)
    if read_ahead is not None:
        with read_ahead(open_file, file_checks, fingerprint_of) as checked:
            return _import_checked(deps, checked.settings, checked, now, name)
    streamed = stream.Streamed(open_file, file_checks)
    items = ((app, generated, None) for app, generated in streamed.applications())
    return _import_checked(deps, streamed.settings, items, now, name)


def fingerprint_of(app: Application) -> str | None:
    from followup.formats.history import fingerprint  # noqa: PLC0415

    return fingerprint(app)


def _import_checked(
    deps: Deps,
    settings: interchange.SettingsPatch,
    items: Iterable[tuple[Application, frozenset[str], str | None]],
    now: datetime | None,
    name: str,
) -> Imported:
    with writing(deps, now) as s:
        changes = _settings_changed(s, settings)
        settings_changed = s.everything_changed  # before a batch's re-plan clears it
        counts = _Counts()
        batch: list[tuple[Application, frozenset[str]]] = []
        for app, generated, fingerprint in items:
            batch.append((app, generated))
            if fingerprint is not None:
                s.known_fingerprint(app, fingerprint)
            if len(batch) == BATCH:
                _merge_batch(s, batch, counts)
                batch = []
        _merge_batch(s, batch, counts)
        return counts.named(s, name, settings_changed, changes)


#: Applications merged at a time in a streamed import: one query for their stored versions.
BATCH = 1_000


def _settings_changed(s: Session, patch: interchange.SettingsPatch) -> tuple[str, ...]:
    """Apply the file's settings; what that changed, in words (said, and kept in history)."""
    from followup.domain.history import describe_settings  # noqa: PLC0415

    before = s.settings
    s.change_settings(patch.apply(before))
    return tuple(c.removeprefix("settings: ") for c in describe_settings(before, s.settings))


def _merge_in(
    deps: Deps, document: interchange.Document, now: datetime | None, name: str
) -> Imported:
    with writing(deps, now) as s:
        changes = _settings_changed(s, document.settings)
        settings_changed = s.everything_changed  # before a batch's re-plan clears it
        generated = document.generated_touch_ids
        counts = _Counts()
        items = [(a, generated.get(a.id, frozenset())) for a in document.applications]
        for start in range(0, len(items), BATCH):
            _merge_batch(s, items[start : start + BATCH], counts)
        return counts.named(s, name, settings_changed, changes)


@dataclass
class _Counts:
    created: int = 0
    changed: int = 0
    unchanged: int = 0

    def result(self, settings_changed: bool, settings: tuple[str, ...] = ()) -> Imported:
        updated = self.changed - self.created
        return Imported(self.created, updated, self.unchanged, settings_changed, settings)

    def named(
        self, s: Session, name: str, settings_changed: bool, settings: tuple[str, ...]
    ) -> Imported:
        """The result, and the history entry named after the import (as a spreadsheet's)."""
        result = self.result(settings_changed, settings)
        s.label = (
            f"Imported {name}: {result.created} new, {result.updated} updated, "
            f"{result.unchanged} unchanged application(s)"
        )
        if settings:
            s.label += "; settings: " + ", ".join(settings)
        return result


def _merge_batch(
    s: Session, batch: list[tuple[Application, frozenset[str]]], counts: _Counts
) -> None:
    """Merge the file's versions of a batch of applications into the stored ones."""
    if not batch:
        return
    stored = {a.id: a for a in s.repo.load(s.repo.existing(a.id for a, _ in batch))}
    today = s.today
    changed: list[Application] = []
    for app, generated in batch:
        old = stored.get(app.id)
        if old is None:
            counts.created += 1
            changed.append(app if app.recorded_on else replace(app, recorded_on=today))
            continue
        merged = merge(old, app, generated)
        if merged == old:
            counts.unchanged += 1
        else:
            changed.append(merged)
    counts.changed += len(changed)
    s.remember({app.id: stored.get(app.id) for app in changed})  # the history's "before"
    s.save_many(changed)
    s.flush()  # memory holds one batch, whatever the size of the file


def merge(old: Application, new: Application, anonymous: frozenset[str]) -> Application:
    """The stored application updated by the file's version of it."""
    contacts = _upsert(old.contacts, new.contacts)
    interviews = _upsert(old.interviews, new.interviews)
    touches = list(old.touches)
    index = {t.id: i for i, t in enumerate(touches)}
    seen = {_touch_key(t) for t in touches}
    for touch in new.touches:
        t = touch
        if t.id in anonymous:
            if _touch_key(t) in seen:
                continue
            if t.id in index:  # the generated id is taken by another stored touch
                t = replace(t, id=_free_touch_id(index))
        if t.id in index:
            touches[index[t.id]] = t
        else:
            index[t.id] = len(touches)
            touches.append(t)
        seen.add(_touch_key(t))
    return replace(
        new,
        recorded_on=new.recorded_on or old.recorded_on,
        link=new.link if new.link is not None else old.link,
        source=new.source if new.source is not None else old.source,
        notes=new.notes if new.notes is not None else old.notes,
        posting=new.posting if new.posting is not None else old.posting,
        contacts=contacts,
        interviews=interviews,
        touches=tuple(touches),
        dismissed=old.dismissed | new.dismissed,
    )


def _upsert(old: tuple[Any, ...], new: tuple[Any, ...]) -> tuple[Any, ...]:
    by_id = {x.id: x for x in new}
    kept = [by_id.pop(x.id, x) for x in old]
    return (*kept, *by_id.values())


def _touch_key(t: Touch) -> tuple[datetime, str, str, str, str | None]:
    return (t.at, t.channel.value, t.purpose.value, t.outcome.value, t.contact)


def _free_touch_id(taken: dict[str, int]) -> str:
    n = len(taken) + 1
    while f"t{n}" in taken:
        n += 1
    return f"t{n}"


def export_data(deps: Deps) -> dict[str, Any]:
    with deps.store.reading() as repo:
        apps = sorted(repo.applications(), key=lambda a: a.id)
        return interchange.write(repo.load_settings(), apps)
