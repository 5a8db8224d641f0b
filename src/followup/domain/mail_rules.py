"""What a seeker may ask the server's mail to do (issue 15, item 5): the allow-list.

On a shared server the mail settings are typed by people who must not reach what only the
server can: its own files (``mail.ca_file`` names a file on the server), its private
network (an SMTP "server" at 10.0.0.5 or 127.0.0.1 is a port scan, or a way to talk to a
service behind the firewall), or a server without TLS (``mail.allow_plaintext_local``
is the local mode's exception for a server on the user's own machine, which on the
server is the server's machine). So, on the server:

- ``mail.ca_file`` and ``mail.allow_plaintext_local`` cannot be set, and security
  ``none`` is refused (TLS always, certificates checked against the public CAs);
- a host must be a public one: an address that is loopback, private, link-local,
  shared (CGNAT), reserved, multicast or unspecified is refused, and so is a name that
  resolves to any such address;
- except the hosts the server's administrator names (``FOLLOWUP_MAIL_ALLOWED_HOSTS``,
  e.g. the centre's own relay): these are taken as they are, and the administrator's
  CA file (``FOLLOWUP_MAIL_CA_FILE``) is trusted for them.

Pure: the names are resolved by the caller (an adapter), here only judged.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from followup.domain.errors import InvalidInput
from followup.domain.mailbox import MailSettings, Security

#: The settings a seeker cannot set on the server, and why.
SERVER_ONLY = {
    "mail.ca_file": "names a file on the server; the server trusts the public CAs "
    "(its administrator can add one for their own mail server)",
    "mail.allow_plaintext_local": "is for a mail server on your own machine, which on "
    "the server is the server's machine",
}
#: The hosts of the mail settings: (setting, its security setting).
HOSTS = (("mail.smtp_host", "smtp_security"), ("mail.imap_host", "imap_security"))


@dataclass(frozen=True, slots=True)
class ServerMail:
    """What the server keeps of a seeker's mail (``services.mail_account``)."""

    settings: MailSettings
    #: For each kind ("smtp", "imap") with a password kept: the (login, host) it is for.
    passwords: Mapping[str, tuple[str, str]]
    digest: bool
    timezone: str


def non_public(address: str) -> str | None:
    """Why ``address`` (an IP address) is not on the public internet; None if it is."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "not an address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for test, why in (
        (ip.is_unspecified, "unspecified"),
        (ip.is_loopback, "loopback"),
        (ip.is_link_local, "link-local"),
        (ip.is_multicast, "multicast"),
        (ip.is_private, "private"),
        (ip.is_reserved, "reserved"),
    ):
        if test:
            return why
    if not ip.is_global:  # 100.64.0.0/10 (shared, CGNAT) and other special ranges
        return "not public"
    return None


def is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class ServerMailRules:
    """The server's allow-list; ``allowed`` are the administrator's hosts (lower case)."""

    allowed: frozenset[str] = frozenset()

    @classmethod
    def of(cls, hosts: Iterable[str]) -> ServerMailRules:
        return cls(frozenset(h.strip().lower().rstrip(".") for h in hosts if h.strip()))

    def is_allowed(self, host: str) -> bool:
        return host.strip().lower().rstrip(".") in self.allowed

    def check_settings(self, settings: MailSettings) -> None:
        """The settings refused whatever the hosts (``InvalidInput`` naming the first)."""
        for key, why in SERVER_ONLY.items():
            value = getattr(settings, key.removeprefix("mail."))
            if value:
                raise InvalidInput(
                    f"{key} cannot be set on the server: it {why}; leave it empty", field=key
                )
        for _, security in HOSTS:
            if getattr(settings, security) is Security.NONE:
                name = f"mail.{security}"
                raise InvalidInput(
                    f"{name}: none (no TLS) is not allowed on the server; use ssl or starttls",
                    field=name,
                )

    def check_addresses(self, key: str, host: str, addresses: Iterable[str]) -> None:
        """Refuse ``host`` (the value of ``key``) when it is, or resolves to, an address
        off the public internet, unless the administrator allowed it."""
        if self.is_allowed(host):
            return
        for address in addresses:
            why = non_public(address)
            if why is None:
                continue
            what = host if address == host else f"{host} ({address})"
            raise InvalidInput(
                f"{key}: {what} is not on the public internet ({why} address); this "
                "server only connects to public mail servers (its administrator can "
                "allow one with FOLLOWUP_MAIL_ALLOWED_HOSTS)",
                field=key,
            )
