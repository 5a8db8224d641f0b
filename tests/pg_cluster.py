"""A throwaway PostgreSQL cluster for the tests of the server store (issue 15).

The system's own binaries (Debian's ``postgresql`` package keeps them in
``/usr/lib/postgresql/NN/bin``) make a cluster in a temporary folder, listening on a free
port of 127.0.0.1 only, and remove it at the end. As root (CI runs as root), ``initdb``
and the server run as the ``postgres`` user, since PostgreSQL refuses to run as root.

Each pytest-xdist worker starts its own cluster (about two seconds): nothing is shared
between workers, so no test waits for another worker's locks and no state leaks across.
Durability is switched off (``fsync``, ``synchronous_commit``): a test cluster that
crashes is thrown away anyway.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

INSTALL = "needs PostgreSQL's server binaries: sudo apt-get install postgresql"


def binaries() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``: on PATH, else Debian's newest."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(os.path.realpath(found)).parent
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    return Path(candidates[-1]).parent if candidates else None


def require_binaries() -> Path:
    """The binaries, or a skip saying how to install them (a failure under CI)."""
    found = binaries()
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the PostgreSQL tests: {INSTALL}")
        pytest.skip(INSTALL)
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True)
class Cluster:
    """A running cluster: the superuser ``postgres`` logs in without a password, over
    127.0.0.1 only (``trust``: nobody else can reach a throwaway cluster's port)."""

    root: Path
    port: int
    bin: Path

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """A new empty database (from ``template0``); its URL."""
        import psycopg  # noqa: PLC0415

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'")
        return self.url(name)


def _as_postgres(args: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run it as the ``postgres`` user."""
    if os.geteuid() != 0:
        return args
    sbin = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])
    return [shutil.which("runuser", path=sbin) or "runuser", "-u", "postgres", "--", *args]


def _run(args: list[str], root: Path) -> None:
    done = subprocess.run(
        _as_postgres(args), capture_output=True, text=True, timeout=120, check=False, cwd=root
    )
    if done.returncode != 0:
        raise RuntimeError(f"{args[0]} failed ({done.returncode}): {done.stderr or done.stdout}")


#: The tests' settings: a small cluster (one per pytest-xdist worker), durability off.
TEST_SETTINGS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "60",
    "shared_buffers": "32MB",
}


@contextmanager
def running_cluster(bin_dir: Path, settings: dict[str, str] | None = None) -> Iterator[Cluster]:
    """Initialise, start, yield, then stop and remove a cluster: with the tests' settings
    (:data:`TEST_SETTINGS`), or with ``settings`` instead (the benchmark's server)."""
    root = Path(tempfile.mkdtemp(prefix="followup-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        import pwd  # noqa: PLC0415

        user = pwd.getpwnam("postgres")
        os.chown(root, user.pw_uid, user.pw_gid)
    try:
        _run(
            [str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
             "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"],
            root,
        )  # fmt: skip
        port = _start(bin_dir, data, root, TEST_SETTINGS if settings is None else settings)
        try:
            yield Cluster(root, port, bin_dir)
        finally:
            _run([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"], root)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _start(bin_dir: Path, data: Path, root: Path, settings: dict[str, str]) -> int:
    """Start on a free port; another process may take the port first, so try a few."""
    for attempt in range(5):
        port = free_port()
        options = f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={root}"
        options += "".join(f" -c {name}={value}" for name, value in settings.items())
        try:
            _run(
                [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"),
                 "-o", options, "-w", "-t", "60", "start"],
                root,
            )  # fmt: skip
            return port
        except RuntimeError:
            if attempt == 4:
                log = (root / "server.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"PostgreSQL did not start: {log}") from None
            time.sleep(0.2)
    raise AssertionError("unreachable")


def add_seeker(url: str, email: str | None = None) -> int:
    """A new seeker account straight in SQL (the tests' way; ``followup server user add``
    is the user's); its id."""
    import uuid  # noqa: PLC0415

    import psycopg  # noqa: PLC0415

    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            "WITH a AS (INSERT INTO account (email, role) VALUES (%s, 'seeker') RETURNING id)"
            " INSERT INTO seeker (id) SELECT id FROM a RETURNING id",
            (email or f"seeker-{uuid.uuid4().hex[:12]}@example.org",),
        ).fetchone()
    assert row is not None
    return int(row[0])
