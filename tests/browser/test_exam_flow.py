"""Exam mode and the dashboard in Chromium: a short exam by keyboard, a reload mid-exam, the result,
the countdown submitting by itself, and the dashboard changing after studying.

Before each key press the test waits for exactly the page it means, scripts included: every button of an
exam page submits the form and loads a new page, whose elements can show before its script listens for
keys. No sleeps.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.web_helpers import PASSWORD, make_app, serve

SHORT = 6  # questions in the short exam of these tests


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    """The app with the shipped graph, real CSRF checks and a fresh database, on 127.0.0.1."""
    app = make_app(tmp_path_factory.mktemp("exam-flow"), GRAPH_FILES=None, WTF_CSRF_ENABLED=True)
    app.config["EXAM_SHORT_QUESTIONS"] = SHORT
    with serve(app) as url:
        yield url


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


def exam_keys(page: Page) -> list[str]:
    """Number keys for an exam question: as many as its "(Choose TWO.)" asks for, else one."""
    found = re.search(r"Choose (TWO|THREE)", page.locator("fieldset.question legend").inner_text())
    return ["1", "2", "3"][: {"TWO": 2, "THREE": 3}[found.group(1)]] if found else ["1"]


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
    # question 1: pick the first option by its number, flag it with M, Enter saves and goes on
    page.keyboard.press("1")
    expect(page.locator('input[name="choice"]').first).to_be_checked()
    expect(page.locator(".save-status")).to_have_text("Saved")  # saved in the background already
    page.keyboard.press("m")  # the flag button: question 1 again, a new page, flagged
    arrived(page, page.get_by_role("button", name="Flag for review", pressed=True))
    page.keyboard.press("Enter")
    at_question(page, 2)
    # question 2 by letter
    page.keyboard.press("b")
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
    page.keyboard.press("2")
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


def test_the_countdown_submits_the_exam_when_time_is_up(server: str, phone: Page):
    page = phone
    page.clock.install()
    register(page, server, "lee")
    start_short_exam(page, server)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # fits a phone
    timer = page.locator(".timer-value")
    start = timer.inner_text()
    page.clock.run_for(2000)
    expect(timer).not_to_have_text(start)
    page.keyboard.press("1")
    expect(page.locator(".save-status")).to_have_text("Saved")
    page.clock.fast_forward("02:00:00")
    page.clock.run_for(1000)
    expect(page).to_have_url(re.compile(r"/exam/\d+/result$"))
    expect(page.locator(".verdict .score")).to_contain_text(f"of {SHORT}")
    expect(page.locator(".answers .tag", has_text="your answer")).to_have_count(1)  # the answer picked was kept
