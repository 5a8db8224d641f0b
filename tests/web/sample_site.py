"""Sample job searches whose pages hold every kind of action card, for the golden pages.

The golden files in ``tests/golden/pages/`` are the pages these searches render, written
once by ``python -m tests.web.sample_site`` (run it again only when a page is meant to
change, and read the diff). :mod:`tests.web.test_cheap_cards` renders them afresh and
compares, whitespace aside: the card templates may change how they are built, never
what they show.
"""

from __future__ import annotations

import re
import sys
import tempfile
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from followup import bootstrap
from followup.domain.mailbox import MailSettings
from followup.domain.model import (
    Application,
    Channel,
    Contact,
    ContactWindow,
    Decision,
    Interview,
    Outcome,
    Purpose,
    Role,
    Status,
    Touch,
)
from followup.domain.settings import Settings
from followup.services.session import writing
from tests.web_support import Site

#: A Wednesday morning in Lisbon.
NOW = datetime(2026, 3, 4, 9, tzinfo=UTC)
GOLDEN = Path(__file__).parent.parent / "golden" / "pages"
#: (golden file, sample, path): the pages compared.
PAGES = [
    ("today.html", "backlog", "/"),
    ("today-overdue-2.html", "backlog", "/today/overdue?page=2"),
    ("applications.html", "backlog", "/applications"),
    ("applications-page2.html", "backlog", "/applications?sort=company&page=2"),
    ("applications-search.html", "backlog", "/applications?q=engineer&status=active"),
    ("application.html", "backlog", "/applications/b03"),
    ("company.html", "backlog", "/companies/globex"),
    ("today-accepted.html", "accepted", "/"),
    ("today-quiet.html", "quiet", "/"),
]


def _day(days_ago: int) -> date:
    return NOW.date() - timedelta(days=days_ago)


def _at(days_ago: int, hour: int = 10) -> datetime:
    return datetime.combine(_day(days_ago), datetime.min.time(), UTC).replace(hour=hour)


def _backlog() -> Iterator[Application]:
    """Applications in every state the cards show, at three companies and more."""
    window = ContactWindow(frozenset({1, 3}), None, None)
    companies = ["Acme", "Globex", "Initech", "Umbrella & Sons", "Zoë <Labs>"]
    for i in range(60):
        company = companies[i % len(companies)]
        person = Contact(
            "ana", f"Ana {i}", Role.INTERVIEWER, f"ana{i}@x.example",
            "+351 912 345 678" if i % 3 else None, True,
        )  # fmt: skip
        hr = Contact("hr", "Rita HR", Role.HR, "jobs@x.example", None, True)
        contacts = (person, hr) if i % 7 else ()
        if not contacts and i % 2 == 0:  # nobody to ask at this company (R10)
            company = f"Solo {i}"
        interviews: tuple[Interview, ...] = ()
        touches: tuple[Touch, ...] = ()
        applied = _day(5 + (i * 3) % 50)
        shape = i % 6
        if shape == 1 and contacts:  # interviewed yesterday: thank-you and debrief
            interviews = (Interview("iv1", _at(1), ("ana",), True, True, window),)
        elif shape == 2 and contacts:  # interviewed, thanked: a status call or email
            interviews = (Interview("iv1", _at(12), ("ana",), True, True, window),)
            touches = (Touch("t1", _at(11), Channel.EMAIL, Purpose.THANK_YOU, Outcome.SENT, "ana"),)
        elif shape == 2:  # interviewed, nobody to call: find a contact
            interviews = (Interview("iv1", _at(12), (), True, True, None),)
        elif shape == 5:  # interviewed this morning: write down what was learned
            interviews = (Interview("iv1", _at(0, 8), ("ana",) if contacts else (), True, True),)
        elif shape == 3 and contacts:  # an interview to come
            interviews = (Interview("iv1", _at(-2), ("ana",), True, True, None),)
        elif shape == 4 and contacts:  # called twice, no answer: giving up comes
            interviews = (Interview("iv1", _at(40), ("ana",), True, True, None),)
            touches = (
                Touch("t1", _at(39), Channel.EMAIL, Purpose.THANK_YOU, Outcome.SENT, "ana"),
                Touch("t2", _at(30), Channel.PHONE, Purpose.STATUS, Outcome.NO_ANSWER, "ana"),
                Touch("t3", _at(20), Channel.PHONE, Purpose.STATUS, Outcome.NO_ANSWER, "ana"),
            )
        status = Status.REJECTED if i % 11 == 10 else Status.ACTIVE
        if status is Status.REJECTED:
            touches += (
                Touch("tr", _at(2), Channel.EMAIL, Purpose.STATUS, Outcome.REPLIED,
                      "hr" if contacts else None, Decision.REJECTED),
            )  # fmt: skip
        yield Application(
            id=f"b{i:02d}",
            company=company,
            position=["Backend Engineer", "Data Analyst", "QA Engineer", "Designer"][i % 4],
            status=status,
            applied_on=applied,
            recorded_on=applied,
            notes=f"Referred by Bruno {i}" if i % 5 == 0 else None,
            posting="Python, SQLite and a taste for quiet software." if i % 4 == 0 else None,
            contacts=contacts,
            interviews=interviews,
            touches=touches,
        )


def _accepted() -> Iterator[Application]:
    """One offer taken: the other active applications are to be withdrawn (R20)."""
    apps = list(_backlog())[:8]
    yield from apps[1:]
    yield Application(
        id="taken", company="Hooli", position="Staff Engineer", status=Status.ACCEPTED,
        applied_on=_day(30), recorded_on=_day(30),
    )  # fmt: skip


def _quiet() -> Iterator[Application]:
    """One fresh application: too few active ones, so apply for more."""
    yield Application("q1", "Acme", "Backend Engineer", applied_on=_day(1), recorded_on=_day(1))


SAMPLES = {"backlog": _backlog, "accepted": _accepted, "quiet": _quiet}


def build(db: Path, sample: str) -> Site:
    """The served database of ``sample`` (see :data:`SAMPLES`), mail set up to send."""
    deps = bootstrap.build(str(db), clock=None)
    try:
        with deps.store.writing() as repo:
            repo.save_settings(Settings("Europe/Lisbon", "PT"))
            repo.save_mail_settings(MailSettings(address="me@x.example", smtp_host="smtp.x"))
        with writing(deps, NOW) as s:
            s.save_many(list(SAMPLES[sample]()))
    finally:
        deps.store.close()  # type: ignore[attr-defined]
    return Site(db, NOW)


def normalized(html: str) -> str:
    """A page as compared: the CSRF token and the whitespace between things set aside."""
    html = re.sub(r'name="csrf_token" value="[0-9a-f]+"', 'name="csrf_token" value="-"', html)
    html = re.sub(r">\s+", ">", html)
    html = re.sub(r"\s+<", "<", html)
    return re.sub(r"\s+", " ", html).strip()


def render_all(folder: Path) -> dict[str, str]:
    """Every page of :data:`PAGES`, normalized, by golden file name."""
    sites = {name: build(folder / f"{name}.db", name) for name in SAMPLES}
    found = {}
    for file, sample, path in PAGES:
        with sites[sample].client() as client:
            response = client.get(path)
            assert response.status_code == 200, (path, response.text[:300])
            found[file] = normalized(response.text)
    return found


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for file, page in render_all(Path(tmp)).items():
            (GOLDEN / file).write_text(page.replace("><", ">\n<") + "\n")
            print(f"wrote {GOLDEN / file}", file=sys.stderr)
