"""The generated job searches reach every rule the planner applies (issue 10, item 7).

The planner's properties (``test_planner_properties.py``) are only as strong as the states
Hypothesis tries. This run, with a fixed seed so that it is the same on every machine,
plans generated searches and fails when some rule, or some case within one, was never
reached: a change of ``tests/strategies.py`` that loses R14 or R13's step 8 shows here
instead of passing quietly.

Not counted: R8 and R12 are about the words (``test_no_reason_names_a_number...`` and
the wording tests), R15 and R16 about records and scripts, not about which action comes.
"""

from __future__ import annotations

from collections import Counter

from hypothesis import Phase, given, seed, settings

from followup.domain.calendar import Calendar
from followup.domain.planner import plan
from tests import rule_events
from tests.strategies import instants, job_searches, policies, zones

#: Every rule an action can come from (RULES.md, "Action kinds"), and the cases within.
EXPECTED = {
    *(f"R{n}" for n in (1, 2, 3, 4, 6, 7, 9, 10, 11, 13, 14, 17, 18, 19, 20)),
    rule_events.CLOSED_THANK_YOU,
    rule_events.BORROWED_HR,
    rule_events.SPACED,
    rule_events.ESCALATED,
}
#: Enough for every rule in a second or two; each is reached several times at this seed.
SEARCHES = 300


def test_every_rule_is_reached_over_a_fixed_seed_run() -> None:
    reached: Counter[str] = Counter()

    @seed(20261129)
    @settings(max_examples=SEARCHES, database=None, phases=[Phase.generate])
    @given(job_searches(), policies, instants, zones)
    def plan_one(apps, policy, now, tz) -> None:
        reached.update(rule_events.rules_reached(plan(apps, policy, now, Calendar(tz)), apps))

    plan_one()
    table = ", ".join(f"{name}: {n}" for name, n in sorted(reached.items()))
    assert EXPECTED - reached.keys() == set(), table
    assert reached.keys() <= EXPECTED, f"a rule this test does not know: {table}"
