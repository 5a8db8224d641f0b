"""A spreadsheet import read as a stream (issue 13): the check stops at the first bad row
without reading the rest, and the write holds one batch at a time, in one transaction."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from followup import bootstrap
from followup.errors import InvalidFile
from followup.formats.sheets.rows import Options
from followup.services import sheets
from followup.services.session import Deps, Session


class Tracked(io.BytesIO):
    """A file that remembers how far it was read when it was closed."""

    read_to = -1

    def close(self) -> None:
        self.read_to = self.tell()
        super().close()


class Counting:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.reads: list[Tracked] = []

    def __call__(self) -> Tracked:
        self.reads.append(Tracked(self.data))
        return self.reads[-1]


@pytest.fixture
def deps(tmp_path: Path) -> Deps:
    return bootstrap.build(str(tmp_path / "s.db"))


def sheet(rows: int, bad_at: int | None = None) -> bytes:
    lines = ["Company,Position,Date applied,Notes"]
    for n in range(rows):
        day = "31/02/2026" if n == bad_at else "2026-01-05"
        lines.append(f"Company {n},Engineer,{day},{'x' * 200}")
    return ("\n".join(lines) + "\n").encode()


def test_the_first_bad_row_ends_the_read(deps: Deps) -> None:
    source = Counting(sheet(20_000, bad_at=1))  # 4.6 MB
    with pytest.raises(InvalidFile, match=r'^row 3, column "Date applied": not a date'):
        sheets.import_sheet(deps, source, Options("csv", {}, {}))
    header, rows = source.reads[-2:]
    assert rows.read_to < 100_000 < len(source.data)  # not read past row 3
    assert header.read_to < 100_000
    with deps.store.reading() as repo:
        assert list(repo.applications()) == []


def test_rows_are_written_a_batch_at_a_time_in_one_change(
    deps: Deps, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sheets, "BATCH", 50)
    flushed: list[int] = []
    flush = Session.flush

    def counting(self: Session) -> None:
        flushed.append(len(self._changed))
        flush(self)

    monkeypatch.setattr(Session, "flush", counting)
    done = sheets.import_sheet(deps, Counting(sheet(420)), Options("csv", {}, {}))
    assert done.counts.created == 420
    assert flushed == [50] * 8 + [20]  # never more than a batch held
    with deps.store.reading() as repo:
        history = repo.history(10, None)
    assert len(history) == 1
    assert history[0].summary.startswith("Imported a spreadsheet: 420 new")
