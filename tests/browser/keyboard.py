"""Keyboard-only steps the browser tests share: wait for a page, Tab to an element, register."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

from tests.web_helpers import PASSWORD


def arrived(page: Page, locator: Locator) -> None:
    """Wait for ``locator`` on the page just navigated to, then for that page's scripts, which handle the keys."""
    expect(locator).to_be_visible()
    page.wait_for_load_state()


def tab_to(page: Page, target: Locator, limit: int = 80) -> None:
    """Press Tab until ``target`` has the focus (it must be reachable within ``limit`` presses)."""
    for _ in range(limit):
        if target.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{target} cannot be reached with Tab")


def register(page: Page, base_url: str, name: str) -> None:
    """Register ``name`` by keyboard (the name field has the focus on arrival)."""
    page.goto(f"{base_url}/register")
    expect(page.locator("#name")).to_be_focused()
    page.keyboard.type(name)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator(".flash")).to_contain_text(f"Welcome, {name}")
