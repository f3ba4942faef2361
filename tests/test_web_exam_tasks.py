"""A task-based exam in the web app: its shape on the exam list, answering tasks and typed commands with text,
partial credit on the result page with each requirement, the learner's own text and the model answer."""

from __future__ import annotations

import re

import pytest

from opsprep.questions import QuestionType
from opsprep.web.resources import BANK_KEY

from .test_engine_exam_tasks import MODEL_MARK, REQUIREMENTS, deployment_name, manifest, task_bank
from .web_helpers import AuthActions, app_progress, make_app

HOSTILE = "# <script>alert('mine')</script>\n"


@pytest.fixture
def task_app(tmp_path):
    app = make_app(tmp_path, EXAM_SHORT_QUESTIONS=4)
    app.extensions[BANK_KEY] = task_bank()
    return app


@pytest.fixture
def task_client(task_app):
    client = task_app.test_client()
    AuthActions(client).register("ada")
    return client


def start(client, cert: str, length: str = "full") -> int:
    response = client.post("/exam/start", data={"cert": cert, "length": length})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.fullmatch(r"/exam/(\d+)/1", response.location).group(1))


def attempt_of(app, attempt_id):
    with app_progress(app) as progress:
        return progress.learner(1).attempt(attempt_id)


def test_the_exam_list_shows_the_task_exams_shape(task_client):
    html = task_client.get("/exam/").get_data(as_text=True)
    assert "Full exam: 17 questions, 120 minutes" in html
    assert "Short practice: 4 questions, 29 minutes" in html  # 120 minutes for 17, at that pace
    assert "Pass mark 66%" in html and "Pass mark 75%" in html
    assert "tasks come first" in html


def test_starting_a_task_exam_and_answering_its_tasks_with_text(task_app, task_client):
    bank = task_app.extensions[BANK_KEY]
    attempt_id = start(task_client, "CKX")
    attempt = attempt_of(task_app, attempt_id)
    assert len(attempt.questions) == 17 and attempt.passing_fraction == 0.66
    tasks = [q for q in attempt.questions if bank.get(q.item_id).type is QuestionType.TASK]
    first, second = tasks[:2]
    page = task_client.get(f"/exam/{attempt_id}/{first.position}")
    assert page.status_code == 200
    assert MODEL_MARK not in page.get_data(as_text=True)  # the model answer only once finished

    partly = manifest(deployment_name(bank, first.item_id), {"replicas", "image", "tier"}, extra=HOSTILE)
    saved = task_client.post(
        f"/exam/{attempt_id}/{first.position}",
        data={"response": partly.replace("\n", "\r\n"), "action": "save"},
        headers={"Accept": "application/json"},
    )
    assert saved.status_code == 200 and saved.get_json()["answered"] == 1
    stored = attempt_of(task_app, attempt_id).question(first.position)
    assert stored.response == partly  # line ends as typed, made LF
    assert stored.score == pytest.approx(0.75) and stored.requirements_met == (3, 4)

    name = deployment_name(bank, second.item_id)
    task_client.post(f"/exam/{attempt_id}/{second.position}", data={"response": manifest(name, set())})
    again = task_client.post(f"/exam/{attempt_id}/{second.position}", data={"response": manifest(name)})
    assert again.status_code == 302  # changed before finishing: graded again
    assert attempt_of(task_app, attempt_id).question(second.position).correct is True

    flagged = task_client.post(f"/exam/{attempt_id}/{second.position}", data={"action": "flag"})
    assert flagged.status_code == 302  # a post without the field keeps the answer
    kept = attempt_of(task_app, attempt_id).question(second.position)
    assert kept.flagged and kept.correct is True

    task_client.post(f"/exam/{attempt_id}/finish")
    html = task_client.get(f"/exam/{attempt_id}/result").get_data(as_text=True)
    assert "<strong>1.75 of 17</strong> points" in html and "1 question wholly right" in html
    assert "Partly right" in html and "3 of 4 requirements met" in html and "4 of 4 requirements met" in html
    assert "&lt;script&gt;alert(" in html and "<script>alert(" not in html  # the learner's text, escaped
    assert MODEL_MARK in html  # the model answer
    assert html.count('class="unmet"') == 1 + 4 * (len(tasks) - 2)  # memory unmet, and each unanswered task's
    assert "Not answered" in html


def test_a_typed_answer_too_long_is_refused_and_kept_on_the_page(task_app, task_client):
    bank = task_app.extensions[BANK_KEY]
    attempt_id = start(task_client, "CKY", length="short")
    position = attempt_of(task_app, attempt_id).questions[0].position
    long_text = "a" * 20_001
    refused = task_client.post(f"/exam/{attempt_id}/{position}", data={"response": long_text, "action": "next"})
    assert refused.status_code == 400
    assert "at most 20,000 are accepted" in refused.get_data(as_text=True)
    assert not attempt_of(task_app, attempt_id).question(position).answered
    blank = task_client.post(f"/exam/{attempt_id}/{position}", data={"response": "   ", "action": "next"})
    assert blank.status_code == 302 and not attempt_of(task_app, attempt_id).question(position).answered
    item = attempt_of(task_app, attempt_id).questions[0].item_id
    task_client.post(f"/exam/{attempt_id}/{position}", data={"response": manifest(deployment_name(bank, item))})
    assert attempt_of(task_app, attempt_id).question(position).score == 1.0
    assert set(REQUIREMENTS) == {r.id for r in attempt_of(task_app, attempt_id).question(position).verdict.results}
