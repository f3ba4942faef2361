"""Write the Kubernetes API kinds, types and fields of the v1.35 schemas as Turtle (``graph/data/k8s-api.ttl``).

Regenerate the shipped file after changing the kinds, the parsing rules or the kubernetes-validate version::

    python -m opsprep.graph.k8s_schema > graph/data/k8s-api.ttl

The output is deterministic: kinds in curriculum order, then types and fields sorted by IRI, blank nodes
written inline. What is imported, and why, is described in :mod:`opsprep.graph.k8s_defs`.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable

from . import k8s_api, k8s_defs
from .k8s_defs import K8S, SCHEMA_FOLDER, SCHEMA_VERSION, Field, short_name, type_iri
from .k8s_kinds import KINDS, Kind
from .namespaces import PREFIXES

_USED_PREFIXES = ("ops", "rdfs", "skos", "dcterms", "k8s", "topic")


def _lit(text: str) -> str:
    """A Turtle string literal."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def _value(value: str | int | bool | float) -> str:
    """A Turtle literal of the value's own type: true, 600, 1.5 or "TCP"."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f'"{value}"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    return _lit(value)


_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")


def _k8s(iri: str) -> str:
    """An IRI of the k8s: namespace, prefixed where its local name allows it (``JSONSchemaProps.$ref`` does not)."""
    local = iri[len(K8S) :]
    return f"k8s:{local}" if _LOCAL.fullmatch(local) else f"<{iri}>"


def _block(subject: str, pairs: Iterable[tuple[str, str]]) -> str:
    """One subject with its predicate-object pairs, objects of the same predicate joined with commas."""
    grouped: dict[str, list[str]] = {}
    for predicate, obj in pairs:
        grouped.setdefault(predicate, []).append(obj)
    lines = [
        f"    {p} {', '.join(objects)}" if len(objects) < 3 else f"    {p}\n        " + ",\n        ".join(objects)
        for p, objects in grouped.items()
    ]
    return f"{subject}\n" + " ;\n".join(lines) + " .\n"


def _kind_block(kind: Kind) -> str:
    pairs = [
        ("a", "ops:ApiKind"),
        ("skos:prefLabel", _lit(kind.kind) + "@en"),
        ("skos:definition", _lit(kind.definition) + "@en"),
        ("ops:kindName", _lit(kind.kind)),
        ("ops:apiGroup", _lit(kind.group)),
        ("ops:apiVersion", _lit(kind.api_version)),
        ("ops:resourceName", _lit(kind.plural)),
        ("ops:namespaced", _value(kind.namespaced)),
        ("ops:rootType", _k8s(type_iri(k8s_api.root_type(kind)))),
        ("ops:schemaVersion", _lit(SCHEMA_VERSION)),
        ("dcterms:source", f"<{kind.reference_url}>"),
        (
            "ops:statement",
            f"[ a ops:Statement ; ops:property skos:definition ; dcterms:source <{kind.concept_url}> ]",
        ),
    ]
    text = _block(f"k8s:{kind.slug}", pairs)
    if kind.topic:
        text += f"topic:{kind.topic} ops:apiKind k8s:{kind.slug} .\n"
    return text


def _type_block(key: str) -> str:
    pairs = [("a", "ops:ApiType"), ("rdfs:label", _lit(short_name(key))), ("ops:definitionName", _lit(key))]
    pairs += [("dcterms:source", f"<{page}>") for page in k8s_api.type_sources(key)]
    pairs += [("ops:hasField", _k8s(field.iri)) for field in k8s_defs.fields_of(key)]
    return _block(_k8s(type_iri(key)), pairs)


def _field_block(field: Field) -> str:
    pairs = [("a", "ops:ApiField"), ("ops:fieldName", _lit(field.name)), ("ops:fieldType", _lit(field.type))]
    if field.required:
        pairs.append(("ops:required", "true"))
    if field.ref:
        pairs.append(("ops:itemType" if field.type == "array" else "ops:valueType", _k8s(type_iri(field.ref))))
    if field.element:
        pairs.append(("ops:itemDatatype", _lit(field.element)))
    pairs += [("ops:allowedValue", _lit(value)) for value in field.allowed]
    if field.allowed:
        pages = " , ".join(f"<{page}>" for page in k8s_api.type_sources(field.owner))
        statement = f"[ a ops:Statement ; ops:property ops:allowedValue ; ops:complete true ; dcterms:source {pages} ]"
        pairs.append(("ops:statement", statement))
    if field.default is not None:
        pairs.append(("ops:defaultValue", _value(field.default)))
    return _block(_k8s(field.iri), pairs)


def counts() -> dict[str, int]:
    """How many kinds, types, fields, allowed-value lists and defaults the generated file holds."""
    fields = [f for key in k8s_api.api_types() for f in k8s_defs.fields_of(key)]
    return {
        "kinds": len(KINDS),
        "types": len(k8s_api.api_types()),
        "fields": len(fields),
        "fields with allowed values": sum(1 for f in fields if f.allowed),
        "allowed values": sum(len(f.allowed) for f in fields),
        "defaults": sum(1 for f in fields if f.default is not None),
    }


def turtle() -> str:
    """The whole generated Turtle file."""
    figures = ", ".join(f"{n} {name}" for name, n in counts().items())
    header = [
        "# GENERATED FILE: do not edit. Regenerate with",
        "#     python -m opsprep.graph.k8s_schema > graph/data/k8s-api.ttl",
        f"# Read from the Kubernetes {SCHEMA_VERSION} JSON schemas ({SCHEMA_FOLDER}) shipped in",
        f"# kubernetes-validate {k8s_defs.package_version()}; kinds and page choices in graph/k8s_kinds.py.",
        f"# {figures}.",
        "",
        *(f"@prefix {name}: <{PREFIXES[name]}> ." for name in _USED_PREFIXES),
        "",
        "# ---------------------------------------------------------------- kinds",
        "",
    ]
    parts = ["\n".join(header)]
    parts += [_kind_block(kind) + "\n" for kind in KINDS]
    parts.append("# ---------------------------------------------------------------- types and their fields\n\n")
    for key in sorted(k8s_api.api_types(), key=type_iri):
        parts.append(_type_block(key) + "\n")
        parts += [_field_block(field) + "\n" for field in k8s_defs.fields_of(key)]
    return "".join(parts).rstrip("\n") + "\n"


def main() -> None:
    """Print the generated Turtle to standard output."""
    sys.stdout.write(turtle())


if __name__ == "__main__":
    main()
