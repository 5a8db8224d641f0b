"""The server's migrations (issue 15): pinned once landed, each applied in a transaction of
its own and recorded in ``schema_version``, and ``followup server init`` / ``migrate``
against a real PostgreSQL, with one line and a distinct exit code when they cannot."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import psycopg
import pytest

from followup.adapters.postgres import schema
from followup.adapters.postgres.store import PostgresStore
from followup.errors import DatabaseRefused, DatabaseUnreachable, Refused
from followup.formats.plan import to_record
from tests.builders import application
from tests.integration.contract.support import plans_of
from tests.pg_cluster import Cluster, add_seeker

FOLLOWUP = str(Path(sys.executable).parent / "followup")
#: The migration that added (and filled) the plan's order columns.
PLAN_ORDER = 6

#: Each landed migration's SHA-256. A landed migration is never edited: add a new one,
#: and its hash here.
LANDED = {
    "0001_seekers_and_records.sql": "cabe39048c38a7cb49a37317e8e74ab0151357ee5131f03747395f0e7c8f8796",
    "0002_account_passwords.sql": "21c83dafece529174d74bc390f23584929bcd5f8121c3d9898132578c9457153",
    "0003_sessions_and_tokens.sql": "484a35747f305b99854cd972233663c4d5cb05854f347fe2e4fcbd88c6362077",
    "0004_mail_secrets_and_jobs.sql": "86dc3e1121723b5237fd78300960fab4b8c97de3a89135397877ef82d6a00ba5",
    "0005_search.sql": "f69d984c55ff32b35d6bd0766d02a5e676ffaf1b42cbbaf482c48b2a79d6c7fd",
    "0006_plan_order.sql": "9e6e2dc203f0cae6fda2d668be39a65d1544f27405d97e247bed685b8e8afac6",
    "0007_coaches.sql": "e1cf075c178ad8a4ac59b33d7a1ef0d283abf98c5c538592d003ddfbc9fd6021",
    "0008_pending_uploads.sql": "06ae4baeae54f4acbda19b23671cd569427735fde8c0b31abc1d827747a50747",
    "0009_follow_up_timing.sql": "c1aafc76c4fbf925f382769b32eed75dd82400b56a8cbae3e199aebc319a384e",
    "0010_caseload_reads.sql": "cf553803dd94981c746ecdb126fab2e4804d154f33e59b2ee5a4828dd51431f8",
}


def test_every_migration_is_pinned_and_unchanged() -> None:
    found = {os.path.basename(path): path for _, path in schema.migrations()}
    assert sorted(found) == sorted(LANDED), "pin a new migration's SHA-256 in LANDED"
    for name, path in found.items():
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        assert digest == LANDED[name], f"{name} changed after it landed: add a new migration"
    versions = [version for version, _ in schema.migrations()]
    # Numbers kept for branches landing at the same time may leave a gap until they land
    # (each missing version is applied, whatever the highest one applied).
    assert versions == sorted(set(versions))
    assert versions[-1] == schema.LATEST_VERSION


def catalog(url: str) -> dict[str, list[tuple[object, ...]]]:
    """The schema as PostgreSQL describes it: columns, constraints, indexes."""
    queries = {
        "columns": "SELECT table_name, column_name, data_type, is_nullable, column_default,"
        " collation_name FROM information_schema.columns WHERE table_schema = 'public'",
        "constraints": "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)"
        " FROM pg_constraint WHERE connamespace = 'public'::regnamespace",
        "indexes": "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'",
    }
    with psycopg.connect(url) as conn:
        return {k: sorted(conn.execute(q).fetchall(), key=repr) for k, q in queries.items()}


def versions(url: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT version, name, sha256 FROM schema_version ORDER BY 1"
        ).fetchall()


def test_init_applies_every_migration_and_records_it(pg_cluster: Cluster) -> None:
    url = pg_cluster.create_database("init_fresh")
    done = schema.init(url)
    assert (done.before, done.after) == (0, schema.LATEST_VERSION)
    assert done.database == f"127.0.0.1:{pg_cluster.port}/init_fresh"
    assert versions(url) == [
        (v, os.path.basename(p), hashlib.sha256(Path(p).read_bytes()).hexdigest())
        for v, p in schema.migrations()
    ]
    with pytest.raises(Refused, match="already initialised"):
        schema.init(url)
    again = schema.migrate(url)
    assert (again.before, again.after) == (schema.LATEST_VERSION, schema.LATEST_VERSION)


@pytest.mark.parametrize("start", [v for v, _ in schema.migrations() if v < schema.LATEST_VERSION])
def test_an_earlier_schema_upgrades_to_the_latest(pg_cluster: Cluster, start: int) -> None:
    """Each earlier version, migrated on, ends where a new database starts, its data kept."""
    old = pg_cluster.create_database(f"from_{start}")
    schema.init(old, start)
    seeker = add_seeker(old)  # columns every version has
    planned = plans_of(application("kept", company="Acme", position="Engineer"))
    with psycopg.connect(old, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO application (seeker_id, id, company, company_key, position)"
            " VALUES (%s, 'kept', 'Acme', 'acme', 'Engineer')",
            (seeker,),
        )
        conn.cursor().executemany(
            "INSERT INTO planned_action (seeker_id, application_id, action_id, valid_from,"
            " valid_until, due, body) VALUES (%s, 'kept', %s, %s, %s, %s, %s)",
            [
                (seeker, p.action.id, p.valid_from, p.valid_until, p.action.due,
                 json.dumps(to_record(p.action)))
                for p in planned
            ],
        )  # fmt: skip
    upgraded = schema.migrate(old)
    assert (upgraded.before, upgraded.after) == (start, schema.LATEST_VERSION)
    with psycopg.connect(old) as conn:  # the plan's order columns filled by the upgrade
        (ordered,) = conn.execute(
            "SELECT count(*) FROM planned_action WHERE kind = body::jsonb ->> 'kind'"
            " AND contact IS NOT DISTINCT FROM body::jsonb ->> 'contact'"
        ).fetchone() or (0,)
    assert ordered == (len(planned) if start < PLAN_ORDER else 0)  # 0006 fills them once
    fresh = pg_cluster.create_database(f"fresh_for_{start}")
    schema.init(fresh)
    assert catalog(old) == catalog(fresh)
    store = PostgresStore(old, seeker)
    with store.reading() as repo:
        kept = repo.get("kept")
        found = repo.search("ACM engin", None, "company", 10, 0)
    store.close()
    # a row written by raw SQL is indexed for search by the search migration, if it ran
    indexed = start < next(v for v, path in schema.migrations() if path.endswith("_search.sql"))
    assert [x.id for x in found[0]] == (["kept"] if indexed else [])
    assert kept is not None
    assert (kept.company, kept.position) == ("Acme", "Engineer")


def test_a_failing_migration_leaves_the_previous_version(
    pg_cluster: Cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One transaction per file: a file that fails halfway leaves none of its changes."""
    url = pg_cluster.create_database("failing_step")
    schema.init(url)
    before = catalog(url)
    broken = tmp_path / f"{schema.LATEST_VERSION + 1:04d}_broken.sql"
    broken.write_text("CREATE TABLE half_done (id integer);\nSELECT no_such_function();\n")
    known = schema.migrations()
    monkeypatch.setattr(
        schema, "migrations", lambda: [*known, (schema.LATEST_VERSION + 1, str(broken))]
    )
    with pytest.raises(psycopg.errors.UndefinedFunction):
        schema.migrate(url, schema.LATEST_VERSION + 1)
    assert catalog(url) == before
    assert [v[0] for v in versions(url)] == [v for v, _ in known]


def test_two_inits_at_once_apply_each_migration_once(pg_cluster: Cluster) -> None:
    url = pg_cluster.create_database("racing_inits")
    outcomes: list[str] = []

    def run() -> None:
        try:
            schema.init(url)
            outcomes.append("created")
        except Refused:
            outcomes.append("refused")

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert "created" in outcomes
    assert len(outcomes) == 2
    assert [v[0] for v in versions(url)] == [v for v, _ in schema.migrations()]


def test_what_is_not_ours_is_refused_untouched(pg_cluster: Cluster) -> None:
    url = pg_cluster.create_database("someone_elses")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE invoices (id integer)")
    for step in (schema.init, schema.migrate):
        with pytest.raises(DatabaseRefused, match="tables of another program"):
            step(url)
    assert [t for t in catalog(url)["columns"] if t[0] != "invoices"] == []
    empty = pg_cluster.create_database("empty_for_migrate")
    with pytest.raises(DatabaseRefused, match="server init"):
        schema.migrate(empty)
    newer = pg_cluster.create_database("from_the_future")
    schema.init(newer)
    with psycopg.connect(newer, autocommit=True) as conn:
        conn.execute("INSERT INTO schema_version (version, name, sha256) VALUES (999, 'x', 'y')")
    with pytest.raises(DatabaseRefused, match="newer followup"):
        schema.migrate(newer)


def test_an_unreachable_server_is_one_line_without_the_password() -> None:
    with pytest.raises(DatabaseUnreachable) as refused:
        schema.init("postgresql://maria:s3cret-pw@127.0.0.1:1/followup")
    assert str(refused.value) == "127.0.0.1:1/followup: cannot connect: Connection refused"


def server(*args: str, url: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "FOLLOWUP_DATABASE_URL"}
    if url is not None:
        env["FOLLOWUP_DATABASE_URL"] = url
    return subprocess.run(
        [FOLLOWUP, "server", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_the_commands_against_a_real_server(pg_cluster: Cluster) -> None:
    url = pg_cluster.create_database("by_the_cli")
    where = f"127.0.0.1:{pg_cluster.port}/by_the_cli"
    migrate_first = server("migrate", url=url)
    assert (migrate_first.returncode, migrate_first.stderr) == (
        6,
        f"followup: {where}: has no followup schema yet; run `followup server init` first\n",
    )
    init = server("init", url=url)
    assert (init.returncode, init.stdout, init.stderr) == (
        0,
        f"{where}: created followup's schema (version {schema.LATEST_VERSION})\n",
        "",
    )
    again = server("init", url=url)
    assert again.returncode == 8
    assert "already initialised" in again.stderr
    migrate = server("migrate", url=url)
    assert (migrate.returncode, migrate.stdout) == (
        0,
        f"{where}: schema {schema.LATEST_VERSION} is current; nothing to do\n",
    )


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (None, "FOLLOWUP_DATABASE_URL is not set"),
        ("", "FOLLOWUP_DATABASE_URL is not set"),
        ("mysql://maria@db/followup", "not a PostgreSQL URL"),
        ("postgresql://maria:s3cret@127.0.0.1:1/followup", "127.0.0.1:1/followup: cannot connect"),
    ],
)
def test_no_server_database_is_exit_12_in_one_line(url: str | None, message: str) -> None:
    for command in ("init", "migrate"):
        result = server(command, url=url)
        assert result.returncode == DatabaseUnreachable.exit_code == 12
        assert result.stderr.startswith("followup: ")
        assert message in result.stderr
        assert result.stderr.count("\n") == 1
        assert "s3cret" not in result.stderr
        assert "Traceback" not in result.stderr


def test_the_exit_code_is_documented() -> None:
    from followup.entrypoints.cli import __doc__ as cli_doc  # noqa: PLC0415

    readme = (Path(__file__).parents[2] / "README.md").read_text()
    assert "`12` server database unavailable" in readme
    assert "12    server database unavailable" in (cli_doc or "")
