"""Error pages in a real browser: in the site's frame and style, for a missing page and for a progress
database that fails before the learner is loaded."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.web_helpers import PASSWORD, make_app, serve

#: the site header's background and the error panel's border (style.css)
HEADER = "rgb(21, 32, 43)"
ERROR_RED = "rgb(159, 28, 18)"


def test_a_missing_page_is_styled_and_leads_on_by_keyboard(live_server: str, page: Page):
    response = page.goto(f"{live_server}/graph/tool/no-such-tool")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    expect(page.locator(".site-header")).to_have_css("background-color", HEADER)
    expect(page.locator(".error-page")).to_have_css("border-left-color", ERROR_RED)
    page.get_by_role("link", name="Search the graph").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Browse the graph")


def test_a_damaged_database_is_a_styled_page_for_a_logged_in_learner(tmp_path, page: Page):
    app = make_app(tmp_path)
    with serve(app) as url:
        page.goto(f"{url}/register")
        page.get_by_label("Name").fill("ada")
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_label("Password again").fill(PASSWORD)
        page.keyboard.press("Enter")
        expect(page.get_by_role("button", name="Log out")).to_be_visible()
        for path in tmp_path.glob("progress.db-*"):
            path.unlink()
        (tmp_path / "progress.db").write_bytes(b"not a database" * 512)
        response = page.goto(f"{url}/")
        assert response is not None and response.status == 503
        expect(page.get_by_role("heading", level=1)).to_have_text("Unavailable right now")
        expect(page.get_by_role("alert")).to_contain_text("is not a usable progress database")
        expect(page.locator(".site-header")).to_have_css("background-color", HEADER)
        expect(page.get_by_role("link", name="Log in")).to_be_visible()
