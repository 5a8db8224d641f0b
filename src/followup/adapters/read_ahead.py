"""A ``followup/1`` file read and checked in a second process while this one writes it.

An import of 100,000 applications spent about a third of its time reading and checking
the file (two passes, every field, phone numbers and email addresses, building the
records) and a twentieth on the history's fingerprints, all on one core while the other
stayed idle (issue 12). Here a child process, forked from the command (so that it starts
with every module already loaded, at no cost), runs the very reader of an import in one
process (:class:`~followup.formats.stream.Streamed`: the frame first, then the
applications one at a time) and sends each batch of checked applications through a
pipe; the parent merges, plans and writes them meanwhile. The applications' fingerprints
are made by whichever process has time to spare: the child while the parent is behind
(the child waited to send its last batch), else the parent.

The frame (the format and settings, and the whole file's syntax) is one pass over the
file before the applications' pass. The child does not wait for it: it reads the frame's
start (a file written by ``export`` has its format and settings before its
applications), starts on the applications with it, and says which frame it assumed;
the parent, idle until the first batch anyway, reads and checks the whole frame
meanwhile, raises its refusal as an import in one process would, and starts the child
again on the whole frame if the two differ (a member after the applications). Both read
the file at once: the command line's opener reads by position
(:func:`~followup.formats.stream.positional`), so neither moves the other's place.

Nothing changes for what is refused: the child stops at the first problem, as the
reader does, and the parent raises it (:class:`~followup.errors.InvalidFile`) inside
its write, which rolls back whole. The pipe holds a few batches (:data:`PIPE_BYTES` of
the kernel's memory, not either process's): the child waits when it is further ahead,
so memory stays bounded in both processes.

The pipe's capacity decides how much of the two processes' work overlaps. At Linux's
default 64 KiB, less than a third of one pickled batch, the child could not finish a
batch while the parent merged one of its own (two of the child's): each merge of 1,000
applications was followed by the parent waiting for the making of the next 500, about
half of the child's work done after the parent's instead of beside it (issue 12).

The child never touches the parent's database connection, and leaves with ``os._exit``
(no clean-up of what it inherited).

Only the command line uses it (a single-threaded process: forking a web server's
process, with its threads and their locks, is not safe), and only where ``os.fork``
exists.
"""

from __future__ import annotations

import contextlib
import copyreg
import dataclasses
import io
import operator
import os
import pickle
import signal
import struct
import sys
import time
from collections.abc import Callable, Iterator
from typing import IO, Any

from followup.domain.model import Application, Contact, ContactWindow, Interview, Touch
from followup.errors import InvalidFile
from followup.formats.interchange import Checks, SettingsPatch
from followup.formats.stream import Opener, Streamed, leading_frame

#: Applications sent at a time (one pickle each).
BATCH = 500
#: The share of a batch's making spent waiting for the parent to take it, from which the
#: child makes the next batch's fingerprints (it is then ahead: it has time to spare);
#: below it, the parent makes them (the child is the slower, on a file of long histories).
WAITED = 0.1
#: The pipe's capacity asked for (Linux's ``pipe-max-size`` for anyone, by default): four
#: pickled batches of 500 applications of a long history, so the child can make a whole
#: merge's worth of applications (:data:`followup.services.interchange.BATCH`) ahead.
PIPE_BYTES = 1 << 20
#: The length that precedes each message in the pipe.
_HEADER = struct.Struct("<I")

#: What the child sends: each application checked, its generated touch ids, its fingerprint.
Checked = tuple[Application, frozenset[str], str | None]


def available() -> bool:
    return hasattr(os, "fork")


class ReadAhead:
    """The file's frame and applications, read by a child process started at once.

    :attr:`settings` waits for the frame (:class:`InvalidFile` if it is refused);
    iterating gives the applications as the child checks them. :meth:`close` ends the
    child whatever it was doing (call it in every case: a ``with`` block does).
    """

    def __init__(
        self,
        open_file: Opener,
        checks: Checks,
        fingerprint: Callable[[Application], str | None],
    ) -> None:
        self._open, self._checks, self._fingerprint = open_file, checks, fingerprint
        self._pid: int | None = None
        self._settings: SettingsPatch | None = None
        self._start(guess=True)

    def _start(self, *, guess: bool) -> None:
        """Fork the child; with ``guess``, it starts on the applications with the frame
        read from the file's first bytes (:func:`~followup.formats.stream.leading_frame`)."""
        read, write = os.pipe()
        _widen(write)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child: its work is seen through the parent
            os.close(read)
            _child(write, self._open, self._checks, self._fingerprint, guess)
        os.close(write)
        self._pid = pid
        self._pipe: IO[bytes] = os.fdopen(read, "rb", buffering=1 << 16)

    def __enter__(self) -> ReadAhead:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def settings(self) -> SettingsPatch:
        if self._settings is None:
            kind, value = self._receive()
            if kind == "frame" and value is not None:
                self._settings = self._confirmed(value)
                return self._settings
            if kind == "frame":  # the child reads the whole frame itself
                kind, value = self._receive()
            if kind != "settings":
                raise self._failure(kind, value)
            self._settings = value
        return self._settings

    def _confirmed(self, leading: dict[str, Any]) -> SettingsPatch:
        """The whole file's frame, read and checked here while the child reads the
        applications with the one it guessed from the file's start (``leading``): the
        frame's refusal (a syntax error anywhere, a bad setting) is raised as an import
        in one process raises it, before any of the child's; a frame that differs from
        the guess (a member after the applications) starts the child again, on the
        whole frame. Issue 12: the frame's pass over the file was a tenth of the
        child's work, in the way of everything else; here it is done meanwhile."""
        whole = Streamed(self._open, self._checks)
        if _same(whole.frame, leading):
            return whole.settings
        self.close()
        self._start(guess=False)
        return self.settings

    def __iter__(self) -> Iterator[Checked]:
        self.settings  # noqa: B018 - the frame comes first
        while True:
            kind, value = self._receive()
            if kind == "end":
                return
            if kind != "batch":
                raise self._failure(kind, value)
            yield from value

    def close(self) -> None:
        """Stop the child (if it is still reading) and wait for it."""
        if self._pid is None:
            return
        pid, self._pid = self._pid, None
        self._pipe.close()
        with contextlib.suppress(ProcessLookupError):  # it has already left
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)

    def _receive(self) -> tuple[str, Any]:
        header = self._pipe.read(_HEADER.size)
        if len(header) < _HEADER.size:
            return ("lost", None)
        (size,) = _HEADER.unpack(header)
        data = self._pipe.read(size)
        if len(data) < size:
            return ("lost", None)
        message: tuple[str, Any] = pickle.loads(data)  # noqa: S301 - our own child's
        return message

    @staticmethod
    def _failure(kind: str, value: Any) -> Exception:
        if kind == "invalid":
            return InvalidFile(value)
        if kind == "failed":
            return RuntimeError(f"reading the file failed: {value}")
        return RuntimeError("the process reading the file ended before the file did")


def _widen(fd: int) -> None:
    """The pipe's capacity raised to :data:`PIPE_BYTES` where the system allows it (Linux's
    ``F_SETPIPE_SZ``); elsewhere, or refused (a lowered ``pipe-max-size``), the default
    stays: the import is the same, its two processes overlap less."""
    import fcntl  # noqa: PLC0415 - where os.fork exists, so does fcntl

    setting = getattr(fcntl, "F_SETPIPE_SZ", None)
    if setting is not None:
        with contextlib.suppress(OSError):
            fcntl.fcntl(fd, setting, PIPE_BYTES)


def _by_fields(cls: type) -> Callable[[Any], tuple[type, tuple[Any, ...]]]:
    """A record pickled as its class and its fields, made again by calling the class:
    a frozen dataclass's own way (``__setstate__``) looks its fields up again for each
    record, a third of the parent's cost of reading them back. The fields are read by one
    ``attrgetter`` (in C): a generator of ``getattr`` per field was two fifths of the
    child's pickling (issue 12)."""
    fields = operator.attrgetter(*(f.name for f in dataclasses.fields(cls)))

    def reduce(record: Any) -> tuple[type, tuple[Any, ...]]:
        return cls, fields(record)

    return reduce


_DISPATCH: dict[type, Callable[[Any], Any]] = {
    **copyreg.dispatch_table,
    **{cls: _by_fields(cls) for cls in (Application, Contact, ContactWindow, Interview, Touch)},
}


def _same(a: Any, b: Any) -> bool:
    """Whether two parsed JSON values are the same, to the type (``1``, ``1.0`` and
    ``true`` are equal in Python, not in a file)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b) and str(a) == str(b)


def _child(
    fd: int,
    open_file: Opener,
    checks: Checks,
    fingerprint: Callable[[Application], str | None],
    guess: bool,
) -> None:  # pragma: no cover - runs in the child (tests see it through the parent)
    """Read, check and send; then leave without any clean-up."""
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C: the parent says what happened
        with os.fdopen(fd, "wb", buffering=1 << 16) as out:

            def send(kind: str, value: Any) -> None:
                buffer = io.BytesIO()
                pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
                pickler.dispatch_table = _DISPATCH
                pickler.dump((kind, value))
                data = buffer.getvalue()
                out.write(_HEADER.pack(len(data)))
                out.write(data)

            try:
                # The frame guessed from the file's start (``None``: not guessed) goes
                # first; the parent checks it against the whole file's meanwhile.
                leading = leading_frame(open_file) if guess else None
                streamed = None
                if leading is not None:
                    try:
                        streamed = Streamed(open_file, checks, leading)
                    except InvalidFile:  # told by the parent, from the whole frame
                        leading = None
                send("frame", leading)
                if streamed is None:
                    streamed = Streamed(open_file, checks)
                    send("settings", streamed.settings)
                batch: list[Checked] = []
                ahead = True  # whether the parent was behind at the last batch
                started = time.perf_counter()
                for app, generated in streamed.applications():
                    batch.append((app, generated, fingerprint(app) if ahead else None))
                    if len(batch) == BATCH:
                        made = time.perf_counter()
                        send("batch", batch)
                        sent = time.perf_counter()
                        ahead = sent - made > WAITED * (made - started)
                        batch, started = [], sent
                send("batch", batch)
                send("end", None)
            except InvalidFile as e:
                send("invalid", str(e))
            except Exception as e:  # told to the parent, which raises it
                send("failed", f"{type(e).__name__}: {e}")
    except BaseException:  # a closed pipe (the parent stopped), Ctrl-C
        code = 1
    finally:
        os._exit(code)
