"""The applications, each written whole: its row is upserted and its children replaced,
which keeps a write simple and makes a partial update impossible."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from followup.adapters.sqlite import search_index
from followup.adapters.sqlite.batched import BATCH, Batched
from followup.adapters.sqlite.columns import (
    bool_of,
    contact_from_row,
    day_of,
    int_of,
    iso_day,
    moment_of,
    offset_minutes,
    ts,
    window_columns,
    window_of,
)
from followup.adapters.sqlite.large_write import SqliteLargeWrite
from followup.domain.model import (
    Application,
    Channel,
    Contact,
    Decision,
    Interview,
    Outcome,
    Purpose,
    Status,
    Touch,
    company_key,
)


class SqliteRecords(SqliteLargeWrite, Batched):
    """Mixed into the repository. Enum members are bound as they are (``str``), bools as ints."""

    def get(self, app_id: str) -> Application | None:
        apps = self._load([app_id])
        return apps[0] if apps else None

    def load(self, app_ids: Iterable[str]) -> list[Application]:
        ids = list(app_ids)
        found: list[Application] = []
        for start in range(0, len(ids), BATCH):
            found += self._load(ids[start : start + BATCH])
        return found

    def existing(self, app_ids: Iterable[str]) -> set[str]:
        return {r[0] for r in self._in("SELECT id FROM application WHERE id IN ({marks})", app_ids)}

    def company_keys(self, app_ids: Iterable[str]) -> set[str]:
        sql = "SELECT company_key FROM application WHERE id IN ({marks})"
        return {r[0] for r in self._in(sql, app_ids)}

    def all_company_keys(self) -> list[str]:
        sql = "SELECT DISTINCT company_key FROM application ORDER BY company_key"
        return [r[0] for r in self.conn.execute(sql)]

    def company_members(self, keys: Iterable[str]) -> dict[str, list[str]]:
        members: dict[str, list[str]] = defaultdict(list)
        sql = "SELECT company_key, id FROM application WHERE company_key IN ({marks}) ORDER BY id"
        for key, app_id in self._in(sql, keys):
            members[key].append(app_id)
        return dict(members)

    def applications(self, status: Status | None = None) -> Iterator[Application]:
        sql = "SELECT id FROM application"
        args: tuple[str, ...] = ()
        if status is not None:
            sql += " WHERE status = ?"
            args = (status.value,)
        ids = [r[0] for r in self.conn.execute(sql + " ORDER BY company_key, id", args)]
        for start in range(0, len(ids), BATCH):
            yield from self._load(ids[start : start + BATCH])

    def any_accepted(self) -> bool:
        if self._memo is not None and "any_accepted" in self._memo:  # read with open_count
            return bool(self._memo["any_accepted"])
        row = self.conn.execute(
            "SELECT 1 FROM application WHERE status = 'accepted' LIMIT 1"
        ).fetchone()
        return row is not None

    def put(self, app: Application) -> None:
        self.put_many([app])

    def put_many(self, apps: list[Application]) -> None:
        """Store applications whole: upsert each row, replace all its children."""
        self._large_write(len(apps))
        c = self.conn
        c.executemany(
            "INSERT INTO application (id, company, company_key, position, status, applied_on,"
            " recorded_on, link, source, notes, snoozed_until, posting)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET company = excluded.company,"
            " company_key = excluded.company_key, position = excluded.position,"
            " status = excluded.status, applied_on = excluded.applied_on,"
            " recorded_on = excluded.recorded_on, link = excluded.link,"
            " source = excluded.source, notes = excluded.notes,"
            " snoozed_until = excluded.snoozed_until, posting = excluded.posting",
            [
                (
                    app.id,
                    app.company,
                    company_key(app.company),
                    app.position,
                    app.status,
                    iso_day(app.applied_on),
                    iso_day(app.recorded_on),
                    app.link,
                    app.source,
                    app.notes,
                    iso_day(app.snoozed_until),
                    app.posting,
                )
                for app in apps
            ],
        )
        ids = [app.id for app in apps]
        for table in ("interviewer", "touch", "interview", "contact", "dismissal"):
            self._delete(table, ids)
        c.executemany(
            "INSERT INTO contact (application_id, id, seq, name, role, email, phone,"
            " name_confirmed, email_failed_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    app.id,
                    x.id,
                    i,
                    x.name,
                    x.role,
                    x.email,
                    x.phone,
                    x.name_confirmed,
                    iso_day(x.email_failed_on),
                )
                for app in apps
                for i, x in enumerate(app.contacts)
            ],
        )
        c.executemany(
            "INSERT INTO interview (application_id, id, seq, at, at_offset,"
            " contacts_every_applicant, direct_contact_ok, window_days, window_start,"
            " window_end, answer_by, notes, cancelled)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    app.id,
                    iv.id,
                    i,
                    ts(iv.at),
                    offset_minutes(iv.at),
                    int_of(iv.contacts_every_applicant),
                    int_of(iv.direct_contact_ok),
                    *window_columns(iv.contact_window),
                    iso_day(iv.answer_by),
                    iv.notes,
                    iv.cancelled,
                )
                for app in apps
                for i, iv in enumerate(app.interviews)
            ],
        )
        c.executemany(
            "INSERT INTO interviewer (application_id, interview_id, seq, contact_id)"
            " VALUES (?, ?, ?, ?)",
            [
                (app.id, iv.id, i, cid)
                for app in apps
                for iv in app.interviews
                for i, cid in enumerate(iv.interviewers)
            ],
        )
        c.executemany(
            "INSERT INTO touch (application_id, id, seq, at, at_offset, contact_id, channel,"
            " purpose, outcome, decision, decision_by, vacancies, message_id, notes)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    app.id,
                    t.id,
                    i,
                    ts(t.at),
                    offset_minutes(t.at),
                    t.contact,
                    t.channel,
                    t.purpose,
                    t.outcome,
                    t.decision,
                    iso_day(t.decision_by),
                    t.vacancies,
                    t.message_id,
                    t.notes,
                )
                for app in apps
                for i, t in enumerate(app.touches)
            ],
        )
        c.executemany(
            "INSERT INTO dismissal (application_id, action_id) VALUES (?, ?)",
            [(app.id, a) for app in apps for a in sorted(app.dismissed)],
        )
        search_index.reindex(c, ids)

    def delete_many(self, app_ids: list[str]) -> None:
        """Delete applications with everything they hold (their plan and outbox too)."""
        search_index.unindex(self.conn, app_ids)
        for table in ("interviewer", "touch", "interview", "contact", "dismissal"):
            self._delete(table, app_ids)
        for start in range(0, len(app_ids), BATCH):
            chunk = app_ids[start : start + BATCH]
            marks = ",".join("?" * len(chunk))
            self.conn.execute(f"DELETE FROM application WHERE id IN ({marks})", chunk)

    def _load(self, ids: list[str]) -> list[Application]:
        """Whole applications, in the order of ``ids``, six queries for the lot."""
        if not ids:
            return []
        marks = ",".join("?" * len(ids))

        def rows(sql: str) -> list[Any]:
            return self.conn.execute(sql.format(marks=marks), ids).fetchall()

        contacts: dict[str, list[Contact]] = defaultdict(list)
        for r in rows(
            "SELECT application_id, id, name, role, email, phone, name_confirmed,"
            " email_failed_on FROM contact"
            " WHERE application_id IN ({marks}) ORDER BY application_id, seq"
        ):
            contacts[r[0]].append(contact_from_row(r))
        interviewers: dict[tuple[str, str], list[str]] = defaultdict(list)
        for r in rows(
            "SELECT application_id, interview_id, contact_id FROM interviewer"
            " WHERE application_id IN ({marks}) ORDER BY application_id, interview_id, seq"
        ):
            interviewers[(r[0], r[1])].append(r[2])
        interviews: dict[str, list[Interview]] = defaultdict(list)
        for r in rows(
            "SELECT application_id, id, at, at_offset, contacts_every_applicant,"
            " direct_contact_ok, window_days, window_start, window_end, answer_by, notes,"
            " cancelled FROM interview WHERE application_id IN ({marks})"
            " ORDER BY application_id, seq"
        ):
            interviews[r[0]].append(
                Interview(
                    id=r[1],
                    at=moment_of(r[2], r[3]),
                    interviewers=tuple(interviewers.get((r[0], r[1]), ())),
                    contacts_every_applicant=bool_of(r[4]),
                    direct_contact_ok=bool_of(r[5]),
                    contact_window=window_of(r[6], r[7], r[8]),
                    answer_by=day_of(r[9]),
                    notes=r[10],
                    cancelled=bool(r[11]),
                )
            )
        touches: dict[str, list[Touch]] = defaultdict(list)
        for r in rows(
            "SELECT application_id, id, at, at_offset, contact_id, channel, purpose, outcome,"
            " decision, decision_by, vacancies, message_id, notes FROM touch"
            " WHERE application_id IN ({marks}) ORDER BY application_id, seq"
        ):
            touches[r[0]].append(
                Touch(
                    id=r[1],
                    at=moment_of(r[2], r[3]),
                    contact=r[4],
                    channel=Channel(r[5]),
                    purpose=Purpose(r[6]),
                    outcome=Outcome(r[7]),
                    decision=Decision(r[8]) if r[8] else None,
                    decision_by=day_of(r[9]),
                    vacancies=r[10],
                    message_id=r[11],
                    notes=r[12],
                )
            )
        dismissed: dict[str, set[str]] = defaultdict(set)
        for r in rows(
            "SELECT application_id, action_id FROM dismissal WHERE application_id IN ({marks})"
        ):
            dismissed[r[0]].add(r[1])
        found = {}
        for r in rows(
            "SELECT id, company, position, status, applied_on, recorded_on, link, source, notes,"
            " snoozed_until, posting FROM application WHERE id IN ({marks})"
        ):
            found[r[0]] = Application(
                id=r[0],
                company=r[1],
                position=r[2],
                status=Status(r[3]),
                applied_on=day_of(r[4]),
                recorded_on=day_of(r[5]),
                link=r[6],
                source=r[7],
                notes=r[8],
                posting=r[10],
                contacts=tuple(contacts.get(r[0], ())),
                interviews=tuple(interviews.get(r[0], ())),
                touches=tuple(touches.get(r[0], ())),
                snoozed_until=day_of(r[9]),
                dismissed=frozenset(dismissed.get(r[0], ())),
            )
        return [found[i] for i in ids if i in found]
