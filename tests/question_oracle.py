"""An oracle for question items that reads the graph directly, independent of the generator."""

from __future__ import annotations

from rdflib import Graph

from opsprep.questions import QuestionItem, QuestionType
from opsprep.questions.model import Claim


class GraphOracle:
    """Answers "does this option satisfy the item's claims?" from the graph's triples."""

    def __init__(self, graph: Graph):
        self.triples = {(str(s), str(p), str(o)) for s, p, o in graph}

    def satisfies(self, option: str, claim: Claim) -> bool:
        triple = (option, claim.predicate, claim.target) if claim.forward else (claim.target, claim.predicate, option)
        return (triple in self.triples) == claim.holds

    def correct(self, item: QuestionItem, key: str) -> bool:
        """Whether the option with this key is correct, judged from the graph alone."""
        assert item.claims, f"{item.id} has no claims"
        if item.type == QuestionType.TRUE_FALSE:
            truth = all(self.satisfies(item.about[0], c) for c in item.claims)
            return key == ("true" if truth else "false")
        return all(self.satisfies(key, c) for c in item.claims)

    def check(self, item: QuestionItem) -> None:
        """Assert the item's answers are exactly the options true in the graph."""
        for answer in item.answers:
            assert self.correct(item, answer.key), f"{item.id} {item.stem!r}: answer {answer.text!r} is not true"
        for wrong in item.distractors:
            assert not self.correct(item, wrong.key), f"{item.id} {item.stem!r}: distractor {wrong.text!r} is true"
