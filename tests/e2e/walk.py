"""The browser walk of a job search, step by step, shared by the local app's test and the
server's (issue 3's walk, repeated with two accounts for issue 15).

Each step happens at a moment of the server's clock (UTC): a test sets the clock, then has
each person walk the step in their own page. The company varies, so that two people on one
server have records at different addresses (the other's must answer 404).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from playwright.sync_api import Page, expect

from tests.e2e.browser import screenshot


@dataclass(frozen=True)
class Walker:
    """One person walking: their page, the app's address, the company they apply to."""

    page: Page
    url: str
    company: str = "Acme"
    shots: str = ""  # a prefix for the screenshots' names

    @property
    def slug(self) -> str:
        return f"{self.company.lower()}-backend-engineer"

    @property
    def domain(self) -> str:
        return f"{self.company.lower()}.example"

    @property
    def application(self) -> str:
        return f"{self.url}/applications/{self.slug}"


def add_the_application(w: Walker) -> None:
    """The application, its interviewer (her spelling confirmed, R2) and the interview."""
    page = w.page
    page.goto(f"{w.url}/applications")
    form = page.locator("form[action='/applications']")
    form.get_by_label("Company").fill(w.company)
    form.get_by_label("Position").fill("Backend Engineer")
    form.get_by_label("Applied on").fill("2026-02-20")
    form.get_by_role("button", name="Add").click()
    expect(page).to_have_url(re.compile(rf"/applications/{w.slug}$"))
    expect(page.locator("h1")).to_contain_text(w.company)

    contact = page.locator("form[action$='/contacts']")
    contact.get_by_label("Name", exact=True).fill("Ana Sousa")
    contact.get_by_label("Email", exact=True).fill(f"ana@{w.domain}")
    contact.get_by_label("Phone", exact=True).fill("+351 912 345 678")
    contact.get_by_label("exactly how they spell it").check()
    contact.get_by_role("button", name="Add the contact").click()
    expect(page.locator(".contacts")).to_contain_text("Ana Sousa")
    page.get_by_text("Record an interview").click()  # forms open on demand
    interview = page.locator("form[action$='/interviews']")
    interview.get_by_label("When").fill("Mon 2 Mar 2026 10:00")  # as the app writes it
    interview.get_by_label("Ana Sousa").check()
    interview.get_by_role("button", name="Save the interview").click()
    expect(page.locator(".card.prepare_interview")).to_be_visible()


def debrief(w: Walker) -> None:
    """After the interview, the debrief (R3) and the answer date (R7)."""
    page = w.page
    page.goto(w.application)
    form = page.locator("#debrief form")
    form.locator("fieldset.tristate").nth(0).get_by_label("Yes").check()
    form.locator("fieldset.tristate").nth(1).get_by_label("Yes").check()
    form.get_by_label("Best days and hours").fill("tue,thu 10:00-12:00")
    expect(form.get_by_label("They promised an answer by")).to_have_attribute(
        "placeholder", re.compile(r"^e\.g\. Mon 2 Mar 2026")
    )
    form.get_by_label("They promised an answer by").fill("2026-03-12")
    form.get_by_role("button", name="Save the debrief").click()
    expect(page.locator(".timeline")).to_contain_text("answer promised by Thu 12 Mar 2026")


def thank_you(w: Walker) -> None:
    """Wednesday: the thank-you is due (R4); its draft, then "mark sent"."""
    page = w.page
    page.goto(w.url)
    card = page.locator(".card.thank_you_email")
    expect(card).to_contain_text("Thank Ana Sousa")
    card.locator("details.draft summary").click()
    expect(card.locator("textarea")).to_have_value(re.compile("Dear Ana Sousa"))
    expect(card.get_by_role("link", name="Open in your email app")).to_have_attribute(
        "href", re.compile(rf"^mailto:ana@{re.escape(w.domain)}\?subject=")
    )
    screenshot(page, f"{w.shots}1-thank-you-draft")
    card.get_by_role("button", name="Mark sent").click()
    notice = page.locator("#notice")
    expect(notice).to_contain_text("Recorded: thank-you email to Ana Sousa: sent.")
    expect(notice).to_contain_text("Call for news, Tue 17 Mar 2026")


def call(w: Walker) -> None:
    """Two weeks on: the call, with its script, its window and a tel: link (R11); then HR
    becomes known."""
    page = w.page
    page.goto(w.url)
    card = page.locator(".card.status_call")
    expect(card).to_contain_text("Ask for Ana Sousa.")
    expect(card.locator(".window")).to_contain_text("Tue, Thu 10:00-12:00")
    expect(card.get_by_role("link", name=re.compile("Call Ana Sousa"))).to_have_attribute(
        "href", "tel:+351912345678"
    )
    screenshot(page, f"{w.shots}2-call")
    card.get_by_role("button", name="No answer").click()
    notice = page.locator("#notice")
    expect(notice).to_contain_text("Recorded: status call to Ana Sousa: no answer.")
    expect(notice).to_contain_text("Call for news, Tue 24 Mar 2026")  # R13
    expect(page.locator("#section-coming .card.status_call time")).to_have_text("Tue 24 Mar 2026")

    page.goto(w.application)
    page.locator("#add-contact summary").click()
    contact = page.locator("form[action$='/contacts']")
    contact.get_by_label("Name", exact=True).fill("Rui Lopes")
    contact.locator("select[name=role]").select_option("hr")
    contact.get_by_label("Email", exact=True).fill(f"jobs@{w.domain}")
    contact.get_by_label("exactly how they spell it").check()
    contact.get_by_role("button", name="Add the contact").click()
    expect(page.locator(".contacts")).to_contain_text("Rui Lopes")


def voicemail(w: Walker) -> None:
    """A second unanswered call sends the next attempt to HR (R17)."""
    page = w.page
    page.goto(w.url)
    page.locator(".card.status_call").get_by_role("button", name="Voicemail").click()
    expect(page.locator(".card.status_email")).to_contain_text("Rui Lopes")
    expect(page.locator(".card.status_email time")).to_have_text("Tue 31 Mar 2026")


def email_hr(w: Walker) -> None:
    """The email to HR goes unanswered too: after three attempts, let it go."""
    page = w.page
    page.goto(w.url)
    page.locator(".card.status_email").get_by_role("button", name="Mark sent").click()
    expect(page.locator(".card.give_up time")).to_have_text("Tue 7 Apr 2026")


def give_up(w: Walker) -> None:
    page = w.page
    page.goto(w.url)
    card = page.locator(".card.give_up")
    expect(card).to_contain_text("It is fine to let this one go")
    card.get_by_role("button", name="Mark as no response").click()
    expect(page.locator("#notice")).to_contain_text(f"{w.company} is now no response")
    screenshot(page, f"{w.shots}3-given-up")
    page.goto(w.application)
    expect(page.locator(".meta .status")).to_have_text("no response")


#: The walk: at each moment (the server's clock, UTC), a step.
STEPS: list[tuple[str, Callable[[Walker], None]]] = [
    ("2026-03-02T08:00", add_the_application),  # a Monday morning
    ("2026-03-02T12:00", debrief),
    ("2026-03-04T09:00", thank_you),
    ("2026-03-17T10:15", call),
    ("2026-03-24T10:30", voicemail),
    ("2026-03-31T09:00", email_hr),
    ("2026-04-07T09:00", give_up),
]
