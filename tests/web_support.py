"""The web app around a real SQLite file, with a clock the test moves."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from followup import bootstrap
from followup.entrypoints.web.app import create_app
from followup.services.interchange import export_data
from tests.fakes import FakeClock

HOST, PORT = "127.0.0.1", 8765
BASE_URL = f"http://{HOST}:{PORT}"


class Site:
    """A served database: the app, its clock, and a way to look at the records."""

    def __init__(
        self, db: Path, now: datetime, config_dir: Path | None = None, port: int = PORT
    ) -> None:
        self.db = db
        self.port = port
        self.clock = FakeClock(now)
        self.app: FastAPI = create_app(
            lambda: bootstrap.build(
                str(db), clock=self.clock, templates=str(config_dir) if config_dir else None
            ),
            host=HOST,
            port=port,
        )

    def snapshot(self) -> Any:
        """The records and the stored plan, to check that nothing changed."""
        deps = bootstrap.build(str(self.db), clock=self.clock)
        try:
            with deps.store.reading() as repo:
                plan = sorted(
                    (p.action.id, str(p.valid_from), str(p.valid_until))
                    for app in repo.applications()
                    for p in repo.planned(app.id)
                )
            return export_data(deps), plan
        finally:
            deps.store.close()  # type: ignore[attr-defined]

    @contextmanager
    def client(self) -> Iterator[TestClient]:
        with TestClient(self.app, base_url=BASE_URL) as client:
            yield client


def token(client: TestClient) -> str:
    value: str = client.get("/api/csrf").json()["token"]
    return value


def site(tmp_path: Path, now: datetime | None = None) -> Site:
    return Site(tmp_path / "web.db", now or datetime(2026, 3, 9, 9, tzinfo=UTC))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serving(site: Site) -> Iterator[str]:
    """The site served by uvicorn on loopback, in a thread; yields its base URL."""
    with serving_app(site.app, site.port) as url:
        yield url


@contextmanager
def serving_app(app: FastAPI, port: int) -> Iterator[str]:
    """An app (the local one, or the server's) served by uvicorn on loopback, in a thread."""
    server = uvicorn.Server(
        uvicorn.Config(app, host=HOST, port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://{HOST}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)
