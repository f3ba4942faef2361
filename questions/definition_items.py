"""Definition → term and term → definition items."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .common import MIN_DISTRACTORS, POOL_LIMIT, candidate_pool, make_item, similarity, thing_choice
from .facts import SKOS_DEFINITION, SKOS_PREF_LABEL, Facts, Thing
from .model import Choice, Claim, QuestionItem, QuestionType
from .proof import Proof
from .templates import DEFINITION_CLASSES, DEFINITION_TO_TERM, TERM_TO_DEFINITION


def _leaks(text: str, thing: Thing) -> bool:
    """True when ``text`` names the thing (so it would give the answer away)."""
    return thing.named_in(text)


def _clip(text: str, words: int = 8) -> str:
    """The first few words of a long text, to name an option in an explanation."""
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


#: how a concept's place reads in an explanation, by the fact that gives it
_PLACES = (
    ("broader", "a kind of {}"),
    ("partOf", "part of {}"),
    ("stepOf", "a step of {}"),
    ("argumentOf", "set in {}"),
    ("featureOf", "a feature of {}"),
    ("inCategory", "in “{}”"),
    ("onPlatform", "on {}"),
)


def _family(facts: Facts, thing: Thing) -> str:
    """Where a wrong option belongs, in brackets (" (a kind of Service type)"): the distinction a learner
    needs, not only the option's own definition; "" when the graph places it nowhere."""
    for fact, phrase in _PLACES:
        values = [facts.label(v) for v in thing.values(fact)[:2]]
        if values:
            return " (" + phrase.format(" and ".join(values)) + ")"
    return ""


def _of_its_kind(facts: Facts, thing: Thing, others: list[Thing]) -> list[Thing]:
    """The options a definition item may offer beside ``thing``: never its ancestor or descendant (a kind of
    it, or what it is a kind of, also fits its description loosely); for a thing that is a kind of something,
    only its siblings (another kind of the same thing: "BestEffort" against "Burstable", not an admission
    controller); for a tool or service in a category, others of that category; otherwise only things that are
    a kind of nothing either."""
    parents = set(thing.values("broader"))
    categories = set(thing.values("inCategory"))
    places = _places(thing)
    up = facts.up(thing.iri)
    kept = []
    for other in others:
        if other.iri in up or thing.iri in facts.up(other.iri):
            continue
        theirs = set(other.values("broader"))
        if parents:
            alike = bool(parents & theirs)
        elif categories:  # a tool or service: another of its category (GuardDuty against Inspector and Macie)
            alike = not theirs and bool(categories & set(other.values("inCategory")))
        elif places:  # a part, step, argument or feature of something: another one of that same thing
            alike = not theirs and bool(places & _places(other))
        else:
            alike = not theirs and not _places(other)
        if alike:
            kept.append(other)
    return kept


def _places(thing: Thing) -> set[tuple[str, str]]:
    """Where a thing belongs other than by kind: what it is a part, step, argument or feature of."""
    return {(fact, value) for fact in ("partOf", "stepOf", "argumentOf", "featureOf") for value in thing.values(fact)}


#: vendor and product-family names: a description that names one points at the option of that vendor
_BRANDS = re.compile(r"\b(Amazon|AWS|Azure|Microsoft|Google|HashiCorp|GitHub|GitLab|Red Hat|Docker|Oracle|IBM)\b")


def _brands_point(facts: Facts, definition: str, thing: Thing, others: list[Thing]) -> bool:
    """True when the description names a vendor and the options do not all share one platform, so the
    vendor's name alone picks the answer ("an Amazon bucket" for the s3 backend)."""
    if not _BRANDS.search(definition):
        return False
    return len({o.platform for o in (thing, *others)}) > 1 or not thing.platform


def definition_items(facts: Facts, skip: set[str]) -> Iterator[QuestionItem]:
    """For each class in DEFINITION_CLASSES: pick the term from its definition, and the reverse."""
    for cls, noun in DEFINITION_CLASSES.items():
        things = [t for t in facts.of_class(cls) if t.iri not in skip and t.definition]
        in_world: dict[frozenset[str], list[Thing]] = {}
        for thing in things:
            world = facts.world_of(thing.iri)
            if world is not None and world not in in_world:
                in_world[world] = [t for t in things if t.iri in world]
            pool = things if world is None or len(in_world[world]) <= MIN_DISTRACTORS else in_world[world]
            others = _of_its_kind(facts, thing, [o for o in candidate_pool(thing, pool) if o is not thing])
            # an exam item offers only the thing's relatives (sharing a fact with it), then things the same
            # exam domain covers: an option from elsewhere is eliminated without knowing the subject; with
            # fewer than three such options the item is studied in the foundations deck's concepts section
            domains = facts.covered_by.get(thing.iri, set())
            close = [o for o in others if similarity(thing, o) > 0]
            mates = _of_its_kind(
                facts, thing, [o for o in pool if o is not thing and domains & facts.covered_by.get(o.iri, set())]
            )
            close += [o for o in mates if o not in close][:POOL_LIMIT]
            family = "exam" if len(close) >= MIN_DISTRACTORS else "concepts"
            if family == "exam":
                others = close
            if not _leaks(thing.definition, thing) and not _brands_point(facts, thing.definition, thing, others):
                stem = DEFINITION_TO_TERM.format(noun=noun, definition=thing.definition)
                item = make_item(
                    facts,
                    f"definition-to-term/{cls}",
                    QuestionType.DEFINITION_TO_TERM,
                    stem,
                    [thing_choice(thing, 1.0, f"{thing.label}: {thing.definition}")],
                    [
                        thing_choice(
                            o,
                            similarity(thing, o),
                            f"{o.label} is a different {noun}{_family(facts, o)}: {o.definition}",
                            Proof.DEFINITION,
                        )
                        for o in others
                        if not _leaks(stem, o)
                    ],
                    f"The description is of {thing.label}.",
                    about=[thing.iri],
                    id_parts=[thing.iri],
                    claims=[Claim(SKOS_DEFINITION, thing.definition)],
                    family=family,
                )
                if item:
                    yield item
            distractors = [
                Choice(
                    o.iri,
                    o.definition,
                    similarity(thing, o),
                    f"The statement “{_clip(o.definition)}” describes {o.label}{_family(facts, o)}, not {thing.label}.",
                    o.iri,
                    Proof.DEFINITION,
                )
                for o in others
                if not _leaks(o.definition, thing) and not _leaks(o.definition, o)
            ]
            item = make_item(
                facts,
                f"term-to-definition/{cls}",
                QuestionType.TERM_TO_DEFINITION,
                TERM_TO_DEFINITION.format(subject=thing.label),
                [Choice(thing.iri, thing.definition, 1.0, f"This is what {thing.label} is.", thing.iri)],
                distractors,
                f"{thing.label}: {thing.definition}",
                about=[thing.iri],
                id_parts=[thing.iri],
                claims=[Claim(SKOS_PREF_LABEL, thing.label)],
                family=family,
            )
            if item:
                yield item
