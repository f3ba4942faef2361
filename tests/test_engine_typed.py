"""Questions answered by typing in study sessions: graded, stored with their text and verdict, rated,
undone and read back; refused input writes nothing.

The bank is built by hand (no graph yet holds typed items): a kubectl command to type, a Deployment
manifest to write against three requirements, and a choice question that shows a manifest.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from opsprep.engine import AnswerResult, InvalidAnswer, Rating, open_store
from opsprep.engine.grading import (
    ANSWERED_BY_CHOOSING,
    ANSWERED_BY_TYPING,
    MAX_TYPED_CHARS,
    check_answer,
    check_typed,
)
from opsprep.engine.migrations import MIGRATIONS
from opsprep.engine.synthetic import synthetic_bank
from opsprep.questions import Choice, QuestionBank, QuestionItem, QuestionType
from opsprep.questions.model import Requirement, Response, item_id
from opsprep.questions.responses import Verdict

from .conftest import NOW

DEPLOY = json.dumps("Deployment")
SOURCE = "https://kubernetes.io/docs/reference/kubectl/generated/kubectl_rollout/kubectl_rollout_undo/"
ROLLBACK = "kubectl rollout undo deployment/web -n shop"
DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27
"""
#: the model answer with one requirement missed (two replicas instead of three)
TWO_REPLICAS = DEPLOYMENT.replace("replicas: 3", "replicas: 2")
SHOWN = """apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  selector:
    app: web
  ports:
    - port: 80
      targetPort: 8080
"""


def typed_items(domain: str) -> list[QuestionItem]:
    """A command to type, a manifest to write and a choice question showing a manifest, in that order."""
    common = {"domains": (domain,), "about": (), "difficulty": 0.5, "sources": (SOURCE,)}
    command = QuestionItem(
        id=item_id("test-typed", "rollout-undo"),
        template="test-typed",
        type=QuestionType.TYPED,
        stem="The Deployment web in the namespace shop runs a broken image. Type the command that rolls it back "
        "to its previous revision.",
        answers=(),
        distractors=(),
        explanation="kubectl rollout undo returns a Deployment to its previous revision.",
        response=Response(form="kubectl", accepted=(ROLLBACK,), language="shell"),
        **common,
    )
    task = QuestionItem(
        id=item_id("test-task", "deployment-web"),
        template="test-task",
        type=QuestionType.TASK,
        stem="Write a manifest for a Deployment web in the namespace shop.",
        answers=(),
        distractors=(),
        explanation="spec.replicas sets the number of Pods; each container names its image.",
        response=Response(
            form="manifest",
            model_answer=DEPLOYMENT,
            starter="apiVersion: apps/v1\nkind: Deployment\n",
            language="yaml",
            requirements=(
                Requirement(
                    "kind", "It is a Deployment named web.", "Deployment/web", "kind", "equals", '"Deployment"'
                ),
                Requirement("replicas", "It runs three Pods.", "Deployment/web", "spec.replicas", "equals", "3"),
                Requirement(
                    "image",
                    "Its container web runs nginx:1.27.",
                    "Deployment/web",
                    "spec.template.spec.containers[name=web].image",
                    "equals",
                    '"nginx:1.27"',
                ),
            ),
        ),
        **common,
    )
    reading = QuestionItem(
        id=item_id("test-reading", "service-web"),
        template="test-reading",
        type=QuestionType.CODE_READING,
        stem="Which port of the Pods does this Service send its traffic to?",
        answers=(Choice("8080", "8080"),),
        distractors=(Choice("80", "80"), Choice("30080", "30080"), Choice("443", "443")),
        explanation="targetPort is the Pods' port; port is the Service's own.",
        code=SHOWN,
        code_language="yaml",
        **common,
    )
    return [command, task, reading]


def typed_bank() -> QuestionBank:
    """The synthetic certification SYN holding only the three hand-made items (in its first domain)."""
    synthetic = synthetic_bank(items=1)
    return QuestionBank(synthetic.facts, typed_items(synthetic.catalog.certification("SYN").domain_iris[0]))


@pytest.fixture(scope="module")
def bank():
    return typed_bank()


def card_of(learner, template: str, now=NOW):
    """The study card of the bank's item made by ``template`` (answering the ones before it if need be)."""
    item = next(i for i in learner.progress.bank.items if i.template == template)
    return learner.current_showing(item.id, "SYN", now=now)


def snapshot(progress):
    return {t: progress.store.rows(f"SELECT * FROM {t}") for t in ("cards", "reviews", "undone_reviews")}


# -- the migration ---------------------------------------------------------------------------------


def test_the_migration_adds_the_typed_text_and_verdict_to_reviews_undone_reviews_and_exam_answers(tmp_path):
    path = tmp_path / "old.db"
    with Database(path) as db:
        MIGRATIONS.apply(db, stop_before="0010_typed_answers")
        db["learners"].insert({"id": 1, "name": "ada", "created_at": "2025-01-01T00:00:00.000000+00:00"})
        db["cards"].insert(
            {"id": 1, "learner_id": 1, "item_id": "q-1", "state": 1, "due": "2025-01-01T00:10:00.000000+00:00",
             "reps": 1, "lapses": 0}
        )  # fmt: skip
        db["reviews"].insert(
            {"learner_id": 1, "card_id": 1, "item_id": "q-1", "seed": 1, "correct": 1, "rating": 3,
             "state_before": 0, "reviewed_at": "2025-01-01T00:00:00.000000+00:00", "chosen": json.dumps(["A"])}
        )  # fmt: skip
        assert "response" not in db["reviews"].columns_dict
    with open_store(path) as store:
        for table in ("reviews", "undone_reviews", "exam_questions"):
            columns = store.db[table].columns_dict
            assert columns["response"] is str and columns["verdict"] is str, table
        assert store.rows("SELECT response, verdict FROM reviews") == [{"response": None, "verdict": None}]


def test_an_answer_stored_before_the_migration_reads_back_as_one_with_options(learner):
    card = card_of(learner, "test-reading")
    learner.submit(card.item.id, card.seed, card.presentation.correct_letters, 1000, now=NOW)
    stored = learner.answer(card.item.id, card.seed)
    assert stored.correct and stored.verdict is None and stored.response is None
    assert stored.chosen == card.presentation.correct_letters


# -- grading without storing -----------------------------------------------------------------------


def test_check_typed_grades_a_command_and_check_answer_refuses_it(bank):
    command = bank.items[0]
    presentation, verdict = check_typed(bank, command.id, 7, ROLLBACK)
    assert presentation.typed and presentation.options == ()
    assert isinstance(verdict, Verdict) and verdict.correct and verdict.score == 1.0
    assert ROLLBACK in verdict.expected
    _, wrong = check_typed(bank, command.id, 7, "kubectl rollout restart deployment/web -n shop")
    assert not wrong.correct and wrong.score == 0.0 and ROLLBACK in wrong.expected
    with pytest.raises(InvalidAnswer, match="answered by typing") as refused:
        check_answer(bank, command.id, 7, "A")
    assert str(refused.value) == ANSWERED_BY_TYPING


def test_check_typed_refuses_a_question_with_options(bank):
    reading = bank.items[2]
    with pytest.raises(InvalidAnswer) as refused:
        check_typed(bank, reading.id, 7, "8080")
    assert str(refused.value) == ANSWERED_BY_CHOOSING


@pytest.mark.parametrize("text", ["", " ", "\n\n", "\t \r\n"])
def test_blank_text_is_refused(bank, text):
    with pytest.raises(InvalidAnswer) as refused:
        check_typed(bank, bank.items[0].id, 7, text)
    assert str(refused.value) == "Type an answer."


def test_text_over_the_limit_is_refused_and_at_the_limit_is_graded(bank):
    longest = ROLLBACK + " " * (MAX_TYPED_CHARS - len(ROLLBACK))
    assert len(longest) == MAX_TYPED_CHARS
    assert check_typed(bank, bank.items[0].id, 7, longest)[1].correct in (True, False)
    with pytest.raises(InvalidAnswer, match="20,001 characters long; at most 20,000"):
        check_typed(bank, bank.items[0].id, 7, longest + "x")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=1, max_size=300).filter(lambda t: t.strip()))
def test_any_text_gets_a_verdict_and_never_an_error(bank, text):
    for item in bank.items[:2]:
        _, verdict = check_typed(bank, item.id, 7, text)
        assert 0.0 <= verdict.score <= 1.0
        assert verdict.correct == (verdict.score == 1.0) or not verdict.results


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=" \t\r\n\u00a0\u2003", max_size=50))
def test_whitespace_only_is_always_told_to_type_an_answer(bank, text):
    with pytest.raises(InvalidAnswer, match=r"^Type an answer\.$"):
        check_typed(bank, bank.items[1].id, 7, text)


# -- storing study answers -------------------------------------------------------------------------


def test_a_right_command_is_stored_with_its_text_and_verdict(learner, progress):
    card = card_of(learner, "test-typed")
    result = learner.submit(card.item.id, card.seed, ROLLBACK, 4000, now=NOW)
    assert result.correct and result.verdict.correct and result.rating == Rating.Good
    assert result.response == ROLLBACK and result.chosen == () and result.correct_letters == ()
    [row] = progress.store.rows("SELECT options, chosen, correct, response, verdict FROM reviews")
    assert (row["options"], row["chosen"], row["correct"], row["response"]) == ("[]", "[]", 1, ROLLBACK)
    assert Verdict.from_dict(json.loads(row["verdict"])) == result.verdict
    stored = learner.answer(card.item.id, card.seed)
    assert (stored.response, stored.verdict, stored.correct) == (ROLLBACK, result.verdict, True)


def test_a_wrong_command_is_rated_again_and_shows_the_accepted_forms(learner):
    card = card_of(learner, "test-typed")
    result = learner.submit(card.item.id, card.seed, "kubectl rollout history deployment/web", 4000, now=NOW)
    assert not result.correct and result.rating == Rating.Again
    assert ROLLBACK in result.verdict.expected


def test_a_task_scores_each_requirement_and_keeps_the_model_answer(learner):
    card = card_of(learner, "test-task")
    result = learner.submit(card.item.id, card.seed, TWO_REPLICAS, 60_000, now=NOW)
    verdict = result.verdict
    assert not result.correct and result.rating == Rating.Again
    assert [(r.id, r.met) for r in verdict.results] == [("kind", True), ("replicas", False), ("image", True)]
    assert verdict.score == pytest.approx(2 / 3)
    assert verdict.results[1].detail  # says what was found
    assert verdict.model_answer == DEPLOYMENT
    assert AnswerResult.from_dict(json.loads(json.dumps(result.to_dict()))) == result


def test_the_model_answer_of_the_task_meets_every_requirement(learner):
    card = card_of(learner, "test-task")
    result = learner.submit(card.item.id, card.seed, DEPLOYMENT, 60_000, now=NOW)
    assert result.correct and result.verdict.score == 1.0 and all(r.met for r in result.verdict.results)


def test_a_manifest_that_does_not_parse_is_a_wrong_answer_with_problems(learner):
    card = card_of(learner, "test-task")
    result = learner.submit(card.item.id, card.seed, "kind: Deployment\n  metadata: [oops\n", 60_000, now=NOW)
    assert not result.correct and result.verdict.problems
    assert result.verdict.score == 0.0


@pytest.mark.parametrize(
    ("chosen", "message"),
    [("", "Type an answer."), ("   \n", "Type an answer."), (["A"], ANSWERED_BY_TYPING)],
)
def test_refused_typed_answers_write_nothing(learner, progress, chosen, message):
    card = card_of(learner, "test-typed")
    before = snapshot(progress)
    with pytest.raises(InvalidAnswer) as refused:
        learner.submit(card.item.id, card.seed, chosen, 1000, now=NOW)
    assert str(refused.value) == message
    assert snapshot(progress) == before


def test_a_second_submission_of_the_showing_returns_the_first_text(learner, progress):
    card = card_of(learner, "test-typed")
    first = learner.submit(card.item.id, card.seed, ROLLBACK, 1000, now=NOW)
    again = learner.submit(card.item.id, card.seed, "kubectl delete deployment web", 1000, now=NOW)
    assert again.duplicate and again.response == ROLLBACK and again.verdict == first.verdict
    assert progress.store.scalar("SELECT count(*) FROM reviews") == 1


def test_rating_later_keeps_the_text_and_verdict(learner):
    card = card_of(learner, "test-typed")
    stored = learner.submit(card.item.id, card.seed, ROLLBACK, 1000, now=NOW, rate_later=True)
    [waiting] = learner.awaiting_rating()
    assert waiting.awaiting_rating and waiting.response == ROLLBACK and waiting.verdict == stored.verdict
    rated = learner.rate(card.item.id, card.seed, "easy", now=NOW + timedelta(seconds=5))
    assert rated.rating == Rating.Easy and rated.response == ROLLBACK and rated.verdict == stored.verdict
    assert not rated.awaiting_rating


def test_keeping_the_default_rating_keeps_the_text_and_verdict(learner):
    card = card_of(learner, "test-task")
    stored = learner.submit(card.item.id, card.seed, DEPLOYMENT, 1000, now=NOW, rate_later=True)
    kept = learner.keep_rating(card.item.id, card.seed, now=NOW + timedelta(seconds=5))
    assert kept.rating == Rating.Good and kept.response == DEPLOYMENT and kept.verdict == stored.verdict


def test_undo_keeps_what_was_typed_and_asks_the_same_showing_again(learner, progress):
    card = card_of(learner, "test-typed")
    stored = learner.submit(card.item.id, card.seed, ROLLBACK, 1000, now=NOW, rate_later=True)
    undone = learner.undo(card.item.id, card.seed, now=NOW + timedelta(seconds=3))
    assert undone.response == ROLLBACK and undone.verdict == stored.verdict
    [row] = progress.store.rows("SELECT response, verdict FROM undone_reviews")
    assert row["response"] == ROLLBACK and Verdict.from_dict(json.loads(row["verdict"])) == stored.verdict
    assert progress.store.scalar("SELECT count(*) FROM reviews") == 0
    again = learner.session("SYN").next(now=NOW + timedelta(seconds=4))
    assert (again.item.id, again.seed) == (card.item.id, card.seed) and again.presentation.typed
    asked = learner.undone_card("SYN", now=NOW + timedelta(seconds=4))
    assert asked is not None and asked.undone_text == ROLLBACK  # the field shows what was typed before
    text = "kubectl rollout status deployment/web"
    retried = learner.submit(again.item.id, again.seed, text, 1000, now=NOW + timedelta(seconds=9))
    assert not retried.correct and retried.response == text


def test_cram_answers_to_typed_questions_keep_the_schedule(learner):
    card = card_of(learner, "test-typed")
    first = learner.submit(card.item.id, card.seed, ROLLBACK, 1000, "easy", now=NOW)
    again = card_of(learner, "test-typed", now=NOW + timedelta(hours=1))
    crammed = learner.submit(again.item.id, again.seed, "nope", 1000, now=NOW + timedelta(hours=1), mode="cram")
    assert not crammed.correct and crammed.due == first.due


def test_the_study_card_of_a_typed_question_says_what_to_type_but_not_the_answer(learner):
    task = card_of(learner, "test-task").to_dict()
    assert task["typed"] is True and task["options"] == []
    assert task["response"]["form"] == "manifest" and task["response"]["language"] == "yaml"
    assert task["response"]["starter"].startswith("apiVersion: apps/v1")
    assert [r["text"] for r in task["response"]["requirements"]] == [
        "It is a Deployment named web.",
        "It runs three Pods.",
        "Its container web runs nginx:1.27.",
    ]
    command = card_of(learner, "test-typed").to_dict()
    for shown in (task, command):
        text = json.dumps(shown)
        assert "model_answer" not in text and "accepted" not in text
        assert "replicas: 3" not in text and ROLLBACK not in text
    reading = card_of(learner, "test-reading").to_dict()
    assert reading["typed"] is False and reading["response"] is None
    assert reading["code"] == SHOWN and reading["code_language"] == "yaml" and len(reading["options"]) == 4
