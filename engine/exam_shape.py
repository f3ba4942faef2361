"""The shape of a certification's exam: how many questions, how long, the pass mark and which kinds come first.

Most exams are multiple choice: their shape is the catalog's figures, and scenario items (a situation, its
requirements and whole solutions to choose from, as professional exams ask) are drawn before any other kind
where a domain has them. A performance-based exam (the outline's exam format says so: CKA and CKAD) is a set
of hands-on tasks scored with partial credit, so its shape asks for :data:`TASK_EXAM_COUNT` questions within
the outline's range, draws task items first, then typed, command and code-reading items, and only then
anything else in scope (so that an exam can still be drawn while the bank holds few hands-on items).

Figures the graph states win; one it does not state is assumed and named in :attr:`ExamShape.assumed`
with the catalog's names (``questionCount``, ``durationMinutes``, ``passingScore``), as
:attr:`opsprep.graph.catalog.Certification.assumed` does.

>>> from opsprep.engine.synthetic import synthetic_bank
>>> exam_shape(synthetic_bank(items=1).catalog.certification("SYN")).count
20
"""

from __future__ import annotations

from dataclasses import dataclass

from opsprep.graph.catalog import Certification
from opsprep.questions import QuestionType

__all__ = [
    "HANDS_ON_KINDS",
    "SCENARIO_KINDS",
    "TASK_EXAM_COUNT",
    "TASK_EXAM_MINUTES",
    "TASK_PASS_MARK",
    "ExamShape",
    "exam_shape",
    "performance_based",
]

#: questions in a performance-based exam (the outline states 15 to 20 tasks; kept within its range)
TASK_EXAM_COUNT = 17
#: minutes of a performance-based exam when the graph states no duration
TASK_EXAM_MINUTES = 120
#: the pass mark of a performance-based exam when the graph states none (an assumed figure)
TASK_PASS_MARK = 0.66
#: the kinds a performance-based exam draws, most wanted first; anything else in scope fills up after them
HANDS_ON_KINDS: tuple[frozenset[QuestionType], ...] = (
    frozenset({QuestionType.TASK}),
    frozenset({QuestionType.TYPED, QuestionType.COMMAND, QuestionType.CODE_READING}),
)

#: what a multiple-choice exam draws first: scenario items, then anything else in scope
SCENARIO_KINDS: tuple[frozenset[QuestionType], ...] = (frozenset({QuestionType.SCENARIO}),)


@dataclass(frozen=True)
class ExamShape:
    """How an exam of one certification is made: ``count`` questions in ``minutes``, passed at ``pass_mark``.

    ``kinds`` lists groups of item types in the order they are drawn (every group before the next, within
    each domain's share); an empty tuple draws every kind alike. ``assumed`` names the figures the graph
    does not state. Whatever the shape, a task item scores the share of its requirements met.
    """

    count: int
    minutes: int
    pass_mark: float
    kinds: tuple[frozenset[QuestionType], ...] = ()
    assumed: tuple[str, ...] = ()
    task_based: bool = False  # a performance-based exam: hands-on tasks first, each scored with partial credit

    def rank(self, kind: QuestionType) -> int:
        """The group an item type is drawn in: 0 for the first of ``kinds``; after them all, anything else."""
        return next((n for n, group in enumerate(self.kinds) if kind in group), len(self.kinds))

    def to_dict(self) -> dict:
        """JSON-ready dict."""
        return {
            "count": self.count,
            "minutes": self.minutes,
            "pass_mark": self.pass_mark,
            "kinds": [sorted(str(k) for k in group) for group in self.kinds],
            "task_based": self.task_based,
            "assumed": list(self.assumed),
        }


def performance_based(plan: Certification) -> bool:
    """True when the certification's exam format says it is performance-based (solved hands-on)."""
    return "performance-based" in (plan.exam_format or "").casefold()


def exam_shape(plan: Certification) -> ExamShape:
    """The exam shape of a certification: the catalog's figures, or the task-based shape of a
    performance-based exam (see the module docstring)."""
    if not performance_based(plan):
        assumed = tuple(a for a in plan.assumed if a in ("questionCount", "durationMinutes", "passingScore"))
        return ExamShape(plan.question_count, plan.minutes, plan.passing_fraction, SCENARIO_KINDS, assumed=assumed)
    assumed: list[str] = []
    low, high = plan.question_range or (plan.question_count, plan.question_count)
    count = min(max(TASK_EXAM_COUNT, low), high)
    if "questionCount" in plan.assumed:
        assumed.append("questionCount")
        count = TASK_EXAM_COUNT
    minutes = plan.minutes
    if "durationMinutes" in plan.assumed:
        assumed.append("durationMinutes")
        minutes = TASK_EXAM_MINUTES
    pass_mark = plan.passing_fraction
    if "passingScore" in plan.assumed:
        assumed.append("passingScore")
        pass_mark = TASK_PASS_MARK
    return ExamShape(count, minutes, pass_mark, HANDS_ON_KINDS, assumed=tuple(assumed), task_based=True)
