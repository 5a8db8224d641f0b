"""The history's records as JSON: what the store keeps for each revision of an entry.

Applications use the interchange file's lossless record
(:func:`~followup.formats.interchange.application_to_json`), so the history needs no
second description of an application; the settings are written whole.
"""

from __future__ import annotations

from typing import Any

import orjson

# hashlib's own blake2b is this very class (hashlib never takes BLAKE2 from OpenSSL), but
# ``import hashlib`` first loads OpenSSL's libcrypto for the other algorithms: 3 ms of
# every write's start-up (issue 12). Where the module is missing, hashlib's is the same.
try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter built without it
    from hashlib import blake2b

from followup.domain.history import SETTINGS, Revision
from followup.domain.model import Application
from followup.domain.policy import POLICY_KEYS, Policy
from followup.domain.settings import Settings
from followup.formats.interchange import application_from_json, application_to_json


def settings_to_json(settings: Settings) -> dict[str, Any]:
    return {
        "timezone": settings.timezone,
        "country": settings.country,
        "policy": settings.policy.as_dict(),
        "name": settings.name,
    }


def settings_from_json(obj: dict[str, Any]) -> Settings:
    # Keys a later planner dropped are ignored, as the settings table does.
    policy = {k: v for k, v in obj["policy"].items() if k in POLICY_KEYS}
    return Settings(obj["timezone"], obj["country"], Policy().with_values(policy), obj["name"])


def fingerprint(record: Application | Settings | None) -> str | None:
    """A short hash of a record as stored: equal records, equal fingerprints."""
    if record is None:
        return None
    data = settings_to_json(record) if isinstance(record, Settings) else application_to_json(record)
    return blake2b(orjson.dumps(data, option=orjson.OPT_SORT_KEYS), digest_size=16).hexdigest()


def revisions_to_json(revisions: tuple[Revision, ...]) -> bytes:
    return orjson.dumps(
        [
            {
                "key": r.key,
                "before": _record_to_json(r.before),
                "after": r.after,
                "what": list(r.what),
            }
            for r in revisions
        ]
    )


def revisions_from_json(data: str | bytes) -> tuple[Revision, ...]:
    return tuple(
        Revision(
            key=item["key"],
            before=_record_from_json(item["key"], item["before"]),
            after=item["after"],
            what=tuple(item["what"]),
        )
        for item in orjson.loads(data)
    )


def _record_to_json(record: Application | Settings | None) -> dict[str, Any] | None:
    if record is None:
        return None
    if isinstance(record, Settings):
        return settings_to_json(record)
    return application_to_json(record)


def _record_from_json(key: str, obj: dict[str, Any] | None) -> Application | Settings | None:
    if obj is None:
        return None
    return settings_from_json(obj) if key == SETTINGS else application_from_json(obj)
