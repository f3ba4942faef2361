"""The opsprep knowledge graph: ontology, Turtle data, SHACL shapes, loading and SPARQL."""

from .catalog import Catalog, Certification, ExamDomain, read_catalog
from .errors import GraphError, GraphLoadError, QueryRejected, QuerySyntaxError, UnknownCertification, UnknownDomain
from .store import data_files, default_graph, load_graph

__all__ = [
    "Catalog",
    "Certification",
    "ExamDomain",
    "UnknownCertification",
    "UnknownDomain",
    "read_catalog",
    "GraphError",
    "GraphLoadError",
    "QueryRejected",
    "QuerySyntaxError",
    "data_files",
    "default_graph",
    "load_graph",
]
