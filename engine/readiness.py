"""Readiness: how much of a certification a learner would recall now, per domain and overall.

A domain's readiness is the mean, over all its items, of FSRS's retrievability now (the predicted
chance of recalling the item), where an item never answered counts as 0 (not known). The overall
figure weights the domains by the blueprint (a domain without any question items is left out).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from opsprep.questions import QuestionBank

from .clock import from_text, to_text, utc
from .items import sync_items
from .learners import get_learner
from .scheduling import recall_at
from .store import Store


def percent_text(fraction: float) -> str:
    """A fraction as a percentage with the precision it has, to a tenth: 0.125 -> "12.5", 0.2 -> "20",
    1/3 -> "33.3" (an exam domain's weight as its outline states it, not rounded to a whole number).

    >>> [percent_text(f) for f in (0.125, 0.2, 1 / 3, 0.0996)]
    ['12.5', '20', '33.3', '10']
    """
    return f"{fraction * 100:.1f}".removesuffix(".0")


@dataclass(frozen=True)
class DomainReadiness:
    """Expected recall over one domain's items."""

    domain: str
    number: int | None
    label: str
    share: float  # the domain's share of the exam, 0..1
    items: int
    seen: int
    recall: float  # 0..1

    @property
    def share_text(self) -> str:
        """The domain's share of the exam in percent, as its outline states it: "12.5", "20"."""
        return percent_text(self.share)

    def to_dict(self) -> dict:
        """JSON-ready dict."""
        return dict(self.__dict__)


@dataclass(frozen=True)
class Readiness:
    """Expected recall for a certification, weighted by its blueprint, and per domain."""

    learner_id: int
    cert: str
    at: datetime
    recall: float
    domains: tuple[DomainReadiness, ...]

    def to_dict(self) -> dict:
        """JSON-ready dict."""
        return {
            "learner_id": self.learner_id,
            "cert": self.cert,
            "at": to_text(self.at),
            "recall": self.recall,
            "domains": [d.to_dict() for d in self.domains],
        }


def readiness(
    store: Store, bank: QuestionBank, learner_id: int, cert: str, *, now: datetime | None = None
) -> Readiness:
    """The learner's readiness for a certification (exam code or IRI) at ``now``."""
    learner = get_learner(store, learner_id)
    plan = bank.catalog.certification(cert)
    sync_items(store, bank)
    now = utc(now)
    scheduler = learner.scheduler(fuzz=False)
    items = dict(store.tuples("SELECT domain, count(*) FROM item_domains WHERE cert = ? GROUP BY domain", [plan.iri]))
    recall: dict[str, float] = defaultdict(float)
    seen: dict[str, int] = defaultdict(int)
    for domain, stability, last_review in store.tuples(
        """SELECT d.domain, c.stability, c.last_review FROM cards c JOIN item_domains d ON d.item_id = c.item_id
           WHERE c.learner_id = ? AND d.cert = ?""",
        [learner.id, plan.iri],
    ):
        recall[domain] += recall_at(stability, from_text(last_review), scheduler, now)
        seen[domain] += 1
    domains = tuple(
        DomainReadiness(
            domain=d.iri,
            number=d.number,
            label=d.title,
            share=d.share,
            items=items.get(d.iri, 0),
            seen=seen[d.iri],
            recall=recall[d.iri] / items[d.iri] if items.get(d.iri) else 0.0,
        )
        for d in plan.domains
    )
    weighted = sum(d.share for d in domains if d.items)
    overall = sum(d.share * d.recall for d in domains) / weighted if weighted else 0.0
    return Readiness(learner.id, plan.iri, now, overall, domains)
