"""A small search whose Insights figures were counted by hand (issue 14, "Tests").

Six applications, now = Fri 20 Mar 2026 12:00 UTC, default policy, no holidays:

========  ========  ==============  =======  ============================================
id        company   source          added    what happened
========  ========  ==============  =======  ============================================
a-acme    Acme      LinkedIn        Mon 2    interview Mon 9 (Ana, Ben); thank-you to Ana
                                             only; call Mon 16 reached (due Mon 16, R6)
b-globex  Globex    " linkedin "    Tue 3    email to HR Thu 19 (due Tue 17, R18: 2 days
                                             late), reply Fri 20 09:00, interview Fri 20
                                             11:00 with no interviewer and no thank-you
c-initech Initech   Company site    Wed 4    interview Thu 5 (none recorded), thank-you
                                             Fri 6; status offer
d-umbrella Umbrella company site    Wed 4    interview Wed 11 (Ana), thank-you skipped;
                                             call Fri 20 no answer (due Wed 18: 2 late);
                                             status accepted
e-hooli   Hooli     (none)          Mon 16   an interview Wed 18, cancelled
f-vandelay Vandelay LinkedIn        Tue 17   an interview still to come (Wed 25)
========  ========  ==============  =======  ============================================

Funnel: 6 applications; answered a, b, c, d (4); interviewed a, b, c, d (4); offers c, d
(2); accepted d (1). Response rate 4/6. Days to the first answer: a 7, b 17, c 1, d 7:
median 7. Thank-yous all sent: c only, of 4 interviews held. Follow-ups: 3 made, all with a
due date; a on time, b and d 2 days late. By source: LinkedIn 3 (2 answered, 2
interviewed), Company site 2 (2, 2), none 1 (0, 0). By channel: phone 2 (a reached; no
interview after), email 1 (b: answered, an interview after). Pace: weeks of 2, 9 and 16
March: 4, 0, 2 (2 a week; 2 of 3 weeks on R9's aim of 1).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from followup import bootstrap
from followup.domain.model import Application, Channel, Outcome, Purpose, Status
from followup.services.session import writing
from tests.builders import application, at, contact, d, hr, interview, thanked, touch

NOW = datetime(2026, 3, 20, 12, tzinfo=UTC)


def search() -> list[Application]:
    ana, ben = contact("ana"), contact("ben")
    return [
        application(
            "a-acme",
            source="LinkedIn",
            applied_on=d("2026-03-02"),
            contacts=(ana, ben),
            interviews=(interview("2026-03-09", interviewers=("ana", "ben")),),
            touches=(thanked("2026-03-10", "ana"), touch("2026-03-16", Outcome.REACHED)),
        ),
        application(
            "b-globex",
            company="Globex",
            source=" linkedin ",
            applied_on=d("2026-03-03"),
            contacts=(hr("rui", phone=None),),
            interviews=(interview(at("2026-03-20", 11), interviewers=()),),
            touches=(
                touch("2026-03-19", Outcome.SENT, contact="rui"),
                touch(at("2026-03-20", 9), Outcome.REPLIED, contact="rui"),
            ),
        ),
        application(
            "c-initech",
            company="Initech",
            source="Company site",
            status=Status.OFFER,
            applied_on=d("2026-03-04"),
            interviews=(interview("2026-03-05", interviewers=()),),
            touches=(touch("2026-03-06", Outcome.SENT, Purpose.THANK_YOU, contact=None),),
        ),
        application(
            "d-umbrella",
            company="Umbrella",
            source="company site",
            status=Status.ACCEPTED,
            applied_on=d("2026-03-04"),
            interviews=(interview("2026-03-11"),),
            touches=(
                touch("2026-03-12", Outcome.SKIPPED, Purpose.THANK_YOU, channel=Channel.EMAIL),
                touch(at("2026-03-20", 10), Outcome.NO_ANSWER),
            ),
        ),
        application(
            "e-hooli",
            company="Hooli",
            applied_on=d("2026-03-16"),
            interviews=(interview("2026-03-18", cancelled=True),),
        ),
        application(
            "f-vandelay",
            company="Vandelay",
            source="LinkedIn",
            applied_on=d("2026-03-17"),
            interviews=(interview("2026-03-25"),),
        ),
    ]


def saved(db: Path) -> None:
    """The search in a SQLite file, written as an import writes (with its stored plan)."""
    deps = bootstrap.build(str(db), NOW)
    with writing(deps, NOW) as s:
        s.save_many(search())
    deps.store.close()  # type: ignore[attr-defined]
