"""The opsprep knowledge graph: ontology, Turtle data, SHACL shapes, loading and SPARQL."""

import importlib

_LAZY = {
    **dict.fromkeys(("Catalog", "Certification", "ExamDomain", "read_catalog"), "catalog"),
    **dict.fromkeys(
        ("GraphError", "GraphLoadError", "QueryRejected", "QuerySyntaxError", "UnknownCertification", "UnknownDomain"),
        "errors",
    ),
    **dict.fromkeys(("data_files", "default_graph", "load_graph"), "store"),
}


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
