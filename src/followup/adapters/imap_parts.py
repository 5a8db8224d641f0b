"""IMAP's FETCH answers, read: the parts of a message worth fetching (its text, never its
attachments) and a small message put back together from them.

imaplib leaves the answers as lines and literals; this reads them as IMAP writes them (atoms,
"strings", {n} literals, parenthesised lists), enough for BODYSTRUCTURE and BODY[...].
"""

from __future__ import annotations

from email import policy
from email.parser import BytesParser
from typing import Any


def fetch_items(data: list[Any]) -> list[dict[bytes, Any]]:
    """imaplib's FETCH answer, parsed: one ``{KEY: value}`` per message (lists for
    parenthesised values, bytes for strings and literals, None for NIL)."""
    stream = b"".join(
        part[0] + part[1] if isinstance(part, tuple) else part
        for part in data
        if isinstance(part, (bytes, tuple))
    )
    tokens = _Reader(stream)
    items = []
    while tokens.more():
        tokens.atom()  # the message sequence number
        values = tokens.value()
        if isinstance(values, list):
            items.append(
                {
                    k.upper(): v
                    for k, v in zip(values[::2], values[1::2], strict=False)
                    if isinstance(k, bytes)
                }
            )
    return items


class _Reader:
    """A small reader of IMAP's answer syntax: atoms, "strings", {n} literals, (lists)."""

    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def _skip(self) -> None:
        while self.pos < len(self.data) and self.data[self.pos] in b" \r\n":
            self.pos += 1

    def more(self) -> bool:
        self._skip()
        return self.pos < len(self.data)

    def atom(self) -> bytes:
        self._skip()
        start = self.pos
        depth = 0
        while self.pos < len(self.data):
            ch = self.data[self.pos]
            if ch == ord("["):
                depth += 1
            elif ch == ord("]"):
                depth -= 1
            elif depth == 0 and ch in b" ()\r\n":
                break
            self.pos += 1
        return self.data[start : self.pos]

    def value(self) -> Any:
        self._skip()
        if self.pos >= len(self.data):
            return None
        ch = self.data[self.pos : self.pos + 1]
        if ch == b"(":
            self.pos += 1
            values = []
            while self.more() and self.data[self.pos : self.pos + 1] != b")":
                values.append(self.value())
            self.pos += 1
            return values
        if ch == b")":
            self.pos += 1
            return None
        if ch == b'"':
            out = bytearray()
            self.pos += 1
            while self.pos < len(self.data) and self.data[self.pos] != ord('"'):
                if self.data[self.pos] == ord("\\"):
                    self.pos += 1
                out.append(self.data[self.pos])
                self.pos += 1
            self.pos += 1
            return bytes(out)
        if ch == b"{":
            end = self.data.index(b"}", self.pos)
            size = int(self.data[self.pos + 1 : end])
            self.pos = end + 1
            if self.data[self.pos : self.pos + 2] == b"\r\n":
                self.pos += 2
            literal = self.data[self.pos : self.pos + size]
            self.pos += size
            return literal
        word = self.atom()
        return None if word.upper() == b"NIL" else word


#: The parts worth reading: what the sender wrote, and a delivery report's status.
_TEXT_TYPES = {(b"text", b"plain"), (b"text", b"html"), (b"message", b"delivery-status")}
_MAX_PARTS = 4


def text_sections(structure: list[Any]) -> list[str]:
    """The IMAP section numbers of a message's text parts (not attachments, not attached
    messages); ``["TEXT"]`` for a one-part text message."""
    if not structure or isinstance(structure[0], list):
        found: list[str] = []
        _walk(structure, "", found)
        return found[:_MAX_PARTS]
    return ["TEXT"] if _is_text(structure) else []


def _walk(structure: list[Any], prefix: str, found: list[str]) -> None:
    for i, part in enumerate((p for p in structure if isinstance(p, list)), start=1):
        number = f"{prefix}{i}"
        if part and isinstance(part[0], list):
            _walk(part, f"{number}.", found)
        elif _is_text(part):
            found.append(number)


def _is_text(part: list[Any]) -> bool:
    kind = tuple(x.lower() if isinstance(x, bytes) else b"" for x in part[:2])
    if kind not in _TEXT_TYPES:
        return False
    # A disposition (attachment ...) is the 9th field of a text part, 8th of others.
    for field in part[7:10]:
        disposition = field[0] if isinstance(field, list) and field else None
        if isinstance(disposition, bytes) and disposition.lower() == b"attachment":
            return False
    return True


def assemble(
    header: bytes, structure: list[Any], sections: list[str], item: dict[bytes, Any]
) -> bytes:
    """A small message made of the real headers and the text parts that were fetched."""
    if sections == ["TEXT"]:
        body = item.get(b"BODY[TEXT]<0>")
        return header + (body if isinstance(body, bytes) else b"")
    head = BytesParser(policy=policy.compat32).parsebytes(header, headersonly=True)
    subtype = next((x for x in structure if isinstance(x, bytes)), b"")
    boundary = "followup-text-parts"
    del head["Content-Type"]
    del head["Content-Transfer-Encoding"]
    kind = "report; report-type=delivery-status" if subtype.lower() == b"report" else "mixed"
    head["Content-Type"] = f'multipart/{kind}; boundary="{boundary}"'
    out = [head.as_bytes(policy=policy.compat32.clone(linesep="\r\n"))]
    for n in sections:
        mime, body = item.get(f"BODY[{n}.MIME]".encode()), item.get(f"BODY[{n}]<0>".encode())
        out.append(f"--{boundary}\r\n".encode())
        out.append(mime if isinstance(mime, bytes) else b"\r\n")
        out.append((body if isinstance(body, bytes) else b"") + b"\r\n")
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out)
