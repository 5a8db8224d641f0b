"""Issue 12, "cheap cards": the pages show the same cards, however they are now built."""

from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import Any

import jinja2
import pytest

from followup.domain.model import ActionKind
from followup.entrypoints.web import rendering
from followup.entrypoints.web.bytecode import TemplateCache, template_cache
from tests.web.sample_site import GOLDEN, PAGES, build, render_all
from tests.web_support import Site


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


@pytest.fixture
def backlog(tmp_path: Path) -> Site:
    return build(tmp_path / "backlog.db", "backlog")


def test_a_page_of_cards_builds_its_macros_once_and_checks_no_file(
    backlog: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 12: the card macros were imported ``with context`` for each card (a module
    built per card) and each template file checked for changes at every use."""
    built: list[str] = []
    checked: list[str] = []
    make_module = jinja2.environment.Template.make_module
    stat = os.stat

    def counted_module(self: jinja2.Template, *args: Any, **kwargs: Any) -> Any:
        built.append(str(self.name))
        return make_module(self, *args, **kwargs)

    def counted_stat(path: Any, *args: Any, **kwargs: Any) -> Any:
        checked.append(str(path))
        return stat(path, *args, **kwargs)

    backlog.app.state.page_cache = None  # every page made afresh
    with backlog.client() as client:
        client.get("/")  # compiled once per process: counted from the second page
        monkeypatch.setattr(jinja2.environment.Template, "make_module", counted_module)
        monkeypatch.setattr(os, "stat", counted_stat)
        page = client.get("/").text
        monkeypatch.undo()
    assert page.count('<article class="card') > 20  # a page of each section (issue 12)
    assert len(built) <= 2  # _cards.html and _macros.html, once each if at all
    assert [p for p in checked if p.endswith(".html")] == []


def test_templates_are_checked_for_changes_only_while_developing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(rendering.DEV_ENV, raising=False)
    assert rendering.templates.env.auto_reload is False
    assert rendering._environment().auto_reload is False
    monkeypatch.setenv(rendering.DEV_ENV, "0")
    assert rendering._environment().auto_reload is False
    monkeypatch.setenv(rendering.DEV_ENV, "1")
    assert rendering._environment().auto_reload is True


def test_compiled_templates_are_kept_and_a_cache_that_fails_is_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    cache = template_cache()
    assert cache is not None
    source = jinja2.DictLoader({"t.html": "Hello {{ who }}"})
    kept = jinja2.Environment(loader=source, bytecode_cache=cache)
    assert kept.get_template("t.html").render(who="Ana") == "Hello Ana"
    folder = tmp_path / "cache" / "followup" / "templates"
    assert len(list(folder.iterdir())) == 1
    again = jinja2.Environment(loader=source, bytecode_cache=template_cache())
    assert again.get_template("t.html").render(who="Rui") == "Hello Rui"

    gone = jinja2.Environment(loader=source, bytecode_cache=TemplateCache(str(tmp_path / "x")))
    assert gone.get_template("t.html").render(who="Eva") == "Hello Eva"  # not written: fine
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "file"))
    assert template_cache() is None  # no folder can be made there: compile every start


@pytest.mark.parametrize(
    ("query", "rows"),
    [
        ("engineer", 27),
        ('"engineer', 27),  # an unbalanced quote
        ("engineer -", 27),  # a piece without a word counts for nothing
        ("\u00e9ngineer", 27),  # accents aside
        ("NEAR(engineer", 0),  # the words "near" then "engineer*", not an operator
        ("bruno*", 11),  # in the notes
        ("ana12@x", 1),  # a contact's email
        ("taste QUIET", 14),  # in the posting
        ("- * ( ) :", 0),
    ],
)
def test_the_search_box_takes_anything(backlog: Site, query: str, rows: int) -> None:
    with backlog.client() as client:
        page = client.get("/applications", params={"q": query, "status": "active"})
    assert page.status_code == 200
    body = page.text.split("<tbody>")[1].split("</tbody>")[0]
    assert body.count("<tr>") == max(rows, 1)
    assert ("No application matches." in body) is (rows == 0)


def test_what_the_server_loaded_to_start_is_left_out_of_full_collections(
    backlog: Site,
) -> None:
    gc.unfreeze()
    with backlog.client() as client:
        assert client.get("/applications").status_code == 200
        assert gc.get_freeze_count() > 10_000
    gc.unfreeze()
