"""The contract of :class:`~followup.services.ports.Listings`: what lists and boards show."""

from __future__ import annotations

from dataclasses import replace

import pytest

from followup.domain.listed import Listed, Scheduled
from followup.domain.model import Status
from followup.services.ports import Store
from tests.builders import application, at, contact, d, interview


@pytest.fixture
def three(store: Store) -> Store:
    """Acme (active), Globex (rejected, applied last), Initech (recorded, not applied yet)."""
    with store.writing() as repo:
        repo.put_many(
            [
                application("a"),
                application(
                    "b",
                    company="Globex",
                    position="Data Engineer",
                    status=Status.REJECTED,
                    applied_on=d("2026-03-01"),
                ),
                application(
                    "c",
                    company="Initech",
                    position="100% remote_dev",
                    applied_on=None,
                    recorded_on=d("2026-02-25"),
                ),
            ]
        )
    return store


def ids(page: tuple[list[Listed], int]) -> tuple[list[str], int]:
    found, total = page
    return [x.id for x in found], total


def test_search_matches_words_in_any_case_with_a_status(three: Store) -> None:
    with three.reading() as repo:
        (first, *_), total = repo.search("ENGINEER", None, "company", 10, 0)
        assert (first, total) == (
            Listed("a", "Acme", "Backend Engineer", Status.ACTIVE, d("2026-02-20")),
            2,
        )
        assert ids(repo.search("  glob ", None, "company", 10, 0)) == (["b"], 1)
        assert ids(repo.search("", Status.REJECTED, "company", 10, 0)) == (["b"], 1)
        assert ids(repo.search("initech", Status.REJECTED, "company", 10, 0)) == ([], 0)


def test_search_reads_words_not_wildcards(three: Store) -> None:
    """Issue 12: a search looks for words (FTS5 in SQLite); signs only separate them."""
    with three.reading() as repo:
        assert ids(repo.search("100%", None, "company", 10, 0)) == (["c"], 1)
        assert ids(repo.search("remote_dev", None, "company", 10, 0)) == (["c"], 1)
        assert ids(repo.search("dev remote", None, "company", 10, 0)) == (["c"], 1)
        for nothing in ("%", "_", "\\", "*", "-", '"', "()", "  ...  "):
            assert ids(repo.search(nothing, None, "company", 10, 0)) == ([], 0), nothing


@pytest.fixture
def described(store: Store) -> Store:
    """Applications that differ in one field each."""
    with store.writing() as repo:
        repo.put_many(
            [
                application("co", company="Zoë Labs", contacts=()),
                application("pos", position="Site Reliability Engineer", contacts=()),
                application("note", notes="Met Bruno at PyCon Lisboa", contacts=()),
                application("post", posting="We use Kubernetes and Postgres.", contacts=()),
                application(
                    "who",
                    contacts=(contact("ines", name="Inês Sá", email="ines@initech.example"),),
                ),
                application(
                    "tel", contacts=(contact("rui", name="Rui", email=None, phone="+351 219 876"),)
                ),
            ]
        )
    return store


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("zoe", ["co"]),  # company, without its accent
        ("ZOË labs", ["co"]),
        ("reliab", ["pos"]),  # position, a word's start
        ("pycon lisb", ["note"]),  # notes
        ("kubernetes", ["post"]),  # the job posting
        ("postgres", ["post"]),
        ("ines", ["who"]),  # a contact's name
        ("SÁ", ["who"]),
        ("initech", ["who"]),  # a contact's email
        ("ines@initech.example", ["who"]),
        ("219", ["tel"]),  # a contact's phone
        ("acme engineer", ["note", "pos", "post", "tel", "who"]),  # every word, in any field
        ("liability", []),  # inside a word: not a match
        ("kubernetes acme zzz", []),
    ],
)
def test_search_finds_by_each_field(described: Store, query: str, expected: list[str]) -> None:
    with described.reading() as repo:
        found, total = repo.search(query, None, "company", 10, 0)
    assert (sorted(x.id for x in found), total) == (expected, len(expected))


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"unbalanced',
        "acme*",
        "*acme",
        "-acme",
        "acme -labs",
        "NOT acme",
        "acme AND",
        "OR",
        "NEAR(acme labs, 2)",
        "acme NEAR labs",
        "company:zoe",
        "{company position}: zoe",
        "^zoe",
        "zoe + labs",
        "(zoe",
        "a' OR 1=1 --",
        "\x00 \u200b \ufeff",
        "日本語 テスト",
        "🙂 zoe",
        "İSTANBUL ß",
        "x" * 500,
    ],
)
def test_no_query_is_an_error(described: Store, query: str) -> None:
    """Whatever is typed is words: FTS5 operators and syntax are never read as such."""
    with described.reading() as repo:
        found, total = repo.search(query, None, "company", 10, 0)
    assert total == len(found)
    if query.startswith(("zoe", "^zoe")):
        assert [x.id for x in found] == ["co"]


def test_search_follows_each_write(store: Store) -> None:
    """The index changes with the records: a renamed company, a contact gone, a deletion."""
    app = application("a", contacts=(contact("ines", name="Inês Sá"),))
    with store.writing() as repo:
        repo.put_many([app, application("b", company="Globex", contacts=())])
    with store.writing() as repo:
        repo.put(replace(app, company="Hooli", contacts=()))

    def found(query: str) -> list[str]:
        with store.reading() as repo:
            return [x.id for x in repo.search(query, None, "company", 10, 0)[0]]

    assert found("hooli") == ["a"]
    assert found("acme") == []
    assert found("ines") == []
    with store.writing() as repo:
        repo.delete_many(["a"])
    assert found("hooli") == []
    assert found("globex") == ["b"]
    with store.writing() as repo:
        repo.put(app)  # back again, under its first name
    assert found("acme ines") == ["a"]


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("company", ["a", "b", "c"]),
        ("-company", ["c", "b", "a"]),
        ("position", ["c", "a", "b"]),
        ("status", ["a", "c", "b"]),
        ("-status", ["b", "c", "a"]),
        ("applied", ["a", "c", "b"]),
        ("-applied", ["b", "c", "a"]),
    ],
)
def test_search_sorts_ties_by_id(three: Store, sort: str, order: list[str]) -> None:
    """``applied`` is the day added: the application day, else the day recorded."""
    with three.reading() as repo:
        assert ids(repo.search("", None, sort, 10, 0)) == (order, 3)


def test_search_pages_with_the_total(three: Store) -> None:
    with three.reading() as repo:
        assert ids(repo.search("", None, "company", 1, 1)) == (["b"], 3)
        assert ids(repo.search("", None, "company", 2, 2)) == (["c"], 3)
        assert ids(repo.search("", None, "company", 2, 3)) == ([], 3)


def test_counts_by_status_name_only_those_present(three: Store) -> None:
    with three.reading() as repo:
        assert repo.count_by_status() == {Status.ACTIVE: 2, Status.REJECTED: 1}


def test_the_newest_by_application_day_then_day_recorded(store: Store) -> None:
    """Those without an application day come after those with one (a board column)."""
    with store.writing() as repo:
        repo.put_many(
            [
                application("x1", applied_on=d("2026-03-01")),
                application("x4", applied_on=d("2026-03-05"), recorded_on=d("2026-03-05")),
                application("x2", applied_on=d("2026-03-05"), recorded_on=d("2026-03-06")),
                application("x3", applied_on=None, recorded_on=d("2026-03-09")),
                application("x5", applied_on=d("2026-03-05"), recorded_on=d("2026-03-05")),
                application("r", applied_on=d("2026-03-10"), status=Status.REJECTED),
            ]
        )
    with store.reading() as repo:
        newest = repo.newest(Status.ACTIVE, 10)
        assert [x.id for x in newest] == ["x2", "x4", "x5", "x1", "x3"]
        assert newest[-1] == Listed("x3", "Acme", "Backend Engineer", Status.ACTIVE, None)
        assert [x.id for x in repo.newest(Status.ACTIVE, 2)] == ["x2", "x4"]
        assert [x.id for x in repo.newest(Status.OFFER, 2)] == []


def test_interviews_in_a_span_name_their_interviewers_in_order(store: Store) -> None:
    app = application(
        contacts=(contact("ana"), contact("rui", name='Rui, Lopes "RL"')),
        interviews=(
            interview("2026-03-02", "iv1", interviewers=("rui", "ana")),
            interview("2026-03-20", "iv2", interviewers=()),
        ),
    )
    with store.writing() as repo:
        repo.put(app)
    with store.reading() as repo:
        (first,) = repo.interviews_between(at("2026-03-01"), at("2026-03-10"))
        assert first.interviewers == ('Rui, Lopes "RL"', "Ana Example")
        assert [
            s.interviewers for s in repo.interviews_between(at("2000-01-01"), at("2027-01-01"))
        ] == [
            ('Rui, Lopes "RL"', "Ana Example"),
            (),
        ]


def test_interviews_in_a_span_leave_out_the_cancelled(store: Store) -> None:
    """The span is half open; ties in time go by application, then interview."""
    with store.writing() as repo:
        repo.put_many(
            [
                application(
                    "b",
                    interviews=(
                        interview(at("2026-03-02", 10), "iv2"),
                        interview(at("2026-03-02", 10), "iv1"),
                        interview(at("2026-03-03", 10), "gone", cancelled=True),
                    ),
                ),
                application("a", interviews=(interview(at("2026-03-02", 10), "iv9"),)),
                application("c", interviews=(interview(at("2026-03-04", 10)),)),
            ]
        )
    with store.reading() as repo:
        found = repo.interviews_between(at("2026-03-02", 10), at("2026-03-04", 10))
    assert [(s.application, s.interview_id) for s in found] == [
        ("a", "iv9"),
        ("b", "iv1"),
        ("b", "iv2"),
    ]
    assert found[0] == Scheduled(
        "a", "Acme", "Backend Engineer", "iv9", at("2026-03-02", 10), ("Ana Example",)
    )


def test_contacts_named_by_pairs(store: Store) -> None:
    ana, rui = contact("ana"), contact("rui")
    with store.writing() as repo:
        repo.put_many([application("a", contacts=(ana, rui)), application("b")])
    with store.reading() as repo:
        found = repo.contacts_of([("a", "rui"), ("b", "ana"), ("b", "rui"), ("zzz", "ana")])
    assert found == {("a", "rui"): rui, ("b", "ana"): ana}


def test_notes_of_applications(store: Store) -> None:
    with store.writing() as repo:
        repo.put_many([application("a", notes="line 1\nline 2"), application("b")])
    with store.reading() as repo:
        assert repo.notes_of(["a", "b", "missing"]) == {"a": "line 1\nline 2"}
