"""The opsprep knowledge graph: ontology, Turtle data, SHACL shapes, loading and SPARQL."""

from .errors import GraphError, GraphLoadError, QueryRejected, QuerySyntaxError
from .store import data_files, default_graph, load_graph

__all__ = [
    "GraphError",
    "GraphLoadError",
    "QueryRejected",
    "QuerySyntaxError",
    "data_files",
    "default_graph",
    "load_graph",
]
