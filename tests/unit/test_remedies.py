"""What can be done about an error: named by the services, worded by the command line."""

from __future__ import annotations

import pytest

from followup.entrypoints.cli.remedies import WORDING, worded
from followup.entrypoints.web.remedies import worded as web_worded
from followup.errors import FollowupError, NotFound, Refused, Remedy


def test_the_command_line_words_every_remedy() -> None:
    assert set(WORDING) == set(Remedy)


@pytest.mark.parametrize(
    ("error", "line"),
    [
        (
            NotFound("no application 'x'", remedy=Remedy.LIST),
            "no application 'x' (see: followup list)",
        ),
        (
            Refused("acme has no status follow-up planned now", remedy=Remedy.SHOW, subject="acme"),
            "acme has no status follow-up planned now (see: followup show acme)",
        ),
        (Refused("as it is"), "as it is"),
    ],
)
def test_a_remedy_is_added_to_the_message_as_a_command(error: FollowupError, line: str) -> None:
    assert worded(error) == line
    assert str(error) == line.split(" (see", maxsplit=1)[0]  # the message itself names no command


@pytest.mark.parametrize("remedy", list(Remedy))
def test_the_web_never_shows_a_command_line_option_or_a_see_hint(remedy: Remedy) -> None:
    line = web_worded(Refused("it cannot be", remedy=remedy, subject="acme"))
    assert line.startswith("it cannot be")
    assert "--" not in line
    assert "see: followup" not in line
    assert "followup" not in line or remedy in WEB_NEEDS_THE_COMMAND_LINE


#: Only the command line can do these (the outbox, the own address): the web names it.
WEB_NEEDS_THE_COMMAND_LINE = {
    Remedy.CHECK_SENT,
    Remedy.CHECK_SENT_OR_RETRY,
    Remedy.RETRY,
    Remedy.SET_ADDRESS,
}
