"""What a search of the applications looks for, the same in every store.

What is typed is split at white space; each piece must be found as the start of a word
(``eng`` finds "Engineer"), or, when the piece holds several words (``remote_dev``,
``O'Brien``), as those words in a row, the last one as a start. A word is a run of
letters and digits, compared without case or accents: SQLite's ``unicode61`` tokenizer
with ``remove_diacritics 2`` makes them there (adapters/sqlite/search_index.py), and
:func:`words` here approximates it for other stores (the test fake; the PostgreSQL
store indexes these words, adapters/postgres/search_index.py). Anything else typed
(quotes, ``*``, ``-``, ``NEAR``, ``OR``, brackets) only separates words: a search box is
not a query language, and no input can be an error. A piece with no word in it counts
for nothing; a query with no word at all finds nothing; a query of white space alone
finds everything.
"""

from __future__ import annotations

import re
import unicodedata

#: How many pieces of a query count (the page keeps 200 characters of it anyway).
MAX_PIECES = 16
_WORD = re.compile(r"[^\W_]+")


def pieces(query: str) -> list[str]:
    """The parts of a query, as typed, between white space (a NUL counts as space: SQLite
    would end the query there, and call the rest an unterminated string)."""
    return query.replace("\x00", " ").split()[:MAX_PIECES]


def words(text: str) -> list[str]:
    """The words of ``text``, lower case and without accents (``Zoë-Labs``: zoe, labs)."""
    bare = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    return _WORD.findall(bare.lower())


def matches(query: str, text: str) -> bool:
    """Whether ``text`` answers ``query`` (the rule above, for stores without an index)."""
    found = words(text)
    wanted = [w for w in (words(p) for p in pieces(query)) if w]
    return bool(wanted) and all(_in_a_row(run, found) for run in wanted)


def _in_a_row(run: list[str], found: list[str]) -> bool:
    *whole, start = run
    for i in range(len(found) - len(run) + 1):
        if found[i : i + len(whole)] == whole and found[i + len(whole)].startswith(start):
            return True
    return False
