"""``followup doctor``: proves the stored plan equals a fresh plan of the records.

The stored plan is an optimisation; if it ever differed from what the pure planner
computes, the user would be told to do the wrong thing on the wrong day. The check
re-plans every application and compares segment by segment; ``--repair`` rewrites the
stored plan from the records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from itertools import groupby

from followup.domain.planner import Planned, plan_company_over_time
from followup.services.planning import PLANNER_VERSION, calendar_for, replan_all
from followup.services.session import Deps


@dataclass(frozen=True, slots=True)
class Report:
    applications: int
    problems: list[str] = field(default_factory=list)
    repaired: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


def _key(p: Planned) -> tuple[str, datetime, datetime]:
    """Segments in time order (instants compare across offsets, unlike their text)."""
    return (p.action.id, p.valid_from or _DAWN, p.valid_until or _DAWN)


_DAWN = datetime.min.replace(tzinfo=UTC)


def check(deps: Deps, *, repair: bool = False) -> Report:
    problems: list[str] = []
    count = opened = 0
    last_added: date | None = None
    with deps.store.reading() as repo:
        if repo.plan_version() != PLANNER_VERSION:
            problems.append(f"the stored plan was made by planner {repo.plan_version()!r}")
        settings = repo.load_settings()
        calendar = calendar_for(settings, deps.holidays)
        accepted = repo.any_accepted()
        for _, group in groupby(repo.applications(), key=lambda a: a.company_key):
            apps = list(group)
            since = repo.exact_from(a.id for a in apps)
            # A company is re-planned whole, so its members share one exact_from; the
            # company's plan is computed once per distinct one.
            plans: dict[datetime, dict[str, list[Planned]]] = {}
            for app in apps:
                count += 1
                if app.id not in since:
                    problems.append(f"{app.id}: no stored plan")
                    continue
                start = since[app.id]
                if start not in plans:
                    plans[start] = {
                        a.id: planned
                        for a, planned in plan_company_over_time(
                            apps, settings.policy, calendar, accepted, start
                        )
                    }
                fresh = plans[start][app.id]
                if sorted(repo.planned(app.id), key=_key) != sorted(fresh, key=_key):
                    problems.append(f"{app.id}: the stored plan differs from a fresh plan")
                opened += app.is_open
                if app.added_on is not None:
                    last_added = max(last_added or app.added_on, app.added_on)
        if repo.open_count(count + 1) != opened or repo.last_added() != last_added:
            problems.append("the stored counts of open and new applications (R9) are wrong")
        problems += repo.integrity_problems()
    if problems and repair:
        with deps.store.writing() as repo:
            settings = repo.load_settings()
            replan_all(repo, settings, calendar_for(settings, deps.holidays), deps.clock.now())
            repo.set_plan_version(PLANNER_VERSION)
    return Report(count, problems, repaired=bool(problems) and repair)
