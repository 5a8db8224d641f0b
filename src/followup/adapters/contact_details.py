"""Email addresses and phone numbers checked by well-kept libraries (R2).

``email-validator`` checks the syntax (no DNS lookup: followup never connects anywhere
unasked) and ``phonenumbers`` validates a number against its country's plan and
writes it in international format, which also makes a ``tel:`` link unambiguous.
Both are imported only by the commands that record contact details.
"""

from __future__ import annotations


class LibraryContactDetails:
    def email(self, value: str) -> str:
        from email_validator import EmailNotValidError, validate_email  # noqa: PLC0415

        try:
            result = validate_email(value.strip(), check_deliverability=False)
        except EmailNotValidError as e:
            raise ValueError(f"{value!r} is not a valid email address ({e})") from None
        return str(result.normalized)

    def phone(self, value: str, country: str | None) -> str:
        import phonenumbers  # noqa: PLC0415

        text = value.strip()
        try:
            number = phonenumbers.parse(text, country)
        except phonenumbers.NumberParseException:
            hint = (
                "" if text.startswith("+") or country else " (start it with + and the country code)"
            )
            raise ValueError(f"{value!r} is not a phone number{hint}") from None
        if not phonenumbers.is_valid_number(number):
            raise ValueError(f"{value!r} is not a valid phone number")
        return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL))


def tel_uri(phone: str) -> str:
    """``tel:+351912345678`` from a number already in international format."""
    return "tel:" + "".join(ch for ch in phone if ch.isdigit() or ch == "+")
