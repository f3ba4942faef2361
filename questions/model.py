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
    COMMAND = "command"  # choose the command or flag for a task (options are command lines)
    CODE_READING = "code_reading"  # a manifest, configuration or plan is shown; options say what it does
    TYPED = "typed"  # type a command, field path or value; graded by questions.typed_answers
    TASK = "task"  # write or fix a manifest or configuration; graded requirement by requirement


#: item types answered by typing rather than choosing options
TYPED_TYPES = frozenset({QuestionType.TYPED, QuestionType.TASK})


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


@dataclass(frozen=True)
class Requirement:
    """One stated requirement of a task, checked against the learner's parsed manifest or configuration.

    ``document`` picks what is checked: a Kubernetes ``"Kind"`` or ``"Kind/name"`` in a manifest, or an
    HCL block address such as ``"resource.aws_instance.web"``. ``path`` is a dotted path into it
    (``spec.template.spec.containers[*].image``; ``[*]`` is any element, ``[name=web]`` the element whose
    ``name`` is ``web``). ``op`` is one of :data:`questions.task_checks.OPS` and ``value`` its operand as
    JSON text. ``fact`` is the graph node whose fact the requirement rests on (its page is the source).
    """

    id: str
    text: str
    document: str
    path: str
    op: str
    value: str = "null"
    fact: str = ""

    def to_dict(self) -> dict:
        """Plain dict form."""
        return asdict(self)


@dataclass(frozen=True)
class Response:
    """What a typed or task item expects, and what the learner is shown afterwards.

    ``form`` says how a typed answer is normalised before comparison: ``"kubectl"``, ``"terraform"``,
    ``"helm"``, ``"etcdctl"``, ``"kubeadm"``, ``"command"`` (any other command line), ``"field_path"`` or
    ``"value"``; for tasks ``"manifest"`` (Kubernetes YAML) or ``"hcl"`` (Terraform configuration).
    ``accepted`` lists the canonical forms that are right (the first is shown as the answer);
    ``model_answer`` is a complete solution of a task; ``starter`` what the editor starts with.
    """

    form: str
    accepted: tuple[str, ...] = ()
    model_answer: str = ""
    starter: str = ""
    requirements: tuple[Requirement, ...] = ()
    language: str = ""  # "yaml", "hcl", "shell" or "" — how the editor and code blocks show text

    def to_dict(self) -> dict:
        """Plain dict form."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Response:
        """Inverse of :meth:`to_dict`."""
        values = dict(data)
        values["accepted"] = tuple(values.get("accepted", ()))
        values["requirements"] = tuple(Requirement(**r) for r in values.get("requirements", ()))
        return cls(**values)


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
    code: str = ""  # a manifest, configuration, plan or command output shown with the stem
    code_language: str = ""  # "yaml", "hcl", "shell", "text"
    response: Response | None = None  # typed and task items: what is expected (no options)

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
        if values.get("response") is not None:
            values["response"] = Response.from_dict(values["response"])
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
    code: str = ""
    code_language: str = ""
    response: Response | None = None

    @property
    def typed(self) -> bool:
        """Whether the learner types (a command, value, manifest or configuration) instead of choosing."""
        return self.response is not None

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
