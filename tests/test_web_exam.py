"""Exam mode in the web app: starting, answering, flags, moving around, the clock, resuming and results."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime, timedelta

import pytest

from opsprep.engine import open_store
from opsprep.engine.clock import to_text
from opsprep.engine.synthetic import synthetic_bank
from opsprep.web.resources import BANK_KEY

from .web_helpers import AuthActions, app_progress, csrf_token, make_app

HOSTILE = "<script>alert('stem')</script>"


def start(client, length="short", cert="DOP-C02") -> int:
    response = client.post("/exam/start", data={"cert": cert, "length": length})
    assert response.status_code == 302, response.get_data(as_text=True)
    found = re.fullmatch(r"/exam/(\d+)/1", response.location)
    assert found, response.location
    return int(found.group(1))


def attempt_of(app, attempt_id, learner_id=1):
    with app_progress(app) as progress:
        return progress.learner(learner_id).attempt(attempt_id)


def right_and_wrong(app, attempt_id, position, learner_id=1):
    """The correct letters of a question, and one wrong letter."""
    with app_progress(app) as progress:
        _, presentation = progress.learner(learner_id).exam_question(attempt_id, position)
    return list(presentation.correct_letters), next(o.letter for o in presentation.options if not o.correct)


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.location)
    return response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/exam/"),
        ("post", "/exam/start"),
        ("get", "/exam/1/"),
        ("get", "/exam/1/1"),
        ("post", "/exam/1/1"),
        ("get", "/exam/1/review"),
        ("post", "/exam/1/finish"),
        ("get", "/exam/1/result"),
        ("post", "/exam/1/retake"),
        ("get", "/exam/history"),
        ("get", "/exam/history/DOP-C02"),
    ],
)
def test_every_exam_page_needs_a_login(app, method, url):
    response = getattr(app.test_client(), method)(url)
    assert response.status_code == 302 and response.location.startswith("/login")


def test_the_list_offers_a_full_and_a_short_exam(client):
    html = page(client, "/exam/")
    assert "Full exam: 75 questions, 180 minutes" in html
    assert "Short practice: 10 questions, 24 minutes" in html
    assert "Pass mark 75% (750 of 1000)" in html
    assert "No exams yet" in html


def test_a_question_page_shows_options_but_never_which_are_right(app, client):
    attempt_id = start(client)
    attempt = attempt_of(app, attempt_id)
    # the mini graph has four DOP-C02 questions, two of them about Ansible's agent model: an exam asks one
    assert len(attempt.questions) == 3
    for q in attempt.questions:
        html = page(client, f"/exam/{attempt_id}/{q.position}")
        with app_progress(app) as progress:
            _, presentation = progress.learner(1).exam_question(attempt_id, q.position)
        for option in presentation.options:
            assert f'value="{option.letter}"' in html and str(option.text) in html
        if presentation.explanation not in presentation.stem:
            assert presentation.explanation not in html
        assert "correct" not in html.lower()
        assert 'role="timer"' in html and f"question {q.position} of 3" in html


def test_answers_are_saved_and_buttons_move_between_questions(app, client):
    attempt_id = start(client)
    right, _ = right_and_wrong(app, attempt_id, 1)
    response = client.post(f"/exam/{attempt_id}/1", data={"choice": right, "action": "next"})
    assert response.location == f"/exam/{attempt_id}/2"
    assert attempt_of(app, attempt_id).question(1).chosen == tuple(right)
    assert client.post(f"/exam/{attempt_id}/2", data={"action": "prev"}).location == f"/exam/{attempt_id}/1"
    assert client.post(f"/exam/{attempt_id}/2", data={"action": "goto-3"}).location == f"/exam/{attempt_id}/3"
    assert client.post(f"/exam/{attempt_id}/3", data={"action": "next"}).location == f"/exam/{attempt_id}/review"
    assert client.post(f"/exam/{attempt_id}/2", data={"action": "review"}).location == f"/exam/{attempt_id}/review"
    html = page(client, f"/exam/{attempt_id}/1")
    assert re.search(rf'value="{right[0]}"\s+checked', html)
    assert 'class="palette-item answered"' in html
    # sending no choice clears the answer
    client.post(f"/exam/{attempt_id}/1", data={"action": "next"})
    assert attempt_of(app, attempt_id).question(1).chosen == ()


def test_flag_for_review(app, client):
    attempt_id = start(client)
    assert client.post(f"/exam/{attempt_id}/2", data={"action": "flag"}).location == f"/exam/{attempt_id}/2"
    assert attempt_of(app, attempt_id).flagged == (2,)
    html = page(client, f"/exam/{attempt_id}/2")
    assert 'aria-pressed="true"' in html and "Question 2, unanswered, flagged" in html
    review = page(client, f"/exam/{attempt_id}/review")
    assert "Flagged for review" in review and f'href="/exam/{attempt_id}/2">Question 2' in review
    client.post(f"/exam/{attempt_id}/2", data={"action": "unflag"})
    assert attempt_of(app, attempt_id).flagged == ()


def test_background_save_answers_json(app, client):
    attempt_id = start(client)
    right, _ = right_and_wrong(app, attempt_id, 3)
    response = client.post(
        f"/exam/{attempt_id}/3", data={"choice": right, "action": "save"}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body.pop("shown_at") and body == {"answered": 1, "chosen": right, "flagged": False}


def test_an_interrupted_exam_resumes_at_the_first_unanswered_question(app, client):
    attempt_id = start(client)
    for position in (1, 2):
        right, _ = right_and_wrong(app, attempt_id, position)
        client.post(f"/exam/{attempt_id}/{position}", data={"choice": right})
    html = page(client, "/exam/")
    assert "In progress:</strong> 2 of 3 answered" in html and f'href="/exam/{attempt_id}/"' in html
    assert client.get(f"/exam/{attempt_id}/").location == f"/exam/{attempt_id}/3"
    # starting again carries on with the same attempt
    assert client.post("/exam/start", data={"cert": "DOP-C02"}).location == f"/exam/{attempt_id}/"
    with open_store(app.config["DATABASE"]) as store:
        assert store.scalar("SELECT count(*) FROM exam_attempts") == 1


def test_finishing_shows_score_per_domain_pass_and_every_answer_explained(app, client):
    attempt_id = start(client, length="full")
    for q in attempt_of(app, attempt_id).questions:
        right, _ = right_and_wrong(app, attempt_id, q.position)
        client.post(f"/exam/{attempt_id}/{q.position}", data={"choice": right})
    assert client.get(f"/exam/{attempt_id}/result").location == f"/exam/{attempt_id}/review"  # not finished yet
    assert client.post(f"/exam/{attempt_id}/finish").location == f"/exam/{attempt_id}/result"
    html = page(client, f"/exam/{attempt_id}/result")
    assert "DOP-C02 exam: passed" in html and "<strong>3 of 3</strong> right (100%)" in html
    assert "about 1000 of 1000" in html and "Pass mark 75% (750 of 1000)" in html
    assert "1. SDLC Automation" in html and "2. Configuration Management and IaC" in html
    assert 'href="/study/DOP-C02?domain=1"' in html
    assert html.count('<span class="tag right">correct</span>') >= 3
    assert 'href="/graph/tool/ansible"' in html  # the things involved, linked to their graph pages
    assert 'rel="noopener">https://' in html  # sources
    # a finished attempt sends every page of it to the result
    assert client.get(f"/exam/{attempt_id}/1").location == f"/exam/{attempt_id}/result"
    assert client.post(f"/exam/{attempt_id}/1", data={"choice": "A"}).location == f"/exam/{attempt_id}/result"
    assert "Passed" in page(client, "/exam/")


def test_wrong_and_missing_answers_fail(app, client):
    attempt_id = start(client)
    _, wrong = right_and_wrong(app, attempt_id, 1)
    client.post(f"/exam/{attempt_id}/1", data={"choice": wrong})
    client.post(f"/exam/{attempt_id}/finish")
    html = page(client, f"/exam/{attempt_id}/result")
    assert "DOP-C02 exam: not passed" in html and "<strong>0 of 3</strong>" in html
    assert html.count("Not answered") == 2 and html.count('<span class="tag wrong">Wrong</span>') == 1


def expire(app, attempt_id):
    with open_store(app.config["DATABASE"]) as store, store.transaction() as db:
        past = to_text(datetime.now(UTC) - timedelta(seconds=1))
        db.execute("UPDATE exam_attempts SET deadline = ? WHERE id = ?", [past, attempt_id])


def test_when_time_runs_out_the_server_scores_the_attempt_on_the_next_request(app, client):
    attempt_id = start(client)
    right, _ = right_and_wrong(app, attempt_id, 1)
    client.post(f"/exam/{attempt_id}/1", data={"choice": right})
    expire(app, attempt_id)
    right2, _ = right_and_wrong(app, attempt_id, 2)
    late = client.post(f"/exam/{attempt_id}/2", data={"choice": right2})
    assert late.location == f"/exam/{attempt_id}/result"
    attempt = attempt_of(app, attempt_id)
    assert attempt.finished and attempt.result.timed_out and attempt.result.correct == 1
    assert attempt.question(2).chosen == ()  # too late: not saved
    html = client.get(late.location).get_data(as_text=True)
    assert "Time ran out" in html and "<strong>1 of 3</strong>" in html


@pytest.mark.parametrize("url", ["/exam/{id}/", "/exam/{id}/2", "/exam/{id}/review", "/exam/{id}/result"])
def test_any_page_of_an_expired_attempt_scores_it(app, client, url):
    attempt_id = start(client)
    expire(app, attempt_id)
    response = client.get(url.format(id=attempt_id))
    assert response.location == f"/exam/{attempt_id}/result" or response.status_code == 200
    assert attempt_of(app, attempt_id).result.timed_out


def test_the_list_page_scores_expired_attempts(app, client):
    attempt_id = start(client)
    expire(app, attempt_id)
    html = page(client, "/exam/")
    assert "In progress" not in html and "Not passed" in html
    assert attempt_of(app, attempt_id).finished


def test_background_save_after_time_is_up_says_where_to_go(app, client):
    attempt_id = start(client)
    expire(app, attempt_id)
    response = client.post(f"/exam/{attempt_id}/1", data={"choice": "A"}, headers={"Accept": "application/json"})
    assert response.status_code == 409
    assert response.get_json() == {"closed": True, "location": f"/exam/{attempt_id}/result"}


def test_someone_elses_attempt_and_unknown_pages_are_404(app, client):
    attempt_id = start(client)
    other = app.test_client()
    AuthActions(other).register("bob")
    for url in (f"/exam/{attempt_id}/", f"/exam/{attempt_id}/1", f"/exam/{attempt_id}/result"):
        response = other.get(url)
        assert response.status_code == 404
        assert f"There is no exam attempt {attempt_id} of yours" in response.get_data(as_text=True)
    assert other.post(f"/exam/{attempt_id}/1", data={"choice": "A"}).status_code == 404
    assert other.post(f"/exam/{attempt_id}/finish").status_code == 404
    assert not attempt_of(app, attempt_id).finished
    assert client.get("/exam/999/").status_code == 404
    assert client.get(f"/exam/{attempt_id}/4").status_code == 404
    assert client.get(f"/exam/{attempt_id}/0").status_code == 404


def test_bad_input_is_refused(app, client):
    assert client.post("/exam/start", data={"cert": "NOPE"}).status_code == 404
    attempt_id = start(client)
    assert client.post(f"/exam/{attempt_id}/1", data={"choice": "Z"}).status_code == 400
    assert attempt_of(app, attempt_id).answered == 0


def test_posts_need_the_csrf_token(tmp_path):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    AuthActions(client).register("ada")
    assert client.post("/exam/start", data={"cert": "DOP-C02"}).status_code == 400
    token = csrf_token(client, "/exam/")
    attempt_id = start_with(client, token)
    assert client.post(f"/exam/{attempt_id}/1", data={"choice": "A"}).status_code == 400
    response = client.post(
        f"/exam/{attempt_id}/1",
        data={"choice": "A", "action": "save"},
        headers={"Accept": "application/json", "X-CSRFToken": token},
    )
    assert response.status_code == 200 and response.get_json()["answered"] == 1
    assert client.post(f"/exam/{attempt_id}/finish").status_code == 400
    assert not attempt_of(app, attempt_id).finished


def start_with(client, token):
    response = client.post("/exam/start", data={"cert": "DOP-C02", "csrf_token": token})
    assert response.status_code == 302
    return int(response.location.split("/")[2])


def test_choose_two_questions_use_checkboxes_and_graph_text_is_inert(tmp_path):
    app = make_app(tmp_path, EXAM_SHORT_QUESTIONS=6)
    bank = synthetic_bank(items=30, weights=(60.0, 40.0))
    bank.items[:] = [dataclasses.replace(i, stem=HOSTILE + i.stem) for i in bank.items]
    bank.__post_init__()
    app.extensions[BANK_KEY] = bank
    client = app.test_client()
    AuthActions(client).register("ada")
    attempt_id = start(client, cert="SYN")
    attempt = attempt_of(app, attempt_id)
    assert len(attempt.questions) == 6
    seen_multiple = False
    for q in attempt.questions:
        html = page(client, f"/exam/{attempt_id}/{q.position}")
        assert HOSTILE not in html and "&lt;script&gt;alert(" in html
        multiple = bank.get(q.item_id).answer_count > 1
        seen_multiple |= multiple
        assert ('type="checkbox"' in html) == multiple
        right, _ = right_and_wrong(app, attempt_id, q.position)
        client.post(f"/exam/{attempt_id}/{q.position}", data={"choice": right})
    client.post(f"/exam/{attempt_id}/finish")
    html = page(client, f"/exam/{attempt_id}/result")
    assert HOSTILE not in html and "<strong>6 of 6</strong>" in html
    assert seen_multiple or all(bank.get(q.item_id).answer_count == 1 for q in attempt.questions)


def test_exam_list_says_which_figures_are_assumed(tmp_path):
    # The shipped graph states no duration for DOP-C02 and no passing mark for CKA.
    client = make_app(tmp_path, GRAPH_FILES=None).test_client()
    AuthActions(client).register("ada")
    page = client.get("/exam/").get_data(as_text=True)
    notes = [part.split("</p>")[0] for part in page.split("assumed for this simulation:")[1:]]
    assert any("duration" in note for note in notes)
    assert any("passing mark" in note for note in notes)


def _deadline_in(app, attempt_id, seconds):
    with open_store(app.config["DATABASE"]) as store, store.transaction() as db:
        when = to_text(datetime.now(UTC) + timedelta(seconds=seconds))
        db.execute("UPDATE exam_attempts SET deadline = ? WHERE id = ?", [when, attempt_id])


@pytest.mark.parametrize(
    ("reason", "seconds_left", "timed_out"),
    [("time-up", 3, True), ("time-up", 600, False), ("", 9, False)],  # 9 s: inside the grace, yet no reason
)
def test_the_countdowns_submission_says_that_time_ran_out(app, client, reason, seconds_left, timed_out):
    """The page's clock may reach zero a moment before the server's: that is still time running out,
    but a learner who finishes early (or a forged reason long before the end) is not timed out."""
    attempt_id = start(client)
    assert 'name="reason" value="time-up"' in client.get(f"/exam/{attempt_id}/1").get_data(as_text=True)
    _deadline_in(app, attempt_id, seconds_left)
    response = client.post(f"/exam/{attempt_id}/finish", data={"reason": reason} if reason else {})
    assert response.location == f"/exam/{attempt_id}/result"
    assert attempt_of(app, attempt_id).result.timed_out is timed_out
    assert ("Time ran out" in client.get(response.location).get_data(as_text=True)) is timed_out


def synthetic_app(tmp_path, **config):
    """The app on a synthetic bank (every fifth question a "choose TWO"), with ada logged in."""
    app = make_app(tmp_path, EXAM_SHORT_QUESTIONS=6, **config)
    app.extensions[BANK_KEY] = synthetic_bank(items=30, weights=(60.0, 40.0))
    client = app.test_client()
    AuthActions(client).register("ada")
    return app, client


def exam_with_a_choose_two(app) -> tuple[int, int]:
    """A 6-question SYN attempt of ada's (seeded) with a "choose TWO" question: its id and that position."""
    bank = app.extensions[BANK_KEY]
    with app_progress(app) as progress:
        attempt = progress.learner(1).start_exam("SYN", count=6, seed=0)
    return attempt.id, next(q.position for q in attempt.questions if bank.get(q.item_id).answer_count > 1)


def test_a_choose_two_question_refuses_one_choice_like_the_study_page(tmp_path):
    app, client = synthetic_app(tmp_path)
    attempt_id, position = exam_with_a_choose_two(app)
    right, wrong = right_and_wrong(app, attempt_id, position)
    html = page(client, f"/exam/{attempt_id}/{position}")
    assert 'id="choose-hint">Choose 2.</p>' in html and 'data-choose="2"' in html
    response = client.post(f"/exam/{attempt_id}/{position}", data={"choice": [wrong], "action": "next"})
    assert response.status_code == 400  # refused, and the page stays on the question
    html = response.get_data(as_text=True)
    assert "Choose 2 options (or none, to leave the question unanswered); nothing was saved." in html
    assert 'role="alert"' in html and "The question is still unanswered." in html
    assert re.search(rf'value="{wrong}"\s+checked', html)  # what was ticked is still ticked
    assert f"question {position} of 6" in html
    assert attempt_of(app, attempt_id).question(position).chosen == ()
    client.post(f"/exam/{attempt_id}/{position}", data={"choice": right, "action": "next"})
    refused = client.post(
        f"/exam/{attempt_id}/{position}",
        data={"choice": [wrong], "action": "save"},
        headers={"Accept": "application/json"},
    )
    assert refused.status_code == 400 and refused.get_json()["message"].startswith("Choose 2 options")
    html = client.post(f"/exam/{attempt_id}/{position}", data={"choice": [right[0]], "action": "flag"}).get_data(
        as_text=True
    )
    assert f"Your saved answer is still {right[0]} and {right[1]}." in html
    stored = attempt_of(app, attempt_id).question(position)
    assert stored.chosen == tuple(right) and not stored.flagged  # nothing of the refused posts was stored


def test_the_countdowns_submission_is_stored_as_timed_out_at_the_real_time(app, client):
    attempt_id = start(client)
    _deadline_in(app, attempt_id, 3)
    client.post(f"/exam/{attempt_id}/finish", data={"reason": "time-up"})
    attempt = attempt_of(app, attempt_id)
    assert attempt.result.timed_out and attempt.finished_at < attempt.deadline  # not backdated to the deadline
    with open_store(app.config["DATABASE"]) as store:
        assert store.scalar("SELECT timed_out FROM exam_attempts WHERE id = ?", [attempt_id]) == 1
    assert 'Not passed</a> <span class="hint">(time ran out)</span>' in page(client, "/exam/")


def _started_ago(app, attempt_id, seconds):
    with open_store(app.config["DATABASE"]) as store, store.transaction() as db:
        when = to_text(datetime.now(UTC) - timedelta(seconds=seconds))
        db.execute("UPDATE exam_attempts SET started_at = ? WHERE id = ?", [when, attempt_id])


def test_time_on_a_question_counts_from_when_the_page_showed_it(app, client):
    attempt_id = start(client)
    _started_ago(app, attempt_id, 60)
    html = page(client, f"/exam/{attempt_id}/1")
    assert re.search(r'name="shown_at" value="[^"]+"', html)
    right, _ = right_and_wrong(app, attempt_id, 1)
    shown = to_text(datetime.now(UTC) - timedelta(seconds=40))
    client.post(f"/exam/{attempt_id}/1", data={"choice": right, "shown_at": shown})
    first = attempt_of(app, attempt_id).question(1).time_ms
    assert 40_000 <= first < 24 * 60_000
    for bad in ("not a time", "", to_text(datetime.now(UTC) + timedelta(hours=1)), "2001-01-01T00:00:00+00:00"):
        assert client.post(f"/exam/{attempt_id}/1", data={"choice": right, "shown_at": bad}).status_code == 302
    assert attempt_of(app, attempt_id).question(1).time_ms == first  # implausible times are not counted
    client.post(f"/exam/{attempt_id}/finish", data={"reason": "", "position": "2", "shown_at": shown})
    finished = attempt_of(app, attempt_id)
    assert finished.question(2).time_ms >= 40_000
    assert re.search(r"\d+:\d\d on it", page(client, f"/exam/{attempt_id}/result"))


def test_a_result_offers_a_retake_of_exactly_the_missed_questions(tmp_path):
    app, client = synthetic_app(tmp_path)
    attempt_id = start(client, cert="SYN")
    first = attempt_of(app, attempt_id)
    for q in first.questions[:3]:
        right, _ = right_and_wrong(app, attempt_id, q.position)
        client.post(f"/exam/{attempt_id}/{q.position}", data={"choice": right})
    right, wrong = right_and_wrong(app, attempt_id, 4)
    client.post(f"/exam/{attempt_id}/4", data={"choice": right[: len(right) - 1] + [wrong]})
    client.post(f"/exam/{attempt_id}/finish")
    html = page(client, f"/exam/{attempt_id}/result")
    assert "Retake the 3 questions I missed</button>" in html
    assert f'action="/exam/{attempt_id}/retake"' in html and "at this attempt's pace: 5 minutes" in html
    response = client.post(f"/exam/{attempt_id}/retake")
    found = re.fullmatch(r"/exam/(\d+)/1", response.location)
    assert found, response.location
    retake_id = int(found.group(1))
    retake = attempt_of(app, retake_id)
    assert {q.item_id for q in retake.questions} == {q.item_id for q in first.questions[3:]}
    assert retake.retake_of == attempt_id and retake.minutes == 5  # 9 minutes for 6 questions: 4.5 for 3
    # while the retake runs, asking for another carries on with it
    assert client.post(f"/exam/{attempt_id}/retake").location == f"/exam/{retake_id}/"
    client.post(f"/exam/{retake_id}/finish")
    html = page(client, f"/exam/{retake_id}/result")
    assert "A retake of the questions missed in" in html and f'href="/exam/{attempt_id}/result"' in html
    assert "(0 of 0)" not in html  # a domain none of its questions came from is not scored 0 %


def test_a_retake_is_refused_for_open_perfect_or_someone_elses_attempts(app, client):
    attempt_id = start(client)
    assert client.post(f"/exam/{attempt_id}/retake").location == f"/exam/{attempt_id}/"  # the one running
    for q in attempt_of(app, attempt_id).questions:
        right, _ = right_and_wrong(app, attempt_id, q.position)
        client.post(f"/exam/{attempt_id}/{q.position}", data={"choice": right})
    client.post(f"/exam/{attempt_id}/finish")
    assert "I missed</button>" not in page(client, f"/exam/{attempt_id}/result")
    response = client.post(f"/exam/{attempt_id}/retake")
    assert response.status_code == 404 and "got every question right" in response.get_data(as_text=True)
    other = app.test_client()
    AuthActions(other).register("bob")
    assert other.post(f"/exam/{attempt_id}/retake").status_code == 404
    with open_store(app.config["DATABASE"]) as store:
        assert store.scalar("SELECT count(*) FROM exam_attempts") == 1


def test_a_retake_needs_the_csrf_token(tmp_path):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    AuthActions(client).register("ada")
    token = csrf_token(client, "/exam/")
    attempt_id = start_with(client, token)
    client.post(f"/exam/{attempt_id}/finish", data={"csrf_token": token})
    assert client.post(f"/exam/{attempt_id}/retake").status_code == 400
    assert 'name="csrf_token"' in page(client, f"/exam/{attempt_id}/result").split('class="retake"')[1][:300]
    assert client.post(f"/exam/{attempt_id}/retake", data={"csrf_token": token}).status_code == 302


def finish_with(app, client, right: int, *, time_up: bool = False) -> int:
    """A short DOP-C02 exam with the first ``right`` questions right and the rest unanswered, finished
    (by the countdown, 3 seconds before the deadline, if ``time_up``)."""
    attempt_id = start(client)
    for q in attempt_of(app, attempt_id).questions[:right]:
        letters, _ = right_and_wrong(app, attempt_id, q.position)
        client.post(f"/exam/{attempt_id}/{q.position}", data={"choice": letters})
    if time_up:
        _deadline_in(app, attempt_id, 3)
    client.post(f"/exam/{attempt_id}/finish", data={"reason": "time-up"} if time_up else {})
    return attempt_id


def test_exam_history_charts_the_scores_against_the_pass_mark(app, client):
    assert "No finished exams yet" in page(client, "/exam/history")
    assert "No finished DOP-C02 exams yet" in page(client, "/exam/history/DOP-C02")
    first = finish_with(app, client, right=1)
    retake = int(client.post(f"/exam/{first}/retake").location.split("/")[2])  # listed, but not in the trend
    client.post(f"/exam/{retake}/finish")
    finish_with(app, client, right=3, time_up=True)
    assert 'href="/exam/history"' in page(client, "/exam/")
    assert 'href="/exam/history/DOP-C02"' in page(client, f"/exam/{first}/result")
    html = page(client, "/exam/history")
    assert 'href="/exam/history/DOP-C02">DOP-C02</a>' in html
    svg = html.split('<svg xmlns="http://www.w3.org/2000/svg" class="chart line-chart" id="trend-DOP-C02"')[1]
    svg = svg.split("</svg>")[0]
    assert '<title id="trend-DOP-C02-title">DOP-C02 exam scores</title>' in svg
    assert "Scores of your 2 DOP-C02 exams, oldest first: 33%, 100%. The pass mark is 75%; 1 passed." in svg
    assert svg.count('<g class="chart-point') == 2 and svg.count('<g class="chart-point marked">') == 1
    assert "100% (3 of 3), passed, time ran out</title>" in svg
    assert 'class="chart-reference-label"' in svg and "Pass mark 75%" in svg
    assert "2 exams, 1 passed." in html and "Best 100%, latest 100%" in html
    assert html.count("<tr>") == 1 + 3  # the head and three attempts, the retake among them
    assert "Retake of missed questions" in html and html.count('<span class="tag wrong">Not passed</span>') == 2
    assert "42 points short of 75%" in html and "25 points over 75%" in html
    assert html.count('<span class="tag">time ran out</span>') == 1
    one = page(client, "/exam/history/DOP-C02")
    assert "<h1>DOP-C02 exam history</h1>" in one and 'id="trend-DOP-C02"' in one


@pytest.mark.parametrize(("cert", "status"), [("NOPE", 404), ("FOUNDATIONS", 404)])
def test_exam_history_of_an_unknown_certification_or_a_deck_is_404(client, cert, status):
    assert client.get(f"/exam/history/{cert}").status_code == status


def test_exam_history_escapes_graph_text(tmp_path):
    app, client = synthetic_app(tmp_path)
    bank = app.extensions[BANK_KEY]
    plan = bank.catalog.certification("SYN")
    hostile = dataclasses.replace(plan, title=HOSTILE)
    bank.__dict__["catalog"] = type(bank.catalog)((hostile,))
    attempt_id = start(client, cert="SYN")
    client.post(f"/exam/{attempt_id}/finish")
    html = page(client, "/exam/history")
    assert HOSTILE not in html and "&lt;script&gt;" in html


def test_a_retake_scores_only_the_domains_its_questions_come_from(tmp_path):
    app, client = synthetic_app(tmp_path)
    attempt_id = start(client, cert="SYN")
    first = attempt_of(app, attempt_id)
    for q in first.questions[1:]:
        right, _ = right_and_wrong(app, attempt_id, q.position)
        client.post(f"/exam/{attempt_id}/{q.position}", data={"choice": right})
    client.post(f"/exam/{attempt_id}/finish")
    retake_id = int(re.fullmatch(r"/exam/(\d+)/1", client.post(f"/exam/{attempt_id}/retake").location).group(1))
    assert len(attempt_of(app, retake_id).questions) == 1
    client.post(f"/exam/{retake_id}/finish")
    html = page(client, f"/exam/{retake_id}/result")
    assert "(0 of 0)" not in html and "Domains with no question in this attempt are left out." in html
    assert html.count('<th scope="row">') == 1  # the one domain of its one question
