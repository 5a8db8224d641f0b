"""``followup server user add / list / disable / enable / delete`` against a real PostgreSQL (issue 15):
passwords kept only as argon2id hashes (never in the database, its dump or the output),
a seeker's account owns a search at once, bad input is one line and writes nothing."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from followup.adapters.passwords import Argon2Passwords
from followup.adapters.postgres import schema
from followup.adapters.postgres.store import PostgresStore
from tests.builders import application
from tests.pg_cluster import Cluster

FOLLOWUP = str(Path(sys.executable).parent / "followup")
PASSWORD = "correct horse battery staple 7Q"


@pytest.fixture(scope="module")
def url(pg_cluster: Cluster) -> str:
    """A database of its own: these tests count and list every account in it."""
    made = pg_cluster.create_database("accounts")
    schema.init(made)
    return made


def user(url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FOLLOWUP_DATABASE_URL": url}
    return subprocess.run(
        [FOLLOWUP, "server", "user", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def rows(url: str, sql: str, *args: object) -> list[tuple[object, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(sql, args).fetchall()


def test_a_seeker_with_a_password_owns_a_search_at_once(url: str, pg_cluster: Cluster) -> None:
    added = user(url, "add", "Maria.Silva@Example.org", "--password-stdin", stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith("maria.silva@example.org: added as seeker (account ")
    assert PASSWORD not in added.stdout + added.stderr
    ((account_id, hashed),) = rows(
        url, "SELECT id, password_hash FROM account WHERE email = 'maria.silva@example.org'"
    )
    assert isinstance(hashed, str)
    assert hashed.startswith("$argon2id$")
    assert Argon2Passwords().verify(hashed, PASSWORD)
    assert not Argon2Passwords().verify(hashed, PASSWORD + "x")
    assert rows(url, "SELECT id FROM seeker WHERE id = %s", account_id) == [(account_id,)]
    store = PostgresStore(url, int(str(account_id)))  # the search is usable at once
    with store.writing() as repo:
        repo.put(application())
    store.close()
    dump = subprocess.run(
        [str(pg_cluster.bin / "pg_dump"), "--dbname", url],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert "maria.silva@example.org" in dump  # the dump holds the account...
    assert PASSWORD not in dump  # ...and never its password


def test_coaches_and_admins_own_no_search_and_may_wait_for_a_password(url: str) -> None:
    coach = user(url, "add", "coach@example.org", "--role", "coach")
    assert coach.returncode == 0, coach.stderr
    # No password yet: a one-time link to choose one, of which only the hash is kept.
    link = coach.stdout.splitlines()[-1].rsplit(" ", 1)[-1]
    assert link.startswith("http://127.0.0.1:8000/invite/")
    secret = link.rsplit("/", 1)[-1]
    assert rows(
        url,
        "SELECT token_sha256 FROM invitation JOIN account ON account.id = account_id"
        " WHERE email = 'coach@example.org'",
    ) == [(hashlib.sha256(secret.encode()).hexdigest(),)]
    admin = user(url, "add", "admin@example.org", "--role", "admin")
    assert admin.returncode == 0, admin.stderr
    assert rows(
        url,
        "SELECT a.role, a.password_hash, s.id FROM account AS a LEFT JOIN seeker AS s"
        " ON s.id = a.id WHERE a.email IN ('coach@example.org', 'admin@example.org')"
        " ORDER BY a.id",
    ) == [("coach", None, None), ("admin", None, None)]


@pytest.mark.parametrize(
    ("args", "stdin", "code", "message"),
    [
        (["add", "not-an-address"], "", 4, "is not a valid email address"),
        (["add", "short@example.org", "--password-stdin"], "seven77\n", 4, "at least 8"),
        (["add", "empty@example.org", "--password-stdin"], "", 4, "at least 8"),
        (["add", "pasted@example.org", "--password-stdin"], " spaced out pw \n", 4, "space"),
        (["add", "who@example.org", "--role", "owner"], "", 2, "'owner' is not one of"),
        (["disable", "nobody@example.org"], "", 3, "nobody@example.org: no such account"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(
    url: str, args: list[str], stdin: str, code: int, message: str
) -> None:
    before = rows(url, "SELECT count(*) FROM account")
    result = user(url, *args, stdin=stdin)
    assert result.returncode == code, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert rows(url, "SELECT count(*) FROM account") == before


def test_an_email_has_one_account_whatever_its_case(url: str) -> None:
    first = user(url, "add", "twice@example.org")
    assert first.returncode == 0, first.stderr
    again = user(url, "add", "TWICE@example.org", "--role", "coach")
    assert (again.returncode, again.stderr) == (
        8,
        "followup: twice@example.org: already has an account\n",
    )


def test_list_and_disable(url: str) -> None:
    assert (
        user(url, "add", "leaving@example.org", "--password-stdin", stdin=PASSWORD).returncode == 0
    )
    listed = user(url, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    accounts = {a["email"]: a for a in json.loads(listed.stdout)}
    assert accounts["leaving@example.org"]["role"] == "seeker"
    assert accounts["leaving@example.org"]["has_password"] is True
    assert accounts["leaving@example.org"]["disabled_at"] is None
    disabled = user(url, "disable", "Leaving@Example.org")
    assert disabled.returncode == 0, disabled.stderr
    assert disabled.stdout.startswith("leaving@example.org: disabled since ")
    again = user(url, "disable", "leaving@example.org")  # kept as it was: the same moment
    assert (again.returncode, again.stdout) == (0, disabled.stdout)
    text = user(url, "list")
    line = next(x for x in text.stdout.splitlines() if "leaving@example.org" in x)
    assert "seeker" in line
    assert "disabled " in line
    ids = [a["id"] for a in json.loads(user(url, "list", "--json").stdout)]
    assert ids == sorted(ids)


def test_the_database_refuses_a_password_kept_in_clear(url: str) -> None:
    """Belt and braces: whatever code writes the column, only an argon2id hash fits."""
    with pytest.raises(psycopg.errors.CheckViolation), psycopg.connect(url) as conn:
        conn.execute(
            "INSERT INTO account (email, role, password_hash)"
            " VALUES ('clear@example.org', 'coach', %s)",
            (PASSWORD,),
        )


def test_argon2id_hashes_are_salted_and_verify_only_their_password() -> None:
    passwords = Argon2Passwords()
    first, second = passwords.hash(PASSWORD), passwords.hash(PASSWORD)
    assert first != second  # a salt of its own each
    assert first.startswith("$argon2id$v=19$")
    assert passwords.verify(first, PASSWORD)
    assert passwords.verify(second, PASSWORD)
    assert not passwords.verify(first, "wrong password")
    assert not passwords.verify("not a hash", PASSWORD)


def test_enable_undoes_disable(url: str) -> None:
    assert user(url, "add", "back@example.org", "--password-stdin", stdin=PASSWORD).returncode == 0
    assert user(url, "disable", "back@example.org").returncode == 0
    enabled = user(url, "enable", "Back@Example.org")
    assert (enabled.returncode, enabled.stdout) == (0, "back@example.org: can sign in\n")
    (account,) = (
        a
        for a in json.loads(user(url, "list", "--json").stdout)
        if a["email"] == "back@example.org"
    )
    assert account["disabled_at"] is None
    missing = user(url, "enable", "nobody@example.org")
    assert (missing.returncode, missing.stderr) == (
        3,
        "followup: nobody@example.org: no such account\n",
    )


def held_by(url: str, account_id: int) -> dict[str, int]:
    """Rows naming ``account_id`` in every table with a seeker, account or coach column
    (read from the catalogue, so that a table added later is counted too)."""
    with psycopg.connect(url) as conn:
        columns = conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = 'public' AND column_name IN"
            " ('seeker_id', 'account_id', 'coach_id')"
            " AND table_name IN (SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = 'public' AND table_type = 'BASE TABLE')"
        ).fetchall()
        counted = {}
        for table, column in columns:
            (n,) = conn.execute(
                f'SELECT count(*) FROM "{table}" WHERE "{column}" = %s',
                (account_id,),
            ).fetchone() or (0,)
            counted[f"{table}.{column}"] = int(n)
        (jobs,) = conn.execute(
            "SELECT count(*) FROM procrastinate_jobs WHERE lock = %s", (f"seeker:{account_id}",)
        ).fetchone() or (0,)
        counted["procrastinate_jobs.lock"] = int(jobs)
    return {k: v for k, v in counted.items() if v}


def test_delete_erases_the_account_and_everything_it_holds(url: str) -> None:
    """A seeker leaving has their whole search erased in one go; a coach's looks stay in
    the logs of the seekers they read, under the email; nobody else loses anything."""
    for email in ("gone@example.org", "stays@example.org"):
        assert user(url, "add", email, "--password-stdin", stdin=PASSWORD).returncode == 0
    assert user(url, "add", "gone.coach@example.org", "--role", "coach").returncode == 0
    ids = {str(e): int(str(i)) for e, i in rows(url, "SELECT email, id FROM account")}
    gone, stays, coach = (
        ids[e] for e in ("gone@example.org", "stays@example.org", "gone.coach@example.org")
    )
    for seeker in (gone, stays):
        store = PostgresStore(url, seeker)
        with store.writing() as repo:
            repo.put(application())
        store.close()
        with psycopg.connect(url) as conn:
            conn.execute(
                "INSERT INTO share (seeker_id, coach_id, created_at) VALUES (%s, %s, now())",
                (seeker, coach),
            )
            conn.execute(
                "INSERT INTO coach_look (seeker_id, coach_id, coach_email, what, day,"
                " first_at, last_at) VALUES (%s, %s, 'gone.coach@example.org', 'plan',"
                " current_date, now(), now())",
                (seeker, coach),
            )
            conn.execute(
                "INSERT INTO procrastinate_jobs (queue_name, task_name, lock, args)"
                " VALUES ('mail', 'followup.sync', %s, %s)",
                (f"seeker:{seeker}", json.dumps({"seeker": seeker})),
            )
    with psycopg.connect(url) as conn:
        conn.execute(
            "INSERT INTO signin_failure (at, email, address) VALUES"
            " (now(), 'gone@example.org', '192.0.2.1')"
        )
    assert len(held_by(url, gone)) > 4  # account, seeker, application, share, look, job...
    kept = held_by(url, stays)

    refused = user(url, "delete", "gone@example.org")  # no terminal, no --yes: asks first
    assert refused.returncode == 8
    assert "pass --yes" in refused.stderr
    assert held_by(url, gone)

    deleted = user(url, "delete", "Gone@Example.org", "--yes")
    assert (deleted.returncode, deleted.stdout) == (
        0,
        "gone@example.org: deleted (seeker and its search)\n",
    )
    assert held_by(url, gone) == {}
    assert rows(url, "SELECT count(*) FROM signin_failure WHERE email = 'gone@example.org'") == [
        (0,)
    ]
    assert held_by(url, stays) == kept

    by_coach = user(url, "delete", "gone.coach@example.org", "--yes")
    assert by_coach.stdout == "gone.coach@example.org: deleted (coach)\n"
    assert rows(url, "SELECT seeker_id, coach_id, coach_email FROM coach_look") == [
        (stays, None, "gone.coach@example.org")
    ]
    assert rows(url, "SELECT count(*) FROM share") == [(0,)]
    again = user(url, "delete", "gone@example.org", "--yes")
    assert (again.returncode, again.stderr) == (3, "followup: gone@example.org: no such account\n")
