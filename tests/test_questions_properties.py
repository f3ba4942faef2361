"""Invariants of the generator over small random graphs (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from opsprep.graph.namespaces import ID, OPS, SCHEMA
from opsprep.graph.store import ONTOLOGY_FILE, default_graph, load_graph
from opsprep.questions import QuestionType, build_bank, grade_response, present
from opsprep.questions.common import MIN_DISTRACTORS
from opsprep.questions.hands_on_proof import hands_on_unproven
from opsprep.questions.solution_proof import is_solution_item

from .question_oracle import GraphOracle
from .scenario_oracle import ScenarioOracle

CATEGORIES = ["ci-cd", "monitoring", "logging", "infrastructure-as-code", "configuration-management"]
LANGUAGES = ["YAML", "HCL", "JSON", "Ruby DSL"]
AGENT = [OPS.AgentBased, OPS.Agentless, None]
STYLE = [OPS.Declarative, OPS.Imperative, None]
WORDS = ["alpha", "bravo", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo", "lima", "mike"]

tool_strategy = st.fixed_dictionaries(
    {
        "name": st.sampled_from(WORDS),
        "categories": st.sets(st.sampled_from(CATEGORIES), min_size=1, max_size=2),
        "languages": st.sets(st.sampled_from(LANGUAGES), max_size=2),
        "agent": st.sampled_from(AGENT),
        "style": st.sampled_from(STYLE),
        "complete": st.sets(st.sampled_from(["inCategory", "configurationLanguage"])),
    }
)
service_strategy = st.fixed_dictionaries(
    {
        "name": st.sampled_from(WORDS),
        "platform": st.sampled_from(["aws", "azure"]),
        "categories": st.sets(st.sampled_from(CATEGORIES), min_size=1, max_size=2),
        "complete": st.booleans(),
    }
)


def random_graph(tools, services, equivalences):
    """A conforming-enough graph: ontology plus random tools, services, categories and pairings."""
    graph = load_graph([ONTOLOGY_FILE], store="memory")
    source = URIRef("https://example.org/docs")

    def thing(iri, cls, label):
        graph.add((iri, RDF.type, cls))
        graph.add((iri, SKOS.prefLabel, Literal(label, lang="en")))
        graph.add((iri, SKOS.definition, Literal(f"Definition number {abs(hash(str(iri))) % 10**6}.", lang="en")))
        graph.add((iri, DCTERMS.source, source))

    def complete(iri, prop):
        node = BNode()
        graph.add((iri, OPS.statement, node))
        graph.add((node, RDF.type, OPS.Statement))
        graph.add((node, OPS.property, prop))
        graph.add((node, OPS.complete, Literal(True)))
        graph.add((node, DCTERMS.source, source))

    for cat in CATEGORIES:
        thing(ID[f"category/{cat}"], OPS.ToolCategory, cat.replace("-", " ").title())
    for platform in ("aws", "azure"):
        thing(ID[f"platform/{platform}"], OPS.CloudPlatform, platform.upper())
    for i, tool in enumerate(tools):
        iri = ID[f"tool/t{i}"]
        thing(iri, OPS.Tool, f"{tool['name'].title()} {i}")  # labels may repeat up to the number
        for cat in tool["categories"]:
            graph.add((iri, OPS.inCategory, ID[f"category/{cat}"]))
        for lang in tool["languages"]:
            graph.add((iri, OPS.configurationLanguage, Literal(lang)))
        if tool["agent"] is not None:
            graph.add((iri, OPS.agentModel, tool["agent"]))
        if tool["style"] is not None:
            graph.add((iri, OPS.configurationStyle, tool["style"]))
        graph.add((iri, SCHEMA.license, Literal(["MIT", "Apache-2.0", "GPL-3.0-only"][i % 3])))
        for fact in tool["complete"]:
            complete(iri, OPS[fact])
    service_iris = []
    for i, service in enumerate(services):
        iri = ID[f"{service['platform']}/s{i}"]
        service_iris.append((iri, service["platform"]))
        thing(iri, OPS.CloudService, f"{service['platform'].upper()} {service['name'].title()}")
        graph.add((iri, OPS.onPlatform, ID[f"platform/{service['platform']}"]))
        for cat in service["categories"]:
            graph.add((iri, OPS.inCategory, ID[f"category/{cat}"]))
        if service["complete"]:
            complete(iri, OPS.inCategory)
    for a, b in equivalences:
        if a < len(service_iris) and b < len(service_iris) and service_iris[a][1] != service_iris[b][1]:
            graph.add((service_iris[a][0], OPS.equivalentTo, service_iris[b][0]))
            graph.add((service_iris[b][0], OPS.equivalentTo, service_iris[a][0]))
    return graph


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    tools=st.lists(tool_strategy, min_size=4, max_size=14),
    services=st.lists(service_strategy, min_size=0, max_size=12),
    equivalences=st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11)), max_size=6),
    seed=st.integers(0, 2**31),
)
def test_random_graphs_keep_every_invariant(tools, services, equivalences, seed):
    graph = random_graph(tools, services, equivalences)
    bank = build_bank(graph)
    oracle = GraphOracle(graph)
    for item in bank.items:
        oracle.check(item)  # answers true in the graph, distractors not
        options = [*item.answers, *item.distractors]
        assert len({o.key for o in options}) == len(options)
        assert len({o.text.casefold() for o in options}) == len(options)
        if item.type != QuestionType.TRUE_FALSE:
            assert len(item.distractors) >= MIN_DISTRACTORS
        shown = present(item, seed)
        assert shown == present(item, seed)
        assert {o.key for o in shown.options if o.correct} == {a.key for a in item.answers}
        assert len({o.key for o in shown.options}) == len(shown.options) == item.option_count
    assert len({i.id for i in bank.items}) == len(bank.items)


# Deleting facts never makes an item wrong


def _deletable(graph):
    """The triples a question can rest on: every fact the generator reads, statements, disjointness."""
    from opsprep.questions.facts import _PREDICATES

    wanted = {URIRef(p) for p in _PREDICATES.values()} | {OPS.complete}
    wanted |= {OPS.meets, OPS.limitation, OPS.fails, OPS.inFacet, OPS.effort, OPS.costRank, OPS.considers}
    return sorted((t for t in graph if t[1] in wanted), key=lambda t: tuple(str(x) for x in t))


def _without(graph, doomed):
    """The graph less some triples; a completeness claim (a statement's ops:complete, or a property's
    ops:ClosedProperty) goes with any value it covered, since the list it vouched for is no longer whole."""
    reduced = load_graph([ONTOLOGY_FILE], store="memory")
    for triple in graph:
        reduced.add(triple)
    for s, p, o in doomed:
        reduced.remove((s, p, o))
        for node in list(graph.objects(s, OPS.statement)):
            if (node, OPS.property, p) in graph:
                reduced.remove((node, OPS.complete, None))
        reduced.remove((p, RDF.type, OPS.ClosedProperty))
    return reduced


@pytest.fixture(scope="module")
def shipped():
    return default_graph()


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_deleting_facts_never_makes_an_item_wrong(shipped, data):
    """Build the bank from the shipped graph less random facts: every item is still right in the full graph."""
    facts = _deletable(shipped)
    doomed = data.draw(st.lists(st.sampled_from(facts), min_size=1, max_size=300, unique=True))
    bank = build_bank(_without(shipped, doomed))
    oracle = GraphOracle(shipped)
    scenarios = ScenarioOracle(shipped)
    for item in bank.items:
        if item.claims:
            oracle.check(item)
        elif item.response is not None:  # tasks and typed answers: the shown answer is graded right
            right = item.response.model_answer or item.response.accepted[0]
            assert grade_response(item.response, right).correct, item.id
        elif is_solution_item(item):  # scenario items: judged from the full graph's capability facts
            scenarios.check(item, exact=False)
        else:  # hands-on choice items: re-derived from the item's own code or command lines
            assert hands_on_unproven(bank.facts, item) == [], item.id
