"""Schemathesis against /api: no server error, and every response matches the schema."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from followup import bootstrap
from followup.demo import sample
from followup.services.interchange import import_data
from tests.web_support import Site, free_port, serving

NOW = datetime(2026, 11, 25, 9, tzinfo=UTC)


class Live:
    def __init__(self, url: str, token: str, browser_id: str) -> None:
        self.url = url
        self.token = token
        self.browser_id = browser_id  # the cookie the token was signed for
        actions = requests.get(f"{url}/api/plan", params={"horizon": 60}, timeout=10).json()
        #: Ids of real records, so that generated requests also reach the use cases.
        self.ids = {
            "app_id": ["acme-backend", "globex-data", "umbrella-qa", "hooli-platform"],
            "action_id": [a["id"] for a in actions["actions"]],
            "contact_id": ["ana", "bruno", "hr"],
            "interview_id": ["iv1"],
            "touch_id": ["t1", "t2"],
            "name": ["acme", "Umbrella", "globex-data"],
        }


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    site = Site(tmp_path_factory.mktemp("schema") / "api.db", NOW, port=free_port())
    deps = bootstrap.build(str(site.db), clock=site.clock)
    import_data(deps, sample(NOW, ZoneInfo("UTC")))
    deps.store.close()  # type: ignore[attr-defined]
    with serving(site) as url:
        answer = requests.get(f"{url}/api/csrf", timeout=10)
        yield Live(url, answer.json()["token"], str(answer.cookies["followup_csrf"]))


def operations(live: Live) -> list[Any]:
    schema = schemathesis.openapi.from_url(f"{live.url}/api/openapi.json")
    found = []
    for result in schema.get_all_operations():
        found.append(result.ok())  # type: ignore[union-attr]
    return found


def test_the_api_answers_every_request_within_its_schema(live: Live) -> None:
    """Each operation, called with generated data (schemathesis' pytest plugin does not run
    under pytest 9, so the Hypothesis strategies are driven here)."""
    ops = operations(live)
    assert len(ops) >= 20
    for operation in ops:

        @given(case=operation.as_strategy(), real=st.integers(-1, 5))
        @settings(
            max_examples=15,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: Any, real: int) -> None:
            if real >= 0 and case.path_parameters:
                for name in case.path_parameters:
                    known = live.ids[name]
                    case.path_parameters[name] = known[real % len(known)]
            response = case.call(
                base_url=live.url,
                headers={"x-csrf-token": live.token},
                cookies={"followup_csrf": live.browser_id},
            )
            assert response.status_code < 500, (case.method, case.path, response.text[:300])
            case.validate_response(
                response,
                checks=[
                    response_schema_conformance,
                    status_code_conformance,
                    content_type_conformance,
                ],
            )

        check()


def test_the_schema_covers_the_use_cases(live: Live) -> None:
    paths = requests.get(f"{live.url}/api/openapi.json", timeout=10).json()["paths"]
    for path in [
        "/api/plan", "/api/applications", "/api/applications/{app_id}",
        "/api/applications/{app_id}/contacts", "/api/applications/{app_id}/interviews",
        "/api/applications/{app_id}/debrief", "/api/applications/{app_id}/touches",
        "/api/applications/{app_id}/vacancies", "/api/actions/{action_id}",
        "/api/actions/{action_id}/draft", "/api/actions/{action_id}/done",
        "/api/actions/{action_id}/dismiss", "/api/settings", "/api/import", "/api/export",
        "/api/applications/{app_id}/interviews/{interview_id}",
        "/api/applications/{app_id}/touches/{touch_id}",
        "/api/applications/{app_id}/contacts/{contact_id}", "/api/history", "/api/undo",
        "/api/companies/{name}",
    ]:  # fmt: skip
        assert path in paths, path
