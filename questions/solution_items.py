"""Scenario items in the shape of a professional cloud exam: a situation, two to four requirements, a qualifier
(LEAST operational overhead, MOST cost-effective), and options that are whole solutions — or, for "Choose
TWO/THREE", the steps of one. Composed from the capability facts of :mod:`.scenario_facts`; the verdict on
every option is derived by :mod:`.solutions`, and an item is made only when exactly its key survives.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from itertools import combinations

from .facts import Facts
from .giveaways import shares_words
from .model import Choice, QuestionItem, QuestionType, item_id
from .scenario_facts import Scenarios, ScenarioTemplate
from .solutions import Failure, Verdict, best, only_answer, only_combination, substitutes, unmet

TEMPLATE = "solution-scenario"
STEPS_TEMPLATE = "solution-steps"

#: an item states this many requirements at most (the exam's scenarios give two to four)
MAX_REQUIREMENTS = 4
#: an answer has at most this many steps (an option of the exam's length: two or three sentences)
MAX_STEPS = 3
#: wrong options kept per item, nearest first (a presentation draws from the first few)
MAX_DISTRACTORS = 8
_COUNT_WORDS = {2: "TWO", 3: "THREE"}


def solution_items(facts: Facts, scenarios: Scenarios) -> Iterator[QuestionItem]:
    """Every scenario item of every template: one per set of needs it may state, as whole solutions and, when
    the answer has two or three steps, as a choice of steps."""
    competencies = {c.iri: c for c in facts.hands_on.competencies}
    for template in scenarios.templates:
        competency = competencies.get(template.competency)
        if competency is None:
            continue
        yield from template_items(scenarios, template, competency.domain)


def template_items(scenarios: Scenarios, template: ScenarioTemplate, domain: str) -> Iterator[QuestionItem]:
    """The items of one scenario template, filed under ``domain``."""
    if not template.situations:
        return
    for needs in need_sets(template, scenarios):
        key = best(template, needs, scenarios)
        if key is None or len(key) > MAX_STEPS:
            continue
        whole = _whole_item(scenarios, template, domain, needs, key)
        if whole is not None:
            yield whole
        if len(key) in _COUNT_WORDS:
            steps = _steps_item(scenarios, template, domain, needs, key)
            if steps is not None:
                yield steps


def need_sets(template: ScenarioTemplate, scenarios: Scenarios) -> Iterator[tuple[str, ...]]:
    """The sets of needs the template's items state: every need it requires, one need of the facet it varies,
    and none, one or two of those it may require — two to four in all."""
    varied = scenarios.facets.get(template.varies, ()) if template.varies else ()
    for facet_need in varied or (None,):
        core = [*template.requires, *([facet_need] if facet_need else [])]
        for size in range(0, 3):
            for extra in combinations(template.may_require, size):
                needs = tuple(dict.fromkeys([*core, *extra]))
                if 2 <= len(needs) <= MAX_REQUIREMENTS and all(n in scenarios.needs for n in needs):
                    yield needs


def _pick(options: Sequence[str], *parts: str) -> str:
    """One of ``options``, chosen by a hash of ``parts`` (stable across builds)."""
    digest = hashlib.sha256("|".join(parts).encode()).digest()
    return sorted(options)[int.from_bytes(digest[:4], "big") % len(options)]


def _stem(scenarios: Scenarios, template: ScenarioTemplate, needs: Sequence[str], question: str) -> str:
    situation = _pick(template.situations, template.iri, *needs)
    requirements = " ".join(scenarios.needs[n].text for n in needs)
    return f"{situation} {requirements}\n\n{question}"


def _qualifier(template: ScenarioTemplate, scenarios: Scenarios) -> str:
    return scenarios.labels.get(template.qualifier) or "LEAST operational overhead"


def _question(template: ScenarioTemplate, scenarios: Scenarios, count: int = 0) -> str:
    qualifier = _qualifier(template, scenarios)
    how = "MOST cost-effectively" if template.by_cost else f"with the {qualifier}"
    if count:
        return f"Which combination of steps will meet these requirements {how}? (Choose {_COUNT_WORDS[count]}.)"
    return f"Which solution will meet these requirements {how}?"


def _text(scenarios: Scenarios, steps: Sequence[str]) -> str:
    return " ".join(scenarios.capabilities[s].action for s in steps)


def _reason(scenarios: Scenarios, template: ScenarioTemplate, found: Verdict) -> str:
    """The decisive reason an option fails, in the exam's terms."""
    caps, needs = scenarios.capabilities, scenarios.needs
    step = caps[found.step]
    if found.failure == Failure.LIMITATION:
        limitation = step.limitation(found.need)
        return f"It fails the requirement “{needs[found.need].label}”: {limitation.reason}"  # type: ignore[union-attr]
    if found.failure == Failure.FACET:
        return (
            f"It fails the requirement “{needs[found.need].label}”: {step.label} gives "
            f"“{needs[found.instead].label}” instead. {step.definition}"
        )
    replaced = caps[found.replaces] if found.replaces else None
    if template.by_cost:
        cheaper = f" {replaced.label} meets the same requirement at lower cost." if replaced else ""
        return f"It meets every requirement, but {step.label} costs more.{cheaper}"
    than = f", while {replaced.label} needs only {replaced.effort_label}" if replaced else ""
    return (
        f"It meets every requirement, but {step.label} means {step.effort_label}{than}: "
        "more operational overhead than the answer."
    )


def _contrast(found: Verdict, failed: int) -> str:
    """What the nearest wrong option has in common with the answer: only said of one that fails a single
    requirement (an option meeting every requirement is explained by its overhead alone)."""
    if found.failure == Failure.OVERHEAD or failed != 1:
        return ""
    return "it meets the other requirements"


def _explanation(scenarios: Scenarios, template: ScenarioTemplate, key: Sequence[str], lead: str) -> str:
    caps = scenarios.capabilities
    how = "at the lowest cost" if template.by_cost else f"with the {_qualifier(template, scenarios)}"
    steps = " ".join(_defined(caps[s].label, caps[s].definition) for s in key)
    verb = "meet" if lead.endswith("steps") else "meets"
    return f"{lead} {verb} every requirement {how}. {steps}"


def _defined(label: str, definition: str) -> str:
    """A step of the answer named, then defined: a definition may be a description ("A predefined
    configuration that…") rather than a sentence."""
    lead = definition[:1].lower() if definition[:2] in ("A ", "An") else definition[:1]
    return f"{label[:1].upper()}{label[1:]}: {lead}{definition[1:].rstrip('.')}."


def _sources(scenarios: Scenarios, template: ScenarioTemplate, key: Sequence[str], found: Sequence[Verdict]):
    pages: list[str] = []
    for step in key:
        pages.extend(scenarios.capabilities[step].sources[:1])
    for v in found:
        cap = scenarios.capabilities[v.step]
        limitation = cap.limitation(v.need) if v.failure == Failure.LIMITATION else None
        pages.extend(limitation.sources[:1] if limitation else cap.sources[:1])
    pages.extend(template.sources[:1])
    return tuple(dict.fromkeys(pages))[:5]


def _about(
    template: ScenarioTemplate, scenarios: Scenarios, needs: Sequence[str], key: Sequence[str]
) -> tuple[str, ...]:
    """The task statement, the template, the needs stated, the answer's steps and the services they use."""
    services = [s for step in key for s in scenarios.capabilities[step].services]
    return tuple(dict.fromkeys([template.competency, template.iri, *needs, *key, *services]))


def _whole_item(
    scenarios: Scenarios,
    template: ScenarioTemplate,
    domain: str,
    needs: Sequence[str],
    key: Sequence[str],
) -> QuestionItem | None:
    """Options are whole solutions: the answer, and the answer with one or two steps replaced."""
    wrong: list[tuple[tuple[str, ...], Verdict, int]] = []
    for steps, found, replaced in substitutes(key, template, needs, scenarios):
        wrong.append((steps, Verdict(found.failure, found.step, found.need, found.instead, replaced[0]), len(replaced)))
    # nearest first: one step replaced before two; a failed requirement before extra overhead
    wrong.sort(key=lambda w: (w[2], w[1].failure == Failure.OVERHEAD, _text(scenarios, w[0])))
    wrong = _one_toilsome(_one_overhead(_spread(wrong), lambda w: w[1]), key, scenarios, lambda w: w[0])
    wrong = wrong[:MAX_DISTRACTORS]
    if len(wrong) < 3:
        return None
    options = [key, *(w[0] for w in wrong)]
    if not only_answer(options, key, template, needs, scenarios):
        return None
    answer = Choice(key="|".join(key), text=_text(scenarios, key), note="meets every requirement")
    distractors = tuple(
        Choice(
            key="|".join(steps),
            text=_text(scenarios, steps),
            similarity=round(1.0 - 0.3 * (size - 1) - 0.1 * (found.failure == Failure.OVERHEAD), 2),
            note=_reason(scenarios, template, found),
            proof=str(found.failure),
            contrast=_contrast(found, len(unmet(steps, needs, scenarios))),
        )
        for steps, found, size in wrong
    )
    if len({c.text.casefold() for c in (answer, *distractors)}) != len(distractors) + 1:
        return None
    stem = _stem(scenarios, template, needs, _question(template, scenarios))
    distractors = _fair(stem, (answer,), distractors)
    if len(distractors) < 3:
        return None
    return QuestionItem(
        id=item_id(f"{TEMPLATE}/{template.iri}", *needs),
        template=f"{TEMPLATE}/{_slug(template.iri)}",
        type=QuestionType.SCENARIO,
        stem=stem,
        answers=(answer,),
        distractors=distractors,
        explanation=_explanation(scenarios, template, key, "The answer"),
        sources=_sources(scenarios, template, key, [w[1] for w in wrong[:3]]),
        domains=(domain,),
        about=_about(template, scenarios, needs, key),
        difficulty=min(1.0, 0.55 + 0.1 * len(needs)),
        option_count=4,
    )


def _fair(stem: str, answers: Sequence[Choice], distractors: Sequence[Choice]) -> tuple[Choice, ...]:
    """The wrong options that keep every showing fair: when a right option shares a content word with the
    stem, only wrong options that share one too (so no showing leaves the key the only such option)."""
    if any(shares_words(stem, a.text) for a in answers):
        return tuple(d for d in distractors if shares_words(stem, d.text))
    return tuple(distractors)


def _at_most_one(wrong: list, marked, fill: int = 0) -> list:
    """``wrong`` with only the first option that ``marked`` picks out, the others of that kind kept back, in
    order, only as far as needed to leave ``fill`` options."""
    kept, spare, seen = [], [], False
    for w in wrong:
        if marked(w):
            if seen:
                spare.append(w)
                continue
            seen = True
        kept.append(w)
    return kept + spare[: max(0, fill - len(kept))]


def _one_overhead(wrong: list, verdict) -> list:
    """At most one wrong option that meets every requirement at more overhead or cost: the others each fail a
    stated requirement, as the exam's wrong options do."""
    return _at_most_one(wrong, lambda w: verdict(w).failure == Failure.OVERHEAD)


#: effort ranks of steps a team must write or carry out itself (custom code, a manual step)
_TOIL = 3


def _one_toilsome(wrong: list, key: Sequence[str], scenarios: Scenarios, steps) -> list:
    """At most one wrong option that brings in custom code or a manual step the answer does not have (more only
    where fewer than three wrong options are left otherwise): a reader who knows only that the managed way
    usually wins must still know the services."""
    caps = scenarios.capabilities
    return _at_most_one(wrong, lambda w: any(caps[s].effort >= _TOIL and s not in key for s in steps(w)), fill=3)


def _spread(wrong: list) -> list:
    """Order wrong options so that the first few blame different steps of the answer (a presentation draws
    from the first few), keeping each group's nearest-first order."""
    firsts, rest, blamed = [], [], set()
    for w in wrong:
        target = w[1].replaces
        (rest if target in blamed else firsts).append(w)
        blamed.add(target)
    return firsts + rest


def _steps_item(
    scenarios: Scenarios,
    template: ScenarioTemplate,
    domain: str,
    needs: Sequence[str],
    key: Sequence[str],
) -> QuestionItem | None:
    """Options are single steps: the answer's, and others that fail a requirement or add overhead in their
    place ("Which combination of steps…? (Choose TWO.)")."""
    wrong: dict[str, Verdict] = {}
    for _steps, found, replaced in substitutes(key, template, needs, scenarios):
        if len(replaced) != 1 or found.step in wrong:
            continue
        wrong[found.step] = Verdict(found.failure, found.step, found.need, found.instead, replaced[0])
    ordered = sorted(wrong.values(), key=lambda v: (v.failure == Failure.OVERHEAD, v.step))
    ordered = _one_overhead([w[1] for w in _spread([(None, v) for v in ordered])], lambda v: v)
    ordered = _one_toilsome(ordered, key, scenarios, lambda v: (v.step,))[:MAX_DISTRACTORS]
    if len(ordered) < 3:
        return None
    if not only_combination([*key, *(v.step for v in ordered)], key, template, needs, scenarios):
        return None
    caps = scenarios.capabilities
    answers = tuple(Choice(key=s, text=caps[s].action, note="part of the answer") for s in key)
    distractors = tuple(
        Choice(
            key=v.step,
            text=caps[v.step].action,
            similarity=round(0.9 - 0.1 * (v.failure == Failure.OVERHEAD), 2),
            note=_reason(scenarios, template, v).replace("It meets every requirement, but", "In its place,", 1),
            proof=str(v.failure),
        )
        for v in ordered
    )
    stem = _stem(scenarios, template, needs, _question(template, scenarios, len(key)))
    distractors = _fair(stem, answers, distractors)
    if len(distractors) < 3:
        return None
    return QuestionItem(
        id=item_id(f"{STEPS_TEMPLATE}/{template.iri}", *needs),
        template=f"{STEPS_TEMPLATE}/{_slug(template.iri)}",
        type=QuestionType.SCENARIO,
        stem=stem,
        answers=answers,
        distractors=distractors,
        explanation=_explanation(scenarios, template, key, "Together, the right steps"),
        sources=_sources(scenarios, template, key, ordered[:3]),
        domains=(domain,),
        about=_about(template, scenarios, needs, key),
        difficulty=min(1.0, 0.6 + 0.1 * len(needs)),
        option_count=len(key) + 3,
    )


def _slug(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]
