"""An import read as a stream (issue 11, item 7): refused at the first invalid application
without reading the rest, its frame in any order, stdin and uploads read like files."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from followup import bootstrap
from followup.errors import InvalidFile
from followup.formats import stream
from followup.services import interchange
from followup.services.session import Deps
from tests.e2e.cli import User

NOW = "2026-03-10T10:00:00+00:00"


def app(i: int, **extra: Any) -> dict[str, Any]:
    return {"id": f"app{i}", "company": f"Company {i}", "position": "Engineer", **extra}


class Tracked(io.BytesIO):
    """A file that remembers how far it was read when it was closed."""

    read_to = -1

    def close(self) -> None:
        self.read_to = self.tell()
        super().close()


class Counting:
    """Opens ``data`` anew each time and remembers each reading."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.reads: list[Tracked] = []

    def __call__(self) -> Tracked:
        self.reads.append(Tracked(self.data))
        return self.reads[-1]


@pytest.fixture
def deps(tmp_path: Path) -> Deps:
    return bootstrap.build(str(tmp_path / "s.db"))


def test_the_first_invalid_application_ends_the_read(deps: Deps) -> None:
    apps = [app(0), app(1, status="lost"), *(app(i, notes="x" * 500) for i in range(2, 5_000))]
    source = Counting(json.dumps({"format": "followup/1", "applications": apps}).encode())
    with pytest.raises(InvalidFile, match=r"^applications\[1\]\.status: 'lost' is not one of"):
        interchange.import_file(deps, source)
    frame, applications = source.reads
    assert frame.read_to == len(source.data)  # the frame: the whole syntax, nothing built
    assert applications.read_to < 200_000 < len(source.data)  # 2.6 MB: not read past app 1
    assert interchange.export_data(deps)["applications"] == []


def test_settings_after_the_applications_still_apply_to_them(deps: Deps) -> None:
    contact = {"id": "ana", "name": "Ana", "role": "hr", "phone": "912 345 678"}
    document = {
        "applications": [app(0, contacts=[contact])],
        "settings": {"country": "PT", "timezone": "Europe/Lisbon"},
        "format": "followup/1",
    }
    result = interchange.import_file(deps, Counting(json.dumps(document).encode()))
    assert result.created == 1
    (imported,) = interchange.export_data(deps)["applications"]
    assert imported["contacts"][0]["phone"] == "+351 912 345 678"  # read with PT's rules


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "not JSON (line 1, column 0"),
        (b"[]", "file: not an object"),
        (b'{"format": "followup/1", "applications": {}}', "applications: not a list"),
        (b'{"format": "followup/1"}', "applications: missing"),
        (b'{"format": "followup/1", "applications": []} []', "column 46: parse error: trailing"),
        (b'{"format": "followup/1",\n\n "applications": [{"id": tr}]}', "line 3, column 28"),
        (b'{"format": "followup/1", "applications": [], "x": "\xc3"}', "not UTF-8 at byte 51"),
        (b'{"format": "followup/1", "applications": [], "x": "\xe2\x82"}', "not UTF-8 at byte 51"),
        # found by the fuzzer: yajl stops at a bad byte before it is seen whole, and the
        # bytes it quotes in its message are not text
        (b"\xed", "not UTF-8 at byte 0"),
        (b"\xedA", "not UTF-8 at byte 0"),
        (b'{"a": 1, \xed}', "not UTF-8 at byte 9"),
    ],
)
def test_a_malformed_file_says_what_and_where(deps: Deps, data: bytes, message: str) -> None:
    with pytest.raises(InvalidFile) as refused:
        interchange.import_file(deps, Counting(data))
    assert message in str(refused.value)


def test_a_character_cut_by_a_read_is_still_utf8(deps: Deps) -> None:
    name = "Société Générale " + "é" * (stream.CHUNK // 2)  # é's second byte across a read
    document = {"format": "followup/1", "applications": [app(0, notes=name[:9_000])]}
    data = json.dumps(document, ensure_ascii=False).encode()
    assert interchange.import_file(deps, Counting(data)).created == 1


def test_stdin_is_read_like_a_file(tmp_path: Path) -> None:
    user = User(tmp_path / "stdin.db", now=NOW)
    document = {"format": "followup/1", "applications": [app(0), app(1)]}
    result = user.run("import", "-", input=json.dumps(document))
    assert "2 new" in result.stdout
    again = user.run("import", "-", input=json.dumps(document))
    assert "0 new, 0 updated, 2 unchanged" in again.stdout
