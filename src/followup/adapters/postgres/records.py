"""The applications, each written whole (its row upserted, its children replaced), as the
local store does; ``= ANY(array)`` takes any number of ids in one statement.

A write leaves alone what it would write again unchanged: the repository remembers each
application as this transaction loaded or wrote it (:attr:`PostgresRecords._known`), and
``put_many`` writes an application only if it differs from that, and its children only if
they do (an edit of an application's notes is one ``UPDATE``, not six deletes and a dozen
inserts). What is remembered is what is stored: a write transaction holds the seeker's
write lock, so no other writer changes these rows meanwhile, and every write of them in
this transaction goes through :meth:`~PostgresRecords.put_many` or
:meth:`~PostgresRecords.delete_many`, which keep the memory true.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from typing import Any

from followup.adapters.postgres.owned import Owned, shown
from followup.adapters.postgres.search_index import fields, vector
from followup.adapters.sqlite.columns import offset_minutes, window_columns, window_of
from followup.domain.model import (
    Application,
    Channel,
    Contact,
    Decision,
    Interview,
    Outcome,
    Purpose,
    Role,
    Status,
    Touch,
    company_key,
)

#: Applications loaded whole per round of queries (bounds the memory of ``applications()``).
BATCH = 500
#: The most applications a repository remembers as stored (a bulk read or import forgets
#: them a batch at a time, and writes those it no longer remembers whole, as before).
KNOWN_MOST = 1000
_CHILDREN = ("interviewer", "touch", "interview", "contact", "dismissal")
#: What :meth:`PostgresRecords._load` reads, all sent at once.
_CONTACTS = (
    "SELECT application_id, id, name, role, email, phone, name_confirmed,"
    " email_failed_on FROM contact WHERE seeker_id = %s AND application_id = ANY(%s)"
    " ORDER BY application_id, seq"
)
_INTERVIEWERS = (
    "SELECT application_id, interview_id, contact_id FROM interviewer"
    " WHERE seeker_id = %s AND application_id = ANY(%s)"
    " ORDER BY application_id, interview_id, seq"
)
_INTERVIEWS = (
    "SELECT application_id, id, at, at_offset, contacts_every_applicant,"
    " direct_contact_ok, window_days, window_start, window_end, answer_by, notes,"
    " cancelled FROM interview WHERE seeker_id = %s AND application_id = ANY(%s)"
    " ORDER BY application_id, seq"
)
_TOUCHES = (
    "SELECT application_id, id, at, at_offset, contact_id, channel, purpose, outcome,"
    " decision, decision_by, vacancies, message_id, notes FROM touch"
    " WHERE seeker_id = %s AND application_id = ANY(%s) ORDER BY application_id, seq"
)
_DISMISSALS = (
    "SELECT application_id, action_id FROM dismissal"
    " WHERE seeker_id = %s AND application_id = ANY(%s)"
)
_APPLICATIONS = (
    "SELECT id, company, position, status, applied_on, recorded_on, link, source, notes,"
    " snoozed_until, posting FROM application WHERE seeker_id = %s AND id = ANY(%s)"
)
_LOAD = (_CONTACTS, _INTERVIEWERS, _INTERVIEWS, _TOUCHES, _DISMISSALS, _APPLICATIONS)


class PostgresRecords(Owned):
    #: Each application as this transaction last loaded or wrote it (the repository's
    #: ``__init__`` makes it empty); absent: not known, written whole.
    _known: dict[str, Application]

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
        sql = "SELECT id FROM application WHERE seeker_id = %s AND id = ANY(%s)"
        return {r[0] for r in self._rows(sql, list(app_ids))}

    def company_keys(self, app_ids: Iterable[str]) -> set[str]:
        sql = "SELECT company_key FROM application WHERE seeker_id = %s AND id = ANY(%s)"
        return {r[0] for r in self._rows(sql, list(app_ids))}

    def all_company_keys(self) -> list[str]:
        sql = (
            "SELECT DISTINCT company_key FROM application WHERE seeker_id = %s ORDER BY company_key"
        )
        return [r[0] for r in self._rows(sql)]

    def company_members(self, keys: Iterable[str]) -> dict[str, list[str]]:
        members: dict[str, list[str]] = defaultdict(list)
        sql = (
            "SELECT company_key, id FROM application WHERE seeker_id = %s"
            " AND company_key = ANY(%s) ORDER BY id"
        )
        for key, app_id in self._rows(sql, list(keys)):
            members[key].append(app_id)
        return dict(members)

    def applications(self, status: Status | None = None) -> Iterator[Application]:
        wanted = status.value if status is not None else None
        ids = [
            r[0]
            for r in self._rows(
                "SELECT id FROM application WHERE seeker_id = %s"
                " AND (%s::text IS NULL OR status = %s) ORDER BY company_key, id",
                wanted,
                wanted,
            )
        ]
        for start in range(0, len(ids), BATCH):
            yield from self._load(ids[start : start + BATCH])

    def any_accepted(self) -> bool:
        if self._memo is not None and "any_accepted" in self._memo:  # read with open_count
            return bool(self._memo["any_accepted"])
        sql = "SELECT 1 FROM application WHERE seeker_id = %s AND status = 'accepted' LIMIT 1"
        return self._one(sql) is not None

    def put(self, app: Application) -> None:
        self.put_many([app])

    def put_many(self, apps: list[Application]) -> None:
        """Store applications whole: upsert each row (its search words with it), replace
        all its children; those known to be stored as they are already are left alone,
        and so are the children of those whose children did not change."""
        known = self._known
        apps = [a for a in apps if known.get(a.id) != a]
        if not apps:
            return
        whole = [a.id for a in apps if a.id not in known or _children(known[a.id]) != _children(a)]
        self._write(apps, set(whole))
        self._remember(apps)

    def _write(self, apps: list[Application], whole: set[str]) -> None:
        """Upsert ``apps``' rows; replace the children of those in ``whole``."""
        s = self.seeker
        with self.conn.cursor() as c:
            c.executemany(
                "INSERT INTO application (seeker_id, id, company, company_key, position,"
                " status, applied_on, recorded_on, link, source, notes, snoozed_until, posting,"
                " search) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s::tsvector)"
                " ON CONFLICT (seeker_id, id) DO UPDATE SET company = excluded.company,"
                " company_key = excluded.company_key, position = excluded.position,"
                " status = excluded.status, applied_on = excluded.applied_on,"
                " recorded_on = excluded.recorded_on, link = excluded.link,"
                " source = excluded.source, notes = excluded.notes,"
                " snoozed_until = excluded.snoozed_until, posting = excluded.posting,"
                " search = excluded.search",
                [
                    (
                        s, a.id, a.company, company_key(a.company), a.position, a.status.value,
                        a.applied_on, a.recorded_on, a.link, a.source, a.notes,
                        a.snoozed_until, a.posting, vector(fields(a)),
                    )
                    for a in apps
                ],
            )  # fmt: skip
            if not whole:
                return
            self._delete_children(sorted(whole))
            apps = [a for a in apps if a.id in whole]
            c.executemany(
                "INSERT INTO contact (seeker_id, application_id, id, seq, name, role, email,"
                " phone, name_confirmed, email_failed_on)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    (s, a.id, x.id, i, x.name, x.role.value, x.email, x.phone,
                     x.name_confirmed, x.email_failed_on)
                    for a in apps
                    for i, x in enumerate(a.contacts)
                ],
            )  # fmt: skip
            c.executemany(
                "INSERT INTO interview (seeker_id, application_id, id, seq, at, at_offset,"
                " contacts_every_applicant, direct_contact_ok, window_days, window_start,"
                " window_end, answer_by, notes, cancelled)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    (s, a.id, iv.id, i, iv.at, offset_minutes(iv.at),
                     iv.contacts_every_applicant, iv.direct_contact_ok,
                     *window_columns(iv.contact_window), iv.answer_by, iv.notes, iv.cancelled)
                    for a in apps
                    for i, iv in enumerate(a.interviews)
                ],
            )  # fmt: skip
            c.executemany(
                "INSERT INTO interviewer (seeker_id, application_id, interview_id, seq,"
                " contact_id) VALUES (%s, %s, %s, %s, %s)",
                [
                    (s, a.id, iv.id, i, cid)
                    for a in apps
                    for iv in a.interviews
                    for i, cid in enumerate(iv.interviewers)
                ],
            )
            c.executemany(
                "INSERT INTO touch (seeker_id, application_id, id, seq, at, at_offset,"
                " contact_id, channel, purpose, outcome, decision, decision_by, vacancies,"
                " message_id, notes)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    (s, a.id, t.id, i, t.at, offset_minutes(t.at), t.contact, t.channel.value,
                     t.purpose.value, t.outcome.value, t.decision.value if t.decision else None,
                     t.decision_by, t.vacancies, t.message_id, t.notes)
                    for a in apps
                    for i, t in enumerate(a.touches)
                ],
            )  # fmt: skip
            c.executemany(
                "INSERT INTO dismissal (seeker_id, application_id, action_id) VALUES (%s, %s, %s)",
                [(s, a.id, action) for a in apps for action in sorted(a.dismissed)],
            )

    def delete_many(self, app_ids: list[str]) -> None:
        """Delete applications with everything they hold (plan and outbox cascade)."""
        for app_id in app_ids:
            self._known.pop(app_id, None)
        self._delete_children(app_ids)
        self.conn.execute(
            "DELETE FROM application WHERE seeker_id = %s AND id = ANY(%s)",
            (self.seeker, list(app_ids)),
        )

    def _delete_children(self, app_ids: list[str]) -> None:
        with self.conn.pipeline():  # one round trip for the five
            for table in _CHILDREN:
                self.conn.execute(
                    f"DELETE FROM {table} WHERE seeker_id = %s AND application_id = ANY(%s)",
                    (self.seeker, list(app_ids)),
                )

    def _load(self, ids: list[str]) -> list[Application]:
        """Whole applications, in the order of ``ids``, six queries for the lot, sent
        together (psycopg's pipeline: one round trip instead of six)."""
        if not ids:
            return []
        with self.conn.pipeline():
            sent = {sql: self.conn.execute(sql, (self.seeker, ids)) for sql in _LOAD}

        def rows(sql: str) -> list[Any]:
            return sent[sql].fetchall()

        contacts: dict[str, list[Contact]] = defaultdict(list)
        for r in rows(_CONTACTS):
            contacts[r[0]].append(contact_of(r))
        interviewers: dict[tuple[str, str], list[str]] = defaultdict(list)
        for r in rows(_INTERVIEWERS):
            interviewers[(r[0], r[1])].append(r[2])
        interviews: dict[str, list[Interview]] = defaultdict(list)
        for r in rows(_INTERVIEWS):
            interviews[r[0]].append(
                Interview(
                    id=r[1],
                    at=shown(r[2], r[3]),
                    interviewers=tuple(interviewers.get((r[0], r[1]), ())),
                    contacts_every_applicant=r[4],
                    direct_contact_ok=r[5],
                    contact_window=window_of(r[6], r[7], r[8]),
                    answer_by=r[9],
                    notes=r[10],
                    cancelled=r[11],
                )
            )
        touches: dict[str, list[Touch]] = defaultdict(list)
        for r in rows(_TOUCHES):
            touches[r[0]].append(
                Touch(
                    id=r[1],
                    at=shown(r[2], r[3]),
                    contact=r[4],
                    channel=Channel(r[5]),
                    purpose=Purpose(r[6]),
                    outcome=Outcome(r[7]),
                    decision=Decision(r[8]) if r[8] else None,
                    decision_by=r[9],
                    vacancies=r[10],
                    message_id=r[11],
                    notes=r[12],
                )
            )
        dismissed: dict[str, set[str]] = defaultdict(set)
        for r in rows(_DISMISSALS):
            dismissed[r[0]].add(r[1])
        found = {}
        for r in rows(_APPLICATIONS):
            found[r[0]] = Application(
                id=r[0],
                company=r[1],
                position=r[2],
                status=Status(r[3]),
                applied_on=r[4],
                recorded_on=r[5],
                link=r[6],
                source=r[7],
                notes=r[8],
                posting=r[10],
                contacts=tuple(contacts.get(r[0], ())),
                interviews=tuple(interviews.get(r[0], ())),
                touches=tuple(touches.get(r[0], ())),
                snoozed_until=r[9],
                dismissed=frozenset(dismissed.get(r[0], ())),
            )
        self._remember(found.values())
        return [found[i] for i in ids if i in found]

    def _remember(self, apps: Collection[Application]) -> None:
        if len(self._known) + len(apps) > KNOWN_MOST:
            self._known.clear()
        if len(apps) <= KNOWN_MOST:
            self._known.update((a.id, a) for a in apps)


def _children(app: Application) -> tuple[object, ...]:
    """What ``put_many`` writes of an application besides its own row."""
    return (app.contacts, app.interviews, app.touches, app.dismissed)


def contact_of(r: Any) -> Contact:
    """A contact from ``application_id, id, name, role, email, phone, name_confirmed,
    email_failed_on``."""
    return Contact(r[1], r[2], Role(r[3]), r[4], r[5], r[6], r[7])
