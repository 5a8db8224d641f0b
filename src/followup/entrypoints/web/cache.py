"""Rendered pages, kept until the plan can change.

A page is a function of the records and of the moment. The records change only by
commits, which ``Store.change_token()`` reveals (this process's and others', the command
line's included); the moment matters only at the instants the plan changes by itself
(``PlanReader.changes_at()``: a segment boundary, a write's instant, midnight). Between
those, the same page is served again without touching the planner or the templates.

Pages are rendered with a marker where the CSRF token goes; each response puts the
requester's own token in its place. The cache keeps the page as rendered, never a
requester's copy of it.
"""

from __future__ import annotations

import secrets
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

#: Stands for the CSRF token in a rendered page. It starts with ``<``, which autoescaping
#: turns into ``&lt;`` in every text of a page: no record, however typed, can hold it.
TOKEN_MARKER = "<csrf-" + secrets.token_hex(16) + ">"


@dataclass(frozen=True, slots=True)
class Entry:
    token: object
    since: datetime
    until: datetime
    body: bytes


class PageCache:
    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._entries: OrderedDict[str, Entry] = OrderedDict()

    def get(self, key: str, token: object, now: datetime) -> bytes | None:
        entry = self._entries.get(key)
        if entry is None or entry.token != token or not entry.since <= now < entry.until:
            return None  # changed, or made for another moment (clocks can go back)
        self._entries.move_to_end(key)
        return entry.body

    def put(self, key: str, token: object, since: datetime, until: datetime, body: bytes) -> None:
        self._entries[key] = Entry(token, since, until, body)
        self._entries.move_to_end(key)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)
