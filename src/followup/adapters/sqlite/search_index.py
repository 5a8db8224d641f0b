"""The full-text index of the applications (migration 0012), kept by the writes.

``application_search`` is an FTS5 table with one row per application: its company,
position, notes, contacts (names, emails, phones) and job posting. FTS5 needs integer
row ids and ``application`` has text keys, so ``application_search_key`` gives each
application its row id. The index is rewritten for the applications a write touches, in
two statements per batch, rather than by triggers: a write replaces an application's
contacts whole, and a trigger per contact row would rewrite its index row once per
contact (an import of 100k applications would pay it 300k times).
"""

from __future__ import annotations

import sqlite3

from followup.adapters.sqlite.batched import BATCH

#: The text of one application's row; ``{where}`` selects the applications.
INDEXED = (
    "INSERT INTO application_search (rowid, company, position, notes, contacts, posting)"
    " SELECT k.id, a.company, a.position, a.notes,"
    "  (SELECT group_concat(c.name || coalesce(' ' || c.email, '') || coalesce(' ' || c.phone, ''),"
    "   ' ')"
    "   FROM contact AS c WHERE c.application_id = a.id),"
    "  a.posting"
    " FROM application AS a JOIN application_search_key AS k ON k.application_id = a.id"
    " WHERE {where}"
)


def reindex(conn: sqlite3.Connection, app_ids: list[str]) -> None:
    """Index these applications afresh (as they are now stored, contacts included)."""
    for start in range(0, len(app_ids), BATCH):
        chunk = app_ids[start : start + BATCH]
        marks = ",".join("?" * len(chunk))
        _drop_rows(conn, chunk, marks)
        conn.executemany(
            "INSERT OR IGNORE INTO application_search_key (application_id) VALUES (?)",
            [(i,) for i in chunk],
        )
        conn.execute(INDEXED.format(where=f"a.id IN ({marks})"), chunk)


def unindex(conn: sqlite3.Connection, app_ids: list[str]) -> None:
    """Forget these applications (before they are deleted)."""
    for start in range(0, len(app_ids), BATCH):
        chunk = app_ids[start : start + BATCH]
        marks = ",".join("?" * len(chunk))
        _drop_rows(conn, chunk, marks)
        conn.execute(f"DELETE FROM application_search_key WHERE application_id IN ({marks})", chunk)


def _drop_rows(conn: sqlite3.Connection, chunk: list[str], marks: str) -> None:
    conn.execute(
        "DELETE FROM application_search WHERE rowid IN (SELECT id FROM application_search_key"
        f" WHERE application_id IN ({marks}))",
        chunk,
    )


def match_expression(query: str) -> str | None:
    """The FTS5 query for what a person typed (:mod:`followup.domain.search`): each piece
    quoted, as a prefix, all of them required (``acme back-end`` gives
    ``"acme"* "back-end"*``, a quote typed doubled inside its piece);
    ``None`` when nothing is typed.

    A quoted string is plain text to FTS5, which splits it with the index's own
    tokenizer (so case and accents fold exactly as in the index): no input is a syntax
    error (``NEAR``, ``OR``, ``-``, ``*``, quotes), and a piece with no word in it is an
    empty phrase, which FTS5 ignores beside others and matches nothing alone.
    """
    from followup.domain.search import pieces  # noqa: PLC0415 - a search only

    found = pieces(query)
    if not found:
        return None
    return " ".join('"' + p.replace('"', '""') + '"*' for p in found)
