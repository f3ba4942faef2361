"""Items from :class:`~opsprep.questions.templates.FacetTemplate`: one fact of one class of thing."""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Iterator

from .common import (
    MAX_ANSWERS,
    MIN_DISTRACTORS,
    candidate_pool,
    make_item,
    mentions,
    similarity,
    thing_choice,
)
from .facts import FUNCTIONAL, Facts, Thing, predicate
from .model import Choice, Claim, QuestionItem, QuestionType
from .templates import COUNT_WORDS, FacetTemplate

#: how many "which N of these" and "odd one out" items each value yields at most
PER_VALUE_LIMIT = 6


def holds(thing: Thing, fact: str, value: str) -> bool:
    """The graph says ``thing`` has ``value`` for ``fact``."""
    return value in thing.values(fact)


def provably_lacks(thing: Thing, fact: str, value: str, facts: Facts | None = None) -> bool:
    """The graph says ``thing`` does not have ``value``: it records other values and not this one.

    For a functional fact one other value settles it; for a multi-valued fact the recorded list is
    read as complete. For categories and topic kinds (whose values overlap) a recorded value that
    ever stands beside ``value`` leaves the question open, so the thing is not ruled out.
    A thing with no recorded value is unknown, never a distractor.
    """
    recorded = thing.values(fact)
    if not recorded or value in recorded:
        return False
    if facts is not None and fact in facts.neighbours:
        near = facts.neighbours[fact].get(value, frozenset())
        return not any(v in near for v in recorded)
    return True


@functools.cache
def _note(statement: str, subject: str, value: str) -> str:
    return sentence(statement.format(subject=subject, value=value, group=""))


def sentence(text: str) -> str:
    """Start a sentence with a capital letter."""
    return text[:1].upper() + text[1:]


def fact_note(facts: Facts, template: FacetTemplate, thing: Thing) -> str:
    """A sentence stating the thing's values for the template's fact."""
    values = [template.phrase(facts.label(v)) for v in thing.values(template.fact)]
    if not values or not template.statement:
        return ""
    quoted = "“{value}”" in template.statement
    comma, last = ("”, “", "” and “") if quoted else (", ", " and ")
    value = values[0] if len(values) == 1 else comma.join(values[:-1]) + last + values[-1]
    return _note(template.statement, thing.label, value)


def facet_items(facts: Facts, template: FacetTemplate, skip: set[str]) -> Iterator[QuestionItem]:
    """Every item of every shape the template switches on."""
    things = [t for t in facts.of_class(template.cls) if t.iri not in skip]
    groups: dict[str, list[Thing]] = defaultdict(list)
    for thing in things:
        keys = thing.values(template.group_by) if template.group_by else ("",)
        for key in keys[:1]:
            groups[key].append(thing)
    for group, members in sorted(groups.items()):
        group_label = facts.things[group].short_label if group in facts.things else facts.label(group)
        yield from _ask_value(facts, template, members)
        yield from _ask_subject(facts, template, members, group, group_label)
        yield from _true_false(facts, template, members)


def _value_pool(template: FacetTemplate, members: list[Thing]) -> Counter:
    return Counter(v for t in members for v in t.values(template.fact))


def _ask_value(facts: Facts, template: FacetTemplate, members: list[Thing]) -> Iterator[QuestionItem]:
    if not template.ask_value:
        return
    pool = _value_pool(template, members)
    top = max(pool.values(), default=1)
    for thing in members:
        values = thing.values(template.fact)
        if not values or len(values) > MAX_ANSWERS:
            continue
        answers = [_value_choice(facts, template, v) for v in values]
        distractors = [
            _value_choice(facts, template, v, 0.2 + 0.6 * n / top) for v, n in pool.items() if v not in values
        ]
        stem = template.ask_value.format(subject=thing.label, value="", group="")
        item = make_item(
            facts,
            f"{template.id}/value",
            QuestionType.SINGLE,
            stem,
            answers,
            distractors,
            fact_note(facts, template, thing),
            about=[thing.iri],
            id_parts=[thing.iri],
            claims=[Claim(predicate(template.fact), thing.iri, forward=False)],
        )
        if item:
            yield item


def _value_choice(facts: Facts, template: FacetTemplate, value: str, sim: float = 1.0) -> Choice:
    return Choice(
        value, template.phrase(facts.label(value)), similarity=sim, iri=value if value in facts.things else ""
    )


def _ask_subject(
    facts: Facts, template: FacetTemplate, members: list[Thing], group: str, group_label: str
) -> Iterator[QuestionItem]:
    for value in sorted(_value_pool(template, members)):
        phrase = template.phrase(facts.label(value))
        holders = [t for t in members if holds(t, template.fact, value)]
        lackers = [t for t in members if provably_lacks(t, template.fact, value, facts)]
        if len(lackers) < MIN_DISTRACTORS or not holders:
            continue
        fields = {"value": phrase, "group": group_label}

        def wrong(holder: Thing, lackers: list[Thing] = lackers) -> list[Choice]:
            pool = candidate_pool(holder, lackers)
            return [thing_choice(t, similarity(holder, t), fact_note(facts, template, t)) for t in pool]

        if template.ask_subject:
            for holder in holders:
                stem = template.ask_subject.format(subject="", **fields)
                item = make_item(
                    facts,
                    f"{template.id}/subject",
                    QuestionType.SINGLE,
                    stem,
                    [thing_choice(holder, 1.0, fact_note(facts, template, holder))],
                    wrong(holder),
                    fact_note(facts, template, holder),
                    about=[holder.iri, value] if value in facts.things else [holder.iri],
                    id_parts=[group, value, holder.iri],
                    claims=[Claim(predicate(template.fact), value)],
                )
                if item:
                    yield item
        if template.ask_many and len(holders) >= 2:
            for pair in _pairs(holders)[:PER_VALUE_LIMIT]:
                stem = template.ask_many.format(subject="", n=COUNT_WORDS[2], **fields)
                answers = [thing_choice(t, 1.0, fact_note(facts, template, t)) for t in pair]
                item = make_item(
                    facts,
                    f"{template.id}/many",
                    QuestionType.MULTIPLE,
                    stem,
                    answers,
                    wrong(pair[0]),
                    " ".join(a.note for a in answers),
                    about=[t.iri for t in pair],
                    id_parts=[group, value, *(t.iri for t in pair)],
                    claims=[Claim(predicate(template.fact), value)],
                )
                if item:
                    yield item
        if template.ask_odd and len(holders) >= MIN_DISTRACTORS:
            sample = holders[:5]
            pool = candidate_pool(holders[0], lackers)
            ranked = sorted(pool, key=lambda t: (-max(similarity(t, h) for h in sample), t.iri))
            for odd in ranked[:PER_VALUE_LIMIT]:
                stem = template.ask_odd.format(subject="", **fields)
                note = fact_note(facts, template, odd)
                item = make_item(
                    facts,
                    f"{template.id}/odd",
                    QuestionType.ODD_ONE_OUT,
                    stem,
                    [thing_choice(odd, 1.0, note)],
                    [
                        thing_choice(t, similarity(odd, t), fact_note(facts, template, t))
                        for t in candidate_pool(odd, holders)
                    ],
                    note,
                    about=[odd.iri],
                    id_parts=[group, value, odd.iri],
                    claims=[Claim(predicate(template.fact), value, holds=False)],
                )
                if item:
                    yield item


def _pairs(holders: list[Thing]) -> list[tuple[Thing, Thing]]:
    """Disjoint pairs first (each holder appears once), in IRI order."""
    ordered = sorted(holders, key=lambda t: t.iri)
    return [(ordered[i], ordered[i + 1]) for i in range(0, len(ordered) - 1, 2)]


def _true_false(facts: Facts, template: FacetTemplate, members: list[Thing]) -> Iterator[QuestionItem]:
    if not template.statement:
        return
    pool = _value_pool(template, members)
    for thing in members:
        values = thing.values(template.fact)
        if not values:
            continue
        true_value = values[0]
        false_values = [v for v, _ in pool.most_common() if provably_lacks(thing, template.fact, v, facts)]
        if template.fact not in FUNCTIONAL and not false_values:
            continue
        for value, truth in [(true_value, True), *((v, False) for v in false_values[:1])]:
            phrase = template.phrase(facts.label(value))
            statement = template.statement.format(subject=thing.label, value=phrase, group="")
            if not truth and any(mentions(statement, facts.label(v)) for v in values if facts.label(v) != phrase):
                continue
            answer = Choice("true" if truth else "false", "True" if truth else "False")
            other = Choice("false" if truth else "true", "False" if truth else "True")
            note = fact_note(facts, template, thing)
            item = make_item(
                facts,
                f"{template.id}/tf",
                QuestionType.TRUE_FALSE,
                f"True or false: {statement}",
                [answer],
                [other],
                note if truth else f"False. {note}",
                about=[thing.iri],
                id_parts=[thing.iri, value, str(truth)],
                claims=[Claim(predicate(template.fact), value)],
            )
            if item:
                yield item
