"""An action card's HTML, written by a Python function instead of a Jinja2 macro.

Issue 12 asks 2,000 Today pages a second of one worker, rendered afresh. Measured on the
benchmark's pages (19 and 30 cards), the ``_cards.html`` macro was half of a page's time:
each card paid a macro call's context, some 30 ``escape`` calls each making a ``Markup``,
and an attribute lookup through the sandbox-ready ``getattr`` per ``{{ }}``. The same text
written here costs a fifth of that. The HTML is byte for byte the macro's: the macro is
kept in the tests (``tests/web/card_reference.html``) and every kind of card of the
sample searches is rendered both ways and compared (``tests/web/test_card_html.py``).

Texts of records are escaped as Jinja's autoescape does (``markupsafe.escape``: ``&``,
``<``, ``>``, ``'`` and ``"``), and only when they hold one of those characters; the CSRF
field holds the marker that :mod:`..cache` replaces with the requester's token.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any, NamedTuple

from markupsafe import Markup, escape

from followup.domain import words
from followup.domain.model import DISMISSIBLE_KINDS, Channel, Contact, company_key
from followup.domain.words import KIND_LABELS
from followup.entrypoints.web.cache import TOKEN_MARKER
from followup.entrypoints.web.pages.cards import Buttons, Card, Notice, buttons
from followup.entrypoints.web.rendering import DOT, DOT_MARK, dom_id, quoted, segment
from followup.formats.plan import window_from_json
from followup.services.planning import Record

_ERROR_KEYS = ("done.form", "done.outcome", "done.decision_by", "done.vacancies")


def _e(text: object) -> str:
    """``text`` as Jinja's autoescape writes it (``None`` as ``None``, as Jinja does).

    Most texts of a card hold none of the characters escaping changes: five ``in`` tests
    (each a C-level scan) tell so in a fifth of the time of one regular expression's match,
    and a card has a dozen texts (issue 12)."""
    if type(text) is str and not (
        "&" in text or "<" in text or ">" in text or "'" in text or '"' in text
    ):
        return text
    return str(escape(text))


def _form(url: str, verb: str, path: str, hidden: str, cls: str = "") -> str:
    return (
        f'  <form{cls} method="post" action="{url}/{verb}" hx-post="{url}/{verb}"'
        f' hx-target="main" hx-select="main" hx-swap="outerHTML show:window:top">\n'
        f'    {hidden}<input type="hidden" name="next" value="{path}">\n'
    )


def _hidden(token: str) -> str:
    """The form field of the CSRF token: :data:`TOKEN_MARKER`'s by default (a page that may
    be kept, the requester's token put in after), or the requester's own token."""
    if token is TOKEN_MARKER:
        return _HIDDEN
    return f'<input type="hidden" name="csrf_token" value="{token}">'


_HIDDEN = f'<input type="hidden" name="csrf_token" value="{TOKEN_MARKER}">'


def card_html(
    card: Card,
    today: date,
    notice: Notice | None,
    errors: Mapping[str, str] | None,
    path: str,
    hidden: str = _HIDDEN,
) -> Markup:
    """The card as ``_cards.html``'s ``card`` macro wrote it (module docstring); ``hidden``:
    its forms' CSRF field (:func:`_hidden`)."""
    page = _page(today, notice, errors, _e(path), hidden)
    return Markup(_card(card, page))  # noqa: S704 - escaped


class _Page(NamedTuple):
    """What every card of a page shares, worked out once per page (issue 12)."""

    day: str  # today, ISO (ISO days compare as the days do)
    today: date
    #: The company of the notice's application (its cards are "fresh"; ``None`` is a
    #: company too, an action of none), or :data:`_NO_NOTICE`.
    fresh: object
    errors: Mapping[str, str] | None
    path: str  # escaped
    hidden: str
    outcome: str  # a call's outcome form, after its hidden fields
    dot: str  # ``rendering.DOT``, or what stands for it (``DOT_MARK``)


def _page(
    today: date,
    notice: Notice | None,
    errors: Mapping[str, str] | None,
    path: str,
    hidden: str,
    dot: str = DOT,
) -> _Page:
    fresh = notice.application.company if notice and notice.application else _NO_NOTICE
    outcome = _OUTCOME.format(today=words.day(today))
    return _Page(today.isoformat(), today, fresh, errors, path, hidden, outcome, dot)


def _card(card: Card, page: _Page) -> str:
    """:func:`card_html`'s text, every text of the record escaped: joined with a page's
    other cards before it is made ``Markup`` (issue 12).

    The texts a card shows are tested for characters to escape all at once (one scan of
    their sum, not a call per text)."""
    r = card.record
    kind: str = r["kind"]
    url, html_id, application_url = _addresses(r)
    company = r["company"]
    contact_name = r["contact_name"]
    position = r["position"]
    reason = r["reason"]
    rule = r["rule"]
    texts = f"{company}{contact_name}{position}{reason}{rule}"
    if "&" in texts or "<" in texts or ">" in texts or "'" in texts or '"' in texts:
        company = _e(company) if company else company  # None stays falsy: no who line
        contact_name = _e(contact_name) if contact_name else contact_name
        position, reason, rule = _e(position), _e(reason), _e(rule)
    out = [_head(r, kind, html_id, page)]
    add = out.append
    if company:
        add('    <p class="who">\n')
        if contact_name:
            add(f"{contact_name}, ")
        add(
            f'      <a href="{_company_url(r["company"])}" title="Everything at {company}">'
            f'{company}</a>{page.dot}<a href="{application_url}">{position}</a>\n    </p>\n'
        )
    add(
        f'  </header>\n  <p class="reason">{reason} <span class="rule">{rule}</span></p>\n'
        '  <details class="why">\n    <summary>Why?</summary>\n    <ol>\n'
    )
    add(_steps(r["steps"]))
    add("    </ol>\n  </details>\n")
    errors = page.errors
    if errors:
        for key in _ERROR_KEYS:
            if message := errors.get(key):
                add(f'<p class="error" role="alert">{_e(message)}</p>')
    add("\n")
    _buttons(card, url, application_url, page, add)
    add("\n")
    if kind in DISMISSIBLE_KINDS:
        add(
            _form(url, "dismiss", page.path, page.hidden, ' class="dismiss"')
            + '    <button type="submit" class="quiet">Not doing it</button>\n  </form>\n'
        )
    add("</article>\n")
    return "".join(out)


def _addresses(record: Record) -> tuple[str, str, str]:
    """The card's action address, its HTML id and its application's address.

    Ids holding only letters, digits, ``-``, ``_`` and ``:`` (as the ids this program
    makes do) are written as they are but ``:``: no ``quote`` and no regular expression's
    substitution per card (issue 12)."""
    action_id: str = record["id"]
    if _PLAIN_ID(action_id):
        url = "/actions/" + action_id.replace(":", "%3A")
        html_id = "card-" + action_id.replace(":", "-")
    else:
        url, html_id = "/actions/" + quoted(action_id), dom_id(action_id)
    application = record["application"] or ""
    if application.isalnum() and application.isascii():
        return url, html_id, "/applications/" + application
    return url, html_id, "/applications/" + quoted(application)


def _head(record: Record, kind: str, html_id: str, page: _Page) -> str:
    """The card's opening, up to its heading: its state (overdue, due today, fresh), its
    day and how late it is."""
    due: str = record["due"]
    fresh = " fresh" if record["company"] == page.fresh else ""
    when = _DAYS.get(due) or _day(due)
    if due < page.day:
        state = " overdue"
        when += page.dot + _lateness(due, kind, page.today)
    else:
        state = " due" if due == page.day else ""
    return (
        f'<article class="card {kind}{state}{fresh}" id="{html_id}">\n'
        f'  <header>\n    <time datetime="{due}">{when}</time>\n'
        f"    <h3>{KIND_LABELS[kind]}</h3>\n"  # type: ignore[index]
    )


def _steps(steps: Iterable[list[str]]) -> str:
    """The items of the card's "Why?" list: each step's rule, text and day."""
    out = []
    for step in steps:
        rule, text, when = step
        both = rule + text
        if "&" in both or "<" in both or ">" in both or "'" in both or '"' in both:
            rule, text = _e(rule), _e(text)
        if when:
            out.append(f'      <li><span class="rule">{rule}</span> {text}: {_day(when)}</li>\n')
        else:
            out.append(f'      <li><span class="rule">{rule}</span> {text}</li>\n')
    return "".join(out)


#: Ids that addresses and HTML ids take as they are, but ``:`` (see :func:`_card`).
_PLAIN_ID = re.compile(r"[A-Za-z0-9_:-]*").fullmatch


_NO_NOTICE = object()


def cards_html(
    cards: Iterable[Card],
    today: date,
    notice: Notice | None,
    errors: Mapping[str, str] | None,
    path: str,
    token: str = TOKEN_MARKER,
) -> Markup:
    """Cards one after the other: one call from a template for all of a page's cards (a call
    from a template costs as much as writing a card's header). ``token``: the requester's
    CSRF token, written in their forms (a page never kept, issue 12: putting it in after
    was a pass over the whole page), or by default the marker (:mod:`..cache`)."""
    page = _page(today, notice, errors, _e(path), _hidden(token))
    return Markup("".join([_card(c, page) for c in cards]))  # noqa: S704


def cards_text(cards: Iterable[Card], today: date, path: str, token: str) -> str:
    """:func:`cards_html` of a page written in Python (no notice, no errors), with
    ``rendering.DOT_MARK`` for ``rendering.DOT`` (``rendering.render_shelled``)."""
    page = _page(today, None, None, _e(path), _hidden(token), DOT_MARK)
    return "".join([_card(c, page) for c in cards])


def _lines(lines: Iterable[str]) -> str:
    """A script's or a checklist's lines as list items."""
    return "".join([f"<li>{_e(line)}</li>" for line in lines])


def _buttons(
    card: Card,
    url: str,
    application_url: str,
    page: _Page,
    add: Callable[[str], None],
) -> None:
    """The card's buttons: one branch of the macro per :class:`.Buttons`."""
    r = card.record
    contact = card.contact
    path, hidden = page.path, page.hidden
    shown = buttons(r)
    if shown == Buttons.EMAIL:
        add(
            f'  <details class="draft" hx-get="{url}/draft" hx-trigger="toggle once"'
            ' hx-target="find .draft-body">\n    <summary>Draft</summary>\n'
            f'    <div class="draft-body"><a href="{url}/draft">Open the draft</a></div>\n'
            '  </details>\n  <div class="buttons">\n'
        )
        if card.can_send and contact and contact.email:
            add(
                _form(url, "send", path, hidden)
                + '    <button type="submit">Send</button>\n  </form>\n'
            )
        quiet = ' class="quiet"' if card.can_send else ""
        add(
            _form(url, "done", path, hidden)
            + f'    <button type="submit"{quiet}>Mark sent</button>\n  </form>\n  </div>\n\n'
        )
    elif shown == Buttons.WITHDRAW:
        add('  <p class="call">\n')
        _call_link(contact, page.dot, add)
        add('  </p>\n  <details class="script" open>\n    <summary>Script</summary>\n    <ol>')
        add(_lines(r["script"]))
        add("</ol>\n  </details>\n" + _form(url, "done", path, hidden))
        if r["channel"] == Channel.PHONE:
            add('<input type="hidden" name="outcome" value="reached">')
        add('    <button type="submit">I told them: mark as withdrawn</button>\n  </form>\n\n')
    elif shown == Buttons.CALL:
        add('  <p class="call">\n')
        _call_link(contact, page.dot, add)
        if r["window"]:
            add(f'<span class="window">Best: {_e(_window(r["window"]))}</span>')
        add('  </p>\n  <details class="script" open>\n    <summary>Script</summary>\n    <ol>')
        add(_lines(r["script"]))
        add("</ol>\n  </details>\n" + _form(url, "done", path, hidden, ' class="outcome"'))
        add(page.outcome)
    elif shown == Buttons.GIVE_UP:
        add(
            _form(url, "done", path, hidden)
            + '    <button type="submit">Mark as no response</button>\n  </form>\n\n'
        )
    elif shown == Buttons.FIND_CONTACT:
        add(
            f'  <p><a class="button" href="{application_url}#contacts">'
            "Add the HR contact</a></p>\n\n"
        )
    elif shown == Buttons.DEBRIEF:
        add('  <ul class="checklist">')
        add(_lines(r["script"]))
        add(
            f'</ul>\n  <p><a class="button" href="{application_url}#debrief">'
            "Record what you learned</a></p>\n\n"
        )
    elif shown == Buttons.PREPARE:
        add(
            '  <details class="script"><summary>What to ask at the end</summary>\n'
            '    <ul class="checklist">'
        )
        add(_lines(r["script"]))
        add(
            "</ul>\n  </details>\n"
            + _form(url, "done", path, hidden)
            + '    <button type="submit">I am prepared</button>\n  </form>\n\n'
        )
    elif shown == Buttons.APPLY_MORE:
        add('  <p><a class="button" href="/applications#new">Add an application</a></p>\n')


def _call_link(contact: Contact | None, dot: str, add: Callable[[str], None]) -> None:
    """The contact's ``tel:`` link, when they have a phone."""
    if contact is not None and contact.phone:
        add(
            f'<a class="button" href="{_e(words.tel_uri(contact.phone))}">Call {_e(contact.name)}'
            f"{dot}{_e(contact.phone)}</a>"
        )


# What a page's cards repeat (their days, companies and windows) is worked out once per
# process: a few hundred short texts at most, dropped all at once should they grow past
# _MOST (a search with thousands of companies).
_MOST = 4096
_DAYS: dict[str, str] = {}
_COMPANY_URLS: dict[str, str] = {}
_WINDOWS: dict[tuple[str | None, str | None, tuple[str, ...]], str] = {}
_LATENESS: dict[tuple[str, str, date], str] = {}


def _day(iso: str) -> str:
    """``words.day`` of an ISO day."""
    found = _DAYS.get(iso)
    if found is None:
        if len(_DAYS) > _MOST:
            _DAYS.clear()
        found = _DAYS[iso] = words.day(date.fromisoformat(iso))
    return found


def _lateness(due: str, kind: str, today: date) -> str:
    """``words.lateness`` of an ISO day, for ``today``."""
    key = (due, kind, today)
    found = _LATENESS.get(key)
    if found is None:
        if len(_LATENESS) > _MOST:
            _LATENESS.clear()
        found = _LATENESS[key] = words.lateness(date.fromisoformat(due), kind, today)
    return found


def _company_url(company: str) -> str:
    """The address of the company's page (RULES.md's company key, one path segment)."""
    found = _COMPANY_URLS.get(company)
    if found is None:
        if len(_COMPANY_URLS) > _MOST:
            _COMPANY_URLS.clear()
        found = _COMPANY_URLS[company] = _e("/companies/" + segment(company_key(company)))
    return found


def _window(window: Mapping[str, Any]) -> str:
    """``words.window`` of a record's window."""
    key = (window.get("start"), window.get("end"), tuple(window.get("days") or ()))
    found = _WINDOWS.get(key)
    if found is None:
        if len(_WINDOWS) > _MOST:
            _WINDOWS.clear()
        found = _WINDOWS[key] = words.window(window_from_json(dict(window)))
    return found


_OUTCOME = """\
    <label><span>Decision</span>
      <select name="decision">
        <option value="">They did not say</option>
        <option value="undecided">Not decided yet</option>
        <option value="rejected">Rejected</option>
        <option value="offer">Offer</option>
      </select>
    </label>
    <label><span>Decision expected by</span><input type="text" name="decision_by" \
placeholder="e.g. {today}, friday, +2w" autocomplete="off"></label>
    <label><span>Other open positions</span><input type="text" name="vacancies" \
placeholder="e.g. Data engineer; SRE"></label>
    <div class="buttons">
      <button type="submit" name="outcome" value="reached">Reached</button>
      <button type="submit" name="outcome" value="no_answer">No answer</button>
      <button type="submit" name="outcome" value="voicemail">Voicemail</button>
    </div>
  </form>

"""
