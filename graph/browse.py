"""Read what the graph says about one thing, and find things by label: the data behind the graph browser."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from .namespaces import CONTENT_CLASSES, ID, OPS, shorten

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
}


@dataclass(frozen=True)
class Link:
    """A labelled reference to another node (or a literal value when ``iri`` is empty)."""

    text: str
    iri: str = ""
    internal: bool = False  # a thing of this graph, with a page of its own


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
    return Link(label_of(graph, node), str(node), is_thing(str(node)))


def _kind(graph: Graph, iri: URIRef) -> str:
    return label_of(graph, cls) if (cls := _class_of(graph, iri)) is not None else "Thing"


def _class_of(graph: Graph, iri: URIRef) -> URIRef | None:
    return next((cls for cls in graph.objects(iri, RDF.type) if cls in CONTENT_CLASSES), None)


def describe(graph: Graph, iri: str) -> Description | None:
    """What the graph says about ``iri``; ``None`` when it has no label (not a thing of the graph)."""
    node = URIRef(iri)
    if (node, SKOS.prefLabel, None) not in graph:
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
    """Things whose label or alternative label contains ``text`` (case-insensitive), with their kind.

    Exact label matches come first, then labels that start with the text, then the rest.
    """
    needle = text.strip().casefold()
    if not needle:
        return []
    found: dict[str, tuple[int, Link, str]] = {}
    for predicate in (SKOS.prefLabel, SKOS.altLabel):
        for subject, value in graph.subject_objects(predicate):
            iri = str(subject)
            hay = str(value).casefold()
            if not is_thing(iri) or needle not in hay:
                continue
            score = 0 if hay == needle else 1 if hay.startswith(needle) else 2
            if iri not in found or score < found[iri][0]:
                found[iri] = (score, Link(label_of(graph, subject), iri, True), _kind(graph, subject))
    ranked = sorted(found.values(), key=lambda entry: (entry[0], entry[1].text.casefold()))
    return [(link, kind) for _, link, kind in ranked[:limit]]


def things_of_class(graph: Graph, cls: URIRef) -> list[Link]:
    """Every thing of one class, by label."""
    links = [Link(label_of(graph, s), str(s), True) for s in set(graph.subjects(RDF.type, cls)) if is_thing(str(s))]
    return sorted(links, key=lambda link: link.text.casefold())
