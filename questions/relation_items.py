"""Items over relations between things: cross-cloud counterparts, roles, exam domains."""

from __future__ import annotations

from collections.abc import Iterator

from .common import candidate_pool, make_item, similarity, thing_choice
from .facts import Facts, Thing, predicate
from .model import Claim, QuestionItem, QuestionType
from .templates import (
    COUNT_WORDS,
    EQUIVALENT_MANY,
    EQUIVALENT_ONE,
    RESPONSIBILITY_OF_ROLE,
    ROLE_OF_RESPONSIBILITY,
    THING_OF_DOMAIN,
)


def platform_of(thing: Thing) -> str:
    """The platform IRI of a cloud service ("" for anything else)."""
    return (thing.values("onPlatform") or ("",))[0]


def equivalent_items(facts: Facts, skip: set[str]) -> Iterator[QuestionItem]:
    """ "Which Azure service is the counterpart of AWS CodeDeploy?" for every service and other platform.

    A distractor is a service on the target platform that is not a counterpart of the subject and
    cannot be mistaken for one: it shares no category with the subject, or the graph pairs it with
    a different service on the subject's platform.
    """
    services = [t for t in facts.of_class("CloudService") if t.iri not in skip]
    by_platform: dict[str, list[Thing]] = {}
    for service in services:
        by_platform.setdefault(platform_of(service), []).append(service)
    for subject in services:
        home = platform_of(subject)
        partners = set(subject.values("equivalentTo"))
        for target, candidates in sorted(by_platform.items()):
            if target == home:
                continue
            answers = [t for t in candidates if t.iri in partners]
            if not answers or len(answers) > 3:
                continue
            distractors = []
            for other in candidate_pool(subject, candidates):
                if other.iri in partners:
                    continue
                shares_category = set(other.values("inCategory")) & set(subject.values("inCategory"))
                paired_elsewhere = any(
                    p != subject.iri and p in facts.things and platform_of(facts.things[p]) == home
                    for p in other.values("equivalentTo")
                )
                if shares_category and not paired_elsewhere:
                    continue
                distractors.append(thing_choice(other, similarity(subject, other)))
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
                [thing_choice(a, 1.0) for a in answers],
                distractors,
                explanation,
                about=[subject.iri],
                id_parts=[subject.iri, target],
                claims=[Claim(predicate("equivalentTo"), subject.iri)],
                domains=facts.domains_for(subject.iri, *(a.iri for a in answers)),
            )
            if item:
                yield item


def role_items(facts: Facts, skip: set[str]) -> Iterator[QuestionItem]:
    """Which role carries a responsibility, and which responsibility belongs to a role."""
    roles = [t for t in facts.of_class("Role") if t.iri not in skip]
    owners: dict[str, list[Thing]] = {}
    for role in roles:
        for resp in role.values("hasResponsibility"):
            owners.setdefault(resp, []).append(role)
    for resp_iri, holders in sorted(owners.items()):
        resp = facts.things.get(resp_iri)
        if resp is None or resp.iri in skip:
            continue
        explanation = " ".join(f"{r.label}: {resp.label}." for r in holders)
        item = make_item(
            facts,
            "role-of-responsibility",
            QuestionType.SINGLE,
            ROLE_OF_RESPONSIBILITY.format(subject=resp.label),
            [thing_choice(r, 1.0) for r in holders],
            [thing_choice(r, 0.3) for r in roles if r not in holders],
            explanation,
            about=[resp.iri],
            id_parts=[resp.iri],
            claims=[Claim(predicate("hasResponsibility"), resp.iri)],
        )
        if item:
            yield item
    for role in roles:
        own = set(role.values("hasResponsibility"))
        for resp_iri in sorted(own):
            resp = facts.things.get(resp_iri)
            if resp is None:
                continue
            others = [facts.things[r] for r in owners if r not in own and r in facts.things and r not in skip]
            item = make_item(
                facts,
                "responsibility-of-role",
                QuestionType.SINGLE,
                RESPONSIBILITY_OF_ROLE.format(subject=role.label),
                [thing_choice(resp, 1.0)],
                [thing_choice(o, similarity(resp, o), f"{o.label}: {_owner_names(owners, o)}.") for o in others],
                f"{role.label}: {resp.label}. {resp.definition}",
                about=[role.iri, resp.iri],
                id_parts=[role.iri, resp.iri],
                claims=[Claim(predicate("hasResponsibility"), role.iri, forward=False)],
            )
            if item:
                yield item


def _owner_names(owners: dict[str, list[Thing]], resp: Thing) -> str:
    return ", ".join(r.label for r in owners.get(resp.iri, [])) or "another role"


#: facts whose values mark the ground an exam stands on (its platform, categories, topic families)
EXAM_NEIGHBOURHOOD = ("onPlatform", "inCategory", "broader")


def domain_items(facts: Facts, skip: set[str]) -> Iterator[QuestionItem]:
    """Which of these is tested in a given domain of an exam?

    Distractors are things of the same class that the exam's outline does not cover and that share
    no platform, category or topic family with anything it covers (an AWS exam's distractors come from
    other clouds), so an item never rests on where the outline's boundary lies.
    """
    for cert in sorted(facts.catalog, key=lambda c: c.iri):
        code = cert.code
        domains = [d.iri for d in cert.domains if d.iri in facts.things]
        in_exam = {i for d in domains for i in facts.things[d].values("covers")}
        near = {
            v for i in in_exam if i in facts.things for fact in EXAM_NEIGHBOURHOOD for v in facts.things[i].values(fact)
        }
        outside: dict[str, list[Thing]] = {}
        for thing in facts.things.values():
            if thing.iri in in_exam or thing.iri in skip:
                continue
            if any(v in near for fact in EXAM_NEIGHBOURHOOD for v in thing.values(fact)):
                continue  # a neighbour of what the exam covers may well be tested too: never a distractor
            outside.setdefault(thing.cls, []).append(thing)
        for pool in outside.values():
            pool.sort(key=lambda t: t.iri)
        for domain in domains:
            dlabel = facts.things[domain].label
            own = {i for i in facts.things[domain].values("covers") if i in facts.things and i not in skip}
            for iri in sorted(own):
                thing = facts.things[iri]
                candidates = candidate_pool(thing, outside.get(thing.cls, []))
                item = make_item(
                    facts,
                    "thing-of-domain",
                    QuestionType.SINGLE,
                    THING_OF_DOMAIN.format(domain=dlabel, cert=code),
                    [thing_choice(thing, 1.0)],
                    [
                        thing_choice(
                            o,
                            similarity(thing, o),
                            f"{o.label} is outside the {code} exam: no platform, category or topic family in common.",
                        )
                        for o in candidates
                    ],
                    f"The “{dlabel}” domain of {code} covers {thing.label}.",
                    about=[iri, domain],
                    id_parts=[domain, iri],
                    domains=[domain],
                    claims=[Claim(predicate("covers"), domain, forward=False)],
                )
                if item:
                    yield item
