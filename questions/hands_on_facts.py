"""The graph facts hands-on items are built from: commands with their flags and worked examples, the
Kubernetes API schema (kinds, types, fields), Terraform language nodes with code examples, and the
curriculum competencies that say which exam domain needs what.

Read once from the graph into plain dataclasses, like :mod:`.facts`; nothing here knows about wording.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import Graph

from opsprep.graph.namespaces import OPS

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_SOURCE = "http://purl.org/dc/terms/source"
_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def _o(name: str) -> str:
    return str(OPS[name])


@dataclass(frozen=True)
class Flag:
    """One flag of a command (``--output``/``-o`` of ``kubectl get``)."""

    iri: str
    command: str
    name: str
    short: str = ""
    takes_value: bool = False
    definition: str = ""
    allowed: tuple[str, ...] = ()
    default: str = ""
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Example:
    """A concrete task and one exact command line that does it (plus other lines that do the same)."""

    iri: str
    command: str
    task: str
    text: str
    also: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Command:
    """A command of a tool (``kubectl rollout undo``), with its parent command and flags."""

    iri: str
    label: str
    tool: str = ""
    parent: str = ""
    definition: str = ""
    syntax: str = ""
    sources: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()


@dataclass(frozen=True)
class Competency:
    """One line of a curriculum under an exam domain, and the things it needs."""

    iri: str
    label: str
    domain: str
    position: int = 0
    needs: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class ApiField:
    """One field of a Kubernetes API type, as the official schema declares it."""

    iri: str
    name: str
    type: str = ""
    ref: str = ""  # the ApiType of an object field, or of an array's or map's elements
    required: bool = False
    allowed: tuple[str, ...] = ()
    default: str = ""


@dataclass(frozen=True)
class ApiKind:
    """A Kubernetes API kind with its group/version and root type."""

    iri: str
    kind: str
    api_version: str
    root: str = ""
    sources: tuple[str, ...] = ()
    schema_version: str = ""


@dataclass(frozen=True)
class CodeExample:
    """A small configuration (HCL) with what Terraform does with it."""

    iri: str
    code: str
    language: str
    behaviour: str
    example_of: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


@dataclass
class HandsOn:
    """Everything hands-on templates read, indexed."""

    commands: dict[str, Command] = field(default_factory=dict)
    flags: dict[str, Flag] = field(default_factory=dict)
    examples: list[Example] = field(default_factory=list)
    competencies: list[Competency] = field(default_factory=list)
    kinds: dict[str, ApiKind] = field(default_factory=dict)  # by kind name ("Deployment")
    types: dict[str, dict[str, ApiField]] = field(default_factory=dict)  # type IRI -> field name -> field
    code_examples: list[CodeExample] = field(default_factory=list)
    nodes: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)  # any other node read

    def flags_of(self, command: str) -> list[Flag]:
        """The flags declared for a command, by name."""
        return sorted((f for f in self.flags.values() if f.command == command), key=lambda f: f.name)

    def children(self, command: str) -> list[Command]:
        """The subcommands of a command."""
        return sorted((c for c in self.commands.values() if c.parent == command), key=lambda c: c.iri)

    def field_at(self, kind: str, path: str) -> ApiField | None:
        """The schema field at a dotted path of a kind (``spec.template.spec.containers[].image``), or None
        when the schema has no such field. List markers (``[]``, ``[*]``, ``[name=x]``) step into elements."""
        api = self.kinds.get(kind)
        if api is None or not api.root:
            return None
        current, found = api.root, None
        for segment in _segments(path):
            if found is not None and found.type == "map" and not found.ref:
                return found  # a key of a map of strings (labels, annotations, data)
            fields = self.types.get(current)
            if fields is None or segment not in fields:
                return None
            found = fields[segment]
            current = found.ref
        return found

    def competencies_needing(self, iris: set[str]) -> list[Competency]:
        """Competencies that need any of the given things, in curriculum order."""
        return [c for c in self.competencies if iris & set(c.needs)]

    def domains_for(self, iris: set[str]) -> list[str]:
        """The exam domains whose competencies need any of the given things, or are among them (a scenario is
        about the task statement it practises)."""
        named = [c.domain for c in self.competencies if c.iri in iris]
        return list(dict.fromkeys([*named, *(c.domain for c in self.competencies_needing(iris))]))


def _segments(path: str) -> list[str]:
    """The field names of a path: list markers dropped, a quoted map key (``labels."app.kubernetes.io/name"``)
    kept whole."""
    out, current, quoted = [], "", False
    for char in path:
        if char == '"':
            quoted = not quoted
        elif char == "." and not quoted:
            out.append(current)
            current = ""
        else:
            current += char
    out.append(current)
    return [name.split("[", 1)[0] for name in out if name.split("[", 1)[0]]


def _by_subject(graph: Graph, cls: str) -> dict[str, dict[str, list[str]]]:
    rows: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    query = f"SELECT ?s ?p ?o WHERE {{ ?s a <{cls}> ; ?p ?o }}"
    for s, p, o in graph.query(query):
        lang = getattr(o, "language", None)
        if lang and not lang.startswith("en"):
            continue
        rows[str(s)][str(p)].append(str(o))
    return rows


def _one(props: dict[str, list[str]], predicate: str) -> str:
    values = sorted(props.get(predicate, ()))
    return values[0] if values else ""


def _all(props: dict[str, list[str]], predicate: str) -> tuple[str, ...]:
    return tuple(sorted(set(props.get(predicate, ()))))


def _true(props: dict[str, list[str]], predicate: str) -> bool:
    return _one(props, predicate).lower() in ("true", "1")


def read_hands_on(graph: Graph) -> HandsOn:
    """Read commands, examples, API schema facts, code examples and competencies from ``graph``."""
    data = HandsOn()
    label = _SKOS + "prefLabel"
    for iri, p in _by_subject(graph, _o("Command")).items():
        data.commands[iri] = Command(
            iri=iri,
            label=_one(p, label) or _one(p, _LABEL),
            tool=_one(p, _o("commandOf")),
            parent=_one(p, _o("subcommandOf")),
            definition=_one(p, _SKOS + "definition"),
            syntax=_one(p, _o("syntax")),
            sources=_all(p, _SOURCE),
            kinds=_all(p, _o("targetsKind")),
            topics=_all(p, _o("commandFor")),
        )
    for iri, p in _by_subject(graph, _o("CommandFlag")).items():
        data.flags[iri] = Flag(
            iri=iri,
            command=_one(p, _o("flagOf")),
            name=_one(p, _o("flagName")),
            short=_one(p, _o("shortFlag")),
            takes_value=_true(p, _o("takesValue")),
            definition=_one(p, _SKOS + "definition"),
            allowed=_all(p, _o("allowedValue")),
            default=_one(p, _o("defaultValue")),
            sources=_all(p, _SOURCE),
        )
    for iri, p in sorted(_by_subject(graph, _o("CommandExample")).items()):
        command = _one(p, _o("exampleOf"))
        text = _one(p, _o("commandText"))
        if command and text and _one(p, _o("task")):
            data.examples.append(
                Example(
                    iri=iri,
                    command=command,
                    task=_one(p, _o("task")),
                    text=text,
                    also=_all(p, _o("alsoAccepted")),
                    sources=_all(p, _SOURCE) or data.commands.get(command, Command(command, "")).sources,
                )
            )
    for iri, p in _by_subject(graph, _o("Competency")).items():
        position = _one(p, _o("position"))
        data.competencies.append(
            Competency(
                iri=iri,
                label=_one(p, label) or _one(p, _LABEL),
                domain=_one(p, _o("competencyOf")),
                position=int(position) if position.isdigit() else 0,
                needs=_all(p, _o("needs")),
                sources=_all(p, _SOURCE),
            )
        )
    data.competencies.sort(key=lambda c: (c.domain, c.position, c.iri))
    for iri, p in _by_subject(graph, _o("ApiKind")).items():
        kind = _one(p, _o("kindName"))
        if kind:
            data.kinds[kind] = ApiKind(
                iri=iri,
                kind=kind,
                api_version=_one(p, _o("apiVersion")),
                root=_one(p, _o("rootType")),
                sources=_all(p, _SOURCE),
                schema_version=_one(p, _o("schemaVersion")),
            )
    fields = _by_subject(graph, _o("ApiField"))
    for type_iri, p in _by_subject(graph, _o("ApiType")).items():
        members: dict[str, ApiField] = {}
        for field_iri in p.get(_o("hasField"), ()):
            f = fields.get(field_iri)
            if not f:
                continue
            name = _one(f, _o("fieldName"))
            members[name] = ApiField(
                iri=field_iri,
                name=name,
                type=_one(f, _o("fieldType")),
                ref=_one(f, _o("itemType")) or _one(f, _o("valueType")) or _one(f, _o("fieldTypeRef")),
                required=_true(f, _o("required")),
                allowed=_all(f, _o("allowedValue")),
                default=_one(f, _o("defaultValue")),
            )
        data.types[type_iri] = members
    for iri, p in sorted(_by_subject(graph, _o("CodeExample")).items()):
        code = _one(p, _o("code"))
        if code and _one(p, _o("behaviour")):
            data.code_examples.append(
                CodeExample(
                    iri=iri,
                    code=code,
                    language=_one(p, _o("language")) or "hcl",
                    behaviour=_one(p, _o("behaviour")),
                    example_of=_all(p, _o("exampleOf")),
                    sources=_all(p, _SOURCE),
                )
            )
    for cls in ("ConfigBlock", "MetaArgument", "Topic"):
        for iri, p in _by_subject(graph, _o(cls)).items():
            data.nodes[iri] = {k: tuple(v) for k, v in p.items()}
    return data
