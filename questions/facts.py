"""A plain-Python snapshot of the graph facts that questions are built from.

Reading the graph once into dictionaries keeps question generation fast and makes the
generator independent of the RDF store. Nothing here knows about question wording.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from rdflib import Graph

from opsprep.graph.catalog import Catalog, read_catalog
from opsprep.graph.namespaces import CONTENT_CLASSES, OPS, shorten

#: Facts with a closed set of values. A thing with one value provably lacks the others.
FUNCTIONAL = ("agentModel", "deliveryModel", "configurationStyle", "cncfMaturity", "onPlatform")

#: facts compared when ranking how close two things are
SIMILARITY_FACTS = (
    "inCategory",
    "onPlatform",
    "broader",
    "maintainer",
    "agentModel",
    "deliveryModel",
    "configurationStyle",
    "configurationLanguage",
    "programmingLanguage",
    "license",
    "cncfMaturity",
)
_VENDOR_PREFIX = re.compile(r"^(AWS|Amazon|Azure|Microsoft|Google Cloud|Google|Cloud|HashiCorp|GitHub)\s+", re.I)

_PREDICATES = {
    "agentModel": str(OPS.agentModel),
    "deliveryModel": str(OPS.deliveryModel),
    "configurationStyle": str(OPS.configurationStyle),
    "cncfMaturity": str(OPS.cncfMaturity),
    "onPlatform": str(OPS.onPlatform),
    "inCategory": str(OPS.inCategory),
    "license": "https://schema.org/license",
    "programmingLanguage": "https://schema.org/programmingLanguage",
    "configurationLanguage": str(OPS.configurationLanguage),
    "maintainer": "https://schema.org/maintainer",
    "broader": "http://www.w3.org/2004/02/skos/core#broader",
    "status": str(OPS.status),
    "statusDate": str(OPS.statusDate),
    "equivalentTo": str(OPS.equivalentTo),
    "hasResponsibility": str(OPS.hasResponsibility),
    "covers": str(OPS.covers),
}


SKOS_DEFINITION = "http://www.w3.org/2004/02/skos/core#definition"
SKOS_PREF_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"


def predicate(fact: str) -> str:
    """The full predicate IRI of a fact name (``"agentModel"`` → ``ops:agentModel``)."""
    return _PREDICATES[fact]


@dataclass
class Thing:
    """One node of the graph with what questions need to know about it."""

    iri: str
    cls: str
    label: str
    definition: str = ""
    alt_labels: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    facts: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def values(self, fact: str) -> tuple[str, ...]:
        """The values of one fact (IRIs or literal strings), empty when unknown."""
        return self.facts.get(fact, ())

    @cached_property
    def short_label(self) -> str:
        """The shortest name the thing goes by (e.g. "AWS" for Amazon Web Services)."""
        return min((self.label, *self.alt_labels), key=len)

    @cached_property
    def features(self) -> frozenset[str]:
        """The facts used to compare things, as ``fact=value`` strings."""
        return frozenset(f"{fact}={v}" for fact in SIMILARITY_FACTS for v in self.values(fact))

    @cached_property
    def features_values(self) -> frozenset[str]:
        """The values (not fact names) of the compared facts, for quick membership tests."""
        return frozenset(v for fact in SIMILARITY_FACTS for v in self.values(fact))

    @cached_property
    def names(self) -> frozenset[str]:
        """Every name the thing goes by: label, alternative labels, label without a vendor prefix."""
        names = {self.label, *self.alt_labels}
        stripped = _VENDOR_PREFIX.sub("", _VENDOR_PREFIX.sub("", self.label))
        if len(stripped) >= 4:
            names.add(stripped)
        return frozenset(n for n in names if n)

    @cached_property
    def folded_names(self) -> tuple[str, ...]:
        """The names, case-folded, for a quick substring test before the regex."""
        return tuple(n.casefold() for n in self.names)

    def named_in(self, text: str) -> bool:
        """True when ``text`` mentions any of the thing's names as a whole word or phrase."""
        folded = text.casefold()
        if not any(n in folded for n in self.folded_names):
            return False
        return self.name_pattern.search(text) is not None

    @cached_property
    def name_pattern(self) -> re.Pattern[str]:
        """A regex that finds any of the thing's names as a whole word or phrase."""
        alternatives = "|".join(re.escape(n) for n in sorted(self.names, key=len, reverse=True))
        return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.I)

    @property
    def short(self) -> str:
        """The IRI in prefixed form, e.g. ``tool:ansible``."""
        return shorten_iri(self.iri)


def shorten_iri(iri: str) -> str:
    """Prefixed form of an IRI string."""
    from rdflib import URIRef

    return shorten(URIRef(iri))


@dataclass
class Facts:
    """Everything the question templates read, indexed for quick lookups."""

    things: dict[str, Thing]
    labels: dict[str, str]  # IRI -> label, for value nodes too (ops:Agentless -> "agentless")
    catalog: Catalog  # the certifications and their exam domains
    covered_by: dict[str, set[str]]  # thing IRI -> exam domain IRIs that cover it
    neighbours: dict[str, dict[str, frozenset[str]]] = field(default_factory=dict)

    def of_class(self, cls: str) -> list[Thing]:
        """Things of one class (``"Tool"``, ``"CloudService"``, ...), in IRI order."""
        return sorted((t for t in self.things.values() if t.cls == cls), key=lambda t: t.iri)

    def label(self, iri_or_value: str) -> str:
        """A readable label for an IRI or literal value."""
        return self.labels.get(iri_or_value, iri_or_value)

    def sources(self, *iris: str) -> list[str]:
        """The distinct sources of the given things, in order."""
        seen: dict[str, None] = {}
        for iri in iris:
            thing = self.things.get(iri)
            for source in thing.sources if thing else ():
                seen.setdefault(source, None)
        return list(seen)

    def domains_for(self, *iris: str) -> set[str]:
        """Exam domains covering any of the given things."""
        out: set[str] = set()
        for iri in iris:
            out |= self.covered_by.get(iri, set())
        return out


_CLASS_NAMES = {str(cls): str(cls).rsplit("#", 1)[1] for cls in CONTENT_CLASSES}


def _en(value) -> bool:
    return getattr(value, "language", None) in (None, "en")


def read_facts(graph: Graph) -> Facts:
    """Read the facts questions are built from out of ``graph``."""
    things: dict[str, Thing] = {}
    labels: dict[str, str] = {}
    for s, label in graph.query("SELECT ?s ?l WHERE { ?s skos:prefLabel ?l }", initNs=_NS):
        if _en(label):
            labels[str(s)] = str(label)
    for s, cls in graph.query("SELECT ?s ?c WHERE { ?s a ?c }"):
        name = _CLASS_NAMES.get(str(cls))
        if name and str(s) in labels and str(s) not in things:
            things[str(s)] = Thing(str(s), name, labels[str(s)])
    simple = defaultdict(lambda: defaultdict(list))
    for s, p, o in graph.query(
        "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(?p IN (skos:definition, skos:altLabel, dcterms:source)) }",
        initNs=_NS,
    ):
        if str(s) in things and _en(o):
            simple[str(s)][str(p)].append(str(o))
    wanted = {iri: name for name, iri in _PREDICATES.items()}
    facts = defaultdict(lambda: defaultdict(list))
    for s, p, o in graph.query(
        "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(?p IN (" + ", ".join(f"<{iri}>" for iri in wanted) + ")) }"
    ):
        if str(s) in things:
            facts[str(s)][wanted[str(p)]].append(str(o))
    skos = "http://www.w3.org/2004/02/skos/core#"
    for iri, thing in things.items():
        data = simple[iri]
        thing.definition = (data.get(skos + "definition") or [""])[0]
        thing.alt_labels = tuple(sorted(data.get(skos + "altLabel", ())))
        thing.sources = tuple(sorted(data.get("http://purl.org/dc/terms/source", ())))
        thing.facts = {name: tuple(sorted(set(values))) for name, values in facts[iri].items()}
    catalog = read_catalog(graph)
    covered_by: dict[str, set[str]] = defaultdict(set)
    for cert in catalog:
        for domain in cert.domains:
            for iri in things[domain.iri].values("covers") if domain.iri in things else ():
                covered_by[iri].add(domain.iri)
    return Facts(things, labels, catalog, dict(covered_by), _neighbours(things))


#: multi-valued facts whose values overlap in meaning: a value is only ruled out for a thing when none
#: of the thing's own values ever stands beside it (on any thing) or above or below it (skos:broader).
NEIGHBOURLY = ("inCategory", "broader")


def _neighbours(things: dict[str, Thing]) -> dict[str, dict[str, frozenset[str]]]:
    out: dict[str, dict[str, frozenset[str]]] = {}
    for fact in NEIGHBOURLY:
        near: dict[str, set[str]] = defaultdict(set)
        for thing in things.values():
            values = thing.values(fact)
            for v in values:
                near[v].update(values)
        for value in list(near):
            node = things.get(value)
            for parent in node.values("broader") if node else ():
                near[value].add(parent)
                near[parent].add(value)
        out[fact] = {v: frozenset(n) for v, n in near.items()}
    return out


_NS = {
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
}
