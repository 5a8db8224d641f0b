"""The words of each application, as a ``tsvector`` column kept by the writes
(migration ``0005_search.sql``), and the ``tsquery`` for what a person typed.

The rule is :mod:`followup.domain.search`'s, and both sides are made from its
:func:`~followup.domain.search.words` here, in Python, rather than by PostgreSQL's text
search parser: that parser keeps an email, a URL or a hyphenated word as one token
(``ines@initech.example`` would not be found by ``initech``), and how it reads letters
and case depends on the database's locale. The lexemes are written as ``tsvector`` and
``tsquery`` literals, so no dictionary, stop word or parser stands between the rule and
the index; no extension (``unaccent``) is needed either.

As in SQLite's index (one column per field), a phrase never runs from one field into the
next: a position is skipped between fields. The contacts are one field there and here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import psycopg

from followup.domain.model import Application
from followup.domain.search import pieces, words

#: PostgreSQL's limits: a lexeme's bytes, a position, positions kept per lexeme, and
#: what a vector's lexemes and positions take (a little under its 1 MB: each lexeme is
#: padded to an even length and counts its positions in 2 bytes, 2 bytes each).
MAX_LEXEME = 2046
MAX_POSITION = 16383
MAX_POSITIONS = 256
MAX_VECTOR_BYTES = 1_000_000
#: Applications indexed per round by :func:`reindex_all`.
BATCH = 500


def fields(app: Application) -> tuple[str | None, ...]:
    """What is searched of an application: company, position, notes, the contacts
    (names, emails, phones) and the posting."""
    people = " ".join(" ".join(filter(None, (c.name, c.email, c.phone))) for c in app.contacts)
    return (app.company, app.position, app.notes, people, app.posting)


def vector(texts: Iterable[str | None]) -> str:
    """The ``tsvector`` literal of these fields. Past PostgreSQL's last position (16383)
    every word sits at that position: still found alone, in a phrase only by chance.
    A word too long to index is left out (as ``to_tsvector`` does), and so is any new
    word once the vector is full (where ``to_tsvector`` would refuse the write)."""
    found: dict[str, list[int]] = {}
    at, size = 0, 0
    for text in texts:
        for word in words(text or ""):
            at += 1
            where = found.get(word)
            position = min(at, MAX_POSITION)
            if where is None:
                length = len(word.encode())
                cost = length + length % 2 + 4  # its padding, count and this position
                if length > MAX_LEXEME or size + cost > MAX_VECTOR_BYTES:
                    continue
                found[word] = [position]
                size += cost
            elif len(where) < MAX_POSITIONS and where[-1] != position:
                if size + 2 > MAX_VECTOR_BYTES:
                    continue
                where.append(position)
                size += 2
        at += 1  # a gap between fields
    return " ".join(f"{_quoted(w)}:{','.join(map(str, ps))}" for w, ps in found.items())


def query(typed: str) -> str | None:
    """The ``tsquery`` literal of what was typed: each piece's words in a row (``<->``),
    the last as a prefix (``:*``), every piece required (``&``). ``None`` when no piece
    holds a word (the search then finds nothing); call it only when something is typed.

    Each lexeme is quoted: whatever is typed (``!``, ``|``, ``&``, quotes, brackets) is
    only words, never tsquery syntax.
    """
    runs = [[_fitting(w) for w in words(p)] for p in pieces(typed)]
    terms = [" <-> ".join(map(_quoted, run)) + ":*" for run in runs if run]
    return " & ".join(terms) if terms else None


def reindex_all(conn: psycopg.Connection[Any]) -> None:
    """Index every application of every seeker (migration ``0005_search.sql`` runs it,
    inside its own transaction, for the rows that were there before it)."""
    last: tuple[Any, ...] = (-1, "")
    while True:
        rows = conn.execute(
            "SELECT a.seeker_id, a.id, a.company, a.position, a.notes,"
            " (SELECT string_agg(concat_ws(' ', c.name, c.email, c.phone), ' ' ORDER BY c.seq)"
            "   FROM contact AS c WHERE c.seeker_id = a.seeker_id AND c.application_id = a.id),"
            " a.posting"
            " FROM application AS a WHERE (a.seeker_id, a.id) > (%s, %s)"
            " ORDER BY a.seeker_id, a.id LIMIT %s",
            (*last, BATCH),
        ).fetchall()
        if not rows:
            return
        with conn.cursor() as c:
            c.executemany(
                "UPDATE application SET search = %s::tsvector WHERE seeker_id = %s AND id = %s",
                [(vector(r[2:]), r[0], r[1]) for r in rows],
            )
        last = (rows[-1][0], rows[-1][1])


def _quoted(word: str) -> str:
    """A lexeme as a literal (a word holds only letters and digits; quoted all the same)."""
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def _fitting(word: str) -> str:
    """A typed word cut to the longest lexeme PostgreSQL takes: a ``tsquery`` refuses a
    longer one (and no longer word is indexed)."""
    return word.encode()[:MAX_LEXEME].decode(errors="ignore")
