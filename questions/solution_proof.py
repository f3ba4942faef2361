"""Re-deriving the keys of scenario items from the capability facts, independently of how the items were built.

The needs an item states are the need IRIs it is about. For a whole-solution item, the answer must be the one
solution that :func:`questions.solutions.best` finds for those needs, and every other option must have a
verdict (a sourced limitation, another setting of a facet, or more overhead). For a "Choose TWO/THREE" item,
the right steps must be that solution's steps and no other choice of as many options may meet every need at
no more effort. :func:`solution_unproven` says why an option is not proven, like
:func:`questions.lint.unproven` does for graph claims.
"""

from __future__ import annotations

from .facts import Facts
from .model import QuestionItem
from .solutions import best, only_combination, verdict

NEED = "https://w3id.org/opsprep/id/need/"
FAMILIES = ("solution-scenario", "solution-steps")


def is_solution_item(item: QuestionItem) -> bool:
    """Whether the item is a scenario item composed from capability facts."""
    return item.template.split("/", 1)[0] in FAMILIES


def stated_needs(item: QuestionItem) -> tuple[str, ...]:
    """The needs the item's stem states, in order."""
    return tuple(iri for iri in item.about if iri.startswith(NEED))


def solution_unproven(facts: Facts, item: QuestionItem) -> list[str]:
    """Why the item's key is not the one right answer by the capability facts (empty: it is)."""
    scenarios = facts.scenarios
    template = next((t for t in scenarios.templates if t.iri in item.about), None)
    if template is None:
        return ["the item names no scenario template of the graph"]
    needs = stated_needs(item)
    options = (*item.answers, *item.distractors)
    unknown = [c for c in options for s in c.key.split("|") if s not in scenarios.capabilities]
    if not needs or unknown:
        return [f"unknown needs or steps: {needs or '-'} {[c.text for c in unknown]}"]
    key = best(template, needs, scenarios)
    if key is None:
        return ["no single best solution meets the stated needs"]
    problems = []
    if item.template.startswith("solution-steps/"):
        if {a.key for a in item.answers} != set(key):
            problems.append(f"the right steps are {key}, not {[a.key for a in item.answers]}")
        options = [*(a.key for a in item.answers), *(d.key for d in item.distractors)]
        if not only_combination(options, key, template, needs, scenarios):
            problems.append("another choice of steps meets every need at no more effort")
        return problems
    answer = item.answers[0].key.split("|") if item.answers else []
    if len(item.answers) != 1 or set(answer) != set(key):
        problems.append(f"the best solution is {key}, not {[a.key for a in item.answers]}")
    for choice in item.distractors:
        found = verdict(choice.key.split("|"), key, template, needs, scenarios)
        if found is None:
            problems.append(f"“{choice.text}”: not shown wrong")
        elif str(found.failure) != choice.proof:
            problems.append(f"“{choice.text}”: wrong by {found.failure}, not {choice.proof}")
    return problems
