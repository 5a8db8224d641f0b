"""The server's ceiling on a request's body (``web.body_limit``), around a small app that
reads a form, a file and JSON the way the real routes do: a body over the ceiling is
refused with 413 and no handler gets past reading it, whether its length is announced or not."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI, Request, UploadFile
from fastapi.testclient import TestClient

from followup import bootstrap
from followup.entrypoints.web.body_limit import BodyLimit
from followup.errors import InvalidInput

LIMIT = 1000


def app(ran: list[str]) -> FastAPI:
    made = FastAPI()

    @made.post("/settings/import")
    async def upload(file: UploadFile) -> dict[str, int]:
        size = len(await file.read())
        ran.append("upload")  # what a handler writes, it writes once the body is read
        return {"size": size}

    @made.post("/api/things")
    async def things(request: Request) -> dict[str, int]:
        size = len(await request.body())
        ran.append("things")
        return {"size": size}

    made.add_middleware(BodyLimit, limit=LIMIT)
    return made


def test_a_body_under_the_ceiling_reaches_the_handler() -> None:
    ran: list[str] = []
    with TestClient(app(ran)) as c:
        assert c.post("/settings/import", files={"file": ("a.csv", b"x" * 500)}).json() == {
            "size": 500
        }
        assert c.post("/api/things", content=b"y" * LIMIT).json() == {"size": LIMIT}
    assert ran == ["upload", "things"]


def test_an_announced_length_over_the_ceiling_is_refused_before_reading() -> None:
    ran: list[str] = []
    with TestClient(app(ran)) as c:
        page = c.post("/settings/import", files={"file": ("a.csv", b"x" * 2000)})
        api = c.post("/api/things", content=b"y" * (LIMIT + 1))
    assert page.status_code == 413
    assert page.text.startswith("Too large: the request is larger than this server takes")
    assert api.status_code == 413
    assert api.json()["error"].startswith("the request is larger than this server takes")
    assert ran == []


def chunks(size: int) -> Iterator[bytes]:
    for _ in range(size // 100):
        yield b"z" * 100


def test_a_body_without_a_length_is_counted_as_it_arrives() -> None:
    """A chunked body announces no length: it is refused once its bytes pass the ceiling,
    whatever the framework would have answered to the cut-off body."""
    ran: list[str] = []
    with TestClient(app(ran)) as c:
        over = c.post("/api/things", content=chunks(5000))
        under = c.post("/api/things", content=chunks(800))
    assert over.status_code == 413
    assert under.json() == {"size": 800}
    assert ran == ["things"]


def test_a_length_that_is_not_a_number_is_refused() -> None:
    ran: list[str] = []
    with TestClient(app(ran)) as c:
        answer = c.post("/api/things", content=b"{}", headers={"content-length": "2x"})
    assert answer.status_code in (400, 413)
    assert ran == []


def test_the_ceiling_is_set_in_whole_mib(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FOLLOWUP_MAX_UPLOAD_MB", raising=False)
    assert bootstrap.server_max_upload() == 64 * 1024 * 1024
    monkeypatch.setenv("FOLLOWUP_MAX_UPLOAD_MB", "200")
    assert bootstrap.server_max_upload() == 200 * 1024 * 1024
    for wrong in ("0", "1.5", "lots", "5000"):
        monkeypatch.setenv("FOLLOWUP_MAX_UPLOAD_MB", wrong)
        with pytest.raises(InvalidInput, match=r"FOLLOWUP_MAX_UPLOAD_MB is .*from 1 to 4096"):
            bootstrap.server_max_upload()
