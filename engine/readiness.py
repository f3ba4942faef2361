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
