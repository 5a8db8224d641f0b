"""The reply corpus (``tests/mail/corpus``): crafted messages, each with the outcome it must
give, read by the same code as ``followup sync`` (issue 16).

``manifest.json`` says, per message: its kind (reply, automatic, bounce, own), for a reply
the decision and date it states (or an invitation to a next round), the addresses a
delivery report names, and words of the quoted text that must not be read.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from followup.adapters.mailtext import parse
from followup.domain.replies import Kind, message_key, propose, read_kind

CORPUS = Path(__file__).parent / "corpus"
MANIFEST: dict[str, dict[str, Any]] = json.loads((CORPUS / "manifest.json").read_text())
OWN = frozenset({"maria@mail.example"})
TODAY = date(2026, 3, 11)


def test_the_corpus_is_big_and_varied() -> None:
    assert len(MANIFEST) >= 60
    assert sorted(p.stem for p in CORPUS.glob("*.eml")) == sorted(MANIFEST)
    kinds = {e["kind"] for e in MANIFEST.values()}
    assert kinds == {"reply", "automatic", "bounce", "own"}
    for lang in ("en-", "pt-", "es-", "fr-", "de-"):
        decisions = {e.get("decision") for n, e in MANIFEST.items() if n.startswith(lang)}
        assert {"rejected", "undecided", "offer"} <= decisions, lang
    raw = b"".join(p.read_bytes() for p in CORPUS.glob("*.eml"))
    for marker in (
        b"quoted-printable", b"base64", b"windows-1252", b"iso-8859-1", b"text/html",
        b"multipart/report", b"Auto-Submitted", b"List-Unsubscribe",
    ):  # fmt: skip
        assert marker in raw, marker


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_each_message_reads_as_expected(name: str) -> None:
    expected = MANIFEST[name]
    mail = parse(7, (CORPUS / f"{name}.eml").read_bytes())
    reading = read_kind(mail, OWN)
    assert reading.kind == Kind(expected["kind"]), (reading, mail.text)
    if reading.kind is Kind.BOUNCE:
        assert list(mail.bounced) == expected["bounced"]
    if reading.kind is not Kind.REPLY:
        return
    for words in expected.get("absent", []):
        assert words not in mail.text, f"quoted text read as the reply: {mail.text!r}"
    proposal = propose(mail, TODAY)
    got = (
        (
            proposal.decision.value if proposal.decision else None,
            proposal.decision_by.isoformat() if proposal.decision_by else None,
            proposal.next_round,
        )
        if proposal
        else (None, None, False)
    )
    want = (expected.get("decision"), expected.get("by"), expected.get("next_round", False))
    assert got == want, (mail.text, proposal)
    if proposal is not None:
        assert proposal.sentence, "a proposal always shows where it was read"


def test_a_message_without_message_id_gets_a_stable_key() -> None:
    data = (CORPUS / "en-no-message-id.eml").read_bytes()
    first, again = parse(1, data), parse(99, data)
    assert first.message_id is None
    assert message_key(first) == message_key(again)
    assert message_key(first).endswith("@no-message-id.invalid>")
    other = parse(1, (CORPUS / "en-neutral.eml").read_bytes())
    assert message_key(other) == "<en-neutral@corpus.example>"
