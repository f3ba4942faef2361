"""The question bank: every item the templates produce from one graph, indexed for lookups."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from rdflib import Graph

from .common import ambiguous_labels
from .definition_items import definition_items
from .facet_items import facet_items
from .facts import Facts, read_facts
from .model import QuestionItem
from .relation_items import domain_items, equivalent_items, role_items
from .scenario_items import scenario_items
from .templates import TOOL_FACETS


class UnknownCertification(LookupError):
    """No certification with that exam code (or IRI) is in the graph."""


class UnknownDomain(LookupError):
    """The certification has no exam domain by that number, IRI or label."""


def generate_items(facts: Facts) -> Iterator[QuestionItem]:
    """Every item of every template, before de-duplication."""
    skip = ambiguous_labels(facts)
    for template in TOOL_FACETS:
        yield from facet_items(facts, template, skip)
    yield from equivalent_items(facts, skip)
    yield from role_items(facts, skip)
    yield from domain_items(facts, skip)
    yield from definition_items(facts, skip)
    yield from scenario_items(facts, skip)


def _dedupe(items: Iterable[QuestionItem]) -> list[QuestionItem]:
    """Keep one item per id and per question asked (same stem and same answers)."""
    by_id: dict[str, QuestionItem] = {}
    asked: set[tuple[str, frozenset[str]]] = set()
    for item in items:
        key = (item.stem.casefold(), frozenset(a.key for a in item.answers))
        if item.id in by_id or key in asked:
            continue
        by_id[item.id] = item
        asked.add(key)
    return list(by_id.values())


@dataclass
class QuestionBank:
    """All question items of a graph, with lookups by id, certification and domain."""

    facts: Facts
    items: list[QuestionItem]
    by_id: dict[str, QuestionItem] = field(init=False)

    def __post_init__(self) -> None:
        self.by_id = {item.id: item for item in self.items}

    def __len__(self) -> int:
        return len(self.items)

    def get(self, item_id: str) -> QuestionItem:
        """The item with this id; KeyError when there is none."""
        return self.by_id[item_id]

    def certification(self, code_or_iri: str) -> str:
        """The IRI of a certification given its exam code (case-insensitive) or IRI."""
        for iri in self.facts.domains_of_cert:
            cert = self.facts.things[iri]
            codes = {c.casefold() for c in cert.values("examCode")}
            if code_or_iri == iri or code_or_iri.casefold() in codes:
                return iri
        known = ", ".join(sorted(self.certification_codes()))
        raise UnknownCertification(f"Unknown certification {code_or_iri!r}. Known exam codes: {known}.")

    def certification_codes(self) -> list[str]:
        """Exam codes of every certification in the graph."""
        return sorted((self.facts.things[iri].values("examCode") or (iri,))[0] for iri in self.facts.domains_of_cert)

    def domain(self, cert_iri: str, ref: str) -> str:
        """The IRI of one of the certification's domains, by number, IRI or label."""
        for domain in self.facts.domains_of_cert[cert_iri]:
            thing = self.facts.things[domain]
            if ref in (domain, *thing.values("domainNumber")) or ref.casefold() == thing.label.casefold():
                return domain
        raise UnknownDomain(f"Certification has no domain {ref!r}; see `opsprep questions stats` for its domains.")

    def for_certification(self, cert_iri: str, domains: Iterable[str] | None = None) -> list[QuestionItem]:
        """Items serving the certification (optionally only some of its domains), in bank order."""
        wanted = set(domains) if domains else set(self.facts.domains_of_cert[cert_iri])
        return [item for item in self.items if wanted & set(item.domains)]

    def stats(self) -> dict:
        """Counts of items by type, by template and by certification and domain."""
        per_domain = Counter(d for item in self.items for d in item.domains)
        certs = {}
        for cert_iri, domains in sorted(self.facts.domains_of_cert.items()):
            cert = self.facts.things[cert_iri]
            code = (cert.values("examCode") or (cert.label,))[0]
            certs[code] = {
                "label": cert.label,
                "items": len(self.for_certification(cert_iri)),
                "domains": {self.facts.things[d].label: per_domain.get(d, 0) for d in domains},
            }
        return {
            "items": len(self.items),
            "types": dict(sorted(Counter(str(i.type) for i in self.items).items())),
            "templates": dict(sorted(Counter(i.template for i in self.items).items())),
            "certifications": certs,
        }


def build_bank(graph_or_facts: Graph | Facts) -> QuestionBank:
    """Build the question bank from a graph (or facts already read from one)."""
    facts = graph_or_facts if isinstance(graph_or_facts, Facts) else read_facts(graph_or_facts)
    return QuestionBank(facts, _dedupe(generate_items(facts)))
