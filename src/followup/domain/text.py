"""Free text a person types: one check for every way in (command line, web, API, import).

A company name is shown on every line of a list and goes into email headers, so it is
bounded and holds no control characters; notes and the job posting may run long and
keep their line breaks. The limits are generous for people and small for machines: a
5 MB company name is a mistake, not a company.
"""

from __future__ import annotations

import functools
import re

#: The most characters each field may hold (a field not listed: :data:`DEFAULT_LIMIT`).
LIMITS = {
    "company": 200,
    "position": 200,
    "name": 200,
    "source": 200,
    "link": 2_000,
    "vacancies": 2_000,
    "notes": 10_000,
    "posting": 100_000,
}
DEFAULT_LIMIT = 200
#: Fields that may span lines (the others are one line: names go into headers and lists).
MULTILINE = frozenset({"notes", "posting", "vacancies"})
#: Control characters (Unicode category Cc: C0 and C1, so escape sequences and NUL) and
#: the line and paragraph separators (Zl, Zp); a tab is text. ``str.splitlines`` breaks a
#: line at each of :data:`_LINE_BREAKS`. A multi-line field keeps its line feeds.
_REFUSED = "[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]"
_REFUSED_MULTILINE = "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]"
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def clean(value: str, field: str, *, required: bool = False) -> str | None:
    """``value`` trimmed, or ``ValueError`` with a one-line reason; ``None`` when empty."""
    text = value.strip()
    # Printable ASCII holds none of the refused characters nor a line break: only the
    # length is left to check (an import checks a million fields, issue 12).
    if text.isascii() and text.isprintable() and len(text) <= LIMITS.get(field, DEFAULT_LIMIT):
        if required and not text:
            raise ValueError(f"{field} cannot be empty")
        return text or None
    if field in MULTILINE:  # a paste from Windows or an old Mac: one kind of line break
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    limit = LIMITS.get(field, DEFAULT_LIMIT)
    if len(text) > limit:
        raise ValueError(f"{field} is {len(text):,} characters long (at most {limit:,})")
    problem = _problem(text, _REFUSED_MULTILINE if field in MULTILINE else _REFUSED)
    if problem is not None:
        raise ValueError(f"{field} contains {problem}")
    if required and not text:
        raise ValueError(f"{field} cannot be empty")
    return text or None


def unsafe_in_line(value: str) -> str | None:
    """What makes ``value`` unfit for one line (``a line break (U+2028)``), or ``None``.

    The same characters :func:`clean` refuses in a one-line field: mail headers use it on
    text stored before that check existed.
    """
    return _problem(value, _REFUSED)


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    """Compiled when first needed: the two classes cost half a millisecond to compile,
    and most commands (``log`` without ``--notes``) check no text at all (issue 12)."""
    return re.compile(pattern)


def _problem(value: str, refused: str) -> str | None:
    found = _compiled(refused).search(value)
    if found is None:
        return None
    ch = found.group()
    what = "a line break" if ch in _LINE_BREAKS else "a control character"
    return f"{what} (U+{ord(ch):04X})"
