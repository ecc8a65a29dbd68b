"""The layers the folders show are the layers the imports keep.

Every import in `reviewer/` is read with `ast`, including imports inside functions, so a
cycle cannot hide behind a late import.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "reviewer"
BASE = {
    "reviewer",
    "reviewer.model",
    "reviewer.errors",
    "reviewer.sanitize",
    "reviewer.bundled",
    "reviewer.tomlfile",
    "reviewer.dates",
    "reviewer.settings",
    "reviewer.paths",
    "reviewer.startup",
}
# What each layer may import from the program, beside the base modules and itself.
ALLOWED = {
    "sources": set(),
    "segment": set(),
    "review": {"sources", "segment"},
    "corpus": {"sources", "segment", "review"},
    "tui": {"sources", "segment", "review", "corpus"},
    "cli": {"sources", "segment", "review", "corpus", "tui"},
    "__main__": {"cli"},
    "base": set(),
}


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, package_root: Path = ROOT) -> list[tuple[str, int]]:
    """Every module a file imports (absolute names), wherever in the file the import is."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    name = module_name(path, package_root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            found.append((mod, node.lineno))
            # `from reviewer.review import annotation` imports the module annotation
            for alias in node.names:
                sub = f"{mod}.{alias.name}"
                if (package_root / Path(*sub.split("."))).with_suffix(".py").exists():
                    found.append((sub, node.lineno))
    return found


def layer_of(module: str) -> str:
    if module in BASE:
        return "base"
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "base"


def program_graph(root: Path = ROOT) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in (root / "reviewer").rglob("*.py"):
        name = module_name(path, root)
        graph[name] = {m for m, _ in imports_of(path, root) if m.startswith("reviewer")}
    return graph


def layer_violations(root: Path = ROOT) -> list[str]:
    problems = []
    for path in sorted((root / "reviewer").rglob("*.py")):
        layer = layer_of(module_name(path, root))
        for mod, line in imports_of(path, root):
            where = f"{path.relative_to(root)}:{line}"
            if (mod == "textual" or mod.startswith("textual.")) and layer != "tui":
                problems.append(f"{where}: imports Textual outside reviewer.tui")
            if not mod.startswith("reviewer"):
                continue
            target = layer_of(mod)
            if target in ("base", layer) or target in ALLOWED[layer]:
                continue
            problems.append(f"{where}: the {layer} layer imports {mod}")
    return problems


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Import cycles between modules (a package's __init__ counts as a module)."""
    found, state, stack = [], {}, []

    def visit(node: str) -> None:
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in graph:
                continue
            if state.get(nxt) == "open":
                found.append(stack[stack.index(nxt) :] + [nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


def test_layers_import_only_what_they_may():
    assert layer_violations() == []


def test_no_import_cycles():
    assert cycles(program_graph()) == []


def test_every_package_says_what_it_holds():
    for init in PACKAGE.rglob("__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and len(doc.split()) >= 8, f"{init.relative_to(ROOT)} needs a docstring"


def test_the_checks_catch_a_forbidden_import_and_a_cycle(tmp_path):
    """A late import of the UI from the segmenter, Textual in the review layer, and a cycle
    hidden in a function are each caught."""
    pkg = tmp_path / "reviewer"
    for sub in ("segment", "review", "tui"):
        (pkg / sub).mkdir(parents=True)
        (pkg / sub / "__init__.py").write_text('"""x"""\n')
    (pkg / "__init__.py").write_text("")
    (pkg / "tui" / "app.py").write_text("import textual\n")
    (pkg / "segment" / "engine.py").write_text(
        "def f():\n    from reviewer.tui.app import App\n    from . import rules\n"
    )
    (pkg / "segment" / "rules.py").write_text("def g():\n    from .engine import f\n")
    (pkg / "review" / "session.py").write_text("from textual.app import App\n")
    problems = layer_violations(tmp_path)
    assert any(
        "segment/engine.py:2: the segment layer imports reviewer.tui.app" in p for p in problems
    )
    assert any("review/session.py:1: imports Textual outside" in p for p in problems)
    assert not any("tui/app.py" in p for p in problems)
    assert cycles(program_graph(tmp_path)) == [
        ["reviewer.segment.engine", "reviewer.segment.rules", "reviewer.segment.engine"]
    ]


def test_months_are_named_in_one_module():
    """One month list and one date parser (`reviewer/dates.py`): no other module spells a
    month out to read or write dates by."""
    named = re.compile(r"\b(?:february|september|november)\b", re.IGNORECASE)
    found = [
        str(path.relative_to(ROOT))
        for path in PACKAGE.rglob("*.py")
        if path.name != "dates.py" and named.search(_code(path))
    ]
    assert found == []


def _code(path: Path) -> str:
    """A module's code without its docstrings and comments (examples may name a month)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        value = first.value if isinstance(first, ast.Expr) else None
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            body[0] = ast.Pass()
    return ast.unparse(tree)
