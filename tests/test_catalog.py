"""The certification catalog: exam codes, domains in outline order, weights and shares, assumed figures,
lookups and their errors, read from the fixture graph and the shipped one."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import URIRef

from opsprep.errors import ErrorKind, OpsprepError
from opsprep.graph import ExamDomain, UnknownCertification, UnknownDomain, default_graph, read_catalog
from opsprep.graph.catalog import DEFAULT_PASSING_FRACTION, DEFAULT_QUESTION_COUNT, MINUTES_PER_QUESTION, certification
from opsprep.graph.namespaces import OPS
from opsprep.questions import build_bank

ROOT = Path(__file__).resolve().parent.parent
#: the source tree's packages, where only the catalog may read exam codes and domain numbers
SOURCE_FOLDERS = ("core", "graph", "questions", "engine", "web", "cli")
SHIPPED_CODES = ["CKA", "CKAD", "DOP-C02", "Terraform Associate 004"]


@pytest.fixture(scope="module")
def mini(mini_graph):
    return read_catalog(mini_graph)


@pytest.fixture(scope="module")
def shipped_graph():
    return default_graph()


@pytest.fixture(scope="module")
def shipped(shipped_graph):
    return read_catalog(shipped_graph)


def plain(value):
    """``value`` as JSON gives it back: tuples as lists, all the way down."""
    if isinstance(value, dict):
        return {key: plain(v) for key, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


# ---------------------------------------------------------------------------- the fixture graph


def test_the_fixture_graph_has_one_certification_with_every_figure_stated(mini):
    assert mini.codes() == ["DOP-C02"] and len(mini) == 1
    dop = mini.certification("DOP-C02")
    assert dop.iri == "https://w3id.org/opsprep/id/cert/dop-c02"
    assert dop.title == "AWS Certified DevOps Engineer – Professional"
    assert (dop.question_count, dop.minutes, dop.passing_fraction) == (75, 180, 0.75)
    assert (dop.score_scale_max, dop.passing_score) == (1000, 750)
    assert (dop.version, dop.outline_date, dop.provider) == ("2.1", None, "https://w3id.org/opsprep/id/vendor/aws")
    assert dop.sources and all(s.startswith("https://") for s in dop.sources)
    assert dop.assumed == ()


def test_the_fixture_graphs_domains_in_outline_order(mini):
    dop = mini.certification("DOP-C02")
    assert [d.label for d in dop.domains] == ["1. SDLC Automation", "2. Configuration Management and IaC"]
    assert [d.number for d in dop.domains] == [1, 2]
    assert dop.domain_iris == tuple(d.iri for d in dop.domains)
    assert [d.weight for d in dop.domains] == [60, 40] and sum(d.weight for d in dop.domains) == 100
    assert [d.share for d in dop.domains] == pytest.approx([0.6, 0.4])
    assert {d.cert for d in dop.domains} == {dop.iri}
    assert all(d.weight_range is None and d.effective_weight == d.weight for d in dop.domains)


def test_the_banks_catalog_is_the_graphs_then_the_foundations_deck(mini_graph, mini):
    bank = build_bank(mini_graph)
    *certs, deck = bank.catalog
    assert tuple(certs) == mini.certifications
    assert deck.code == "FOUNDATIONS" and not deck.is_exam
    filed = {d for item in bank.items for d in item.domains}
    assert {d.iri for d in deck.domains} == {d for d in filed if d.startswith(deck.iri)}


# ---------------------------------------------------------------------------- the shipped graph


def test_shipped_codes_are_the_graphs_exam_codes(shipped, shipped_graph):
    assert shipped.codes() == SHIPPED_CODES
    assert set(shipped.codes()) == {str(code) for code in shipped_graph.objects(None, OPS.examCode)}
    assert [c.code for c in shipped] == SHIPPED_CODES  # iterated in code order
    for cert in shipped:
        assert set(cert.domain_iris) == {str(d) for d in shipped_graph.objects(URIRef(cert.iri), OPS.hasDomain)}


def test_shipped_domains_are_numbered_from_one_in_order(shipped):
    for cert in shipped:
        assert [d.number for d in cert.domains] == list(range(1, len(cert.domains) + 1)), cert.code
        assert len({d.title for d in cert.domains}) == len(cert.domains), cert.code


@pytest.mark.parametrize("code", ["CKA", "CKAD", "DOP-C02"])
def test_stated_weights_sum_to_100_and_give_the_shares(shipped, code):
    cert = shipped.certification(code)
    assert all(d.weight is not None for d in cert.domains)
    assert sum(d.weight for d in cert.domains) == pytest.approx(100)
    assert [d.share for d in cert.domains] == pytest.approx([d.weight / 100 for d in cert.domains])
    assert "weight" not in cert.assumed


def test_terraform_associate_states_no_weights_question_count_or_passing_score(shipped):
    terraform = shipped.certification("Terraform Associate 004")
    assert set(terraform.assumed) == {"weight", "questionCount", "passingScore"}
    assert all(d.weight is None and d.weight_range is None for d in terraform.domains)
    assert [d.share for d in terraform.domains] == pytest.approx([1 / len(terraform.domains)] * len(terraform.domains))
    assert terraform.question_count == DEFAULT_QUESTION_COUNT
    assert terraform.passing_fraction == DEFAULT_PASSING_FRACTION
    assert terraform.passing_score is None  # no score scale either
    assert terraform.minutes == 60  # stated


def test_dop_c02_states_no_duration(shipped):
    dop = shipped.certification("DOP-C02")
    assert dop.assumed == ("durationMinutes",)
    assert dop.minutes == dop.question_count * MINUTES_PER_QUESTION == 150
    assert (dop.question_count, dop.passing_score) == (75, 750)


@pytest.mark.parametrize("code", ["CKA", "CKAD"])
def test_a_stated_question_range_counts_as_stated(shipped, code):
    cert = shipped.certification(code)
    assert cert.question_range == (15, 20)
    assert cert.question_count == 18  # the middle of the range, rounded
    assert cert.assumed == ("passingScore",)


# ---------------------------------------------------------------------------- lookups


@pytest.mark.parametrize(
    "ref",
    [
        "CKA",
        "cka",
        "Cka",
        "  CKA ",
        "https://w3id.org/opsprep/id/cert/cka",
        "Certified Kubernetes Administrator",
        "certified kubernetes administrator",
    ],
)
def test_a_certification_by_code_in_any_case_iri_or_title(shipped, ref):
    assert shipped.certification(ref).code == "CKA"


@pytest.mark.parametrize(
    "ref",
    [
        3,
        "3",
        "Services and Networking",
        "services and networking",
        "3. Services and Networking",
        "https://w3id.org/opsprep/id/domain/cka-3",
    ],
)
def test_a_domain_by_number_title_label_or_iri(shipped, ref):
    cka = shipped.certification("CKA")
    found = cka.domain(ref)
    assert (found.number, found.title, found.iri) == (3, "Services and Networking", cka.domain_iris[2])
    assert shipped.domain(found.iri) == found
    assert shipped.cert_of(found.iri) == cka


def test_an_unknown_certification_lists_the_known_codes(shipped, mini):
    with pytest.raises(UnknownCertification) as info:
        shipped.certification("AZ-999")
    assert str(info.value) == f"There is no certification 'AZ-999'. Known exam codes: {', '.join(SHIPPED_CODES)}."
    assert info.value.kind is ErrorKind.NOT_FOUND and info.value.kind.status == 404
    assert isinstance(info.value, OpsprepError) and isinstance(info.value, LookupError)
    with pytest.raises(UnknownCertification, match="Known exam codes: DOP-C02\\.$"):
        mini.certification("CKA")  # only what this graph holds


@pytest.mark.parametrize("ref", ["9", 0, "Domain 7", "https://w3id.org/opsprep/id/domain/ckad-1"])
def test_an_unknown_domain_lists_the_certifications_domains(shipped, ref):
    cka = shipped.certification("CKA")
    with pytest.raises(UnknownDomain) as info:
        cka.domain(ref)
    known = "; ".join(d.label for d in cka.domains)
    assert str(info.value) == f"CKA has no exam domain {str(ref)!r}. Its domains are: {known}."
    assert "1. Cluster Architecture, Installation and Configuration; 2. Workloads and Scheduling" in str(info.value)
    assert info.value.kind is ErrorKind.NOT_FOUND
    assert isinstance(info.value, OpsprepError) and isinstance(info.value, LookupError)


def test_an_unknown_domain_iri(shipped):
    with pytest.raises(UnknownDomain, match="There is no exam domain 'https://example.org/nope'") as info:
        shipped.domain("https://example.org/nope")
    assert info.value.kind is ErrorKind.NOT_FOUND


# ---------------------------------------------------------------------------- values


def test_certifications_and_domains_round_trip_through_json(shipped, mini):
    for cert in (*shipped, *mini):
        data = cert.to_dict()
        assert json.loads(json.dumps(data)) == plain(data)
        assert (data["code"], data["iri"], data["passing_score"]) == (cert.code, cert.iri, cert.passing_score)
        assert tuple(data["assumed"]) == cert.assumed
        assert [d["label"] for d in data["domains"]] == [d.label for d in cert.domains]
        assert [d["share"] for d in data["domains"]] == [d.share for d in cert.domains]
        assert "alt_labels" not in data


weights_strategy = st.lists(st.one_of(st.none(), st.floats(min_value=0.01, max_value=100)), min_size=1, max_size=10)


@given(weights_strategy)
def test_shares_sum_to_one_and_follow_the_stated_weights(weights):
    cert_iri = "https://example.org/cert/x"
    domains = [
        ExamDomain(f"https://example.org/domain/x-{n}", cert_iri, n, f"Domain {n}", weight=w)
        for n, w in enumerate(weights, 1)
    ]
    cert = certification(cert_iri, "X", "Exam X", reversed(domains))  # given in any order
    assert [d.number for d in cert.domains] == list(range(1, len(weights) + 1))
    shares = [d.share for d in cert.domains]
    assert math.isclose(sum(shares), 1.0, rel_tol=1e-9)
    assert all(share > 0 for share in shares)
    stated = [(d.share, d.weight) for d in cert.domains if d.weight is not None]
    for share, weight in stated:  # one share per unit of weight, the same for every stated domain
        assert math.isclose(share / weight, stated[0][0] / stated[0][1], rel_tol=1e-9)
    unstated = [d.share for d in cert.domains if d.weight is None]
    fallback = sum(s for s, _ in stated) / len(stated) if stated else 1 / len(weights)
    assert all(math.isclose(share, fallback, rel_tol=1e-9) for share in unstated)  # as an average stated domain
    assert ("weight" in cert.assumed) == bool(unstated)


# ---------------------------------------------------------------------------- one place reads the outline


def test_only_the_catalog_reads_exam_codes_and_domain_numbers():
    readers = {
        path.relative_to(ROOT).as_posix()
        for folder in SOURCE_FOLDERS
        for path in (ROOT / folder).rglob("*.py")
        if "examCode" in (text := path.read_text(encoding="utf-8")) or "domainNumber" in text
    }
    assert readers == {"graph/catalog.py"}
