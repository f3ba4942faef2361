"""Check the graph against its SHACL shapes (pyshacl) and report violations readably."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Graph
from rdflib.namespace import RDF, SH

from .namespaces import shorten
from .store import SHAPES_FILE, add_inferred, data_files, new_graph, parse_file


@dataclass(frozen=True)
class Violation:
    """One SHACL result: which node, which property, what is wrong, and where the node is written."""

    focus: str
    path: str
    message: str
    severity: str
    value: str = ""
    files: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        """Return the violation as a plain dict (for JSON output)."""
        return asdict(self) | {"files": list(self.files)}

    def __str__(self) -> str:
        where = f"{', '.join(self.files)}: " if self.files else ""
        path = f" [{self.path}]" if self.path else ""
        value = f" (value: {self.value})" if self.value and self.value != self.focus else ""
        return f"{where}{self.focus}{path}: {self.message}{value}"


@dataclass
class ValidationReport:
    """The outcome of validating a set of Turtle files."""

    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    triples: int = 0

    def to_dict(self) -> dict:
        """Return the report as a plain dict (for JSON output)."""
        return {
            "conforms": self.conforms,
            "files": self.files,
            "triples": self.triples,
            "violations": [v.to_dict() for v in self.violations],
        }


def _path_text(results: Graph, path) -> str:
    if path is None:
        return ""
    inverse = results.value(path, SH.inversePath)
    return f"^{shorten(inverse)}" if inverse is not None else shorten(path)


def validate_files(paths: Iterable[Path | str] | None = None, shapes: Path | str = SHAPES_FILE) -> ValidationReport:
    """Load Turtle files (the shipped ones by default) and validate them against the SHACL shapes.

    Raises :class:`~opsprep.graph.errors.GraphLoadError` when a file does not parse.
    """
    files = data_files() if paths is None else [Path(p) for p in paths]
    graph = new_graph("memory")
    subject_files: dict[str, list[str]] = {}
    for path in files:
        part = new_graph("memory")
        parse_file(part, path, "memory")
        for subject in set(part.subjects()):
            subject_files.setdefault(str(subject), []).append(_display_path(path))
        graph += part
    add_inferred(graph)
    shapes_graph = Graph().parse(Path(shapes), format="turtle")
    conforms, results, _ = shacl_validate(
        graph, shacl_graph=shapes_graph, inference="none", advanced=True, allow_warnings=True
    )
    violations = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        value = results.value(result, SH.value)
        severity = results.value(result, SH.resultSeverity)
        violations.append(
            Violation(
                focus=shorten(focus),
                path=_path_text(results, results.value(result, SH.resultPath)),
                message=str(results.value(result, SH.resultMessage) or "does not conform"),
                severity=shorten(severity).removeprefix("sh:") if severity else "Violation",
                value=shorten(value) if value is not None else "",
                files=tuple(subject_files.get(str(focus), ())),
            )
        )
    violations.sort(key=lambda v: (v.files, v.focus, v.path, v.message))
    return ValidationReport(bool(conforms), violations, [_display_path(p) for p in files], len(graph))


def _display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
