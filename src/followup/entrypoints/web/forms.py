"""Reading HTML forms: each value checked, and a refusal shown next to its field."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from followup.domain.when import (
    DateInputError,
    offset,
    parse_day,
    parse_moment,
    parse_window,
    repeated,
)
from followup.entrypoints.web.remedies import worded
from followup.entrypoints.web.state import deps_of
from followup.errors import FollowupError, InvalidInput
from followup.services.session import Deps, reading


def back(form: FormData, default: str) -> RedirectResponse:
    """Post/redirect/get, to the page the form came from (a local path only)."""
    target = form.get("next")
    if not isinstance(target, str) or not target.startswith("/") or target.startswith("//"):
        target = default
    if "\\" in target:
        target = default
    return RedirectResponse(target, status_code=303)


def raw(form: FormData, name: str) -> str | None:
    """A field as given (an empty one clears a value), or None when absent."""
    value = form.get(name)
    return value if isinstance(value, str) else None


def text(form: FormData, name: str) -> str | None:
    value = form.get(name)
    return value.strip() or None if isinstance(value, str) else None


def day(form: FormData, name: str, today: date) -> date | None:
    value = text(form, name)
    if value is None:
        return None
    try:
        return parse_day(value, today)
    except DateInputError as e:
        raise InvalidInput(str(e), field=name) from None


def moment(form: FormData, name: str, deps: Deps) -> datetime | None:
    value = text(form, name)
    if value is None:
        return None
    with reading(deps) as plan:
        tz = plan.settings.tz
    try:
        at = parse_moment(value, deps.clock.now(), tz)
    except DateInputError as e:
        raise InvalidInput(str(e), field=name) from None
    both = repeated(at)
    if both is not None:  # an hour lived twice: the form asks which, rather than guess
        wall = f"{at:%Y-%m-%d %H:%M}"
        first, second = (f"{wall}{offset(m)}" for m in both)
        raise InvalidInput(
            f"{wall} happens twice in {tz} (the clocks go back): "
            f"write {first} for the first or {second} for the second",
            field=name,
        )
    return at


def yes_no(form: FormData, name: str) -> bool | None:
    return {"yes": True, "no": False}.get(text(form, name) or "")


def choice(form: FormData, name: str, enum: Any) -> Any:
    value = text(form, name)
    if value is None:
        return None
    try:
        return enum(value)
    except ValueError:
        raise InvalidInput(f"{value!r} is not a valid choice", field=name) from None


def window(form: FormData, name: str) -> Any:
    value = text(form, name)
    if value is None:
        return None
    try:
        return parse_window(value)
    except DateInputError as e:
        raise InvalidInput(str(e), field=name) from None


def today_of(deps: Deps) -> date:
    with reading(deps) as plan:
        return plan.today


def form_errors(exc: FollowupError, form_name: str) -> dict[str, str]:
    return {f"{form_name}.{exc.field or 'form'}": worded(exc)}


def typed(form: FormData, form_name: str) -> dict[str, str]:
    """What was typed in form ``form_name``, to show it again beside the refusal.

    ``{form}.{field}`` is a field's (last) value; ``{form}.{field}[]`` all its values, one
    a line, for the boxes ticked in a list of checkboxes.
    """
    values: dict[str, str] = {}
    for key in form:
        given = [v for v in form.getlist(key) if isinstance(v, str)]
        if given:
            values[f"{form_name}.{key}"] = given[-1]
            values[f"{form_name}.{key}[]"] = "\n".join(given)
    return values


async def submit(
    request: Request,
    form_name: str,
    handle: Callable[[FormData, Deps], Response],
    again: Callable[[dict[str, str], dict[str, str]], Awaitable[Response]],
    passes: tuple[type[FollowupError], ...] = (),
) -> Response:
    """Run a form's use case; if it is refused, show the page again with the message.

    Refusals of a type in ``passes`` go to the caller, which answers them its own way.
    """
    form = await request.form()
    deps = deps_of(request)
    try:
        return handle(form, deps)
    except passes:
        raise
    except FollowupError as e:
        return await again(form_errors(e, form_name), typed(form, form_name))
