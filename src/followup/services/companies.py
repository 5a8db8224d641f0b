"""A company seen whole: every application there, every contact, every touch (R10, R13).

Applications whose company names match ignoring case and surrounding spaces are at one
company (RULES.md, R13). Their status follow-ups share one weekly limit, and a contact
recorded for one of them serves the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from followup.domain.model import (
    STATUS_KINDS,
    Action,
    Application,
    Contact,
    Touch,
    company_key,
)
from followup.errors import NotFound
from followup.services.records import Saved
from followup.services.session import Deps, reading
from followup.services.touches import split_vacancies

#: The most company names a failed look-up suggests.
_SUGGESTIONS = 5


@dataclass(frozen=True, slots=True)
class CompanyView:
    name: str
    key: str
    applications: list[Saved]
    #: ``(application id, contact)``, each person once (the first application that has them).
    contacts: list[tuple[str, Contact]]
    #: ``(application id, touch)``, newest first.
    touches: list[tuple[str, Touch]]
    #: The last status attempt at the company, any application (R13).
    last_attempt: date | None
    #: The first day another status follow-up may happen there (R13).
    next_possible: date | None
    #: The status follow-ups planned at the company, soonest first.
    planned: list[Action]


def vacancies(deps: Deps, app: Application) -> list[tuple[str, bool]]:
    """The vacancies the company named in ``app``'s touches, each with whether the user
    already applied for that position there (R16)."""
    with deps.store.reading() as repo:
        members = repo.company_members([app.company_key]).get(app.company_key, [])
        positions = {a.position.casefold() for a in repo.load(members)}
    return [
        (title, title.casefold() in positions) for t in app.touches for title in split_vacancies(t)
    ]


def company(deps: Deps, name: str, now: datetime) -> CompanyView:
    """The company named ``name`` (or a unique part of its name, or an application id)."""
    with reading(deps, now) as plan:
        repo = plan.repo
        key = _find(repo.all_company_keys(), name)
        if key is None:
            app = repo.get(name.strip())
            if app is None:
                raise NotFound(_not_found(repo.all_company_keys(), name), field="company")
            key = app.company_key
        apps = repo.load(repo.company_members([key]).get(key, []))
        settings = plan.settings
        tz = settings.tz
        actions = plan.of_many([app.id for app in apps])
        saved = [Saved(app, actions.get(app.id, [])) for app in apps]
        contacts: list[tuple[str, Contact]] = []
        seen: set[tuple[str, str]] = set()
        for app in apps:
            for c in app.contacts:
                who = (c.id, c.name.casefold())
                if who not in seen:
                    seen.add(who)
                    contacts.append((app.id, c))
        touches = sorted(
            ((app.id, t) for app in apps for t in app.touches),
            key=lambda pair: pair[1].at,
            reverse=True,
        )
        attempts = [t.at.astimezone(tz).date() for _, t in touches if t.is_attempt]
        last = max(attempts, default=None)
        gap = settings.policy.min_days_between_follow_ups
        planned = sorted(
            (a for s in saved for a in s.actions if a.kind in STATUS_KINDS),
            key=lambda a: a.sort_key,
        )
        return CompanyView(
            name=apps[0].company,
            key=key,
            applications=saved,
            contacts=contacts,
            touches=touches,
            last_attempt=last,
            next_possible=last + timedelta(days=gap) if last is not None else None,
            planned=planned,
        )


def _find(keys: list[str], name: str) -> str | None:
    wanted = company_key(name)
    if not wanted:
        return None
    if wanted in keys:
        return wanted
    matches = [k for k in keys if wanted in k]
    return matches[0] if len(matches) == 1 else None


def _not_found(keys: list[str], name: str) -> str:
    wanted = company_key(name)
    matches = [k for k in keys if wanted and wanted in k]
    if len(matches) > 1:
        shown = ", ".join(matches[:_SUGGESTIONS])
        return f"{name!r} matches several companies: {shown}; give more of the name"
    return f"no company {name!r} among your applications"
