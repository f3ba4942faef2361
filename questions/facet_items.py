"""Items from :class:`~opsprep.questions.templates.FacetTemplate`: one fact of one class of thing.

Every wrong option and every False key rests on a proof from the graph (see :mod:`.proof`): a thing
that simply lacks a recorded value is never offered as wrong.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Iterator

from .common import (
    MAX_ANSWERS,
    MIN_DISTRACTORS,
    POOL_LIMIT,
    candidate_pool,
    make_item,
    mentions,
    similarity,
    thing_choice,
)
from .facts import Facts, Thing, predicate
from .model import Choice, Claim, QuestionItem, QuestionType
from .proof import Proof, refutation
from .templates import COUNT_WORDS, FacetTemplate

__all__ = ["fact_note", "facet_items", "sentence"]

#: how many "which N of these" and "odd one out" items each value yields at most
PER_VALUE_LIMIT = 6


@functools.cache
def _note(statement: str, subject: str, value: str) -> str:
    text = statement.format(subject=subject, value=value, group="")
    return text if statement.startswith("{subject}") else sentence(text)


def sentence(text: str) -> str:
    """Start a sentence with a capital letter (identifiers such as kubectl stay as written elsewhere)."""
    return text[:1].upper() + text[1:]


def fact_note(facts: Facts, template: FacetTemplate, thing: Thing, proof: Proof | str = "") -> str:
    """A sentence stating the thing's values for the template's fact (and that they are all, when the
    proof is a complete list)."""
    values = [template.phrase(facts.label(v)) for v in thing.values(template.fact)]
    if not values or not template.statement:
        return ""
    quoted = "“{value}”" in template.statement
    comma, last = ("”, “", "” and “") if quoted else (", ", " and ")
    value = values[0] if len(values) == 1 else comma.join(values[:-1]) + last + values[-1]
    note = _note(template.statement, thing.label, value)
    if proof == Proof.COMPLETE:  # a completeness claim: say whose list it is
        tail = (
            " and to no other category used here."
            if template.fact == "inCategory"
            else ", and to nothing else its documentation names."
        )
        note = note.rstrip(".") + tail
    return note


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


def _value_pool(template: FacetTemplate, members: list[Thing], facts: Facts | None = None) -> Counter:
    """How often each value occurs among the members (with a closed value set's other values at 0)."""
    pool = Counter(v for t in members for v in t.values(template.fact))
    for value in facts.value_sets.get(template.fact, ()) if facts else ():
        pool.setdefault(value, 0)
    return pool


def _sources(facts: Facts, template: FacetTemplate, *things: Thing) -> list[str]:
    return list(dict.fromkeys(s for t in things for s in facts.fact_sources(t.iri, template.fact)))


def _ask_value(facts: Facts, template: FacetTemplate, members: list[Thing]) -> Iterator[QuestionItem]:
    if not template.ask_value:
        return
    pool = _value_pool(template, members)
    top = max(pool.values(), default=1)
    common = pool.most_common(POOL_LIMIT)  # the values worth offering: the most used, a bounded few
    for thing in members:
        values = thing.values(template.fact)
        if not values or len(values) > MAX_ANSWERS:
            continue
        answers = [_value_choice(facts, template, v) for v in values]
        note = fact_note(facts, template, thing)
        distractors = []
        for v, n in common if _refutable(facts, thing, template.fact) else ():
            if not any(_kin(facts, v, mine) for mine in values):
                continue  # a value of another family gives itself away
            proof = refutation(facts, thing, template.fact, v)
            if proof is not None:
                distractors.append(_value_choice(facts, template, v, 0.2 + 0.6 * n / top, proof, _why_not(facts, v)))
        stem = template.ask_value.format(subject=thing.label, value="", group="")
        item = make_item(
            facts,
            f"{template.id}/value",
            QuestionType.SINGLE,
            stem,
            [Choice(a.key, a.text, a.similarity, note, a.iri) for a in answers],
            distractors,
            fact_note(facts, template, thing, Proof.COMPLETE if template.fact in thing.complete else ""),
            about=[thing.iri],
            id_parts=[thing.iri],
            claims=[Claim(predicate(template.fact), thing.iri, forward=False)],
            family=template.family,
            sources=_sources(facts, template, thing),
        )
        if item:
            yield item


def _why_not(facts: Facts, value: str) -> str:
    thing = facts.things.get(value)
    return f"{thing.label}: {thing.definition}" if thing and thing.definition else ""


def _value_choice(
    facts: Facts, template: FacetTemplate, value: str, sim: float = 1.0, proof: str = "", note: str = ""
) -> Choice:
    return Choice(
        value,
        template.phrase(facts.label(value)),
        similarity=sim,
        note=note,
        iri=value if value in facts.things else "",
        proof=str(proof),
    )


def _wrong(facts: Facts, template: FacetTemplate, value: str, anchor: Thing, lackers: dict[str, Proof]) -> list[Choice]:
    pool = candidate_pool(anchor, [facts.things[i] for i in lackers])
    if template.fact in _THING_VALUED:  # a CLI option against block arguments gives itself away
        pool = [t for t in pool if _kin(facts, t.iri, anchor.iri)]
    return [
        Choice(
            t.iri,
            thing_choice(t).text,
            round(similarity(anchor, t), 3),
            fact_note(facts, template, t, lackers[t.iri]),
            t.iri,
            str(lackers[t.iri]),
        )
        for t in pool
    ]


def _ask_subject(
    facts: Facts, template: FacetTemplate, members: list[Thing], group: str, group_label: str
) -> Iterator[QuestionItem]:
    holders_of: dict[str, list[Thing]] = defaultdict(list)
    for thing in members:
        for value in thing.values(template.fact):
            holders_of[value].append(thing)
    refutable = [t for t in members if _refutable(facts, t, template.fact)]
    for value in sorted(holders_of):
        phrase = template.phrase(facts.label(value))
        holders = holders_of[value]
        lackers = {
            t.iri: proof
            for t in refutable
            if (proof := refutation(facts, t, template.fact, value)) is not None and _near(facts, template, t, value)
        }
        if len(lackers) < MIN_DISTRACTORS or not holders:
            continue
        fields = {"value": phrase, "group": group_label}
        value_about = [value] if value in facts.things else []
        if template.ask_subject:
            for holder in holders:
                stem = template.ask_subject.format(subject="", **fields)
                note = fact_note(facts, template, holder)
                item = make_item(
                    facts,
                    f"{template.id}/subject",
                    QuestionType.SINGLE,
                    stem,
                    [thing_choice(holder, 1.0, note)],
                    _wrong(facts, template, value, holder, lackers),
                    note,
                    about=[holder.iri, *value_about],
                    id_parts=[group, value, holder.iri],
                    claims=[Claim(predicate(template.fact), value)],
                    asks=[holder.iri],
                    family=template.family,
                    sources=_sources(facts, template, holder),
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
                    _wrong(facts, template, value, pair[0], lackers),
                    " ".join(a.note for a in answers),
                    about=[t.iri for t in pair],
                    id_parts=[group, value, *(t.iri for t in pair)],
                    claims=[Claim(predicate(template.fact), value)],
                    asks=[t.iri for t in pair],
                    family=template.family,
                    sources=_sources(facts, template, *pair),
                )
                if item:
                    yield item
        if template.ask_odd and len(holders) >= MIN_DISTRACTORS:
            sample = holders[:5]
            pool = candidate_pool(holders[0], [facts.things[i] for i in lackers])
            ranked = sorted(pool, key=lambda t: (-max(similarity(t, h) for h in sample), t.iri))
            for odd in ranked[:PER_VALUE_LIMIT]:
                stem = template.ask_odd.format(subject="", **fields)
                note = fact_note(facts, template, odd, lackers[odd.iri])
                item = make_item(
                    facts,
                    f"{template.id}/odd",
                    QuestionType.ODD_ONE_OUT,
                    stem,
                    [Choice(odd.iri, thing_choice(odd).text, 1.0, note, odd.iri)],
                    [
                        thing_choice(t, similarity(odd, t), fact_note(facts, template, t), Proof.RECORDED)
                        for t in candidate_pool(odd, holders)
                    ],
                    note,
                    about=[odd.iri, *value_about],
                    id_parts=[group, value, odd.iri],
                    claims=[Claim(predicate(template.fact), value, holds=False)],
                    asks=value_about or [odd.iri],
                    family=template.family,
                    sources=_sources(facts, template, odd),
                )
                if item:
                    yield item


#: the facts whose values are graph things of many families (blocks, objects, workflows, kinds)
_THING_VALUED = frozenset({"broader", "partOf", "stepOf", "argumentOf", "storedIn", "featureOf"})


def _kin(facts: Facts, value: str, other: str) -> bool:
    """Whether two values of a fact are of one family, so one is a fair wrong answer for the other: for
    values that are concepts, a shared kind or a shared whole ("the resource block" and "the module
    block"; never "the terraform plan command" against "the Pod spec")."""
    if value == other:
        return True
    a, b = facts.things.get(value), facts.things.get(other)
    if a is None or b is None or a.cls != b.cls:
        return a is None and b is None  # two literals (languages, licences) are of one family
    if a.cls not in ("Topic", "Tool", "Practice"):
        return True
    kinds = (facts.up(value) - {value}) & (facts.up(other) - {other})
    wholes = {w for f in _THING_VALUED - {"broader"} for w in a.values(f)} & {
        w for f in _THING_VALUED - {"broader"} for w in b.values(f)
    }
    return bool(kinds or wholes)


def _near(facts: Facts, template: FacetTemplate, thing: Thing, value: str) -> bool:
    """For "is a kind of" items, a wrong option must be a kind of something the value is a kind of too
    (NodePort against ClusterIP, both Service types): a concept of another family gives itself away."""
    if template.fact != "broader":
        return True
    return bool((facts.up(thing.iri) - {thing.iri}) & (facts.up(value) - {value}))


def _refutable(facts: Facts, thing: Thing, fact: str) -> bool:
    """Whether anything could prove that ``thing`` lacks a value of ``fact`` (most things: nothing can)."""
    if fact in facts.functional or fact in facts.closed or fact in thing.complete:
        return bool(thing.values(fact))
    if facts.negatives and any(s == thing.iri and f == fact for s, f, _ in facts.negatives):
        return True
    kinds = {thing.iri, *thing.values(fact)} if fact == "broader" else set(thing.values(fact))
    return any(facts.disjoint(u) for k in kinds for u in facts.up(k))


def _pairs(holders: list[Thing]) -> list[tuple[Thing, Thing]]:
    """Disjoint pairs first (each holder appears once), in IRI order."""
    ordered = sorted(holders, key=lambda t: t.iri)
    return [(ordered[i], ordered[i + 1]) for i in range(0, len(ordered) - 1, 2)]


def _true_false(facts: Facts, template: FacetTemplate, members: list[Thing]) -> Iterator[QuestionItem]:
    if not template.statement:
        return
    pool = _value_pool(template, members, facts)
    ordered = [v for v, _ in pool.most_common()]
    for thing in members:
        values = thing.values(template.fact)
        if not values:
            continue
        true_value = values[0]
        candidates = (
            [v for v in ordered if _kin(facts, v, true_value)] if _refutable(facts, thing, template.fact) else ()
        )
        false_value = next(
            ((v, proof) for v in candidates if (proof := refutation(facts, thing, template.fact, v)) is not None), None
        )
        if false_value is None:
            continue  # a True with no provable False beside it: shown alone, "True" would be a safe guess
        for value, proof in [(true_value, None), false_value]:
            truth = proof is None
            phrase = template.phrase(facts.label(value))
            statement = template.statement.format(subject=thing.label, value=phrase, group="")
            if not truth and any(mentions(statement, facts.label(v)) for v in values if facts.label(v) != phrase):
                continue
            answer = Choice("true" if truth else "false", "True" if truth else "False")
            other = Choice(
                "false" if truth else "true", "False" if truth else "True", proof=str(proof or Proof.RECORDED)
            )
            note = fact_note(facts, template, thing, proof or "")
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
                family=template.family,
                sources=_sources(facts, template, thing),
            )
            if item:
                yield item
