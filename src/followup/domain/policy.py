"""Every number of RULES.md, with its default, its rule and why it exists.

The planner reads these values and never a literal (RULES.md: "Every number below is a
default of the policy"). The field metadata is the single settings spec: validation,
``followup config show`` and the README table all come from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any

#: No setting needs more: ten years of days, or of attempts. It also keeps the planner's
#: date arithmetic far from overflowing.
MAXIMUM = 3650


def _key(default: int, rule: str, minimum: int, help_text: str) -> Any:
    return field(default=default, metadata={"rule": rule, "minimum": minimum, "help": help_text})


@dataclass(frozen=True, slots=True)
class Policy:
    """The numbers the rules use, each with its rule, its least value and a line of help."""

    thank_you_delay_days: int = _key(
        2, "R4", 0, "Days after an interview before the thank-you email is due."
    )
    first_follow_up_days: int = _key(
        7, "R6", 1, "Days after the last interview before the first status follow-up."
    )
    min_active_applications: int = _key(
        5, "R9", 0, "Fewer active applications than this prompts you to apply for more."
    )
    max_days_without_new_application: int = _key(
        7, "R9", 1, "Days without a new application before you are prompted to apply for more."
    )
    min_days_between_follow_ups: int = _key(
        7, "R13", 1, "Minimum days between two status follow-ups at the same company."
    )
    escalate_after_unanswered: int = _key(
        2, "R17", 1, "Unanswered attempts in a row after which the next one goes to HR."
    )
    max_unanswered_attempts: int = _key(
        3, "R17", 1, "Unanswered attempts in a row after which the planner proposes giving up."
    )
    application_follow_up_days: int = _key(
        14, "R18", 0, "Days after applying before following up, if no interview yet (0: never)."
    )
    max_application_follow_ups: int = _key(
        1,
        "R19",
        1,
        "Unanswered follow-ups on an application before the planner proposes letting it go.",
    )
    stale_after_days: int = _key(
        30,
        "R19",
        0,
        "Days after applying with no interview and no answer before the planner "
        "proposes letting it go (0: never).",
    )

    def with_values(self, values: dict[str, int]) -> Policy:
        """A copy with ``values`` applied; unknown keys and bad values raise ``ValueError``."""
        for name, value in values.items():
            spec = POLICY_KEYS.get(name)
            if spec is None:
                raise ValueError(f"unknown policy key {name!r}")
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"{name} must be a whole number")
            if not spec.minimum <= value <= MAXIMUM:
                raise ValueError(f"{name} must be between {spec.minimum} and {MAXIMUM}")
        return replace(self, **values)

    def changed(self) -> dict[str, int]:
        """The keys that differ from the defaults (what an export needs to carry)."""
        default = Policy()
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if getattr(self, f.name) != getattr(default, f.name)
        }

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True, slots=True)
class PolicyKey:
    """One setting of :class:`Policy` as ``followup config`` and the README list it."""

    name: str
    default: int
    rule: str
    minimum: int
    help: str


POLICY_KEYS: dict[str, PolicyKey] = {
    f.name: PolicyKey(
        name=f.name,
        default=f.default,  # type: ignore[arg-type]
        rule=f.metadata["rule"],
        minimum=f.metadata["minimum"],
        help=f.metadata["help"],
    )
    for f in fields(Policy)
}
