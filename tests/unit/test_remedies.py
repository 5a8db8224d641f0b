"""What can be done about an error: named by the services, worded by the command line."""

from __future__ import annotations

import pytest

from followup.entrypoints.cli.remedies import WORDING, worded
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
