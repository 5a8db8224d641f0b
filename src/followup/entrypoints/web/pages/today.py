"""Today and Week: the actions by day, a draft, and the action cards' buttons."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any
from urllib.parse import quote, unquote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData
from starlette.routing import Route

from followup.domain import words
from followup.domain.model import (
    Action,
    Application,
    Contact,
    Decision,
    Outcome,
)
from followup.entrypoints.presenting import describe
from followup.entrypoints.web.cache import TOKEN_MARKER
from followup.entrypoints.web.changes import flash_of, tracked, with_flash
from followup.entrypoints.web.forms import (
    back,
    choice,
    day,
    form_errors,
    text,
    today_of,
)
from followup.entrypoints.web.pages.application import _application
from followup.entrypoints.web.pages.card_html import cards_text
from followup.entrypoints.web.pages.cards import (
    Buttons,
    Card,
    Notice,
    buttons,
    cards,
    cards_of,
    contact_key,
)
from followup.entrypoints.web.rendering import (
    cached,
    dom_id,
    is_htmx,
    page_read,
    page_token,
    render,
    render_shelled,
)
from followup.entrypoints.web.security import require_csrf
from followup.entrypoints.web.state import deps_of
from followup.errors import FollowupError, InvalidInput, NotFound
from followup.services import (
    completion,
    drafts,
    listing,
    touches,
)
from followup.services.planning import (
    COMING,
    COUNT_CAP,
    OVERDUE,
    SECTION_PAGE,
    SECTIONS,
    TODAY,
    Record,
    Section,
)
from followup.services.ports import Repository
from followup.services.session import Deps, reading

pages = APIRouter(include_in_schema=False)
posts = APIRouter(include_in_schema=False, dependencies=[Depends(require_csrf)])


# --- Today ---------------------------------------------------------------------------------


async def today_page(request: Request) -> Response:
    return await cached(request, lambda: _today(request))


#: Today's route: a plain Starlette route, tried before every other (``pages.install``).
#: It takes no parameter, so FastAPI's handling of one (dependencies, validation) is
#: not needed: measured, it cost a page served afresh 100 µs, a tenth of its time (issue 12).
TODAY_ROUTE = Route("/", today_page, methods=["GET"], include_in_schema=False)
TODAY_ROUTE.methods = {"GET"}  # as a FastAPI route: HEAD is not allowed (405)


async def _today(request: Request, notice: Notice | None = None) -> Response:
    """Overdue, today and this week (the :data:`COMING_DAYS` after today, as on Week): a
    page of each, most urgent first, and a link to the next page of each."""
    deps = deps_of(request)
    from followup.services import mail  # noqa: PLC0415 - as for sending: loaded when used

    with reading(deps) as plan:  # the whole page in one read
        today = plan.today
        found = plan.card_sections(SECTION_PAGE, cap=PAGE_COUNT_CAP)
        records = [r for section in found for r in section.actions]
        stuck = mail.stuck_in(plan.repo)
        details = _details(plan.repo, records)
        page_read(request, plan)
    made = cards_of(records, details)
    sections, start = [], 0
    for section in found:
        end = start + len(section.actions)
        sections.append(_shown(section, made[start:end], 1))
        start = end
    empty = not any(section.total for section in found)
    if notice is None and not stuck:  # the page as most requests see it
        token = page_token(request)
        main = _today_main(today, empty, sections, token)
        shelled = render_shelled(request, "Today", "/", main, token is TOKEN_MARKER)
        if shelled is not None:
            return shelled
    return render(
        request,
        "today.html",
        {
            "today": today,
            "empty": empty,
            "stuck": stuck,
            "sections": sections,
            "notice": notice,
            "path": "/",
        },
    )


#: Today's sections are counted no further than this ("1,000+"), as ``followup today``'s
#: (one cap, :data:`COUNT_CAP`): a count steps through the index one due action at a time,
#: and at 10,000 the overdue count alone was a third of the page's time (issue 12: a page
#: served afresh is what a server with many users mostly serves).
PAGE_COUNT_CAP = COUNT_CAP


def _today_main(today: date, empty: bool, sections: list[dict[str, Any]], token: str) -> str:
    """``today.html``'s main block without a notice or a stuck email, written here
    (:func:`.rendering.render_shelled`, so with its ``DOT_MARK``); a test holds the two to
    the same bytes. ``token``: what the forms' CSRF field holds
    (:func:`.rendering.page_token`)."""
    out = [f"<h1>Today, {words.day(today)}</h1>\n"]
    if empty:
        out.append('<p class="empty">Nothing to do. Enjoy the quiet, and keep applying.</p>\n')
    for shown in sections:
        if not shown["cards"]:
            continue
        key = shown["key"]
        out.append(
            f'<section class="section {key}" id="section-{key}">\n'
            f'  <h2>{shown["title"]} <span class="count">{shown["count"]}</span></h2>\n'
        )
        out.append(cards_text(shown["cards"], today, "/", token))
        if shown["next"]:
            out.append(_more(shown))
        out.append("</section>\n")
    return "".join(out)


def _more(shown: dict[str, Any]) -> str:
    """``_section_page.html``'s link to the next page of a section (its texts are ours:
    keys, numbers and addresses made of them, nothing to escape)."""
    anchor = f"more-{shown['key']}-{shown['page']}"
    return (
        f'<p class="more" id="{anchor}">\n'
        f'  <a class="button quiet" href="{shown["next"]}" hx-get="{shown["next"]}"'
        f' hx-target="#{anchor}" hx-swap="outerHTML">Show {shown["next_size"]} more</a>\n'
        f'  <span class="count">{shown["more"]} after these</span>\n'
        "</p>\n"
    )


#: The headings of Today's sections.
TITLES = {OVERDUE: "Overdue", TODAY: "Today", COMING: "This week"}


@pages.get("/today/{section}", response_class=HTMLResponse)
async def section_page(request: Request, section: str, page: int = 1) -> Response:
    """Page ``page`` of one section of Today. With HTMX, the cards alone (and the link to
    the next page), added below those shown; without it, a page of its own."""
    if section not in SECTIONS:
        raise NotFound(f"no section {section!r} on Today")
    # Counts stop at PAGE_COUNT_CAP, and so do the pages (``followup today --all`` lists all).
    wanted = min(max(page, 1), PAGE_COUNT_CAP // SECTION_PAGE)
    return await cached(request, lambda: _section(request, section, wanted))


async def _section(request: Request, key: str, page: int) -> Response:
    deps = deps_of(request)
    with reading(deps) as plan:
        today = plan.today
        offset = (page - 1) * SECTION_PAGE
        section = plan.card_section(key, SECTION_PAGE, offset, cap=PAGE_COUNT_CAP)
        details = _details(plan.repo, section.actions)
        page_read(request, plan)
    shown = _shown(section, cards_of(section.actions, details), page)
    name = "_section_page.html" if is_htmx(request) else "today_section.html"
    return render(request, name, {"today": today, "shown": shown, "page": page})


def _details(
    repo: Repository, records: list[Record]
) -> tuple[dict[tuple[str, str], Contact], bool]:
    """The contacts these cards show, and whether mail can go (``listing.card_details``):
    a call's (its ``tel:`` link), an email's when it can be sent (its Send button), no
    other card's."""
    calls, mailed = [], []
    for record in records:
        key = contact_key(record)
        if key[0] and key[1]:
            shown = buttons(record)
            if shown in _CALLING:
                calls.append(key)
            elif shown is Buttons.EMAIL:
                mailed.append(key)
    return listing.contact_details_in(repo, calls, mailed)


#: The cards that show their contact's phone (:func:`.card_html._call_link`).
_CALLING = (Buttons.CALL, Buttons.WITHDRAW)


def _shown(section: Section[Record], found: list[Card], page: int) -> dict[str, Any]:
    """What the templates show of a section's page: its cards, counts in words, and the
    address of the next page (``None`` on the last)."""
    least = "at least " if section.capped else ""
    pages = -(-section.total // SECTION_PAGE)
    return {
        "key": section.key,
        "title": TITLES[section.key],
        "cards": found,
        "count": f"{section.total:,}{'+' if section.capped else ''}",
        "page": page,
        "pages": f"{least}{pages:,}",
        "more": f"{least}{section.more:,}" if section.more else None,
        "next": f"/today/{section.key}?page={page + 1}" if section.more else None,
        "next_size": min(section.more, SECTION_PAGE),
    }


@pages.get("/week", response_class=HTMLResponse)
async def week_page(request: Request) -> Response:
    return await cached(request, lambda: _week(request))


async def _week(request: Request) -> Response:
    deps = deps_of(request)
    view, days = listing.week(deps)
    with reading(deps) as plan:
        tz = plan.settings.tz
    return render(request, "week.html", {"view": view, "days": days, "tz": tz})


# --- actions -------------------------------------------------------------------------------


@pages.get("/actions/{action_id}/draft", response_class=HTMLResponse)
async def draft_page(request: Request, action_id: str) -> Response:
    deps = deps_of(request)
    action, email = drafts.email(deps, action_id, deps.clock.now())
    mailto = "mailto:" + quote(email.to_email or "", safe="@")
    mailto += f"?subject={quote(email.subject)}&body={quote(email.body)}"
    name = "_draft.html" if is_htmx(request) else "draft.html"
    return render(request, name, {"action": action, "email": email, "mailto": mailto})


async def _after(request: Request, form: FormData, notice: Notice, change: int | None) -> Response:
    """The answer to an action card's button, which made history entry ``change``.

    Without JavaScript: post/redirect/get, back to the page the card was on, which then
    confirms the change with its Undo button (:mod:`.changes`). With HTMX:
    that page made afresh with the notice on top; the card's form swaps it for the old
    ``<main>``, so every card that changed moves at once: the next action of this
    application to the section of its date, and the other applications at the same
    company whose follow-ups R13 spaced out.
    """
    if not is_htmx(request):
        return with_flash(back(form, "/"), change, notice.warnings, request)
    flash = flash_of(deps_of(request), change)
    notice = replace(notice, undo=flash.undo if flash is not None else None)
    target = form.get("next")
    if isinstance(target, str) and target.startswith("/applications/"):
        app_id = unquote(target.removeprefix("/applications/").partition("?")[0])
        if app_id and "/" not in app_id:
            return await _application(request, app_id, notice=notice)
    return await _today(request, notice=notice)


def _refused_card(request: Request, deps: Deps, action_id: str, e: FollowupError) -> Response:
    """The card again with the message, in place of itself (HTMX only; 422)."""
    action = completion.find_action(deps, action_id, deps.clock.now())
    context = {"card": cards(deps, [action])[0], "errors": form_errors(e, "done")}
    response = render(request, "_card.html", context, status=422)
    selector = f"#{dom_id(action.id)}"
    response.headers.update(
        {"HX-Retarget": selector, "HX-Reselect": selector, "HX-Reswap": "outerHTML"}
    )
    return response


@posts.post("/actions/{action_id}/done")
async def action_done(request: Request, action_id: str) -> Response:
    form = await request.form()
    deps = deps_of(request)
    try:
        completed, change = tracked(
            deps,
            lambda: completion.complete(
                deps,
                action_id,
                outcome=choice(form, "outcome", Outcome),
                decision=choice(form, "decision", Decision),
                decision_by=day(form, "decision_by", today_of(deps)),
                vacancies=text(form, "vacancies"),
            ),
        )
    except FollowupError as e:
        if not is_htmx(request):
            raise
        return _refused_card(request, deps, action_id, e)
    logged = completed.logged
    summary = completed.message if logged is None else _summary(logged)
    notice = Notice(
        summary,
        completed.application,
        completed.actions,
        completed.status_changed,
        warnings=tuple(logged.warnings) if logged is not None else (),
        idle=_idle(completed.application, completed.actions, logged),
    )
    return await _after(request, form, notice, change)


def _summary(logged: touches.Logged) -> str:
    return f"Recorded: {describe(logged.application, logged.touch)}."


def _idle(app: Application, actions: list[Action], logged: touches.Logged | None) -> str | None:
    """Why nothing is left for ``app`` (None while something is planned). Without a
    touch (a give-up), no accepted offer is in view: the give-up is planned only then."""
    from followup.domain.idle import idle_text  # noqa: PLC0415

    if actions:
        return None
    return idle_text(app, logged.search_ended if logged is not None else False)


@posts.post("/actions/{action_id}/send")
async def action_send(request: Request, action_id: str) -> Response:
    """Send the drafted email from the user's account (issue 4), then show what is next.

    The SMTP exchange is short and blocking; a local app with one user can afford it.
    """
    from followup.services import mail  # noqa: PLC0415

    form = await request.form()
    deps = deps_of(request)
    make_mailer = request.app.state.make_mailer
    if make_mailer is None:
        raise InvalidInput("this server cannot send email", field="send")
    now = deps.clock.now()
    try:
        entry = mail.compose(deps, action_id, now)
        delivery, change = tracked(deps, lambda: mail.send(deps, make_mailer(deps), entry, now))
    except FollowupError as e:
        if not is_htmx(request):
            raise
        return _refused_card(request, deps, action_id, e)
    assert delivery.logged is not None
    logged = delivery.logged
    notice = Notice(
        f"Sent to {entry.recipient}.",
        logged.application,
        logged.actions,
        logged.status_changed,
        warnings=tuple(logged.warnings),
        idle=_idle(logged.application, logged.actions, logged),
    )
    return await _after(request, form, notice, change)


@posts.post("/actions/{action_id}/dismiss")
async def action_dismiss(request: Request, action_id: str) -> Response:
    form = await request.form()
    deps = deps_of(request)
    saved, change = tracked(deps, lambda: completion.dismiss(deps, action_id))
    notice = Notice("Dismissed.", saved.application, saved.actions)
    return await _after(request, form, notice, change)
