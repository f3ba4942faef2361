"""The Kubernetes API schema definitions that ``kubernetes-validate`` ships, read as typed fields.

One definition (``io.k8s.api.core.v1.Container``) becomes one API type with its fields. The same rules
decide what the graph imports and what :mod:`opsprep.graph.k8s_api` offers, so the two always agree:

* the ``status`` of API objects (the field ``status`` of a definition that is a kind of the API) and
  ``managedFields`` are left out: manifests do not write them;
* of ``ObjectMeta`` only ``name``, ``namespace``, ``labels`` and ``annotations`` are kept;
* fields whose description marks them deprecated ("Deprecated: ..." or "Deprecated. ...") are left out,
  such as the in-tree cloud volume plugins.

Allowed values and defaults come from the description text (:mod:`opsprep.graph.k8s_text`) or, for
``apiVersion`` and ``kind``, from the schema's own ``enum``.
"""

from __future__ import annotations

import functools
import importlib.metadata
import importlib.resources
import json
import re
from dataclasses import dataclass
from pathlib import Path

from .k8s_text import allowed_values, default_value
from .namespaces import ID

#: the Kubernetes release whose schemas are read: the one the current CKA and CKAD curricula name
SCHEMA_VERSION = "v1.35.0"
#: the folder of kubernetes-validate holding that release's schemas (strict: unknown fields are errors)
SCHEMA_FOLDER = f"{SCHEMA_VERSION}-local-strict"
K8S = f"{ID}k8s/"

#: definitions that are values, not objects with fields: their field type
_LEAF_TYPES = {
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString": "int-or-string",
    "io.k8s.apimachinery.pkg.api.resource.Quantity": "quantity",
    "io.k8s.apimachinery.pkg.apis.meta.v1.Time": "string",
    "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime": "string",
}
_OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
_OBJECT_META_KEPT = ("name", "namespace", "labels", "annotations")
_DEPRECATED = re.compile(r"(?:^|[.:]\s+|\n)Deprecated[:.]")
#: the field types a field can have
#: ("any": the schema leaves the value untyped, such as a default in a CustomResourceDefinition's schema)
FIELD_TYPES = ("string", "integer", "boolean", "number", "array", "object", "map", "int-or-string", "quantity", "any")


@dataclass(frozen=True)
class Field:
    """One field of one definition, as the schema states it.

    ``ref`` is the definition of the field's object, of its array's items or of its map's values, when that is
    a definition with fields; ``element`` is the scalar type of an array's items or a map's values otherwise.
    """

    owner: str
    name: str
    type: str
    required: bool
    ref: str | None = None
    element: str | None = None
    allowed: tuple[str, ...] = ()
    default: str | int | bool | float | None = None

    @property
    def iri(self) -> str:
        """The field's IRI: its type's IRI, a dot and the field name."""
        return f"{type_iri(self.owner)}.{self.name}"


def package_version() -> str:
    """The installed version of kubernetes-validate, whose schemas are read."""
    return importlib.metadata.version("kubernetes-validate")


def schema_folder() -> Path:
    """The folder of the v1.35 strict JSON schemas inside the installed kubernetes-validate package."""
    return Path(str(importlib.resources.files("kubernetes_validate"))) / "kubernetes-json-schema" / SCHEMA_FOLDER


@functools.cache
def definitions() -> dict[str, dict]:
    """Every schema definition of the release, by its OpenAPI name (``io.k8s.api.apps.v1.Deployment``)."""
    return json.loads((schema_folder() / "_definitions.json").read_text(encoding="utf-8"))["$defs"]


def short_name(key: str) -> str:
    """The type name without its package: ``io.k8s.api.core.v1.Container`` -> ``Container``."""
    return key.rsplit(".", 1)[-1]


def type_iri(key: str) -> str:
    """The IRI of a definition's API type: ``io.k8s.api.core.v1.Container`` -> ``k8s:type-core-v1-Container``."""
    *_, group, version, name = key.split(".")
    return f"{K8S}type-{group}-{version}-{name}"


def has_fields(key: str) -> bool:
    """True for a definition with fields of its own (an API type), False for a value such as a Quantity."""
    return key not in _LEAF_TYPES and bool(definitions().get(key, {}).get("properties"))


def _ref(prop: dict) -> str | None:
    ref = prop.get("$ref")
    return ref.rsplit("/", 1)[-1] if ref else None


def _scalar(prop: dict) -> str:
    """The JSON type of a property that is not a reference ("string", "integer", ...; "any" if untyped)."""
    kind = prop.get("type", "any")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "any")
    return kind


def _leaf_type(key: str) -> str:
    """The field type of a definition without fields (IntOrString, Quantity, Time, RawExtension, ...)."""
    return _LEAF_TYPES.get(key) or _scalar(definitions().get(key, {}))


def _element(prop: dict) -> tuple[str | None, str | None]:
    """(definition, scalar type) of an array's items or a map's values."""
    ref = _ref(prop)
    if ref is None:
        return None, _scalar(prop)
    return (ref, None) if has_fields(ref) else (None, _leaf_type(ref))


def _field(owner: str, name: str, prop: dict, required: bool) -> Field:
    ref = _ref(prop)
    description = prop.get("description", "")
    if ref is not None:
        if has_fields(ref):
            return Field(owner, name, "object", required, ref=ref)
        kind = _leaf_type(ref)
    else:
        kind = _scalar(prop)
    if kind == "array":
        item_ref, element = _element(prop.get("items", {}))
        allowed = allowed_values(description) if element == "string" else ()
        return Field(owner, name, "array", required, ref=item_ref, element=element, allowed=allowed)
    extra = prop.get("additionalProperties")
    if kind == "object" and isinstance(extra, dict):
        value_ref, element = _element(extra)
        return Field(owner, name, "map", required, ref=value_ref, element=element)
    allowed = tuple(prop["enum"]) if "enum" in prop else ()
    if not allowed and kind == "string":
        allowed = allowed_values(description)
    return Field(owner, name, kind, required, allowed=allowed, default=default_value(description, kind, name, allowed))


def _kept(owner: str, name: str, prop: dict) -> bool:
    if name == "managedFields" or (owner == _OBJECT_META and name not in _OBJECT_META_KEPT):
        return False
    if name == "status" and "x-kubernetes-group-version-kind" in definitions()[owner]:
        return False
    return not _DEPRECATED.search(prop.get("description", ""))


@functools.cache
def fields_of(key: str) -> tuple[Field, ...]:
    """The kept fields of one definition, sorted by name."""
    definition = definitions()[key]
    required = set(definition.get("required", ()))
    props = definition.get("properties", {})
    return tuple(
        _field(key, name, props[name], name in required) for name in sorted(props) if _kept(key, name, props[name])
    )


def reachable(roots: list[str]) -> list[str]:
    """The definitions with fields reachable from ``roots`` through kept fields, roots first, then by name."""
    seen: dict[str, None] = {}
    stack = list(reversed(roots))
    while stack:
        key = stack.pop()
        if key in seen:
            continue
        seen[key] = None
        stack.extend(f.ref for f in reversed(fields_of(key)) if f.ref and f.ref not in seen)
    return [*roots, *sorted(k for k in seen if k not in roots)]
