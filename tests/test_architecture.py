"""The layering rules: app/ never imports Qt (or ui/), ui/ never builds queries."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def offenders(folder: str, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        for module in imported_modules(path):
            if module.split(".")[0] in forbidden:
                found.append(f"{path.relative_to(ROOT)} imports {module}")
    return found


def test_app_has_no_qt_and_no_ui() -> None:
    assert offenders("app", ("PySide6", "shiboken6", "ui")) == []


def test_ui_builds_no_queries() -> None:
    assert offenders("ui", ("sqlalchemy", "alembic")) == []


@pytest.mark.parametrize("folder", ["app", "ui"])
def test_the_checker_sees_imports(folder: str, tmp_path: Path) -> None:
    # Guard against a checker that silently finds nothing.
    assert imported_modules(ROOT / "app" / "cli.py") >= {"argparse", "app.bootstrap"}
    assert "PySide6.QtWidgets" in imported_modules(ROOT / "ui" / "main_window.py")
