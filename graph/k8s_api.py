"""The Kubernetes v1.35 API for question templates and graders: kinds, field paths and manifest validation.

Everything here reads the JSON schemas that ``kubernetes-validate`` ships (see :mod:`opsprep.graph.k8s_defs`
for what is kept), with no RDF involved::

    >>> resolve_path("Deployment", "spec.template.spec.containers[].readinessProbe.httpGet.path").type
    'string'
    >>> resolve_path("Deployment", "spec.replicas").default
    1
    >>> validate_manifest({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
    ...                    "spec": {"containers": [{"name": "web", "image": "nginx", "imagePullPolicy": 1}]}})
    ['spec.containers[0].imagePullPolicy: expected a string, found 1']
"""

from __future__ import annotations

import difflib
import functools
import json
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from jsonschema import Draft202012Validator, ValidationError
from referencing import Registry, Resource

from . import k8s_defs
from .errors import GraphError
from .k8s_defs import Field, reachable, short_name
from .k8s_kinds import KINDS, REFERENCE, TYPE_PAGES, Kind

__all__ = [
    "FieldInfo",
    "SchemaProblem",
    "UnknownApiKind",
    "field_paths",
    "kind_info",
    "kinds",
    "resolve_path",
    "schema_problems",
    "type_sources",
    "validate_manifest",
]


class UnknownApiKind(GraphError, LookupError):
    """The graph describes no API kind by that name (and apiVersion)."""


@dataclass(frozen=True)
class FieldInfo:
    """One field reached from a kind by a dotted path such as ``spec.template.spec.containers[].image``.

    ``type`` is one of :data:`~opsprep.graph.k8s_defs.FIELD_TYPES`. ``item_type`` names what an array holds
    and ``value_type`` what an object or a map holds: an API type name ("Container") or a scalar type
    ("string"). ``allowed`` and ``default`` are set only where the schema states them plainly; empty or None
    means unknown, not "anything" or "no default". ``sources`` are the reference pages that document the field.
    """

    path: str
    name: str
    type: str
    required: bool
    owner: str
    iri: str
    item_type: str | None = None
    value_type: str | None = None
    allowed: tuple[str, ...] = ()
    default: str | int | bool | float | None = None
    sources: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        """The field as a plain dict (tuples as lists)."""
        return asdict(self) | {"allowed": list(self.allowed), "sources": list(self.sources)}


@dataclass(frozen=True)
class SchemaProblem:
    """One way a manifest breaks the schema: where (keys and list indexes from the top) and what."""

    path: tuple[str | int, ...]
    message: str

    @property
    def where(self) -> str:
        """The path written as ``spec.containers[0].image`` ("" at the top level)."""
        return dotted(self.path)

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.path else self.message


def dotted(path: tuple[str | int, ...] | list[str | int]) -> str:
    """Write a path of keys and indexes as ``spec.containers[0].image``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# ---------------------------------------------------------------- kinds and types


def kinds() -> tuple[Kind, ...]:
    """Every API kind the graph describes, in curriculum order."""
    return KINDS


def kind_info(kind: str, api_version: str | None = None) -> Kind:
    """The described kind named ``kind`` (any case), in ``api_version`` if given.

    Raises :class:`UnknownApiKind` naming the kinds that are described.
    """
    for candidate in KINDS:
        if candidate.kind.lower() == kind.lower() and api_version in (None, candidate.api_version):
            return candidate
    where = f" in {api_version}" if api_version else ""
    raise UnknownApiKind(f"No API kind {kind!r}{where} is described; choose one of {', '.join(k.kind for k in KINDS)}.")


def root_type(kind: Kind) -> str:
    """The definition name of a kind's object: ``io.k8s.api.apps.v1.Deployment``."""
    return _roots()[kind.slug]


@functools.cache
def _roots() -> dict[str, str]:
    found = {}
    for key, definition in k8s_defs.definitions().items():
        for gvk in definition.get("x-kubernetes-group-version-kind", ()):
            found[(gvk["group"], gvk["version"], gvk["kind"])] = key
    return {k.slug: found[(k.group, k.version, k.kind)] for k in KINDS}


@functools.cache
def api_types() -> tuple[str, ...]:
    """The definition names of every API type reachable from the described kinds: the kinds' own first."""
    return tuple(reachable(list(_roots().values())))


@functools.cache
def _type_sources() -> dict[str, tuple[str, ...]]:
    """The reference pages documenting each type: its own section's page, else the pages of the types using it."""
    pages: dict[str, set[str]] = {key: {f"{REFERENCE}{page}/"} for key, page in TYPE_PAGES.items()}
    pages.update({_roots()[k.slug]: {k.reference_url} for k in KINDS})
    users: dict[str, set[str]] = {}
    for key in api_types():
        for field in k8s_defs.fields_of(key):
            if field.ref:
                users.setdefault(field.ref, set()).add(key)
    changed = True
    while changed:  # documented inline: on every page that documents a type using it
        changed = False
        for key in api_types():
            if key in TYPE_PAGES or key in _roots().values():
                continue
            inherited = set().union(*(pages.get(user, set()) for user in users.get(key, ())))
            if not inherited <= pages.get(key, set()):
                pages[key] = pages.get(key, set()) | inherited
                changed = True
    return {key: tuple(sorted(pages.get(key, ()))) for key in api_types()}


def type_sources(key: str) -> tuple[str, ...]:
    """The v1.35 API reference pages that document the fields of the type ``key`` (a definition name)."""
    return _type_sources().get(key, ())


# ---------------------------------------------------------------- field paths


def _info(field: Field, path: str) -> FieldInfo:
    target = short_name(field.ref) if field.ref else field.element
    return FieldInfo(
        path=path,
        name=field.name,
        type=field.type,
        required=field.required,
        owner=short_name(field.owner),
        iri=field.iri,
        item_type=target if field.type == "array" else None,
        value_type=target if field.type in ("object", "map") else None,
        allowed=field.allowed,
        default=field.default,
        sources=type_sources(field.owner),
    )


def _walk(key: str, prefix: str, on_path: frozenset[str]) -> Iterator[FieldInfo]:
    for field in k8s_defs.fields_of(key):
        path = f"{prefix}{field.name}"
        yield _info(field, path)
        if field.ref and field.type in ("object", "array") and field.ref not in on_path:
            below = f"{path}[]." if field.type == "array" else f"{path}."
            yield from _walk(field.ref, below, on_path | {field.ref})


@functools.cache
def _paths(slug: str) -> tuple[FieldInfo, ...]:
    root = _roots()[slug]
    return tuple(_walk(root, "", frozenset({root})))


def field_paths(kind: str, api_version: str | None = None) -> list[FieldInfo]:
    """Every field of a kind by its dotted path, depth first in name order.

    Arrays of objects are entered with ``[]`` (``spec.containers[].image``); maps are not entered; a type
    that contains itself (a CRD's ``JSONSchemaProps``) is entered once per path. Raises :class:`UnknownApiKind`.
    """
    return list(_paths(kind_info(kind, api_version).slug))


_INDEX = re.compile(r"\[(?:\d+|\*)?\]")


def resolve_path(kind: str, path: str, api_version: str | None = None) -> FieldInfo | None:
    """The field a dotted path names in a kind, or None when the kind has no such field.

    Accepts list indexes or none (``containers[0].image``, ``containers[*].image``, ``containers.image``),
    a leading dot and a leading kind name, as ``kubectl explain`` takes them (``deployment.spec.replicas``).
    Raises :class:`UnknownApiKind`.
    """
    described = kind_info(kind, api_version)
    names = [n for n in _INDEX.sub("", path.strip()).strip(".").split(".") if n]
    if names and names[0].lower() == described.kind.lower():
        names = names[1:]
    key, prefix, found = root_type(described), "", None
    for position, name in enumerate(names):
        field = next((f for f in k8s_defs.fields_of(key) if f.name == name), None) if key else None
        if field is None:
            return None
        found = _info(field, f"{prefix}{name}")
        last = position == len(names) - 1
        if not last and not (field.ref and field.type in ("object", "array")):
            return None
        prefix = f"{prefix}{name}[]." if field.type == "array" else f"{prefix}{name}."
        key = field.ref
    return found


# ---------------------------------------------------------------- manifest validation


@functools.cache
def _registry() -> Registry:
    document = json.loads((k8s_defs.schema_folder() / "_definitions.json").read_text(encoding="utf-8"))
    return Resource.from_contents(document) @ Registry()


_DEFINITION_REFS = ("/api/_definitions.json#/$defs/", "#/$defs/")
_INLINED: dict[str, Any] = {}  # definitions with their references inlined, shared by every kind's schema


def _inline(node: Any, active: set[str]) -> Any:
    """``node`` with ``$ref``s to the shared definitions replaced by the definitions themselves (shared objects,
    not copies), so that validating follows no references (about twice as fast); a recursive reference stays a
    ``$ref``. Every ``$ref`` of these schemas sits beside annotations only (``description``, ``x-kubernetes-*``)."""
    if isinstance(node, list):
        return [_inline(item, active) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str):  # a property may be named "$ref" (JSONSchemaProps): its value is a schema, not text
        name = next((ref[len(prefix) :] for prefix in _DEFINITION_REFS if ref.startswith(prefix)), "")
        if name in _INLINED:
            return _INLINED[name]
        if name in active:
            return {"$ref": _DEFINITION_REFS[0] + name}
        if name in k8s_defs.definitions():
            active.add(name)
            _INLINED[name] = inlined = _inline(k8s_defs.definitions()[name], active)
            active.discard(name)
            return inlined
    return {key: _inline(value, active) for key, value in node.items()}


@functools.cache
def _validator(filename: str) -> Draft202012Validator | None:
    path = k8s_defs.schema_folder() / filename
    if not path.is_file():
        return None
    schema = json.loads(path.read_text(encoding="utf-8"))
    return Draft202012Validator(_inline(schema, set()), registry=Resource.from_contents(schema) @ _registry())


def _schema_file(kind: str, api_version: str) -> str:
    """The schema file kubernetes-validate keeps for a kind: ``deployment-apps-v1.json``, ``pod-v1.json``."""
    group_version = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
    return f"{kind.lower()}-{group_version}.json"


@functools.cache
def _served_versions(kind: str) -> tuple[str, ...]:
    """The apiVersions in which the release serves a kind (any case), from the schemas' own records."""
    found = set()
    for definition in k8s_defs.definitions().values():
        for gvk in definition.get("x-kubernetes-group-version-kind", ()):
            if gvk["kind"].lower() == kind.lower():
                found.add(f"{gvk['group']}/{gvk['version']}" if gvk["group"] else gvk["version"])
    return tuple(sorted(found))


_KIND = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_API_VERSION = re.compile(r"(?:[a-z0-9]+(?:[.-][a-z0-9]+)*/)?v\d+(?:(?:alpha|beta)\d+)?")
_ARTICLE = {"integer": "an integer", "object": "an object (a mapping)", "array": "a list", "boolean": "true or false"}


def _expected(types: list[str]) -> str:
    names = [_ARTICLE.get(t, f"a {t}") for t in types if t != "null"]
    return " or ".join(names) if names else "nothing"


def _found(value: Any) -> str:
    if isinstance(value, str):
        return f"the string {value!r}"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return json.dumps(value)


def _problems(error: ValidationError) -> list[SchemaProblem]:
    """Readable problems for one jsonschema error, at the path of the offending key where there is one."""
    path = tuple(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = list(error.schema.get("properties", {}))
        out = []
        for extra in sorted(set(error.instance) - set(known)):
            close = difflib.get_close_matches(extra, known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            out.append(SchemaProblem((*path, extra), f"unknown field {extra!r}{hint}"))
        return out
    if error.validator == "required" and isinstance(error.instance, dict):
        missing = [name for name in error.validator_value if name not in error.instance]
        return [SchemaProblem(path, f"missing required field {name!r}") for name in missing]
    if error.validator == "type":
        types = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        return [SchemaProblem(path, f"expected {_expected(types)}, found {_found(error.instance)}")]
    if error.validator == "oneOf":
        types = [t for option in error.validator_value for t in _listed(option.get("type"))]
        return [SchemaProblem(path, f"expected {_expected(types)}, found {_found(error.instance)}")]
    if error.validator == "enum":
        options = " or ".join(repr(v) for v in error.validator_value)
        return [SchemaProblem(path, f"must be {options}, found {_found(error.instance)}")]
    return [SchemaProblem(path, error.message)]


def _listed(value) -> list:
    return value if isinstance(value, list) else [value] if value else []


def schema_problems(doc: Any) -> list[SchemaProblem]:
    """Every way one manifest (a parsed YAML or JSON document) breaks the Kubernetes v1.35 schema.

    Unlike ``kubernetes-validate``, which stops at the first error, this lists them all, in document order
    of their paths. Unknown fields are errors (the strict schemas). A kind the release does not serve in the
    given apiVersion is one problem that names the apiVersions that do serve it. Never raises on bad input.
    """
    if not isinstance(doc, dict):
        return [SchemaProblem((), f"a manifest is an object (a mapping), found {_found(doc)}")]
    head = [
        SchemaProblem((), f"missing required field {key!r}")
        for key in ("apiVersion", "kind")
        if not isinstance(doc.get(key), str) or not doc.get(key)
    ]
    if head:
        return head
    kind, api_version = doc["kind"], doc["apiVersion"]
    wellformed = _KIND.fullmatch(kind) and _API_VERSION.fullmatch(api_version)
    validator = _validator(_schema_file(kind, api_version)) if wellformed else None
    if validator is None:
        served = _served_versions(kind)
        hint = f"; {kind} is served as {' and '.join(served)}" if served else "; check the kind's spelling"
        return [SchemaProblem(("apiVersion",), f"Kubernetes v1.35 has no {kind} in {api_version}{hint}")]
    found = {problem for error in validator.iter_errors(doc) for problem in _problems(error)}
    order = _positions(doc)
    return sorted(found, key=lambda p: (order.get(p.path, order.get(p.path[:-1], len(order))), p.message))


def _positions(doc: Any, path: tuple = (), out: dict | None = None) -> dict[tuple, int]:
    """Each path of a document numbered in reading order (keys as written, then list items)."""
    out = {} if out is None else out
    out[path] = len(out)
    items = doc.items() if isinstance(doc, dict) else enumerate(doc) if isinstance(doc, list) else ()
    for key, value in items:
        _positions(value, (*path, key), out)
    return out


def validate_manifest(doc: Any) -> list[str]:
    """Every schema error of one manifest as ``path: message`` lines (empty when it conforms)."""
    return [str(problem) for problem in schema_problems(doc)]
