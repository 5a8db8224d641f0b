"""Importing a spreadsheet from the Settings page: upload, preview, confirm.

The upload is kept (:mod:`..uploads`) and previewed: the columns used, the first rows as
they would be recorded, the problems, and what the import would do (a dry run, rolled
back). The preview's form can change the columns, the day order and whether saved jobs
count, and preview again; "Import" runs the import itself, all or nothing, and goes back
to Settings with the confirmation and its Undo button.
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from followup.entrypoints.web.changes import tracked, with_flash
from followup.entrypoints.web.remedies import worded
from followup.entrypoints.web.rendering import render
from followup.entrypoints.web.security import require_csrf
from followup.entrypoints.web.state import deps_of
from followup.entrypoints.web.uploads import uploads_of
from followup.errors import FollowupError, InvalidInput
from followup.formats.sheets import columns as col
from followup.formats.sheets import files
from followup.formats.sheets.rows import Options, first_headers, parse_statuses
from followup.formats.stream import rereadable
from followup.services import sheets

pages = APIRouter(include_in_schema=False)
posts = APIRouter(include_in_schema=False, dependencies=[Depends(require_csrf)])

#: Rows the preview shows.
SHOWN = 10
#: A column choice meaning "no column": the field is not imported.
NONE = "-"


async def start(request: Request, upload: UploadFile, fmt: str) -> Response:
    """A spreadsheet sent from the Settings page: kept, then previewed as detected."""
    try:
        token = uploads_of(request).keep(upload.file)
    finally:
        await upload.close()
    choice = _Choice(token, fmt, _file_name(upload.filename), {}, "", False, False)
    return _page(request, choice)


@posts.post("/settings/import/sheet")
async def sheet(request: Request) -> Response:
    form = await request.form()
    choice = _Choice.of(form)
    if form.get("do") != "import":
        return _page(request, choice)
    deps = deps_of(request)
    uploads = uploads_of(request)
    try:
        options = choice.options()
        with uploads.open(choice.token) as source:
            opener = rereadable(source)
            done, change = tracked(
                deps,
                lambda: sheets.import_sheet(
                    deps,
                    opener,
                    options,
                    include_saved=choice.include_saved,
                    name=choice.name,
                ),
            )
    except FollowupError as e:
        return _page(request, choice, error=worded(e), code=422)
    if change is None:
        counts = done.counts
        page = _page(
            request,
            choice,
            message=f"Nothing to import: the {counts.unchanged} application(s) of this sheet "
            "are already recorded.",
            done=True,
        )
        uploads.drop(choice.token)
        return page
    uploads.drop(choice.token)
    return with_flash(RedirectResponse("/settings", status_code=303), change)


class _Choice:
    """What the preview's form says: the upload, and how to read it."""

    def __init__(
        self,
        token: str,
        fmt: str,
        name: str,
        columns: dict[str, str],
        statuses: str,
        dayfirst: bool,
        include_saved: bool,
    ) -> None:
        self.token = token
        self.fmt = fmt
        self.name = name
        #: Per field, the column chosen: a header, :data:`NONE`, or "" (found by its header).
        self.columns = columns
        self.statuses = statuses
        self.dayfirst = dayfirst
        self.include_saved = include_saved

    @classmethod
    def of(cls, form: FormData) -> _Choice:
        def text(name: str) -> str:
            value = form.get(name)
            return value if isinstance(value, str) else ""

        fmt = text("format")
        if fmt not in files.FORMATS:
            raise InvalidInput(f"{fmt!r} is not a spreadsheet format", field="format")
        columns = {f: text(f"map.{f}") for f in col.FIELDS if text(f"map.{f}")}
        return cls(
            text("token"),
            fmt,
            _file_name(text("name")),
            columns,
            text("statuses"),
            form.get("dayfirst") == "on",
            form.get("include_saved") == "on",
        )

    def options(self) -> Options:
        mapping: dict[str, str | None] = {
            f: None if c == NONE else c for f, c in self.columns.items()
        }
        lines = [line.strip() for line in self.statuses.splitlines() if line.strip()]
        return Options(self.fmt, mapping, parse_statuses(lines), self.dayfirst)


def _file_name(given: str | None) -> str:
    """The upload's name as shown and kept in the history: its last part, one short line."""
    name = PurePath((given or "").replace("\\", "/")).name
    return re.sub(r"[\x00-\x1f\x7f\u2028\u2029]", "", name)[:100] or "the sheet"


def _page(
    request: Request,
    choice: _Choice,
    *,
    error: str | None = None,
    message: str | None = None,
    done: bool = False,
    code: int = 200,
) -> Response:
    deps = deps_of(request)
    found: sheets.Preview | None = None
    headers: list[str] = []
    problem = error
    with uploads_of(request).open(choice.token) as source:
        opener = rereadable(source)
        try:
            found = sheets.preview(
                deps,
                opener,
                choice.options(),
                include_saved=choice.include_saved,
                shown=SHOWN,
            )
            headers = [h for h in found.mapping.headers if h.strip()]
        except FollowupError as e:
            problem = problem or worded(e)
            code = 422
            headers = [h for h in first_headers(opener, choice.fmt) if h.strip()]
    if found is not None and not found.ok:
        code = 422
    context: dict[str, Any] = {
        "choice": choice,
        "found": found,
        "headers": headers,
        "fields": col.FIELDS,
        "no_column": NONE,
        "problem": problem,
        "message": message,
        "done": done,
    }
    return render(request, "sheet_import.html", context, status=code)
