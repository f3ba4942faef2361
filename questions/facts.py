"""A plain-Python snapshot of the graph facts that questions are built from.

Reading the graph once into dictionaries keeps question generation fast and makes the
generator independent of the RDF store. Nothing here knows about question wording.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from rdflib import Graph

from opsprep.graph.catalog import Catalog, read_catalog
from opsprep.graph.namespaces import CONTENT_CLASSES, OPS, shorten

from .hands_on_facts import HandsOn, read_hands_on
from .scenario_facts import Scenarios, read_scenarios

#: Relations between concepts, each worded on its own (skos:broader is "is a kind of" only).
RELATIONS = ("broader", "partOf", "stepOf", "argumentOf", "storedIn", "featureOf")

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
    "partOf",
    "stepOf",
    "argumentOf",
    "featureOf",
    "storedIn",
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
    "hostedBy": str(OPS.hostedBy),
    "partOf": str(OPS.partOf),
    "stepOf": str(OPS.stepOf),
    "argumentOf": str(OPS.argumentOf),
    "storedIn": str(OPS.storedIn),
    "featureOf": str(OPS.featureOf),
    "disjointWith": str(OPS.disjointWith),
}
_FACT_OF = {iri: name for name, iri in _PREDICATES.items()}


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
    #: facts whose recorded values a source gives in full (a value not recorded is provably absent)
    complete: frozenset[str] = frozenset()
    #: the pages that state each fact, by fact name (from ops:statement nodes)
    fact_sources: dict[str, tuple[str, ...]] = field(default_factory=dict)

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
    def acronym(self) -> str:
        """The initials of a name of three or more capitalised words ("SNS" for Simple Notification
        Service), matched case-sensitively; "" when there is none."""
        words = _VENDOR_PREFIX.sub("", _VENDOR_PREFIX.sub("", self.label)).split()
        if len(words) >= 3 and all(w[:1].isupper() for w in words):
            return "".join(w[0] for w in words)
        return ""

    @cached_property
    def initials(self) -> frozenset[str]:
        """The label's short words that could be initials (three to five letters, "gcs", "EKS")."""
        label = _VENDOR_PREFIX.sub("", _VENDOR_PREFIX.sub("", self.label))
        return frozenset(w.casefold() for w in re.findall(r"[A-Za-z]+", label) if 3 <= len(w) <= 5)

    @cached_property
    def folded_names(self) -> tuple[str, ...]:
        """The names, case-folded, for a quick substring test before the regex."""
        return tuple(n.casefold() for n in self.names)

    def named_in(self, text: str) -> bool:
        """True when ``text`` mentions any of the thing's names as a whole word or phrase, or spells out a
        short word of its label ("Google Cloud Storage" names the gcs backend)."""
        if self.acronym and re.search(rf"(?<![\w-]){self.acronym}(?![\w-])", text):
            return True
        if self.initials and self.initials & _initial_runs(text):
            return True
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
    def platform(self) -> str:
        """The IRI of the cloud platform the thing runs on ("" for anything not on one)."""
        return (self.values("onPlatform") or ("",))[0]

    @property
    def short(self) -> str:
        """The IRI in prefixed form, e.g. ``tool:ansible``."""
        return shorten_iri(self.iri)


def _initial_runs(text: str) -> frozenset[str]:
    """The initials of every run of three to five consecutive capitalised words in ``text`` ("Google Cloud
    Storage" gives "gcs")."""
    words = re.findall(r"[A-Za-z][\w]*", text)
    runs = set()
    for start in range(len(words)):
        for size in (3, 4, 5):
            run = words[start : start + size]
            if len(run) == size and all(w[0].isupper() for w in run):
                runs.add("".join(w[0] for w in run).casefold())
    return frozenset(runs)


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
    #: fact names whose property the ontology declares functional (one value per thing)
    functional: frozenset[str] = frozenset()
    #: fact names whose property the ontology declares closed: recorded values are all there are
    closed: frozenset[str] = frozenset()
    #: (thing, fact, value) triples a sourced negative statement denies
    negatives: frozenset[tuple[str, str, str]] = frozenset()
    #: for facts whose range is a closed set of values (owl:oneOf): every value, in the ontology's order
    value_sets: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: commands, API schema, language nodes and competencies, for hands-on items
    hands_on: HandsOn = field(default_factory=HandsOn)
    #: needs, capabilities and scenario templates, for scenario items
    scenarios: Scenarios = field(default_factory=Scenarios)

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

    def fact_sources(self, iri: str, fact: str) -> list[str]:
        """The pages that state one fact of one thing: its statement's sources, else the thing's own."""
        thing = self.things.get(iri)
        if thing is None:
            return []
        return list(thing.fact_sources.get(fact) or thing.sources)

    @cached_property
    def covered_domains(self) -> frozenset[str]:
        """The IRIs of every certification's exam domains."""
        return frozenset(d.iri for cert in self.catalog for d in cert.domains)

    @cached_property
    def worlds(self) -> dict[str, frozenset[str]]:
        """For each certification IRI: what its outline covers, with the things above and below those in
        the "is a kind of" hierarchy, the things one relation away, and every service on the cloud
        platforms of its covered services."""
        below: dict[str, set[str]] = defaultdict(set)
        linked: dict[str, set[str]] = defaultdict(set)
        for thing in self.things.values():
            for ancestor in self.up(thing.iri):
                below[ancestor].add(thing.iri)
            for fact in RELATIONS:
                for other in thing.values(fact):
                    linked[thing.iri].add(other)
                    linked[other].add(thing.iri)
        platforms: dict[str, set[str]] = defaultdict(set)
        for thing in self.things.values():
            for platform in thing.values("onPlatform"):
                platforms[platform].add(thing.iri)
        out = {}
        for cert in self.catalog:
            covered = {i for d in cert.domains if d.iri in self.things for i in self.things[d.iri].values("covers")}
            world = set(covered)
            for iri in covered:
                world |= self.up(iri) | below.get(iri, set()) | linked.get(iri, set())
                thing = self.things.get(iri)
                for platform in thing.values("onPlatform") if thing else ():
                    world |= platforms[platform]
            out[cert.iri] = frozenset(world)
        return out

    def world_of(self, iri: str) -> frozenset[str] | None:
        """The union of the worlds of the certifications whose domains cover ``iri`` (None: no exam covers it)."""
        return self.world_of_domains(self.covered_by.get(iri, ()))

    def world_of_domains(self, domains: Iterable[str]) -> frozenset[str] | None:
        """The union of the worlds of the certifications these exam domains belong to (None: none of them is
        an exam domain); each union is computed once."""
        certs = frozenset(self.catalog.cert_of(d).iri for d in domains if d in self.covered_domains)
        if not certs:
            return None
        if certs not in self._world_unions:
            self._world_unions[certs] = frozenset().union(*(self.worlds.get(c, frozenset()) for c in certs))
        return self._world_unions[certs]

    @cached_property
    def _world_unions(self) -> dict[frozenset[str], frozenset[str]]:
        return {}

    def disjoint(self, iri: str) -> frozenset[str]:
        """Values that nothing can share with ``iri`` (``ops:disjointWith``, both directions)."""
        return self._disjoint.get(iri, frozenset())

    @cached_property
    def _disjoint(self) -> dict[str, frozenset[str]]:
        pairs: dict[str, set[str]] = defaultdict(set)
        for thing in self.things.values():
            for other in thing.values("disjointWith"):
                pairs[thing.iri].add(other)
                pairs[other].add(thing.iri)
        return {iri: frozenset(others) for iri, others in pairs.items()}

    def up(self, iri: str) -> frozenset[str]:
        """The value itself and everything it is a kind of (skos:broader, transitively)."""
        return self._up.get(iri) or frozenset((iri,))

    @cached_property
    def _up(self) -> dict[str, frozenset[str]]:
        out: dict[str, frozenset[str]] = {}

        def climb(iri: str, seen: frozenset[str]) -> frozenset[str]:
            if iri in out:
                return out[iri]
            thing = self.things.get(iri)
            parents = [p for p in thing.values("broader") if p not in seen] if thing else []
            result = frozenset((iri,)).union(*(climb(p, seen | {iri}) for p in parents))
            out[iri] = result
            return result

        for iri in self.things:
            climb(iri, frozenset())
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
    _read_statements(graph, things)
    catalog = read_catalog(graph)
    covered_by: dict[str, set[str]] = defaultdict(set)
    for cert in catalog:
        for domain in cert.domains:
            for iri in things[domain.iri].values("covers") if domain.iri in things else ():
                covered_by[iri].add(domain.iri)
    return Facts(
        things,
        labels,
        catalog,
        _inherit_coverage(things, dict(covered_by), {d.iri: c.iri for c in catalog for d in c.domains}),
        functional=_declared(graph, "http://www.w3.org/2002/07/owl#FunctionalProperty"),
        closed=_declared(graph, str(OPS.ClosedProperty)),
        negatives=_negatives(graph),
        value_sets=_value_sets(graph),
        hands_on=read_hands_on(graph),
        scenarios=read_scenarios(graph),
    )


def _value_sets(graph: Graph) -> dict[str, tuple[str, ...]]:
    """Each fact whose range the ontology closes with owl:oneOf, with the values it lists."""
    query = """SELECT ?p ?v WHERE { ?p rdfs:range ?c . ?c owl:oneOf ?list . ?list rdf:rest*/rdf:first ?v }"""
    ns = {
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        "owl": "http://www.w3.org/2002/07/owl#",
        "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    }
    out: dict[str, list[str]] = defaultdict(list)
    for p, v in graph.query(query, initNs=ns):
        if str(p) in _FACT_OF and str(v) not in out[_FACT_OF[str(p)]]:
            out[_FACT_OF[str(p)]].append(str(v))
    return {fact: tuple(values) for fact, values in out.items()}


#: relations through which a thing inherits the coverage of what it belongs to (a step of a covered
#: workflow, an argument of a covered block, a component or feature of a covered system)
_INHERITING = ("broader", "partOf", "stepOf", "argumentOf", "featureOf")


#: a part, step, argument or feature inherits a whole's domains only from a certification in which the
#: whole sits in at most this many domains: kubectl or the Pod appear in every domain, their parts do not
HUB_DOMAINS = 2


def _inherit_coverage(
    things: dict[str, Thing], direct: dict[str, set[str]], cert_of: dict[str, str]
) -> dict[str, set[str]]:
    """A thing is covered by the domains covering it or anything it is a kind of (ClusterIP is tested
    wherever Services are), and by those of a whole it is a part, step, argument or feature of unless
    that whole is a hub of the certification (in more than :data:`HUB_DOMAINS` of its domains)."""
    out: dict[str, set[str]] = {}

    def covering(iri: str, seen: frozenset[str]) -> set[str]:
        if iri in out:
            return out[iri]
        found = set(direct.get(iri, set()))
        thing = things.get(iri)
        for fact in _INHERITING if thing else ():
            for parent in thing.values(fact):
                if parent in seen:
                    continue
                inherited = covering(parent, seen | {iri})
                if fact != "broader":
                    per_cert = Counter(cert_of.get(d, "") for d in inherited)
                    inherited = {d for d in inherited if per_cert[cert_of.get(d, "")] <= HUB_DOMAINS}
                found |= inherited
        out[iri] = found
        return found

    for iri in things:
        covering(iri, frozenset())
    return {iri: domains for iri, domains in out.items() if domains}


def _declared(graph: Graph, cls: str) -> frozenset[str]:
    """Fact names whose property is declared an instance of ``cls`` in the graph."""
    rows = graph.query(f"SELECT ?p WHERE {{ ?p a <{cls}> }}")
    return frozenset(_FACT_OF[str(p)] for (p,) in rows if str(p) in _FACT_OF)


def _read_statements(graph: Graph, things: dict[str, Thing]) -> None:
    """Attach each ops:statement node's sources and completeness to its thing and fact."""
    sources: dict[tuple[str, str], list[str]] = defaultdict(list)
    complete: dict[str, set[str]] = defaultdict(set)
    query = """SELECT ?s ?p ?src ?complete WHERE {
        ?s ops:statement ?n . ?n ops:property ?p .
        OPTIONAL { ?n dcterms:source ?src } OPTIONAL { ?n ops:complete ?complete } }"""
    for s, p, src, done in graph.query(query, initNs={**_NS, "ops": str(OPS)}):
        name = _FACT_OF.get(str(p))
        if name is None or str(s) not in things:
            continue
        if src is not None:
            sources[(str(s), name)].append(str(src))
        if done is not None and done.toPython() is True:
            complete[str(s)].add(name)
    for (iri, name), pages in sources.items():
        things[iri].fact_sources[name] = tuple(sorted(set(pages)))
    for iri, names in complete.items():
        things[iri].complete = frozenset(names)


def _negatives(graph: Graph) -> frozenset[tuple[str, str, str]]:
    """(thing, fact, value) denied by an owl:NegativePropertyAssertion that carries a source."""
    query = """SELECT ?s ?p ?o WHERE {
        ?n a owl:NegativePropertyAssertion ; owl:sourceIndividual ?s ; owl:assertionProperty ?p ;
           dcterms:source ?src .
        { ?n owl:targetIndividual ?o } UNION { ?n owl:targetValue ?o } }"""
    ns = {**_NS, "owl": "http://www.w3.org/2002/07/owl#"}
    return frozenset(
        (str(s), _FACT_OF[str(p)], str(o)) for s, p, o in graph.query(query, initNs=ns) if str(p) in _FACT_OF
    )


_NS = {
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
}
