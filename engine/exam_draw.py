"""Drawing an exam's questions: per domain by blueprint weight, the shape's kinds first, and never two that
test the same fact."""

from __future__ import annotations

import random

from opsprep.graph.catalog import Certification
from opsprep.questions import QuestionBank, QuestionItem

from .allocation import allocate
from .exam_facts import FactLedger, ItemFacts, item_facts
from .exam_shape import ExamShape

__all__ = ["draw_questions"]


def draw_questions(
    bank: QuestionBank,
    plan: Certification,
    domains: tuple[str, ...],
    count: int,
    rng: random.Random,
    shape: ExamShape | None = None,
) -> list[tuple[str, int, str]]:
    """(item id, presentation seed, domain) of each question, in mixed order.

    ``count`` is split over ``domains`` by weight (:func:`.allocation.allocate`); no item is drawn twice
    and no two items test the same fact (:func:`.exam_facts.same_fact`). Items that only touch one another
    (:func:`.exam_facts.related`) are drawn once a domain has nothing else left. A domain that runs out
    passes its share to the others by weight; the result is shorter than ``count`` only when every domain
    has run out. Within each domain, items of the ``shape``'s first kinds are drawn before the others
    (:attr:`.exam_shape.ExamShape.kinds`: tasks, then typed, command and code-reading items, then the rest).
    """
    pools: dict[str, list[str]] = {}
    for domain in domains:
        pools[domain] = _pool(bank.for_certification(plan, [domain]), shape, rng)
    weights = {d: plan.domain(d).share for d in domains}
    draw = _Draw(bank, pools)
    wanted = allocate(count, weights, {d: len(p) for d, p in pools.items()})
    scarce_first = sorted(domains, key=lambda d: len(pools[d]))
    for loose in (False, True):
        for domain in scarce_first:
            draw.take(domain, wanted[domain] - draw.per_domain[domain], loose=loose)
    while len(draw.drawn) < count:
        room = {d: draw.room(d) for d in domains}
        if not any(room.values()):
            break
        extra = allocate(count - len(draw.drawn), weights, room)
        if not sum(draw.take(d, extra[d], loose=True) for d in scarce_first):
            break
    drawn = list(draw.drawn)
    rng.shuffle(drawn)
    return [(item_id, rng.randrange(2**31), domain) for item_id, domain in drawn]


def _pool(items: list[QuestionItem], shape: ExamShape | None, rng: random.Random) -> list[str]:
    """A domain's item ids in the order they are tried: shuffled, each group of the shape's kinds in turn."""
    if shape is None or not shape.kinds:
        ids = [item.id for item in items]
        rng.shuffle(ids)
        return ids
    groups: list[list[str]] = [[] for _ in range(len(shape.kinds) + 1)]
    for item in items:
        groups[shape.rank(item.type)].append(item.id)
    for group in groups:
        rng.shuffle(group)
    return [item_id for group in groups for item_id in group]


class _Draw:
    """The questions drawn so far and the facts they test."""

    def __init__(self, bank: QuestionBank, pools: dict[str, list[str]]) -> None:
        self.bank = bank
        self.pools = pools
        self.ledger = FactLedger()
        self.drawn: list[tuple[str, str]] = []
        self.used: set[str] = set()
        self.per_domain = dict.fromkeys(pools, 0)
        self._facts: dict[str, ItemFacts] = {}

    def facts(self, item_id: str) -> ItemFacts:
        if item_id not in self._facts:
            self._facts[item_id] = item_facts(self.bank.get(item_id), self.bank.facts.functional)
        return self._facts[item_id]

    def _fits(self, item_id: str, *, loose: bool) -> bool:
        if item_id in self.used:
            return False
        facts = self.facts(item_id)
        return not self.ledger.clashes(facts) and (loose or not self.ledger.touches(facts))

    def room(self, domain: str) -> int:
        """How many items of the domain could still be drawn, each on its own."""
        return sum(self._fits(item_id, loose=True) for item_id in self.pools[domain])

    def take(self, domain: str, wanted: int, *, loose: bool) -> int:
        """Draw up to ``wanted`` items of the domain, unrelated ones first (related ones only if ``loose``)."""
        taken = 0
        for allow_related in (False, True) if loose else (False,):
            for item_id in self.pools[domain]:
                if taken >= wanted:
                    return taken
                if self._fits(item_id, loose=allow_related):
                    self.used.add(item_id)
                    self.ledger.add(self.facts(item_id))
                    self.drawn.append((item_id, domain))
                    self.per_domain[domain] += 1
                    taken += 1
        return taken
