"""The curriculum competencies (graph/data/competencies.ttl, and DOP-C02's task statements in
graph/data/dop-c02-guide.ttl): every domain of CKA, CKAD, Terraform Associate 004 and DOP-C02 lists its
outline's competencies in order, each sourced to the official outline and linked to the nodes it needs, and
the SHACL shapes hold every competency to that."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import RDF, Graph
from rdflib.namespace import DCTERMS, SKOS

from opsprep.graph import default_graph
from opsprep.graph.namespaces import ID, OPS, shorten
from opsprep.graph.store import DATA_DIR, ONTOLOGY_FILE
from opsprep.graph.validate import validate_files

COMPETENCIES_FILE = DATA_DIR / "competencies.ttl"
OUTLINE_FILES = [ONTOLOGY_FILE, DATA_DIR / "certifications.ttl", DATA_DIR / "certifications-more.ttl"]

#: certification -> the official outline every one of its competencies cites
OUTLINES = {
    "cka": re.compile(r"^https://github\.com/cncf/curriculum/blob/[0-9a-f]{40}/CKA_Curriculum_v1\.35\.pdf$"),
    "ckad": re.compile(r"^https://github\.com/cncf/curriculum/blob/[0-9a-f]{40}/CKAD_Curriculum_v1\.35\.pdf$"),
    "terraform-associate-004": re.compile(
        r"^https://developer\.hashicorp\.com/certifications/infrastructure-automation$"
    ),
    "dop-c02": re.compile(
        r"^https://docs\.aws\.amazon\.com/aws-certification/latest/devops-engineer-professional-02/"
        r"devops-engineer-professional-02-domain[1-6]\.html$"
    ),
}

#: what a competency may need: the classes of the nodes that hold the facts hands-on items are built from
NEEDED_CLASSES = frozenset(
    OPS[name]
    for name in (
        "ApiKind",
        "ApiType",
        "ApiField",
        "Command",
        "CommandFlag",
        "ConfigBlock",
        "MetaArgument",
        "BlockArgument",
        "Topic",
        "Tool",
        "Practice",
        "CloudService",
    )
)

#: concepts the CKA and CKAD outlines test that were missing or linked to no competency before
CONCEPTS = {
    "SecurityContext": {"topic/security-context", "k8s/type-core-v1-Container.securityContext"},
    "ResourceQuota": {"topic/resource-quota", "k8s/core-v1-ResourceQuota"},
    "LimitRange": {"topic/limit-range", "k8s/core-v1-LimitRange"},
    "admission control": {
        "topic/admission-controller",
        "k8s/admissionregistration.k8s.io-v1-ValidatingAdmissionPolicy",
    },
    "API deprecations": {"topic/api-deprecation-policy"},
    "Service types": {"topic/clusterip-service", "topic/nodeport-service", "topic/loadbalancer-service"},
    "control-plane components": {
        "topic/kube-apiserver",
        "topic/kube-scheduler",
        "topic/kube-controller-manager",
        "topic/etcd",
    },
    "RBAC objects": {
        "topic/role",
        "topic/clusterrole",
        "topic/rolebinding",
        "topic/clusterrolebinding",
        "k8s/rbac.authorization.k8s.io-v1-Role",
        "k8s/rbac.authorization.k8s.io-v1-RoleBinding",
    },
    "etcd backup": {"topic/etcd-backup", "command/etcdctl-snapshot-save"},
    "multi-container Pods": {"topic/multi-container-pod", "topic/sidecar-container", "topic/init-container"},
    "probes": {"topic/liveness-probe", "topic/readiness-probe", "topic/startup-probe"},
}


@pytest.fixture(scope="module")
def graph() -> Graph:
    return default_graph()


@pytest.fixture(scope="module")
def competencies(graph: Graph) -> dict[str, dict]:
    """Every competency, by short IRI: its domain, position, labels, notation, sources and needs."""
    found: dict[str, dict] = {}
    for node in graph.subjects(RDF.type, OPS.Competency):
        found[shorten(node)] = {
            "domain": shorten(graph.value(node, OPS.competencyOf)),
            "position": graph.value(node, OPS.position),
            "labels": [str(label) for label in graph.objects(node, SKOS.prefLabel)],
            "notation": graph.value(node, SKOS.notation),
            "sources": {str(s) for s in graph.objects(node, DCTERMS.source)},
            "needs": set(graph.objects(node, OPS.needs)),
        }
    return found


def domains_of(graph: Graph, cert: str) -> list[str]:
    """The short IRIs of a certification's exam domains."""
    return sorted(shorten(d) for d in graph.objects(ID[f"cert/{cert}"], OPS.hasDomain))


@pytest.mark.parametrize("cert", sorted(OUTLINES))
def test_every_domain_lists_competencies_at_places_one_to_n(graph, competencies, cert):
    domains = domains_of(graph, cert)
    assert len(domains) >= 5, f"cert:{cert} has lost its domains"
    places = defaultdict(list)
    for competency in competencies.values():
        places[competency["domain"]].append(competency["position"])
    for domain in domains:
        positions = sorted(p.toPython() for p in places[domain])
        assert positions, f"{domain} has no competencies"
        assert positions == list(range(1, len(positions) + 1)), f"{domain}: positions {positions}"


def test_every_competency_belongs_to_one_of_the_three_exams(graph, competencies):
    domains = {d for cert in OUTLINES for d in domains_of(graph, cert)}
    assert competencies
    assert {c["domain"] for c in competencies.values()} <= domains


def test_iri_names_the_domain_and_the_place(competencies):
    for iri, c in competencies.items():
        cncf = re.fullmatch(r"competency:(cka|ckad)-(\d+)-(\d+)", iri)
        hashicorp = re.fullmatch(r"competency:terraform-004-(\d+)([a-z])", iri)
        aws = re.fullmatch(r"competency:dop-c02-(\d)-(\d)", iri)
        assert cncf or hashicorp or aws, f"{iri}: not competency:<exam>-<domain>-<place> nor terraform-004-<code>"
        if aws:  # a task statement: its number is its notation
            domain, place = aws.groups()
            assert (c["domain"], c["position"].toPython()) == (f"domain:dop-c02-{domain}", int(place)), iri
            assert str(c["notation"]) == f"{domain}.{place}", iri
        elif cncf:
            exam, domain, place = cncf.groups()
            assert (c["domain"], c["position"].toPython()) == (f"domain:{exam}-{domain}", int(place)), iri
            assert c["notation"] is None, iri
        else:
            domain, letter = hashicorp.groups()
            assert c["domain"] == f"domain:terraform-associate-004-{domain}", iri
            assert c["position"].toPython() == ord(letter) - ord("a") + 1, iri
            assert str(c["notation"]) == domain + letter, iri


def test_each_competency_cites_its_exams_official_outline(competencies):
    for iri, c in competencies.items():
        cert = c["domain"].removeprefix("domain:").rsplit("-", 1)[0]
        assert any(OUTLINES[cert].match(s) for s in c["sources"]), f"{iri} cites {sorted(c['sources'])}"


def test_labels_are_single_clean_outline_lines(competencies):
    seen = defaultdict(set)
    for iri, c in competencies.items():
        assert len(c["labels"]) == 1, iri
        label = c["labels"][0]
        assert label == label.strip() and "  " not in label, iri
        assert not re.search(r"[\ufb00-\ufb06]", label), f"{iri}: a PDF ligature in {label!r}"
        assert not re.search(r"\w- \w|\w-$", label), f"{iri}: a word broken across lines in {label!r}"
        assert label not in seen[c["domain"]], f"{iri}: {label!r} twice in {c['domain']}"
        seen[c["domain"]].add(label)


def test_everything_a_competency_needs_is_a_typed_node(graph, competencies):
    """Red until the Kubernetes API schema, the command files and the Terraform language file define every
    kind, type, field, command, flag, block and meta-argument the competencies name: the message lists
    each missing IRI with the competencies that need it."""
    missing: dict[str, set[str]] = defaultdict(set)
    for iri, c in competencies.items():
        for needed in c["needs"]:
            if not set(graph.objects(needed, RDF.type)) & NEEDED_CLASSES:
                missing[shorten(needed)].add(iri)
    by_kind = defaultdict(list)
    for needed in sorted(missing):
        by_kind[needed.split(":", 1)[0]].append(needed)
    report = "\n".join(
        f"{kind}: {len(iris)} not in the graph\n"
        + "\n".join(f"  {n}  (needed by {', '.join(sorted(missing[n]))})" for n in iris)
        for kind, iris in sorted(by_kind.items())
    )
    assert not missing, f"{len(missing)} needed IRIs do not resolve to a node of the graph:\n{report}"


@pytest.mark.parametrize("concept", sorted(CONCEPTS))
def test_the_outlines_concepts_are_needed_by_a_kubernetes_competency(competencies, concept):
    needed = {
        str(n).removeprefix(str(ID))
        for iri, c in competencies.items()
        if iri.startswith(("competency:cka-", "competency:ckad-"))
        for n in c["needs"]
    }
    assert CONCEPTS[concept] <= needed, f"{concept}: no competency needs {sorted(CONCEPTS[concept] - needed)}"


def test_topics_added_with_the_competencies_are_covered_where_needed(graph, competencies):
    own = Graph().parse(COMPETENCIES_FILE, format="turtle")
    added = set(own.subjects(RDF.type, OPS.Topic))
    assert added, "competencies.ttl adds no topics"
    for topic in added:
        needing = {c["domain"] for c in competencies.values() if topic in c["needs"]}
        covering = {shorten(d) for d in graph.subjects(OPS.covers, topic)}
        assert needing, f"{shorten(topic)} is needed by no competency"
        assert needing <= covering, f"{shorten(topic)} is needed in {sorted(needing - covering)}, not covered there"


def test_shipped_competencies_conform_to_the_shapes():
    own = Graph().parse(COMPETENCIES_FILE, format="turtle")
    mine = {shorten(s) for s in own.subjects(RDF.type, None)}
    report = validate_files([*OUTLINE_FILES, COMPETENCIES_FILE])
    violations = [str(v) for v in report.violations if v.focus in mine]
    assert violations == []


# ---------------------------------------------------------------- the shapes catch what is missing

PREFIXES = """
@prefix ops: <https://w3id.org/opsprep/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix domain: <https://w3id.org/opsprep/id/domain/> .
@prefix competency: <https://w3id.org/opsprep/id/competency/> .
@prefix topic: <https://w3id.org/opsprep/id/topic/> .
"""
#: the properties every competency must have, as the shapes report their paths -> a Turtle line giving one
REQUIRED = {
    "skos:prefLabel": 'skos:prefLabel "Troubleshoot a sample"@en',
    "ops:competencyOf": "ops:competencyOf domain:cka-5",
    "ops:position": "ops:position 1",
    "dcterms:source": "dcterms:source <https://github.com/cncf/curriculum>",
    "ops:needs": "ops:needs topic:pod",
}


def competency_turtle(iri: str, lines: list[str]) -> str:
    """A Turtle description of one competency with the given property lines."""
    return f"{iri} a ops:Competency" + "".join(f" ;\n    {line}" for line in lines) + " .\n"


@settings(max_examples=12, deadline=None)
@given(removed=st.sets(st.sampled_from(sorted(REQUIRED))))
def test_the_shape_reports_exactly_what_a_competency_lacks(tmp_path_factory, removed):
    extra = tmp_path_factory.mktemp("competency") / "sample.ttl"
    lines = [line for path, line in REQUIRED.items() if path not in removed]
    extra.write_text(PREFIXES + competency_turtle("competency:cka-5-99", lines))
    report = validate_files([*OUTLINE_FILES, extra])
    reported = {v.path for v in report.violations if v.focus == "competency:cka-5-99"}
    assert reported == removed


def test_two_competencies_at_one_place_of_a_domain_are_refused(tmp_path):
    extra = tmp_path / "clash.ttl"
    extra.write_text(
        PREFIXES
        + competency_turtle("competency:cka-5-98", list(REQUIRED.values()))
        + competency_turtle("competency:cka-5-99", list(REQUIRED.values()))
    )
    report = validate_files([*OUTLINE_FILES, extra])
    clashes = {v.focus for v in report.violations if "same exam domain" in v.message}
    assert clashes == {"competency:cka-5-98", "competency:cka-5-99"}


def test_a_competency_needing_a_literal_or_of_no_domain_is_refused(tmp_path):
    extra = tmp_path / "wrong.ttl"
    lines = [line for path, line in REQUIRED.items() if path not in ("ops:needs", "ops:competencyOf")]
    extra.write_text(
        PREFIXES + competency_turtle("competency:cka-5-99", [*lines, 'ops:needs "a Pod"', "ops:competencyOf topic:pod"])
    )
    report = validate_files([*OUTLINE_FILES, extra])
    reported = {(v.path, v.value) for v in report.violations if v.focus == "competency:cka-5-99"}
    assert ("ops:needs", "a Pod") in reported
    assert ("ops:competencyOf", "topic:pod") in reported
