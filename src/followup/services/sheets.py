"""Import of a spreadsheet of applications (:mod:`followup.formats.sheets`): all or nothing.

The sheet is read twice, as the followup/1 import is (:mod:`.interchange`): once to check
every row, keeping none, then again inside one write, a batch at a time
(:meth:`Session.flush`), so memory holds one batch whatever the file's size and the
history gets one entry (``followup undo`` takes the whole import back).

A row is the same application as a stored one when the stored one, at the same company
(R13's key), has the row's job ad address, or else the same position (unless both have
addresses, which differ): importing a file twice adds nothing, and an application
recorded by hand is matched rather than copied.
A matched application keeps what followup knows; only what it lacks (the link, the day
applied, the source, notes) is filled from the row.

A dry run is the same import rolled back at its end: what it counts is exactly what the
import would do, and nothing stays written.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from followup.domain.model import Application, company_key
from followup.formats.sheets.columns import Mapping
from followup.formats.sheets.rows import Options, Row, Sheet, same_position
from followup.formats.stream import Opener
from followup.services.records import slug
from followup.services.session import Deps, Session, reading, writing

#: Rows written at a time: one query for the stored applications of their companies.
BATCH = 1_000
#: Rows a preview shows, and problems it lists (all are counted).
SHOWN = 5
PROBLEMS_SHOWN = 20


@dataclass
class Counts:
    rows: int = 0
    created: int = 0
    #: Stored applications that got a value they lacked from a row.
    completed: int = 0
    #: Rows that matched a stored application and changed nothing.
    unchanged: int = 0
    #: Rows of jobs only saved (Wishlist, Bookmarked...), left out without --include-saved.
    saved_skipped: int = 0


@dataclass
class Preview:
    """What an import would do, found by doing it and rolling it back."""

    mapping: Mapping
    header_row: int
    place: str
    first: list[Row] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    problem_count: int = 0
    counts: Counts = field(default_factory=Counts)

    @property
    def ok(self) -> bool:
        return self.problem_count == 0


@dataclass(frozen=True, slots=True)
class Imported:
    counts: Counts
    mapping: Mapping
    #: The history entry written (``None``: nothing changed).
    entry_id: int | None


def open_sheet(deps: Deps, open_file: Opener, options: Options, now: datetime | None) -> Sheet:
    """The sheet with its header row found, dates checked against today in the user's zone."""
    with reading(deps, now) as plan:
        today, tz = plan.today, plan.settings.tz
    return Sheet(open_file, options, today, tz)


def import_sheet(
    deps: Deps,
    open_file: Opener,
    options: Options,
    *,
    include_saved: bool = False,
    name: str = "a spreadsheet",
    now: datetime | None = None,
) -> Imported:
    """Import every row, or (at the first bad row, :class:`InvalidFile`) nothing."""
    sheet = open_sheet(deps, open_file, options, now)
    for _ in sheet.rows():  # every row checked before the write lock is taken
        pass
    with writing(deps, now) as s:
        counts = _write(s, sheet, include_saved)
        s.label = _label(name, counts)
    return Imported(counts, sheet.mapping, s.entry_id)


def preview(
    deps: Deps,
    open_file: Opener,
    options: Options,
    *,
    include_saved: bool = False,
    now: datetime | None = None,
    shown: int = SHOWN,
) -> Preview:
    """What :func:`import_sheet` would do, every problem counted; nothing is written."""
    sheet = open_sheet(deps, open_file, options, now)
    found = Preview(sheet.mapping, sheet.header_row, sheet.place)
    for item in sheet.read():
        if isinstance(item, str):
            found.problem_count += 1
            if len(found.problems) < PROBLEMS_SHOWN:
                found.problems.append(item)
        elif len(found.first) < shown and (include_saved or not item.saved_only):
            found.first.append(item)
    if found.ok:
        recorded: dict[int, Application] = {}
        try:
            with writing(deps, now) as s:
                found.counts = _write(s, sheet, include_saved, recorded)
                raise _RolledBack
        except _RolledBack:
            pass
        found.first = [_as_recorded(row, recorded.get(row.number)) for row in found.first]
    return found


def _as_recorded(row: Row, app: Application | None) -> Row:
    """A row as the import would leave its application: a row that matches a stored one
    shows the stored values it keeps (its status above all), not the sheet's."""
    if app is None:
        return row
    return replace(
        row,
        company=app.company,
        position=app.position,
        status=app.status.value,
        applied_on=app.applied_on,
        link=app.link,
        source=app.source,
        notes=app.notes,
    )


class _RolledBack(Exception):
    """Ends a dry run's transaction: the store rolls back what it wrote."""


def _label(name: str, counts: Counts) -> str:
    return (
        f"Imported {name}: {counts.created} new, {counts.completed} completed, "
        f"{counts.unchanged} unchanged application(s)"
    )


def _write(
    s: Session, sheet: Sheet, include_saved: bool, recorded: dict[int, Application] | None = None
) -> Counts:
    """Write every row; ``recorded`` (a dry run's) gets, per row number, the application
    the row leaves behind."""
    counts = Counts()
    written: set[str] = set()
    batch: list[Row] = []
    for row in sheet.rows():
        counts.rows += 1
        if row.saved_only and not include_saved:
            counts.saved_skipped += 1
            continue
        batch.append(row)
        if len(batch) == BATCH:
            _write_batch(s, batch, counts, written, recorded)
            batch = []
    _write_batch(s, batch, counts, written, recorded)
    return counts


def _write_batch(
    s: Session,
    batch: list[Row],
    counts: Counts,
    written: set[str],
    recorded: dict[int, Application] | None = None,
) -> None:
    """Write a batch; ``written`` holds the ids earlier batches wrote, and gets this one's.

    An application an earlier batch wrote is not changed again (a later row of the same
    job counts as unchanged): the history keeps one revision per application, which an
    undo checks against the application as the import left it.
    """
    if not batch:
        return
    keys = {company_key(r.company) for r in batch}
    members = s.repo.company_members(sorted(keys))
    stored = s.repo.load([i for ids in members.values() for i in ids])
    by_company: dict[str, list[Application]] = {}
    for app in stored:
        by_company.setdefault(app.company_key, []).append(app)
    originals: dict[str, Application | None] = {a.id: a for a in stored}
    changed: dict[str, Application] = {}
    taken: set[str] = set()
    # The ids new rows would take, asked for at once (on the server, a query per row was
    # a round trip per row).
    stored_ids = s.repo.existing({slug(f"{r.company}-{r.position}") for r in batch})
    for row in batch:
        key = company_key(row.company)
        at_company = by_company.setdefault(key, [])
        match = _match(at_company, row)
        if match is None:
            app = _new(s, row, taken, stored_ids)
            originals[app.id] = None
            at_company.append(app)
            changed[app.id] = app
            counts.created += 1
            if recorded is not None:
                recorded[row.number] = app
            continue
        filled = _fill(match, row)
        if filled == match or match.id in written:
            counts.unchanged += 1
            if recorded is not None:
                recorded[row.number] = match
            continue
        if recorded is not None:
            recorded[row.number] = filled
        if originals.get(match.id) is not None and match.id not in changed:
            counts.completed += 1
        at_company[at_company.index(match)] = filled
        changed[filled.id] = filled
    s.remember({i: originals.get(i) for i in changed})
    s.save_many(list(changed.values()))
    written.update(changed)
    s.flush()  # memory holds one batch, whatever the size of the file


def _match(at_company: list[Application], row: Row) -> Application | None:
    """The stored application a row is: the same job ad, else the same position (applied
    on the row's day first, when there are several), unless both have a job ad's address
    and they differ (two postings with one title, in two cities say, are two jobs)."""
    if row.link:
        for app in at_company:
            if app.link == row.link:
                return app
    position = same_position(row.position)
    same = [
        a for a in at_company if same_position(a.position) == position and not (row.link and a.link)
    ]
    for app in same:
        if app.applied_on == row.applied_on:
            return app
    return same[0] if same else None


def _fill(app: Application, row: Row) -> Application:
    """``app`` with what it lacks taken from the row; what it has is kept."""
    return replace(
        app,
        link=app.link or row.link,
        applied_on=app.applied_on or row.applied_on,
        source=app.source or row.source,
        notes=app.notes or row.notes,
    )


def _new(s: Session, row: Row, taken: set[str], recorded: set[str]) -> Application:
    """A new application; its id is the row's slug, numbered when taken (``taken``: by this
    import; ``recorded``: the batch's slugs already in the database)."""
    base = slug(f"{row.company}-{row.position}")
    candidate, n = base, 1
    while candidate in taken or (
        candidate in recorded if candidate == base else bool(s.repo.existing([candidate]))
    ):
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return Application(
        id=candidate,
        company=row.company,
        position=row.position,
        status=row.followup_status,
        applied_on=row.applied_on,
        recorded_on=s.today,
        link=row.link,
        source=row.source,
        notes=row.notes,
    )
