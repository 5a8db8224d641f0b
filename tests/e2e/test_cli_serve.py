"""``followup serve`` bound to every interface answers this machine's names (issue 11).

Bound to ``0.0.0.0`` it refused every request, its Host check knowing only ``0.0.0.0``.
The real command runs as a process; requests carry the Host headers other machines send.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.cli import User
from tests.e2e.test_cli_process import FOLLOWUP
from tests.web_support import free_port


@pytest.fixture
def wide(tmp_path: Path) -> Iterator[tuple[int, subprocess.Popen[str]]]:
    port = free_port()
    env = {**os.environ, "FOLLOWUP_CONFIG_DIR": str(tmp_path / "config")}
    argv = [FOLLOWUP, "--db", str(tmp_path / "s.db"), "serve",
            "--host", "0.0.0.0", "--port", str(port), "--allow-host", "followup.lan"]  # fmt: skip
    server = subprocess.Popen(
        argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, server.communicate()
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
        yield port, server
    finally:
        server.terminate()
        server.communicate(timeout=20)


def status(port: int, host: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest("GET", "/", skip_host=True)
        connection.putheader("Host", host)
        connection.endheaders()
        return connection.getresponse().status
    finally:
        connection.close()


def test_bound_to_every_interface_it_answers_its_own_names(
    wide: tuple[int, subprocess.Popen[str]],
) -> None:
    port, _ = wide
    for host in [socket.gethostname(), "127.0.0.1", "localhost", "followup.lan"]:
        assert status(port, f"{host}:{port}") == 200, host
    assert status(port, f"evil.example:{port}") == 403
    assert status(port, f"followup.lan.evil.example:{port}") == 403


def test_it_says_which_names_it_answers_to(wide: tuple[int, subprocess.Popen[str]]) -> None:
    port, server = wide
    server.terminate()
    out, err = server.communicate(timeout=20)
    assert f"followup.lan:{port}" in out
    assert f"localhost:{port}" in out
    assert "anyone who can reach it" in err


@pytest.mark.parametrize("bad", ["evil.example/x", "a b", "name:80", "-x"])
def test_an_allowed_host_must_be_a_name(tmp_path: Path, bad: str) -> None:
    result = User(tmp_path / "s.db").run("serve", "--allow-host", bad, ok=False)
    assert result.exit_code == 2
    assert "is not a host name or an IP address" in result.stderr
