"""DOP-C02 scenario questions in Chromium: the exam shows the situation and its requirements in plain type
above what is asked, the options are whole solutions, and the result explains every option by the
requirement it fails. By keyboard; no sleeps."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from opsprep.questions.solution_proof import is_solution_item
from opsprep.web.resources import get_bank
from tests.web_helpers import PASSWORD, app_progress, make_app, serve


@pytest.fixture(scope="module")
def scenario_app(tmp_path_factory) -> Flask:
    app = make_app(tmp_path_factory.mktemp("scenario-flow"), GRAPH_FILES=None, WTF_CSRF_ENABLED=True)
    app.config["EXAM_SHORT_QUESTIONS"] = 3
    return app


@pytest.fixture(scope="module")
def server(scenario_app: Flask) -> Iterator[str]:
    with serve(scenario_app) as url:
        yield url


def test_a_dop_c02_exam_asks_scenarios_and_explains_each_option(scenario_app: Flask, server: str, page: Page):
    page.goto(f"{server}/register")
    page.get_by_label("Name").fill("sam")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    bank = get_bank(scenario_app)
    with app_progress(scenario_app) as progress:
        me = progress.learner(progress.find_learner("sam").id)
        attempt = me.start_exam("DOP-C02", count=3, seed=11)
        items = [bank.get(attempt.question(n).item_id) for n in (1, 2, 3)]
    assert all(is_solution_item(i) for i in items), [i.template for i in items]

    page.goto(f"{server}/exam/{attempt.id}/1")
    legend = page.locator("fieldset.question legend")
    situation = legend.locator(".situation")
    expect(situation).to_be_visible()
    assert len(situation.inner_text().split()) >= 40
    expect(legend.locator(".asked")).to_have_text(re.compile(r"^Which .*(LEAST|MOST)"))
    assert page.locator("ol.options li").count() == items[0].option_count

    for position in (1, 2, 3):
        expect(page.locator(".exam-where")).to_contain_text(f"question {position} of 3")
        page.wait_for_load_state()
        wanted = int(page.locator("#exam-form").get_attribute("data-choose"))
        for key in range(1, wanted + 1):
            page.keyboard.press(str(key))
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile("Review|review"))).to_be_visible()
    page.get_by_role("button", name=re.compile("Finish|Submit", re.I)).first.click()
    expect(page.locator(".stem .situation").first).to_be_visible()
    text = page.locator("main").inner_text()
    assert re.search(r"meets? every requirement", text)
    assert re.search(r"[A-F] (is wrong|meets the other requirements)", text)
    assert "fails the requirement" in text or "more operational overhead" in text
