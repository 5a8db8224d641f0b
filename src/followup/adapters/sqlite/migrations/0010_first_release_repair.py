"""Repair the databases made by the first release (schema 2 as it first landed).

Migrations 0001 and 0002 were edited after that release had shipped (a landed migration
must never change; a test now pins every file's hash). A database it made kept the first
text of both: ``plan_application`` without its ``exact_from`` column, other indexes,
tables with row ids and ``IN (...)`` checks. Migrations 0003-0009 applied on top of it
fine, and then every command failed ("no column named exact_from").

SQL cannot say "add this column if it is missing", so this step compares the database
with the schema migrations 0001-0009 give a new database (built here, in memory, from
those very files) and rebuilds what differs, SQLite's way: rename the old table, create
the new one, copy the rows, drop the old one. The stored plan (``plan_application``,
``planned_action``) is derived data: it is emptied instead of copied, and the plan
version forgotten so that the next open re-plans every application. On any other
database nothing differs and nothing is done.
"""

from __future__ import annotations

import sqlite3

from followup.adapters.sqlite.database import migrations, statements

#: The schema this step brings a database to: what migrations 0001-0009 make.
REFERENCE_VERSION = 9
#: Tables rebuilt empty (they are re-planned), not copied.
DERIVED = frozenset({"plan_application", "planned_action"})

Schema = dict[str, tuple[str, str, str]]  # name -> (type, table, sql)


def apply(conn: sqlite3.Connection) -> None:
    reference = _reference()
    current = _schema(conn)
    tables = [
        name
        for name, (kind, _, sql) in reference.items()
        if kind == "table" and current.get(name, ("", "", ""))[2] != sql
    ]
    (legacy,) = conn.execute("PRAGMA legacy_alter_table").fetchone()
    # Off, a rename would rewrite the other tables' REFERENCES to the old table's name.
    conn.execute("PRAGMA legacy_alter_table = ON")
    try:
        for name in tables:
            _rebuild(conn, name, reference[name][2], copy=name in current)
    finally:
        conn.execute(f"PRAGMA legacy_alter_table = {'ON' if legacy else 'OFF'}")
    current = _schema(conn)
    for name, (kind, _, sql) in current.items():
        if kind == "index" and reference.get(name, ("", "", ""))[2] != sql:
            conn.execute(f'DROP INDEX "{name}"')
    current = _schema(conn)
    for name, (kind, _, sql) in reference.items():
        if kind == "index" and name not in current:
            conn.execute(sql)
    if DERIVED & set(tables):
        conn.execute("DELETE FROM followup_meta WHERE key = 'plan_version'")


def _rebuild(conn: sqlite3.Connection, name: str, sql: str, *, copy: bool) -> None:
    old = f"{name}_before_repair"
    if copy:
        conn.execute(f'ALTER TABLE "{name}" RENAME TO "{old}"')
    conn.execute(sql)
    if not copy:
        return
    if name not in DERIVED:
        before = {row[1] for row in conn.execute(f'PRAGMA table_info("{old}")')}
        after = [row[1] for row in conn.execute(f'PRAGMA table_info("{name}")')]
        columns = ", ".join(f'"{column}"' for column in after if column in before)
        conn.execute(f'INSERT INTO "{name}" ({columns}) SELECT {columns} FROM "{old}"')
    conn.execute(f'DROP TABLE "{old}"')


def _reference() -> Schema:
    memory = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for version, path in migrations():
            if version <= REFERENCE_VERSION:
                with open(path, encoding="utf-8") as f:
                    for statement in statements(f.read()):
                        memory.execute(statement)
        return _schema(memory)
    finally:
        memory.close()


def _schema(conn: sqlite3.Connection) -> Schema:
    rows = conn.execute(
        "SELECT name, type, tbl_name, sql FROM sqlite_master"
        " WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    return {name: (kind, table, sql) for name, kind, table, sql in rows}
