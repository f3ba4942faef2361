"""Exam-style questions generated from the knowledge graph.

>>> from opsprep.graph import default_graph
>>> from opsprep.questions import build_bank, present
>>> bank = build_bank(default_graph())
>>> presentation = present(bank.items[0], seed=1)
"""

from .bank import QuestionBank, build_bank
from .cache import BankCache, cached_bank
from .model import Choice, Option, Presentation, QuestionItem, QuestionType
from .present import present

__all__ = [
    "BankCache",
    "Choice",
    "Option",
    "Presentation",
    "QuestionBank",
    "QuestionItem",
    "QuestionType",
    "build_bank",
    "cached_bank",
    "present",
]
