"""Read what the graph says about one thing, and find things by name: the data behind the graph browser.

A page exists for every thing of the graph (``https://w3id.org/opsprep/id/…``) with a preferred label,
and for every term of the ontology (``https://w3id.org/opsprep/ontology#…``) with a label: its classes,
relations and value sets such as "agentless" or "CNCF Graduated" (:func:`has_page`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from .namespaces import CONTENT_CLASSES, ID, OPS, shorten
from .search import Entry, search_index

_SHOWN_ELSEWHERE = {SKOS.prefLabel, SKOS.altLabel, SKOS.definition, DCTERMS.source, RDF.type}
SCHEMA = "https://schema.org/"
#: how relations from vocabularies without English labels read on a page
RELATION_LABELS = {
    f"{SCHEMA}license": "licence",
    f"{SCHEMA}maintainer": "maintainer",
    f"{SCHEMA}programmingLanguage": "written in",
    f"{SCHEMA}provider": "provider",
    f"{SCHEMA}url": "website",
    str(SKOS.broader): "kind of",
    str(SKOS.related): "related to",
}
#: how a relation reads from the other end ("Terraform — covered by → Terraform fundamentals")
INVERSE_LABELS = {
    str(OPS.covers): "covered by exam domain",
    str(OPS.replacedBy): "replaces",
    str(OPS.hasResponsibility): "responsibility of",
    str(OPS.involvesPractice): "part of responsibility",
    str(OPS.supportsPractice): "supported by",
    str(OPS.inCategory): "members",
    str(OPS.onPlatform): "services",
    str(OPS.hasDomain): "domain of",
    str(OPS.targetsRole): "certifications for this role",
    f"{SCHEMA}maintainer": "maintains",
    f"{SCHEMA}provider": "provides",
    str(SKOS.broader): "narrower",
    str(SKOS.related): "related to",
    str(OPS.hostedBy): "hosts",
    str(OPS.partOf): "components",
    str(OPS.stepOf): "steps",
    str(OPS.argumentOf): "arguments",
    str(OPS.storedIn): "stores",
    str(OPS.featureOf): "features",
    str(OPS.disjointWith): "disjoint with",
    str(OPS.statement): "statement about",
    str(OPS.agentModel): "tools with this agent model",
    str(OPS.deliveryModel): "tools with this delivery model",
    str(OPS.configurationStyle): "tools with this configuration style",
    str(OPS.cncfMaturity): "projects at this level",
    str(OPS.status): "things with this status",
}


@dataclass(frozen=True)
class Link:
    """A labelled reference to another node (or a literal value when ``iri`` is empty)."""

    text: str
    iri: str = ""
    internal: bool = False  # a thing or term of this graph, with a page of its own (see has_page)


@dataclass
class Description:
    """Everything the graph says about one thing, ready to show."""

    iri: str
    label: str
    kind: str
    kind_key: str = ""  # the class's local name, e.g. "CloudService"
    definition: str = ""
    alt_labels: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    facts: list[tuple[str, list[Link]]] = field(default_factory=list)  # outgoing: relation -> values
    incoming: list[tuple[str, list[Link]]] = field(default_factory=list)  # relation (as seen from them) -> things


def is_thing(iri: str) -> bool:
    """True for IRIs of the graph's own things (``https://w3id.org/opsprep/id/…``)."""
    return iri.startswith(str(ID))


def is_term(iri: str) -> bool:
    """True for IRIs of the ontology's terms (``https://w3id.org/opsprep/ontology#…``)."""
    return iri.startswith(str(OPS)) and len(iri) > len(str(OPS))


def has_page(graph: Graph, node) -> bool:
    """Whether the graph browser has a page for ``node``: a labelled thing of the graph or term of the ontology."""
    iri = str(node)
    if is_thing(iri):
        return (URIRef(iri), SKOS.prefLabel, None) in graph
    if is_term(iri):
        return any((URIRef(iri), label, None) in graph for label in (SKOS.prefLabel, RDFS.label))
    return False


def label_of(graph: Graph, node) -> str:
    """The English preferred label of a node, else its rdfs:label, else its short IRI."""
    for predicate in (SKOS.prefLabel, RDFS.label):
        for value in graph.objects(node, predicate):
            if isinstance(value, Literal) and value.language in (None, "en"):
                return str(value)
    return shorten(node)


def _link(graph: Graph, node) -> Link:
    if isinstance(node, Literal):
        return Link(str(node))
    return Link(label_of(graph, node), str(node), has_page(graph, node))


def _kind(graph: Graph, iri: URIRef) -> str:
    """The label of a thing's class; for an ontology term, of its type in the ontology (a value set)."""
    if (cls := _class_of(graph, iri)) is not None:
        return label_of(graph, cls)
    types = sorted(str(t) for t in graph.objects(iri, RDF.type) if is_term(str(t)))
    return label_of(graph, URIRef(types[0])) if types else "Thing"


def _class_of(graph: Graph, iri: URIRef) -> URIRef | None:
    return next((cls for cls in graph.objects(iri, RDF.type) if cls in CONTENT_CLASSES), None)


def describe(graph: Graph, iri: str) -> Description | None:
    """What the graph says about ``iri``; ``None`` when the browser has no page for it (see :func:`has_page`)."""
    node = URIRef(iri)
    if not has_page(graph, node):
        return None
    cls = _class_of(graph, node)
    description = Description(
        iri=iri,
        label=label_of(graph, node),
        kind=_kind(graph, node),
        kind_key=str(cls).rsplit("#", 1)[1] if cls is not None else "",
    )
    description.definition = next((str(d) for d in graph.objects(node, SKOS.definition)), "")
    description.alt_labels = sorted(str(a) for a in graph.objects(node, SKOS.altLabel))
    description.sources = sorted(str(s) for s in graph.objects(node, DCTERMS.source))
    outgoing: dict[str, list[Link]] = {}
    for predicate, value in graph.predicate_objects(node):
        if predicate not in _SHOWN_ELSEWHERE:
            name = RELATION_LABELS.get(str(predicate)) or label_of(graph, predicate)
            outgoing.setdefault(name, []).append(_link(graph, value))
    incoming: dict[str, list[Link]] = {}
    for subject, predicate in graph.subject_predicates(node):
        if is_thing(str(subject)) and predicate != OPS.equivalentTo:
            name = INVERSE_LABELS.get(str(predicate)) or f"{label_of(graph, predicate)} (from)"
            incoming.setdefault(name, []).append(_link(graph, subject))
    description.facts = [(k, sorted(v, key=lambda link: link.text.casefold())) for k, v in sorted(outgoing.items())]
    description.incoming = [(k, sorted(v, key=lambda link: link.text.casefold())) for k, v in sorted(incoming.items())]
    return description


def search(graph: Graph, text: str, limit: int = 100) -> list[tuple[Link, str]]:
    """Things whose names or definition hold the words of ``text`` (as prefixes), best first, with their kind.

    Full-text search over the labels, alternative and former names and definitions of the graph's things
    and the ontology's values, ignoring case, diacritics and punctuation (see :mod:`opsprep.graph.search`).
    """
    hits = search_index(graph, lambda: _entries(graph)).search(text, limit)
    return [(Link(hit.label, hit.iri, True), hit.kind) for hit in hits]


def _entries(graph: Graph) -> list[Entry]:
    """What search finds: every thing of the graph and value of the ontology with an English preferred label
    (read in one pass per relation: a lookup per thing would take a second on the shipped graph)."""

    def english(predicate) -> dict[str, list[str]]:
        values: dict[str, list[str]] = {}
        for subject, value in graph.subject_objects(predicate):
            if isinstance(value, Literal) and value.language in (None, "en"):
                values.setdefault(str(subject), []).append(str(value))
        return values

    labels, alts, former, definitions = (
        english(p) for p in (SKOS.prefLabel, SKOS.altLabel, OPS.formerName, SKOS.definition)
    )
    types: dict[str, list[str]] = {}
    for subject, cls in graph.subject_objects(RDF.type):
        types.setdefault(str(subject), []).append(str(cls))
    content = {str(cls) for cls in CONTENT_CLASSES}
    kinds: dict[str, str] = {}

    def kind(iri: str) -> str:
        classes = types.get(iri, [])
        chosen = sorted(c for c in classes if c in content) or sorted(c for c in classes if is_term(c))
        if not chosen:
            return "Thing"
        if chosen[0] not in kinds:
            kinds[chosen[0]] = label_of(graph, URIRef(chosen[0]))
        return kinds[chosen[0]]

    return [
        Entry(
            iri,
            min(names),
            kind(iri),
            tuple(sorted({*alts.get(iri, ()), *former.get(iri, ())})),
            min(definitions.get(iri, [""])),
        )
        for iri, names in sorted(labels.items())
        if is_thing(iri) or is_term(iri)
    ]


def things_of_class(graph: Graph, cls: URIRef) -> list[Link]:
    """Every thing of one class, by label."""
    links = [Link(label_of(graph, s), str(s), True) for s in set(graph.subjects(RDF.type, cls)) if is_thing(str(s))]
    return sorted(links, key=lambda link: link.text.casefold())
