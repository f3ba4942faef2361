"""Items on what a Terraform run does with its state, lock, logs and configuration, and on the plugins a
Kubernetes node reaches through an extension interface: they serve the competencies they were written for,
every key is re-derived from the item alone, a swapped key is caught, and every shown configuration parses."""

from __future__ import annotations

import dataclasses
import random

import hcl2
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import RDF, URIRef

from opsprep.graph import default_graph
from opsprep.graph.k8s_api import validate_manifest
from opsprep.graph.store import ONTOLOGY_FILE
from opsprep.graph.validate import validate_files
from opsprep.questions import QuestionType, grade_response, present
from opsprep.questions.giveaways import giveaways
from opsprep.questions.hands_on_common import Context
from opsprep.questions.hands_on_proof import hands_on_unproven, is_hands_on
from opsprep.questions.lint import missing_notes
from opsprep.questions.terraform_state_items import expected, terraform_state_items

GAPS_FILE = "graph/data/coverage-gaps.ttl"
OPS = "https://w3id.org/opsprep/ontology#"
#: the competencies these items were written for, by IRI tail
GAPS = (
    "cka-1-7",
    "terraform-004-1a",
    "terraform-004-1b",
    "terraform-004-3c",
    "terraform-004-6a",
    "terraform-004-6b",
    "terraform-004-7c",
)


@pytest.fixture(scope="module")
def graph():
    return default_graph()


@pytest.fixture(scope="module")
def bank(shipped_bank):
    return shipped_bank


@pytest.fixture(scope="module")
def mine(bank):
    ids = {i.id for i in terraform_state_items(Context(bank.facts, bank.facts.hands_on))}
    return [i for i in bank.items if i.id in ids]


def _choices(items):
    return [i for i in items if i.answers]


def _kind(item) -> str:
    return item.template.split("/", 1)[1]


def test_every_gap_competency_has_ten_items_some_of_them_ours(bank, mine):
    ours = {i.id for i in mine}
    found = {c.iri.rsplit("/", 1)[-1]: c for c in bank.facts.hands_on.competencies}
    for tail in GAPS:
        served = bank.serving(found[tail])
        assert len(served) >= 10, (tail, len(served))
        assert len([i for i in served if i.id in ours]) >= 2, tail


def test_every_template_yields_items(mine):
    kinds = {_kind(i) for i in mine}
    for kind in (
        "run-state-location",
        "run-lock",
        "run-held-lock",
        "run-force-unlock",
        "run-validate",
        "run-log-level",
        "run-log-destination",
        "run-log-subset",
        "log-command",
        "run-desired-count",
        "run-drift",
        "run-replace",
        "cri-runtime",
        "csi-claim",
        "default-csi-class",
    ):
        assert kind in kinds, kind


def test_choice_items_are_proven(bank, mine):
    items = _choices(mine)
    assert len(items) >= 70
    for item in items:
        assert item.type == QuestionType.CODE_READING
        assert is_hands_on(item), item.id
        assert hands_on_unproven(bank.facts, item) == [], item.id
        assert expected(item) == item.answers[0].text, item.id


def test_a_swapped_key_is_caught(bank, mine):
    """Making any wrong option the key is reported by the proof, for every item."""
    for item in _choices(mine):
        for n, wrong in enumerate(item.distractors):
            others = (*item.distractors[:n], *item.distractors[n + 1 :])
            demoted = dataclasses.replace(item.answers[0], proof=wrong.proof)
            swapped = dataclasses.replace(item, answers=(wrong,), distractors=(demoted, *others))
            assert hands_on_unproven(bank.facts, swapped), (item.id, wrong.text)


def test_shown_configurations_parse(mine):
    shown = {"hcl": 0, "yaml": 0}
    for item in mine:
        if item.code_language == "hcl":
            hcl2.loads(item.code)
            shown["hcl"] += 1
        elif item.code_language == "yaml":
            assert isinstance(yaml.safe_load(item.code), dict), item.id
            shown["yaml"] += 1
    assert shown["hcl"] >= 50 and shown["yaml"] >= 2


def test_every_option_has_its_reason_and_no_showing_gives_the_key_away(bank, mine):
    for item in _choices(mine):
        assert missing_notes(item) is None, item.id
        for seed in range(6):
            shown = present(item, seed)
            wrong = {o.key for o in shown.options if not o.correct}
            assert len(shown.options) == 4 and len(shown.correct_letters) == 1
            picked = [c for c in item.distractors if c.key in wrong]
            assert giveaways(bank.facts, item.stem, item.answers, picked) == [], (item.id, seed)


def test_items_cite_only_the_vendors_pages_and_are_filed_in_their_exams(mine):
    for item in mine:
        kubernetes = item.template.startswith("k8s-")
        host = "https://kubernetes.io/docs/" if kubernetes else "https://developer.hashicorp.com/terraform/"
        assert item.sources and all(s.startswith(host) for s in item.sources), (item.id, item.sources)
        exam = ("cka", "ckad") if kubernetes else ("terraform-associate-004",)
        assert item.domains and all(d.rsplit("/", 1)[-1].rsplit("-", 1)[0] in exam for d in item.domains), item.id


def test_typed_items_accept_their_forms_and_refuse_the_others(mine):
    typed = [i for i in mine if i.template.startswith(("run-typed/", "k8s-typed/"))]
    assert len(typed) >= 8
    for item in typed:
        for text in item.response.accepted:
            assert grade_response(item.response, text).correct, (item.id, text)
        for other in typed:
            if other.template == item.template and other.response.accepted != item.response.accepted:
                for text in other.response.accepted:
                    assert not grade_response(item.response, text).correct, (item.id, text)


def test_storage_tasks_validate_and_meet_their_own_requirements(mine):
    tasks = [i for i in mine if i.type == QuestionType.TASK]
    assert len(tasks) >= 4
    for item in tasks:
        for doc in yaml.safe_load_all(item.response.model_answer):
            assert validate_manifest(doc) == [], item.id
        verdict = grade_response(item.response, item.response.model_answer)
        assert verdict.correct and verdict.score == 1.0, (item.id, verdict.results)
        unmet = grade_response(item.response, item.response.model_answer.replace("csi.", "csi-"))
        assert not unmet.correct, item.id  # another provisioner fails the CSI-driver requirement


def test_the_worked_examples_conform_and_show_things_the_graph_has(graph):
    assert validate_files([ONTOLOGY_FILE, GAPS_FILE]).violations == []
    examples = list(graph.subjects(RDF.type, URIRef(OPS + "CodeExample")))
    shown = {o for s in examples for o in graph.objects(s, URIRef(OPS + "exampleOf"))}
    assert all(list(graph.objects(o, RDF.type)) for o in shown)


def _with(item, **changes):
    return dataclasses.replace(item, **changes)


def test_the_documentation_examples_give_the_documented_answers(mine):
    """The s3 page's own example: workspace development keeps its state at env:/development/path/to/my/key."""
    location = next(i for i in mine if _kind(i) == "run-state-location")
    code = 'terraform {\n  backend "s3" {\n    bucket = "mybucket"\n    key    = "path/to/my/key"\n  }\n}\n'
    stem = "After `terraform workspace select development`, `terraform apply` runs in this root module."
    assert expected(_with(location, code=code, stem=stem)) == (
        "The object env:/development/path/to/my/key in the S3 bucket mybucket"
    )
    lock = next(i for i in mine if _kind(i) == "run-lock")
    assert expected(_with(lock, code=code, stem="Does `terraform apply` lock it?")).startswith("No:")
    locked = code.replace('"path/to/my/key"\n', '"path/to/my/key"\n    use_lockfile = true\n')
    assert "lock file" in expected(_with(lock, code=locked, stem="Does `terraform apply` lock it?"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    level=st.sampled_from(["", "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "JSON"]),
    path=st.sampled_from(["", "./terraform.log", "logs/run.log"]),
    command=st.sampled_from(["terraform plan", "terraform apply"]),
)
def test_tf_log_path_alone_never_turns_logging_on(mine, level, path, command):
    template = next(i for i in mine if _kind(i) == "run-log-destination")
    env = {k: v for k, v in (("TF_LOG", level), ("TF_LOG_PATH", path)) if v}
    code = "".join(f"export {k}={v}\n" for k, v in env.items()) + command + "\n"
    where = expected(_with(template, code=code))
    if not level:
        assert where.startswith("Nowhere")
    else:
        assert where == (f"Appended to {path}" if path else "To standard error, on the terminal")


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_removing_facts_never_makes_an_item_wrong(bank, data):
    """Drop random worked examples and competencies: every item still generated is filed, cited and proven."""
    hands = bank.facts.hands_on
    keep = data.draw(st.floats(0.2, 0.95))
    rng = random.Random(data.draw(st.integers(0, 10**6)))
    smaller = dataclasses.replace(
        hands,
        code_examples=[e for e in hands.code_examples if rng.random() < keep],
        competencies=[c for c in hands.competencies if rng.random() < keep],
    )
    facts = dataclasses.replace(bank.facts, hands_on=smaller)
    for item in terraform_state_items(Context(facts, smaller)):
        assert item.domains and item.sources, item.id
        if item.answers:
            assert hands_on_unproven(facts, item) == [], item.id
