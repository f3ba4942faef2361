"""The dashboard's study habits in Chromium: the streaks, the calendar named for assistive technology, and
its days in words reached and opened by keyboard alone."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from tests.web_helpers import PASSWORD, app_progress, make_app, serve

#: Tab presses allowed to reach the calendar's text alternative from the top of the page
MAX_TABS = 40


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> Flask:
    """The app on the mini graph with real CSRF checks."""
    return make_app(tmp_path_factory.mktemp("dashboard"), WTF_CSRF_ENABLED=True)


@pytest.fixture(scope="module")
def server(app: Flask) -> Iterator[str]:
    with serve(app) as url:
        yield url


def register(page: Page, server: str, name: str) -> None:
    page.goto(f"{server}/register")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def answer_on_days(app: Flask, name: str, *days_ago: int) -> datetime:
    """One right answer on each of these days (0 = today), through the engine; returns the time used."""
    now = datetime.now(UTC)
    with app_progress(app) as progress:
        learner = progress.learner(progress.find_learner(name).id)
        for back in days_ago:
            moment = now - timedelta(days=back)
            card = learner.next_card("DOP-C02", now=moment)
            learner.submit(card.item.id, card.seed, card.presentation.correct_letters, 3000, now=moment)
    return now


def test_streaks_and_the_calendar_by_keyboard(app: Flask, server: str, page: Page):
    register(page, server, "lin")
    now = answer_on_days(app, "lin", 2, 1, 0)
    page.goto(f"{server}/dashboard/")
    # three days in a row (today's, or up to yesterday's should midnight pass meanwhile: current either way)
    expect(page.locator("#current-streak .big-figure")).to_have_text("3")
    expect(page.locator("#longest-streak .big-figure")).to_have_text("3")
    expect(page.locator("#streak-note")).to_contain_text("3 days in a row")
    calendar = page.get_by_role("img", name="Reviews per day, last 26 weeks")
    expect(calendar).to_be_visible()
    expect(calendar).to_have_accessible_description(re.compile(r"^3 reviews on 3 of the last 182 days"))

    summary = page.get_by_text("Reviews per day in words")
    days = page.locator("#calendar-days li")
    expect(days.first).to_be_hidden()
    page.locator("body").focus()
    for _ in range(MAX_TABS):  # walk the page by keyboard until the calendar's text alternative has focus
        page.keyboard.press("Tab")
        if summary.evaluate("element => element === document.activeElement"):
            break
    expect(summary).to_be_focused()
    page.keyboard.press("Enter")
    expect(days).to_have_count(3)
    yesterday = (now - timedelta(days=1)).date()
    expect(days.nth(1)).to_have_text(f"1 review on {yesterday:%a} {yesterday.day} {yesterday:%b %Y}")
    expect(days.nth(1)).to_be_visible()
