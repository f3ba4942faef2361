"""Exam mode and the dashboard in Chromium: a short exam by keyboard, a reload mid-exam, the result,
the countdown submitting by itself (and the result saying so), "choose TWO" refusing one choice, a retake
of the missed questions and the exam history, all by keyboard, and the dashboard changing after studying.

Before each key press the test waits for exactly the page it means, scripts included: every button of an
exam page submits the form and loads a new page, whose elements can show before its script listens for
keys. No sleeps.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from playwright.sync_api import Locator, Page, expect

from opsprep.engine import open_store
from opsprep.engine.clock import to_text
from opsprep.web.resources import get_bank
from tests.web_helpers import PASSWORD, app_progress, make_app, serve

SHORT = 6  # questions in the short exam of these tests


@pytest.fixture(scope="module")
def exam_app(tmp_path_factory) -> Flask:
    """The app with the shipped graph, real CSRF checks and a fresh database."""
    app = make_app(tmp_path_factory.mktemp("exam-flow"), GRAPH_FILES=None, WTF_CSRF_ENABLED=True)
    app.config["EXAM_SHORT_QUESTIONS"] = SHORT
    return app


@pytest.fixture(scope="module")
def server(exam_app: Flask) -> Iterator[str]:
    """The app on 127.0.0.1."""
    with serve(exam_app) as url:
        yield url


def seeded_exam(app: Flask, name: str, count: int, *, choose_two_first: bool = False) -> int:
    """An exam of ``count`` DOP-C02 questions for the learner ``name``, started through the engine with the
    first seed whose question 1 asks for two answers (``choose_two_first``) or any seed; its id."""
    bank = get_bank(app)
    with app_progress(app) as progress:
        me = progress.learner(progress.find_learner(name).id)
        for seed in range(200):
            attempt = me.start_exam("DOP-C02", count=count, seed=seed)
            if not choose_two_first or bank.get(attempt.question(1).item_id).answer_count == 2:
                return attempt.id
            me.finish_exam(attempt.id)
    raise AssertionError("no seed gives a choose-TWO question first")


def tab_to(page: Page, target: Locator, limit: int = 200) -> None:
    """Press Tab until ``target`` has the focus (it must be reachable by keyboard)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{target} is not reachable with Tab")


def register(page: Page, server: str, name: str) -> None:
    page.goto(f"{server}/register")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def start_short_exam(page: Page, server: str) -> None:
    page.goto(f"{server}/exam/")
    card = page.locator("section.cert-card", has=page.get_by_role("heading", name="DOP-C02", exact=True))
    card.get_by_label(re.compile("Short practice")).check()
    card.get_by_role("button", name="Start the DOP-C02 exam").click()
    at_question(page, 1)


def study_keys(page: Page) -> list[str]:
    """Number keys that pick as many options as the question asks for (one, or N for "choose N")."""
    wanted = 1
    if page.locator('input[name="choice"][type="checkbox"]').count():
        wanted = int(re.search(r"\d+", page.locator("#choose-hint").inner_text()).group())
    return [str(n) for n in range(1, wanted + 1)]


def exam_keys(page: Page, first: int = 1, letters: bool = False) -> list[str]:
    """Keys that pick as many options as an exam question asks for ("Choose TWO": two, else one), from
    option number ``first`` on, as numbers or as lower-case letters."""
    wanted = int(page.locator("#exam-form").get_attribute("data-choose"))
    numbers = range(first, first + wanted)
    return [chr(ord("a") + n - 1) if letters else str(n) for n in numbers]


def arrived(page: Page, locator: Locator) -> None:
    """Wait for ``locator`` on the page just navigated to, then for that page's scripts (exam.js is deferred,
    study.js comes last), which handle the keys."""
    expect(locator).to_be_visible()
    page.wait_for_load_state()


def at_question(page: Page, number: int) -> None:
    """Wait for the page of exam question ``number`` (not only its text: the previous page may still show)."""
    arrived(page, page.locator(".exam-where", has_text=f"question {number} of {SHORT}"))


def palette(page: Page, number: int):
    return page.locator(".palette").get_by_role("button", name=re.compile(rf"^Question {number},"))


def test_short_exam_by_keyboard_then_result_and_dashboard(server: str, page: Page):
    register(page, server, "kim")
    page.goto(f"{server}/dashboard/DOP-C02")
    expect(page.locator("#reviews-chart .chart-empty")).to_have_text("No answers yet")

    start_short_exam(page, server)
    timer = page.locator(".timer-value")
    expect(timer).to_have_text(re.compile(r"^\d+:\d\d$"))
    # question 1: pick the first option(s) by number, flag it with M, Enter saves and goes on
    for key in exam_keys(page):
        page.keyboard.press(key)
    expect(page.locator('input[name="choice"]').first).to_be_checked()
    expect(page.locator(".save-status")).to_have_text("Saved")  # saved in the background already
    page.keyboard.press("m")  # the flag button: question 1 again, a new page, flagged
    arrived(page, page.get_by_role("button", name="Flag for review", pressed=True))
    page.keyboard.press("Enter")
    at_question(page, 2)
    # question 2 by letter
    for key in exam_keys(page, first=2, letters=True):
        page.keyboard.press(key)
    expect(page.locator('input[name="choice"][value="B"]')).to_be_checked()
    page.keyboard.press("Enter")
    at_question(page, 3)
    before = timer.inner_text()

    # an interrupted exam survives a reload: same question, answers kept, the clock still running
    page.reload()
    at_question(page, 3)
    expect(palette(page, 1)).to_have_accessible_name("Question 1, answered, flagged")
    expect(palette(page, 2)).to_have_accessible_name("Question 2, answered")
    assert timer.inner_text() <= before or len(timer.inner_text()) < len(before)
    for key in exam_keys(page, first=2):
        page.keyboard.press(key)
    expect(page.locator('input[name="choice"]').nth(1)).to_be_checked()
    expect(page.locator(".save-status")).to_have_text("Saved")
    page.keyboard.press("p")  # back to question 2, which keeps its answer
    at_question(page, 2)
    expect(page.locator('input[name="choice"][value="B"]')).to_be_checked()
    palette(page, 3).click()
    at_question(page, 3)  # question 2's second option is checked too: wait for question 3 itself
    expect(page.locator('input[name="choice"]').nth(1)).to_be_checked()
    page.keyboard.press("Enter")
    for number in range(4, SHORT + 1):
        at_question(page, number)
        for key in exam_keys(page):
            page.keyboard.press(key)
        page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Review before you finish")).to_be_visible()
    expect(page.get_by_role("link", name="Question 1", exact=True)).to_be_visible()  # flagged
    page.get_by_role("button", name="Finish and see my score").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^DOP-C02 exam: (passed|not passed)$"))
    expect(page.locator(".verdict .score")).to_contain_text(f"of {SHORT}")
    expect(page.get_by_role("heading", name="Score per domain")).to_be_visible()
    expect(page.locator("table.domain-scores tbody tr").first).to_be_visible()
    expect(page.locator(".answers > li")).to_have_count(SHORT)
    expect(page.locator(".answers .things a").first).to_have_attribute("href", re.compile("^/graph/"))

    # study three questions on the study page, by keyboard (pick, Enter, Space rates Good)
    page.goto(f"{server}/study/DOP-C02")
    for _ in range(3):
        arrived(page, page.locator("#answer-form"))
        for key in study_keys(page):
            page.keyboard.press(key)
        page.keyboard.press("Enter")
        arrived(page, page.locator("#rate-form"))
        page.keyboard.press(" ")
        expect(page.locator("#rate-form")).to_have_count(0)
    expect(page.locator("#answer-form")).to_be_visible()

    page.goto(f"{server}/dashboard/DOP-C02")
    expect(page.locator("#reviews-chart .chart-empty")).to_have_count(0)
    expect(page.locator("#reviews-chart .chart-value").last).to_have_text("3")
    expect(page.locator("#reviews-chart desc")).to_contain_text("3 answers in the last 30 days")
    expect(page.locator(".recent-exams li")).to_have_count(1)
    rows = page.locator("table.mastery tbody tr")
    expect(rows.first.get_by_role("link", name=re.compile("^Study domain"))).to_have_attribute(
        "href", re.compile(r"^/study/DOP-C02\?domain=\d$")
    )


def test_the_countdown_submits_the_exam_when_time_is_up(server: str, exam_app: Flask, phone: Page):
    page = phone
    page.clock.install()
    register(page, server, "lee")
    start_short_exam(page, server)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # fits a phone
    timer = page.locator(".timer-value")
    start = timer.inner_text()
    page.clock.run_for(2000)
    expect(timer).not_to_have_text(start)
    picked = exam_keys(page)
    for key in picked:
        page.keyboard.press(key)
    expect(page.locator(".save-status")).to_have_text("Saved")
    # the server's deadline is two seconds away when the page's clock runs out: either side of it, time is up
    attempt_id = int(page.url.split("/")[-2])
    with open_store(exam_app.config["DATABASE"]) as store, store.transaction() as db:
        soon = to_text(datetime.now(UTC) + timedelta(seconds=2))
        db.execute("UPDATE exam_attempts SET deadline = ? WHERE id = ?", [soon, attempt_id])
    page.clock.fast_forward("02:00:00")
    page.clock.run_for(1000)
    expect(page).to_have_url(re.compile(r"/exam/\d+/result$"))
    expect(page.locator(".verdict .score")).to_contain_text(f"of {SHORT}")
    expect(page.locator(".verdict .timed-out")).to_contain_text("Time ran out")  # the result says so
    expect(page.locator(".answers .tag", has_text="your answer")).to_have_count(len(picked))  # kept


def test_choose_two_refuses_one_choice_by_keyboard(server: str, exam_app: Flask, page: Page):
    register(page, server, "max")
    attempt_id = seeded_exam(exam_app, "max", 3, choose_two_first=True)
    page.goto(f"{server}/exam/{attempt_id}/1")
    arrived(page, page.locator(".exam-where", has_text="question 1 of 3"))
    expect(page.locator("#choose-hint")).to_have_text("Choose 2.")
    page.keyboard.press("1")  # one of two: not saved, and the page says why
    expect(page.locator('input[name="choice"]').first).to_be_checked()
    expect(page.locator(".save-status")).to_have_text("Choose 2 to save this answer (or none).")
    page.keyboard.press("Enter")  # refused: still question 1, with the option still ticked
    arrived(page, page.get_by_role("alert"))
    expect(page.get_by_role("alert")).to_contain_text("Choose 2 options (or none, to leave the question unanswered)")
    expect(page.locator(".exam-where")).to_contain_text("question 1 of 3")
    expect(page.locator('input[name="choice"]').first).to_be_checked()
    page.keyboard.press("2")
    expect(page.locator(".save-status")).to_have_text("Saved")
    page.keyboard.press("Enter")
    arrived(page, page.locator(".exam-where", has_text="question 2 of 3"))
    expect(palette(page, 1)).to_have_accessible_name("Question 1, answered")


def test_retake_the_missed_questions_then_see_the_history_by_keyboard(server: str, exam_app: Flask, page: Page):
    register(page, server, "ivy")
    attempt_id = seeded_exam(exam_app, "ivy", 3)
    with app_progress(exam_app) as progress:  # one right answer, two left unanswered
        me = progress.learner(progress.find_learner("ivy").id)
        _, shown = me.exam_question(attempt_id, 1)
        me.answer_exam(attempt_id, 1, shown.correct_letters)
        me.finish_exam(attempt_id)
        missed = {q.item_id for q in me.attempt(attempt_id).questions if q.position > 1}
    page.goto(f"{server}/exam/{attempt_id}/result")
    retake = page.get_by_role("button", name="Retake the 2 questions I missed")
    arrived(page, retake)
    tab_to(page, retake)
    page.keyboard.press("Enter")
    arrived(page, page.locator(".exam-where", has_text="question 1 of 2"))
    retake_id = int(page.url.split("/")[-2])
    with app_progress(exam_app) as progress:
        again = progress.learner(progress.find_learner("ivy").id).attempt(retake_id)
    assert {q.item_id for q in again.questions} == missed and again.retake_of == attempt_id
    for number in (1, 2):
        at = page.locator(".exam-where", has_text=f"question {number} of 2")
        arrived(page, at)
        for key in exam_keys(page):
            page.keyboard.press(key)
        page.keyboard.press("Enter")
    finish = page.get_by_role("button", name="Finish and see my score")
    arrived(page, finish)
    tab_to(page, finish)
    page.keyboard.press("Enter")
    expect(page.locator(".verdict")).to_contain_text("A retake of the questions missed in")

    history = page.get_by_role("link", name="Your DOP-C02 exam history")
    tab_to(page, history)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("DOP-C02 exam history")
    chart = page.get_by_role("img", name="DOP-C02 exam scores")
    expect(chart).to_be_visible()
    expect(chart.locator("desc")).to_contain_text("Scores of your 1 DOP-C02 exam, oldest first: 33%.")
    expect(chart.locator("g.chart-point")).to_have_count(1)  # the retake is not in the trend
    rows = page.locator("table.history-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Retake of missed questions")
    expect(rows.last).to_contain_text("1 of 3 (33%)")
    expect(rows.last).to_contain_text("42 points short of 75%")
    result = rows.last.get_by_role("link")
    tab_to(page, result)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/exam/{attempt_id}/result$"))
