"""A certification's exam blueprint as the graph states it: domain weights, length, time, passing mark.

Where the graph is silent the engine assumes a value and says so in :attr:`Blueprint.assumed`:
:data:`DEFAULT_QUESTION_COUNT` questions, :data:`MINUTES_PER_QUESTION` minutes a question, a pass at
:data:`DEFAULT_PASSING_FRACTION`, and equal weights for domains without an official weight.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass

from opsprep.questions import QuestionBank

DEFAULT_QUESTION_COUNT = 60
MINUTES_PER_QUESTION = 2
DEFAULT_PASSING_FRACTION = 0.70


@dataclass(frozen=True)
class DomainWeight:
    """One exam domain and its share of the exam."""

    iri: str
    number: int | None
    label: str
    weight: float  # percent, as published (or assumed)
    share: float  # weight / sum of weights, 0..1
    stated: bool  # False when the weight was assumed


@dataclass(frozen=True)
class Blueprint:
    """What an exam looks like: its domains and weights, question count, minutes and passing mark."""

    cert: str
    code: str
    label: str
    domains: tuple[DomainWeight, ...]
    question_count: int
    minutes: int
    passing_fraction: float
    score_scale_max: float | None
    assumed: tuple[str, ...]  # names of the figures the graph does not state

    @property
    def passing_score(self) -> float | None:
        """The passing mark on the exam's own scale (e.g. 750 of 1000), when it has one."""
        return None if self.score_scale_max is None else self.passing_fraction * self.score_scale_max

    def domain(self, iri: str) -> DomainWeight:
        """The weight of one of the blueprint's domains."""
        return next(d for d in self.domains if d.iri == iri)

    def to_dict(self) -> dict:
        """JSON-ready dict."""
        data = asdict(self)
        data["passing_score"] = self.passing_score
        return data


def _number(values: tuple[str, ...]) -> float | None:
    for value in values:
        try:
            return float(value)
        except ValueError:
            continue
    return None


def _midpoint(low: float | None, high: float | None) -> float | None:
    return None if low is None or high is None else (low + high) / 2


def blueprint(bank: QuestionBank, cert: str) -> Blueprint:
    """The blueprint of a certification (exam code or IRI); raises ``UnknownCertification``."""
    cert_iri = bank.certification(cert)
    things = bank.facts.things
    thing = things[cert_iri]
    assumed: list[str] = []
    weights = {}
    for iri in bank.facts.domains_of_cert[cert_iri]:
        d = things[iri]
        weights[iri] = _number(d.values("weight"))
        if weights[iri] is None:
            weights[iri] = _midpoint(_number(d.values("weightMin")), _number(d.values("weightMax")))
    stated = [w for w in weights.values() if w is not None]
    if len(stated) < len(weights):
        assumed.append("weight")
    fallback = sum(stated) / len(stated) if stated else 100 / max(len(weights), 1)
    total = sum(w if w is not None else fallback for w in weights.values()) or 1.0
    domains = tuple(
        DomainWeight(
            iri=iri,
            number=int(_number(things[iri].values("domainNumber")) or 0) or None,
            label=things[iri].label,
            weight=w if w is not None else fallback,
            share=(w if w is not None else fallback) / total,
            stated=w is not None,
        )
        for iri, w in weights.items()
    )
    count = _number(thing.values("questionCount")) or _midpoint(
        _number(thing.values("questionCountMin")), _number(thing.values("questionCountMax"))
    )
    if count is None:
        assumed.append("questionCount")
        count = DEFAULT_QUESTION_COUNT
    minutes = _number(thing.values("durationMinutes"))
    if minutes is None:
        assumed.append("durationMinutes")
        minutes = round(count) * MINUTES_PER_QUESTION
    scale = _number(thing.values("scoreScaleMax"))
    passing = _number(thing.values("passingScore"))
    if passing is None:
        assumed.append("passingScore")
        fraction = DEFAULT_PASSING_FRACTION
    elif scale:
        fraction = passing / scale
    else:
        fraction = passing if passing <= 1 else passing / 100
    return Blueprint(
        cert=cert_iri,
        code=(thing.values("examCode") or (thing.label,))[0],
        label=thing.label,
        domains=domains,
        question_count=round(count),
        minutes=round(minutes),
        passing_fraction=fraction,
        score_scale_max=scale,
        assumed=tuple(assumed),
    )


def apportion(count: int, weights: Mapping[str, float]) -> dict[str, int]:
    """Split ``count`` in proportion to ``weights`` by largest remainder (ties go to the earlier key)."""
    total = sum(weights.values())
    if total <= 0:
        weights, total = dict.fromkeys(weights, 1.0), float(len(weights))
    exact = {key: count * w / total for key, w in weights.items()}
    shares = {key: math.floor(x) for key, x in exact.items()}
    by_remainder = sorted(exact, key=lambda key: -(exact[key] - shares[key]))  # stable: earlier keys win ties
    for key in by_remainder[: count - sum(shares.values())]:
        shares[key] += 1
    return shares


def allocate(count: int, weights: Mapping[str, float], available: Mapping[str, int]) -> dict[str, int]:
    """Questions per domain: ``count`` split by weight, never more than a domain has; the shortfall
    of a small domain goes to the others by weight. The total is ``min(count, sum(available))``.
    """
    result = dict.fromkeys(weights, 0)
    wanted = min(count, sum(available.get(key, 0) for key in weights))
    open_keys = [key for key in weights if available.get(key, 0) > 0]
    while wanted > 0 and open_keys:
        shares = apportion(wanted, {key: weights[key] for key in open_keys})
        for key in open_keys:
            take = min(shares[key], available[key] - result[key])
            result[key] += take
            wanted -= take
        open_keys = [key for key in open_keys if result[key] < available[key]]
    return result
