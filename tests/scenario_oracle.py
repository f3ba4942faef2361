"""An oracle for scenario items that reads the capability facts straight from the graph's triples,
independent of :mod:`opsprep.questions.scenario_facts` and :mod:`opsprep.questions.solutions`."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from rdflib import Graph

from opsprep.questions import QuestionItem

OPS = "https://w3id.org/opsprep/ontology#"
NEED = "https://w3id.org/opsprep/id/need/"
SCENARIO = "https://w3id.org/opsprep/id/scenario/"


class ScenarioOracle:
    """Judges scenario options from ops:meets, ops:limitation/ops:fails, ops:inFacet, effort and cost ranks."""

    def __init__(self, graph: Graph):
        by = defaultdict(lambda: defaultdict(set))
        for s, p, o in graph:
            by[str(p)][str(s)].add(str(o))
        self.meets = by[OPS + "meets"]
        self.facet = {n: next(iter(f)) for n, f in by[OPS + "inFacet"].items()}
        limitation_of = by[OPS + "limitation"]
        fails = by[OPS + "fails"]
        self.limited = {cap: {n for lim in lims for n in fails.get(lim, ())} for cap, lims in limitation_of.items()}
        ranks = {level: int(next(iter(r))) for level, r in by[OPS + "effortRank"].items()}
        self.effort = {cap: ranks[next(iter(lv))] for cap, lv in by[OPS + "effort"].items()}
        self.cost = {cap: int(next(iter(c))) for cap, c in by[OPS + "costRank"].items()}
        self.by_cost = {t for t, q in by[OPS + "qualifier"].items() if OPS + "MostCostEffective" in q}
        self.works_with = by[OPS + "worksWith"]
        self.choices = defaultdict(set)  # capability -> the choices it is a setting of (stated, or by a facet need)
        for cap, facets in by[OPS + "choiceOf"].items():
            self.choices[cap] |= facets
        for cap, needs in self.meets.items():
            self.choices[cap] |= {self.facet[n] for n in needs if n in self.facet}

    def coherent(self, steps) -> bool:
        """No two steps are settings of one choice; a step that presupposes others stands beside one."""
        groups = [g for s in set(steps) for g in self.choices.get(s, ())]
        needed = [self.works_with[s] for s in set(steps) if self.works_with.get(s)]
        return len(groups) == len(set(groups)) and all(n & set(steps) for n in needed)

    def _met(self, steps, need) -> bool:
        return any(need in self.meets.get(s, ()) for s in steps)

    def rank(self, steps, template) -> tuple[int, ...]:
        """Cost: the sum of cost ranks. Effort: the effort ranks, heaviest first (compared as tuples)."""
        if template in self.by_cost:
            return (sum(self.cost[s] for s in set(steps)),)
        return tuple(sorted((self.effort[s] for s in set(steps)), reverse=True))

    def wrong_because(self, steps, needs, key) -> str:
        """Why a solution fails a need: a step it has instead of the answer's with a limitation on a failed
        need, else such a step that meets another need of a failed need's facet; "" when the graph says
        nothing."""
        failed = [n for n in needs if not self._met(steps, n)]
        own = [s for s in steps if s not in key]
        if any(n in self.limited.get(s, ()) for n in failed for s in own):
            return "limitation"
        facets = {self.facet[n] for n in failed if n in self.facet}
        if any(self.facet.get(m) in facets for s in own for m in self.meets.get(s, ())):
            return "facet"
        return ""

    def check(self, item: QuestionItem, exact: bool = True) -> None:
        """Assert the answer, and only the answer, meets every stated need with the best rank; ``exact`` also
        asks that each wrong option's proof names the kind of reason the graph gives."""
        needs = [i for i in item.about if i.startswith(NEED)]
        template = next(i for i in item.about if i.startswith(SCENARIO))
        assert 2 <= len(needs) <= 4, item.id
        if item.template.startswith("solution-steps/"):
            key = [a.key for a in item.answers]
            options = key + [d.key for d in item.distractors]
            assert all(self._met(key, n) for n in needs), f"{item.id}: the right steps miss a need"
            target = self.rank(key, template)
            for choice in combinations(options, len(key)):
                if set(choice) != set(key) and self.coherent(choice) and all(self._met(choice, n) for n in needs):
                    assert self.rank(choice, template) > target, f"{item.id}: {choice} is as good as the key"
            return
        (answer,) = item.answers
        key = answer.key.split("|")
        assert all(self._met(key, n) for n in needs), f"{item.id}: the answer misses a need"
        assert self.coherent(key), f"{item.id}: the answer's steps cannot stand together"
        for wrong in item.distractors:
            assert self.coherent(wrong.key.split("|")), f"{item.id}: {wrong.text!r} cannot stand together"
        target = self.rank(key, template)
        for wrong in item.distractors:
            steps = wrong.key.split("|")
            if all(self._met(steps, n) for n in needs):
                assert self.rank(steps, template) > target, f"{item.id}: {wrong.text!r} is as good as the answer"
                assert wrong.proof == "overhead", item.id
            else:
                reason = self.wrong_because(steps, needs, key)
                assert reason and (reason == wrong.proof or not exact), f"{item.id}: {wrong.text!r} not shown wrong"
