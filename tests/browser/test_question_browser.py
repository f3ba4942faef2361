"""By keyboard alone: bookmark, bury and suspend questions from the study card, study the bookmarks in
their own mode, and find, page through and flag questions in the question browser.

Runs on the shipped graph (the session's live server, real CSRF checks). Before each key press the test
waits for the page it means and for that page's scripts; focus moves with Tab, never by clicking.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.keyboard import arrived, register, tab_to


def shown_item(page: Page) -> str:
    arrived(page, page.locator("#answer-form"))
    return page.locator('#answer-form input[name="item_id"]').input_value()


def test_bookmark_bury_and_suspend_from_the_study_card_by_keyboard(live_server: str, page: Page):
    register(page, live_server, "hana")
    page.goto(f"{live_server}/study/CKA")
    first = shown_item(page)
    page.keyboard.press("Escape")  # a typed question's field has the focus: Esc gives the keys back to the page
    page.keyboard.press("*")
    expect(page.locator(".flash")).to_contain_text("Bookmarked")
    assert shown_item(page) == first  # the same question, now bookmarked
    expect(page.locator('#card-actions button[aria-keyshortcuts="*"]')).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("Escape")
    page.keyboard.press("-")
    expect(page.locator(".flash")).to_contain_text("Buried until tomorrow")
    second = shown_item(page)
    assert second != first
    page.keyboard.press("Escape")
    page.keyboard.press("@")
    expect(page.locator(".flash")).to_contain_text("Suspended")
    assert shown_item(page) not in (first, second)

    modes = page.get_by_role("navigation", name="Study modes")
    bookmarked = modes.get_by_role("link", name=re.compile("^Bookmarked"))
    expect(bookmarked.locator(".mode-count")).to_have_text("0")  # the bookmark is buried for today

    page.goto(f"{live_server}/questions/?state=buried")
    row = page.locator(".question-row").first
    arrived(page, row)
    expect(page.locator(".question-row")).to_have_count(1)
    expect(row.locator(".state-bookmarked")).to_be_visible()
    tab_to(page, row.get_by_role("button", name="Unbury"))
    page.keyboard.press("Enter")
    expect(page.locator(".flash")).to_contain_text("Unburied")
    expect(page.locator(".question-row")).to_have_count(0)

    page.goto(f"{live_server}/study/CKA")
    arrived(page, page.locator("#answer-form"))
    link = page.get_by_role("navigation", name="Study modes").get_by_role("link", name=re.compile("^Bookmarked"))
    expect(link.locator(".mode-count")).to_have_text("1")
    tab_to(page, link)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"mode=bookmarked"))
    assert shown_item(page) == first
    expect(page.locator('.study-modes a[aria-current="page"]')).to_contain_text("Bookmarked")

    page.goto(f"{live_server}/questions/?state=suspended")
    arrived(page, page.locator(".question-row").first)
    expect(page.locator(".question-row")).to_have_count(1)
    expect(page.locator(".question-row .state-suspended")).to_have_text("Suspended")


def test_find_page_through_and_flag_questions_by_keyboard(live_server: str, page: Page):
    register(page, live_server, "ines")
    page.goto(f"{live_server}/questions/")
    expect(page.locator("#q")).to_be_focused()  # the search field has the focus: type at once
    page.keyboard.type("kubernetes")
    page.keyboard.press("Tab")  # the certification
    expect(page.locator("#cert")).to_be_focused()
    page.keyboard.type("CKA")  # a select picks the option typed
    expect(page.locator("#cert")).to_have_value("CKA")
    tab_to(page, page.get_by_role("button", name="Find questions"))
    page.keyboard.press("Enter")
    heading = page.locator("#results-heading")
    expect(heading).to_contain_text(re.compile(r"^\d+ questions?"))
    expect(page).to_have_url(re.compile(r"q=kubernetes&cert=CKA"))
    total = int(re.match(r"\d+", heading.inner_text()).group())
    assert total > 25, "the search should fill more than one page"
    expect(heading).to_contain_text("page 1 of")
    first_rows = page.locator(".question-stem").all_inner_texts()

    tab_to(page, page.get_by_role("link", name="Next →").first)  # the pager above the list
    page.keyboard.press("Enter")
    expect(heading).to_contain_text("page 2 of")
    assert page.locator(".question-stem").all_inner_texts() != first_rows

    row = page.locator(".question-row").first
    stem = row.locator(".question-stem").inner_text()
    tab_to(page, row.get_by_role("button", name="Bookmark", exact=True))
    page.keyboard.press("Enter")
    expect(page.locator(".flash")).to_contain_text("Bookmarked")
    expect(heading).to_contain_text("page 2 of")  # back on the same page
    expect(page.locator(".question-row").first.locator(".state-bookmarked")).to_be_visible()

    tab_to(page, page.locator(".question-row").first.locator(".question-stem a"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(stem)
    expect(page.get_by_role("heading", name="History")).to_be_visible()
    expect(page.locator(".state-bookmarked")).to_be_visible()
    tab_to(page, page.get_by_role("button", name="Bookmarked"))
    page.keyboard.press("Enter")
    expect(page.locator(".flash")).to_contain_text("Bookmark removed")
    expect(page.locator(".state-bookmarked")).to_have_count(0)
    tab_to(page, page.get_by_role("link", name="← Back to the questions"))
    page.keyboard.press("Enter")
    expect(heading).to_contain_text("page 2 of")
