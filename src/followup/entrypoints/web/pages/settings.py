"""Settings, the calendar feed, and import and export of the records."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from followup.domain.agenda import Detail
from followup.domain.policy import POLICY_KEYS
from followup.entrypoints.web.changes import Flash, tracked, with_flash
from followup.entrypoints.web.forms import (
    submit,
)
from followup.entrypoints.web.pages import mail_settings
from followup.entrypoints.web.rendering import render
from followup.entrypoints.web.security import require_csrf
from followup.entrypoints.web.state import deps_of
from followup.errors import FollowupError, InvalidFile
from followup.services import (
    agenda,
    interchange,
)
from followup.services import settings as settings_service
from followup.services.session import Deps

pages = APIRouter(include_in_schema=False)
posts = APIRouter(include_in_schema=False, dependencies=[Depends(require_csrf)])


# --- Settings ------------------------------------------------------------------------------


@pages.get("/settings", response_class=HTMLResponse)
async def settings_page(request: Request) -> Response:
    return await _settings(request)


async def _settings(
    request: Request,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    code: int = 200,
    message: str | None = None,
    feed_url: str | None = None,
    flash: Flash | None = None,
) -> Response:
    deps = deps_of(request)
    current = settings_service.show(deps)
    feed = agenda.current(deps)
    return render(
        request,
        "settings.html",
        {
            "settings": current,
            "rows": settings_service.describe(current),
            "errors": errors or {},
            "values": values or {},
            "message": message,
            "feed": feed,
            "feed_since": feed.created_at.astimezone(current.tz).date() if feed else None,
            "feed_url": feed_url,
            **({"flash": flash} if flash else {}),
            **_sharing(request, errors or {}),
            **mail_settings.context(request),
        },
        status=code,
    )


def _sharing(request: Request, errors: dict[str, str]) -> dict[str, object]:
    """The server's Sharing section (coaches and the access log); none locally."""
    if request.scope.get("state", {}).get("account") is None:
        return {"sharing": None}
    from followup.entrypoints.web.coaching import sharing_context  # noqa: PLC0415

    return sharing_context(request, errors)


@posts.post("/settings")
async def save_settings(request: Request) -> Response:
    def handle(form: FormData, deps: Deps) -> Response:
        keys = ["timezone", "country", "name", *POLICY_KEYS]
        current = settings_service.show(deps)
        shown = {
            r.key: "" if r.value is None else str(r.value)
            for r in settings_service.describe(current)
        }
        changes = {}
        for key in keys:
            value = form.get(key)
            if isinstance(value, str) and value.strip() != shown[key]:
                changes[key] = value
        _, change = tracked(deps, lambda: settings_service.update(deps, changes))
        return with_flash(RedirectResponse("/settings", status_code=303), change)

    async def again(errors: dict[str, str], values: dict[str, str]) -> Response:
        return await _settings(request, errors, values, code=422)

    return await submit(request, "settings", handle, again)


@posts.post("/settings/calendar")
async def calendar_feed(request: Request) -> Response:
    """Make a new feed address (shown in this answer only: it is not stored) or turn it off."""
    form = await request.form()
    deps = deps_of(request)
    if form.get("do") == "off":
        agenda.turn_off(deps)
        return await _settings(
            request, message="The calendar feed is off: its address no longer works."
        )
    detail = Detail(notes=form.get("notes") == "on", phones=form.get("phones") == "on")
    token = agenda.new_feed(deps, deps.clock.now(), detail)
    url = f"{str(request.base_url).rstrip('/')}/calendar/{token}.ics"
    return await _settings(request, feed_url=url)


@posts.post("/settings/import")
async def import_file(request: Request) -> Response:
    from followup.entrypoints.web.pages import sheets  # noqa: PLC0415
    from followup.formats.sheets.files import format_of  # noqa: PLC0415
    from followup.formats.stream import rereadable  # noqa: PLC0415

    form = await request.form()
    upload = form.get("file")
    deps = deps_of(request)
    try:
        if upload is not None and not isinstance(upload, str):
            try:
                sheet_format = format_of(upload.filename or "")
            except InvalidFile:  # an .xls: named, and its temporary file closed now
                await upload.close()
                raise
            if sheet_format is not None:  # a spreadsheet: previewed before anything is written
                return await sheets.start(request, upload, sheet_format)
        if upload is None or isinstance(upload, str):
            raise InvalidFile("choose a followup/1 file or a spreadsheet to import", field="file")
        try:  # read as a stream from the upload's spooled file (formats.stream)
            opener = rereadable(upload.file)
            name = upload.filename or "a followup/1 file"
            result, change = tracked(deps, lambda: interchange.import_file(deps, opener, name=name))
        except InvalidFile as e:
            raise InvalidFile(str(e), field="file") from None
        finally:
            await upload.close()  # its temporary file, now rather than at collection
    except FollowupError as e:
        return await _settings(request, {"import.file": str(e)}, code=422)
    message = (
        f"Imported: {result.created} new, {result.updated} updated, "
        f"{result.unchanged} unchanged application(s)."
    )
    if result.settings:
        message += f" Settings changed: {'; '.join(result.settings)}."
    return await _settings(request, flash=Flash(message, change))


@pages.get("/settings/export")
async def export_file(request: Request) -> Response:
    import orjson  # noqa: PLC0415

    data = orjson.dumps(interchange.export_data(deps_of(request)), option=orjson.OPT_INDENT_2)
    return Response(
        data,
        media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="followup.json"'},
    )
