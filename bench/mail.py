"""``followup sync`` on a 2,000-message folder with attachments: time and peak memory.

A Dovecot of our own (as the mail tests run it) gets 2,000 messages: most from strangers
(newsletters, receipts), every tenth with a 2 MB attachment, the others with 30 KB; 40
are replies to a follow-up. ``sync --json`` then runs as a fresh process, twice: the
first run reads the whole folder (headers and text parts only), the second finds
nothing new. Run alone with ``python -m bench.mail``; ``make bench`` runs it too.
"""

from __future__ import annotations

import imaplib
import os
import sys
import tempfile
import time
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from bench.build import FOLLOWUP
from bench.measure import measured

MESSAGES = 2000
BIG = 2_000_000
SMALL = 30_000


def message(i: int) -> bytes:
    from tests.mail.support import NOW

    m = EmailMessage()
    reply = i % 50 == 0
    m["From"] = "Ana Sousa <ana@acme.example>" if reply else f"news{i % 97}@shop{i % 13}.example"
    m["To"] = "maria@mail.example"
    m["Subject"] = "Re: Following up" if reply else f"Your weekly digest {i}"
    m["Date"] = format_datetime(NOW)
    m["Message-ID"] = f"<bench-{i}@example>"
    if reply:
        m["In-Reply-To"] = "<sent-1@mail.example>"
    m.set_content(
        "We have not made a decision yet; we will decide by 20 March.\n"
        if reply
        else "Deals of the week.\n" * 50
    )
    m.add_alternative(f"<html><body><p>Message {i}</p></body></html>", subtype="html")
    size = BIG if i % 10 == 0 else SMALL
    m.add_attachment(os.urandom(size), maintype="application", subtype="pdf", filename="a.pdf")
    return bytes(m)


def run_sync(db: Path, env: dict[str, str]) -> tuple[float, float | None]:
    """Seconds and peak resident megabytes of one ``followup sync --json``.

    The peak is taken as every other command's is (:func:`bench.measure.measured`, under
    GNU time): the ``ru_maxrss`` of a child of this process would count the benchmark's
    own memory at the fork (about 300 MB here), whatever ``sync`` used.
    """
    run = measured([FOLLOWUP, "--db", str(db), "sync", "--json"], env, memory=True)
    return run.seconds, run.peak_mb


def measure() -> dict[str, Any] | None:
    from tests.mail.conftest import (
        PASSWORD,
        dovecot_binaries,
        make_tls,
        running_dovecot,
    )
    from tests.mail.support import APP, NOW, configure_imap, search

    from followup.domain.model import Outcome
    from followup.services import touches

    binaries = dovecot_binaries()
    if binaries is None:
        print("Dovecot not found (apt-get install dovecot-imapd): sync skipped", file=sys.stderr)
        return None
    with tempfile.TemporaryDirectory() as folder:
        tls = make_tls(Path(folder))
        with running_dovecot(tls, *binaries) as dovecot:
            start = time.perf_counter()
            with dovecot.client() as conn:
                conn.create("Bench")
                for i in range(MESSAGES):
                    conn.append("Bench", None, imaplib.Time2Internaldate(time.time()), message(i))
            filled = time.perf_counter() - start
            db = Path(folder) / "bench.db"
            deps = search(db)
            configure_imap(deps, dovecot.ssl_port, tls, folders="Bench")
            touches.log_touch(
                deps,
                APP,
                touches.TouchInput(Outcome.SENT, at=NOW, message_id="<sent-1@mail.example>"),
                now=NOW,
            )
            deps.store.close()  # type: ignore[attr-defined]
            env = {**os.environ, "FOLLOWUP_IMAP_PASSWORD": PASSWORD}
            first_s, first_mb = run_sync(db, env)
            again_s, again_mb = run_sync(db, env)
            size = sum(p.stat().st_size for p in (dovecot.root / "mail").rglob("*") if p.is_file())
    return {
        "messages": MESSAGES,
        "folder_mb": size / 1e6,
        "fill_s": filled,
        "first_sync_s": first_s,
        "first_sync_peak_mb": first_mb,
        "next_sync_s": again_s,
        "next_sync_peak_mb": again_mb,
    }


def markdown(row: dict[str, Any] | None) -> str:
    if row is None:
        return "`sync`: skipped (no Dovecot)."
    return (
        f"`sync` of a {row['messages']:,}-message folder ({row['folder_mb']:,.0f} MB with "
        f"attachments): {row['first_sync_s']:.1f} s and {_mb(row['first_sync_peak_mb'])} at "
        f"most the first time; {row['next_sync_s']:.2f} s ({_mb(row['next_sync_peak_mb'])}) "
        "when nothing is new."
    )


def _mb(peak: float | None) -> str:
    return "? MB (no /usr/bin/time)" if peak is None else f"{peak:.0f} MB"


if __name__ == "__main__":
    print(markdown(measure()))
