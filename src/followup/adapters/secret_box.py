"""The server's secrets at rest (issue 15): mail passwords sealed with the server's key.

``FOLLOWUP_SECRET_KEY`` is the server's key; each use of it gets a key of its own,
derived by HKDF-SHA256 with a label (so the key that seals mail passwords is never the
one another part of the server may derive for something else). Sealing is Fernet
(AES-128-CBC with HMAC-SHA256, from the ``cryptography`` package): a token cannot be
read or altered without the key.

What is sealed is not the password alone but the password with where it belongs (the
seeker, smtp or imap, the login and the host): a token copied onto another seeker's row
or another server no longer opens, so a write to the database cannot send one seeker's
password to a server another person chose.

Rotation: a new key goes in ``FOLLOWUP_SECRET_KEY`` and the old ones in
``FOLLOWUP_OLD_SECRET_KEYS`` (separated by spaces or commas); every token opens with any
of them (``MultiFernet``), new ones are sealed with the new key, and
``followup server rotate-key`` re-seals the stored ones so the old key can go.
"""

from __future__ import annotations

import base64
import json
import os
import re
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from followup.errors import InvalidInput, MailFailed

#: The fewest characters a server key may have: a key typed by hand is guessable.
MINIMUM_KEY_LENGTH = 32
_MAIL_LABEL = b"followup mail passwords v1"


@dataclass(frozen=True, slots=True)
class Where:
    """What a sealed password belongs to; a token opens only for the same."""

    seeker: int
    kind: str  # "smtp" or "imap"
    user: str
    host: str

    def as_bytes(self) -> bytes:
        return json.dumps([self.seeker, self.kind, self.user, self.host]).encode()


def _derived(secret: str, label: bytes) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=label).derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(key))


class SecretBox:
    """Seals and opens mail passwords with the server's key (and any older ones)."""

    def __init__(self, key: str, old_keys: tuple[str, ...] = ()) -> None:
        for k in (key, *old_keys):
            if len(k) < MINIMUM_KEY_LENGTH:
                raise InvalidInput(
                    f"FOLLOWUP_SECRET_KEY: {len(k)} characters, at least "
                    f"{MINIMUM_KEY_LENGTH} needed (make one with: python3 -c "
                    "'import secrets; print(secrets.token_urlsafe(32))')",
                    field="FOLLOWUP_SECRET_KEY",
                )
        self._fernet = MultiFernet([_derived(k, _MAIL_LABEL) for k in (key, *old_keys)])

    @classmethod
    def from_environment(cls) -> SecretBox:
        key = os.environ.get("FOLLOWUP_SECRET_KEY", "").strip()
        if not key:
            raise InvalidInput(
                "FOLLOWUP_SECRET_KEY is not set: the server seals mail passwords with it "
                "(make one with: python3 -c 'import secrets; print(secrets.token_urlsafe(32))')",
                field="FOLLOWUP_SECRET_KEY",
            )
        old = os.environ.get("FOLLOWUP_OLD_SECRET_KEYS", "")
        return cls(key, tuple(k for k in re.split(r"[\s,]+", old) if k))

    def seal(self, where: Where, password: str) -> str:
        payload = json.dumps({"for": where.as_bytes().decode(), "password": password})
        return self._fernet.encrypt(payload.encode()).decode("ascii")

    def open(self, where: Where, token: str) -> str:
        """The password; ``MailFailed`` (never the token) when it cannot be read here."""
        try:
            payload = json.loads(self._fernet.decrypt(token.encode("ascii")))
        except (InvalidToken, ValueError):
            raise MailFailed(
                f"the {where.kind} password of {where.user} at {where.host} cannot be read "
                "with FOLLOWUP_SECRET_KEY (was the key changed without keeping the old one "
                "in FOLLOWUP_OLD_SECRET_KEYS?): set it again"
            ) from None
        if payload.get("for") != where.as_bytes().decode():
            raise MailFailed(
                f"the {where.kind} password stored for {where.user} at {where.host} was "
                "sealed for another account or server: set it again"
            )
        return str(payload["password"])

    def reseal(self, token: str) -> str:
        """The same token sealed with the current key (``rotate-key``)."""
        try:
            return self._fernet.rotate(token.encode("ascii")).decode("ascii")
        except InvalidToken:
            raise MailFailed(
                "a stored password cannot be read with any of the keys given: keep the key "
                "it was sealed with in FOLLOWUP_OLD_SECRET_KEYS"
            ) from None
