"""The opsprep knowledge graph: ontology, Turtle data, SHACL shapes, loading and SPARQL."""

from opsprep.lazy import lazy_exports

_LAZY = {
    **dict.fromkeys(("Catalog", "Certification", "ExamDomain", "read_catalog"), "catalog"),
    **dict.fromkeys(
        ("GraphError", "GraphLoadError", "QueryRejected", "QuerySyntaxError", "UnknownCertification", "UnknownDomain"),
        "errors",
    ),
    **dict.fromkeys(("data_files", "default_graph", "load_graph"), "store"),
}


__getattr__, __dir__ = lazy_exports(__name__, _LAZY)


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
