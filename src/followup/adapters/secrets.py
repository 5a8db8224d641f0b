"""Mail passwords: from the OS keyring, else an environment variable, else a private file.

They are never stored in the database, written to a log or an export, or shown in a
message: every error about a server names the server and the user, never the secret.
"""

from __future__ import annotations

import os
import stat

from followup.errors import MailFailed

SERVICE = "followup"
ENVIRONMENT = {"smtp": "FOLLOWUP_SMTP_PASSWORD", "imap": "FOLLOWUP_IMAP_PASSWORD"}


def account(kind: str, user: str, host: str) -> str:
    return f"{kind}:{user}@{host}"


def _keyring() -> object | None:
    """The OS keyring, or None when this machine has none (a server, a container)."""
    try:
        import keyring  # noqa: PLC0415 - slow to load its backends; mail commands only
        from keyring.backends import fail, null  # noqa: PLC0415
    except ImportError:  # pragma: no cover - a dependency
        return None
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring | null.Keyring):
        return None
    return keyring


def password(kind: str, user: str, host: str, config_dir: str) -> str | None:
    """The password for ``kind`` ("smtp" or "imap"), or None when none is configured."""
    keyring = _keyring()
    if keyring is not None:
        try:
            found = keyring.get_password(SERVICE, account(kind, user, host))  # type: ignore[attr-defined]
        except Exception:
            found = None
        if found:
            return str(found)
    if found_env := os.environ.get(ENVIRONMENT[kind]):
        return found_env
    path = os.path.join(config_dir, f"{kind}.password")
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise MailFailed(f"{path} can be read by others: chmod 600 {path}")
    with open(path, encoding="utf-8") as f:
        return f.read().strip() or None


def store(kind: str, user: str, host: str, secret: str) -> bool:
    """Keep the password in the OS keyring; False when there is none (use the env or a file)."""
    keyring = _keyring()
    if keyring is None:
        return False
    keyring.set_password(SERVICE, account(kind, user, host), secret)  # type: ignore[attr-defined]
    return True


def scrub(text: str, secret: str | None) -> str:
    """Never let a password reach a message, even if a server echoed it."""
    return text.replace(secret, "***") if secret else text
