"""The deployment files in deploy/ (issue 15, item 8), checked as far as this machine allows:
the systemd units pass ``systemd-analyze verify`` and its security rating; the web and
worker units' command lines run for real against the test PostgreSQL (the options exist,
the app answers to the name the Caddyfile serves and believes the proxy's HTTPS); the
Caddyfile is valid and points at the web unit's address; the backup unit's dump restores as
the README says, and its sealed mail passwords open only with the same key; the README's
settings file and admin helper work as written.

Without systemd-analyze, Caddy or PostgreSQL the tests skip, and fail under ``CI=true``.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2
import psycopg
import pytest

from followup import bootstrap
from followup.adapters.postgres.mail_secrets import PostgresMailSecrets
from followup.adapters.secret_box import SecretBox
from followup.errors import MailFailed
from followup.services import applications
from tests.e2e.test_cli_process import FOLLOWUP
from tests.pg_cluster import Cluster, add_seeker
from tests.server_support import CSRF, PASSWORD, SECRET_KEY
from tests.web_support import free_port

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
UNITS = DEPLOY / "systemd"
INSTALLED = "/opt/followup/bin/followup"  # where the README installs followup
BACKUPS = "/var/lib/followup/backups"


def need(tool: str, package: str) -> str:
    found = shutil.which(tool)
    if found is None:
        reason = f"needs {tool}: sudo apt-get install {package}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must check the deployment files: {reason}")
        pytest.skip(reason)
    return found


def directives(unit: str, key: str) -> list[str]:
    """The values of ``key`` in a unit file, in order."""
    prefix = key + "="
    text = (UNITS / unit).read_text(encoding="utf-8")
    return [line.removeprefix(prefix) for line in text.splitlines() if line.startswith(prefix)]


def command_of(unit: str) -> list[str]:
    """The unit's ExecStart, as words, with followup where this test installed it."""
    (line,) = directives(unit, "ExecStart")
    words = shlex.split(line)
    assert words[0] == INSTALLED, words
    return [FOLLOWUP, *words[1:]]


def option(words: list[str], name: str) -> str:
    return words[words.index(name) + 1]


def test_the_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    analyze = need("systemd-analyze", "systemd")
    names = sorted(p.name for p in UNITS.iterdir())
    assert names == [
        "followup-backup.service",
        "followup-backup.timer",
        "followup-web.service",
        "followup-worker.service",
    ]
    for name in names:  # the command must exist: point it at the one installed here
        text = (UNITS / name).read_text(encoding="utf-8").replace(INSTALLED, FOLLOWUP)
        (tmp_path / name).write_text(text, encoding="utf-8")
    checked = subprocess.run(
        [analyze, "verify", *(str(tmp_path / n) for n in names)],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stderr
    assert checked.stderr == "", checked.stderr  # an unknown or misspelt setting shows here
    services = [str(tmp_path / n) for n in names if n.endswith(".service")]
    exposure = subprocess.run(
        [analyze, "security", "--offline=yes", "--threshold=30", *services],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    # systemd's own score of the hardening, 0 (locked down) to 10: at most 3 ("OK")
    assert exposure.returncode == 0, exposure.stdout[-2000:]


def test_the_units_run_as_a_dedicated_user_and_keep_the_key_in_a_root_only_file() -> None:
    for unit in ("followup-web.service", "followup-worker.service", "followup-backup.service"):
        assert directives(unit, "User") == ["followup"]
        assert "yes" in directives(unit, "NoNewPrivileges")
        assert directives(unit, "ProtectSystem") == ["strict"]
        assert directives(unit, "UMask") == ["0077"]
    for unit in ("followup-web.service", "followup-worker.service"):
        assert directives(unit, "EnvironmentFile") == ["/etc/followup/followup.env"]
        assert directives(unit, "Restart") == ["on-failure"]
        assert "FOLLOWUP_SECRET_KEY" not in "".join(directives(unit, "Environment"))
    assert directives("followup-backup.service", "EnvironmentFile") == []  # no key in a dump


def owned_database(cluster: Cluster, role: str, name: str) -> str:
    """A new database owned by ``role``, as the README makes it (``createdb --owner``);
    its URL, logging in as that role."""
    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} OWNER {role} TEMPLATE template0 ENCODING 'UTF8'")
    return f"postgresql://{role}@127.0.0.1:{cluster.port}/{name}"


@pytest.fixture(scope="module")
def role(pg_cluster: Cluster) -> str:
    """The README's role: neither a superuser nor allowed to create roles or databases."""
    name = f"followup_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_cluster.url(), autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {name} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE")
    return name


@pytest.fixture(scope="module")
def url(pg_cluster: Cluster, role: str) -> str:
    """The server's database, its schema made by that role (``followup server init``)."""
    made = owned_database(pg_cluster, role, f"deploy_{uuid.uuid4().hex[:10]}")
    done = subprocess.run(
        [FOLLOWUP, "server", "init"], env={**os.environ, "FOLLOWUP_DATABASE_URL": made},
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return made


def environment(url: str, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "FOLLOWUP_DATABASE_URL": url,
        "FOLLOWUP_SECRET_KEY": SECRET_KEY,
        "FOLLOWUP_CONFIG_DIR": str(tmp_path / "config"),
    }


@contextmanager
def started(words: list[str], env: dict[str, str]) -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(
        words, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        process.communicate(timeout=60)


def test_the_web_unit_serves_the_name_the_caddyfile_proxies(url: str, tmp_path: Path) -> None:
    words = command_of("followup-web.service")
    assert words[1:3] == ["server", "run"]
    name = option(words, "--allow-host")
    assert option(words, "--host") == "127.0.0.1"  # only the proxy reaches it
    assert option(words, "--trusted-proxy") == "127.0.0.1"  # Caddy, on the same machine
    port = free_port()  # the unit's own port may be taken on a shared test machine
    words[words.index("--port") + 1] = str(port)
    email = f"deploy-{uuid.uuid4().hex[:8]}@example.org"
    env = environment(url, tmp_path)
    added = subprocess.run(
        [FOLLOWUP, "server", "user", "add", email, "--password-stdin"],
        input=PASSWORD + "\n", env=env, capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    with started(words, env) as web:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert web.poll() is None, web.communicate()
                assert time.monotonic() < deadline, "the web unit's command did not start"
                time.sleep(0.2)
        proxied = {"host": name, "x-forwarded-proto": "https", "x-forwarded-for": "203.0.113.7"}
        with httpx2.Client(base_url=base, headers=proxied, timeout=30) as http:
            page = http.get("/login")
            assert page.status_code == 200
            token = CSRF.search(page.text)
            assert token
            signed = http.post(
                "/login",
                data={"csrf_token": token.group(1), "email": email, "password": PASSWORD},
            )
            assert signed.status_code == 303
            assert "Secure" in signed.headers["set-cookie"]  # the proxy's HTTPS, believed
            refused = http.get("/login", headers={"host": "elsewhere.example.org"})
            assert refused.status_code == 403
    assert web.returncode == 0, web.stderr  # SIGTERM: a clean stop


def test_the_worker_unit_starts_and_stops_cleanly(url: str, tmp_path: Path) -> None:
    words = command_of("followup-worker.service")
    assert words[1:3] == ["server", "worker"]
    with started(words, environment(url, tmp_path)) as worker:
        deadline = time.monotonic() + 60
        while True:
            assert worker.poll() is None, worker.communicate()
            with psycopg.connect(url) as conn:
                row = conn.execute("SELECT count(*) FROM procrastinate_workers").fetchone()
            if row and row[0] >= 1:
                break
            assert time.monotonic() < deadline, "the worker unit's command did not start"
            time.sleep(0.3)
    assert worker.returncode == 0, worker.stderr


def test_the_caddyfile_proxies_to_the_web_unit(tmp_path: Path) -> None:
    caddy = need("caddy", "caddy")
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path)}
    config = ["--config", str(DEPLOY / "Caddyfile"), "--adapter", "caddyfile"]
    adapted = subprocess.run(
        [caddy, "adapt", *config], capture_output=True, text=True, env=env, check=False, timeout=60
    )
    assert adapted.returncode == 0, adapted.stderr
    (server,) = json.loads(adapted.stdout)["apps"]["http"]["servers"].values()
    assert server["listen"] == [":443"]  # HTTPS, with a certificate Caddy gets by itself
    (route,) = server["routes"]
    words = command_of("followup-web.service")
    assert route["match"] == [{"host": [option(words, "--allow-host")]}]
    proxies = [
        h
        for sub in route["handle"]
        for r in sub["routes"]
        for h in r["handle"]
        if h["handler"] == "reverse_proxy"
    ]
    assert proxies == [
        {
            "handler": "reverse_proxy",
            "upstreams": [{"dial": f"{option(words, '--host')}:{option(words, '--port')}"}],
        }
    ]
    valid = subprocess.run(
        [caddy, "validate", *config], capture_output=True, text=True, env=env, check=False,
        timeout=60,
    )  # fmt: skip
    assert valid.returncode == 0, valid.stderr


def shell_of(line: str) -> str:
    """A unit's ``/bin/sh -c '...'`` as the shell gets it (systemd's %% and $$ undone)."""
    words = shlex.split(line)
    assert words[:2] == ["/bin/sh", "-c"], words
    return words[2].replace("%%", "%").replace("$$", "$")


def test_the_backup_unit_dumps_what_the_readme_restores_and_the_key_is_not_in_it(
    url: str, role: str, pg_cluster: Cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FOLLOWUP_SECRET_KEY", SECRET_KEY)
    email = f"backup-{uuid.uuid4().hex[:8]}@example.org"
    seeker = add_seeker(url, email)
    deps = bootstrap.server_deps(seeker, url)
    try:
        applications.add_application(deps, "Initech", "Platform Engineer")
    finally:
        deps.store.close()  # type: ignore[attr-defined]
    box = SecretBox(SECRET_KEY)
    PostgresMailSecrets(url, seeker, box).keep("smtp", "maria", "smtp.example", "mail pa55")

    backups = tmp_path / "backups"
    backups.mkdir()
    old = backups / "followup-20200101T0315Z.dump"
    old.write_bytes(b"an old dump")
    os.utime(old, (time.time() - 20 * 86400,) * 2)
    (environment_line,) = directives("followup-backup.service", "Environment")
    assert environment_line == "PGDATABASE=followup"
    database = url.rsplit("/", 1)[1]
    env = {
        **os.environ,
        "PATH": f"{pg_cluster.bin}{os.pathsep}{os.environ['PATH']}",
        "PGHOST": "127.0.0.1",
        "PGPORT": str(pg_cluster.port),
        "PGUSER": role,
        "PGDATABASE": database,
    }
    (dump_line,) = directives("followup-backup.service", "ExecStart")
    (prune_line,) = directives("followup-backup.service", "ExecStartPost")
    for command in (
        ["/bin/sh", "-c", shell_of(dump_line).replace(BACKUPS, str(backups))],
        shlex.split(prune_line.replace(BACKUPS, str(backups))),
    ):
        done = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=120, check=False
        )
        assert done.returncode == 0, done.stderr
    (dump,) = backups.iterdir()  # the old one pruned, no .partial left
    assert re.fullmatch(r"followup-\d{8}T\d{4}Z\.dump", dump.name), dump.name
    assert SECRET_KEY.encode() not in dump.read_bytes()
    assert b"mail pa55" not in dump.read_bytes()

    # The README's restore: a new empty database owned by the role, pg_restore, migrate.
    restored = owned_database(pg_cluster, role, f"restored_{uuid.uuid4().hex[:8]}")
    done = subprocess.run(
        [str(pg_cluster.bin / "pg_restore"), "--no-owner", "--exit-on-error",
         "--dbname", restored, str(dump)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    migrated = subprocess.run(
        [FOLLOWUP, "server", "migrate"],
        env={**os.environ, "FOLLOWUP_DATABASE_URL": restored}, capture_output=True, text=True,
        timeout=60, check=False,
    )  # fmt: skip
    assert migrated.returncode == 0, migrated.stderr
    back = bootstrap.server_deps(seeker, restored)
    try:
        found = applications.list_applications(back, None, back.clock.now())
        assert [saved.application.company for saved in found] == ["Initech"]
    finally:
        back.store.close()  # type: ignore[attr-defined]
    kept = PostgresMailSecrets(restored, seeker, box)
    assert kept.password("smtp", "maria", "smtp.example") == "mail pa55"
    with pytest.raises(MailFailed, match="cannot be read"):
        PostgresMailSecrets(restored, seeker, SecretBox("another key " + "x" * 30)).password(
            "smtp", "maria", "smtp.example"
        )


def readme_block(start: str) -> str:
    """The README's fenced block that starts with ``start``."""
    readme = (DEPLOY.parent / "README.md").read_text(encoding="utf-8")
    found = re.search(r"```sh\n(" + re.escape(start) + r".*?)```", readme, re.S)
    assert found is not None, start
    return found.group(1)


def _service_user() -> str:
    """``postgres`` stands in for the service's user, when it may run this checkout's
    ``followup`` (a checkout in a folder only root may enter, as ``mktemp -d`` makes, it
    may not): else root, which still runs the README's function as written."""
    reach = subprocess.run(
        ["runuser", "-u", "postgres", "--", FOLLOWUP, "--version"],
        capture_output=True, timeout=60, check=False,
    )  # fmt: skip
    return "postgres" if reach.returncode == 0 else "root"


def test_the_readmes_settings_file_and_admin_command_work(
    url: str, role: str, pg_cluster: Cluster, tmp_path: Path
) -> None:
    """The README's shell, run as written, with /etc/followup in a folder of the test's and
    the ``postgres`` user standing in for ``followup`` (runuser needs root, as CI runs)."""
    if os.geteuid() != 0:
        pytest.skip("needs root, to run a command as another user (CI runs as root)")
    etc = tmp_path / "etc"
    made = subprocess.run(
        ["bash", "-c", readme_block("install -d -m 700 /etc/followup").replace("/etc/followup", str(etc))],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    settings = etc / "followup.env"
    assert (etc.stat().st_mode & 0o777, settings.stat().st_mode & 0o777) == (0o700, 0o600)
    values = dict(line.split("=", 1) for line in settings.read_text().splitlines())
    assert sorted(values) == [
        "FOLLOWUP_DATABASE_URL", "FOLLOWUP_PUBLIC_URL", "FOLLOWUP_SECRET_KEY"
    ]  # fmt: skip
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", values["FOLLOWUP_SECRET_KEY"])
    peer = values["FOLLOWUP_DATABASE_URL"]
    assert peer == "postgresql:///followup?host=/var/run/postgresql"
    here = f"postgresql://{role}@/{url.rsplit('/', 1)[1]}?host={pg_cluster.root}&port={pg_cluster.port}"
    settings.write_text(settings.read_text().replace(peer, here))  # the test's socket

    function = readme_block("followup-admin() {")
    definition = function[: function.index("followup-admin server init")]
    script = (
        definition.replace("/etc/followup", str(etc))
        .replace("-u followup", f"-u {_service_user()}")
        .replace("/opt/followup/bin/followup", FOLLOWUP)
        + "followup-admin server migrate\nfollowup-admin server user list --json\n"
    )
    ran = subprocess.run(
        ["bash", "-c", script],
        env={k: v for k, v in os.environ.items() if not k.startswith("FOLLOWUP_")},
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    first, rest = ran.stdout.split("\n", 1)
    assert first.endswith("is current; nothing to do"), ran.stdout
    assert isinstance(json.loads(rest), list)
