"""What every generator shares: similarity between things, building items, and the quality rules."""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from .facts import Facts, Thing
from .giveaways import Giveaway, screen
from .model import Choice, Claim, QuestionItem, QuestionType, item_id
from .scopes import family_iri
from .templates import COUNT_WORDS

MIN_DISTRACTORS = 3
MAX_ANSWERS = 3
MAX_DISTRACTORS = 12  # kept per item, nearest first; a presentation draws from the nearest few


def similarity(a: Thing, b: Thing) -> float:
    """Jaccard similarity of two things' facts, 0..1 (1 = indistinguishable by their facts)."""
    fa, fb = a.features, b.features
    if not fa or not fb:
        return 0.0
    return len(fa & fb) / len(fa | fb)


#: how many candidates are compared when looking for the nearest distractors of one answer
POOL_LIMIT = 48
#: how far past the pool size to look for candidates that share the anchor's category
SCAN_FACTOR = 8


def candidate_pool(anchor: Thing, candidates: Sequence[Thing], limit: int = POOL_LIMIT) -> list[Thing]:
    """Up to ``2 * limit`` candidates worth ranking against ``anchor``: from a stable window of the
    candidates chosen by the anchor's IRI, those sharing its first category (or topic kind, or
    platform), then the start of the window.

    Ranking every candidate against every answer grows with the square of the graph; a bounded pool
    keeps the bank build linear while still finding near neighbours.
    """
    if len(candidates) <= 2 * limit:
        return list(candidates)
    start = int(hashlib.sha256(anchor.iri.encode()).hexdigest()[:8], 16) % len(candidates)
    window = [*candidates[start:], *candidates[:start]][: SCAN_FACTOR * limit]
    keys = [v for fact in ("inCategory", "broader", "onPlatform") for v in anchor.values(fact)[:1]]
    near = [t for t in window if keys and keys[0] in t.features_values][:limit]
    return list({t.iri: t for t in (*near, *window[:limit])}.values())


def mentions(text: str, name: str) -> bool:
    """True when ``name`` appears in ``text`` as a whole word or phrase (case-insensitive)."""
    return name.casefold() in text.casefold() and _whole_word(name).search(text) is not None


@functools.cache
def _whole_word(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])", re.I)


def ambiguous_labels(facts: Facts) -> set[str]:
    """IRIs whose label is shared with another thing of the same class: skipped as subjects and options."""
    seen: dict[tuple[str, str], list[str]] = {}
    for thing in facts.things.values():
        seen.setdefault((thing.cls, thing.label.casefold()), []).append(thing.iri)
    return {iri for iris in seen.values() if len(iris) > 1 for iri in iris}


def with_count(stem: str, n: int) -> str:
    """Add the "(Choose N)" suffix of multiple-answer items."""
    return f"{stem} (Choose {COUNT_WORDS.get(n, str(n))}.)" if n > 1 else stem


STATUS_SUFFIX = {
    "https://w3id.org/opsprep/ontology#Retired": "retired",
    "https://w3id.org/opsprep/ontology#Deprecated": "deprecated",
    "https://w3id.org/opsprep/ontology#ClosedToNewCustomers": "closed to new customers",
}


def display_label(thing: Thing) -> str:
    """The label shown in an option: retired, deprecated and closed services say so."""
    status = next((STATUS_SUFFIX[s] for s in thing.values("status") if s in STATUS_SUFFIX), "")
    return f"{thing.label} ({status})" if status else thing.label


def thing_choice(thing: Thing, similarity_to_answer: float = 0.0, note: str = "", proof: str = "") -> Choice:
    """An option that is a graph thing, shown by its label (with its status when it is not active)."""
    return Choice(
        key=thing.iri,
        text=display_label(thing),
        similarity=round(similarity_to_answer, 3),
        note=note,
        iri=thing.iri,
        proof=str(proof),
    )


def rank(choices: Iterable[Choice]) -> tuple[Choice, ...]:
    """Distractors nearest first; ties broken by key so the order is stable."""
    return tuple(sorted(choices, key=lambda c: (-c.similarity, c.key)))


def difficulty(item_type: QuestionType, distractors: Sequence[Choice], answers: int) -> float:
    """Estimate 0..1 from how close the nearest distractors are and how many answers must be found."""
    if item_type == QuestionType.TRUE_FALSE:
        return 0.25
    top = [c.similarity for c in distractors[:MIN_DISTRACTORS]] or [0.0]
    base = 0.2 + 0.55 * (sum(top) / len(top))
    bonus = {QuestionType.SCENARIO: 0.15, QuestionType.MULTIPLE: 0.1, QuestionType.ODD_ONE_OUT: 0.05}.get(
        item_type, 0.0
    )
    return round(min(1.0, base + bonus + 0.05 * (answers - 1)), 3)


class QualityError(ValueError):
    """An item breaks one of the quality rules; it is not emitted."""


def check_item(item: QuestionItem) -> None:
    """Enforce the rules every emitted item keeps. Raises :class:`QualityError`."""
    keys = [c.key for c in (*item.answers, *item.distractors)]
    if len(set(keys)) != len(keys):
        raise QualityError("an option repeats (same key)")
    texts = [c.text.casefold() for c in (*item.answers, *item.distractors)]
    if len(set(texts)) != len(texts):
        raise QualityError("two options read the same")
    if not item.answers or len(item.answers) > MAX_ANSWERS:
        raise QualityError("an item has 1 to 3 answers")
    if item.type != QuestionType.TRUE_FALSE:
        if len(item.distractors) < MIN_DISTRACTORS:
            raise QualityError("fewer than 3 valid distractors")
        for answer in item.answers:
            if len(answer.text) <= 80 and mentions(item.stem, answer.text):
                raise QualityError("the stem gives the answer away")
    if not item.sources:
        raise QualityError("no sources")


#: the foundations family of an exam-less item, by the class of the thing it is about
FAMILY_OF_CLASS = {
    "Tool": "tools",
    "CloudService": "cloud",
    "CloudPlatform": "cloud",
    "Topic": "concepts",
    "ToolCategory": "concepts",
    "Practice": "practices",
    "Role": "practices",
    "Responsibility": "practices",
}


def file_item(facts: Facts, asks: Sequence[str], family: str = "exam") -> list[str]:
    """The domains an item belongs to: the exam domains covering everything the stem asks about, or
    (for an off-exam family, or when no domain covers it) one section of the foundations deck."""
    if family == "exam" and asks:
        covering = set.intersection(*(facts.covered_by.get(iri, set()) for iri in asks))
        if covering:
            return sorted(covering)
    if family == "exam":
        thing = facts.things.get(asks[0]) if asks else None
        family = FAMILY_OF_CLASS.get(thing.cls, "concepts") if thing else "concepts"
    return [family_iri(family)]


def make_item(
    facts: Facts,
    template: str,
    item_type: QuestionType,
    stem: str,
    answers: Sequence[Choice],
    distractors: Iterable[Choice],
    explanation: str,
    about: Sequence[str],
    id_parts: Sequence[str],
    domains: Iterable[str] | None = None,
    claims: Sequence[Claim] = (),
    *,
    asks: Sequence[str] | None = None,
    family: str = "exam",
    sources: Sequence[str] | None = None,
) -> QuestionItem | None:
    """Assemble an item, drop distractors that clash with answers or each other or give the key away,
    file it, and check the rules.

    ``asks`` names what the stem asks about (by default ``about``): the item is filed under the exam
    domains covering all of it, and then draws its wrong options from those exams' world; when too
    few remain it is filed in the foundations deck instead. ``family`` other than "exam" files it in
    that section of the foundations deck. Returns ``None`` when the item would break a quality rule.
    """
    answer_keys = {a.key for a in answers}
    answer_texts = {a.text.casefold() for a in answers}
    wholes = {w for a in answers for w in _wholes(facts, a.iri)}
    unique: list[Choice] = []
    seen_texts: set[str] = set()
    for choice in rank(distractors):
        text = choice.text.casefold()
        if choice.key in answer_keys or text in answer_texts or text in seen_texts:
            continue
        if choice.iri and (choice.iri in wholes or answer_keys & _wholes(facts, choice.iri)):
            continue  # a part of an answer, or the whole an answer belongs to, is not plainly wrong
        seen_texts.add(text)
        unique.append(choice)
    if len(answers) > 1 and item_type == QuestionType.SINGLE:
        item_type = QuestionType.MULTIPLE
    true_false = item_type == QuestionType.TRUE_FALSE
    option_count = 2 if true_false else len(answers) + MIN_DISTRACTORS
    filed = list(domains) if domains is not None else file_item(facts, list(asks or about), family)
    kept = unique
    if not true_false:
        world = facts.world_of_domains(filed)
        try:
            kept = _fair(facts, stem, answers, unique, world)
        except Giveaway:
            if world is None:
                return None
            try:
                kept = _fair(facts, stem, answers, unique, None)
            except Giveaway:
                return None
            filed = file_item(facts, list(asks or about), "exam" if family == "exam" else family)
            filed = [d for d in filed if d not in facts.covered_domains] or file_item(facts, [], "concepts")
    iris = [a.iri for a in answers if a.iri]
    if len(iris) == 1 and not true_false:
        kept = [_with_contrast(facts, facts.things.get(iris[0]), d) for d in kept]
    item = QuestionItem(
        id=item_id(template, *id_parts),
        template=template,
        type=item_type,
        stem=with_count(stem, len(answers)) if not true_false else stem,
        answers=tuple(answers),
        distractors=tuple(kept[:MAX_DISTRACTORS]),
        explanation=explanation,
        sources=tuple(sources) if sources else tuple(facts.sources(*about, *iris)),
        domains=tuple(sorted(filed)),
        about=tuple(dict.fromkeys(about)),
        difficulty=difficulty(item_type, kept, len(answers)),
        option_count=option_count,
        claims=tuple(claims),
    )
    try:
        check_item(item)
    except QualityError:
        return None
    return item


#: the facts a contrast names, and how each reads after "both"
_CONTRASTS = (("inCategory", "belongs to {}"), ("broader", "is a kind of {}"), ("partOf", "is a part of {}"))


def _with_contrast(facts: Facts, answer: Thing | None, choice: Choice) -> Choice:
    """The wrong option with what it shares with the answer, so the explanation can say what separates them."""
    other = facts.things.get(choice.iri) if choice.iri else None
    if answer is None or other is None:
        return choice
    shared = []
    for fact, phrase in _CONTRASTS:
        common = [v for v in answer.values(fact) if v in other.values(fact)]
        if common:
            shared.append(phrase.format(" and ".join(f"“{facts.label(v)}”" for v in common[:2])))
    if not shared:
        return choice
    return replace(choice, contrast=f"it {' and '.join(shared)}")


def _wholes(facts: Facts, iri: str) -> set[str]:
    """What a thing is a part or feature of (Azure Pipelines: Azure DevOps Services)."""
    thing = facts.things.get(iri) if iri else None
    return {w for fact in ("partOf", "featureOf") for w in thing.values(fact)} if thing else set()


def _fair(
    facts: Facts, stem: str, answers: Sequence[Choice], distractors: list[Choice], world: frozenset[str] | None
) -> list[Choice]:
    """The wrong options fair to show (inside the exam's world when there is one)."""
    pool = distractors if world is None else [d for d in distractors if not d.iri or d.iri in world]
    return screen(facts, stem, answers, pool, MIN_DISTRACTORS)
