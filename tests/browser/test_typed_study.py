"""Typed answers on the study page, with the keyboard alone: a Deployment manifest written in the code editor
(Tab indents, Ctrl+Enter submits) gets a requirement-level verdict and the model answer; a kubectl command in
a variant spelling is accepted and the accepted form shown; typed markup comes back as text; the editor lets
keyboard users leave it, keeps a draft through a reload and fits a phone's screen.

The app runs over a small hand-made bank (:func:`tests.test_web_typed.typed_bank`) with real CSRF checks.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.keyboard import arrived, register
from tests.test_web_typed import MODEL_MANIFEST, SCALE, STARTER, typed_app
from tests.web_helpers import serve

EDITOR = "textarea#answer-text"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory) -> Iterator[str]:
    app = typed_app(tmp_path_factory.mktemp("typed-study"), WTF_CSRF_ENABLED=True)
    with serve(app) as url:
        yield url


def type_code(page: Page, text: str) -> None:
    """Type ``text`` line by line as a person would in the editor: its indentation with Tab (two spaces a
    press), then the line, then Enter."""
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        for _ in range((len(line) - len(stripped)) // 2):
            page.keyboard.press("Tab")
        page.keyboard.type(stripped)
        page.keyboard.press("Enter")


def open_task(page: Page, base_url: str, name: str) -> Locator:
    """Register ``name`` and open the manifest task; the editor, focused on arrival."""
    register(page, base_url, name)
    page.goto(f"{base_url}/study/KUBE?domain=1")
    editor = page.locator(EDITOR)
    arrived(page, editor)
    expect(editor).to_be_focused()
    return editor


def test_a_deployment_written_in_the_editor_gets_a_requirement_level_verdict(page: Page, base_url):
    editor = open_task(page, base_url, "ada")
    expect(editor).to_have_value(STARTER)
    page.keyboard.press("Control+End")
    rest = MODEL_MANIFEST.removeprefix(STARTER).replace("replicas: 3", "replicas: 2")  # one requirement unmet
    type_code(page, rest)
    expect(editor).to_have_value(STARTER + rest)  # Tab put in exactly the indentation YAML needs
    page.keyboard.press("Control+Enter")

    arrived(page, page.locator("#rate-form"))
    expect(page.locator("#verdict")).to_contain_text("Partly right.")
    expect(page.locator("#verdict")).to_contain_text("3 of 4 requirements met")
    unmet = page.locator(".requirement-results li.unmet")
    expect(unmet).to_have_count(1)
    expect(unmet).to_contain_text("It runs three replicas")
    expect(page.locator(".requirement-results li.met")).to_have_count(3)
    model = page.locator('pre[aria-label="Model answer"] code')
    expect(model).to_have_text(MODEL_MANIFEST)
    expect(model.locator(".token").first).to_be_visible()  # coloured by the vendored Prism
    expect(page.locator('pre[aria-label="Your manifest"] code')).to_contain_text("replicas: 2")
    expect(page.locator('.rating[value="good"]')).to_be_disabled()  # as after a wrong choice

    page.keyboard.press("u")  # undo: the task comes back with the manifest as written
    editor = page.locator(EDITOR)
    arrived(page, editor)
    expect(editor).to_have_value(STARTER + rest)
    editor.focus()
    page.keyboard.press("Control+Home")
    for _ in range(5):
        page.keyboard.press("ArrowDown")  # to "  replicas: 2"
    page.keyboard.press("End")
    page.keyboard.press("Backspace")
    page.keyboard.type("3")
    expect(editor).to_have_value(MODEL_MANIFEST)
    page.keyboard.press("Control+Enter")

    arrived(page, page.locator("#rate-form"))
    expect(page.locator("#verdict")).to_contain_text("Right.")
    expect(page.locator("#verdict")).to_contain_text("4 of 4 requirements met")
    expect(page.locator(".requirement-results li.unmet")).to_have_count(0)
    expect(page.locator('pre[aria-label="Model answer"] code')).to_have_text(MODEL_MANIFEST)
    page.keyboard.press(" ")  # Good
    expect(page.locator(".flash")).to_contain_text("rated Good")


def test_shift_tab_outdents_and_escape_then_tab_leaves_the_editor(page: Page, base_url):
    """Escape gives the page its keys back (U undoes, * bookmarks...) and Tab then moves on."""
    editor = open_task(page, base_url, "bo")
    page.keyboard.press("Control+End")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.type("metadata:")
    page.keyboard.press("Shift+Tab")
    expect(editor).to_have_value(STARTER + "  metadata:")
    page.keyboard.press("Shift+Tab")
    expect(editor).to_have_value(STARTER + "metadata:")
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")
    expect(editor).not_to_be_focused()
    expect(page.locator('#answer-form button[type="submit"]')).to_be_focused()
    expect(editor).to_have_value(STARTER + "metadata:")  # the Tab that left added nothing


def test_the_draft_survives_a_reload(page: Page, base_url):
    editor = open_task(page, base_url, "cy")
    page.keyboard.press("Control+End")
    page.keyboard.type("metadata:")
    page.reload()
    arrived(page, editor)
    expect(editor).to_have_value(STARTER + "metadata:")
    expect(page.locator("#answer-text-draft")).to_be_visible()


def test_markup_typed_into_the_editor_is_shown_back_as_text(page: Page, base_url):
    editor = open_task(page, base_url, "di")
    page.keyboard.press("Control+A")
    page.keyboard.type("<script>document.title = 'pwned'</script>")
    expect(editor).to_have_value("<script>document.title = 'pwned'</script>")
    page.keyboard.press("Control+Enter")
    arrived(page, page.locator("#rate-form"))
    expect(page.locator("#verdict")).to_contain_text("Wrong.")
    mine = page.locator('pre[aria-label="Your manifest"] code')
    expect(mine).to_have_text("<script>document.title = 'pwned'</script>")
    expect(mine.locator("script")).to_have_count(0)
    assert "pwned" not in page.title()
    expect(page.locator(".typed-problems")).to_be_visible()  # it is no manifest: the problem is named


def test_a_kubectl_command_in_a_variant_form_is_accepted(page: Page, base_url):
    register(page, base_url, "ed")
    page.goto(f"{base_url}/study/KUBE?domain=2")
    field = page.locator("input#answer-text")
    arrived(page, field)
    expect(field).to_be_focused()
    page.keyboard.type("k scale deploy/web -n shop --replicas 5")
    page.keyboard.press("Enter")
    arrived(page, page.locator("#rate-form"))
    expect(page.locator("#verdict")).to_have_text("Right.")
    expect(page.locator(".accepted-forms li")).to_have_text([SCALE])
    expect(page.locator(".typed-mine")).to_have_text("k scale deploy/web -n shop --replicas 5")


@pytest.fixture
def phone390(browser) -> Iterator[Page]:
    from tests.browser.conftest import _page

    with _page(browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True) as page:
        yield page


def test_the_editor_and_the_ratings_fit_a_phone(phone390: Page, base_url):
    page = phone390
    editor = open_task(page, base_url, "fy")
    box = editor.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing makes the page scroll sideways
    page.keyboard.press("Control+End")
    type_code(page, MODEL_MANIFEST.removeprefix(STARTER))
    page.keyboard.press("Control+Enter")
    arrived(page, page.locator("#rate-form"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for rating in page.locator(".rating").all():
        expect(rating).to_be_in_viewport()  # the bar sticks to the bottom of the screen
