"""The server's mail allow-list at work (``domain.mail_rules``): names resolved, judged,
and the connection made to the very address that was judged.

A name is checked when the seeker saves it and again each time the worker connects: a
name that resolved to a public address on Monday may resolve to 127.0.0.1 on Tuesday
(or between the check and the connection, "DNS rebinding"). So at connect time the name
is resolved once, every address it gives is judged, and the socket is opened to one of
those addresses (``pinned``), while TLS still checks the certificate against the name.

The administrator's escape hatch, from the environment of ``followup server run`` and
``followup server worker``:

- ``FOLLOWUP_MAIL_ALLOWED_HOSTS``: host names or addresses (separated by commas or
  spaces) taken as they are, e.g. the centre's own relay on its private network;
- ``FOLLOWUP_MAIL_CA_FILE``: a CA certificate file trusted for those hosts only (a
  private relay's certificate); every other server is checked against the public CAs.
"""

from __future__ import annotations

import os
import re
import socket
from collections.abc import Callable
from dataclasses import dataclass, replace

from followup.domain.errors import InvalidInput, MailFailed
from followup.domain.mail_rules import HOSTS, ServerMailRules, is_address
from followup.domain.mailbox import MailSettings

ALLOWED_HOSTS = "FOLLOWUP_MAIL_ALLOWED_HOSTS"
CA_FILE = "FOLLOWUP_MAIL_CA_FILE"


def resolve(key: str, host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to; ``InvalidInput`` naming ``key`` when none."""
    if is_address(host):
        return [host]
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as e:
        raise InvalidInput(
            f"{key}: {host} cannot be found ({getattr(e, 'strerror', None) or e}); check the name",
            field=key,
        ) from None
    return list(dict.fromkeys(str(info[4][0]) for info in found))


@dataclass(frozen=True, slots=True)
class ServerMailHosts:
    """The rules, the resolver and the administrator's CA file, together."""

    rules: ServerMailRules
    ca_file: str | None = None

    @classmethod
    def from_environment(cls) -> ServerMailHosts:
        hosts = re.split(r"[\s,]+", os.environ.get(ALLOWED_HOSTS, ""))
        return cls(ServerMailRules.of(hosts), os.environ.get(CA_FILE, "").strip() or None)

    def check(self, settings: MailSettings) -> None:
        """What a seeker saves: refused settings, then each host set, resolved."""
        self.rules.check_settings(settings)
        for key, _ in HOSTS:
            name = key.removeprefix("mail.")
            if host := getattr(settings, name):
                self.pinned(key, host, getattr(settings, name.replace("_host", "_port")))

    def pinned(self, key: str, host: str, port: int) -> str:
        """The address to connect to for ``host``: every address it resolves to is judged
        (an allowed host is connected to by its name, as given)."""
        if self.rules.is_allowed(host):
            return host
        addresses = resolve(key, host, port)
        self.rules.check_addresses(key, host, addresses)
        return addresses[0]

    def guarded(
        self, settings: MailSettings, key: str
    ) -> tuple[MailSettings, Callable[[str, int], str]]:
        """``settings`` as the server uses them to reach ``key``'s host (the
        administrator's CA file for an allowed host, no other), and the check made again
        at each connection: the address to connect to, or ``MailFailed`` (not sent)."""
        host = getattr(settings, key.removeprefix("mail.")) or ""
        trusted = self.ca_file if host and self.rules.is_allowed(host) else None

        def connect_to(host: str, port: int) -> str:
            try:
                self.rules.check_settings(settings)  # as stored, whoever wrote them
                return self.pinned(key, host, port)
            except InvalidInput as e:
                raise MailFailed(str(e)) from None

        return replace(settings, ca_file=trusted, allow_plaintext_local=False), connect_to
