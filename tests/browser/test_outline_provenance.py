"""A corroborated outline in Chromium: every page that shows the AZ-400 blueprint of the fixture graph
``tests/fixtures/graph-corroborated/`` says it was corroborated, and the pages that list the blueprint
link its sources; the official DOP-C02 outline says nothing of the kind; an outline note's markup is text."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from playwright.sync_api import Locator, Page, expect

from tests.test_outline_provenance import FIXTURE_FILES, LINE, NOTE, SOURCES
from tests.web_helpers import PASSWORD, make_app, serve


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> Flask:
    """The app on the fixture graph with one official and one corroborated outline, with real CSRF checks."""
    return make_app(tmp_path_factory.mktemp("outline-provenance"), FIXTURE_FILES, WTF_CSRF_ENABLED=True)


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


def shows_the_line(where: Locator) -> None:
    """The provenance line is visible there, and the note is shown as the text it is (no element made of it)."""
    expect(where.get_by_text(LINE, exact=True)).to_be_visible()


def links_the_sources(where: Locator) -> None:
    for source in SOURCES:
        link = where.get_by_role("link", name=source, exact=True)
        expect(link).to_be_visible()
        expect(link).to_have_attribute("href", source)


def no_markup_from_the_note(page: Page) -> None:
    assert page.locator(".outline-note b, .outline-note script").count() == 0  # the note's <b>, <script>: text


def card(page: Page, selector: str, heading: str) -> Locator:
    return page.locator(selector, has=page.get_by_role("heading", name=re.compile(heading)))


def test_every_page_showing_the_corroborated_blueprint_says_so(server: str, page: Page):
    register(page, server, "ada")

    page.goto(f"{server}/")  # home: the line on the card; the sources and note with the domains to study
    az, dop = card(page, "li.cert-card", r"^AZ-400\b"), card(page, "li.cert-card", r"^DOP-C02\b")
    shows_the_line(az)
    expect(dop.get_by_text("corroborated by")).to_have_count(0)
    az.get_by_text("Study one domain").click()
    links_the_sources(az)
    expect(az.get_by_text(NOTE, exact=True)).to_be_visible()
    no_markup_from_the_note(page)

    page.goto(f"{server}/export/")  # the decks page lists the domains
    az, dop = card(page, "section.deck", r"\(AZ-400\)"), card(page, "section.deck", r"\(DOP-C02\)")
    shows_the_line(az)
    links_the_sources(az)
    expect(az.get_by_text(NOTE, exact=True)).to_be_visible()
    expect(dop.get_by_text("corroborated by")).to_have_count(0)
    no_markup_from_the_note(page)

    page.goto(f"{server}/dashboard/AZ-400")  # readiness: the domains with their weights
    main = page.locator("main")
    shows_the_line(main)
    links_the_sources(main)
    expect(main.get_by_text(NOTE, exact=True)).to_be_visible()
    no_markup_from_the_note(page)

    page.goto(f"{server}/dashboard/DOP-C02")
    expect(page.locator("main").get_by_text("corroborated by")).to_have_count(0)

    page.goto(f"{server}/exam/")  # the exam's start page, with the figures it assumes
    az, dop = card(page, "section.cert-card", r"^AZ-400$"), card(page, "section.cert-card", r"^DOP-C02$")
    shows_the_line(az)
    expect(az.get_by_text(re.compile("assumed for this simulation"))).to_be_visible()
    expect(dop.get_by_text("corroborated by")).to_have_count(0)
    no_markup_from_the_note(page)

    az.get_by_label(re.compile("Short practice")).check()
    az.get_by_role("button", name="Start the AZ-400 exam").click()
    expect(page.locator(".exam-where")).to_contain_text("AZ-400 exam")
    page.goto(re.sub(r"/\d+$", "/review", page.url))
    page.get_by_role("button", name="Finish and see my score").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("AZ-400 exam:")  # the result
    shows_the_line(page.locator("main"))
    expect(page.locator("main").get_by_text(NOTE, exact=True)).to_be_visible()
    no_markup_from_the_note(page)
