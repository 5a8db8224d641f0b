"""The server's allow-list of mail settings (issue 15, item 5), the pure part: which
addresses are off the public internet, which settings a seeker cannot set there, and the
administrator's hosts that are taken as they are."""

from __future__ import annotations

import pytest

from followup.domain.errors import InvalidInput
from followup.domain.mail_rules import ServerMailRules, non_public
from followup.domain.mailbox import MailSettings, Security


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("127.0.0.1", "loopback"), ("127.8.9.10", "loopback"), ("::1", "loopback"),
        ("10.0.0.1", "private"), ("172.16.5.4", "private"), ("192.168.1.1", "private"),
        ("fd00::1", "private"), ("169.254.169.254", "link-local"), ("fe80::1", "link-local"),
        ("fe80::1%eth0", "link-local"), ("0.0.0.0", "unspecified"), ("::", "unspecified"),
        ("224.0.0.1", "multicast"), ("240.0.0.1", "private"), ("100.64.1.2", "not public"),
        ("192.0.2.7", "private"), ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:192.168.0.1", "private"), ("smtp.example.org", "not an address"),
        ("93.184.216.34", None), ("2606:2800:220:1:248:1893:25c8:1946", None),
        ("::ffff:93.184.216.34", None),
    ],
)  # fmt: skip
def test_what_is_off_the_public_internet(address: str, why: str | None) -> None:
    assert non_public(address) == why


def test_the_server_s_own_settings_and_no_tls_are_refused_naming_the_field() -> None:
    rules = ServerMailRules()
    rules.check_settings(MailSettings(smtp_host="smtp.example.org"))
    for settings, field in (
        (MailSettings(ca_file="/etc/shadow"), "mail.ca_file"),
        (MailSettings(allow_plaintext_local=True), "mail.allow_plaintext_local"),
        (MailSettings(smtp_security=Security.NONE), "mail.smtp_security"),
        (MailSettings(imap_security=Security.NONE), "mail.imap_security"),
    ):
        with pytest.raises(InvalidInput) as e:
            rules.check_settings(settings)
        assert e.value.field == field
        assert str(e.value).startswith(field)


def test_a_host_is_judged_by_every_address_it_has_unless_the_administrator_allows_it() -> None:
    rules = ServerMailRules.of(["Relay.Centre.Internal.", " 10.0.0.25 ", ""])
    assert rules.allowed == {"relay.centre.internal", "10.0.0.25"}
    rules.check_addresses("mail.smtp_host", "smtp.example.org", ["93.184.216.34"])
    rules.check_addresses("mail.smtp_host", "RELAY.centre.internal", ["10.0.0.25"])
    rules.check_addresses("mail.smtp_host", "10.0.0.25", ["10.0.0.25"])
    with pytest.raises(InvalidInput, match=r"^mail\.imap_host: mixed\.example \(10\.1\.1\.1\)"):
        rules.check_addresses("mail.imap_host", "mixed.example", ["93.184.216.34", "10.1.1.1"])
    with pytest.raises(InvalidInput, match="FOLLOWUP_MAIL_ALLOWED_HOSTS") as e:
        ServerMailRules().check_addresses("mail.smtp_host", "10.0.0.25", ["10.0.0.25"])
    assert e.value.field == "mail.smtp_host"
