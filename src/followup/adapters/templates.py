"""Email drafts from Jinja2 templates, which the user can override in the config dir.

A template's first line is ``Subject: ...``, then a blank line, then the body. A file
named like a built-in one (``thank_you.txt.j2``, ``status.txt.j2``, ``application.txt.j2``,
``withdraw.txt.j2``) in
``<config dir>/templates/`` replaces it. The environment is sandboxed (a template found
online cannot reach Python internals) and undefined names are errors, so a typo in a
template fails loudly instead of sending an email with a hole in it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import asdict
from typing import TYPE_CHECKING

from followup.errors import InvalidInput

if TYPE_CHECKING:  # the drafts' words load when an email is drafted, not at every start
    from followup.domain.drafts import Email, EmailDraft

BUILT_IN = os.path.join(os.path.dirname(os.path.dirname(__file__)), "templates")
NAMES = {
    "thank_you": "thank_you.txt.j2",
    "status": "status.txt.j2",
    "application": "application.txt.j2",
    "withdraw": "withdraw.txt.j2",
}


class TemplateDrafts:
    """The ``Drafts`` port. ``config_dir`` is asked for only when a draft is rendered, so
    commands that write no email never look up the platform's config dir."""

    def __init__(self, config_dir: Callable[[], str | None]) -> None:
        self.config_dir = config_dir

    def render(self, draft: EmailDraft) -> Email:
        config_dir = self.config_dir()
        user_dir = os.path.join(config_dir, "templates") if config_dir else None
        import jinja2  # noqa: PLC0415 - only the draft commands need it
        from jinja2.sandbox import SandboxedEnvironment  # noqa: PLC0415

        from followup.domain.drafts import Email  # noqa: PLC0415

        search = [d for d in (user_dir, BUILT_IN) if d and os.path.isdir(d)]
        env = SandboxedEnvironment(
            loader=jinja2.FileSystemLoader(search),
            undefined=jinja2.StrictUndefined,
            autoescape=False,  # plain-text email, not HTML
            keep_trailing_newline=False,
        )
        values = asdict(draft)
        values["interview_day"] = draft.interview_day_text
        values["applied_on"] = draft.applied_on_text
        try:
            text = env.get_template(NAMES[draft.kind]).render(values)
        except jinja2.TemplateError as e:
            raise InvalidInput(f"email template {NAMES[draft.kind]}: {e}") from None
        head, _, body = text.partition("\n")
        if not head.lower().startswith("subject:"):
            raise InvalidInput(
                f"email template {NAMES[draft.kind]}: the first line must be 'Subject: ...'"
            )
        return Email(draft.to_name, draft.to_email, head[8:].strip(), body.strip() + "\n")
