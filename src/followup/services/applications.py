"""Use cases that record applications and read them back.

Each write is one transaction (:mod:`.records`), validated before anything is written.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from followup.domain import words
from followup.domain.model import (
    Application,
    Status,
    company_key,
)
from followup.errors import Duplicate, InvalidInput, NotFound, Refused, Remedy
from followup.services.records import (
    Saved,
    _saved,
    check_day,
    check_id,
    check_link,
    check_text,
    slug,
)
from followup.services.session import Deps, Session, reading, writing

# --- applications -------------------------------------------------------------------------


def add_application(
    deps: Deps,
    company: str,
    position: str,
    *,
    applied_on: date | None = None,
    link: str | None = None,
    source: str | None = None,
    notes: str | None = None,
    app_id: str | None = None,
    posting: str | None = None,
    duplicate_ok: bool = False,
    now: datetime | None = None,
) -> Saved:
    """Record an application; one at the same company for the same position is refused
    (:class:`Duplicate`) unless ``duplicate_ok``: a second one is usually a mistake."""
    company_text = check_text(company, "company", required=True)
    position_text = check_text(position, "position", required=True)
    assert company_text is not None
    assert position_text is not None
    with writing(deps, now) as s:
        if app_id is not None:
            check_id(app_id, "application id")
            if s.repo.get(app_id) is not None:
                raise Refused(f"application {app_id!r} already exists", field="id")
        else:
            base = slug(f"{company_text}-{position_text}")
            app_id = free_application_id(s, base)
        check_applied_on(s, applied_on)
        if not duplicate_ok:
            check_not_duplicate(s, company_text, position_text)
        app = Application(
            id=app_id,
            company=company_text,
            position=position_text,
            applied_on=check_day(applied_on, "applied_on"),
            recorded_on=s.calendar.local_date(s.now),
            link=check_link(link),
            source=check_text(source, "source"),
            notes=check_text(notes, "notes"),
            posting=check_text(posting, "posting"),
        )
        return _saved(s, app)


def check_applied_on(session: Session, applied_on: date | None) -> date | None:
    """R9 and R18 count from this day: a future one would silence both for no reason."""
    check_day(applied_on, "applied_on")
    if applied_on is not None and applied_on > session.today:
        raise InvalidInput(
            f"applied_on: {words.day(applied_on)} is in the future (today is "
            f"{words.day(session.today)}); add the application once you have applied",
            field="applied_on",
        )
    return applied_on


def check_not_duplicate(
    session: Session, company: str, position: str, *, other_than: str | None = None
) -> None:
    """The same position at the same company (case and spacing aside) is refused as a
    :class:`Duplicate`, naming the one there; ``other_than`` is the application being
    corrected, which is no duplicate of itself."""
    key = company_key(company)
    for other in session.company(key):
        if other.id != other_than and other.position.strip().casefold() == position.casefold():
            raise Duplicate(
                f"{other.id} is already an application at {other.company} for {other.position}",
                other.id,
                field="position",
            )


def free_application_id(session: Session, base: str) -> str:
    candidate, n = base, 1
    while session.repo.get(candidate) is not None:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def set_status(deps: Deps, app_id: str, status: Status, now: datetime | None = None) -> Saved:
    """The application with its new status, and whether the search is over (R20), so that
    a closed process is not answered with "keep applying" once an offer is accepted."""
    with writing(deps, now) as s:
        saved = _saved(s, replace(s.application(app_id), status=status))
        return replace(saved, search_ended=s.repo.any_accepted())


def snooze(deps: Deps, app_id: str, until: date | None, now: datetime | None = None) -> Saved:
    """No status follow-up of the application before ``until`` (``None`` lifts the snooze).

    A day already gone would change nothing, so it is refused as the typo it most likely
    is rather than accepted in silence."""
    with writing(deps, now) as s:
        check_day(until, "until")
        if until is not None and until < s.today:
            raise InvalidInput(
                f"until: {words.day(until)} is already past (today is {words.day(s.today)});"
                " give a day from today on, or `off` to lift the snooze",
                field="until",
            )
        app = replace(s.application(app_id), snoozed_until=until)
        return _saved(s, app)


# --- reading ------------------------------------------------------------------------------


def get_application(deps: Deps, app_id: str, now: datetime) -> Saved:
    """An application and its actions at ``now`` (for ``show``)."""
    with reading(deps, now) as plan:
        app = plan.repo.get(app_id)
        if app is None:
            raise NotFound(f"no application {app_id!r}", remedy=Remedy.LIST)
        return Saved(app, plan.of(app_id), plan.today)


def exists(deps: Deps, app_id: str) -> bool:
    with deps.store.reading() as repo:
        return bool(repo.existing([app_id]))


def is_empty(deps: Deps) -> bool:
    """No application at all (the demo fills only an empty database)."""
    with deps.store.reading() as repo:
        return next(iter(repo.applications()), None) is None


def list_applications(deps: Deps, status: Status | None, now: datetime) -> list[Saved]:
    with reading(deps, now) as plan:
        return [Saved(app, plan.of(app.id)) for app in plan.repo.applications(status)]
