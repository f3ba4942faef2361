"""The question bank: every item the templates produce from one graph, indexed for lookups."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property

from rdflib import Graph

from opsprep.graph.catalog import Catalog, Certification

from .command_items import command_items
from .common import ambiguous_labels
from .definition_items import definition_items
from .facet_items import facet_items
from .facts import Facts, read_facts
from .hands_on_common import Context
from .hands_on_facts import Competency
from .hcl_items import hcl_items
from .manifest_tasks import manifest_items
from .model import QuestionItem, QuestionType
from .relation_items import equivalent_items
from .scenario_items import scenario_items
from .scopes import FOUNDATIONS_IRI, family_iri, performance_based, with_foundations
from .solution_items import solution_items
from .solution_proof import is_solution_item
from .templates import TOOL_FACETS
from .terraform_state_items import terraform_state_items


def generate_items(facts: Facts) -> Iterator[QuestionItem]:
    """Every item of every template, before de-duplication."""
    skip = ambiguous_labels(facts)
    for template in TOOL_FACETS:
        yield from facet_items(facts, template, skip)
    yield from equivalent_items(facts, skip)
    yield from definition_items(facts, skip)
    yield from scenario_items(facts, skip)
    context = Context(facts, facts.hands_on)
    yield from manifest_items(context)
    yield from command_items(context)
    yield from hcl_items(context)
    yield from terraform_state_items(context)
    yield from solution_items(facts, facts.scenarios)


#: the item types that practise the hands-on part of an exam
HANDS_ON_TYPES = frozenset({QuestionType.COMMAND, QuestionType.CODE_READING, QuestionType.TYPED, QuestionType.TASK})

#: at most this many items share one stem ("Which of these projects is at the CNCF Sandbox level?"):
#: more would fill a deck with one question asked over and over
MAX_PER_STEM = 8


def _dedupe(items: Iterable[QuestionItem]) -> list[QuestionItem]:
    """Keep one item per id and per question asked (same stem and same answers), and at most
    :data:`MAX_PER_STEM` items per stem: the hardest, those an exam domain serves first."""
    by_id: dict[str, QuestionItem] = {}
    asked: set[tuple[str, frozenset[str]]] = set()
    for item in items:
        key = (_asked(item), frozenset(a.key for a in item.answers))
        if item.id in by_id or key in asked:
            continue
        by_id[item.id] = item
        asked.add(key)
    by_stem: dict[str, list[QuestionItem]] = {}
    for item in by_id.values():
        by_stem.setdefault(_asked(item), []).append(item)
    dropped: set[str] = set()
    for group in by_stem.values():
        if len(group) > MAX_PER_STEM:
            ranked = sorted(group, key=lambda i: (_off_exam(i), -i.difficulty, i.id))
            dropped.update(i.id for i in ranked[MAX_PER_STEM:])
    return [item for item in by_id.values() if item.id not in dropped]


def _asked(item: QuestionItem) -> str:
    """What an item asks: its stem, with the code it shows (one stem may ask about many configurations)."""
    return f"{item.stem.casefold()}\n{item.code}"


def _off_exam(item: QuestionItem) -> bool:
    return all(d.startswith(FOUNDATIONS_IRI) for d in item.domains)


@dataclass
class QuestionBank:
    """All question items of a graph, with lookups by id, certification and domain."""

    facts: Facts
    items: list[QuestionItem]
    by_id: dict[str, QuestionItem] = field(init=False)

    def __post_init__(self) -> None:
        self.by_id = {item.id: item for item in self.items}

    @cached_property
    def fingerprint(self) -> str:
        """A hash of the item ids and their domains: equal banks give equal fingerprints."""
        digest = hashlib.sha256()
        for item in sorted(self.items, key=lambda i: i.id):
            digest.update(f"{item.id}:{','.join(sorted(item.domains))};".encode())
        return digest.hexdigest()

    def __len__(self) -> int:
        return len(self.items)

    def get(self, item_id: str) -> QuestionItem:
        """The item with this id; KeyError when there is none."""
        return self.by_id[item_id]

    @cached_property
    def catalog(self) -> Catalog:
        """The certifications of the bank's graph and their exam domains, then the DevOps foundations deck
        (with the sections that hold items; left out when none does)."""
        filed = {d for item in self.items for d in item.domains}
        return with_foundations(self.facts.catalog, filed)

    def for_certification(self, cert: Certification, domains: Iterable[str] | None = None) -> list[QuestionItem]:
        """Items serving the certification (optionally only some of its domains, by IRI), in bank order."""
        wanted = set(domains) if domains else set(cert.domain_iris)
        return [item for item in self.items if wanted & set(item.domains)]

    def serving(self, competency: Competency) -> list[QuestionItem]:
        """Items that practise a curriculum competency: filed under its domain and about something it needs."""
        needs = set(competency.needs)
        return [
            i
            for i in self.items
            if competency.domain in i.domains and (competency.iri in i.about or needs & set(i.about))
        ]

    def scenario_counts(self, cert: Certification) -> dict[str, int]:
        """Scenario items composed from capability facts per task statement of a certification, labelled
        "1.2 Text" in outline order (empty when the certification has none)."""
        per: Counter = Counter(i.about[0] for i in self.items if is_solution_item(i) and i.about)
        labels = self._competency_labels(cert)
        return {label: per.get(iri, 0) for iri, label in labels.items()} if any(per[i] for i in labels) else {}

    def _competency_labels(self, cert: Certification) -> dict[str, str]:
        domains = {d.iri: d.number for d in cert.domains}
        labels: dict[str, str] = {}
        positions: Counter = Counter()
        for competency in self.facts.hands_on.competencies:
            if competency.domain in domains:
                positions[competency.domain] += 1
                number = competency.position or positions[competency.domain]
                labels[competency.iri] = f"{domains[competency.domain]}.{number} {competency.label}"
        return labels

    def competency_counts(self, cert: Certification) -> dict[str, int]:
        """Items per curriculum competency of a certification, labelled "1.2 Text" in outline order."""
        domains = {d.iri: d.number for d in cert.domains}
        counts: dict[str, int] = {}
        positions: Counter = Counter()
        for competency in self.facts.hands_on.competencies:
            if competency.domain not in domains:
                continue
            positions[competency.domain] += 1
            label = f"{domains[competency.domain]}.{competency.position or positions[competency.domain]}"
            counts[f"{label} {competency.label}"] = len(self.serving(competency))
        return counts

    def stats(self) -> dict:
        """Counts of items by type, by template and by certification and domain."""
        per_domain = Counter(d for item in self.items for d in item.domains)
        certs = {}
        for cert in self.catalog:
            items = self.for_certification(cert)
            entry = {
                "label": cert.title,
                "items": len(items),
                "domains": {d.title: per_domain.get(d.iri, 0) for d in cert.domains},
            }
            hands_on = sum(i.type in HANDS_ON_TYPES for i in items)
            if hands_on:
                entry["hands_on"] = hands_on
            competencies = self.competency_counts(cert)
            if competencies:
                entry["competencies"] = competencies
            scenarios = self.scenario_counts(cert)
            if scenarios:
                entry["scenarios"] = sum(scenarios.values())
                entry["scenarios_per_task_statement"] = scenarios
            certs[cert.code] = entry
        return {
            "items": len(self.items),
            "types": dict(sorted(Counter(str(i.type) for i in self.items).items())),
            "templates": dict(sorted(Counter(i.template for i in self.items).items())),
            "certifications": certs,
        }


#: template families that only look a fact up (a flag from its description): practice for a multiple-choice
#: exam, not for a performance-based one, where the same flags are typed in situated commands
LOOKUP_FAMILIES = ("command-flag",)


#: a multiple-choice exam whose every domain has at least this many scenario items is practised with them
#: alone (its single-fact recall items are studied in the foundations deck)
SCENARIO_DECK_MINIMUM = 40
#: a domain of a multiple-choice exam with at least this many items that apply knowledge (read a configuration
#: or plan, type or choose a command) is practised with those; its recall items move to the foundations deck
APPLIED_DOMAIN_MINIMUM = 40
_CLOUD_IDS = tuple(f"https://w3id.org/opsprep/id/{p}/" for p in ("aws", "azure", "gcp"))


def _applied(item: QuestionItem) -> bool:
    """A hands-on item: a task, a typed command, a manifest, configuration or plan to read, a command to choose
    (not a flag looked up)."""
    return item.type in HANDS_ON_TYPES and item.family not in LOOKUP_FAMILIES


def scope_by_format(items: Iterable[QuestionItem], facts: Facts) -> Iterator[QuestionItem]:
    """File items by what the exam asks. A performance-based exam's domains keep only its hands-on items
    (tasks, typed commands, manifests and commands to read or choose), and so does any exam domain with
    :data:`APPLIED_DOMAIN_MINIMUM` of them (Terraform's configuration and state domains: reading what a
    configuration or plan does is what the exam asks); an exam whose every domain has
    :data:`SCENARIO_DECK_MINIMUM` scenario items keeps only those (a professional exam asks situations, not
    definitions). The recognition items they drop (definitions, categories, flag look-ups) move to the
    foundations deck, unless another exam's domain keeps them and every wrong option is from that exam's
    world."""
    items = list(items)
    applied = Counter(d for i in items if _applied(i) for d in i.domains)
    hands_only = {d.iri for cert in facts.catalog if performance_based(cert) for d in cert.domains}
    hands_only |= {
        d.iri
        for cert in facts.catalog
        if cert.is_exam and not performance_based(cert)
        for d in cert.domains
        if applied[d.iri] >= APPLIED_DOMAIN_MINIMUM
    }
    per_domain = Counter(d for i in items if is_solution_item(i) for d in i.domains)
    scenario_only = {
        d.iri
        for cert in facts.catalog
        if not performance_based(cert) and all(per_domain[d.iri] >= SCENARIO_DECK_MINIMUM for d in cert.domains)
        for d in cert.domains
    }
    for item in items:
        hands_on = _applied(item) or is_solution_item(item)
        dropped = (set() if hands_on else hands_only) | (set() if is_solution_item(item) else scenario_only)
        if not dropped & set(item.domains):
            yield item
            continue
        kept = tuple(d for d in item.domains if d not in dropped)
        world = facts.world_of_domains(kept) if kept else None
        if world is None or any(c.iri and c.iri not in world for c in item.distractors):
            kept = ()
        cloud = any(iri.startswith(_CLOUD_IDS) for iri in item.about)
        yield replace(item, domains=kept or (family_iri("cloud" if cloud else "concepts"),))


def build_bank(graph_or_facts: Graph | Facts) -> QuestionBank:
    """Build the question bank from a graph (or facts already read from one)."""
    facts = graph_or_facts if isinstance(graph_or_facts, Facts) else read_facts(graph_or_facts)
    return QuestionBank(facts, list(scope_by_format(_dedupe(generate_items(facts)), facts)))
