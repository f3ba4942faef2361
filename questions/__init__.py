"""Exam-style questions generated from the knowledge graph.

>>> from opsprep.graph import default_graph
>>> from opsprep.questions import build_bank, present
>>> bank = build_bank(default_graph())
>>> presentation = present(bank.items[0], seed=1)
"""

from .bank import QuestionBank, build_bank
from .cache import BankCache, cached_bank
from .model import TYPED_TYPES, Choice, Option, Presentation, QuestionItem, QuestionType, Requirement, Response
from .present import present
from .responses import RequirementResult, Verdict, grade_response

__all__ = [
    "BankCache",
    "Choice",
    "Option",
    "Presentation",
    "QuestionBank",
    "QuestionItem",
    "QuestionType",
    "Requirement",
    "RequirementResult",
    "Response",
    "TYPED_TYPES",
    "Verdict",
    "build_bank",
    "cached_bank",
    "grade_response",
    "present",
]
