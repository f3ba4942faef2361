"""What a question tests, read from its item, so that an exam never asks one fact twice.

An item's claims (:class:`opsprep.questions.Claim`) say which graph facts make its options right:

* a **triple** (subject, property, value): "Which of these tools is agentless?" (key Ansible) and "True or
  false: Ansible is agentless." both test (Ansible, agent model, agentless). A triple is one fact whichever
  way round it is read, so the two directions of a symmetric relation (counterparts) are one fact;
* a **slot** (subject, property), when the question asks for the value ("Which category does kubeadm belong
  to?") or the property is functional (one value per thing: agent model, CNCF maturity): then "Ansible is
  agentless" and "Ansible is agent-based" are one fact, and so is any other triple of that slot;
* a **definition**: "Which statement best describes X?" and "Which tool does this describe? <X's
  definition>" are one fact (one's right option is the other's stem);
* an **odd one out** ("Which of these is NOT in category C?") shows three options that are in C, so it
  covers every triple of that property and value.

Besides sharing a fact, an item gives another away when its right option is a thing or value the other's
stem names ("Which category does kubeadm belong to?" → Container orchestration, beside "Which tool belongs
to the category Container orchestration?"). :func:`same_fact` is true for both cases; :func:`related` is
the softer link of two items with the same key, or one that shows the definition of a thing the other names
(a definition often states the other fact): an exam avoids those while it has other questions to draw.

Hands-on items (commands, typed answers, code reading, tasks) test a **scenario**: the first sentence of
their stem states the job ("Apply deploy.yaml with server-side apply.", a task's brief) or the question a
code-reading item asks of its code. Items sharing it are one fact: the command typed and the same command
chosen, the task written, fixed and read. Their stem names the things they are about (the command, the API
kind), so an item whose right option is one of those gives them away; a command-flag item's key is the flag.

Scenario items composed from capability facts (a situation, its requirements, whole solutions) test the
answer of their scenario template: the template and the key's steps are one fact, so the whole-solution and
the "Choose TWO" form of one answer never meet in an exam, and items sharing a step only touch.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from opsprep.questions import QuestionItem, QuestionType

__all__ = ["HANDS_ON_TYPES", "FactLedger", "ItemFacts", "item_facts", "related", "same_fact", "scenario"]

#: the pseudo-property of a thing's definition
DEFINITION = "http://www.w3.org/2004/02/skos/core#definition"
#: the pseudo-property of a hands-on item's scenario (the first sentence of its stem)
SCENARIO = "scenario"
#: item types that test a scenario (see the module docstring)
HANDS_ON_TYPES = frozenset({QuestionType.COMMAND, QuestionType.CODE_READING, QuestionType.TYPED, QuestionType.TASK})
#: template families of scenario items composed from capability facts, and where their templates live
SOLUTION_FAMILIES = ("solution-scenario/", "solution-steps/")
SCENARIO_TEMPLATES = "https://w3id.org/opsprep/id/scenario/"
_FIRST_SENTENCE = re.compile(r"(.+?[.?!])(?:\s|$)", re.S)


@dataclass(frozen=True)
class ItemFacts:
    """The facts one item tests and the things its stem and right options name."""

    triples: frozenset[tuple[str, frozenset[str]]] = frozenset()  # (property, {subject, value})
    slots: frozenset[tuple[str, str]] = frozenset()  # (subject, property) asked whole
    subject_slots: frozenset[tuple[str, str]] = frozenset()  # (subject, property) of every triple
    values: frozenset[tuple[str, str]] = frozenset()  # (property, value) of every triple
    whole_values: frozenset[tuple[str, str]] = frozenset()  # (property, value) every wrong option has
    stem: frozenset[str] = frozenset()  # things and values the stem names
    keys: frozenset[str] = frozenset()  # things and values the right options name
    defined: frozenset[str] = frozenset()  # things whose definition the item shows

    @property
    def things(self) -> frozenset[str]:
        """Everything the item names, asks about or defines."""
        named = {node for _, pair in self.triples for node in pair}
        return frozenset(named | self.stem | self.keys | self.defined)


def _local_name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def item_facts(item: QuestionItem, functional: Collection[str] = ()) -> ItemFacts:
    """The facts ``item`` tests; ``functional`` names the properties with one value per thing
    (``QuestionBank.facts.functional``: ``"agentModel"``, ...)."""
    if item.family == "definition":
        thing = item.about[0] if item.about else item.id
        asks_term = item.type is QuestionType.DEFINITION_TO_TERM
        return ItemFacts(
            triples=frozenset({(DEFINITION, frozenset({thing}))}),
            slots=frozenset({(thing, DEFINITION)}),
            subject_slots=frozenset({(thing, DEFINITION)}),
            stem=frozenset() if asks_term else frozenset({thing}),
            keys=frozenset({thing}) if asks_term else frozenset(),
            defined=frozenset({thing}),
        )
    keys = [a.key for a in item.answers]
    out: dict[str, set] = {name: set() for name in ("triples", "slots", "subject_slots", "values", "whole_values")}
    stem: set[str] = set()
    answers: set[str] = set()
    for claim in item.claims:
        if item.type is QuestionType.TRUE_FALSE:  # the claim is about the subject; True or False is shown
            subject = item.about[0] if item.about else ""
            pairs = [(subject, claim.target) if claim.forward else (claim.target, subject)]
            stem.update((subject, claim.target))
        elif claim.forward:  # the stem names the value, the right options are things that have it (or lack it)
            pairs = [(key, claim.target) for key in keys]
            stem.add(claim.target)
            answers.update(keys)
            if not claim.holds:
                out["whole_values"].add((claim.predicate, claim.target))
        else:  # the stem names the thing, the right options are its values
            pairs = [(claim.target, key) for key in keys]
            stem.add(claim.target)
            answers.update(keys)
            out["slots"].add((claim.target, claim.predicate))
        for subject, value in pairs:
            out["triples"].add((claim.predicate, frozenset({subject, value})))
            out["subject_slots"].add((subject, claim.predicate))
            out["values"].add((claim.predicate, value))
            if _local_name(claim.predicate) in functional:
                out["slots"].add((subject, claim.predicate))
    if item.template.startswith(SOLUTION_FAMILIES):
        # a scenario composed from capability facts tests its template's answer: the steps of the key
        steps = {step for a in item.answers for step in a.key.split("|")}
        template = next((i for i in item.about if i.startswith(SCENARIO_TEMPLATES)), item.template)
        out["triples"].add((SCENARIO, frozenset({template, *steps})))
        answers.update(steps)
    if item.type in HANDS_ON_TYPES:
        out["triples"].add((SCENARIO, frozenset({scenario(item.stem)})))
        stem.update(item.about)
        answers.update(a.iri for a in item.answers if a.iri and a.iri not in item.about)
    stem.discard("")
    return ItemFacts(
        **{name: frozenset(found) for name, found in out.items()}, stem=frozenset(stem), keys=frozenset(answers)
    )


def scenario(stem: str) -> str:
    """The scenario of a hands-on item: the first sentence of its stem, case-folded, spaces collapsed."""
    text = " ".join(stem.split())
    found = _FIRST_SENTENCE.match(text)
    return (found.group(1) if found else text).casefold()


@dataclass
class FactLedger:
    """The facts of the questions drawn so far, to check each candidate against all of them at once."""

    triples: set = field(default_factory=set)
    slots: set = field(default_factory=set)
    subject_slots: set = field(default_factory=set)
    values: set = field(default_factory=set)
    whole_values: set = field(default_factory=set)
    stem: set = field(default_factory=set)
    keys: set = field(default_factory=set)
    defined: set = field(default_factory=set)
    things: set = field(default_factory=set)

    @classmethod
    def of(cls, facts: Iterable[ItemFacts]) -> FactLedger:
        """A ledger holding ``facts``."""
        ledger = cls()
        for one in facts:
            ledger.add(one)
        return ledger

    def add(self, facts: ItemFacts) -> None:
        """Record the facts of a question drawn."""
        for name in ("triples", "slots", "subject_slots", "values", "whole_values", "stem", "keys", "defined"):
            getattr(self, name).update(getattr(facts, name))
        self.things.update(facts.things)

    def clashes(self, facts: ItemFacts) -> bool:
        """True when ``facts`` share a fact with a question drawn, or one names the right option of the other."""
        return bool(
            facts.triples & self.triples
            or facts.slots & self.subject_slots
            or facts.subject_slots & self.slots
            or facts.whole_values & self.values
            or facts.values & self.whole_values
            or facts.keys & self.stem
            or facts.stem & self.keys
        )

    def touches(self, facts: ItemFacts) -> bool:
        """True when ``facts`` have a key of a question drawn, or a definition meets a thing named."""
        return bool(facts.keys & self.keys or facts.defined & self.things or facts.things & self.defined)


def same_fact(a: ItemFacts, b: ItemFacts) -> bool:
    """True when two items test the same fact, or one's right option is named in the other's stem."""
    return FactLedger.of([a]).clashes(b)


def related(a: ItemFacts, b: ItemFacts) -> bool:
    """True when two items share a key, or one shows the definition of a thing the other names."""
    return FactLedger.of([a]).touches(b)
