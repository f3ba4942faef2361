"""Open-world reading: an option is wrong only when the graph proves it (questions.proof)."""

from __future__ import annotations

import pytest
from rdflib import Graph

from opsprep.graph.store import ONTOLOGY_FILE, add_inferred, load_graph
from opsprep.questions.facts import read_facts
from opsprep.questions.proof import Proof, refutation

DATA = """
@prefix ops: <https://w3id.org/opsprep/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <https://schema.org/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix t: <https://w3id.org/opsprep/id/tool/> .
@prefix c: <https://w3id.org/opsprep/id/category/> .
@prefix k: <https://w3id.org/opsprep/id/topic/> .

c:observability a ops:ToolCategory ; skos:prefLabel "Observability"@en .
c:monitoring a ops:ToolCategory ; skos:prefLabel "Monitoring"@en ; skos:broader c:observability .
c:metrics a ops:ToolCategory ; skos:prefLabel "Metrics"@en ; skos:broader c:monitoring .
c:ci-cd a ops:ToolCategory ; skos:prefLabel "CI/CD"@en .
c:registry a ops:ToolCategory ; skos:prefLabel "Registry"@en .

t:open a ops:Tool ; skos:prefLabel "Open"@en ; ops:inCategory c:monitoring ; ops:configurationLanguage "YAML" ;
    ops:agentModel ops:Agentless .
t:listed a ops:Tool ; skos:prefLabel "Listed"@en ; ops:inCategory c:monitoring ; ops:configurationLanguage "YAML" ;
    ops:statement [ a ops:Statement ; ops:property ops:inCategory ; ops:complete true ;
                    dcterms:source <https://example.org/listed> ] .
t:denied a ops:Tool ; skos:prefLabel "Denied"@en ; ops:inCategory c:ci-cd .
[] a owl:NegativePropertyAssertion ; owl:sourceIndividual t:denied ; owl:assertionProperty ops:inCategory ;
   owl:targetIndividual c:registry ; dcterms:source <https://example.org/denied> .
[] a owl:NegativePropertyAssertion ; owl:sourceIndividual t:denied ; owl:assertionProperty ops:inCategory ;
   owl:targetIndividual c:monitoring .

k:clusterip a ops:Topic ; skos:prefLabel "ClusterIP"@en ; skos:broader k:service-type .
k:nodeport a ops:Topic ; skos:prefLabel "NodePort"@en ; skos:broader k:service-type ; ops:disjointWith k:clusterip .
k:service-type a ops:Topic ; skos:prefLabel "Service type"@en .
k:headless a ops:Topic ; skos:prefLabel "Headless Service"@en ; skos:broader k:clusterip .
"""


@pytest.fixture(scope="module")
def facts():
    graph = load_graph([ONTOLOGY_FILE], store="memory")
    graph.parse(data=DATA, format="turtle")
    add_inferred(graph)
    return read_facts(graph)


def thing(facts, short):
    return facts.things[f"https://w3id.org/opsprep/id/{short}"]


def iri(short):
    return f"https://w3id.org/opsprep/id/{short}"


def test_a_value_missing_from_an_open_list_is_unknown_not_false(facts):
    assert refutation(facts, thing(facts, "tool/open"), "inCategory", iri("category/ci-cd")) is None
    assert refutation(facts, thing(facts, "tool/open"), "configurationLanguage", "JSON") is None


def test_a_thing_with_no_value_is_never_refuted(facts):
    assert (
        refutation(facts, thing(facts, "tool/listed"), "agentModel", "https://w3id.org/opsprep/ontology#AgentBased")
        is None
    )


def test_a_functional_fact_with_another_value_refutes(facts):
    proof = refutation(facts, thing(facts, "tool/open"), "agentModel", "https://w3id.org/opsprep/ontology#AgentBased")
    assert proof == Proof.FUNCTIONAL
    assert (
        refutation(facts, thing(facts, "tool/open"), "agentModel", "https://w3id.org/opsprep/ontology#Agentless")
        is None
    )


def test_a_complete_list_refutes_other_values_but_not_broader_or_narrower_ones(facts):
    listed = thing(facts, "tool/listed")
    assert refutation(facts, listed, "inCategory", iri("category/ci-cd")) == Proof.COMPLETE
    assert refutation(facts, listed, "inCategory", iri("category/observability")) is None  # implied by monitoring
    assert refutation(facts, listed, "inCategory", iri("category/metrics")) is None  # a narrower kind: still open
    assert refutation(facts, listed, "configurationLanguage", "JSON") is None  # only categories were listed


def test_a_sourced_negative_statement_refutes_and_an_unsourced_one_does_not(facts):
    denied = thing(facts, "tool/denied")
    assert refutation(facts, denied, "inCategory", iri("category/registry")) == Proof.NEGATIVE
    assert refutation(facts, denied, "inCategory", iri("category/monitoring")) is None


def test_disjointness_refutes_through_the_kind_hierarchy_both_ways(facts):
    assert refutation(facts, thing(facts, "topic/nodeport"), "broader", iri("topic/clusterip")) == Proof.DISJOINT
    # a Headless Service is a kind of ClusterIP, so it cannot be a kind of NodePort either
    assert refutation(facts, thing(facts, "topic/headless"), "broader", iri("topic/nodeport")) == Proof.DISJOINT
    assert refutation(facts, thing(facts, "topic/headless"), "broader", iri("topic/service-type")) is None


def test_the_loader_makes_disjointness_symmetric(facts):
    assert iri("topic/nodeport") in facts.disjoint(iri("topic/clusterip"))
    assert iri("topic/clusterip") in facts.disjoint(iri("topic/nodeport"))


def test_functional_and_closed_properties_come_from_the_ontology():
    facts = read_facts(load_graph([ONTOLOGY_FILE], store="memory"))
    assert {"agentModel", "deliveryModel", "configurationStyle", "cncfMaturity", "onPlatform"} <= facts.functional
    assert "inCategory" not in facts.functional and "configurationLanguage" not in facts.functional
    assert facts.closed == {"equivalentTo"}
    assert facts.value_sets["agentModel"] == (
        "https://w3id.org/opsprep/ontology#AgentBased",
        "https://w3id.org/opsprep/ontology#Agentless",
    )


def test_an_empty_graph_reads():
    assert read_facts(Graph()).things == {}
