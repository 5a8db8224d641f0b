"""``followup server run`` as a real process (uvicorn, two worker processes) on 127.0.0.1,
against the test cluster: it refuses to start without a secret key, signs people in over
real HTTP (each worker accepts the other's forms), takes API tokens made by ``followup
server token``, and a test password is nowhere: not in the database, its dump, or the
server's and commands' output."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2
import psycopg
import pytest

from followup.adapters.postgres import schema
from tests.e2e.test_cli_process import FOLLOWUP
from tests.pg_cluster import Cluster
from tests.server_support import CSRF, SECRET_KEY
from tests.web_support import free_port

PASSWORD = "Zebra-Quartz-Lantern-8841"  # a test password, looked for everywhere after


@pytest.fixture(scope="module")
def url(pg_cluster: Cluster) -> str:
    made = pg_cluster.create_database("server_run")
    schema.init(made)
    return made


def env_of(url: str, **more: str) -> dict[str, str]:
    return {**os.environ, "FOLLOWUP_DATABASE_URL": url, "FOLLOWUP_SECRET_KEY": SECRET_KEY, **more}


def followup(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [FOLLOWUP, "server", *args], input=stdin, capture_output=True, text=True, env=env,
        timeout=60, check=False,
    )  # fmt: skip


@contextmanager
def serving(url: str, tmp_path: Path, *args: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    port = free_port()
    env = env_of(url, FOLLOWUP_CONFIG_DIR=str(tmp_path / "config"))
    server = subprocess.Popen(
        [FOLLOWUP, "server", "run", "--port", str(port), *args],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, server.communicate()
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}", server
    finally:
        server.terminate()
        server.communicate(timeout=30)


@pytest.fixture
def served(url: str, tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    with serving(url, tmp_path, "--workers", "2") as running:
        yield running


def test_it_will_not_start_without_a_secret_key(url: str) -> None:
    env = env_of(url)
    del env["FOLLOWUP_SECRET_KEY"]
    done = followup(env, "run", "--port", str(free_port()))
    assert done.returncode == 4
    assert done.stderr.startswith("followup: FOLLOWUP_SECRET_KEY is not set")
    assert len(done.stderr.strip().splitlines()) == 1
    short = followup(env_of(url, FOLLOWUP_SECRET_KEY="short"), "run")
    assert short.returncode == 4
    assert "shorter than 32 characters" in short.stderr


def sign_in(http: httpx2.Client, email: str, password: str) -> httpx2.Response:
    token = CSRF.search(http.get("/login").text)
    assert token
    return http.post(
        "/login", data={"csrf_token": token.group(1), "email": email, "password": password}
    )


def test_signing_in_over_http_with_two_workers_and_no_password_anywhere(
    url: str, served: tuple[str, subprocess.Popen[str]], pg_cluster: Cluster
) -> None:
    base, server = served
    env = env_of(url, FOLLOWUP_PUBLIC_URL=base)
    outputs = []
    added = followup(env, "user", "add", "runner@example.org", "--password-stdin",
                     stdin=PASSWORD + "\n")  # fmt: skip
    assert added.returncode == 0, added.stderr
    invited = followup(env, "user", "add", "invited@example.org")
    assert invited.returncode == 0, invited.stderr
    link = invited.stdout.split(": ")[-1].strip()
    assert link.startswith(f"{base}/invite/")
    made = followup(env, "token", "runner@example.org")
    assert made.returncode == 0, made.stderr
    api_token = made.stdout.strip()
    assert len(api_token) == 43
    assert "shown only this once" in made.stderr
    # What the commands print besides the one secret each is asked for, and what they log.
    outputs += [added.stdout, added.stderr, invited.stderr, made.stderr]
    assert PASSWORD not in invited.stdout + made.stdout

    # No keep-alive: each request a new connection, which either worker may accept.
    limits = httpx2.Limits(max_keepalive_connections=0)
    with httpx2.Client(base_url=base, follow_redirects=False, timeout=30, limits=limits) as http:
        assert http.get("/").status_code == 303
        assert sign_in(http, "runner@example.org", "not the password").status_code == 401
        response = sign_in(http, "runner@example.org", PASSWORD)
        assert response.status_code == 303
        cookie = response.headers["set-cookie"]
        assert "HttpOnly" in cookie
        assert "SameSite=lax" in cookie or "samesite=lax" in cookie.lower()
        assert "Secure" not in cookie  # plain HTTP here
        # Twenty forms, each made by one worker and posted to whichever answers: all pass.
        for i in range(20):
            page = http.get("/applications")
            assert page.status_code == 200
            token = CSRF.search(page.text)
            assert token
            r = http.post(
                "/applications",
                data={"csrf_token": token.group(1), "company": f"Firm {i}", "position": "Dev"},
            )
            assert r.status_code == 303, r.text
        assert http.get("/api/applications").json()["total"] == 20
        session = http.cookies["followup_session"]

    with httpx2.Client(base_url=base, timeout=30) as program:
        me = program.get("/api/me", headers={"authorization": f"Bearer {api_token}"})
        assert me.json()["email"] == "runner@example.org"
        assert program.get("/api/me").status_code == 401
        page = program.get(link)
        assert page.status_code == 200
        assert "invited@example.org" in page.text

    server.terminate()
    out, err = server.communicate(timeout=30)
    outputs += [out, err]
    dump = subprocess.run(
        [str(pg_cluster.bin / "pg_dump"), "--dbname", url],
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout  # fmt: skip
    assert "runner@example.org" in dump  # the dump is of this database...
    assert "Firm 19" in dump
    for secret in (PASSWORD, api_token, session, link.rsplit("/", 1)[-1]):
        assert secret not in dump
        for text in outputs:
            assert secret not in text


@pytest.mark.parametrize("trusted", [True, False])
def test_https_and_the_client_address_are_taken_from_a_trusted_proxy_only(
    url: str, tmp_path: Path, trusted: bool
) -> None:
    env = env_of(url)
    email = f"proxied-{str(trusted).lower()}@example.org"
    added = followup(env, "user", "add", email, "--password-stdin", stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    args = ["--trusted-proxy", "127.0.0.1"] if trusted else []
    proxied = {"x-forwarded-proto": "https", "x-forwarded-for": "203.0.113.9"}
    with (
        serving(url, tmp_path, *args) as (base, _),
        httpx2.Client(base_url=base, follow_redirects=False, timeout=30, headers=proxied) as http,
    ):
        response = sign_in(http, email, "not the password")
        assert response.status_code == 401
        response = sign_in(http, email, PASSWORD)
        assert response.status_code == 303
        assert ("Secure" in response.headers["set-cookie"]) is trusted
    with psycopg.connect(url) as conn:
        (address,) = conn.execute(
            "SELECT address FROM signin_failure WHERE email = %s", (email,)
        ).fetchone() or (None,)
    assert address == ("203.0.113.9" if trusted else "127.0.0.1")
