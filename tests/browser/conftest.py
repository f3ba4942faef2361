"""Browser tests: the app served on 127.0.0.1 and Debian's Chromium driven by Playwright.

A missing browser fails the run (it is not skipped): install it with ``apt-get install -y chromium``.
The tests take no screenshots (``docs/screenshots.py`` makes the README's) and never sleep: they wait for
what they need with Playwright's auto-waiting ``expect``, whose time limit is only a guard against hanging.
"""

from __future__ import annotations

import contextlib
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


@contextlib.contextmanager
def _page(browser: Browser, **options) -> Iterator[Page]:
    """A page in a fresh context; the test fails if the browser blocked anything under the app's
    Content-Security-Policy (a script, style or frame the pages rely on)."""
    context = browser.new_context(**options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    blocked: list[str] = []
    page.on(
        "console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None
    )
    yield page
    context.close()
    assert blocked == [], f"the Content-Security-Policy blocked: {blocked}"


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    with _page(browser, viewport={"width": 1280, "height": 900}) as page:
        yield page


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    with _page(browser, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True) as page:
        yield page
