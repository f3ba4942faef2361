"""The Anki decks page in a real browser: reached from the menu, styled under the CSP, downloads by keyboard."""

from __future__ import annotations

import zipfile

from playwright.sync_api import Page, expect


def test_the_menu_leads_to_the_decks_and_a_domain_deck_downloads_by_keyboard(live_server: str, page: Page, tmp_path):
    page.goto(f"{live_server}/graph/")
    page.get_by_role("link", name="Anki decks").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Anki decks")
    expect(page.get_by_role("link", name="Anki decks")).to_have_attribute("aria-current", "page")
    button = page.get_by_role("link", name="Download the CKA deck")
    expect(button).to_be_visible()
    # the page's own style sheet applies (an inline <style> would be blocked by the CSP): a filled button
    expect(button).to_have_css("background-color", "rgb(11, 87, 208)")
    domain = page.get_by_role("link", name="Download the deck of domain 2, Workloads and Scheduling")
    domain.focus()
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == "opsprep-CKA-domain-2.apkg"
    saved = tmp_path / "deck.apkg"
    download.value.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        assert "collection.anki2" in archive.namelist()


def test_the_decks_page_fits_a_phone(live_server: str, phone: Page):
    phone.goto(f"{live_server}/export/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Anki decks")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, width
