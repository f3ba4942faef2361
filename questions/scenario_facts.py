"""The graph facts scenario items are composed from: needs, the capabilities that meet them, their sourced
limitations, effort, and scenario templates drawn from an exam guide's task statements.

Read once from the graph into plain dataclasses, like :mod:`.hands_on_facts`; nothing here knows about wording.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace

from rdflib import RDF, Graph

from opsprep.graph.namespaces import OPS

from .hands_on_facts import _all, _by_subject, _one

_SKOS = "http://www.w3.org/2004/02/skos/core#"
_SOURCE = "http://purl.org/dc/terms/source"
_LEAST = str(OPS.LeastOperationalOverhead)
_CHEAPEST = str(OPS.MostCostEffective)


def _o(name: str) -> str:
    return str(OPS[name])


@dataclass(frozen=True)
class Need:
    """Something a solution must achieve, with the requirement sentence a scenario states."""

    iri: str
    label: str
    text: str
    facet: str = ""


@dataclass(frozen=True)
class Limitation:
    """A sourced statement that a capability cannot meet a need, and why."""

    need: str
    reason: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Capability:
    """One step of a solution: what it does, the option text, the needs it meets (all of them) and its effort."""

    iri: str
    label: str
    definition: str
    action: str
    services: tuple[str, ...]
    effort: int
    effort_label: str
    meets: frozenset[str]
    limitations: tuple[Limitation, ...] = ()
    cost: int | None = None
    sources: tuple[str, ...] = ()
    choices: frozenset[str] = frozenset()  # the choices (facets) it is one setting of: a solution takes one each
    works_with: frozenset[str] = frozenset()  # steps it presupposes: a solution takes it only beside one of them

    def limitation(self, need: str) -> Limitation | None:
        """The sourced limitation that says this capability cannot meet ``need``, if any."""
        return next((lim for lim in self.limitations if lim.need == need), None)


@dataclass(frozen=True)
class ScenarioTemplate:
    """A situation from a task statement, the needs its items state, and the capabilities options use."""

    iri: str
    label: str
    competency: str
    situations: tuple[str, ...]
    requires: tuple[str, ...]
    may_require: tuple[str, ...]
    varies: str
    considers: tuple[str, ...]
    qualifier: str = _LEAST
    sources: tuple[str, ...] = ()

    @property
    def by_cost(self) -> bool:
        """Whether options that meet every requirement are ranked by cost (else by operational effort)."""
        return self.qualifier == _CHEAPEST


@dataclass
class Scenarios:
    """Every need, facet, capability and scenario template of a graph."""

    needs: dict[str, Need] = field(default_factory=dict)
    facets: dict[str, tuple[str, ...]] = field(default_factory=dict)  # facet IRI -> its needs
    capabilities: dict[str, Capability] = field(default_factory=dict)
    templates: list[ScenarioTemplate] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # qualifier IRI -> "LEAST operational overhead"
    #: whether every need each capability meets is recorded (``ops:meets`` is declared a closed property);
    #: when not, an option fails a need only if each of its steps provably does
    meets_complete: bool = True


def read_scenarios(graph: Graph) -> Scenarios:
    """Read needs, facets, capabilities (with limitations and effort) and scenario templates from ``graph``."""
    data = Scenarios()
    data.meets_complete = (OPS.meets, RDF.type, OPS.ClosedProperty) in graph
    label = _SKOS + "prefLabel"
    for iri, p in _by_subject(graph, _o("Need")).items():
        if not _one(p, _o("requirementText")):
            continue  # a need a scenario cannot state
        data.needs[iri] = Need(iri, _one(p, label), _one(p, _o("requirementText")), _one(p, _o("inFacet")))
    facets: dict[str, list[str]] = defaultdict(list)
    for need in sorted(data.needs.values(), key=lambda n: n.iri):
        if need.facet:
            facets[need.facet].append(need.iri)
    data.facets = {facet: tuple(needs) for facet, needs in facets.items()}
    levels = {}
    for iri, p in _by_subject(graph, _o("EffortLevel")).items():
        rank = _one(p, _o("effortRank"))
        levels[iri] = (int(rank) if rank else 0, _one(p, label))
    for iri, p in _by_subject(graph, _o("Qualifier")).items():
        data.labels[iri] = _one(p, label)
    limitations = _limitations(graph)
    for iri, p in _by_subject(graph, _o("Capability")).items():
        rank, effort_label = levels.get(_one(p, _o("effort")), (0, ""))
        cost = _one(p, _o("costRank"))
        if not rank or not _one(p, _o("action")):
            continue  # a step of unknown effort cannot be ranked, one without an action cannot be shown
        data.capabilities[iri] = Capability(
            iri=iri,
            label=_one(p, label),
            definition=_one(p, _SKOS + "definition"),
            action=_one(p, _o("action")),
            services=_all(p, _o("capabilityOf")),
            effort=rank,
            effort_label=effort_label,
            meets=frozenset(p.get(_o("meets"), ())),
            limitations=tuple(limitations.get(iri, ())),
            cost=int(cost) if cost else None,
            sources=_all(p, _SOURCE),
            choices=frozenset(p.get(_o("choiceOf"), ())),
            works_with=frozenset(p.get(_o("worksWith"), ())),
        )
    for iri, cap in list(data.capabilities.items()):  # meeting a need of a facet makes it a setting of it
        implied = {data.needs[n].facet for n in cap.meets if n in data.needs and data.needs[n].facet}
        if implied - cap.choices:
            data.capabilities[iri] = replace(cap, choices=cap.choices | implied)
    for iri, p in sorted(_by_subject(graph, _o("ScenarioTemplate")).items()):
        data.templates.append(
            ScenarioTemplate(
                iri=iri,
                label=_one(p, label),
                competency=_one(p, _o("forCompetency")),
                situations=_all(p, _o("situation")),
                requires=_all(p, _o("requires")),
                may_require=_all(p, _o("mayRequire")),
                varies=_one(p, _o("varies")),
                considers=tuple(c for c in _all(p, _o("considers")) if c in data.capabilities),
                qualifier=_one(p, _o("qualifier")) or _LEAST,
                sources=_all(p, _SOURCE),
            )
        )
    return data


def _limitations(graph: Graph) -> dict[str, list[Limitation]]:
    """Each capability's limitations, in need order."""
    query = f"""
        SELECT ?cap ?need ?reason ?source WHERE {{
            ?cap <{_o("limitation")}> ?lim .
            ?lim <{_o("fails")}> ?need ; <{_o("reason")}> ?reason .
            OPTIONAL {{ ?lim <{_SOURCE}> ?source }}
        }}"""
    found: dict[tuple[str, str], tuple[str, set[str]]] = {}
    for cap, need, reason, source in graph.query(query):
        reason_text, sources = found.setdefault((str(cap), str(need)), (str(reason), set()))
        if source is not None:
            sources.add(str(source))
    result: dict[str, list[Limitation]] = defaultdict(list)
    for (cap, need), (reason, sources) in sorted(found.items()):
        result[cap].append(Limitation(need, reason, tuple(sorted(sources))))
    return result
