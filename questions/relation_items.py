"""Items over relations between things: cross-cloud counterparts.

Counterparts are what the vendors' comparison pages pair (``ops:equivalentTo`` is a closed property),
so a service on the target platform is a wrong answer when those pages pair it with another service
of the subject's platform instead.
"""

from __future__ import annotations

from collections.abc import Iterator

from .common import candidate_pool, make_item, similarity, thing_choice
from .facts import Facts, Thing, predicate
from .model import Claim, QuestionItem, QuestionType
from .proof import Proof
from .templates import COUNT_WORDS, EQUIVALENT_MANY, EQUIVALENT_ONE


def equivalent_items(facts: Facts, skip: set[str]) -> Iterator[QuestionItem]:
    """ "Which Azure service is the counterpart of AWS CodeDeploy?" for every service and other platform.

    A distractor is a service on the target platform that is not a counterpart of the subject and
    that the comparison pages pair with a different service of the subject's platform.
    """
    services = [t for t in facts.of_class("CloudService") if t.iri not in skip]
    by_platform: dict[str, list[Thing]] = {}
    for service in services:
        by_platform.setdefault(service.platform, []).append(service)
    for subject in services:
        home = subject.platform
        partners = set(subject.values("equivalentTo"))
        for target, candidates in sorted(by_platform.items()):
            if target == home:
                continue
            answers = [t for t in candidates if t.iri in partners]
            if not answers or len(answers) > 3:
                continue
            near_categories = {c for t in (subject, *answers) for c in t.values("inCategory")}
            distractors = []
            for other in candidate_pool(subject, candidates):
                if other.iri in partners:
                    continue
                elsewhere = [
                    facts.things[p]
                    for p in other.values("equivalentTo")
                    if p != subject.iri and p in facts.things and facts.things[p].platform == home
                ]
                if not elsewhere or "equivalentTo" not in facts.closed:
                    continue
                if set(other.values("inCategory")) & near_categories:
                    continue  # a service doing the same kind of job would be argued for, whatever the page pairs
                names = [e.label for e in elsewhere]
                pairs = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
                note = f"{other.label} is paired with {pairs} instead."
                distractors.append(thing_choice(other, similarity(subject, other), note, Proof.COMPLETE))
            platform_label = facts.things[target].short_label if target in facts.things else facts.label(target)
            n = len(answers)
            stem = (EQUIVALENT_ONE if n == 1 else EQUIVALENT_MANY).format(
                platform=platform_label, subject=subject.label, n=COUNT_WORDS.get(n, n)
            )
            names = ", ".join(a.label for a in answers)
            explanation = f"The vendors' comparison pages pair {subject.label} with {names} on {platform_label}."
            item = make_item(
                facts,
                "equivalent",
                QuestionType.EQUIVALENT,
                stem,
                [thing_choice(a, 1.0, f"{a.label} is paired with {subject.label}.") for a in answers],
                distractors,
                explanation,
                about=[subject.iri],
                id_parts=[subject.iri, target],
                claims=[Claim(predicate("equivalentTo"), subject.iri)],
                family="cloud",
                sources=facts.fact_sources(subject.iri, "equivalentTo"),
            )
            if item:
                yield item
