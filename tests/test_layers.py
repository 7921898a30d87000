"""The layers of portal/: a module imports only its own layer and those below it,
and never another feature's views (``views``, ``*_views``, ``views_*``; see
docs/architecture.md).

Read with ``ast``, so an import inside a function counts too; imports under
``if TYPE_CHECKING:`` do not (they are for the type checker only).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PORTAL = Path(__file__).resolve().parent.parent / "portal"

#: Lowest first. ``core`` is portal/*.py and the mail package; ``cases`` is a
#: family's goals, notes and data, above the families it reads. A package missing
#: here fails ``test_every_package_has_a_layer``.
LAYERS = [
    "core",
    "accounts",
    "availability",
    "booking",
    "families",
    "consent",
    "cases",
    "feedback",
    "calendar",
    "main",
]
INFRASTRUCTURE = {"mail"}
#: Modules that wire the features together, above every layer: the application
#: factory, the models Alembic sees, the CLI, the demo data, and the error pages
#: (they log a refused request against its account). No feature imports them.
WIRING = {"portal", "portal.models", "portal.cli", "portal.demo", "portal.errors"}
TOP = len(LAYERS)


def module_name(path: Path) -> str:
    parts = path.relative_to(PORTAL.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def feature_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) < 3 and not (PORTAL / parts[-1]).is_dir():
        return "core"  # portal/*.py
    return "core" if parts[1] in INFRASTRUCTURE else parts[1]


def rank(module: str) -> int:
    return TOP if module in WIRING else LAYERS.index(feature_of(module))


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _is_module(dotted: str) -> bool:
    path = PORTAL.parent.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imported_modules(source: str) -> list[str]:
    """The portal modules ``source`` imports at run time (``from pkg import mod``
    names the module ``pkg.mod`` when there is one)."""
    found: list[str] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                dotted = f"{node.module}.{alias.name}"
                found.append(dotted if _is_module(dotted) else node.module)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(source))
    return [name for name in found if name.split(".")[0] == "portal"]


def is_views(module: str) -> bool:
    last = module.rsplit(".", 1)[-1]
    return last == "views" or last.endswith("_views") or last.startswith("views_")


def problems(module: str, source: str) -> list[str]:
    found = []
    for target in imported_modules(source):
        if rank(target) > rank(module):
            found.append(f"{module} imports {target}, a layer above it")
        elif is_views(target) and feature_of(target) != feature_of(module):
            found.append(f"{module} imports {target}, another feature's views")
    return found


def all_modules() -> list[Path]:
    return sorted(PORTAL.rglob("*.py"))


def test_every_package_has_a_layer():
    packages = {p.parent.name for p in PORTAL.glob("*/__init__.py")}
    assert packages - INFRASTRUCTURE <= set(LAYERS)


def test_no_module_imports_above_its_layer_or_another_features_views():
    found = [
        problem
        for path in all_modules()
        for problem in problems(module_name(path), path.read_text(encoding="utf-8"))
    ]
    assert found == []


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("portal.availability.services", "from portal.booking import sessions"),
        ("portal.availability.services", "import portal.calendar.web"),
        ("portal.booking.holds", "def f():\n    from portal.calendar import web\n"),
        ("portal.calendar.web", "from portal.booking.views import steps"),
        ("portal.calendar.web", "from portal.booking import views_confirm"),
        ("portal.accounts.services", "from portal import demo"),
        ("portal.security", "from portal.accounts.models import User"),
    ],
)
def test_the_check_sees_a_wrong_import(module, source):
    assert problems(module, source) != []


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("portal.booking.holds", "from portal.availability.settings import lock"),
        ("portal.calendar.web", "from portal.calendar import views, bp"),
        ("portal.booking.notify", "from portal.mail.outbox import enqueue"),
        (
            "portal.login_sessions",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
            "    from portal.accounts.models import User\n",
        ),
        ("portal", "from portal.calendar import bp"),
    ],
)
def test_the_check_allows_a_right_import(module, source):
    assert problems(module, source) == []
