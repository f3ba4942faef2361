"""Typed answers in exam mode, with the keyboard: a Deployment manifest written in the exam's editor is saved
in the background as it is typed (a reload keeps it), a kubectl command is saved with Enter, code shown with
a question is coloured, and the result shows each requirement met or not and the model answer.

The app runs over the small hand-made bank of :mod:`tests.test_web_typed` (its three questions are the
whole exam) with real CSRF checks.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.keyboard import arrived, register
from tests.browser.test_typed_study import type_code
from tests.test_web_typed import MODEL_MANIFEST, STARTER, typed_app
from tests.web_helpers import serve


@pytest.fixture(scope="module")
def base_url(tmp_path_factory) -> Iterator[str]:
    app = typed_app(tmp_path_factory.mktemp("typed-exam"), WTF_CSRF_ENABLED=True)
    with serve(app) as url:
        yield url


def go_to(page: Page, base: str, position: int) -> None:
    page.goto(f"{base}/{position}")
    arrived(page, page.locator("#exam-form"))


def test_typed_answers_in_an_exam_are_saved_and_scored_by_requirement(page: Page, base_url):
    register(page, base_url, "ada")
    page.goto(f"{base_url}/exam/")
    page.get_by_role("button", name="Start the KUBE exam").click()
    arrived(page, page.locator("#exam-form"))
    attempt = page.url.rsplit("/", 1)[0]
    kinds = {}
    for position in (1, 2, 3):
        go_to(page, attempt, position)
        kinds["task" if page.locator("textarea#exam-answer").count() else
              "typed" if page.locator("input#exam-answer").count() else "choice"] = position  # fmt: skip
    assert sorted(kinds) == ["choice", "task", "typed"]

    go_to(page, attempt, kinds["choice"])
    expect(page.locator("pre.code-block code .token").first).to_be_visible()  # the Service shown, coloured
    expect(page.locator("ol.options.monospace")).to_be_visible()

    go_to(page, attempt, kinds["task"])
    editor = page.locator("textarea#exam-answer")
    expect(editor).to_have_value(STARTER)
    editor.focus()
    page.keyboard.press("Control+End")
    rest = MODEL_MANIFEST.removeprefix(STARTER).replace("containerPort: 80", "containerPort: 8080")
    type_code(page, rest)
    written = STARTER + rest
    expect(editor).to_have_value(written)
    expect(page.locator(".save-status")).to_have_text("Saved")  # in the background, once typing paused
    go_to(page, attempt, kinds["task"])
    expect(page.locator("textarea#exam-answer")).to_have_value(written)  # the server kept it

    go_to(page, attempt, kinds["typed"])
    field = page.locator("input#exam-answer")
    field.focus()
    page.keyboard.type("kubectl scale --replicas=5 deployment/web -n shop")
    page.keyboard.press("Enter")  # saves and goes on
    expect(page).not_to_have_url(f"{attempt}/{kinds['typed']}")

    page.goto(f"{attempt}/review")
    page.get_by_role("button", name="Finish and see my score").click()
    task = page.locator(f"#q{kinds['task']}")
    expect(task).to_contain_text("3 of 4 requirements met")
    expect(task.locator("li.unmet")).to_contain_text("The container serves on port 80")
    expect(task.locator('pre[aria-label^="Model answer"] code')).to_have_text(MODEL_MANIFEST)
    expect(page.locator(f"#q{kinds['typed']} .tag.right")).to_be_visible()
