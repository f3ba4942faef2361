"""Hands-on items: tasks whose model answers meet their own requirements, code-reading and command items
whose keys are re-derived from the item itself, typed items whose accepted forms are accepted."""

from __future__ import annotations

import dataclasses
import json
import random
from functools import cache

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from opsprep.graph import default_graph
from opsprep.graph.k8s_api import validate_manifest
from opsprep.questions import QuestionType, build_bank, grade_response, present
from opsprep.questions.bank import HANDS_ON_TYPES
from opsprep.questions.command_items import command_items
from opsprep.questions.hands_on_common import Context
from opsprep.questions.hands_on_proof import hands_on_unproven, is_hands_on
from opsprep.questions.hcl_items import hcl_items
from opsprep.questions.manifest_tasks import manifest_items


@pytest.fixture(scope="module")
def bank():
    return build_bank(default_graph())


def _of(bank, *families):
    return [i for i in bank.items if i.template.split("/", 1)[0] in families]


def test_every_hands_on_family_yields_items(bank):
    for family in ("k8s-task", "k8s-fix", "k8s-read", "command-typed", "command-choice", "hcl-read"):
        assert len(_of(bank, family)) >= 20, family


def test_every_task_model_answer_validates_and_meets_its_requirements(bank):
    tasks = _of(bank, "k8s-task", "k8s-fix")
    for item in tasks:
        response = item.response
        for doc in yaml.safe_load_all(response.model_answer):
            assert validate_manifest(doc) == [], (item.id, doc.get("kind"))
        verdict = grade_response(response, response.model_answer)
        assert verdict.correct and verdict.score == 1.0, (item.id, verdict.problems, verdict.results)
        assert "&id" not in response.model_answer and "*id" not in response.model_answer  # no YAML aliases shown
        assert len(verdict.results) == len(response.requirements)
        assert all(r.fact for r in response.requirements), item.id


def test_every_fix_starter_fails(bank):
    for item in _of(bank, "k8s-fix"):
        verdict = grade_response(item.response, item.response.starter)
        assert not verdict.correct, item.id
        assert verdict.problems or any(not r.met for r in verdict.results), item.id


def test_requirements_fail_alone(bank):
    """Each requirement is checked: the model answer with that value changed fails that requirement."""
    from opsprep.questions.manifest_tasks import _set_path, dump

    checked = 0
    for item in _of(bank, "k8s-task")[:40]:
        docs = list(yaml.safe_load_all(item.response.model_answer))
        for req in item.response.requirements:
            value = json.loads(req.value)
            if req.op != "equals" or isinstance(value, bool) or not isinstance(value, int | str):
                continue
            if req.path in ("kind", "apiVersion"):
                continue
            changed = [dict(d) for d in yaml.safe_load_all(item.response.model_answer)]
            if not _set_path(changed, req, value + 1 if isinstance(value, int) else value + "x"):
                continue
            verdict = grade_response(item.response, dump(changed))
            unmet = [r.id for r in verdict.results if not r.met]
            assert req.id in unmet, (item.id, req.text)
            checked += 1
        assert docs
    assert checked > 100


def test_choice_items_are_proven(bank):
    items = _of(bank, "k8s-read", "hcl-read", "command-choice", "command-flag")
    assert items
    for item in items:
        assert is_hands_on(item), item.id
        assert hands_on_unproven(bank.facts, item) == [], item.id


def test_a_swapped_key_is_caught(bank):
    """The proofs can fail: making a distractor the key is reported, for every family."""
    rng = random.Random(7)
    for family in ("k8s-read", "hcl-read", "command-choice", "command-flag"):
        items = _of(bank, family)
        if not items:
            continue
        for item in rng.sample(items, min(10, len(items))):
            wrong = item.distractors[0]
            key = dataclasses.replace(wrong, proof="")
            swapped = dataclasses.replace(item, answers=(key,), distractors=(item.answers[0], *item.distractors[1:]))
            swapped = dataclasses.replace(
                swapped,
                distractors=tuple(dataclasses.replace(c, proof=wrong.proof) for c in swapped.distractors),
            )
            assert hands_on_unproven(bank.facts, swapped), (family, item.id)


def test_typed_items_accept_their_forms(bank):
    items = _of(bank, "command-typed")
    assert items
    for item in items:
        for text in item.response.accepted:
            assert grade_response(item.response, text).correct, (item.id, text)


def test_choice_near_misses_are_refused_when_typed(bank):
    """The wrong options of a command item, typed as answers to the same task, are graded wrong."""
    typed = {i.response.accepted[0]: i for i in _of(bank, "command-typed")}
    checked = 0
    for item in _of(bank, "command-choice"):
        twin = typed.get(item.answers[0].key)
        if twin is None:
            continue
        for wrong in item.distractors:
            assert not grade_response(twin.response, wrong.text).correct, (item.id, wrong.text)
            checked += 1
    assert checked > 50


def test_hands_on_items_are_filed_and_cited(bank):
    for item in bank.items:
        if item.type in HANDS_ON_TYPES:
            assert item.domains and item.sources, item.id
            assert not any(d.rsplit("/", 1)[-1].startswith("dop-c02") for d in item.domains), item.id


def test_presentations_of_typed_items_have_no_options(bank):
    for item in _of(bank, "k8s-task", "command-typed")[:20]:
        shown = present(item, 3)
        assert shown.typed and shown.options == () and shown.response == item.response
        assert shown.to_dict()["response"]["form"] == item.response.form


def test_round_trip(bank):
    from opsprep.questions import QuestionItem

    for item in [i for i in bank.items if i.type in HANDS_ON_TYPES][:200]:
        assert QuestionItem.from_dict(json.loads(json.dumps(item.to_dict()))) == item


@cache
def _shipped():
    return build_bank(default_graph())


@settings(max_examples=6, deadline=None)
@given(keep=st.floats(0.3, 0.95), seed=st.integers(0, 10**6))
def test_removing_facts_never_makes_an_item_wrong(keep, seed):
    """Drop random examples, flags, schema fields and competencies: every item still generated is still
    proven, and tasks and typed items still accept their own answers."""
    bank = _shipped()
    hands = bank.facts.hands_on
    rng = random.Random(seed)
    smaller = dataclasses.replace(
        hands,
        examples=[e for e in hands.examples if rng.random() < keep],
        flags={k: v for k, v in hands.flags.items() if rng.random() < keep},
        competencies=[c for c in hands.competencies if rng.random() < keep],
        types={t: {n: f for n, f in fs.items() if rng.random() < keep} for t, fs in hands.types.items()},
    )
    ctx = Context(bank.facts, smaller)
    facts = dataclasses.replace(bank.facts, hands_on=smaller)
    for item in [*command_items(ctx), *hcl_items(ctx)]:
        if item.type in (QuestionType.COMMAND, QuestionType.CODE_READING):
            assert hands_on_unproven(facts, item) == [], item.id
    for item in [*manifest_items(ctx), *command_items(ctx)]:
        if item.response is not None:
            right = item.response.model_answer or item.response.accepted[0]
            assert grade_response(item.response, right).correct, item.id
        else:
            assert hands_on_unproven(facts, item) == [], item.id
