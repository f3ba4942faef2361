"""Task-based exams (CKA, CKAD): the exam shape, tasks drawn first, typed answers graded as they are stored,
partial credit per requirement, the pass mark at its boundary, changing answers, timeouts and retakes.

The bank is built by hand: two performance-based certifications whose items are Deployment-manifest tasks
(four requirements each), typed kubectl commands, command and plain choice questions.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opsprep.engine import ExamClosed, InvalidAnswer, Progress
from opsprep.engine.exam_facts import item_facts, same_fact, scenario
from opsprep.engine.exam_shape import (
    HANDS_ON_KINDS,
    SCENARIO_KINDS,
    TASK_PASS_MARK,
    ExamShape,
    exam_shape,
    performance_based,
)
from opsprep.engine.synthetic import synthetic_bank
from opsprep.graph import default_graph
from opsprep.graph.catalog import Catalog, ExamDomain, certification, read_catalog
from opsprep.questions import Choice, QuestionBank, QuestionItem, QuestionType
from opsprep.questions.facts import Facts
from opsprep.questions.model import Claim, Requirement, Response, item_id

from .conftest import NOW

BASE = "https://example.org/"
FORMAT = "online proctored, performance-based tasks solved at the command line"
SOURCE = "https://kubernetes.io/docs/concepts/workloads/controllers/deployment/"
#: a requirement's id, path and the value that meets it; ``WRONG`` holds a value that does not
REQUIREMENTS = {
    "replicas": ("spec.replicas", 3),
    "image": ("spec.template.spec.containers[name=web].image", "nginx:1.27"),
    "tier": ("metadata.labels.tier", "frontend"),
    "memory": ("spec.template.spec.containers[name=web].resources.limits.memory", "128Mi"),
}
WRONG = {"replicas": 1, "image": "nginx:1.26", "tier": "backend", "memory": "256Mi"}
#: a line only the model answer has, to check that no page shows it before the attempt is finished
MODEL_MARK = "# model answer: every requirement met"


def manifest(name: str, met: frozenset[str] | set[str] = frozenset(REQUIREMENTS), extra: str = "") -> str:
    """A valid Deployment named ``name`` meeting exactly the requirements ``met`` (and ``extra`` lines first)."""
    value = {key: (want if key in met else WRONG[key]) for key, (_, want) in REQUIREMENTS.items()}
    return f"""{extra}apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  labels:
    tier: {value["tier"]}
spec:
  replicas: {value["replicas"]}
  selector:
    matchLabels:
      app: {name}
  template:
    metadata:
      labels:
        app: {name}
    spec:
      containers:
        - name: web
          image: {value["image"]}
          resources:
            limits:
              memory: {value["memory"]}
"""


def task_item(name: str, domain: str) -> QuestionItem:
    """A task: write the Deployment ``name`` with three replicas, an image, a label and a memory limit."""
    requirements = tuple(
        Requirement(key, f"{key} as asked", f"Deployment/{name}", path, "equals", json.dumps(want), "")
        for key, (path, want) in REQUIREMENTS.items()
    )
    return QuestionItem(
        id=item_id("test-task", name),
        template="k8s-task/deployment",
        type=QuestionType.TASK,
        stem=f"Write a Deployment named {name}: 3 replicas of nginx:1.27, labelled tier=frontend, 128Mi of memory.",
        answers=(),
        distractors=(),
        explanation="A Deployment keeps the stated number of Pod replicas running from its template.",
        sources=(SOURCE,),
        domains=(domain,),
        about=(),
        difficulty=0.6,
        response=Response(
            form="manifest",
            model_answer=manifest(name, extra=MODEL_MARK + "\n"),
            starter="apiVersion: apps/v1\nkind: Deployment\n",
            requirements=requirements,
            language="yaml",
        ),
    )


def typed_item(name: str, domain: str) -> QuestionItem:
    """A typed command: scale the Deployment ``name`` to five replicas."""
    return QuestionItem(
        id=item_id("test-typed", name),
        template="kubectl-typed/scale",
        type=QuestionType.TYPED,
        stem=f"Type the command that scales the Deployment {name} to 5 replicas.",
        answers=(),
        distractors=(),
        explanation="kubectl scale sets the replica count of a workload.",
        sources=("https://kubernetes.io/docs/reference/kubectl/generated/kubectl_scale/",),
        domains=(domain,),
        about=(),
        difficulty=0.5,
        response=Response(
            form="kubectl", accepted=(f"kubectl scale deployment {name} --replicas=5",), language="shell"
        ),
    )


def choice_item(kind: QuestionType, n: int, domain: str) -> QuestionItem:
    """A choice question (a command question or a plain single-answer one) with one right option."""
    return QuestionItem(
        id=item_id("test-choice", str(kind), str(n), domain),
        template=f"test-{kind}",
        type=kind,
        stem=f"Question {n} of kind {kind}: which is right?",
        answers=(Choice(f"right-{kind}-{n}", f"kubectl right answer {n}"),),
        distractors=tuple(Choice(f"wrong-{kind}-{n}-{k}", f"kubectl wrong answer {n}.{k}") for k in range(4)),
        explanation="One option is right.",
        sources=(f"{BASE}source/{n}",),
        domains=(domain,),
        about=(),
        difficulty=0.5,
    )


def task_bank() -> QuestionBank:
    """CKX (pass mark not stated: assumed) with two domains of 60 % and 40 %, and CKY (pass mark 75 %)."""
    ckx, cky = f"{BASE}cert/ckx", f"{BASE}cert/cky"
    d1, d2, y1 = f"{BASE}domain/ckx-1", f"{BASE}domain/ckx-2", f"{BASE}domain/cky-1"
    common = {"question_range": (15, 20), "minutes": 120, "exam_format": FORMAT}
    catalog = Catalog(
        (
            certification(
                ckx,
                "CKX",
                "Certified Example Administrator",
                [ExamDomain(d1, ckx, 1, "Workloads", weight=60.0), ExamDomain(d2, ckx, 2, "Networking", weight=40.0)],
                **common,
            ),
            certification(
                cky,
                "CKY",
                "Certified Example Developer",
                [ExamDomain(y1, cky, 1, "Design", weight=100.0)],
                passing_score=75.0,
                **common,
            ),
        )
    )
    items = [task_item(f"web{n}", d1) for n in range(6)] + [task_item(f"api{n}", d2) for n in range(3)]
    items += [typed_item(f"web{n}", d1) for n in range(3)] + [typed_item(f"api{n}", d2) for n in range(2)]
    items += [choice_item(QuestionType.COMMAND, n, d1) for n in range(3)] + [choice_item(QuestionType.COMMAND, 9, d2)]
    items += [choice_item(QuestionType.SINGLE, n, d) for d in (d1, d2) for n in range(10)]
    items += [task_item(f"dev{n}", y1) for n in range(5)]
    return QuestionBank(Facts(things={}, labels={}, catalog=catalog, covered_by={}), items)


@pytest.fixture(scope="module")
def bank() -> QuestionBank:
    return task_bank()


def deployment_name(bank: QuestionBank, item_id_: str) -> str:
    """The Deployment a task or typed item is about."""
    response = bank.get(item_id_).response
    return response.requirements[0].document.split("/")[1] if response.requirements else response.accepted[0].split()[3]


def answer_tasks(learner, bank, attempt, met_per_position: list[set[str]], now=NOW):
    """Answer each task of the attempt (in position order) meeting the requirements given for it."""
    for q, met in zip(attempt.questions, met_per_position, strict=True):
        learner.answer_exam(attempt.id, q.position, manifest(deployment_name(bank, q.item_id), met), now=now)


# ---------------------------------------------------------------------------------------------- the shape


def test_a_performance_based_exam_has_the_task_shape_with_its_assumed_pass_mark(bank):
    ckx = bank.catalog.certification("CKX")
    assert performance_based(ckx)
    assert exam_shape(ckx) == ExamShape(
        17, 120, TASK_PASS_MARK, HANDS_ON_KINDS, assumed=("passingScore",), task_based=True
    )
    assert exam_shape(ckx).task_based and TASK_PASS_MARK == 0.66
    assert exam_shape(bank.catalog.certification("CKY")).pass_mark == 0.75  # a pass mark the graph states wins


def test_other_exams_keep_the_catalogs_figures():
    plan = synthetic_bank(items=1).catalog.certification("SYN")
    assert exam_shape(plan) == ExamShape(20, 30, 0.7, SCENARIO_KINDS)
    assert not exam_shape(plan).task_based
    assert exam_shape(plan).rank(QuestionType.SCENARIO) == 0 and exam_shape(plan).rank(QuestionType.TASK) == 1


def test_the_shipped_cka_and_ckad_are_task_based_and_the_others_are_not():
    catalog = read_catalog(default_graph())
    shapes = {plan.code: exam_shape(plan) for plan in catalog}
    for code in ("CKA", "CKAD"):
        assert (shapes[code].count, shapes[code].minutes, shapes[code].task_based) == (17, 120, True)
        assert 15 <= shapes[code].count <= 20
    assert not shapes["DOP-C02"].task_based
    assert shapes["DOP-C02"].count == catalog.certification("DOP-C02").question_count
    assert exam_shape(catalog.certification("CKA")).to_dict()["kinds"][0] == ["task"]


# ---------------------------------------------------------------------------------------------- drawing


@pytest.mark.parametrize("seed", range(4))
def test_a_task_exam_draws_tasks_first_then_hands_on_items_by_domain_weight(bank, learner, seed):
    attempt = learner.start_exam("CKX", seed=seed, now=NOW)
    assert (len(attempt.questions), attempt.minutes, attempt.passing_fraction) == (17, 120, 0.66)
    plan = bank.catalog.certification("CKX")
    per_domain = Counter(plan.domain(q.domain).number for q in attempt.questions)
    assert per_domain == {1: 10, 2: 7}
    kinds = {
        n: Counter(bank.get(q.item_id).type for q in attempt.questions if plan.domain(q.domain).number == n)
        for n in (1, 2)
    }
    assert kinds[1][QuestionType.TASK] == 6 and kinds[2][QuestionType.TASK] == 3  # every task
    assert kinds[1][QuestionType.TYPED] + kinds[1][QuestionType.COMMAND] == 4 and not kinds[1][QuestionType.SINGLE]
    assert kinds[2][QuestionType.TYPED] + kinds[2][QuestionType.COMMAND] == 3 and kinds[2][QuestionType.SINGLE] == 1


def test_a_short_task_exam_keeps_the_pace(learner):
    attempt = learner.start_exam("CKX", count=5, seed=1, now=NOW)
    assert len(attempt.questions) == 5 and attempt.minutes == round(120 * 5 / 17)


def test_hands_on_items_with_one_scenario_are_one_fact_and_their_things_are_not_given_away(bank):
    typed = typed_item("web0", "d")
    chosen = replace(choice_item(QuestionType.COMMAND, 1, "d"), stem=typed.stem + " Which command does it?")
    other = typed_item("web1", "d")
    assert scenario(typed.stem) == scenario(chosen.stem) != scenario(other.stem)
    assert same_fact(item_facts(typed), item_facts(chosen)) and not same_fact(item_facts(typed), item_facts(other))
    about = replace(task_item("web0", "d"), about=(f"{BASE}kind/Deployment",))
    names_it = replace(
        choice_item(QuestionType.SINGLE, 2, "d"),
        answers=(Choice(f"{BASE}kind/Deployment", "Deployment"),),
        claims=(Claim(f"{BASE}kindOfWorkload", f"{BASE}workload/stateless"),),
    )
    assert same_fact(item_facts(names_it), item_facts(about))  # its right option is what the task is about


@pytest.fixture(scope="module")
def shipped(shipped_bank):
    return shipped_bank


def test_shipped_cka_and_ckad_exams_are_tasks_and_never_one_scenario_twice(shipped):
    with Progress.open(":memory:", shipped) as progress:
        learner = progress.learner(progress.create_learner("ada", now=NOW).id)
        for code in ("CKA", "CKAD"):
            attempt = learner.start_exam(code, seed=11, now=NOW)
            items = [shipped.get(q.item_id) for q in attempt.questions]
            assert (len(items), attempt.minutes, attempt.passing_fraction) == (17, 120, 0.66)
            assert all(item.type is QuestionType.TASK for item in items), code  # the bank has tasks to spare
            scenarios = [scenario(i.stem) for i in items]
            assert len(set(scenarios)) == len(scenarios), code


# ---------------------------------------------------------------------------------------------- answering


def test_a_task_scores_the_share_of_its_requirements_met(bank, learner):
    attempt = learner.start_exam("CKY", count=2, seed=3, now=NOW)
    first, second = attempt.questions
    name = deployment_name(bank, first.item_id)
    answered = learner.answer_exam(attempt.id, 1, manifest(name, {"replicas", "image", "tier"}), 1500, now=NOW)
    assert answered.answered and answered.response.startswith("apiVersion")
    assert answered.correct is False and answered.score == pytest.approx(0.75)
    assert answered.requirements_met == (3, 4)
    assert [r.id for r in answered.verdict.results if not r.met] == ["memory"]
    assert learner.attempt(attempt.id).to_dict()["questions"][0]["verdict"] is None  # hidden while open
    assert second.score == 0.0 and not second.answered
    result = learner.finish_exam(attempt.id, now=NOW + timedelta(minutes=5)).result
    assert (result.correct, result.total, result.score) == (0, 2, pytest.approx(0.75))
    assert result.fraction == pytest.approx(0.375) and result.partial and not result.passed
    assert result.domains[0].points == pytest.approx(0.75) and result.domains[0].fraction == pytest.approx(0.375)
    stored = learner.attempt(attempt.id)
    assert stored.question(1).verdict == answered.verdict  # read back from the stored JSON
    assert stored.to_dict()["questions"][0]["verdict"]["score"] == pytest.approx(0.75)


@pytest.mark.parametrize(
    ("cert", "met", "passed"),
    [
        ("CKY", [4, 4, 4, 0], True),  # 0.75: exactly the stated mark passes
        ("CKY", [4, 4, 3, 1], True),  # 0.75 from partial credit
        ("CKY", [4, 4, 3, 0], False),  # 0.6875: just short
        ("CKX", [4, 4, 0], True),  # 0.667 against the assumed 0.66
        ("CKX", [4, 3, 1], True),
        ("CKX", [4, 2, 1], False),  # 0.583
    ],
)
def test_pass_or_fail_at_the_boundary_of_the_pass_mark(bank, learner, cert, met, passed):
    attempt = learner.start_exam(cert, count=len(met), seed=5, now=NOW)
    assert all(bank.get(q.item_id).type is QuestionType.TASK for q in attempt.questions)
    keys = list(REQUIREMENTS)
    answer_tasks(learner, bank, attempt, [set(keys[:n]) for n in met])
    result = learner.finish_exam(attempt.id, now=NOW + timedelta(minutes=10)).result
    assert result.fraction == pytest.approx(sum(met) / 4 / len(met))
    assert result.passed is passed


def test_a_typed_answer_can_change_and_be_cleared_before_the_end(bank, learner, progress):
    attempt = learner.start_exam("CKY", count=1, seed=2, now=NOW)
    name = deployment_name(bank, attempt.questions[0].item_id)
    assert learner.answer_exam(attempt.id, 1, manifest(name, set()), now=NOW).score == 0.0
    regraded = learner.answer_exam(attempt.id, 1, manifest(name), now=NOW + timedelta(minutes=1))
    assert regraded.correct is True and regraded.score == 1.0 and regraded.requirements_met == (4, 4)
    assert regraded.answered_at == NOW + timedelta(minutes=1)
    cleared = learner.answer_exam(attempt.id, 1, "  \n", now=NOW)
    assert not cleared.answered and cleared.response is None and cleared.verdict is None and cleared.correct is None
    learner.answer_exam(attempt.id, 1, manifest(name), now=NOW)
    before = progress.store.rows("SELECT * FROM exam_questions")
    with pytest.raises(InvalidAnswer, match="answered by typing"):
        learner.answer_exam(attempt.id, 1, ["A"], now=NOW)
    with pytest.raises(InvalidAnswer, match="at most 20,000"):
        learner.answer_exam(attempt.id, 1, "x" * 20_001, now=NOW)
    assert learner.exam_answer_problem(attempt.id, 1, "x" * 20_001).startswith("That answer is 20,001 characters")
    assert learner.exam_answer_problem(attempt.id, 1, "") is None
    assert progress.store.rows("SELECT * FROM exam_questions") == before  # nothing of the refused answers stored
    assert learner.flag(attempt.id, 1, now=NOW).flagged and learner.attempt(attempt.id).question(1).answered


def test_a_typed_command_is_right_or_wrong_and_a_choice_question_still_takes_letters(bank, learner):
    attempt = learner.start_exam("CKX", seed=4, now=NOW)
    typed = next(q for q in attempt.questions if bank.get(q.item_id).type is QuestionType.TYPED)
    name = deployment_name(bank, typed.item_id)
    right = learner.answer_exam(attempt.id, typed.position, f"kubectl scale deploy {name} --replicas 5", now=NOW)
    assert right.correct is True and right.score == 1.0 and right.requirements_met is None
    wrong = learner.answer_exam(attempt.id, typed.position, f"kubectl scale deploy {name} --replicas 6", now=NOW)
    assert wrong.correct is False and wrong.score == 0.0 and wrong.verdict.expected
    choice = next(q for q in attempt.questions if bank.get(q.item_id).type is QuestionType.COMMAND)
    _, shown = learner.exam_question(attempt.id, choice.position)
    assert learner.answer_exam(attempt.id, choice.position, shown.correct_letters, now=NOW).score == 1.0
    with pytest.raises(InvalidAnswer):
        learner.answer_exam(attempt.id, choice.position, "kubectl get pods", now=NOW)


def test_when_time_runs_out_the_answers_given_are_scored_with_their_partial_credit(bank, learner):
    attempt = learner.start_exam("CKX", count=3, seed=6, now=NOW)
    first = attempt.questions[0]
    learner.answer_exam(attempt.id, 1, manifest(deployment_name(bank, first.item_id), {"replicas", "tier"}), now=NOW)
    late = attempt.deadline + timedelta(seconds=1)
    with pytest.raises(ExamClosed, match="Time is up"):
        learner.answer_exam(attempt.id, 2, manifest("anything"), now=late)
    assert learner.resume_exam("CKX", now=late) is None
    finished = learner.attempt(attempt.id)
    assert finished.finished and finished.result.timed_out
    assert finished.result.score == pytest.approx(0.5) and finished.result.fraction == pytest.approx(0.5 / 3)


def test_a_retake_asks_the_tasks_not_wholly_met_at_the_same_pass_mark(bank, learner):
    attempt = learner.start_exam("CKX", count=3, seed=7, now=NOW)
    answer_tasks(learner, bank, attempt, [set(REQUIREMENTS), {"replicas"}, set()])
    finished = learner.finish_exam(attempt.id, now=NOW + timedelta(minutes=3))
    assert {q.position for q in finished.missed} == {2, 3}
    retake = learner.retake_exam(attempt.id, seed=1, now=NOW + timedelta(hours=1))
    assert {q.item_id for q in retake.questions} == {q.item_id for q in finished.missed}
    assert retake.passing_fraction == 0.66 and not retake.questions[0].answered


# ---------------------------------------------------------------------------------------------- invariants

subsets = st.sets(st.sampled_from(sorted(REQUIREMENTS)))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(smaller=subsets, more=subsets, seed=st.integers(0, 2**31 - 1))
def test_scores_stay_in_0_to_1_and_never_drop_when_a_requirement_is_also_met(bank, smaller, more, seed):
    larger = smaller | more
    with Progress.open(":memory:", bank) as progress:
        learner = progress.learner(progress.create_learner("ada", now=NOW).id)
        attempt = learner.start_exam("CKY", count=2, seed=seed, now=NOW)
        names = [deployment_name(bank, q.item_id) for q in attempt.questions]
        low = learner.answer_exam(attempt.id, 1, manifest(names[0], smaller), now=NOW).score
        high = learner.answer_exam(attempt.id, 2, manifest(names[1], larger), now=NOW).score
        assert 0.0 <= low <= high <= 1.0
        assert low == pytest.approx(len(smaller) / 4) and high == pytest.approx(len(larger) / 4)
        result = learner.finish_exam(attempt.id, now=NOW + timedelta(minutes=1)).result
        assert 0.0 <= result.fraction <= 1.0 and result.fraction == pytest.approx((low + high) / 2)
        assert all(0.0 <= d.fraction <= 1.0 for d in result.domains)
        assert result.passed is (result.fraction >= 0.75 - 1e-9)
