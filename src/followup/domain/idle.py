"""What to tell the candidate about an application with nothing planned, and why.

An empty plan means different things: the job is won (R20), another offer ended the
search (R20), an offer waits for an answer (R15), the company answered and the next step
is an interview to record or a close ("Before any interview"), or the process is over
and the search goes on (R9). Saying "keep applying" in every case would contradict R20
and sound cold right after good news (R8), so each case has its own words.
"""

from __future__ import annotations

import enum

from followup.domain.model import Application, Status


class Idle(enum.Enum):
    """Why an application has no action planned."""

    HIRED = "hired"  # this one is accepted (R20)
    SEARCH_OVER = "search_over"  # another one is accepted (R20)
    OFFER = "offer"  # an offer to answer (R15)
    ANSWERED = "answered"  # they answered; no interview recorded yet
    WAITING = "waiting"  # still open, nothing to do until something happens
    CLOSED = "closed"  # over; the search goes on (R9)


def idle(app: Application, search_ended: bool) -> Idle:
    """Why ``app`` has nothing planned; ``search_ended``: some application is accepted."""
    status = app.effective_status
    if status is Status.ACCEPTED:
        return Idle.HIRED
    if search_ended:
        return Idle.SEARCH_OVER
    if status is Status.OFFER:
        return Idle.OFFER
    if status is Status.ACTIVE:
        answered = any(t.is_company_answer for t in app.touches)
        return Idle.ANSWERED if answered and not app.held_interviews else Idle.WAITING
    return Idle.CLOSED


#: The words for each case, for a person: warm and direct (R8, R12).
TEXT = {
    Idle.HIRED: "Nothing more to do here: enjoy the new job!",
    Idle.SEARCH_OVER: (
        "Nothing more to do here: you accepted another offer, and leaving on good terms "
        "keeps this door open (R20)."
    ),
    Idle.OFFER: (
        "You have an offer: congratulations! Take the time you need, then record whether "
        "you accept it or decline it (R15)."
    ),
    Idle.ANSWERED: (
        "They answered, so the next step is theirs: record the interview when it is set, "
        "or close the application if they said no."
    ),
    Idle.WAITING: "Nothing to do for now: the plan picks up as soon as something happens.",
    Idle.CLOSED: (
        "Nothing more to do here. Every process teaches something: keep your other "
        "applications moving (R9)."
    ),
}


def idle_text(app: Application, search_ended: bool) -> str:
    """:data:`TEXT` for ``app``."""
    return TEXT[idle(app, search_ended)]
