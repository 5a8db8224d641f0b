"""Numbers already written in international format are checked without ``phonenumbers.parse``
(issue 12): the answer is always the one the whole check gives (parse, validate, write)."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from followup.adapters.contact_details import LibraryContactDetails, _international_checker


def library(value: str, country: str | None) -> str | None:
    """The whole check, as the adapter made it before the quick path."""
    try:
        number = phonenumbers.parse(value.strip(), country)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return str(phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL))


def ours(details: LibraryContactDetails, value: str, country: str | None) -> str | None:
    try:
        return details.phone(value, country)
    except ValueError:
        return None


def _examples() -> list[str]:
    """Every region's example numbers of every type, written as the library writes them."""
    found = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in (PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE, PhoneNumberType.TOLL_FREE):
            number = phonenumbers.example_number_for_type(region, kind)
            if number is not None:
                found.append(phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL))
    return found


EXAMPLES = _examples()


def test_most_examples_take_the_quick_path() -> None:
    """Not a vacuous test: the quick path answers most well-written numbers itself."""
    quick = _international_checker()
    taken = [x for x in EXAMPLES if quick(x) is not None]
    assert len(taken) > len(EXAMPLES) * 0.8


@pytest.mark.parametrize("country", [None, "PT", "US", "IT"])
def test_every_region_example_gets_the_library_answer(country: str | None) -> None:
    details = LibraryContactDetails()
    for value in EXAMPLES:
        assert ours(details, value, country) == library(value, country), value


@pytest.mark.parametrize(
    "value",
    [
        "+351 912 404 666",
        "+351 912 404 667 ",
        "+351 912-404-666",
        "+351912404666",
        "+351 912 404 66",
        "+39 06 6982 1234",  # Italy: a leading zero the number keeps
        "+44 020 7946 0958",  # a national prefix written after the country code
        "+1 1 201-555-0123",
        "+1 201-555-0123",
        "+54 9 11 2345-6789",
        "+7 8 912 345 67 89",
        "+999 123 456",
        "+0 123 456",
        "+351 912 404 666 ext. 12",
    ],
)
def test_awkward_numbers_get_the_library_answer(value: str) -> None:
    assert ours(LibraryContactDetails(), value, "PT") == library(value, "PT")


def test_a_refused_number_keeps_its_reason() -> None:
    with pytest.raises(ValueError, match=r"^'\+351 112 404 666' is not a valid phone number$"):
        LibraryContactDetails().phone("+351 112 404 666", "PT")


DIGITS = st.text("0123456789", min_size=1, max_size=14)
SEPARATED = st.lists(st.tuples(DIGITS, st.sampled_from([" ", "-", "", "  ", "."])), max_size=5)


@settings(max_examples=500)
@given(st.sampled_from([*EXAMPLES, "+1", "+44", "+351", "+7", "+39", "+800"]), SEPARATED)
def test_any_digits_after_a_country_code_get_the_library_answer(
    start: str, rest: list[tuple[str, str]]
) -> None:
    value = start.split(" ", maxsplit=1)[0] + "".join(sep + digits for digits, sep in rest)
    assert ours(LibraryContactDetails(), value, "PT") == library(value, "PT"), value


@settings(max_examples=300)
@given(
    st.sampled_from(EXAMPLES),
    st.integers(min_value=0, max_value=20),
    st.sampled_from("0123456789 -"),
)
def test_an_example_with_one_character_changed_gets_the_library_answer(
    example: str, where: int, character: str
) -> None:
    at = min(where, len(example) - 1)
    value = example[:at] + character + example[at + 1 :]
    assert ours(LibraryContactDetails(), value, None) == library(value, None), value
