"""Scenario items: a requirement built from a tool's facts, met by exactly one option."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations

from .common import candidate_pool, make_item, similarity, thing_choice
from .facts import Facts, Thing, predicate
from .model import Claim, QuestionItem, QuestionType
from .proof import Proof, holds, provably_lacks, refutation
from .templates import SCENARIO, SCENARIO_PHRASES

#: facts a requirement may name, in the order they are written
REQUIREMENT_FACTS = ("inCategory", "agentModel", "deliveryModel", "configurationStyle", "configurationLanguage")


def _phrase(facts: Facts, fact: str, value: str) -> str:
    label = facts.label(value)
    phrases = SCENARIO_PHRASES[fact]
    return phrases.get(label) or phrases.get("*", "").format(value=label)


def scenario_items(facts: Facts, skip: set[str]) -> Iterator[QuestionItem]:
    """For each tool with at least two requirement facts beyond its category, one scenario item.

    Requirements are the tool's category plus two or three other facts. Every distractor provably
    fails at least one requirement; the answer meets all of them.
    """
    tools = [t for t in facts.of_class("Tool") if t.iri not in skip]
    for tool in tools:
        nearby = candidate_pool(tool, tools)
        pairs = [(f, v) for f in REQUIREMENT_FACTS[1:] for v in tool.values(f)[:1] if _phrase(facts, f, v)]
        if len(pairs) < 2:
            continue
        for category in tool.values("inCategory")[:1]:
            best = None
            for size in (2, 3):
                for chosen in combinations(pairs, size):
                    requirements = [("inCategory", category), *chosen]
                    wrong = [t for t in nearby if t is not tool and _fails(facts, t, requirements)]
                    if len(wrong) >= 3 and (best is None or len(wrong) > len(best[1])):
                        best = (requirements, wrong)
            if best is None:
                continue
            requirements, wrong = best
            phrases = [_phrase(facts, f, v) for f, v in requirements]
            text = ", ".join(phrases[:-1]) + " and " + phrases[-1]
            item = make_item(
                facts,
                "scenario/tool",
                QuestionType.SCENARIO,
                SCENARIO.format(requirements=text),
                [thing_choice(tool, 1.0, _meets_note(facts, tool, requirements))],
                [
                    thing_choice(
                        t, similarity(tool, t), _fail_note(facts, t, requirements), _proof(facts, t, requirements)
                    )
                    for t in wrong
                ],
                _meets_note(facts, tool, requirements),
                about=[tool.iri],
                id_parts=[tool.iri, *(f"{f}={v}" for f, v in requirements)],
                claims=[Claim(predicate(f), v) for f, v in requirements],
                asks=[tool.iri],
                sources=list(dict.fromkeys(s for f, _ in requirements for s in facts.fact_sources(tool.iri, f))),
            )
            if item:
                yield item


def _fails(facts: Facts, thing: Thing, requirements: list[tuple[str, str]]) -> bool:
    return any(provably_lacks(thing, f, v, facts) for f, v in requirements)


def _proof(facts: Facts, thing: Thing, requirements: list[tuple[str, str]]) -> str:
    return next(str(p) for f, v in requirements if (p := refutation(facts, thing, f, v)) is not None)


def _meets_note(facts: Facts, tool: Thing, requirements: list[tuple[str, str]]) -> str:
    return f"{tool.label} " + "; ".join(_phrase(facts, f, v) for f, v in requirements if holds(tool, f, v)) + "."


def _fail_note(facts: Facts, thing: Thing, requirements: list[tuple[str, str]]) -> str:
    """Why a tool misses the requirements, in the requirements' own terms ("it runs an agent on every
    machine it manages"), or by its values when a value has no phrase."""
    reasons = []
    for f, v in requirements:
        proof = refutation(facts, thing, f, v)
        if proof is None:
            continue
        own = [_phrase(facts, f, x) or facts.label(x) for x in thing.values(f)]
        if proof == Proof.COMPLETE and f == "inCategory":
            reasons.append("it " + " and ".join(own) + " and to no other")
        else:
            reasons.append("it " + " and ".join(own) if own else f"it does not {_phrase(facts, f, v)}")
    return f"{thing.label} does not fit: " + "; ".join(reasons) + "."
