"""The house's import rules (docs/architecture.md, "Layout"):

* no import cycle between modules of ``app/``, ``audit/`` and ``demo/`` (module-level imports,
  including the parent packages an import runs);
* an import inside a function only where it breaks a cycle or is lazy on purpose, and it says so
  (``# cycle: …`` or ``# lazy: …`` on the line or the one above);
* ``app/`` top level holds only infrastructure; every feature is a package;
* no module over 650 lines.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("app", "audit", "demo")


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def _targets(module: str, path: Path, node: ast.stmt) -> list[str]:
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:
            parts = module.split(".")
            if path.name != "__init__.py":
                parts = parts[:-1]
            parts = parts[: len(parts) - (node.level - 1)]
            base = ".".join([*parts, *([node.module] if node.module else [])])
        return [base, *(f"{base}.{a.name}" for a in node.names)]
    return []


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    edges: dict[str, set[str]] = {m: set() for m in modules}
    for module, path in modules.items():
        for node in ast.parse(path.read_text(encoding="utf-8")).body:  # module level only
            for target in _targets(module, path, node):
                parts = target.split(".")
                for i in range(1, len(parts) + 1):  # importing a.b.c runs a and a.b too
                    candidate = ".".join(parts[:i])
                    if (
                        candidate in modules
                        and candidate != module
                        and not module.startswith(candidate + ".")
                    ):
                        edges[module].add(candidate)
    return edges


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in edges:
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_between_modules() -> None:
    assert _cycles(_graph()) == []


def _explained(lines: list[str], i: int) -> bool:
    """The import on line ``i`` (0-based), or the block of imports and comments right above it,
    carries a ``# cycle:`` or ``# lazy:`` comment."""
    while i >= 0:
        text = lines[i].strip()
        if "# cycle:" in text or "# lazy:" in text:
            return True
        if not (text.startswith(("#", "from ", "import ")) or text.endswith(",") or text == ")"):
            return False
        i -= 1
    return False


def test_imports_inside_functions_say_why() -> None:
    unexplained = []
    for module, path in _modules().items():
        lines = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(ast.parse("\n".join(lines))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom) and not _explained(
                    lines, inner.lineno - 1
                ):
                    unexplained.append(f"{module}:{inner.lineno}")
    assert unexplained == []


def test_app_top_level_is_infrastructure_only() -> None:
    infrastructure = {
        "__init__.py", "blueprints.py", "cli.py", "clock.py", "config.py", "db.py",
        "domain.py", "errors.py", "extensions.py", "forms.py", "i18n.py", "i18n_catalog.py", "migrate.py",
        "models.py",
        "params.py", "register.py", "serving.py", "templating.py",
    }  # fmt: skip
    assert {p.name for p in (ROOT / "app").glob("*.py")} <= infrastructure


def test_no_module_is_too_long() -> None:
    long = {
        str(path.relative_to(ROOT)): n
        for path in _modules().values()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 650
    }
    assert long == {}
