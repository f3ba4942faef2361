"""Question items and their presentations, as typed value objects with dict round trips."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from enum import StrEnum


class QuestionType(StrEnum):
    """The kinds of question the generator produces."""

    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true_false"
    EQUIVALENT = "equivalent"
    ODD_ONE_OUT = "odd_one_out"
    SCENARIO = "scenario"
    DEFINITION_TO_TERM = "definition_to_term"
    TERM_TO_DEFINITION = "term_to_definition"


@dataclass(frozen=True)
class Choice:
    """One possible option: a key (an IRI, a literal value, or True/False) and the text shown."""

    key: str
    text: str
    similarity: float = 0.0  # to the answer, 0..1: nearer distractors are harder
    note: str = ""  # the fact that makes this option right or wrong, for explanations
    iri: str = ""  # the graph thing behind the option, when there is one
    proof: str = ""  # for a wrong option: the kind of graph fact that rules it out (see questions.proof)
    contrast: str = ""  # for a wrong option: what it has in common with the answer ("both run on AWS")

    def to_dict(self) -> dict:
        """Plain dict form."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Choice:
        """Inverse of :meth:`to_dict`."""
        return cls(**data)


@dataclass(frozen=True)
class Claim:
    """What makes an option correct, checkable against the graph.

    An option ``o`` satisfies the claim when the triple ``(o, predicate, target)`` (``forward``) or
    ``(target, predicate, o)`` (not ``forward``) is in the graph, compared by string value for literals;
    ``holds=False`` inverts it (odd one out). An option is correct when it satisfies every claim.
    For true/false items the claims are about the item's subject (``about[0]``), and "True" is correct
    exactly when the subject satisfies them.
    """

    predicate: str
    target: str
    forward: bool = True
    holds: bool = True

    def to_dict(self) -> dict:
        """Plain dict form."""
        return asdict(self)


def item_id(template_id: str, *iris: str) -> str:
    """A stable id from the template id and the IRIs (or values) the item is about."""
    digest = hashlib.sha256("|".join((template_id, *iris)).encode()).hexdigest()
    return f"q-{digest[:16]}"


@dataclass(frozen=True)
class QuestionItem:
    """One testable fact (or small group of facts), the unit spaced repetition schedules.

    ``answers`` are all correct; ``distractors`` are provably wrong and ranked nearest first.
    A presentation shows ``answer_count`` answers and enough distractors to fill the options.
    """

    id: str
    template: str
    type: QuestionType
    stem: str
    answers: tuple[Choice, ...]
    distractors: tuple[Choice, ...]
    explanation: str
    sources: tuple[str, ...]
    domains: tuple[str, ...]
    about: tuple[str, ...]  # IRIs of the graph things the item is about
    difficulty: float
    option_count: int = 4
    claims: tuple[Claim, ...] = ()

    @property
    def family(self) -> str:
        """The template family: what kind of fact it asks ("definition", "category", "agent-model"...),
        whatever the shape or the class of thing (term → definition and definition → term are one family)."""
        head = self.template.split("/", 1)[0]
        if head in ("definition-to-term", "term-to-definition"):
            return "definition"
        for prefix in ("tool-", "service-", "topic-"):
            if head.startswith(prefix):
                return head[len(prefix) :]
        return head

    @property
    def answer_count(self) -> int:
        """How many options of a presentation are correct."""
        return len(self.answers)

    def to_dict(self) -> dict:
        """Plain dict form (JSON-ready)."""
        data = asdict(self)
        data["type"] = str(self.type)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> QuestionItem:
        """Inverse of :meth:`to_dict`."""
        values = dict(data)
        values["type"] = QuestionType(values["type"])
        values["answers"] = tuple(Choice.from_dict(c) for c in values["answers"])
        values["distractors"] = tuple(Choice.from_dict(c) for c in values["distractors"])
        for key in ("sources", "domains", "about"):
            values[key] = tuple(values[key])
        values["claims"] = tuple(Claim(**c) for c in values.get("claims", ()))
        return cls(**values)


@dataclass(frozen=True)
class Option:
    """An option as shown: its letter, text and whether it is correct."""

    letter: str
    key: str
    text: str
    correct: bool
    note: str = ""
    iri: str = ""


@dataclass(frozen=True)
class Presentation:
    """One showing of an item: options drawn and ordered from a seed."""

    item_id: str
    seed: int
    type: QuestionType
    stem: str
    options: tuple[Option, ...]
    explanation: str
    sources: tuple[str, ...]
    domains: tuple[str, ...] = field(default=())

    @property
    def correct_letters(self) -> tuple[str, ...]:
        """Letters of the correct options, in display order."""
        return tuple(o.letter for o in self.options if o.correct)

    def to_dict(self) -> dict:
        """Plain dict form (JSON-ready)."""
        data = asdict(self)
        data["type"] = str(self.type)
        data["correct"] = list(self.correct_letters)
        return data
