"""Scenario items composed from capability facts: the key and only the key meets every stated requirement under
the qualifier (re-derived from the graph's triples), on the shipped graph and on random capability graphs."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opsprep.graph import default_graph
from opsprep.questions import QuestionType, present
from opsprep.questions.scenario_facts import Capability, Limitation, Need, Scenarios, ScenarioTemplate
from opsprep.questions.solution_items import template_items
from opsprep.questions.solution_proof import is_solution_item, solution_unproven
from opsprep.questions.solutions import best

from .scenario_oracle import ScenarioOracle


@pytest.fixture(scope="module")
def graph():
    return default_graph()


@pytest.fixture(scope="module")
def bank(shipped_bank):
    return shipped_bank


@pytest.fixture(scope="module")
def scenario_items(bank):
    items = [i for i in bank.items if is_solution_item(i)]
    assert items, "the shipped graph yields scenario items"
    return items


def test_every_scenario_key_is_the_only_answer_by_the_graph(graph, scenario_items):
    oracle = ScenarioOracle(graph)
    for item in scenario_items:
        oracle.check(item)


def test_every_scenario_item_is_proven_by_the_capability_facts(bank, scenario_items):
    for item in scenario_items:
        assert solution_unproven(bank.facts, item) == [], item.id


def test_scenario_items_have_the_exam_shape(scenario_items):
    """A situation, two to four requirements, a qualifier; options that are whole solutions or steps."""
    for item in scenario_items:
        body, _, question = item.stem.rpartition("\n\n")
        assert question.startswith("Which ") and ("LEAST" in question or "MOST" in question), item.id
        assert len(body.split()) >= 40, item.stem
        if item.template.startswith("solution-steps/"):
            count = "TWO" if len(item.answers) == 2 else "THREE"
            assert item.type == QuestionType.SCENARIO and f"(Choose {count}.)" in question
            assert item.option_count == len(item.answers) + 3
        else:
            assert item.type == QuestionType.SCENARIO and len(item.answers) == 1 and item.option_count == 4
        assert len(item.distractors) >= 3
        for choice in (*item.answers, *item.distractors):
            assert choice.text.endswith(".")
        assert all(d.note.startswith(("It ", "In its place")) for d in item.distractors), item.id
        assert item.sources and all(s.startswith("https://docs.aws.amazon.com/") for s in item.sources), item.sources


def test_every_option_is_made_of_the_exams_own_services(bank, scenario_items):
    """Options are whole solutions from the exam's world: every step uses services of the exam's platform."""
    scenarios = bank.facts.scenarios
    for item in scenario_items:
        certs = {bank.catalog.cert_of(d).iri for d in item.domains}
        world = set().union(*(bank.facts.worlds[c] for c in certs))
        for choice in (*item.answers, *item.distractors):
            for step in choice.key.split("|"):
                services = set(scenarios.capabilities[step].services)
                assert services and services <= world, (item.id, step, services - world)


def test_every_shown_wrong_option_is_explained(scenario_items):
    for item in scenario_items[:200]:
        for seed in (1, 2):
            shown = present(item, seed)
            for option in shown.options:
                if not option.correct:
                    assert f"{option.letter} " in shown.explanation, (item.id, option.letter)


# ---------------------------------------------------------------- random capability graphs

NEEDS = [f"https://w3id.org/opsprep/id/need/n{i}" for i in range(6)]
CAPS = [f"https://w3id.org/opsprep/id/capability/c{i}" for i in range(9)]
FACET = "https://w3id.org/opsprep/id/facet/f"
TEMPLATE = "https://w3id.org/opsprep/id/scenario/t"


@st.composite
def capability_graphs(draw):
    """Random needs (the first three in one facet), capabilities meeting random needs (at most one per facet),
    random limitations and effort, and a template that considers them all."""
    needs = {
        n: Need(n, f"need {i}", f"Requirement {i} must hold.", FACET if i < 3 else "") for i, n in enumerate(NEEDS)
    }
    caps = {}
    for i, iri in enumerate(CAPS):
        facet_need = draw(st.sampled_from([None, *NEEDS[:3]]))
        others = draw(st.sets(st.sampled_from(NEEDS[3:]), max_size=2))
        meets = frozenset(({facet_need} if facet_need else set()) | others)
        limited = draw(st.sets(st.sampled_from([n for n in NEEDS if n not in meets]), max_size=2))
        caps[iri] = Capability(
            iri=iri,
            label=f"step {i}",
            definition=f"Step {i} does what it does.",
            action=f"Carry out step {i} of the plan.",
            services=("https://w3id.org/opsprep/id/aws/s",),
            effort=draw(st.integers(1, 4)),
            effort_label="some effort",
            meets=meets,
            limitations=tuple(Limitation(n, f"Step {i} cannot do it.", ()) for n in sorted(limited)),
            cost=draw(st.integers(1, 4)),
        )
    template = ScenarioTemplate(
        iri=TEMPLATE,
        label="t",
        competency="https://w3id.org/opsprep/id/competency/x-1-1",
        situations=(
            "A company runs a workload and wants to change how it is operated, in several ways at once, "
            "without adding work for the team that runs it day to day.",
        ),
        requires=tuple(draw(st.sets(st.sampled_from(NEEDS[3:]), max_size=1))),
        may_require=tuple(n for n in NEEDS[3:]),
        varies=FACET,
        considers=tuple(CAPS),
        qualifier=draw(
            st.sampled_from(
                [
                    "https://w3id.org/opsprep/ontology#LeastOperationalOverhead",
                    "https://w3id.org/opsprep/ontology#MostCostEffective",
                ]
            )
        ),
    )
    return Scenarios(needs=needs, facets={FACET: tuple(NEEDS[:3])}, capabilities=caps, templates=[template])


class _Facts:
    def __init__(self, scenarios):
        self.scenarios = scenarios


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios=capability_graphs())
def test_on_random_capability_graphs_only_the_key_is_right(scenarios):
    template = scenarios.templates[0]
    for item in template_items(scenarios, template, "https://w3id.org/opsprep/id/domain/x-1"):
        assert solution_unproven(_Facts(scenarios), item) == [], item.id
        needs = [i for i in item.about if "/need/" in i]
        key = best(template, needs, scenarios)
        assert key is not None
        caps = scenarios.capabilities

        def rank(steps, caps=caps):
            if template.by_cost:
                return (sum(caps[s].cost for s in set(steps)),)
            return tuple(sorted((caps[s].effort for s in set(steps)), reverse=True))

        if item.template.startswith("solution-scenario/"):
            right = item.answers[0].key.split("|")
            assert all(any(n in scenarios.capabilities[s].meets for s in right) for n in needs)
            for wrong in item.distractors:
                steps = wrong.key.split("|")
                if all(any(n in scenarios.capabilities[s].meets for s in steps) for n in needs):
                    assert rank(steps) > rank(right)


def _right_among_shown(item, scenarios, template) -> bool:
    """The answer meets every stated need, and each wrong option shown fails one (by a limitation or a facet
    of the full facts) or meets them all at a strictly worse rank."""
    caps = scenarios.capabilities
    needs = [i for i in item.about if "/need/" in i]

    def met(steps, need):
        return any(need in caps[s].meets for s in steps)

    def rank(steps):
        if template.by_cost:
            return (sum(caps[s].cost for s in set(steps)),)
        return tuple(sorted((caps[s].effort for s in set(steps)), reverse=True))

    def shown_wrong(steps, right):
        failed = [n for n in needs if not met(steps, n)]
        if not failed:
            return rank(steps) > rank(right)
        facets = {scenarios.needs[n].facet for n in failed if scenarios.needs[n].facet}
        own = [s for s in steps if s not in right]
        return any(caps[s].limitation(n) for s in own for n in failed) or any(
            scenarios.needs[m].facet in facets for s in own for m in caps[s].meets if m in scenarios.needs
        )

    if item.template.startswith("solution-steps/"):
        from itertools import combinations

        right = [a.key for a in item.answers]
        options = right + [d.key for d in item.distractors]
        return all(met(right, n) for n in needs) and all(
            set(c) == set(right) or not all(met(c, n) for n in needs) or rank(c) > rank(right)
            for c in combinations(options, len(right))
        )
    right = item.answers[0].key.split("|")
    return all(met(right, n) for n in needs) and all(shown_wrong(d.key.split("|"), right) for d in item.distractors)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios=capability_graphs(), data=st.data())
def test_deleting_capability_facts_never_makes_an_item_wrong(scenarios, data):
    """Build items from the facts less some (a need a capability meets, a limitation, a facet membership, a
    whole capability): every item is still right when judged with all the facts."""
    template = scenarios.templates[0]
    caps = dict(scenarios.capabilities)
    complete = True
    for iri in data.draw(st.sets(st.sampled_from(CAPS), max_size=3)):
        cap = caps[iri]
        kind = data.draw(st.sampled_from(["meets", "limitation", "whole"]))
        if kind == "meets" and cap.meets:  # the list of needs it meets is no longer whole
            dropped = data.draw(st.sampled_from(sorted(cap.meets)))
            caps[iri] = Capability(**{**cap.__dict__, "meets": cap.meets - {dropped}})
            complete = False
        elif kind == "limitation" and cap.limitations:
            caps[iri] = Capability(**{**cap.__dict__, "limitations": cap.limitations[1:]})
        elif kind == "whole":
            del caps[iri]
    needs = dict(scenarios.needs)
    for iri in data.draw(st.sets(st.sampled_from(NEEDS[:3]), max_size=1)):
        needs[iri] = Need(iri, needs[iri].label, needs[iri].text, "")
    facets = {FACET: tuple(n for n in NEEDS[:3] if needs[n].facet)}
    fewer = ScenarioTemplate(**{**template.__dict__, "considers": tuple(c for c in template.considers if c in caps)})
    smaller = Scenarios(needs, facets, caps, [fewer], meets_complete=complete)
    for item in template_items(smaller, fewer, "https://w3id.org/opsprep/id/domain/x-1"):
        assert _right_among_shown(item, scenarios, template), item.id


def test_a_dop_c02_exam_is_mostly_scenarios_in_blueprint_proportion(bank):
    """A full-length DOP-C02 exam draws scenario items first in every domain: at least 80 % of it, with each
    domain's share of questions as the blueprint weighs it, and no two questions testing one answer."""
    import random

    from opsprep.engine.exam_draw import draw_questions
    from opsprep.engine.exam_facts import item_facts, same_fact
    from opsprep.engine.exam_shape import exam_shape

    plan = bank.catalog.certification("DOP-C02")
    shape = exam_shape(plan)
    drawn = draw_questions(bank, plan, plan.domain_iris, shape.count, random.Random(7), shape)
    items = [bank.get(item_id) for item_id, _, _ in drawn]
    assert len(items) == shape.count
    scenarios = sum(is_solution_item(i) for i in items)
    assert scenarios >= 0.8 * len(items), f"{scenarios} of {len(items)} are scenarios"
    for domain in plan.domains:
        share = sum(d == domain.iri for _, _, d in drawn) / len(drawn)
        assert abs(share - domain.share) <= 0.03, (domain.title, share, domain.share)
    facts = [item_facts(i) for i in items]
    for a in range(len(facts)):
        for b in range(a + 1, len(facts)):
            assert not same_fact(facts[a], facts[b]), (items[a].id, items[b].id)


def test_at_most_one_wrong_option_leans_on_custom_code_or_manual_work(bank, graph):
    """A wrong option that brings in custom code or a manual step the answer lacks is eliminated by habit; an
    item has one such option at most, unless fewer than three wrong options are left without them."""
    from opsprep.questions.scenario_facts import read_scenarios

    caps = read_scenarios(graph).capabilities
    checked = 0
    for item in bank.items:
        if not is_solution_item(item):
            continue
        key = {step for answer in item.answers for step in answer.key.split("|")}
        toilsome = [d for d in item.distractors if any(caps[s].effort >= 3 and s not in key for s in d.key.split("|"))]
        if len(item.distractors) - len(toilsome) >= 3:
            assert len(toilsome) <= 1, (item.id, [d.text for d in toilsome])
            checked += 1
    assert checked > 500
