"""Reading IMAP's FETCH answers: which parts of a message are fetched (text, never
attachments), and how they are put back together (issue 16)."""

from __future__ import annotations

from followup.adapters.imap_parts import assemble, fetch_items, text_sections
from followup.adapters.mailtext import parse

HEADER = (
    b"From: Ana <ana@acme.example>\r\nSubject: Re: hi\r\nMessage-ID: <x@acme.example>\r\n"
    b"Content-Type: multipart/mixed; boundary=OLD\r\n\r\n"
)
# mixed( alternative(plain, html), pdf attachment, forwarded message )
STRUCTURE = (
    b'((("text" "plain" ("charset" "utf-8") NIL NIL "quoted-printable" 120 4 NIL NIL NIL NIL)'
    b'("text" "html" ("charset" "utf-8") NIL NIL "7bit" 300 8 NIL NIL NIL NIL) "alternative"'
    b' ("boundary" "A") NIL NIL NIL)'
    b'("application" "pdf" ("name" "cv.pdf") NIL NIL "base64" 3000000 NIL'
    b' ("attachment" ("filename" "cv.pdf")) NIL NIL)'
    b'("text" "plain" ("charset" "utf-8") NIL NIL "7bit" 10 1 NIL ("attachment" ("filename" '
)


def test_text_parts_are_chosen_and_attachments_left_out() -> None:
    # imaplib hands a literal as (the line up to {n}, its bytes).
    data = [
        (b"1 (UID 7 BODYSTRUCTURE " + STRUCTURE + b"{9}", b"notes.txt"),
        (b')) NIL NIL) "mixed" ("boundary" "OLD") NIL NIL NIL) BODY[HEADER] {%d}' % len(HEADER),
         HEADER),
        b")",
    ]  # fmt: skip
    (item,) = fetch_items(data)
    assert item[b"UID"] == b"7"
    assert item[b"BODY[HEADER]"] == HEADER
    structure = item[b"BODYSTRUCTURE"]
    assert text_sections(structure) == ["1.1", "1.2"]  # not the PDF, not the attached notes
    parts = {
        b"BODY[1.1.MIME]": b"Content-Type: text/plain; charset=utf-8\r\n"
        b"Content-Transfer-Encoding: quoted-printable\r\n\r\n",
        b"BODY[1.1]<0>": b"We are pleased to offer you=\r\n the role.\r\n",
        b"BODY[1.2.MIME]": b"Content-Type: text/html; charset=utf-8\r\n\r\n",
        b"BODY[1.2]<0>": b"<p>We are pleased</p>",
    }
    mail = parse(7, assemble(HEADER, structure, ["1.1", "1.2"], parts))
    assert mail.text == "We are pleased to offer you the role."
    assert mail.message_id == "<x@acme.example>"


def test_a_one_part_message_is_its_header_and_text() -> None:
    structure = [b"text", b"plain", [b"charset", b"utf-8"], None, None, b"7bit", b"5", b"1"]
    assert text_sections(structure) == ["TEXT"]
    header = b"From: ana@acme.example\r\nSubject: x\r\n\r\n"
    mail = parse(1, assemble(header, structure, ["TEXT"], {b"BODY[TEXT]<0>": b"Hello\r\n"}))
    assert mail.text == "Hello"


def test_a_delivery_report_keeps_its_status_part() -> None:
    structure = [
        [b"text", b"plain", None, None, None, b"7bit", b"10", b"1"],
        [b"message", b"delivery-status", None, None, None, b"7bit", b"100"],
        [b"message", b"rfc822", None, None, None, b"7bit", b"5000"],
        b"report",
    ]
    assert text_sections(structure) == ["1", "2"]
    header = (
        b"From: MAILER-DAEMON@mail.example\r\nSubject: Undelivered Mail\r\n"
        b"Content-Type: multipart/report; report-type=delivery-status; boundary=Q\r\n\r\n"
    )
    parts = {
        b"BODY[1.MIME]": b"Content-Type: text/plain\r\n\r\n",
        b"BODY[1]<0>": b"Could not deliver.\r\n",
        b"BODY[2.MIME]": b"Content-Type: message/delivery-status\r\n\r\n",
        b"BODY[2]<0>": b"Reporting-MTA: dns; mail.example\r\n\r\n"
        b"Final-Recipient: rfc822; ana@acme.example\r\nAction: failed\r\nStatus: 5.1.1\r\n",
    }
    mail = parse(3, assemble(header, structure, ["1", "2"], parts))
    assert mail.bounced == ("ana@acme.example",)
