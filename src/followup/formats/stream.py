"""A ``followup/1`` file read as a stream: memory bounded whatever the file's size.

The whole file used to be parsed into Python objects before the first check: a 15 MB
file of five million empty applications took 480 MB before it was refused, a file of
265,000 applications whose last one was invalid 1.6 GB. Here the file is read twice
with ijson (a streaming parser over the C library yajl): first its frame (``format``,
``settings``, and whether ``applications`` is a list), building nothing of the
applications, so that a syntax error anywhere is found before any work; then the
applications one at a time, each checked as it is read (``formats.reader``), the
first invalid one ending the read. :class:`Streamed` keeps none of them: the import
builds each once, inside its write, a batch at a time, and a refusal rolls it all back.

Bytes that are not UTF-8 are named with their offset; a syntax error with its line
and column (found again, byte by byte near the place, since yajl does not say where).
"""

from __future__ import annotations

import codecs
import contextlib
import io
from collections.abc import Callable, Iterator
from typing import IO, Any

from followup.domain.model import Application
from followup.errors import InvalidFile
from followup.formats.interchange import Checks
from followup.formats.reader import Reader

#: Bytes read at a time: large enough that the parser's C code does the work.
CHUNK = 64 * 1024
#: What ``applications`` is in the frame when it is not a list: each read as its kind.
_KIND: dict[str, Any] = {"start_array": [], "null": None}
_STARTS = frozenset({"start_map", "start_array"})
_ENDS = frozenset({"end_map", "end_array"})

#: Opens the file anew, at its start; what it returns is closed after reading.
Opener = Callable[[], "io.RawIOBase | IO[bytes]"]


class Streamed:
    """A file whose frame is checked (:class:`InvalidFile` if not), and whose applications
    are read anew, each checked, every time :meth:`applications` is iterated."""

    def __init__(
        self, open_file: Opener, checks: Checks, found: dict[str, Any] | None = None
    ) -> None:
        """``found``: the frame, read already (by :func:`leading_frame`); by default it is
        read here, from the whole file."""
        self._open = open_file
        #: The file's top-level members, as :func:`frame` gives them.
        self.frame = frame(open_file) if found is None else found
        self._reader = Reader(self.frame, checks)
        self.settings = self._reader.settings

    def applications(self) -> Iterator[tuple[Application, frozenset[str]]]:
        """Each application, checked as it is read, with the touch ids it was given."""
        return self._reader.applications(_items(self._open, "applications.item"))

    def check(self) -> int:
        """Read every application once, keeping none: how many there are, or the first
        problem as :class:`InvalidFile`."""
        return sum(1 for _ in self.applications())


def frame(open_file: Opener) -> dict[str, Any]:
    """The file's top-level members, ``applications`` only as its kind (``[]``, ``None``).

    Ten million events at 100,000 applications: they come from ``basic_parse`` (no
    prefixes made) into one loop, with no generator between (issue 12).
    """
    import ijson  # noqa: PLC0415 - only an import needs it

    with _Checked(open_file()) as source, _syntax(open_file, source):
        events = ijson.basic_parse(source, buf_size=CHUNK)
        event, _ = next(events, ("end", None))
        if event != "start_map":
            for _ in events:  # the syntax first: "not JSON" says more than "not an object"
                pass
            raise InvalidFile("file: not an object")
        found, _ = _members(events, until_applications=False)
    return found


def leading_frame(open_file: Opener) -> dict[str, Any] | None:
    """The frame as far as the start of ``applications`` (a file written by ``export``:
    format, settings, then the applications), read from the file's first bytes; ``None``
    when the file does not start as an object or breaks or ends before that member.

    A guess, made without reading the rest: a member after the applications (settings
    there, a key given twice, an unknown key, a syntax error) may change or refuse the
    frame, which only :func:`frame` settles. The import's reading process starts on the
    applications with it at once while the other process reads the whole frame, and
    starts again if the two differ (:mod:`followup.adapters.read_ahead`).
    """
    import ijson  # noqa: PLC0415

    try:
        with _Checked(open_file()) as source:
            events = ijson.basic_parse(source, buf_size=CHUNK)
            if next(events, ("end", None))[0] != "start_map":
                return None
            found, complete = _members(events, until_applications=True)
    except (ijson.JSONError, UnicodeDecodeError, InvalidFile):
        return None
    return found if complete else None


def _members(
    events: Iterator[tuple[str, Any]], *, until_applications: bool
) -> tuple[dict[str, Any], bool]:
    """The top-level members read from ``events`` (those after the object's start),
    ``applications`` only as its kind; with ``until_applications``, up to that member's
    start only. Also whether ``applications`` was reached."""
    import ijson  # noqa: PLC0415

    found: dict[str, Any] = {}
    key, depth, builder = "", 0, None
    for event, value in events:
        if depth:
            if event in _STARTS:
                depth += 1
            elif event in _ENDS:
                depth -= 1
            if builder is not None:
                builder.event(event, value)
                if not depth:
                    found[key] = builder.value
            continue
        if event == "map_key":
            key = value
            continue
        if event == "end_map":
            continue
        if key == "applications":
            found[key] = _KIND.get(event, 0)
            if until_applications:
                return found, True
            builder = None
        else:
            builder = ijson.ObjectBuilder()
            builder.event(event, value)
        if event in _STARTS:
            depth = 1
        elif builder is not None:
            found[key] = builder.value
    return found, "applications" in found


def _items(open_file: Opener, prefix: str) -> Iterator[Any]:
    import ijson  # noqa: PLC0415

    with _Checked(open_file()) as source, _syntax(open_file, source):
        yield from ijson.items(source, prefix, buf_size=CHUNK)


@contextlib.contextmanager
def _syntax(open_file: Opener, source: _Checked) -> Iterator[None]:
    """A syntax error turned into :class:`InvalidFile` with its place."""
    import ijson  # noqa: PLC0415

    try:
        yield
    except (ijson.JSONError, UnicodeDecodeError) as e:
        # yajl's message quotes the bytes near the error, which may not be text (the
        # fuzzer found ijson failing to decode it): a JSON error is told in our words.
        message = e.args[0] if isinstance(e, ijson.JSONError) and e.args else ""
        if isinstance(message, bytes):
            message = message.decode("utf-8", "replace")
        reason = str(message).splitlines()[0] if message else "not valid JSON"
        line, column = _place_of_error(open_file, max(0, source.offset - CHUNK))
        raise InvalidFile(f"not JSON (line {line}, column {column}: {reason})") from None


def _place_of_error(open_file: Opener, before: int) -> tuple[int, int]:
    """Where the parser stops: the file read again, one byte at a time after ``before``."""
    import ijson  # noqa: PLC0415

    with _Checked(open_file(), slow_after=before) as source:
        try:
            for _ in ijson.parse(source, buf_size=CHUNK):
                pass
        except (ijson.JSONError, UnicodeDecodeError):
            pass
        source.finish()  # a byte that is not UTF-8 where the parse stopped: say that instead
        return source.line, source.column


class _Checked(io.RawIOBase):
    """A binary file that refuses bytes that are not UTF-8 and counts lines as it goes.

    ``slow_after``: from that offset on, one byte per read (to find where a parse fails).
    """

    def __init__(self, raw: io.RawIOBase | IO[bytes], slow_after: int | None = None) -> None:
        super().__init__()
        self._raw = raw
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._slow_after = slow_after
        self.offset = 0
        self.line = 1
        self._line_start = 0

    @property
    def column(self) -> int:
        return self.offset - self._line_start

    def readable(self) -> bool:
        return True

    def finish(self) -> None:
        """Refuse the bytes read so far that do not end a UTF-8 character."""
        pending = len(self._decoder.getstate()[0])
        try:
            self._decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise InvalidFile(f"not UTF-8 at byte {self.offset - pending}") from None

    def readinto(self, buffer: Any) -> int:
        size = len(buffer)
        if self._slow_after is not None and self.offset >= self._slow_after:
            size = min(size, 1)
        data = self._raw.read(size)
        pending = len(self._decoder.getstate()[0])  # the start of a character cut by a read
        try:
            self._decoder.decode(data, final=not data)
        except UnicodeDecodeError as e:
            raise InvalidFile(f"not UTF-8 at byte {self.offset - pending + e.start}") from None
        lines = data.count(b"\n")
        if lines:
            self.line += lines
            self._line_start = self.offset + data.rindex(b"\n") + 1
        self.offset += len(data)
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._raw.close()
        super().close()


def rereadable(file: IO[bytes]) -> Opener:
    """An opener over an open, seekable file: each call reads it from the start, and
    closing what it returns leaves ``file`` open (an upload, a copy of stdin)."""

    def again() -> io.RawIOBase:
        file.seek(0)
        return _Borrowed(file)

    return again


def positional(file: IO[bytes]) -> Opener:
    """As :func:`rereadable`, for a file on disk: each reader reads by position
    (``os.pread``) and never moves the file's offset, so that two processes (an import's
    and its read-ahead one, which share the file since the fork) read it at the same
    time without moving each other's place. Where ``pread`` is missing (Windows, where
    nothing forks), or the file cannot be read by position (a pipe, no descriptor),
    :func:`rereadable`."""
    import os  # noqa: PLC0415

    try:
        fd = file.fileno() if file.seekable() else -1
    except (OSError, AttributeError, io.UnsupportedOperation):
        fd = -1
    if fd < 0 or not hasattr(os, "pread"):
        return rereadable(file)
    return lambda: _Positional(fd)


class _Positional(io.RawIOBase):
    """Reads a descriptor from its start by position; closing it leaves the file open."""

    def __init__(self, fd: int) -> None:
        super().__init__()
        self._fd = fd
        self._at = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        import os  # noqa: PLC0415

        data = os.pread(self._fd, len(buffer), self._at)
        self._at += len(data)
        buffer[: len(data)] = data
        return len(data)


def spooled(source: IO[bytes]) -> IO[bytes]:
    """A seekable copy of a stream (stdin) in a temporary file, copied a chunk at a time."""
    import shutil  # noqa: PLC0415
    import tempfile  # noqa: PLC0415

    copy = tempfile.TemporaryFile()  # noqa: SIM115 - the caller closes it
    shutil.copyfileobj(source, copy, CHUNK)
    return copy


class _Borrowed(io.RawIOBase):
    """Reads ``file`` without owning it: closing this leaves ``file`` open."""

    def __init__(self, file: IO[bytes]) -> None:
        super().__init__()
        self._file = file

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        """A workbook is a zip archive, read from its end: openpyxl seeks."""
        return self._file.seekable()

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        return self._file.tell()

    def readinto(self, buffer: Any) -> int:
        data = self._file.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
