"""Password hashes with argon2id (argon2-cffi), the password hashing the OWASP cheat sheet
and RFC 9106 recommend: memory-hard, salted, its cost kept in the hash itself.

argon2-cffi's defaults are RFC 9106's second recommended profile (argon2id, 64 MiB, 3
passes, 4 lanes); a hash made with other parameters still verifies. Imported only on the
server's path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from argon2 import PasswordHasher


class Argon2Passwords:
    def __init__(self) -> None:
        self._hasher: PasswordHasher | None = None

    @property
    def hasher(self) -> PasswordHasher:
        if self._hasher is None:
            from argon2 import PasswordHasher  # noqa: PLC0415

            self._hasher = PasswordHasher()
        return self._hasher

    def hash(self, password: str) -> str:
        return self.hasher.hash(password)

    def verify(self, hashed: str, password: str) -> bool:
        """Whether ``password`` is the one ``hashed`` was made from (a malformed hash:
        no)."""
        from argon2.exceptions import InvalidHashError, VerificationError  # noqa: PLC0415

        try:
            return self.hasher.verify(hashed, password)
        except (VerificationError, InvalidHashError):
            return False
