"""Apps depend downward only (DESIGN.md): the portal imports no app, the directory imports no app
built on it, and no app but monitoring's reader side imports monitoring. The demo follows the
same rule: each app loads its own part from its own ``demo`` module."""

import ast
from pathlib import Path

import pytest
from django.apps import apps

from pestor.management.commands.load_demo import demo_modules

ROOT = Path(__file__).resolve().parent.parent
UPPER_APPS = {
    "directory",
    "exchange",
    "demand",
    "equipment_bank",
    "premises",
    "grants",
    "community",
    "partnerships",
}


def imported_top_modules(source: str) -> set[str]:
    """The top-level packages a module imports: import statements anywhere in it (also inside
    functions and ``if TYPE_CHECKING``), and ``import_module("…")`` with a literal name."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", None))
            in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.add(node.args[0].value.split(".")[0])
    return found


def forbidden_imports(package: str, forbidden: set[str]) -> dict[str, set[str]]:
    """``{file: forbidden packages it imports}`` for every Python file of ``package``."""
    problems = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        imported = imported_top_modules(path.read_text(encoding="utf-8")) & forbidden
        if imported:
            problems[str(path.relative_to(ROOT))] = imported
    return problems


def test_the_scanner_sees_every_way_of_importing():
    source = """
from directory.models import Organisation
import exchange.models
def later():
    from demand import selectors
    return import_module("monitoring.demo")
from . import roles
"""
    assert imported_top_modules(source) == {"directory", "exchange", "demand", "monitoring"}


def test_the_portal_imports_no_app():
    assert forbidden_imports("pestor", UPPER_APPS | {"monitoring"}) == {}


def test_the_directory_imports_no_app_built_on_it():
    assert forbidden_imports("directory", (UPPER_APPS - {"directory"}) | {"monitoring"}) == {}


@pytest.mark.parametrize("app", sorted(UPPER_APPS - {"directory"}))
def test_no_app_imports_monitoring(app):
    if not (ROOT / app).is_dir():
        pytest.skip(f"{app} is not written yet")
    assert forbidden_imports(app, {"monitoring"}) == {}


def test_demo_modules_are_found_in_the_order_of_installed_apps():
    installed = [app_config.label for app_config in apps.get_app_configs()]
    labels = [label for label, _module in demo_modules()]
    assert labels[:4] == ["pestor", "directory", "exchange", "demand"]
    assert labels == sorted(labels, key=installed.index)
    assert all(callable(module.load) for _label, module in demo_modules())


def test_the_readme_points_only_to_files_in_the_repository():
    """Paths and Markdown links in the README name files that exist here, not documents kept
    elsewhere (the product design lives outside the repository)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)#]+)", readme)
    documents = re.findall(r"\b([\w./-]+\.md)\b", readme)
    missing = [
        target
        for target in links + documents
        if not target.startswith(("http://", "https://", "mailto:"))
        and not (root / target).exists()
    ]
    assert missing == []
