"""Email addresses checked with each domain once (issue 12): the answer is always the one
``email_validator`` gives for the whole address, whatever was remembered before."""

from __future__ import annotations

import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import given, settings
from hypothesis import strategies as st

from followup.adapters.contact_details import LibraryContactDetails

LOCAL = st.text("abcXYZ019._+-!#$%&'*/=?^`{|}~\"(),:;<>@[\\] é", min_size=0, max_size=70)
DOMAINS = [
    "example.com", "Example.COM", "c1.example", "x.io", "a..b.com", "-a.com", "a-.com",
    "localhost", "b", "xn--mnchen-3ya.de", "münchen.de", "[127.0.0.1]", "a.invalid",
    "com", "a.test", "1.2.3.4", "a_b.com", "ab" * 40 + ".com",
]  # fmt: skip
DOMAIN = st.one_of(st.sampled_from(DOMAINS), st.text("abc.-_0é", min_size=0, max_size=20))


def library(address: str) -> str | None:
    try:
        return str(validate_email(address.strip(), check_deliverability=False).normalized)
    except EmailNotValidError:
        return None


def ours(details: LibraryContactDetails, address: str) -> str | None:
    try:
        return details.email(address)
    except ValueError:
        return None


@settings(max_examples=400)
@given(st.lists(st.tuples(LOCAL, DOMAIN), min_size=1, max_size=6))
def test_a_remembered_domain_gives_the_library_answer(addresses: list[tuple[str, str]]) -> None:
    details = LibraryContactDetails()  # one checker: domains seen before are remembered
    for local, domain in addresses:
        address = f"{local}@{domain}"
        assert ours(details, address) == library(address), address


@pytest.mark.parametrize(
    "address",
    [
        "Ana@Example.COM",
        "POSTMASTER@x.io",
        "Info@Example.com",
        "a..b@x.io",
        ".a@x.io",
        "a@-x.io",
        "a@x..io",
        "a b@x.io",
        "a@b",
        "a@xn--mnchen-3ya.de",
        '"quoted"@x.io',
        "Ana <ana@x.io>",
        "a" * 65 + "@x.io",
        "a@" + "b" * 64 + ".com",
        "a@[127.0.0.1]",
    ],
)
def test_known_addresses_are_answered_as_the_library_does(address: str) -> None:
    details = LibraryContactDetails()
    details.email("someone@x.io")  # x.io remembered first
    details.email("someone@example.com")
    assert ours(details, address) == library(address)


def test_a_refused_address_gives_the_library_reason() -> None:
    details = LibraryContactDetails()
    details.email("ana@x.io")
    with pytest.raises(ValueError, match=r"^'a\.\.b@x\.io' is not a valid email address \(An "):
        details.email("a..b@x.io")
