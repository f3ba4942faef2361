"""``opsprep study`` with questions answered by typing: one-line commands, multi-line manifests ended by a
line holding a single ``.`` (or the end of input), the verdict requirement by requirement, code shown with a
question, and ``q``/``u`` as with options."""

from __future__ import annotations

from dataclasses import replace

import pytest

from opsprep.cli import cli
from opsprep.engine import Progress
from opsprep.engine.synthetic import synthetic_bank
from opsprep.questions import QuestionBank

from .test_engine_typed import DEPLOYMENT, ROLLBACK, TWO_REPLICAS, typed_items


def bank_of(template: str) -> QuestionBank:
    """The certification SYN holding one of the hand-made items of ``test_engine_typed``."""
    synthetic = synthetic_bank(items=1)
    items = typed_items(synthetic.catalog.certification("SYN").domain_iris[0])
    return QuestionBank(synthetic.facts, [i for i in items if i.template == template])


@pytest.fixture
def study(runner, tmp_path, monkeypatch):
    """Run ``opsprep study --cert SYN`` over a one-question bank; return the result and the database path."""
    db = tmp_path / "progress.db"

    def run(template: str | QuestionBank, typed: str, *args: str):
        bank = template if isinstance(template, QuestionBank) else bank_of(template)
        monkeypatch.setattr("opsprep.cli.study.settings_bank", lambda settings: bank)
        argv = ["study", "--cert", "SYN", "--db", str(db), "--learner", "ada", *args]
        result = runner.invoke(cli, argv, input=typed)
        assert result.exit_code == 0, result.output
        return result, bank

    run.db = db
    return run


def reviews(db, bank) -> list[dict]:
    with Progress.open(db, bank) as progress:
        return progress.store.rows("SELECT response, correct, rating FROM reviews ORDER BY id")


def flat(text: str) -> str:
    """The output without the wrapping to the terminal's width."""
    return " ".join(text.split())


def test_a_right_command_shows_the_answer_and_asks_how_it_went(study):
    result, bank = study("test-typed", f"{ROLLBACK}\n\n", "-n", "1")
    out = flat(result.output)
    assert "Type the command (Enter to submit)> " in result.output
    assert "Right." in out and f"The answer: {ROLLBACK}" in out
    assert "Why: kubectl rollout undo returns a Deployment" in out and "Source: https://kubernetes.io/" in out
    assert "(rated good)." in out
    assert reviews(study.db, bank) == [{"response": ROLLBACK, "correct": 1, "rating": 3}]


def test_a_wrong_command_is_rated_again_without_asking(study):
    result, bank = study("test-typed", "kubectl rollout restart deployment/web -n shop\n", "-n", "1")
    out = flat(result.output)
    assert "Wrong." in out and f"The answer: {ROLLBACK}" in out
    assert "How was it?" not in out and "Next review in 1m (rated again)." in out
    assert reviews(study.db, bank)[0]["response"] == "kubectl rollout restart deployment/web -n shop"


def test_a_near_miss_says_what_is_off(study):
    result, _ = study("test-typed", "kubectl rollout undo deployment/web\n", "-n", "1")
    out = flat(result.output)
    assert "Wrong. Almost: " in out and "Problem:" not in out and f"The answer: {ROLLBACK}" in out


def test_an_empty_answer_is_asked_again(study):
    result, bank = study("test-typed", f"\n   \n{ROLLBACK}\n\n", "-n", "1")
    assert result.output.count("Type an answer.") == 2
    assert len(reviews(study.db, bank)) == 1


def test_q_quits_without_storing_anything(study):
    result, bank = study("test-typed", "q\n")
    assert "Answered 0, 0 right." in result.output
    assert reviews(study.db, bank) == []


def test_a_manifest_ends_with_a_single_dot_and_the_verdict_lists_every_requirement(study):
    result, bank = study("test-task", TWO_REPLICAS + ".\n", "-n", "1")
    out = flat(result.output)
    assert "Type or paste; finish with a line containing only a single ." in result.output
    assert "Requirements: - It is a Deployment named web. - It runs three Pods." in out
    assert "Start from: apiVersion: apps/v1 kind: Deployment" in out
    assert "Wrong." in out and "2 of 3 requirements met:" in out
    lines = result.output.splitlines()
    assert any(line.startswith("  ✓ It is a Deployment named web.") for line in lines)
    assert any(line.startswith("  ✗ It runs three Pods. — ") for line in lines)  # with what was found
    assert "Model answer:" in lines
    model = lines[lines.index("Model answer:") + 1 :]
    assert model[: len(DEPLOYMENT.splitlines())] == [f"    {line}" for line in DEPLOYMENT.splitlines()]
    assert "Next review in 1m (rated again)." in out
    assert reviews(study.db, bank) == [{"response": TWO_REPLICAS, "correct": 0, "rating": 1}]


def test_the_end_of_input_also_ends_a_manifest(study):
    result, bank = study("test-task", DEPLOYMENT)
    out = flat(result.output)
    assert "Right." in out and "3 of 3 requirements met:" in out
    assert "Not rated: your answer is kept, rated good (the default)." in out
    assert reviews(study.db, bank) == [{"response": DEPLOYMENT, "correct": 1, "rating": 3}]


def test_a_manifest_that_does_not_parse_shows_its_problems(study):
    result, _ = study("test-task", "kind: Deployment\n  metadata: [oops\n.\n", "-n", "1")
    out = flat(result.output)
    assert "Wrong." in out and "Problem: " in out and "Model answer:" in out


def test_q_on_the_first_line_of_a_manifest_quits(study):
    result, bank = study("test-task", "q\n")
    assert "Answered 0, 0 right." in result.output
    assert reviews(study.db, bank) == []


def test_a_dot_alone_is_an_empty_answer(study):
    result, bank = study("test-task", ".\n" + DEPLOYMENT + ".\n", "-n", "1")
    assert "Type an answer." in result.output
    assert reviews(study.db, bank)[0]["response"] == DEPLOYMENT


def test_code_shown_with_a_question_is_indented_and_not_wrapped(study):
    result, _ = study("test-reading", "q\n")
    lines = result.output.splitlines()
    assert "    apiVersion: v1" in lines and "        - port: 80" in lines and "          targetPort: 8080" in lines
    assert any(line.strip().startswith("1. ") for line in lines)  # its options follow


def test_u_undoes_a_typed_answer_and_asks_it_again(study):
    wrong = "kubectl rollout history deployment/web"
    result, bank = study("test-typed", f"{wrong}\nu\n{ROLLBACK}\n\n", "-n", "2")
    out = flat(result.output)
    assert "Undone: your last answer (rated again). Here it is again." in out
    assert reviews(study.db, bank) == [{"response": ROLLBACK, "correct": 1, "rating": 3}]
    with Progress.open(study.db, bank) as progress:
        assert progress.store.rows("SELECT response FROM undone_reviews") == [{"response": wrong}]


def test_a_stem_that_lists_the_requirements_shows_them_once_a_line(study):
    task = bank_of("test-task")
    texts = [r.text for r in task.items[0].response.requirements]
    stem = "Write a manifest for a Deployment web.\nRequirements:\n" + "\n".join(f"- {t}" for t in texts)
    listed = QuestionBank(task.facts, [replace(task.items[0], stem=stem)])
    result, _ = study(listed, "q\n")
    lines = result.output.splitlines()
    assert [f"- {t}" for t in texts] == [line for line in lines if line.startswith("- ")]
    assert result.output.count("It runs three Pods.") == 1
