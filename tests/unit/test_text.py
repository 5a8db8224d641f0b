"""The one check of typed text (issue 8, item 7): limits, and no control or line-break characters."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from followup.domain import text


@given(st.characters())
def test_a_character_is_refused_exactly_when_it_is_a_control_or_a_separator(ch: str) -> None:
    for field, allowed in (("company", "\t"), ("notes", "\t\n\r")):
        if unicodedata.category(ch) in ("Cc", "Zl", "Zp") and ch not in allowed:
            with pytest.raises(ValueError, match=f"^{field} contains a"):
                text.clean(f"a{ch}b", field)
        else:
            assert text.clean(f"a{ch}b", field) is not None


def test_limits_name_the_field_and_count_characters_not_bytes() -> None:
    assert text.clean("é" * 200, "company") == "é" * 200
    with pytest.raises(ValueError, match=r"^company is 201 characters long \(at most 200\)$"):
        text.clean("é" * 201, "company")
    assert text.clean("x" * 100_000, "posting") is not None


def test_line_breaks_stay_in_notes_as_lf_and_are_refused_in_names() -> None:
    assert text.clean(" a\r\nb\rc \n", "notes") == "a\nb\nc"
    with pytest.raises(ValueError, match=r"^name contains a line break \(U\+2028\)$"):
        text.clean("Ana\u2028Bcc: x", "name")
    with pytest.raises(ValueError, match=r"control character \(U\+001B\)"):
        text.clean("\x1b]0;title\x07", "notes")
    with pytest.raises(ValueError, match="cannot be empty"):
        text.clean("   ", "company", required=True)
    assert text.clean("  ", "notes") is None


def _reference(value: str, field: str, required: bool) -> str | None:
    """The check spelled out, character by character: the oracle of the quick path for
    printable ASCII (issue 12)."""
    found = value.strip()
    if field in text.MULTILINE:
        found = found.replace("\r\n", "\n").replace("\r", "\n")
    limit = text.LIMITS.get(field, text.DEFAULT_LIMIT)
    if len(found) > limit:
        raise ValueError(f"{field} is {len(found):,} characters long (at most {limit:,})")
    allowed = "\t\n" if field in text.MULTILINE else "\t"
    for ch in found:
        if unicodedata.category(ch) in ("Cc", "Zl", "Zp") and ch not in allowed:
            raise ValueError(f"{field} contains a refused character")
    if required and not found:
        raise ValueError(f"{field} cannot be empty")
    return found or None


def _outcome(check: Callable[[], str | None]) -> str | None:
    """What a check answers: the text, or "refused" with the start of its reason."""
    try:
        return check()
    except ValueError as e:
        return "refused: " + str(e).split(" contains ")[0]


ASCII_AROUND_LIMITS = st.one_of(
    st.text(st.characters(min_codepoint=0, max_codepoint=127), max_size=30),
    st.builds(
        lambda n, pad: " " * pad + "x" * n + " " * pad, st.integers(195, 205), st.integers(0, 3)
    ),
)


@given(ASCII_AROUND_LIMITS, st.sampled_from(["company", "notes", "link", "email"]), st.booleans())
def test_ascii_text_gets_the_answer_of_the_whole_check(
    value: str, field: str, required: bool
) -> None:
    ours = _outcome(lambda: text.clean(value, field, required=required))
    assert ours == _outcome(lambda: _reference(value, field, required))
