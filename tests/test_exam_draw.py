"""Drawing exam questions on the shipped bank: the blueprint's share per domain, and never one fact twice.

"The same fact" is read from the items (see ``opsprep.engine.exam_facts``): two items built from the same
(subject, property, value) triple, or from one slot of a functional property ("Ansible is agentless" and
"Ansible is agent-based"), a term and its definition asked both ways, or one item whose right option is
what the other's stem names. The property tests check drawn exams against a plain reading of those rules
over the items' claims and texts, for many seeds and lengths.
"""

from __future__ import annotations

import itertools
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opsprep.engine import Progress
from opsprep.engine.exam_facts import item_facts, related, same_fact
from opsprep.engine.exam_shape import exam_shape
from opsprep.questions import QuestionItem, QuestionType

from .conftest import NOW

SYMMETRIC = {"https://w3id.org/opsprep/ontology#equivalentTo"}


@pytest.fixture(scope="module")
def shipped(shipped_bank):
    return shipped_bank


@pytest.fixture(scope="module")
def examinee(shipped):
    with Progress.open(":memory:", shipped) as progress:
        yield progress.learner(progress.create_learner("ada", now=NOW).id)


def exam_codes(bank) -> list[str]:
    return [plan.code for plan in bank.catalog if plan.is_exam]


def facts_tested(item: QuestionItem, functional) -> set[tuple]:
    """The (subject, property, value) triples an item tests, and (subject, property) for a definition or a
    property with one value per thing; read from its claims the plain way."""
    if item.family == "definition":
        return {(item.about[0], "definition")}
    out: set[tuple] = set()
    for claim in item.claims:
        if item.type is QuestionType.TRUE_FALSE:
            pairs = [(item.about[0], claim.target) if claim.forward else (claim.target, item.about[0])]
        elif claim.forward:
            pairs = [(a.key, claim.target) for a in item.answers]
        else:
            pairs = [(claim.target, a.key) for a in item.answers]
        for subject, value in pairs:
            out.add((subject, claim.predicate, value))
            if claim.predicate in SYMMETRIC:
                out.add((value, claim.predicate, subject))
            if claim.predicate.rsplit("#", 1)[-1] in functional or not claim.forward:
                out.add((subject, claim.predicate))
    return out


def gives_away(a: QuestionItem, b: QuestionItem) -> bool:
    """True when a right option of ``a`` is a thing ``b``'s stem is about, written out in that stem."""
    if a.type is QuestionType.TRUE_FALSE:
        return False
    named = set(b.about) | {c.target for c in b.claims}
    return any(ans.key in named and ans.text.casefold() in b.stem.casefold() for ans in a.answers)


def assert_no_fact_twice(bank, item_ids) -> None:
    items = [bank.get(i) for i in item_ids]
    assert len(set(item_ids)) == len(item_ids)
    tested = Counter(f for item in items for f in facts_tested(item, bank.facts.functional))
    assert [f for f, n in tested.items() if n > 1] == []
    for a, b in itertools.permutations(items, 2):
        assert not gives_away(a, b), (a.stem, [x.text for x in a.answers], b.stem)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), seed=st.integers(0, 2**31 - 1))
def test_no_exam_asks_one_fact_twice(shipped, examinee, data, seed):
    code = data.draw(st.sampled_from(exam_codes(shipped)), label="cert")
    length = exam_shape(shipped.catalog.certification(code)).count
    count = data.draw(st.integers(1, length + 20), label="count")
    attempt = examinee.start_exam(code, count=count, minutes=60, seed=seed, now=NOW)
    drawn = len(attempt.questions)  # up to the real exam's length always in full; beyond, as many as the bank has
    assert drawn == count if count <= length else length <= drawn <= count
    assert_no_fact_twice(shipped, [q.item_id for q in attempt.questions])


@pytest.mark.parametrize("seed", range(3))
def test_full_exams_keep_their_length_and_the_blueprint_shares(shipped, examinee, seed):
    for code in exam_codes(shipped):
        plan = shipped.catalog.certification(code)
        length = exam_shape(plan).count  # the real exam's (a task-based exam's: 17 tasks)
        attempt = examinee.start_exam(code, seed=seed, now=NOW)
        assert len(attempt.questions) == length, code
        per_domain = Counter(q.domain for q in attempt.questions)
        for domain in plan.domains:  # within one question of the weighted share
            assert abs(per_domain[domain.iri] - length * domain.share) <= 1, (code, domain.number)
        assert_no_fact_twice(shipped, [q.item_id for q in attempt.questions])


def by_template(bank, prefix: str) -> list[QuestionItem]:
    return [item for item in bank.items if item.template.startswith(prefix)]


def facts(bank, item):
    return item_facts(item, bank.facts.functional)


def test_a_term_and_its_definition_asked_both_ways_are_one_fact(shipped):
    terms = {i.about[0]: i for i in by_template(shipped, "term-to-definition/")}
    pairs = [(terms[d.about[0]], d) for d in by_template(shipped, "definition-to-term/") if d.about[0] in terms]
    assert pairs
    for ttd, dtt in pairs[:50]:
        assert same_fact(facts(shipped, ttd), facts(shipped, dtt))
        assert next(a.text for a in ttd.answers) in dtt.stem  # one's right option is the other's stem


def by_shape(bank, shape: str) -> list[QuestionItem]:
    return [item for item in bank.items if item.template.endswith(f"/{shape}")]


def test_one_triple_asked_in_two_shapes_is_one_fact(shipped):
    true_false = {(i.about[0], i.claims[0].predicate, i.claims[0].target): i for i in by_shape(shipped, "tf")}
    pairs = [
        (s, true_false[(s.answers[0].key, s.claims[0].predicate, s.claims[0].target)])
        for s in by_shape(shipped, "subject")
        if (s.answers[0].key, s.claims[0].predicate, s.claims[0].target) in true_false
    ]
    assert pairs
    for asked, stated in pairs:
        assert same_fact(facts(shipped, asked), facts(shipped, stated))


def test_two_values_of_a_functional_property_of_one_thing_are_one_fact(shipped):
    found = 0
    for a, b in itertools.combinations(by_template(shipped, "tool-cncf-maturity/tf"), 2):
        if a.about == b.about and a.claims[0].target != b.claims[0].target:
            assert same_fact(facts(shipped, a), facts(shipped, b))
            found += 1
    assert found


def test_a_right_option_named_in_another_stem_gives_it_away(shipped):
    values = by_shape(shipped, "value")  # "Which category does X belong to?"
    subjects = by_shape(shipped, "subject")  # "Which AWS service belongs to the category C?"
    pairs = [(v, s) for v in values for s in subjects if s.claims[0].target == v.answers[0].key]
    assert pairs
    for value, subject in pairs:
        assert value.answers[0].text in subject.stem
        assert same_fact(facts(shipped, value), facts(shipped, subject))


def test_counterparts_either_way_round_are_one_fact(shipped):
    items = by_template(shipped, "equivalent")
    pairs = [(a, b) for a, b in itertools.permutations(items, 2) if b.about[0] in {x.key for x in a.answers}]
    pairs = [(a, b) for a, b in pairs if a.about[0] in {x.key for x in b.answers}]
    assert pairs
    for a, b in pairs:
        assert same_fact(facts(shipped, a), facts(shipped, b))


def test_an_odd_one_out_covers_every_thing_with_its_value(shipped):
    odd = by_template(shipped, "tool-cncf-maturity/odd")[0]
    same_value = [
        s for s in by_template(shipped, "tool-cncf-maturity/subject") if s.claims[0].target == odd.claims[0].target
    ]
    assert same_value and all(same_fact(facts(shipped, odd), facts(shipped, s)) for s in same_value)


def test_other_facts_of_one_category_are_not_the_same_and_one_key_twice_is_only_related(shipped):
    subjects = by_template(shipped, "tool-category/subject")
    a, b = next(
        (a, b)
        for a, b in itertools.combinations(subjects, 2)
        if a.claims[0].target == b.claims[0].target and a.answers[0].key != b.answers[0].key
    )
    assert not same_fact(facts(shipped, a), facts(shipped, b)) and not related(facts(shipped, a), facts(shipped, b))
    c, d = next(
        (c, d)
        for c, d in itertools.combinations(subjects, 2)
        if c.claims[0].target != d.claims[0].target and c.answers[0].key == d.answers[0].key
    )
    assert not same_fact(facts(shipped, c), facts(shipped, d)) and related(facts(shipped, c), facts(shipped, d))
