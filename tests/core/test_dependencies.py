"""Dependencies point one way: safeguarding -> performance -> actionplans -> core; core imports no app."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ORDER = ["core", "actionplans", "performance", "safeguarding"]


def imported_apps(app):
    """(file, app) for every import in `app`'s code, migrations aside, of another of our apps."""
    found = []
    for path in (ROOT / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            found += [(path.relative_to(ROOT), name.split(".")[0]) for name in names if name.split(".")[0] in ORDER]
    return found


@pytest.mark.parametrize("app", ORDER)
def test_an_app_imports_only_the_apps_below_it(app):
    allowed = set(ORDER[: ORDER.index(app) + 1])
    wrong = [(str(path), other) for path, other in imported_apps(app) if other not in allowed]
    assert wrong == [], f"{app} must not import {sorted({other for _, other in wrong})}: {wrong}"


def test_the_check_sees_imports():
    # The rule above means something only if it finds the imports that are there.
    assert ("actionplans", "core") in {(str(path).split("/")[0], other) for path, other in imported_apps("actionplans")}
