"""Presentations: draw an item's distractors and option order from a seed."""

from __future__ import annotations

import hashlib
import random
import string

from .model import Option, Presentation, QuestionItem, QuestionType

#: distractors are drawn from the nearest ``POOL_FACTOR`` × needed, so views differ but stay hard
POOL_FACTOR = 2


def rng_for(item: QuestionItem, seed: int) -> random.Random:
    """A random generator determined by the item and the seed alone."""
    digest = hashlib.sha256(f"{item.id}:{seed}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def present(item: QuestionItem, seed: int) -> Presentation:
    """Show an item: pick its distractors and shuffle the options, reproducibly for a given seed."""
    rng = rng_for(item, seed)
    if item.type == QuestionType.TRUE_FALSE:
        choices = sorted((*item.answers, *item.distractors), key=lambda c: c.key != "true")
    else:
        needed = item.option_count - len(item.answers)
        pool = list(item.distractors[: max(needed * POOL_FACTOR, needed)])
        choices = [*item.answers, *rng.sample(pool, needed)]
        rng.shuffle(choices)
    answer_keys = {a.key for a in item.answers}
    options = tuple(
        Option(letter, c.key, c.text, c.key in answer_keys, c.note, c.iri)
        for letter, c in zip(string.ascii_uppercase, choices, strict=False)
    )
    notes = [o.note for o in options if not o.correct and o.note]
    explanation = " ".join([item.explanation, *notes]).strip()
    return Presentation(
        item_id=item.id,
        seed=seed,
        type=item.type,
        stem=item.stem,
        options=options,
        explanation=explanation,
        sources=item.sources,
        domains=item.domains,
    )
