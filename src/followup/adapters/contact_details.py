"""Email addresses and phone numbers checked by well-kept libraries (R2).

``email-validator`` checks the syntax (no DNS lookup: followup never connects anywhere
unasked; a domain is checked once, however many addresses share it) and ``phonenumbers``
validates a number against its country's plan and writes it in international format,
which also makes a ``tel:`` link unambiguous. Both are imported on first use, by the
commands that record contact details only.
"""

from __future__ import annotations

import functools
import re
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

    quick = _quick_email_checker()

    def check(value: str) -> str:
        text = value.strip()
        found = quick(text)
        if found is not None:
            return found
        try:
            result = validate_email(text, check_deliverability=False)
        except EmailNotValidError as e:
            raise ValueError(f"{value!r} is not a valid email address ({e})") from None
        return str(result.normalized)

    return check


#: Distinct domains whose check is remembered: an import of 100,000 addresses at 20,000
#: companies checks each company's domain once; a server that runs for months stays bounded.
DOMAINS = 65_536
#: An address the quick path may take: ASCII, one ``@``, no quotes, brackets, spaces or
#: backslashes (no quoted local part, display name or IP address), no IDNA domain.
_PLAIN = re.compile(r"[!#-'*-9=?A-Z^-~]{1,64}@[A-Za-z0-9.-]{1,189}")


def _quick_email_checker() -> Callable[[str], str | None]:
    """The common address checked in parts: its domain once per distinct domain.

    ``email_validator`` spends most of a check on the domain (IDNA, UTS #46), and an
    import repeats a company's domain for each of its people: 11 s of an import of
    100,000 applications. The local part goes through the library's own check, the
    domain through the whole of it, once. Only a valid address is answered here
    (``None`` otherwise): a refused one is checked again whole, for the library's own
    reason, so the outcome is the library's in every case (a property test holds it to
    that).
    """
    from email_validator import EmailNotValidError, validate_email  # noqa: PLC0415
    from email_validator.rfc_constants import CASE_INSENSITIVE_MAILBOX_NAMES  # noqa: PLC0415
    from email_validator.syntax import validate_email_local_part  # noqa: PLC0415

    mailboxes = frozenset(CASE_INSENSITIVE_MAILBOX_NAMES)

    @functools.lru_cache(maxsize=DOMAINS)
    def domain_of(name: str) -> str | None:
        try:
            return str(validate_email(f"a@{name}", check_deliverability=False).domain)
        except EmailNotValidError:
            return None

    def check(text: str) -> str | None:
        if not _PLAIN.fullmatch(text) or "xn--" in text.lower():
            return None
        local, _, name = text.partition("@")
        domain = domain_of(name)
        if domain is None:
            return None
        try:
            found = validate_email_local_part(local)["local_part"]
        except EmailNotValidError:
            return None
        if found.lower() in mailboxes:  # RFC 2142: these name no person, in any case
            found = found.lower()
        return f"{found}@{domain}"

    return check


def _phone_checker() -> Callable[[str, str | None], str]:
    import phonenumbers  # noqa: PLC0415

    international: Any = phonenumbers.PhoneNumberFormat.INTERNATIONAL
    written = _international_checker()

    def check(value: str, country: str | None) -> str:
        text = value.strip()
        found = written(text)
        if found is not None:
            return found
        try:
            number = phonenumbers.parse(text, country)
        except phonenumbers.NumberParseException:
            hint = "" if text.startswith("+") or country else " (start with + and the country code)"
            raise ValueError(f"{value!r} is not a phone number{hint}") from None
        if not phonenumbers.is_valid_number(number):
            raise ValueError(f"{value!r} is not a valid phone number")
        return str(phonenumbers.format_number(number, international))

    return check


#: A number that may already be written as the library writes it: ``+``, the country
#: code, then digits in groups (spaces or hyphens between them), no extension.
_WRITTEN = re.compile(r"\+[1-9][0-9]{0,2}[ -][0-9][0-9 -]{2,24}[0-9]")


def _international_checker() -> Callable[[str], str | None]:
    """A number already in international format, checked without parsing it.

    ``phonenumbers.parse`` is two thirds of a check (the import of 100,000 applications
    checks 70,000 distinct numbers, about as written by ``followup export``). A string
    that may be one (:data:`_WRITTEN`) is taken apart here: the country code (the
    codes are prefix-free: at most one of the first three lengths is one), the national
    number, that number validated and written by the library. Only when the library
    writes it back exactly as it came is the text answered (it is then what the whole
    check returns); anything else (``None``) goes through the whole check. National
    digits that start with a 0 or with the country's national prefix are left to the
    library too: ``parse`` may strip or keep those, and a property test holds this path
    to the library's answer.
    """
    import phonenumbers  # noqa: PLC0415
    from phonenumbers import PhoneMetadata, PhoneNumber  # noqa: PLC0415
    from phonenumbers.phonenumberutil import COUNTRY_CODE_TO_REGION_CODE  # noqa: PLC0415

    international: Any = phonenumbers.PhoneNumberFormat.INTERNATIONAL
    separators = str.maketrans("", "", " -")

    @functools.cache
    def national_prefix(code: int) -> re.Pattern[str] | None:
        region = COUNTRY_CODE_TO_REGION_CODE[code][0]
        metadata = PhoneMetadata.metadata_for_region_or_calling_code(code, region)
        if metadata is None:
            return None
        pattern = metadata.national_prefix_for_parsing
        return re.compile(pattern) if pattern else None

    def check(text: str) -> str | None:
        if not _WRITTEN.fullmatch(text):
            return None
        digits = text[1:].translate(separators)
        for size in (1, 2, 3):
            code = int(digits[:size])
            if code in COUNTRY_CODE_TO_REGION_CODE:
                break
        else:
            return None
        national = digits[size:]
        prefix = national_prefix(code)
        if national[:1] == "0" or (prefix is not None and prefix.match(national)):
            return None
        number = PhoneNumber(country_code=code, national_number=int(national))
        if not phonenumbers.is_valid_number(number):
            return None
        if phonenumbers.format_number(number, international) != text:
            return None
        return text

    return check
