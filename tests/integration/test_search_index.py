"""The FTS5 search (migration 0012) against the words the domain means, and odd input."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from followup.adapters.sqlite.store import SqliteStore
from followup.domain.search import words
from tests.builders import application, contact
from tests.fakes import FakeStore

#: Texts where SQLite's unicode61 tokenizer and :func:`words` agree (Greek and Cyrillic
#: accents are kept by SQLite, dropped by ``words``: only the fake differs there).
TEXTS = [
    "Zoë Labs", "Straße", "İstanbul", "Ærø Øre", "naïve café", "株式会社テスト", "x_y",
    "e\u0301te", "ﬁsh", "١٢٣", "😀a", "O'Brien", "C++ / C#", "Łódź", "x\u200by", "a\u00adb",
    "Ａｃｍｅ", "100% remote_dev", "ana@initech.example +351 219 876",
]  # fmt: skip


def test_the_index_splits_words_as_the_domain_says() -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize = 'unicode61 remove_diacritics 2')")
    conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
    for i, text in enumerate(TEXTS):
        conn.execute("INSERT INTO t (rowid, x) VALUES (?, ?)", (i, text))
    for i, text in enumerate(TEXTS):
        sql = "SELECT term FROM v WHERE doc = ? ORDER BY offset"
        assert [r[0] for r in conn.execute(sql, (i,))] == words(text), text


APPS = [
    application("co", company="Zoë Labs", contacts=()),
    application("pos", position="Site Reliability Engineer", contacts=()),
    application("note", notes="Met Bruno at PyCon Lisboa, don't forget", contacts=()),
    application("post", posting="We use Kubernetes and Postgres (no NEAR-shoring).", contacts=()),
    application("who", contacts=(contact("ines", name="Inês Sá O'Neil"),)),
]


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> tuple[SqliteStore, FakeStore]:
    sqlite = SqliteStore(str(tmp_path_factory.mktemp("search") / "s.db"))
    fake = FakeStore()
    for store in (sqlite, fake):
        with store.writing() as repo:
            repo.put_many(APPS)
    return sqlite, fake


QUERIES = st.lists(
    st.sampled_from([*"aceilnorsuzAEINOZëêá'\"*-^:(){}+_%@. \t\x00", "NEAR", " OR ", "pyc"]),
    max_size=12,
).map("".join)


@given(query=QUERIES)
def test_any_query_answers_and_both_stores_agree(
    stores: tuple[SqliteStore, FakeStore], query: str
) -> None:
    sqlite, fake = stores
    found = []
    for store in (sqlite, fake):
        with store.reading() as repo:
            rows, total = repo.search(query, None, "company", 50, 0)
        assert total == len(rows)
        found.append(sorted(r.id for r in rows))
    assert found[0] == found[1]


@given(query=st.text(max_size=40))
def test_no_text_at_all_is_an_error(stores: tuple[SqliteStore, FakeStore], query: str) -> None:
    sqlite, _ = stores
    with sqlite.reading() as repo:
        rows, total = repo.search(query, None, "-applied", 50, 0)
    assert total == len(rows)


def test_a_fresh_database_is_indexed_as_it_is_written(tmp_path: Path) -> None:
    """Rows of the index are those of the applications, one each, after puts and deletes."""
    store = SqliteStore(str(tmp_path / "s.db"))
    try:
        with store.writing() as repo:
            repo.put_many(APPS)
            repo.put_many(APPS[:2])
            repo.delete_many(["note"])
        conn = sqlite3.connect(tmp_path / "s.db")
        keys = conn.execute(
            "SELECT count(*), count(DISTINCT application_id) FROM application_search_key"
        ).fetchone()
        (rows,) = conn.execute("SELECT count(*) FROM application_search").fetchone()
        (apps,) = conn.execute("SELECT count(*) FROM application").fetchone()
        conn.close()
        assert keys == (apps, apps)
        assert rows == apps == 4
    finally:
        store.close()
