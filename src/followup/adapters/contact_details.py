"""Email addresses and phone numbers checked by well-kept libraries (R2).

``email-validator`` checks the syntax (no DNS lookup: followup never connects anywhere
unasked) and ``phonenumbers`` validates a number against its country's plan and
writes it in international format, which also makes a ``tel:`` link unambiguous.
Both are imported on first use, by the commands that record contact details only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class LibraryContactDetails:
    def __init__(self) -> None:
        self._email: Callable[[str], str] | None = None
        self._phone: Callable[[str, str | None], str] | None = None

    def email(self, value: str) -> str:
        if self._email is None:
            self._email = _email_checker()
        return self._email(value)

    def phone(self, value: str, country: str | None) -> str:
        if self._phone is None:
            self._phone = _phone_checker()
        return self._phone(value, country)


def _email_checker() -> Callable[[str], str]:
    from email_validator import EmailNotValidError, validate_email  # noqa: PLC0415

    def check(value: str) -> str:
        try:
            result = validate_email(value.strip(), check_deliverability=False)
        except EmailNotValidError as e:
            raise ValueError(f"{value!r} is not a valid email address ({e})") from None
        return str(result.normalized)

    return check


def _phone_checker() -> Callable[[str, str | None], str]:
    import phonenumbers  # noqa: PLC0415

    international: Any = phonenumbers.PhoneNumberFormat.INTERNATIONAL

    def check(value: str, country: str | None) -> str:
        text = value.strip()
        try:
            number = phonenumbers.parse(text, country)
        except phonenumbers.NumberParseException:
            hint = "" if text.startswith("+") or country else " (start with + and the country code)"
            raise ValueError(f"{value!r} is not a phone number{hint}") from None
        if not phonenumbers.is_valid_number(number):
            raise ValueError(f"{value!r} is not a valid phone number")
        return str(phonenumbers.format_number(number, international))

    return check
