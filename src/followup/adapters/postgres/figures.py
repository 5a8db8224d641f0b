"""What the Insights figures read (issue 14), from one seeker's rows: a few columns of
every application in a period, in four queries, without building whole records."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from followup.adapters.postgres.owned import Owned, shown
from followup.adapters.sqlite.figures import STATUSES, touch_of
from followup.domain.insights import Record
from followup.domain.model import Interview, Touch

#: The seeker's applications of the period; ``added`` is R9's day added (applied, else
#: recorded). Every query below names the seeker again for its own table.
_CHOSEN = (
    "SELECT id FROM application WHERE seeker_id = %(s)s"
    " AND (%(first)s::date IS NULL OR coalesce(applied_on, recorded_on) >= %(first)s)"
    " AND (%(last)s::date IS NULL OR coalesce(applied_on, recorded_on) <= %(last)s)"
)


class PostgresFigures(Owned):
    def insight_records(self, first: date | None, last: date | None) -> list[Record]:
        args = {"s": self.seeker, "first": first, "last": last}
        c = self.conn
        interviewers: dict[tuple[str, str], list[str]] = defaultdict(list)
        for app_id, iv_id, cid in c.execute(
            "SELECT application_id, interview_id, contact_id FROM interviewer"
            f" WHERE seeker_id = %(s)s AND application_id IN ({_CHOSEN})"
            " ORDER BY application_id, interview_id, seq",
            args,
        ):
            interviewers[(app_id, iv_id)].append(cid)
        interviews: dict[str, list[Interview]] = defaultdict(list)
        for app_id, iv_id, at, minutes, cancelled in c.execute(
            "SELECT application_id, id, at, at_offset, cancelled FROM interview"
            f" WHERE seeker_id = %(s)s AND application_id IN ({_CHOSEN})"
            " ORDER BY application_id, seq",
            args,
        ):
            interviews[app_id].append(
                Interview(
                    iv_id,
                    shown(at, minutes),
                    tuple(interviewers.get((app_id, iv_id), ())),
                    cancelled=cancelled,
                )
            )
        touches: dict[str, list[Touch]] = defaultdict(list)
        for app_id, t_id, at, minutes, channel, purpose, outcome, cid, decision in c.execute(
            "SELECT application_id, id, at, at_offset, channel, purpose, outcome, contact_id,"
            f" decision FROM touch WHERE seeker_id = %(s)s AND application_id IN ({_CHOSEN})"
            " ORDER BY application_id, seq",
            args,
        ):
            touches[app_id].append(
                touch_of(t_id, shown(at, minutes), channel, purpose, outcome, cid, decision)
            )
        rows = c.execute(
            "SELECT id, company_key, status, applied_on, recorded_on, source FROM application"
            f" WHERE seeker_id = %(s)s AND id IN ({_CHOSEN}) ORDER BY id",
            args,
        )
        return [
            Record(
                app_id,
                key,
                STATUSES[status],
                applied or recorded,
                source,
                tuple(interviews.get(app_id, ())),
                tuple(touches.get(app_id, ())),
            )
            for app_id, key, status, applied, recorded, source in rows
        ]
