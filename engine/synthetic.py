"""Synthetic question banks of any size, for benchmarks and tests (no graph needed).

>>> bank = synthetic_bank(items=30)
>>> len(bank), bank.catalog.certification("SYN").iri
(30, 'https://example.org/cert/syn')
"""

from __future__ import annotations

from opsprep.graph.catalog import Catalog, ExamDomain, certification
from opsprep.questions import Choice, QuestionBank, QuestionItem, QuestionType
from opsprep.questions.facts import Facts
from opsprep.questions.model import item_id

BASE = "https://example.org/"


def synthetic_bank(
    items: int = 100,
    weights: tuple[float, ...] = (50.0, 30.0, 20.0),
    *,
    code: str = "SYN",
    question_count: int = 20,
    minutes: int = 30,
    passing: tuple[float, float] = (700.0, 1000.0),
) -> QuestionBank:
    """A bank with one certification (exam code ``code``) whose domains have ``weights``.

    Item ``i`` serves domain ``i % len(weights)``; every seventh item also serves the next domain.
    Every fifth item is a "choose TWO" item, the others have one answer among four options.
    """
    cert = f"{BASE}cert/{code.lower()}"
    domains = [f"{BASE}domain/{code.lower()}-{n}" for n in range(1, len(weights) + 1)]
    catalog = Catalog(
        (
            certification(
                cert,
                code,
                f"Synthetic certification {code}",
                [
                    ExamDomain(domain, cert, number, f"Domain {number}", weight=weight)
                    for number, (domain, weight) in enumerate(zip(domains, weights, strict=True), 1)
                ],
                question_count=question_count,
                minutes=minutes,
                passing_score=passing[0],
                score_scale_max=passing[1],
            ),
        )
    )
    facts = Facts(things={}, labels={}, catalog=catalog, covered_by={})
    return QuestionBank(facts, [_item(i, domains) for i in range(items)])


def _item(i: int, domains: list[str]) -> QuestionItem:
    n = len(domains)
    serves = (domains[i % n],) if i % 7 or n == 1 else (domains[i % n], domains[(i + 1) % n])
    multiple = i % 5 == 0
    answers = tuple(Choice(f"answer-{i}-{k}", f"Right answer {k} to question {i}") for k in range(2 if multiple else 1))
    return QuestionItem(
        id=item_id("synthetic", str(i)),
        template="synthetic",
        type=QuestionType.MULTIPLE if multiple else QuestionType.SINGLE,
        stem=f"Synthetic question {i}: which is right?" + (" (Choose TWO.)" if multiple else ""),
        answers=answers,
        distractors=tuple(Choice(f"wrong-{i}-{k}", f"Wrong answer {k} to question {i}") for k in range(6)),
        explanation=f"Question {i} has a right answer.",
        sources=(f"{BASE}source/{i}",),
        domains=serves,
        about=(),
        difficulty=0.5,
        option_count=5 if multiple else 4,
    )
