"""The Insights page (issue 14) over a real SQLite file: the figures of the search counted
by hand, the period, a date that cannot be read, and an empty database."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from followup import bootstrap
from followup.domain.insights import Insights
from followup.formats.stats import DEFINITIONS
from followup.services import applications, insights
from followup.services.session import Deps
from tests.insights_support import NOW, saved
from tests.web_support import site


def test_the_figures_of_the_search(tmp_path: Path) -> None:
    web = site(tmp_path, NOW)
    saved(web.db)
    with web.client() as c:
        page = c.get("/insights")
    assert page.status_code == 200
    html = page.text
    assert '<a href="/insights" aria-current="page">Insights</a>' in html
    assert "<dt>Response rate</dt><dd>67% (4 of 6)</dd>" in html
    assert "<dd>7 days</dd>" in html
    assert "<dd>25% (1 of 4) of interviews</dd>" in html
    assert "1 on time (33%) and 2 late (median 2 days, at most 2 days)" in html
    # Four charts, each an image with a title and a description naming its numbers.
    assert html.count('role="img"') == 4
    assert '<title id="funnel-title">The funnel</title>' in html
    assert (
        "applications 6 (100%); answered 4 (67%); interviewed 4 (67%); offers 2 (33%);"
        " accepted 1 (17%)</desc>"
    ) in html
    assert "LinkedIn 67%; Company site 100%; (no source) 0%</desc>" in html
    assert (
        "week of Mon 2 Mar 2026: 4; week of Mon 9 Mar 2026: 0; week of Mon 16 Mar 2026: 2" in html
    )
    for name, text in DEFINITIONS.items():
        assert f"<dt>{name}</dt><dd>{text}</dd>" in html.replace("&#39;", "'")


def test_a_period(tmp_path: Path) -> None:
    web = site(tmp_path, NOW)
    saved(web.db)
    with web.client() as c:
        html = c.get("/insights", params={"from": "2026-03-03", "to": "2026-03-16"}).text
    assert "applications added from Tue 3 Mar 2026 to Mon 16 Mar 2026" in html
    assert "<dt>Response rate</dt><dd>75% (3 of 4)</dd>" in html
    assert 'value="2026-03-03"' in html


def test_a_date_that_cannot_be_read_is_said_beside_its_field(tmp_path: Path) -> None:
    web = site(tmp_path, NOW)
    saved(web.db)
    with web.client() as c:
        page = c.get("/insights", params={"from": "<b>someday</b>"})
        backwards = c.get("/insights", params={"from": "2026-03-10", "to": "2026-03-09"})
    assert page.status_code == 400
    assert 'id="from-error"' in page.text
    assert "<b>someday" not in page.text  # escaped
    assert "the figures below are those of the whole search" in page.text
    assert "<dd>67% (4 of 6)</dd>" in page.text
    assert backwards.status_code == 400
    assert "the end of the period comes before its start" in backwards.text


def test_an_empty_database_is_a_friendly_page(tmp_path: Path) -> None:
    web = site(tmp_path, NOW)
    with web.client() as c:
        page = c.get("/insights")
        later = c.get("/insights", params={"from": "2030-01-01"})
    assert page.status_code == 200
    assert "Nothing to count yet" in page.text
    assert 'role="img"' not in page.text
    assert "How each figure is counted" in page.text
    assert later.status_code == 200
    assert "No application was added in this period" in later.text


def test_a_source_is_text_not_markup(tmp_path: Path) -> None:
    web = site(tmp_path, NOW)
    deps = bootstrap.build(str(web.db), clock=web.clock)
    applications.add_application(deps, "Acme", "Dev", source='<svg onload="x()">', now=NOW)
    deps.store.close()  # type: ignore[attr-defined]
    with web.client() as c:
        html = c.get("/insights").text
    assert "<svg onload" not in html
    assert "&lt;svg onload=&#34;x()&#34;&gt;" in html
    assert not re.search(r"<svg(?![^>]*class=\"chart\")", html)


def test_the_page_is_counted_again_after_a_change_or_when_an_interview_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Kept between changes (a large search is counted once), never past one: a new
    application, or an interview that starts (it is then one that took place)."""
    web = site(tmp_path, NOW)
    saved(web.db)
    deps = bootstrap.build(str(web.db), clock=web.clock)
    counted: list[datetime] = []
    stats = insights.stats

    def counting(deps: Deps, now: datetime, first: date | None, last: date | None) -> Insights:
        counted.append(now)
        return stats(deps, now, first, last)

    monkeypatch.setattr(insights, "stats", counting)
    with web.client() as c:
        assert "<dd>67% (4 of 6)</dd>" in c.get("/insights").text
        assert "<dd>67% (4 of 6)</dd>" in c.get("/insights").text
        assert len(counted) == 1
        applications.add_application(deps, "Initrode", "Dev", now=NOW)
        assert "<dd>57% (4 of 7)</dd>" in c.get("/insights").text
        web.clock.current = datetime(2026, 3, 25, 10, 30, tzinfo=UTC)  # f's interview began
        assert "<dd>71% (5 of 7)</dd>" in c.get("/insights").text
    assert len(counted) == 3
    deps.store.close()  # type: ignore[attr-defined]
