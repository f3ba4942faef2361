"""The example queries of the query page: the ``examples/*.rq`` files, shipped as ``opsprep.examples``."""

from __future__ import annotations

import functools
import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path

from opsprep.graph.namespaces import PREFIXES

_PREFIXED_NAME = re.compile(r"(?<![\w<\"'?$:/.-])([A-Za-z][\w-]*):(?=[\w])")


@dataclass(frozen=True)
class Example:
    """One example: its file name (without ``.rq``), its title (the first comment) and its query."""

    name: str
    title: str
    query: str

    @property
    def text(self) -> str:
        """The query as the editor shows it: the comment, then a PREFIX line for each prefix it uses."""
        comment, body = _split_comment(self.query)
        return comment + prefix_lines(body) + body


def examples_dir() -> Path:
    """The folder of the shipped ``.rq`` files (the ``opsprep.examples`` package, installed or editable)."""
    spec = importlib.util.find_spec("opsprep.examples")
    for location in spec.submodule_search_locations if spec else ():
        if Path(location).is_dir():
            return Path(location)
    raise FileNotFoundError("the opsprep.examples folder is not installed")


@functools.cache
def load_examples() -> tuple[Example, ...]:
    """Every example, sorted by title."""
    examples = []
    for path in examples_dir().glob("*.rq"):
        query = path.read_text(encoding="utf-8")
        comment, _ = _split_comment(query)
        title = " ".join(line.lstrip("# ").strip() for line in comment.splitlines()) or path.stem
        examples.append(Example(path.stem, title, query))
    return tuple(sorted(examples, key=lambda e: e.title.lower()))


def find_example(name: str) -> Example | None:
    """The example with this file name, or ``None``."""
    return next((e for e in load_examples() if e.name == name), None)


def prefix_lines(query: str) -> str:
    """PREFIX declarations for the predeclared prefixes that ``query`` uses, so it runs on any endpoint."""
    used = {m.group(1) for m in _PREFIXED_NAME.finditer(query)} & PREFIXES.keys()
    declared = {m.group(1) for m in re.finditer(r"PREFIX\s+([\w-]*):", query, re.IGNORECASE)}
    return "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in PREFIXES if p in used - declared)


def _split_comment(query: str) -> tuple[str, str]:
    """Split the leading comment lines off a query."""
    lines = query.splitlines(keepends=True)
    count = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    return "".join(lines[:count]), "".join(lines[count:])
