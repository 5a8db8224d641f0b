"""``followup stats --json`` (issue 14), and the definition of each figure in words.

The JSON shape is pinned by ``tests/e2e/test_cli_stats.py`` and documented in the README
("Insights"): keys may be added, never renamed or removed. A rate is a number from 0 to 1
rounded to 3 places, or ``null`` when its denominator is 0; a median is ``null`` when there
is nothing to take it of.

:data:`DEFINITIONS` is the one wording of each figure: ``stats --help``, the Insights page
and (a test checks it) the README say exactly this, so that a person can count by hand.
"""

from __future__ import annotations

from typing import Any

from followup.domain.insights import Insights, Share

#: Figure name (its JSON key) -> what it counts.
DEFINITIONS: dict[str, str] = {
    "applications": "applications added in the period (the day you applied, else the day you"
    " recorded them); with no --from or --to, all of them.",
    "answered": "applications the company answered: a status call that reached someone, a"
    " reply, or an interview that took place.",
    "interviewed": "applications with an interview that took place (not cancelled, and not"
    " still to come).",
    "offers": "applications with status offer or accepted, or a touch that recorded the"
    " decision offer.",
    "accepted": "applications with status accepted.",
    "response_rate": "answered / applications.",
    "median_days_to_first_answer": "the median, over the answered applications, of the days"
    " from the day added to the day of the first answer (a call that reached someone, a reply,"
    " or an interview).",
    "thank_you_rate": "interviews that took place whose thank-yous (R4) were all sent (a"
    " thank-you touch after the interview to each interviewer, or any one when no interviewer"
    " is recorded; skipped ones do not count) / interviews that took place.",
    "follow_ups": "status follow-ups you made (calls and emails: sent, reached, no answer,"
    " voicemail). Each is compared with the due date followup would have given it just before:"
    " on time when done on or before it, else late by the days between. One made when nothing"
    " was planned (say, after an answer and before the interview was recorded) is not"
    " compared.",
    "by_source": "for each source (ignoring case), answered / applications and interviewed /"
    " applications.",
    "by_channel": "for the status follow-ups by phone and by email: answered ones (a call that"
    " reached someone, or an email followed by a reply before the next follow-up) / follow-ups,"
    " and those followed by an interview of the same application / follow-ups.",
    "pace": "applications added each week (Monday to Sunday) of the period, against R9's aim:"
    " a new application at least every max_days_without_new_application days (one a week by"
    " default).",
}


def rate(share: Share) -> float | None:
    value = share.rate
    return None if value is None else round(value, 3)


def number(value: float | None) -> float | int | None:
    """A median or an average: whole numbers stay whole, others get 2 places."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(value, 2)


def stats_json(found: Insights) -> dict[str, Any]:
    funnel = found.funnel
    ups = found.follow_ups
    pace = found.pace
    return {
        "from": found.first.isoformat() if found.first else None,
        "to": found.last.isoformat() if found.last else None,
        "today": found.today.isoformat(),
        "funnel": {
            "applications": funnel.applications,
            "answered": funnel.answered,
            "interviewed": funnel.interviewed,
            "offers": funnel.offers,
            "accepted": funnel.accepted,
        },
        "response_rate": rate(found.response),
        "median_days_to_first_answer": number(found.median_days_to_answer),
        "thank_you_rate": rate(found.thank_yous),
        "thank_yous": {"interviews": found.thank_yous.whole, "all_sent": found.thank_yous.part},
        "follow_ups": {
            "done": ups.done,
            "compared": ups.compared,
            "on_time": ups.on_time.part,
            "late": len(ups.late),
            "on_time_rate": rate(ups.on_time),
            "median_days_late": number(ups.median_days_late),
            "max_days_late": ups.max_days_late,
        },
        "by_source": [
            {
                "source": s.name,
                "applications": s.applications,
                "answered": s.answered,
                "interviewed": s.interviewed,
                "response_rate": rate(s.response),
                "interview_rate": rate(s.interview),
            }
            for s in found.sources
        ],
        "by_channel": [
            {
                "channel": c.channel.value,
                "follow_ups": c.follow_ups,
                "answered": c.answered,
                "interviews_after": c.interviews_after,
                "response_rate": rate(c.response),
                "interview_rate": rate(c.interview),
            }
            for c in found.channels
        ],
        "pace": {
            "aim_per_week": round(pace.aim, 2),
            "per_week": number(pace.per_week),
            "weeks_on_aim": pace.weeks_on_aim.part,
            "weeks": [
                {
                    "week": w.start.isoformat(),
                    "applications": w.applications,
                    "on_aim": pace.on_aim(w),
                }
                for w in pace.weeks
            ],
        },
    }
