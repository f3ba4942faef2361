"""The graph browser in a real browser: search, follow a link, read a thing's page."""

from __future__ import annotations

from playwright.sync_api import Page, expect


def test_search_and_open_a_thing(live_server: str, page: Page):
    page.goto(f"{live_server}/graph/")
    page.get_by_label("Search by name").fill("terraform")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=2).first).to_contain_text("for “terraform”")
    page.get_by_role("link", name="Terraform", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Terraform")
    expect(page.locator(".definition")).not_to_be_empty()
    expect(page.get_by_role("heading", name="Facts and relations")).to_be_visible()
    page.get_by_role("link", name="HashiCorp").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("HashiCorp")
    expect(page.get_by_role("heading", name="Linked from")).to_be_visible()


def test_thing_page_fits_a_phone(live_server: str, browser):
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto(f"{live_server}/graph/aws/codedeploy")
    expect(page.get_by_role("heading", level=1)).to_have_text("AWS CodeDeploy")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, width
    context.close()


def test_search_by_keyboard_finds_blue_green_however_it_is_written(live_server: str, page: Page):
    page.goto(f"{live_server}/graph/")
    search = page.get_by_label("Search by name")
    search.focus()
    page.keyboard.type("blue green")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=2).first).to_contain_text("for “blue green”")
    first = page.locator(".results li a").first
    expect(first).to_have_text("blue/green deployment")
    first.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("blue/green deployment")


def test_a_value_of_the_ontology_opens_in_the_app(live_server: str, page: Page):
    page.goto(f"{live_server}/graph/tool/ansible")
    link = page.get_by_role("link", name="agentless", exact=True)
    expect(link).to_have_attribute("href", "/graph/ontology/Agentless")
    link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("agentless")
    expect(page.get_by_role("link", name="Ansible", exact=True)).to_be_visible()
