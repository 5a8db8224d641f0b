"""One seeker's slow request does not hold another's (``web/threads.py``), on a real
``followup server run`` (one worker process, one event loop) and a real PostgreSQL.

Seeker A's write waits for A's write lock, held by a transaction of the test (as a long
import or a job would hold it). While PostgreSQL shows A's request waiting for it, seeker B
writes and reads: with the requests in threads (the default) B is answered before A's lock
is let go; in the event loop (``FOLLOWUP_SERVER_THREADS=0``, the local app's way) B waits
for A. The evidence is the order of events, not a duration.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx2
import psycopg
import pytest

from followup import bootstrap
from followup.services import signin
from tests.integration.test_pg_server_run import serving
from tests.server_support import add, configure


def _waiting_for_lock(url: str, seeker: int) -> bool:
    """Whether a session waits for the advisory lock keyed by ``seeker`` (the store's)."""
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            " AND classid = 0 AND objid = %s",
            (seeker,),
        ).fetchone()
    return bool(row and row[0])


@pytest.mark.parametrize("threads", ["4", "0"])
def test_a_write_waiting_for_its_lock_holds_only_its_own_request(
    threads: str, pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(monkeypatch, pg_url)
    monkeypatch.setenv("FOLLOWUP_SERVER_THREADS", threads)
    a, b = add(password=None), add(password=None)
    tokens = {who.id: signin.new_token(bootstrap.server_signins(), who) for who in (a, b)}
    events: list[str] = []
    answers: dict[str, int] = {}

    def request(who: int, name: str, method: str, path: str, body: object = None) -> None:
        headers = {"authorization": f"Bearer {tokens[who]}"}
        with httpx2.Client(base_url=base, timeout=120) as http:
            answers[name] = http.request(method, path, json=body, headers=headers).status_code
        events.append(name)

    new = {"company": "Slowpoke Ltd", "position": "Engineer"}
    with serving(pg_url, tmp_path, "--workers", "1") as (base, _):
        holder = psycopg.connect(pg_url)  # a transaction holding A's write lock
        holder.execute("SELECT pg_advisory_xact_lock(%s)", (a.id,))
        slow = threading.Thread(target=request, args=(a.id, "A writes", "POST", "/api/applications", new))  # fmt: skip
        slow.start()
        try:
            deadline = time.monotonic() + 60
            while not _waiting_for_lock(pg_url, a.id):
                assert time.monotonic() < deadline, "A's write never waited for its lock"
                time.sleep(0.05)

            def seeker_b() -> None:
                request(b.id, "B writes", "POST", "/api/applications", new)
                request(b.id, "B reads", "GET", "/api/applications")

            other = threading.Thread(target=seeker_b)
            other.start()
            other.join(timeout=30 if threads != "0" else 3)
            events.append("A's lock let go")
        finally:
            holder.rollback()
            holder.close()
        slow.join(timeout=60)
        other.join(timeout=60)
    if threads == "0":  # the event loop's way: B waited behind A's wait
        assert events[0] == "A's lock let go", events
    else:
        assert events == ["B writes", "B reads", "A's lock let go", "A writes"]
    assert answers == {"A writes": 201, "B writes": 201, "B reads": 200}
