"""The SQLite implementation of the repository port.

The SQL is kept portable (``INSERT ... ON CONFLICT``, partial indexes, no SQLite-only
functions) so that a PostgreSQL store can share it. An application is written whole:
its row is upserted and its children replaced, which keeps a write simple and makes a
partial update impossible.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

from followup.adapters.sqlite.columns import ts
from followup.adapters.sqlite.history import SqliteHistory
from followup.domain.agenda import Detail, Feed
from followup.domain.digest import DigestState
from followup.domain.mailbox import (
    MAIL_KEYS,
    MailSettings,
    OutboxEntry,
    OutboxState,
    SentMail,
)
from followup.domain.model import (
    WEEKDAYS,
    Action,
    Application,
    Channel,
    Contact,
    ContactWindow,
    Decision,
    Interview,
    Listed,
    Outcome,
    Purpose,
    Role,
    Scheduled,
    Status,
    Touch,
    company_key,
)
from followup.domain.planner import Planned
from followup.domain.policy import POLICY_KEYS, Policy
from followup.domain.settings import Settings
from followup.formats.plan import from_record, to_record

#: How many applications are loaded per round of queries when reading many.
BATCH = 500


def _offset_minutes(moment: datetime) -> int:
    offset = moment.utcoffset()
    return int(offset.total_seconds() // 60) if offset is not None else 0


def _moment(text: str, offset_minutes: int) -> datetime:
    tz = UTC if offset_minutes == 0 else timezone(timedelta(minutes=offset_minutes))
    return datetime.fromisoformat(text).astimezone(tz)


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None


def _bool(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def _int(value: bool | None) -> int | None:
    return None if value is None else int(value)


class SqliteRepository(SqliteHistory):
    """Enum members are bound as they are: they are ``str`` (StrEnum), and bools are ints."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    # --- settings -----------------------------------------------------------------------

    def load_settings(self) -> Settings:
        values = {k: json.loads(v) for k, v in self.conn.execute("SELECT key, value FROM setting")}
        policy = {k[7:]: v for k, v in values.items() if k.startswith("policy.")}
        known = {k: v for k, v in policy.items() if k in POLICY_KEYS}
        return Settings(
            timezone=values.get("timezone") or Settings().timezone,
            country=values.get("country"),
            policy=Policy().with_values(known),
            name=values.get("name"),
        )

    def has_settings(self) -> bool:
        return self.conn.execute("SELECT 1 FROM setting LIMIT 1").fetchone() is not None

    def save_settings(self, settings: Settings) -> None:
        rows: list[tuple[str, object]] = [
            ("timezone", settings.timezone),
            ("country", settings.country),
            ("name", settings.name),
        ]
        rows += [(f"policy.{k}", v) for k, v in settings.policy.as_dict().items()]
        self.conn.executemany(
            "INSERT INTO setting (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [(k, json.dumps(v)) for k, v in rows],
        )

    # --- records ------------------------------------------------------------------------

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

    def _in(self, sql: str, values: Iterable[str]) -> Iterator[Any]:
        """Run ``sql`` with ``{marks}`` bound to ``values``, a batch at a time."""
        items = list(values)
        for start in range(0, len(items), BATCH):
            chunk = items[start : start + BATCH]
            yield from self.conn.execute(sql.format(marks=",".join("?" * len(chunk))), chunk)

    def _delete(self, table: str, app_ids: list[str]) -> None:
        """Delete the rows of these applications, a batch per statement."""
        for start in range(0, len(app_ids), BATCH):
            chunk = app_ids[start : start + BATCH]
            marks = ",".join("?" * len(chunk))
            self.conn.execute(f"DELETE FROM {table} WHERE application_id IN ({marks})", chunk)

    def put(self, app: Application) -> None:
        self.put_many([app])

    def put_many(self, apps: list[Application]) -> None:
        """Store applications whole: upsert each row, replace all its children."""
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
                    _iso(app.applied_on),
                    _iso(app.recorded_on),
                    app.link,
                    app.source,
                    app.notes,
                    _iso(app.snoozed_until),
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
                    _iso(x.email_failed_on),
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
                    _offset_minutes(iv.at),
                    _int(iv.contacts_every_applicant),
                    _int(iv.direct_contact_ok),
                    *_window_columns(iv.contact_window),
                    _iso(iv.answer_by),
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
                    _offset_minutes(t.at),
                    t.contact,
                    t.channel,
                    t.purpose,
                    t.outcome,
                    t.decision,
                    _iso(t.decision_by),
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

    def delete_many(self, app_ids: list[str]) -> None:
        """Delete applications with everything they hold (their plan and outbox too)."""
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
            contacts[r[0]].append(_contact(r))
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
                    at=_moment(r[2], r[3]),
                    interviewers=tuple(interviewers.get((r[0], r[1]), ())),
                    contacts_every_applicant=_bool(r[4]),
                    direct_contact_ok=_bool(r[5]),
                    contact_window=_window(r[6], r[7], r[8]),
                    answer_by=_day(r[9]),
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
                    at=_moment(r[2], r[3]),
                    contact=r[4],
                    channel=Channel(r[5]),
                    purpose=Purpose(r[6]),
                    outcome=Outcome(r[7]),
                    decision=Decision(r[8]) if r[8] else None,
                    decision_by=_day(r[9]),
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
                applied_on=_day(r[4]),
                recorded_on=_day(r[5]),
                link=r[6],
                source=r[7],
                notes=r[8],
                posting=r[10],
                contacts=tuple(contacts.get(r[0], ())),
                interviews=tuple(interviews.get(r[0], ())),
                touches=tuple(touches.get(r[0], ())),
                snoozed_until=_day(r[9]),
                dismissed=frozenset(dismissed.get(r[0], ())),
            )
        return [found[i] for i in ids if i in found]

    # --- lists for people -----------------------------------------------------------------

    def search(
        self, query: str, status: Status | None, sort: str, limit: int, offset: int
    ) -> tuple[list[Listed], int]:
        column = _SORTS[sort.lstrip("-")]
        order = f"{column} DESC, id DESC" if sort.startswith("-") else f"{column}, id"
        like = (
            "%" + query.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        )
        where = (
            " WHERE (:q = '' OR company LIKE :like ESCAPE '\\' OR position LIKE :like ESCAPE '\\')"
            " AND (:status IS NULL OR status = :status)"
        )
        args = {
            "q": query.strip(),
            "like": like,
            "status": status,
            "limit": limit,
            "offset": offset,
        }
        (total,) = self.conn.execute("SELECT count(*) FROM application" + where, args).fetchone()
        rows = self.conn.execute(
            "SELECT id, company, position, status, applied_on FROM application"
            + where
            + f" ORDER BY {order} LIMIT :limit OFFSET :offset",
            args,
        )
        return [_listed(r) for r in rows], int(total)

    def newest(self, status: Status, limit: int) -> list[Listed]:
        rows = self.conn.execute(
            "SELECT id, company, position, status, applied_on FROM application"
            " WHERE status = ? ORDER BY applied_on DESC, recorded_on DESC, id LIMIT ?",
            (status, limit),
        )
        return [_listed(r) for r in rows]

    def count_by_status(self) -> dict[Status, int]:
        rows = self.conn.execute("SELECT status, count(*) FROM application GROUP BY status")
        return {Status(status): int(n) for status, n in rows}

    def interviews_between(self, start: datetime, end: datetime) -> list[Scheduled]:
        rows = self.conn.execute(
            "SELECT i.application_id, a.company, a.position, i.id, i.at, i.at_offset,"
            " (SELECT json_group_array(name) FROM (SELECT c.name FROM interviewer AS w"
            "   JOIN contact AS c ON c.application_id = w.application_id AND c.id = w.contact_id"
            "   WHERE w.application_id = i.application_id AND w.interview_id = i.id"
            "   ORDER BY w.seq))"
            " FROM interview AS i JOIN application AS a ON a.id = i.application_id"
            " WHERE i.at >= ? AND i.at < ? AND i.cancelled = 0"
            " ORDER BY i.at, i.application_id, i.id",
            (ts(start), ts(end)),
        )
        return [
            Scheduled(r[0], r[1], r[2], r[3], _moment(r[4], r[5]), tuple(json.loads(r[6])))
            for r in rows
        ]

    def contacts_of(self, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Contact]:
        wanted = set(pairs)
        found = {}
        sql = (
            "SELECT application_id, id, name, role, email, phone, name_confirmed,"
            " email_failed_on FROM contact WHERE application_id IN ({marks})"
        )
        for r in self._in(sql, {app_id for app_id, _ in wanted}):
            if (r[0], r[1]) in wanted:
                found[(r[0], r[1])] = _contact(r)
        return found

    # --- the stored plan ----------------------------------------------------------------

    def replace_plans(
        self, plans: list[tuple[Application, list[Planned]]], exact_from: datetime
    ) -> None:
        """Replace the stored plan of each application: segments exact from ``exact_from``."""
        c = self.conn
        self._delete("planned_action", [app.id for app, _ in plans])
        c.executemany(
            "INSERT INTO planned_action (application_id, action_id, valid_from, valid_until,"
            " due, body) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (
                    app.id,
                    p.action.id,
                    ts(p.valid_from) if p.valid_from else None,
                    ts(p.valid_until) if p.valid_until else None,
                    p.action.due.isoformat(),
                    json.dumps(to_record(p.action), separators=(",", ":")),
                )
                for app, planned in plans
                for p in planned
            ],
        )
        since = ts(exact_from)
        c.executemany(
            "INSERT INTO plan_application (application_id, is_open, added_on, exact_from)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (application_id) DO UPDATE SET"
            " is_open = excluded.is_open, added_on = excluded.added_on,"
            " exact_from = excluded.exact_from",
            [(app.id, int(app.is_open), _iso(app.added_on), since) for app, _ in plans],
        )

    def stale(self, now: datetime) -> set[str]:
        sql = "SELECT application_id FROM plan_application WHERE exact_from > ?"
        return {r[0] for r in self.conn.execute(sql, (ts(now),))}

    def exact_from(self, app_ids: Iterable[str]) -> dict[str, datetime]:
        sql = (
            "SELECT application_id, exact_from FROM plan_application"
            " WHERE application_id IN ({marks})"
        )
        return {r[0]: datetime.fromisoformat(r[1]) for r in self._in(sql, app_ids)}

    def planned_many(self, app_ids: Iterable[str]) -> dict[str, list[Planned]]:
        found: dict[str, list[Planned]] = defaultdict(list)
        sql = (
            "SELECT application_id, action_id, valid_from, valid_until, due, body"
            " FROM planned_action WHERE application_id IN ({marks})"
        )
        for app_id, action_id, start, end, due, body in self._in(sql, app_ids):
            found[app_id].append(_planned(action_id, start, end, due, body))
        return dict(found)

    def planned(self, app_id: str) -> list[Planned]:
        """The stored rows as ``due`` reads them: the indexed columns win over the body."""
        return [
            _planned(action_id, start, end, due, body)
            for action_id, start, end, due, body in self.conn.execute(
                "SELECT action_id, valid_from, valid_until, due, body FROM planned_action"
                " WHERE application_id = ?",
                (app_id,),
            )
        ]

    def due(self, now: datetime, last_day: date) -> list[Action]:
        at, last = ts(now), last_day.isoformat()
        rows = self.conn.execute(
            "SELECT body FROM planned_action"
            " WHERE valid_until IS NULL AND due <= :last"
            " AND (valid_from IS NULL OR valid_from <= :now)"
            " UNION ALL "
            "SELECT body FROM planned_action"
            " WHERE valid_until IS NOT NULL AND valid_until > :now AND due <= :last"
            " AND (valid_from IS NULL OR valid_from <= :now)",
            {"now": at, "last": last},
        )
        return [from_record(json.loads(body)) for (body,) in rows]

    def find_planned(self, action_id: str, now: datetime) -> Action | None:
        at = ts(now)
        app_id = action_id.split(":")[1] if action_id.count(":") >= 1 else ""
        row = self.conn.execute(
            "SELECT body FROM planned_action WHERE application_id = ? AND action_id = ?"
            " AND (valid_from IS NULL OR valid_from <= ?)"
            " AND (valid_until IS NULL OR valid_until > ?)",
            (app_id, action_id, at, at),
        ).fetchone()
        return from_record(json.loads(row[0])) if row else None

    def open_count(self, cap: int) -> int:
        (count,) = self.conn.execute(
            "SELECT count(*) FROM (SELECT 1 FROM plan_application WHERE is_open = 1 LIMIT ?) AS o",
            (cap,),
        ).fetchone()
        return int(count)

    def last_added(self) -> date | None:
        (value,) = self.conn.execute("SELECT max(added_on) FROM plan_application").fetchone()
        return _day(value)

    def any_accepted(self) -> bool:
        row = self.conn.execute(
            "SELECT 1 FROM application WHERE status = 'accepted' LIMIT 1"
        ).fetchone()
        return row is not None

    def plan_version(self) -> str | None:
        row = self.conn.execute(
            "SELECT value FROM followup_meta WHERE key = 'plan_version'"
        ).fetchone()
        return row[0] if row else None

    # --- email --------------------------------------------------------------------------

    def load_mail_settings(self) -> MailSettings:
        """Stored as text under ``mail.*`` keys, parsed by the one spec in ``MailSettings``."""
        settings = MailSettings()
        rows = self.conn.execute("SELECT key, value FROM setting WHERE key LIKE 'mail.%'")
        for key, value in rows:
            if key in MAIL_KEYS:
                settings = settings.with_value(key, json.loads(value))
        return settings

    def save_mail_settings(self, settings: MailSettings) -> None:
        self.conn.executemany(
            "INSERT INTO setting (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [(k, json.dumps(v)) for k, v in settings.as_text().items()],
        )

    def add_outbox(self, entry: OutboxEntry) -> int:
        cursor = self.conn.execute(
            "INSERT INTO outbox (action_id, application_id, contact_id, purpose, message_id,"
            " sender, recipient, subject, message, state, error, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                entry.action_id, entry.application, entry.contact, entry.purpose,
                entry.message_id, entry.sender, entry.recipient, entry.subject, entry.message,
                entry.state, entry.error, ts(entry.created_at), ts(entry.updated_at),
            ),
        )  # fmt: skip
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def outbox(self, states: Iterable[OutboxState]) -> list[OutboxEntry]:
        sql = _OUTBOX + " WHERE state IN ({marks}) ORDER BY id"
        return [_outbox(r) for r in self._in(sql, states)]

    def outbox_entry(self, entry_id: int) -> OutboxEntry | None:
        row = self.conn.execute(_OUTBOX + " WHERE id = ?", (entry_id,)).fetchone()
        return _outbox(row) if row else None

    def set_outbox_state(
        self, entry_id: int, state: OutboxState, error: str | None, now: datetime
    ) -> None:
        self.conn.execute(
            "UPDATE outbox SET state = ?, error = ?, updated_at = ? WHERE id = ?",
            (state, error, ts(now), entry_id),
        )

    def folder_state(self, folder: str) -> tuple[int, int] | None:
        row = self.conn.execute(
            "SELECT uidvalidity, last_uid FROM mail_folder WHERE folder = ?", (folder,)
        ).fetchone()
        return (int(row[0]), int(row[1])) if row else None

    def set_folder_state(self, folder: str, uidvalidity: int, last_uid: int) -> None:
        self.conn.execute(
            "INSERT INTO mail_folder (folder, uidvalidity, last_uid) VALUES (?, ?, ?)"
            " ON CONFLICT (folder) DO UPDATE SET uidvalidity = excluded.uidvalidity,"
            " last_uid = excluded.last_uid",
            (folder, uidvalidity, last_uid),
        )

    def sent_mail(self, message_ids: Iterable[str]) -> dict[str, SentMail]:
        sql = (
            "SELECT message_id, application_id, contact_id, purpose FROM touch"
            " WHERE message_id IN ({marks}) AND outcome = 'sent'"
        )
        return {r[0]: SentMail(r[1], r[2], Purpose(r[3])) for r in self._in(sql, message_ids)}

    def known_message_ids(self, message_ids: Iterable[str]) -> set[str]:
        sql = "SELECT message_id FROM touch WHERE message_id IN ({marks})"
        return {r[0] for r in self._in(sql, message_ids)}

    def contacts_by_address(self, addresses: Iterable[str]) -> dict[str, list[tuple[str, str]]]:
        sql = (
            "SELECT lower(c.email), c.application_id, c.id FROM contact AS c"
            " JOIN plan_application AS p ON p.application_id = c.application_id"
            " WHERE lower(c.email) IN ({marks})"
            " ORDER BY p.is_open DESC, p.added_on DESC, c.application_id"
        )
        found: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for address, app_id, contact_id in self._in(sql, [a.lower() for a in addresses]):
            found[address].append((app_id, contact_id))
        return dict(found)

    def notes_of(self, app_ids: Iterable[str]) -> dict[str, str]:
        sql = "SELECT id, notes FROM application WHERE id IN ({marks}) AND notes IS NOT NULL"
        return {r[0]: r[1] for r in self._in(sql, app_ids)}

    # --- the calendar feed and the digest -------------------------------------------------

    def feed(self) -> Feed | None:
        row = self.conn.execute(
            "SELECT token_sha256, notes, phones, created_at FROM calendar_feed WHERE id = 1"
        ).fetchone()
        if row is None:
            return None
        return Feed(row[0], Detail(bool(row[1]), bool(row[2])), datetime.fromisoformat(row[3]))

    def set_feed(self, feed: Feed | None) -> None:
        self.conn.execute("DELETE FROM calendar_feed")
        if feed is not None:
            self.conn.execute(
                "INSERT INTO calendar_feed (id, token_sha256, notes, phones, created_at)"
                " VALUES (1, ?, ?, ?, ?)",
                (
                    feed.token_sha256,
                    int(feed.detail.notes),
                    int(feed.detail.phones),
                    ts(feed.created_at),
                ),
            )

    def digest_state(self) -> DigestState | None:
        row = self.conn.execute("SELECT made_at, seen, sent_on FROM digest WHERE id = 1").fetchone()
        if row is None:
            return None
        seen = frozenset((i, date.fromisoformat(d)) for i, d in json.loads(row[1]))
        return DigestState(datetime.fromisoformat(row[0]), seen, _day(row[2]))

    def save_digest_state(self, state: DigestState) -> None:
        seen = json.dumps(sorted([i, d.isoformat()] for i, d in state.seen))
        self.conn.execute(
            "INSERT INTO digest (id, made_at, seen, sent_on) VALUES (1, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET made_at = excluded.made_at, seen = excluded.seen,"
            " sent_on = excluded.sent_on",
            (ts(state.made_at), seen, _iso(state.sent_on)),
        )

    def next_change(self, now: datetime) -> datetime | None:
        at = ts(now)
        found = [
            self.conn.execute(sql, (at,)).fetchone()[0]
            for sql in (
                "SELECT min(valid_until) FROM planned_action WHERE valid_until > ?",
                "SELECT min(valid_from) FROM planned_action WHERE valid_from > ?",
                "SELECT min(exact_from) FROM plan_application WHERE exact_from > ?",
            )
        ]
        times = [datetime.fromisoformat(t) for t in found if t]
        return min(times) if times else None

    def integrity_problems(self) -> list[str]:
        problems = [r[0] for r in self.conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        problems += [
            f"{table} row {rowid}: missing {parent} row"
            for table, rowid, parent, _ in self.conn.execute("PRAGMA foreign_key_check")
        ]
        return problems

    def set_plan_version(self, version: str) -> None:
        self.conn.execute(
            "INSERT INTO followup_meta (key, value) VALUES ('plan_version', ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (version,),
        )


_OUTBOX = (
    "SELECT id, action_id, application_id, contact_id, purpose, message_id, sender, recipient,"
    " subject, message, state, error, created_at, updated_at FROM outbox"
)


def _contact(r: Any) -> Contact:
    """A contact from ``application_id, id, name, role, email, phone, name_confirmed,
    email_failed_on``."""
    return Contact(r[1], r[2], Role(r[3]), r[4], r[5], bool(r[6]), _day(r[7]))


def _outbox(r: Any) -> OutboxEntry:
    return OutboxEntry(
        id=r[0], action_id=r[1], application=r[2], contact=r[3], purpose=Purpose(r[4]),
        message_id=r[5], sender=r[6], recipient=r[7], subject=r[8], message=bytes(r[9]),
        state=OutboxState(r[10]), error=r[11], created_at=datetime.fromisoformat(r[12]),
        updated_at=datetime.fromisoformat(r[13]),
    )  # fmt: skip


_SORTS = {
    "company": "company_key",
    "position": "position",
    "status": "status",
    "applied": "coalesce(applied_on, recorded_on)",
}


def _listed(row: Any) -> Listed:
    return Listed(row[0], row[1], row[2], Status(row[3]), _day(row[4]))


def _planned(action_id: str, start: str | None, end: str | None, due: str, body: str) -> Planned:
    return Planned(
        replace(from_record(json.loads(body)), id=action_id, due=date.fromisoformat(due)),
        datetime.fromisoformat(start) if start else None,
        datetime.fromisoformat(end) if end else None,
    )


def _window_columns(window: ContactWindow | None) -> tuple[str | None, str | None, str | None]:
    if window is None:
        return (None, None, None)
    return (
        ",".join(WEEKDAYS[d] for d in sorted(window.days)),
        window.start.isoformat("minutes") if window.start else None,
        window.end.isoformat("minutes") if window.end else None,
    )


def _window(days: str | None, start: str | None, end: str | None) -> ContactWindow | None:
    if days is None:
        return None
    return ContactWindow(
        days=frozenset(WEEKDAYS.index(d) for d in days.split(",") if d),
        start=time.fromisoformat(start) if start else None,
        end=time.fromisoformat(end) if end else None,
    )
