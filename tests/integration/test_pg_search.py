"""The PostgreSQL store's search index at its edges (issue 12): what the contract tests
(``contract/test_listings.py``) do not reach, against a real server. The words are made
by ``domain/search.py`` and written as literals, so the limits met here are PostgreSQL's
own: 16383 positions, 2046 bytes a word, 1 MB a vector."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from followup.adapters.postgres import search_index
from followup.adapters.postgres.store import PostgresStore
from tests.builders import application
from tests.pg_cluster import add_seeker


@pytest.fixture
def store(pg_url: str) -> Iterator[PostgresStore]:
    made = PostgresStore(pg_url, add_seeker(pg_url))
    yield made
    made.close()


def found(store: PostgresStore, query: str) -> list[str]:
    with store.reading() as repo:
        page, total = repo.search(query, None, "company", 10, 0)
    assert total == len(page)
    return [x.id for x in page]


def test_a_phrase_stays_within_one_field(store: PostgresStore) -> None:
    """As in SQLite's index (a column per field): joined words are found in a row within
    the company, the position or the posting, never across two of them."""
    with store.writing() as repo:
        repo.put(application("a", company="Zoë Labs", position="Engineer", contacts=()))
    assert found(store, "zoe_labs") == ["a"]
    assert found(store, "labs_engineer") == []
    assert found(store, "labs engineer") == ["a"]


def test_a_long_posting_is_stored_and_found_to_its_end(store: PostgresStore) -> None:
    """Past PostgreSQL's last position every word is still found alone."""
    posting = " ".join(f"w{i}" for i in range(20_000)) + " kubernetes"
    with store.writing() as repo:
        repo.put(application("long", posting=posting, contacts=()))
    assert found(store, "kubernetes") == ["long"]
    assert found(store, "w19999") == ["long"]
    assert found(store, "w5_w6") == ["long"]


def test_a_vector_beyond_a_megabyte_is_cut_not_refused(store: PostgresStore) -> None:
    """A pasted posting of some 2 MB of distinct words, and a 3000-byte word: the write
    goes through, the first words are found."""
    posting = "first " + " ".join(f"{i:0>20}" for i in range(100_000)) + " " + "x" * 3000
    with store.writing() as repo:
        repo.put(application("huge", posting=posting, contacts=()))
    assert found(store, "first") == ["huge"]
    assert found(store, "x" * 3000) == []


def test_the_literals_quote_every_word() -> None:
    """Each lexeme quoted, each piece a phrase ending in a prefix, all required."""
    assert search_index.query("O'Brien back-end!") == "'o' <-> 'brien':* & 'back' <-> 'end':*"
    assert search_index.query("-- ! | & ()") is None
    assert search_index.vector(["Zoë Labs", None, "Labs"]) == "'zoe':1 'labs':2,5"
