"""Definition → term and term → definition items."""

from __future__ import annotations

from collections.abc import Iterator

from .common import candidate_pool, make_item, similarity, thing_choice
from .facts import SKOS_DEFINITION, SKOS_PREF_LABEL, Facts, Thing
from .model import Choice, Claim, QuestionItem, QuestionType
from .templates import DEFINITION_CLASSES, DEFINITION_TO_TERM, TERM_TO_DEFINITION


def _leaks(text: str, thing: Thing) -> bool:
    """True when ``text`` names the thing (so it would give the answer away)."""
    return thing.named_in(text)


def definition_items(facts: Facts, skip: set[str]) -> Iterator[QuestionItem]:
    """For each class in DEFINITION_CLASSES: pick the term from its definition, and the reverse."""
    for cls, noun in DEFINITION_CLASSES.items():
        things = [t for t in facts.of_class(cls) if t.iri not in skip and t.definition]
        for thing in things:
            others = [o for o in candidate_pool(thing, things) if o is not thing]
            if not _leaks(thing.definition, thing):
                stem = DEFINITION_TO_TERM.format(noun=noun, definition=thing.definition)
                item = make_item(
                    facts,
                    f"definition-to-term/{cls}",
                    QuestionType.DEFINITION_TO_TERM,
                    stem,
                    [thing_choice(thing, 1.0)],
                    [thing_choice(o, similarity(thing, o)) for o in others if not _leaks(stem, o)],
                    f"{thing.label}: {thing.definition}",
                    about=[thing.iri],
                    id_parts=[thing.iri],
                    claims=[Claim(SKOS_DEFINITION, thing.definition)],
                )
                if item:
                    yield item
            distractors = [
                Choice(o.iri, o.definition, similarity(thing, o), f"That describes {o.label}.", o.iri)
                for o in others
                if not _leaks(o.definition, thing) and not _leaks(o.definition, o)
            ]
            item = make_item(
                facts,
                f"term-to-definition/{cls}",
                QuestionType.TERM_TO_DEFINITION,
                TERM_TO_DEFINITION.format(subject=thing.label),
                [Choice(thing.iri, thing.definition, similarity=1.0, iri=thing.iri)],
                distractors,
                f"{thing.label}: {thing.definition}",
                about=[thing.iri],
                id_parts=[thing.iri],
                claims=[Claim(SKOS_PREF_LABEL, thing.label)],
            )
            if item:
                yield item
