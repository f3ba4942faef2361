"""Make the README's screenshots: the real app, a fresh learner, Debian's Chromium.

Serves the app on a free port of 127.0.0.1 with a temporary instance folder and progress database (removed
at the end), then drives Chromium through what the README shows: register, study ten questions and read
the feedback, the home page, settings, a short exam and its result, the dashboard, a page of the graph
browser and the query page. It writes nothing but the PNG files.

    .venv/bin/python docs/screenshots.py [--out DIR]      # default: docs/screenshots

Needs Chromium at /usr/bin/chromium (``apt-get install -y chromium``) and Playwright (``pip install -e '.[test]'``).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import re
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from flask import Flask
from playwright.sync_api import Locator, Page, expect, sync_playwright
from werkzeug.serving import make_server

from opsprep.web.app import create_app

HERE = Path(__file__).resolve().parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
VIEWPORT = {"width": 1280, "height": 900}
CLIP = {"x": 0, "y": 0, "width": 1280, "height": 640}  # the top of a short page, without the empty rest
TIMEOUT_MS = 60_000  # the first page builds the question bank: seconds on a slow machine
PASSWORD = "correct horse battery"
SDLC_EXAMPLE = "The Azure counterpart of every AWS service in DOP-C02's SDLC Automation domain"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Make the README's screenshots with the app and Chromium.")
    parser.add_argument("--out", type=Path, default=HERE / "screenshots", help="folder for the PNG files")
    args = parser.parse_args(argv)
    if not CHROMIUM.is_file():
        parser.error(f"Chromium is not installed at {CHROMIUM}: run `apt-get install -y chromium`.")
    args.out.mkdir(parents=True, exist_ok=True)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    with tempfile.TemporaryDirectory(prefix="opsprep-screenshots-") as folder:
        app = fresh_app(Path(folder))
        with serve(app) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport=VIEWPORT)
                page.set_default_timeout(TIMEOUT_MS)
                written = take_screenshots(page, url, args.out)
            finally:
                browser.close()
    print(f"Wrote {len(written)} screenshots to {args.out}: {', '.join(written)}")
    return 0


def fresh_app(folder: Path) -> Flask:
    """The app with its instance folder (secret key) and progress database in ``folder``."""
    os.environ["OPSPREP_INSTANCE"] = str(folder / "instance")  # read by create_app
    return create_app({"DATABASE": str(folder / "progress.db")})


@contextlib.contextmanager
def serve(app: Flask) -> Iterator[str]:
    """Serve ``app`` on a free port of 127.0.0.1 in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
        pool = app.extensions.get("opsprep.sparql.pool")  # the query page's workers
        if pool is not None:
            pool.close()


def take_screenshots(page: Page, url: str, out: Path) -> list[str]:
    """Walk through the app as a new learner; returns the names of the files written."""
    written = []

    def shot(name: str, **options) -> None:
        page.screenshot(path=str(out / name), **options)
        written.append(name)

    register(page, url)
    study(page, url, shot)
    page.goto(f"{url}/")
    expect(page.locator(".cert-card.current")).to_be_visible()
    shot("home.png", full_page=True)
    page.goto(f"{url}/settings/")
    shot("settings.png", clip=CLIP)
    short_exam(page, url, shot)
    page.goto(f"{url}/dashboard/DOP-C02")
    expect(page.locator("table.mastery tbody tr").first).to_be_visible()
    shot("dashboard.png", full_page=True)
    page.goto(f"{url}/graph/")
    page.get_by_label("Search by name").fill("terraform")
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Terraform", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Terraform")
    shot("graph-thing.png")
    page.goto(f"{url}/query")
    page.get_by_role("link", name=SDLC_EXAMPLE).click()
    expect(page.get_by_role("table").locator("tbody tr").first).to_be_visible()
    expect(page.locator("#query-highlight .token.keyword").first).to_be_visible()
    shot("sparql.png", full_page=True)
    return written


def arrived(page: Page, locator: Locator) -> None:
    """Wait for ``locator`` on the page just navigated to, then for that page's scripts (they handle the keys)."""
    expect(locator).to_be_visible()
    page.wait_for_load_state()


def register(page: Page, url: str) -> None:
    page.goto(f"{url}/register")
    page.get_by_label("Name").fill("ada")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def study(page: Page, url: str, shot) -> None:
    """Ten DOP-C02 questions by keyboard: the first question, and the feedback of the first right answer
    (of the last answer when none is right)."""
    page.goto(f"{url}/study/DOP-C02")
    feedback_shot = False
    for number in range(10):
        arrived(page, page.locator("#answer-form"))
        hint = page.locator("#choose-hint")  # "Choose 2." on questions with several answers
        picks = int(re.search(r"\d+", hint.inner_text()).group()) if hint.count() else 1
        for key in ("1", "b", "3", "d")[:picks]:
            page.keyboard.press(key)
        expect(page.locator('input[name="choice"]:checked')).to_have_count(picks)
        if number == 0:
            shot("study-question.png", clip=CLIP)
        page.keyboard.press("Enter")
        arrived(page, page.locator("#rate-form"))
        right = page.locator("#verdict").inner_text() == "Right."
        if not feedback_shot and (right or number == 9):
            shot("study-feedback.png", full_page=True)
            feedback_shot = True
        page.keyboard.press(" ")  # Good, or Again after a wrong answer
        expect(page.locator("#rate-form")).to_have_count(0)


def short_exam(page: Page, url: str, shot) -> None:
    """A short DOP-C02 exam by keyboard: question 3 with two answered (one flagged), then the result."""
    page.goto(f"{url}/exam/")
    card = page.locator("section.cert-card", has=page.get_by_role("heading", name="DOP-C02", exact=True))
    card.get_by_label(re.compile("Short practice")).check()
    card.get_by_role("button", name="Start the DOP-C02 exam").click()
    at_question(page, 1)
    total = int(re.search(r"question 1 of (\d+)", page.locator(".exam-where").inner_text()).group(1))
    page.keyboard.press("1")
    expect(page.locator(".save-status")).to_have_text("Saved")
    page.keyboard.press("m")  # flag it
    arrived(page, page.get_by_role("button", name="Flag for review", pressed=True))
    page.keyboard.press("Enter")
    at_question(page, 2)
    page.keyboard.press("b")
    expect(page.locator('input[name="choice"][value="B"]')).to_be_checked()
    page.keyboard.press("Enter")
    at_question(page, 3)
    page.keyboard.press("2")
    expect(page.locator(".save-status")).to_have_text("Saved")
    shot("exam.png")
    page.keyboard.press("Enter")
    for number in range(4, total + 1):
        at_question(page, number)
        found = re.search(r"Choose (TWO|THREE)", page.locator("fieldset.question legend").inner_text())
        for key in ["1", "2", "3"][: {"TWO": 2, "THREE": 3}[found.group(1)]] if found else ["1"]:
            page.keyboard.press(key)
        page.keyboard.press("Enter")
    page.get_by_role("button", name="Finish and see my score").click()
    expect(page.get_by_role("heading", name="Score per domain")).to_be_visible()
    shot("exam-result.png")


def at_question(page: Page, number: int) -> None:
    """Wait for the page of exam question ``number``, scripts included."""
    arrived(page, page.locator(".exam-where", has_text=re.compile(rf"question {number} of \d+")))


if __name__ == "__main__":
    raise SystemExit(main())
