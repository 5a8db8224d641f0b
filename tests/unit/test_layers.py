"""The layers hold by their imports (issue 10, STYLE.md).

The domain imports only the standard library and itself; services (and the formats
they use) import no adapter, entrypoint or the composition root; entrypoints reach
adapters only through ``followup.bootstrap``. Every import counts, including the lazy
ones inside functions, since those are the easiest to slip in.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "followup"


def imports(path: Path) -> set[str]:
    """The absolute module names ``path`` imports (relative imports resolved)."""
    package = ["followup", *path.relative_to(SRC).parent.parts]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, node.module] if node.module else base)
            found.add(module)
            if module == "followup":  # from followup import bootstrap, __version__
                found.update(f"followup.{alias.name}" for alias in node.names)
    return found


def modules(layer: str) -> list[Path]:
    return sorted((SRC / layer).rglob("*.py"))


def inside(name: str, *layers: str) -> bool:
    return any(name == layer or name.startswith(layer + ".") for layer in layers)


def test_the_walk_finds_every_layer_and_the_lazy_imports() -> None:
    """A check that finds nothing would pass forever: make sure it sees real imports."""
    for layer in ("domain", "services", "formats", "adapters", "entrypoints"):
        assert modules(layer), layer
    assert "followup.bootstrap" in imports(SRC / "entrypoints" / "cli" / "serve.py")
    assert "zoneinfo" in imports(SRC / "domain" / "settings.py")  # inside a property


@pytest.mark.parametrize("path", modules("domain"), ids=lambda p: p.name)
def test_the_domain_imports_only_the_standard_library_and_itself(path: Path) -> None:
    outside = {
        name
        for name in imports(path)
        if not inside(name, "followup.domain")
        and name.split(".")[0] not in sys.stdlib_module_names
        and name != "__future__"
    }
    assert not outside, f"{path.name} imports {sorted(outside)}"


@pytest.mark.parametrize(
    "path", modules("services") + modules("formats"), ids=lambda p: f"{p.parent.name}/{p.name}"
)
def test_services_import_no_adapter_no_entrypoint(path: Path) -> None:
    wrong = {
        name
        for name in imports(path)
        if inside(name, "followup.adapters", "followup.entrypoints", "followup.bootstrap")
    }
    assert not wrong, f"{path.name} imports {sorted(wrong)}"


@pytest.mark.parametrize("path", modules("entrypoints"), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_entrypoints_reach_adapters_only_through_bootstrap(path: Path) -> None:
    wrong = {name for name in imports(path) if inside(name, "followup.adapters")}
    assert not wrong, f"{path.name} imports {sorted(wrong)}"


POSTGRES = "followup.adapters.postgres"


def _top_level_imports(path: Path) -> set[str]:
    """The modules ``path`` imports at its top level (not inside a function)."""
    tree = ast.parse(path.read_text(), str(path))
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("path", sorted(SRC.rglob("*.py")), ids=lambda p: str(p.relative_to(SRC)))
def test_only_the_server_path_reaches_postgresql(path: Path) -> None:
    """psycopg is for ``followup server`` alone: only the PostgreSQL adapter imports it,
    and only the composition root reaches that adapter, inside a function, so that the
    local commands' start-up never pays for it."""
    names = imports(path)
    in_adapter = path.is_relative_to(SRC / "adapters" / "postgres")
    if not in_adapter:
        assert not {n for n in names if inside(n, "psycopg", "psycopg_binary")}, path.name
    if path != SRC / "adapters" / "passwords.py":
        assert not {n for n in names if inside(n, "argon2")}, path.name
    if path != SRC / "adapters" / "secret_box.py":
        assert not {n for n in names if inside(n, "cryptography")}, path.name
    if not in_adapter and path != SRC / "bootstrap.py":
        assert not {n for n in names if inside(n, POSTGRES)}, path.name
    if path == SRC / "bootstrap.py":
        assert {n for n in names if inside(n, POSTGRES)}, "the check must see the lazy import"
        assert not {n for n in _top_level_imports(path) if inside(n, POSTGRES)}
