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
    if item.response is not None:
        return Presentation(
            item_id=item.id,
            seed=seed,
            type=item.type,
            stem=item.stem,
            options=(),
            explanation=item.explanation,
            sources=item.sources,
            domains=item.domains,
            code=item.code,
            code_language=item.code_language,
            response=item.response,
        )
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
    explanation = explain(item, options)
    return Presentation(
        item_id=item.id,
        seed=seed,
        type=item.type,
        stem=item.stem,
        options=options,
        explanation=explanation,
        sources=item.sources,
        domains=item.domains,
        code=item.code,
        code_language=item.code_language,
    )


def explain(item: QuestionItem, options: tuple[Option, ...]) -> str:
    """The item's explanation, then one reason per wrong option shown, by letter; the wrong option
    nearest the answer is named first, as the distinction that decides the question."""
    if item.type == QuestionType.TRUE_FALSE:
        return item.explanation
    nearness = {c.key: c.similarity for c in item.distractors}
    contrast = {c.key: c.contrast for c in item.distractors}
    wrong = sorted((o for o in options if not o.correct), key=lambda o: (-nearness.get(o.key, 0.0), o.letter))
    parts = [_full_stop(item.explanation)]
    for n, option in enumerate(wrong):
        if not option.note:
            continue
        if n == 0 and contrast.get(option.key):
            reason = _lower_lead(_full_stop(option.note))
            parts.append(f"Like the answer, {option.letter} {_like(contrast[option.key])}, but {reason}")
        else:
            parts.append(f"{option.letter} is wrong: {_full_stop(option.note)}")
    return " ".join(p for p in parts if p)


def _like(contrast: str) -> str:
    """What the nearest wrong option shares with the answer, said of that option ("it meets the other
    requirements" → "meets the other requirements")."""
    return contrast.removeprefix("it ")


def _lower_lead(text: str) -> str:
    """Continue a sentence with the note: a leading "The"/"This"/"It" loses its capital; names keep theirs."""
    first, _, rest = text.partition(" ")
    return f"{first.lower()} {rest}" if first in ("The", "This", "It") else text


def _full_stop(text: str) -> str:
    """End a sentence with one full stop (a label such as "Docker, Inc." already has one)."""
    text = text.strip()
    return text if not text or text[-1] in '.!?…”"' else text + "."
