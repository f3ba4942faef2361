"""By keyboard alone: a question answered wrongly comes back in the "wrong last time" mode until it is
answered right, and cramming asks seen questions ahead of schedule without moving their due dates.

Runs on the shipped graph against a fresh progress database; focus moves with Tab, never by clicking,
and before each key press the test waits for the page it means (no sleeps).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Locator, Page, expect

from opsprep.engine import Progress
from tests.browser.keyboard import arrived, register, tab_to
from tests.web_helpers import make_app, serve

#: questions answered until one is wrong: picking the first option of each, all of them right is (1/4)^20
TRIES = 20


@pytest.fixture(scope="module")
def modes_app(tmp_path_factory):
    return make_app(tmp_path_factory.mktemp("study-modes"), GRAPH_FILES=None, WTF_CSRF_ENABLED=True)


@pytest.fixture(scope="module")
def base_url(modes_app) -> Iterator[str]:
    with serve(modes_app) as url:
        yield url


def answer_first_options(page: Page) -> tuple[str, bool]:
    """Pick the first option(s) and submit; the item asked and whether the answer was right."""
    arrived(page, page.locator("#answer-form"))
    item_id = page.locator('#answer-form input[name="item_id"]').input_value()
    hint = page.locator("#choose-hint")
    picks = int(re.search(r"\d+", hint.inner_text()).group()) if hint.count() else 1
    for key in ("1", "2", "3")[:picks]:
        page.keyboard.press(key)
    expect(page.locator('input[name="choice"]:checked')).to_have_count(picks)
    page.keyboard.press("Enter")
    arrived(page, page.locator("#rate-form"))
    return item_id, page.locator("#verdict").inner_text() == "Right."


def rate_default(page: Page) -> None:
    page.keyboard.press(" ")
    expect(page.locator("#rate-form")).to_have_count(0)


def mode_link(page: Page, label: str) -> Locator:
    modes = page.get_by_role("navigation", name="Study modes")
    return modes.get_by_role("link", name=re.compile(f"^{label}"))


def due_dates(app, name: str) -> dict[str, str]:
    with Progress.open(app.config["DATABASE"]) as progress:
        learner = progress.find_learner(name)
        rows = progress.store.rows("SELECT item_id, due FROM cards WHERE learner_id = ?", [learner.id])
    return {row["item_id"]: row["due"] for row in rows}


def test_wrong_answers_come_back_in_their_mode_and_cramming_keeps_due_dates(page: Page, base_url, modes_app):
    register(page, base_url, "mia")
    page.goto(f"{base_url}/study/FOUNDATIONS")
    answered, wrong = [], None
    for _ in range(TRIES):
        item_id, right = answer_first_options(page)
        answered.append(item_id)
        rate_default(page)
        if not right:
            wrong = item_id
            break
    assert wrong is not None, f"all {TRIES} first options were right"

    arrived(page, page.locator("#answer-form"))
    expect(mode_link(page, "Wrong last time").locator(".mode-count")).to_have_text("1")
    tab_to(page, mode_link(page, "Wrong last time"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"mode=wrong"))
    arrived(page, page.locator("#answer-form"))
    assert page.locator('#answer-form input[name="item_id"]').input_value() == wrong

    before = due_dates(modes_app, "mia")
    tab_to(page, mode_link(page, "Cram"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"mode=cram"))
    crammed, _ = answer_first_options(page)
    assert crammed in answered  # cramming asks questions already seen
    rate_default(page)
    expect(page).to_have_url(re.compile(r"mode=cram"))  # and stays in its mode
    assert due_dates(modes_app, "mia")[crammed] == before[crammed]  # its schedule is as it was
