"""What the web app's pages list: a page of applications, the board, the week.

Each is a handful of indexed queries whatever the number of applications, and the
actions come from the stored plan through :class:`~followup.services.planning.PlanReader`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from followup.domain.listed import Listed, Scheduled
from followup.domain.model import Action, Contact, Status
from followup.errors import InvalidInput
from followup.services.planning import COMING_DAYS, PlanReader, PlanView
from followup.services.ports import SORTS, Repository
from followup.services.session import Deps, reading

PAGE_SIZE = 50
BOARD_CARDS = 8


def change_token(deps: Deps) -> object:
    """Equal to an earlier token while nobody has committed a change (a page may be reused)."""
    return deps.store.change_token()


@dataclass(frozen=True, slots=True)
class Page:
    rows: list[Listed]
    total: int
    page: int
    pages: int


def search(
    deps: Deps,
    query: str = "",
    status: Status | None = None,
    sort: str = "-applied",
    page: int = 1,
    now: datetime | None = None,
) -> Page:
    if sort.lstrip("-") not in SORTS:
        raise InvalidInput(f"cannot sort by {sort!r} (by {', '.join(SORTS)})", field="sort")
    page = max(page, 1)
    with reading(deps, now) as plan:
        rows, total = plan.repo.search(query, status, sort, PAGE_SIZE, (page - 1) * PAGE_SIZE)
        rows = _with_next_actions(plan, rows)
    return Page(rows, total, page, max(1, -(-total // PAGE_SIZE)))


@dataclass(frozen=True, slots=True)
class Column:
    status: Status
    count: int
    newest: list[Listed]


def board(deps: Deps, now: datetime | None = None) -> list[Column]:
    """One column per status, with its count and its newest applications."""
    with reading(deps, now) as plan:
        counts = plan.repo.count_by_status()
        columns = []
        for status in Status:
            newest = plan.repo.newest(status, BOARD_CARDS) if counts.get(status) else []
            columns.append(Column(status, counts.get(status, 0), _with_next_actions(plan, newest)))
    return columns


def _with_next_actions(plan: PlanReader, rows: list[Listed]) -> list[Listed]:
    actions = plan.next_of_many([r.id for r in rows])
    return [replace(r, next_action=actions.get(r.id)) for r in rows]


@dataclass(frozen=True, slots=True)
class Day:
    day: date
    actions: list[Action]
    interviews: list[Scheduled]


def week(
    deps: Deps, now: datetime | None = None, days: int = COMING_DAYS
) -> tuple[PlanView, list[Day]]:
    """Today and the ``days`` after it as a calendar: each day's actions and interviews
    (overdue ones on today), the same days as Today's "This week" (:data:`COMING_DAYS`)."""
    with reading(deps, now) as plan:
        view = plan.view(days)
        tz = plan.settings.tz
        start = datetime.combine(view.today, time(), tz)
        interviews = plan.repo.interviews_between(start, start + timedelta(days=days + 1))
    calendar = []
    for offset in range(days + 1):
        day = view.today + timedelta(days=offset)
        actions = [a for a in view.actions if max(a.due, view.today) == day]
        scheduled = [s for s in interviews if s.at.astimezone(tz).date() == day]
        calendar.append(Day(day, actions, scheduled))
    return view, calendar


def card_details(deps: Deps, actions: list[Action]) -> tuple[dict[tuple[str, str], Contact], bool]:
    """In one read: the contact of each action (for its ``tel:`` and ``mailto:`` links), and
    whether email can be sent from here (an address and a server are set)."""
    with deps.store.reading() as repo:
        return card_details_in(repo, actions)


def card_details_in(
    repo: Repository, actions: list[Action]
) -> tuple[dict[tuple[str, str], Contact], bool]:
    """:func:`card_details` in the caller's read (a page read all at once)."""
    pairs = [(a.contact_owner, a.contact) for a in actions if a.contact_owner and a.contact]
    return contact_details_in(repo, pairs)


def contact_details_in(
    repo: Repository,
    pairs: list[tuple[str, str]],
    mailed: list[tuple[str, str]] | None = None,
) -> tuple[dict[tuple[str, str], Contact], bool]:
    """:func:`card_details_in` of the (application, contact id) pairs of a page's cards.

    ``mailed``: the pairs of cards that show their contact only to send them email, read
    only when email can go from here (issue 12: a contact is a lookup of its own, and most
    cards of a page show none)."""
    mail = repo.load_mail_settings()
    can_send = bool(mail.address and mail.smtp_host)
    wanted = [*pairs, *mailed] if can_send and mailed else pairs
    return (repo.contacts_of(wanted) if wanted else {}), can_send
