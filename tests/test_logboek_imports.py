"""The logboek's boundaries: ``app/logboek/`` imports no feature package (subjects are resolved
through the models' hooks, the actor through ``init_app``), and ``audit/`` imports no ``app``."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imports(package: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in sorted(package.rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
                names.update(f"{node.module}.{a.name}" for a in node.names)
        found[str(path.relative_to(ROOT))] = names
    return found


def test_the_logboek_imports_no_feature_package() -> None:
    allowed = ("app.db", "app.clock", "app.logboek")  # infrastructure and itself
    offending = {
        module: sorted(
            n
            for n in names
            if n.split(".")[0] == "app" and not n.startswith(allowed) and n != "app"
        )
        for module, names in _imports(ROOT / "app" / "logboek").items()
    }
    assert {m: n for m, n in offending.items() if n} == {}


def test_audit_imports_nothing_of_the_app() -> None:
    offending = {
        module: sorted(n for n in names if n == "app" or n.startswith("app."))
        for module, names in _imports(ROOT / "audit").items()
    }
    assert {m: n for m, n in offending.items() if n} == {}
