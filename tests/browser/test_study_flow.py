"""A learner registers, studies ten questions with the keyboard alone and sees the home page change.

Runs on the shipped graph, against a fresh progress database. Before each key press the test waits for the
page it means (a new page's elements can show before its script listens for keys): no sleeps.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Locator, Page, expect

from opsprep.engine import open_store
from tests.web_helpers import PASSWORD, make_app, serve


@pytest.fixture(scope="module")
def study_app(tmp_path_factory):
    """The shipped graph (GRAPH_FILES=None), real CSRF checks and a fresh progress database."""
    return make_app(tmp_path_factory.mktemp("study-flow"), GRAPH_FILES=None, WTF_CSRF_ENABLED=True)


@pytest.fixture(scope="module")
def base_url(study_app) -> Iterator[str]:
    with serve(study_app) as url:
        yield url


def arrived(page: Page, locator: Locator) -> None:
    """Wait for ``locator`` on the page just navigated to, then for that page's script, which handles the keys."""
    expect(locator).to_be_visible()
    page.wait_for_load_state()


def register_by_keyboard(page: Page, base_url: str, name: str) -> None:
    page.goto(f"{base_url}/register")
    expect(page.locator("#name")).to_be_focused()  # autofocus: no click needed
    page.keyboard.type(name)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator(".flash")).to_contain_text(f"Welcome, {name}")


def test_register_and_study_ten_questions_by_keyboard(page: Page, base_url, study_app):
    register_by_keyboard(page, base_url, "ada")
    expect(page.locator(".count-new dd").first).to_have_text("20")
    page.goto(f"{base_url}/study/DOP-C02")
    rated = []
    for number in range(10):
        arrived(page, page.locator("#answer-form"))
        hint = page.locator("#choose-hint")  # "Choose 2." on questions with several answers
        picks = int(re.search(r"\d+", hint.inner_text()).group()) if hint.count() else 1
        for key in ("1", "b", "3", "d")[:picks]:  # number keys, or the options' letters
            page.keyboard.press(key)
        expect(page.locator('input[name="choice"]:checked')).to_have_count(picks)
        page.keyboard.press("Enter")
        arrived(page, page.locator("#rate-form"))
        right = page.locator("#verdict").inner_text() == "Right."
        intervals = page.locator(".rating .interval").all_inner_texts()
        offered = intervals if right else intervals[:1]  # after a wrong answer only Again has an interval
        assert len(intervals) == 4 and all(re.fullmatch(r"\d+(\.\d)?(m|h|d|mo|y)", i) for i in offered)
        assert right or intervals[1:] == ["—"] * 3
        if right:  # Space is Good; 2, 3, 4 are Hard, Good, Easy
            key, rating = [(" ", "good"), ("2", "hard"), ("3", "good"), ("4", "easy")][number % 4]
        else:  # only Again is allowed: Space or 1
            key, rating = [(" ", "again"), ("1", "again")][number % 2]
        page.keyboard.press(key)
        rated.append(rating)
        expect(page.locator("#rate-form")).to_have_count(0)
    expect(page.locator(".flash")).to_contain_text("Saved: next review in")

    with open_store(study_app.config["DATABASE"]) as store:
        stored = store.rows("SELECT r.rating, r.response_ms FROM reviews r JOIN learners l ON l.id = r.learner_id")
    assert len(stored) == 10
    names = {1: "again", 2: "hard", 3: "good", 4: "easy"}
    assert [names[r["rating"]] for r in stored] == rated
    assert all(r["response_ms"] is not None for r in stored)  # measured by the page's script

    page.goto(f"{base_url}/")
    card = page.locator(".cert-card.current")
    expect(card.locator("h2")).to_contain_text("DOP-C02")  # the certification studied comes first
    seen = int(re.match(r"(\d+) of", card.locator(".hint").first.inner_text()).group(1))
    assert 1 <= seen <= 10
    expect(card.locator(".count-new dd")).not_to_have_text("20")


def test_study_page_fits_a_phone(phone: Page, base_url):
    register_by_keyboard(phone, base_url, "bob")
    phone.goto(f"{base_url}/study/FOUNDATIONS")
    expect(phone.locator("#answer-form")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.keyboard.press("1")
    phone.keyboard.press("Enter")
    expect(phone.locator("#rate-form")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375


def answer_by_keyboard(page: Page) -> str:
    """Answer the question on screen with number keys and Enter; the stem that was asked."""
    arrived(page, page.locator("#answer-form"))
    stem = page.locator("#answer-form .stem").inner_text()
    if page.locator('#answer-form [name="response"]').count():  # a question answered by typing: the field has the focus
        page.keyboard.type("kubectl get pods")
        page.keyboard.press("Control+Enter")
        arrived(page, page.locator("#rate-form"))
        return stem
    hint = page.locator("#choose-hint")
    picks = int(re.search(r"\d+", hint.inner_text()).group()) if hint.count() else 1
    for key in ("1", "2", "3")[:picks]:
        page.keyboard.press(key)
    expect(page.locator('input[name="choice"]:checked')).to_have_count(picks)
    page.keyboard.press("Enter")
    arrived(page, page.locator("#rate-form"))
    return stem


def rate_default(page: Page) -> None:
    """Space: Good after a right answer, Again after a wrong one; then wait for the next page."""
    page.keyboard.press(" ")
    expect(page.locator("#rate-form")).to_have_count(0)


def test_undo_by_keyboard_asks_the_last_question_again(page: Page, base_url, study_app):
    register_by_keyboard(page, base_url, "undo")
    page.goto(f"{base_url}/study/FOUNDATIONS")
    first = answer_by_keyboard(page)
    rate_default(page)
    arrived(page, page.locator("#answer-form"))
    expect(page.locator("#answer-form .stem")).not_to_have_text(first)
    expect(page.locator(".hint.keys")).to_contain_text("U or Ctrl+Z undoes the last answer")
    page.keyboard.press("Escape")  # out of a typed answer's field, if the question has one
    page.keyboard.press("u")  # U undoes: the first question is asked again
    expect(page.locator(".flash")).to_contain_text("Undone: your answer to")
    arrived(page, page.locator("#answer-form"))
    expect(page.locator("#answer-form .stem")).to_have_text(first)
    assert answer_by_keyboard(page) == first
    rate_default(page)
    arrived(page, page.locator("#undo-form"))
    page.keyboard.press("Escape")
    page.keyboard.press("Control+z")  # and so does Ctrl+Z
    expect(page.locator(".flash")).to_contain_text("Undone: your answer to")
    expect(page.locator("#answer-form .stem")).to_have_text(first)
    with open_store(study_app.config["DATABASE"]) as store:
        learner = store.scalar("SELECT id FROM learners WHERE name = 'undo'")
        assert store.scalar("SELECT count(*) FROM reviews WHERE learner_id = ?", [learner]) == 0
        assert store.scalar("SELECT count(*) FROM undone_reviews WHERE learner_id = ?", [learner]) == 2


def test_ending_a_session_by_keyboard_shows_its_summary(page: Page, base_url):
    register_by_keyboard(page, base_url, "summary")
    page.goto(f"{base_url}/study/FOUNDATIONS")
    for _ in range(2):
        answer_by_keyboard(page)
        rate_default(page)
    answer_by_keyboard(page)  # the third is left without a rating
    end = page.get_by_role("button", name="End session")
    end.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Session ended")).to_be_visible()
    expect(page.locator(".flash")).to_contain_text("without rating it: your answer is kept")
    figures = page.locator(".summary-figures")
    expect(figures.locator("div").filter(has_text="Answered").locator("dd")).to_have_text("3")
    expect(figures.locator("div").filter(has_text="Time").locator("dd")).to_have_text(
        re.compile(r"under a minute|\d+ min")
    )
    expect(page.locator(".comes-back li").first).to_contain_text(re.compile(r"\d+ within"))
    page.get_by_role("link", name="Study FOUNDATIONS again").focus()
    page.keyboard.press("Enter")
    arrived(page, page.locator("#answer-form"))
    expect(page.locator("#undo-form")).to_have_count(0)  # a new session: nothing of it to undo


def test_the_verdict_and_the_ratings_are_on_a_phones_first_screen(browser, base_url):
    from tests.browser.conftest import _page

    with _page(browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True) as phone:
        register_by_keyboard(phone, base_url, "phone")
        phone.goto(f"{base_url}/study/DOP-C02")
        for _ in range(4):  # several questions, long explanations among them
            answer_by_keyboard(phone)
            assert phone.evaluate("window.scrollY") == 0
            verdict = phone.locator("#verdict").bounding_box()
            bar = phone.locator("#rate-form").bounding_box()
            assert verdict["y"] >= 0 and verdict["y"] + verdict["height"] <= bar["y"]  # not hidden under the bar
            for button in phone.locator(".rating").all():
                box = button.bounding_box()
                assert box["y"] >= 0 and box["y"] + box["height"] <= 844, box
            assert phone.evaluate("document.documentElement.scrollWidth") <= 390
            rate_default(phone)  # the keys are as on a computer
