"""Solutions to a scenario: which sets of capabilities meet its needs, which one is best, and why each other
option fails.

A solution is a set of capabilities (its steps). It meets a need when one of its steps does: a capability's
needs are recorded in full (``ops:meets`` is a closed property), so this is decided by the graph. Among the
solutions that meet every need, the qualifier ranks them: LEAST operational overhead by the sum of the steps'
effort ranks, MOST cost-effective by the sum of their cost ranks. A wrong option either leaves a need unmet —
and then a sourced limitation of one of its steps, or a step that meets another need of the same facet, says
why — or meets every need at strictly more effort or cost than the key.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import combinations, product

from .scenario_facts import Capability, Scenarios, ScenarioTemplate


class Failure(StrEnum):
    """Why an option is not the answer."""

    LIMITATION = "limitation"  # a step's sourced limitation fails a stated need
    FACET = "facet"  # a step meets another need of the facet the stated need belongs to
    OVERHEAD = "overhead"  # meets every need, at strictly more effort (or cost) than the answer


@dataclass(frozen=True)
class Verdict:
    """Why one solution is wrong: the kind of reason, the need it fails (none for overhead), the step to blame
    and, for a facet failure, the need that step meets instead."""

    failure: Failure
    step: str
    need: str = ""
    instead: str = ""
    replaces: str = ""  # the answer's step that this option's step stands in for


def coherent(steps: Iterable[str], scenarios: Scenarios) -> bool:
    """Whether the steps can stand together: no two are settings of one choice, and each step that presupposes
    another (``ops:worksWith``) stands beside one of those."""
    steps = set(steps)
    seen: set[str] = set()
    for step in steps:
        cap = scenarios.capabilities[step]
        if cap.choices & seen:
            return False
        seen |= cap.choices
        if cap.works_with and not cap.works_with & steps:
            return False
    return True


def meets(steps: Iterable[str], need: str, scenarios: Scenarios) -> bool:
    """Whether one of the steps meets ``need``."""
    return any(need in scenarios.capabilities[s].meets for s in steps)


def unmet(steps: Iterable[str], needs: Iterable[str], scenarios: Scenarios) -> list[str]:
    """The needs (in the order given) that no step meets."""
    steps = tuple(steps)
    return [n for n in needs if not meets(steps, n, scenarios)]


def measure(steps: Iterable[str], template: ScenarioTemplate, scenarios: Scenarios) -> tuple[int, ...] | None:
    """The solution's rank under the template's qualifier (lower is better), or None when a step has no cost
    rank and the qualifier ranks by cost. MOST cost-effective sums the steps' cost ranks. LEAST operational
    overhead compares the steps' effort ranks heaviest first: the heaviest kind of work decides (one script
    the team maintains weighs more than two managed features), then the next, and fewer steps beat more."""
    caps = [scenarios.capabilities[s] for s in set(steps)]
    if template.by_cost:
        if any(c.cost is None for c in caps):
            return None
        return (sum(c.cost for c in caps),)  # type: ignore[misc]
    return tuple(sorted((c.effort for c in caps), reverse=True))


def best(template: ScenarioTemplate, needs: Sequence[str], scenarios: Scenarios) -> tuple[str, ...] | None:
    """The one solution, from the capabilities the template considers, that meets every need with the best
    rank, each of its steps needed; None when there is none or two tie."""
    candidates = [[c for c in template.considers if n in scenarios.capabilities[c].meets] for n in needs]
    if not all(candidates):
        return None
    ranked: dict[frozenset[str], int] = {}
    for choice in product(*candidates):
        steps = frozenset(choice)
        if not coherent(steps, scenarios):
            continue  # two settings of one choice (two recovery strategies) are not one solution
        if any(not unmet(steps - {s}, needs, scenarios) for s in steps):
            continue  # a step that does nothing the others do not is not part of a minimal solution
        rank = measure(steps, template, scenarios)
        if rank is not None:
            ranked[steps] = rank
    if not ranked:
        return None
    top = min(ranked.values())
    winners = [s for s, r in ranked.items() if r == top]
    if len(winners) != 1:
        return None
    return _ordered(winners[0], needs, scenarios)


def _ordered(steps: Iterable[str], needs: Sequence[str], scenarios: Scenarios) -> tuple[str, ...]:
    """Steps in the order of the first need each meets, a step that presupposes another after it."""
    steps = set(steps)

    def first(step: str) -> tuple[int, int, str]:
        cap = scenarios.capabilities[step]
        after = bool(cap.works_with & steps)
        return (after, min((i for i, n in enumerate(needs) if n in cap.meets), default=len(needs)), step)

    return tuple(sorted(steps, key=first))


def verdict(
    steps: Sequence[str], key: Sequence[str], template: ScenarioTemplate, needs: Sequence[str], scenarios: Scenarios
) -> Verdict | None:
    """Why the solution ``steps`` is not the answer ``key``: a need it fails, with the decisive reason, or the
    extra overhead; None when the graph cannot show it wrong (it meets every need at no more effort, or it
    fails a need and none of its steps is to blame by a limitation or a facet)."""
    if set(steps) == set(key):
        return None
    failed = unmet(steps, needs, scenarios)
    if not failed:
        mine, theirs = measure(steps, template, scenarios), measure(key, template, scenarios)
        if mine is None or theirs is None or mine <= theirs:
            return None
        extra = [s for s in steps if s not in key]
        return Verdict(Failure.OVERHEAD, extra[0] if extra else steps[0])
    if not scenarios.meets_complete:  # open world: every step must be shown not to meet the need
        failed = [n for n in failed if all(_excluded(s, n, scenarios) for s in steps)]
    blamed = [s for s in steps if s not in key]  # the reason lies in what the option does differently
    for need in failed:
        for step in blamed:
            if scenarios.capabilities[step].limitation(need):
                return Verdict(Failure.LIMITATION, step, need)
    for need in failed:
        for step in blamed:
            other = _other_in_facet(step, need, scenarios)
            if other:
                return Verdict(Failure.FACET, step, need, instead=other)
    return None


def _other_in_facet(step: str, need: str, scenarios: Scenarios) -> str:
    """The need of ``need``'s facet that ``step`` meets instead, or ""."""
    facet = scenarios.needs[need].facet if need in scenarios.needs else ""
    if not facet:
        return ""
    cap = scenarios.capabilities[step]
    return next((n for n in scenarios.facets.get(facet, ()) if n != need and n in cap.meets), "")


def _excluded(step: str, need: str, scenarios: Scenarios) -> bool:
    """Whether the facts show that ``step`` does not meet ``need``: a limitation, or another need of its facet."""
    return bool(scenarios.capabilities[step].limitation(need) or _other_in_facet(step, need, scenarios))


def substitutes(key: Sequence[str], template: ScenarioTemplate, needs: Sequence[str], scenarios: Scenarios):
    """Wrong solutions made from the answer by putting, for one or two of its steps, another capability that
    does the same part of the job: one with a limitation on a need the step meets, one that meets another need
    of the same facet, or one that meets the same need at more effort. Yields (steps, verdict, replaced steps)."""
    caps = scenarios.capabilities
    rivals: dict[str, list[str]] = {}
    for step in key:
        mine = caps[step].meets & set(needs)
        found = []
        for other in template.considers:
            if other in key:
                continue
            cap = caps[other]
            if _competes(cap, mine, scenarios):
                found.append(other)
        rivals[step] = found
    seen: set[frozenset[str]] = set()
    for size in (1, 2):
        for replaced in combinations(key, size):
            for choice in product(*(rivals[s] for s in replaced)):
                steps = [c for s in key for c in ([choice[replaced.index(s)]] if s in replaced else [s])]
                steps = list(dict.fromkeys(steps))
                frozen = frozenset(steps)
                if frozen in seen or not coherent(steps, scenarios):
                    continue
                seen.add(frozen)
                found = verdict(steps, key, template, needs, scenarios)
                if found is not None:
                    yield tuple(steps), found, replaced


def _competes(cap: Capability, needs: set[str], scenarios: Scenarios) -> bool:
    """Whether ``cap`` is another way of doing what the step meeting ``needs`` does."""
    if cap.meets & needs:
        return True
    if any(cap.limitation(n) for n in needs):
        return True
    facets = {scenarios.needs[n].facet for n in needs if n in scenarios.needs and scenarios.needs[n].facet}
    return any(n in scenarios.needs and scenarios.needs[n].facet in facets for n in cap.meets)


def only_answer(
    options: Sequence[Sequence[str]], key: Sequence[str], template: ScenarioTemplate, needs: Sequence[str], scenarios
) -> bool:
    """Whether ``key`` is the one option that meets every need with the best rank (the oracle for single-answer
    items): every other option has a verdict."""
    return all(set(o) == set(key) or verdict(o, key, template, needs, scenarios) is not None for o in options)


def only_combination(
    steps: Sequence[str], key: Sequence[str], template: ScenarioTemplate, needs: Sequence[str], scenarios: Scenarios
) -> bool:
    """Whether, among every choice of ``len(key)`` of the option ``steps``, only ``key`` meets every need with
    the best rank (the oracle for "Choose TWO/THREE" items)."""
    target = measure(key, template, scenarios)
    if target is None or unmet(key, needs, scenarios):
        return False
    for choice in combinations(steps, len(key)):
        if set(choice) == set(key) or not coherent(choice, scenarios):
            continue  # two settings of one choice cannot both be taken
        failed = unmet(choice, needs, scenarios)
        if not scenarios.meets_complete:  # open world: failed only where each step is shown not to meet it
            failed = [n for n in failed if all(_excluded(s, n, scenarios) for s in choice)]
            if not failed and unmet(choice, needs, scenarios):
                return False
        if failed:
            continue
        rank = measure(choice, template, scenarios)
        if rank is None or rank <= target:
            return False
    return True
