"""The other ports' contracts: every fake the unit tests use keeps the promises of the real
adapter it stands for (clock, holidays, contact details, drafts), run against both."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import pytest

from followup.adapters.clock import FixedClock, SystemClock
from followup.adapters.contact_details import LibraryContactDetails
from followup.adapters.holidays import HolidaysPackage
from followup.adapters.templates import TemplateDrafts
from followup.domain.drafts import EmailDraft
from followup.services.ports import Clock, ContactDetails, Drafts, HolidaySource
from tests.fakes import FakeClock, FakeDetails, FakeDrafts, FakeHolidays

MOMENT = datetime(2026, 3, 9, 8, 30, tzinfo=UTC)
GOOD_FRIDAY = date(2026, 4, 3)  # a public holiday in Portugal
A_TUESDAY = date(2026, 3, 10)


T = TypeVar("T")


def pick(request: pytest.FixtureRequest, makers: dict[str, Callable[[], T]]) -> T:
    """The implementation this run of the test is about."""
    return makers[request.param]()


@pytest.fixture(params=["fake", "fixed"])
def fixed_clock(request: pytest.FixtureRequest) -> Clock:
    makers: dict[str, Callable[[], Clock]] = {
        "fake": lambda: FakeClock(MOMENT),
        "fixed": lambda: FixedClock(MOMENT),
    }
    return pick(request, makers)


def test_a_fixed_clock_gives_its_aware_instant(fixed_clock: Clock) -> None:
    assert fixed_clock.now() == MOMENT
    assert fixed_clock.now().tzinfo is not None


def test_the_system_clock_is_aware_and_now() -> None:
    now = SystemClock().now()
    assert now.tzinfo is not None
    assert abs(now - datetime.now(UTC)) < timedelta(minutes=1)


@pytest.fixture(params=["fake", "holidays"])
def holidays(request: pytest.FixtureRequest) -> HolidaySource:
    makers: dict[str, Callable[[], HolidaySource]] = {
        "fake": lambda: FakeHolidays({"PT": {GOOD_FRIDAY}}),
        "holidays": HolidaysPackage,  # no cache: the package itself
    }
    return pick(request, makers)


def test_holidays_of_a_country_and_of_none(holidays: HolidaySource) -> None:
    assert GOOD_FRIDAY in holidays("PT")
    assert A_TUESDAY not in holidays("PT")
    assert GOOD_FRIDAY not in holidays(None)  # no country: weekends only
    assert holidays.is_supported("PT")
    assert not holidays.is_supported("XX")
    holidays.forget()
    assert GOOD_FRIDAY in holidays("PT")  # forgetting a cache loses no holiday


@pytest.fixture(params=["fake", "library"])
def details(request: pytest.FixtureRequest) -> ContactDetails:
    makers: dict[str, Callable[[], ContactDetails]] = {
        "fake": FakeDetails,
        "library": LibraryContactDetails,
    }
    return pick(request, makers)


def test_an_email_is_trimmed_or_refused_in_one_line(details: ContactDetails) -> None:
    assert details.email("  ana.sousa@acme.example ") == "ana.sousa@acme.example"
    with pytest.raises(ValueError, match=r"^[^\n]+$"):
        details.email("ana.sousa")


def test_a_phone_is_international_or_refused_in_one_line(details: ContactDetails) -> None:
    phone = details.phone("+351 912 345 678", "PT")
    assert phone.startswith("+351")
    with pytest.raises(ValueError, match=r"^[^\n]+$"):
        details.phone("call me", "PT")


@pytest.fixture(params=["fake", "templates"])
def drafts(request: pytest.FixtureRequest, tmp_path: Path) -> Drafts:
    makers: dict[str, Callable[[], Drafts]] = {
        "fake": FakeDrafts,
        "templates": lambda: TemplateDrafts(lambda: str(tmp_path)),
    }
    return pick(request, makers)


@pytest.mark.parametrize("kind", ["thank_you", "status", "application", "withdraw"])
def test_a_draft_is_addressed_as_given_with_a_one_line_subject(drafts: Drafts, kind: str) -> None:
    draft = EmailDraft(
        kind=kind,
        to_name="Ana Sousa",
        to_email="ana@acme.example",
        company="Acme",
        position="Backend Engineer",
        interview_day=date(2026, 3, 3),
        applied_on=date(2026, 2, 20),
    )
    email = drafts.render(draft)
    assert (email.to_name, email.to_email) == ("Ana Sousa", "ana@acme.example")
    assert email.subject.strip()
    assert "\n" not in email.subject
    assert "Acme" in email.body
