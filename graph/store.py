"""Build the knowledge graph from the shipped Turtle files, once per process.

The store is chosen here and nowhere else. ``benchmarks/graph_store.py`` compares
rdflib's default in-memory store with the Oxigraph-backed store of ``oxrdflib``;
Oxigraph loads and answers the benchmark queries many times faster, so it is the default.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph

from .errors import GraphLoadError
from .namespaces import OPS, PREFIXES

PACKAGE_DIR = Path(__file__).resolve().parent
ONTOLOGY_FILE = PACKAGE_DIR / "ontology.ttl"
SHAPES_FILE = PACKAGE_DIR / "shapes.ttl"
DATA_DIR = PACKAGE_DIR / "data"

#: store name -> (rdflib store plugin, Turtle parser plugin)
STORES: dict[str, tuple[str, str]] = {
    "oxigraph": ("Oxigraph", "ox-turtle"),
    "memory": ("default", "turtle"),
}
DEFAULT_STORE = "oxigraph"


def data_files(data_dir: Path | str | None = None) -> list[Path]:
    """Return the Turtle files that make up the graph: the ontology, then every ``*.ttl`` of the data folder."""
    folder = Path(data_dir) if data_dir is not None else DATA_DIR
    if not folder.is_dir():
        raise GraphLoadError(str(folder), "no such data folder")
    return [ONTOLOGY_FILE, *sorted(folder.glob("*.ttl"))]


def new_graph(store: str = DEFAULT_STORE) -> Graph:
    """Return an empty graph on the named store with the project's prefixes bound."""
    try:
        plugin, _ = STORES[store]
    except KeyError:
        raise ValueError(f"Unknown store {store!r}; choose one of {', '.join(STORES)}") from None
    graph = Graph(store=plugin)
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True)
    return graph


def parse_file(graph: Graph, path: Path, store: str = DEFAULT_STORE) -> None:
    """Parse one Turtle file into ``graph``; raise :class:`GraphLoadError` with the file and line on failure."""
    _, parser = STORES[store]
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise GraphLoadError(str(path), exc.strerror or str(exc)) from None
    try:
        graph.parse(data=data, format=parser, publicID=path.resolve().as_uri())
    except Exception as exc:
        raise _load_error(path, exc) from None


def _load_error(path: Path, exc: Exception) -> GraphLoadError:
    """Translate a parser's exception into a GraphLoadError with the line where it is known."""
    if hasattr(exc, "_why") and isinstance(getattr(exc, "lines", None), int):  # rdflib's BadSyntax
        return GraphLoadError(str(path), str(exc._why), exc.lines + 1)
    if isinstance(exc, SyntaxError):  # pyoxigraph: lineno/offset point at the error
        return GraphLoadError(str(path), str(exc.msg or exc), exc.lineno, exc.offset)
    return GraphLoadError(str(path), str(exc))


#: the ops: properties the ontology declares symmetric; the loader adds the reverse of each link
SYMMETRIC = (OPS.equivalentTo, OPS.disjointWith)


def add_inferred(graph: Graph) -> None:
    """Add the reverse of every link of a symmetric property (``ops:equivalentTo``, ``ops:disjointWith``)."""
    for prop in SYMMETRIC:
        for a, b in list(graph.subject_objects(prop)):
            graph.add((b, prop, a))


def load_graph(paths: Iterable[Path | str] | None = None, store: str = DEFAULT_STORE) -> Graph:
    """Build a graph from Turtle files (the shipped ones by default).

    Raises :class:`GraphLoadError` naming the file and line of the first syntax error.
    """
    graph = new_graph(store)
    for path in data_files() if paths is None else [Path(p) for p in paths]:
        parse_file(graph, path, store)
    add_inferred(graph)
    return graph


@functools.cache
def default_graph() -> Graph:
    """Return the shipped graph, built on first use and shared for the life of the process.

    Treat it as read-only: every caller in the process sees the same object.
    """
    return load_graph()
