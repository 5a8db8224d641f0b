"""``config show`` / ``config set``: one spec (the Policy's field metadata) drives both.

Changing a setting changes the plan of every application, so a change re-plans them
all in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from followup.domain.policy import MAXIMUM, POLICY_KEYS
from followup.domain.settings import Settings
from followup.errors import InvalidInput
from followup.services.records import check_text
from followup.services.session import Deps, writing


@dataclass(frozen=True, slots=True)
class SettingRow:
    key: str
    value: str | int | None
    default: str | int | None
    rule: str
    help: str


def describe(settings: Settings) -> list[SettingRow]:
    rows = [
        SettingRow(
            "timezone", settings.timezone, "the system's", "-", "IANA time zone of your days"
        ),
        SettingRow(
            "country", settings.country, None, "-", "country whose public holidays are days off"
        ),
        SettingRow(
            "name",
            settings.name,
            None,
            "-",
            "your name, to sign the email drafts and head the proof of applications",
        ),
    ]
    for key in POLICY_KEYS.values():
        rows.append(
            SettingRow(
                key.name,
                getattr(settings.policy, key.name),
                key.default,
                key.rule,
                f"{key.help} ({key.minimum} to {MAXIMUM})",
            )
        )
    return rows


def show(deps: Deps) -> Settings:
    with deps.store.reading() as repo:
        return repo.load_settings()


def set_value(deps: Deps, key: str, value: str, now: datetime | None = None) -> Settings:
    return update(deps, {key: value}, now)


def update(deps: Deps, changes: dict[str, str], now: datetime | None = None) -> Settings:
    """Several settings at once, all or nothing; re-plans everything if the plan moves.

    ``mail.*`` keys set the mail settings (issue 4), which the plan does not depend on.
    """
    with writing(deps, now) as s:
        settings, mail = s.settings, s.repo.load_mail_settings()
        for key, value in changes.items():
            if key.startswith("mail."):
                mail = mail.with_value(key, value)
            else:
                settings = parse(deps, settings, key, value)
        s.change_settings(settings)
        if mail != s.repo.load_mail_settings():
            s.repo.save_mail_settings(mail)
        return settings


def describe_mail(deps: Deps) -> list[SettingRow]:
    with deps.store.reading() as repo:
        mail = repo.load_mail_settings()
    from followup.domain.mailbox import MAIL_HELP, MailSettings  # noqa: PLC0415

    defaults = MailSettings().as_text()
    return [
        SettingRow(key, value or None, defaults[key] or None, "-", MAIL_HELP[key])
        for key, value in mail.as_text().items()
    ]


def parse(deps: Deps, settings: Settings, key: str, value: str) -> Settings:
    text = value.strip()
    if key == "name":
        return replace(settings, name=check_text(text, "name"))
    if key == "timezone":
        from followup.services.interchange import valid_zone  # noqa: PLC0415

        if not valid_zone(text):
            raise InvalidInput(
                f"timezone: unknown time zone {text!r} (an IANA name, e.g. Europe/Lisbon)",
                field=key,
            )
        return replace(settings, timezone=text)
    if key == "country":
        if text.lower() in ("", "none", "-"):
            return replace(settings, country=None)
        if not deps.holidays.is_supported(text):
            raise InvalidInput(
                f"country: no holiday calendar for {text!r} (an ISO code, e.g. PT)", field=key
            )
        return replace(settings, country=text.upper())
    if key not in POLICY_KEYS:
        known = ", ".join(["timezone", "country", "name", *POLICY_KEYS])
        raise InvalidInput(f"unknown setting {key!r} (settings: {known})", field=key)
    try:
        number = int(text)
    except ValueError:
        raise InvalidInput(f"{key}: {value!r} is not a whole number", field=key) from None
    try:
        return replace(settings, policy=settings.policy.with_values({key: number}))
    except ValueError as e:
        raise InvalidInput(str(e), field=key) from None
