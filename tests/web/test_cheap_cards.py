"""Issue 12, "cheap cards": the pages show the same cards, however they are now built."""

from __future__ import annotations

from pathlib import Path

import pytest

from followup.domain.model import ActionKind
from tests.web.sample_site import GOLDEN, PAGES, render_all


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return render_all(tmp_path_factory.mktemp("samples"))


@pytest.mark.parametrize("file", [file for file, _, _ in PAGES])
def test_a_page_shows_what_it_showed_before(rendered: dict[str, str], file: str) -> None:
    """Compared with the page as the per-card includes rendered it (whitespace aside)."""
    golden = (GOLDEN / file).read_text().replace("\n", "")
    assert rendered[file] == golden


def test_the_samples_hold_every_kind_of_card() -> None:
    """The golden pages would not guard a kind of card they never show."""
    pages = "".join(Path(GOLDEN / file).read_text() for file, _, _ in PAGES)
    missing = [k.value for k in ActionKind if f'<article class="card {k.value}' not in pages]
    assert missing == []
