"""Verdicts on typed answers and tasks, and the one entry point that grades them.

>>> from opsprep.questions import Response, grade_response
>>> grade_response(Response("kubectl", accepted=("kubectl get pods -n dev",)), "k get po --namespace=dev").correct
True
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .model import Response


@dataclass(frozen=True)
class RequirementResult:
    """Whether one requirement of a task is met, and what was found (``detail``)."""

    id: str
    text: str
    met: bool
    detail: str

    def to_dict(self) -> dict:
        """Plain dict form."""
        return asdict(self)


@dataclass(frozen=True)
class Verdict:
    """The grade of a typed answer or a task.

    ``correct``: every requirement is met and nothing could not be read (tasks), or the text matches an accepted
    form (typed). ``score``: the share of requirements met, 0..1 (typed: 0 or 1). ``results``: one per requirement,
    in order (typed: none). ``problems``: what could not be read or breaks the schema, with line numbers when
    known, and for a near miss of a typed answer a one-line hint. ``expected``: the accepted forms (typed);
    ``model_answer``: the complete solution (tasks), both to show after grading.
    """

    correct: bool
    score: float
    results: tuple[RequirementResult, ...] = ()
    problems: tuple[str, ...] = ()
    expected: tuple[str, ...] = ()
    model_answer: str = ""

    def to_dict(self) -> dict:
        """Plain dict form (JSON-ready)."""
        data = asdict(self)
        for key in ("results", "problems", "expected"):
            data[key] = list(data[key])
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Verdict:
        """Inverse of :meth:`to_dict`."""
        return cls(
            correct=bool(data["correct"]),
            score=float(data["score"]),
            results=tuple(RequirementResult(**r) for r in data.get("results", ())),
            problems=tuple(data.get("problems", ())),
            expected=tuple(data.get("expected", ())),
            model_answer=data.get("model_answer", ""),
        )


def grade_response(response: Response, text: str) -> Verdict:
    """Grade the learner's ``text`` against what ``response`` expects; never raises on learner text.

    Typed forms (``kubectl``, ``terraform``, ``helm``, ``etcdctl``, ``kubeadm``, ``command``, ``field_path``,
    ``value``) are graded by :func:`questions.typed_answers.grade_typed`, tasks (``manifest``, ``hcl``) by
    :func:`questions.task_checks.grade_task`. An unknown form is a fault of the item and raises ``ValueError``.
    """
    from . import task_checks, typed_answers  # they build Verdicts, so they import this module

    if response.form in task_checks.TASK_FORMS:
        return task_checks.grade_task(response, text)
    return typed_answers.grade_typed(response, text)
