"""Browser tests: the app served on 127.0.0.1 and Debian's Chromium driven by Playwright.

A missing browser fails the run (it is not skipped): install it with ``apt-get install -y chromium``.
The tests take no screenshots (``docs/screenshots.py`` makes the README's) and never sleep: they wait for
what they need with Playwright's auto-waiting ``expect``, whose time limit is only a guard against hanging.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.web_helpers import make_app, serve

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
#: how long an expectation, action or navigation may wait: a guard against hanging, not a speed limit (the
#: first page of the shipped graph builds its question bank, seconds on a loaded 2-core machine, while
#: Playwright's own default for ``expect`` is 5 s)
TIMEOUT_MS = 60_000
expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[str]:
    """The app on the shipped graph with real CSRF checks, on a free port of 127.0.0.1; yields its base URL.
    Its instance folder and database are temporary (``make_app``): the checkout's ``instance/`` stays untouched."""
    app = make_app(
        tmp_path_factory.mktemp("live-server"),
        GRAPH_FILES=None,
        WTF_CSRF_ENABLED=True,
        SPARQL_WORKERS=2,
        SPARQL_TIMEOUT=60.0,  # these tests do not test the limit: only a guard against hanging
    )
    with serve(app) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: run `apt-get install -y chromium`.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()
