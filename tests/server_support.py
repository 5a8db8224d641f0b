"""The server's web app (``followup server run``) around the test cluster: accounts made
through the services, the app in-process (TestClient) or served by uvicorn."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient

from followup import bootstrap
from followup.domain.accounts import Account, AccountRole
from followup.entrypoints.web.app import create_server_app
from followup.entrypoints.web.body_limit import DEFAULT_MB
from followup.services import accounts

HOST, PORT = "127.0.0.1", 8000
BASE_URL = f"http://{HOST}:{PORT}"
SECRET_KEY = "test-secret-key-" + "k" * 32
PASSWORD = "a long test password 4711"
CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')


def configure(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("FOLLOWUP_DATABASE_URL", url)
    monkeypatch.setenv("FOLLOWUP_SECRET_KEY", SECRET_KEY)


def add(role: AccountRole = AccountRole.SEEKER, password: str | None = PASSWORD) -> Account:
    """A new account with a unique email (tests share the database)."""
    email = f"{role.value}-{uuid.uuid4().hex[:10]}@example.org"
    return accounts.add(bootstrap.server_accounts(), email, role, password)


@contextmanager
def client(
    base_url: str = BASE_URL, address: str | None = None, max_body: int | None = None
) -> Iterator[TestClient]:
    """The app in-process; its requests come from ``address`` (by default one of its own,
    so that tests sharing the database do not share a throttle)."""
    app = create_server_app(
        lambda: bootstrap.server_gate(pool_size=2),
        secret_key=bootstrap.server_secret_key(),
        host=HOST,
        port=PORT,
        threads=2,  # as ``followup server run`` serves them (``web/threads.py``)
        max_body=max_body or DEFAULT_MB * 1024 * 1024,
    )
    address = (
        address or f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    )
    with TestClient(app, base_url=base_url, follow_redirects=False, client=(address, 50000)) as c:
        yield c


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def sign_in(c: TestClient, email: str, password: str = PASSWORD) -> int:
    """Sign in through the login form; the response's status."""
    token = csrf_of(c.get("/login").text)
    response = c.post("/login", data={"csrf_token": token, "email": email, "password": password})
    return response.status_code
