"""The query page in Chromium: run an example, read the table, follow an IRI, use the keyboard, fit a phone."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

SDLC = "The Azure counterpart of every AWS service in DOP-C02's SDLC Automation domain"
SDLC_QUERY_START = re.compile(r"^# The Azure counterpart[^\n]*\nPREFIX ops: ")


def test_run_an_example_and_see_the_table(page: Page, live_server: str):
    page.goto(f"{live_server}/query")
    expect(page.get_by_role("heading", name="Query the knowledge graph")).to_be_visible()
    page.get_by_role("link", name=SDLC).click()

    table = page.get_by_role("table")
    expect(table).to_be_visible()
    expect(table.locator("thead th")).to_have_text(["aws", "awsService", "azure", "azureService"])
    assert table.locator("tbody tr").count() >= 10
    row = table.locator("tbody tr", has_text="Amazon Elastic Kubernetes Service")
    expect(row).to_contain_text("Azure Kubernetes Service")
    expect(page.locator("#query")).to_have_value(SDLC_QUERY_START)
    expect(page.locator("#query-highlight .token.keyword").first).to_be_visible()
    expect(page.get_by_role("link", name="CSV")).to_have_attribute("download", "opsprep-results.csv")

    row.get_by_role("link", name="aws:eks").click()
    expect(page.locator("pre.rdf")).to_contain_text('skos:prefLabel "Amazon Elastic Kubernetes Service"@en')


def test_type_a_query_and_run_it_with_the_keyboard(page: Page, live_server: str):
    page.goto(f"{live_server}/query")
    editor = page.locator("#query")
    editor.fill("SELECT ?name WHERE { ?t ops:agentModel ops:Agentless ; skos:prefLabel ?name }")
    editor.press("Control+Enter")
    expect(page.get_by_role("table").locator("tbody td")).to_have_text(["Ansible"])


def test_a_syntax_error_is_announced(page: Page, live_server: str):
    page.goto(f"{live_server}/query")
    page.locator("#query").fill("SELECT ?x WHERE {")
    page.get_by_role("button", name="Run query").click()
    expect(page.get_by_role("alert")).to_contain_text("Malformed SPARQL query")


def test_the_page_fits_a_phone(phone: Page, live_server: str):
    phone.goto(f"{live_server}/query?example=retired-and-renamed")
    expect(phone.get_by_role("table")).to_be_visible()
    overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
