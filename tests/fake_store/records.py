"""The fake's applications, kept whole (they are immutable values)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from followup.domain.model import Application, Status
from tests.fake_store.state import FakeState


class FakeRecords:
    """Mixed into the fake repository; works on its copy of the state."""

    state: FakeState

    def get(self, app_id: str) -> Application | None:
        return self.state.apps.get(app_id)

    def load(self, app_ids: Iterable[str]) -> list[Application]:
        return [self.state.apps[i] for i in app_ids if i in self.state.apps]

    def existing(self, app_ids: Iterable[str]) -> set[str]:
        return {i for i in app_ids if i in self.state.apps}

    def put(self, app: Application) -> None:
        self.state.apps[app.id] = app

    def put_many(self, apps: list[Application]) -> None:
        for app in apps:
            self.put(app)

    def delete_many(self, app_ids: list[str]) -> None:
        for app_id in app_ids:
            for table in (
                self.state.apps,
                self.state.plans,
                self.state.exact,
                self.state.summary,
                self.state.timings,
            ):
                table.pop(app_id, None)
        self.state.outbox = {
            k: e for k, e in self.state.outbox.items() if e.application not in app_ids
        }

    def applications(self, status: Status | None = None) -> Iterator[Application]:
        apps = sorted(self.state.apps.values(), key=lambda a: (a.company_key, a.id))
        return iter([a for a in apps if status is None or a.status is status])

    def company_keys(self, app_ids: Iterable[str]) -> set[str]:
        return {self.state.apps[i].company_key for i in app_ids if i in self.state.apps}

    def all_company_keys(self) -> list[str]:
        return sorted({a.company_key for a in self.state.apps.values()})

    def company_members(self, keys: Iterable[str]) -> dict[str, list[str]]:
        wanted = set(keys)
        members: dict[str, list[str]] = {}
        for app in sorted(self.state.apps.values(), key=lambda a: a.id):
            if app.company_key in wanted:
                members.setdefault(app.company_key, []).append(app.id)
        return members

    def any_accepted(self) -> bool:
        return any(a.status is Status.ACCEPTED for a in self.state.apps.values())
