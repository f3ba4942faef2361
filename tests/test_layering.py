"""The layers import one way only: graph → questions → engine → {web, cli}.

``opsprep.errors`` (the root package, in core/) sits below every layer; web and cli are two front ends that do not
import each other, except that ``opsprep serve`` starts the web app from inside its function. The
library layers import neither Flask nor click.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: folder -> the opsprep subpackages it may import at module level
ALLOWED = {
    "core": set(),
    "graph": {"graph"},
    "questions": {"graph", "questions"},
    "engine": {"graph", "questions", "engine"},
    "web": {"graph", "questions", "engine", "web"},
    "cli": {"graph", "questions", "engine", "cli"},
}
LIBRARY = ("core", "graph", "questions", "engine")
FRAMEWORKS = {"flask", "flask_login", "flask_wtf", "click", "waitress"}
PACKAGE = {
    "core": "opsprep",
    "graph": "opsprep.graph",
    "questions": "opsprep.questions",
    "engine": "opsprep.engine",
    "web": "opsprep.web",
    "cli": "opsprep.cli",
}


def _imports(path: Path, package: str) -> list[tuple[int, str, bool]]:
    """(line, absolute module name, inside a function) of every import in a module."""
    tree = ast.parse(path.read_text(), str(path))
    parts = package.split(".") + list(path.relative_to(ROOT).parts[1:-1])
    nested = {
        id(n)
        for f in ast.walk(tree)
        if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)
        for n in ast.walk(f)
        if n is not f
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = parts[: len(parts) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            names = [module] if node.module else [f"{module}.{a.name}" for a in node.names]
        else:
            continue
        found.extend((node.lineno, name, id(node) in nested) for name in names)
    return found


def _layer_of(module: str) -> str | None:
    if module == "opsprep" or module.startswith("opsprep.errors") or module == "opsprep.__main__":
        return "core"
    if module.startswith("opsprep."):
        return module.split(".")[1]
    return None


def _violations(folder: str) -> list[str]:
    problems = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        if folder == "core" and path.name == "__main__.py":
            continue  # ``python -m opsprep`` is the command line's entry point
        for line, module, lazy in _imports(path, PACKAGE[folder]):
            where = f"{path.relative_to(ROOT)}:{line} imports {module}"
            layer = _layer_of(module)
            if folder in LIBRARY and module.split(".")[0] in FRAMEWORKS:
                problems.append(where)
            elif layer and layer != "core" and layer not in ALLOWED[folder] and layer in PACKAGE:
                lazy_ok = (folder == "cli" and layer == "web") or (folder == "core" and layer == "cli")
                if not (lazy and lazy_ok):
                    problems.append(where)
    return problems


@pytest.mark.parametrize("folder", sorted(ALLOWED))
def test_layers_import_one_way(folder):
    assert _violations(folder) == []


def test_the_check_catches_a_wrong_way_import(tmp_path, monkeypatch):
    """A graph module that imports the engine, or the CLI importing the web app at module level, is caught."""
    for folder, text in {
        "graph": "from opsprep.engine import Progress\n",
        "cli": "from opsprep.web.app import create_app\n",
        "engine": "import flask\n",
    }.items():
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "bad.py").write_text(text)
    (tmp_path / "cli" / "lazy.py").write_text("def serve():\n    from opsprep.web.app import create_app\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    assert _violations("graph") == ["graph/bad.py:1 imports opsprep.engine"]
    assert _violations("cli") == ["cli/bad.py:1 imports opsprep.web.app"]
    assert _violations("engine") == ["engine/bad.py:1 imports flask"]
