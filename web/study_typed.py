"""Questions answered by typing, and code shown with a question: what the study and exam pages render.

A typed question (a command, a field path, a value) gets a one-line text field; a task (write or fix a
Kubernetes manifest or a Terraform configuration) gets a code editor, a ``<textarea>`` that
``static/editor.js`` makes indent with Tab. Both post their text as the form field ``response``. Code
shown with a question, and the model answer, are ``<pre><code class="language-…">`` blocks that the
vendored Prism colours (``static/prism-code.js``); without JavaScript they stay plain, escaped text.
The templates' macros are in ``templates/study/_typed.html``.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Request

from opsprep.engine.grading import MAX_TYPED_CHARS
from opsprep.questions import Presentation, QuestionType, Response, Verdict
from opsprep.questions.task_checks import TASK_FORMS
from opsprep.questions.typed_answers import COMMAND_FORMS

#: the form field a typed answer is posted in
FIELD = "response"
#: response forms written in the code editor (many lines: the tasks); every other form is one line
EDITOR_FORMS = TASK_FORMS
#: Prism's name of each code language the graph uses ("text" and anything unknown stay plain)
PRISM_LANGUAGES = {"yaml": "yaml", "yml": "yaml", "hcl": "hcl", "terraform": "hcl", "shell": "bash", "bash": "bash"}
#: what the field is called, by response form (any other: "Your command")
LABELS = {
    "manifest": "Your manifest (YAML)",
    "hcl": "Your configuration (HCL)",
    "field_path": "The field path",
    "value": "Your answer",
}
#: what a task's answer is called in the verdict, by response form
WRITTEN = {"manifest": "manifest", "hcl": "configuration"}
#: what grading overlooks when it compares a typed answer with the accepted forms, by response form (as
#: questions.typed_answers and questions.command_lines normalise them)
OVERLOOKED = {
    "kubectl": "Flag order, long or short flags, --flag=value or --flag value, -n or --namespace, quoting, "
    "k for kubectl, short resource names (deploy, svc) and TYPE/NAME or TYPE NAME do not matter.",
    "field_path": "White space, a leading dot and list markers ([], [0] or [*]) do not matter; names are "
    "case-sensitive.",
    "terraform": "Flag order, -flag=value or -flag value, and quoting do not matter.",
    "value": "Surrounding quotes do not matter and numbers compare as numbers; case matters, except in true and false.",
}
GENERIC_OVERLOOKED = "Flag order, long or short flags, --flag=value or --flag value, and quoting do not matter."


def code_class(language: str | None) -> str:
    """The class of a ``<code>`` element for Prism: ``language-yaml``, ``language-hcl``, ``language-bash``
    or ``language-none`` (plain)."""
    return "language-" + PRISM_LANGUAGES.get((language or "").strip().lower(), "none")


def is_command_item(presentation: Presentation) -> bool:
    """Whether the options of a question are command lines (shown in a monospace font)."""
    return presentation.type == QuestionType.COMMAND


def text_language(response: Response) -> str:
    """The language a typed answer is written in: the response's, else the one its form implies."""
    return response.language or {"manifest": "yaml", "hcl": "hcl"}.get(response.form, "")


@dataclass(frozen=True)
class TypedField:
    """The answer field of a typed question, as the templates draw it."""

    form: str
    editor: bool  # True: the many-line code editor; False: a one-line text field
    label: str
    text: str  # what the field holds: the learner's own text, else the question's starter
    own_text: bool  # True when ``text`` is the learner's (a refused answer, an undone one, a saved exam answer)
    requirements: tuple[str, ...]  # what a task asks for, in order
    limit: int = MAX_TYPED_CHARS


def typed_field(presentation: Presentation, text: str | None = None) -> TypedField | None:
    """The answer field of a question answered by typing (None for one answered by choosing).

    ``text`` is what the learner wrote before (kept across a refused answer, an undo or an exam visit);
    without it the field starts with the question's starter text.
    """
    response = presentation.response
    if response is None:
        return None
    editor = response.form in EDITOR_FORMS
    return TypedField(
        form=response.form,
        editor=editor,
        label=LABELS.get(response.form, "Your command"),
        text=response.starter if text is None else text,
        own_text=text is not None,
        requirements=tuple(r.text for r in response.requirements),
    )


def posted_text(request: Request) -> str:
    """The typed answer a form sent, its line ends made LF (a textarea sends CRLF: as LF, each line end counts
    once against the length limit, as the field's own ``maxlength`` counts it)."""
    return request.form.get(FIELD, "").replace("\r\n", "\n").replace("\r", "\n")


@dataclass(frozen=True)
class TypedVerdict:
    """How a typed answer was graded, as the feedback and result pages show it."""

    verdict: Verdict
    text: str  # the learner's text, shown back (escaped)
    form: str  # the response form (``kubectl``, ``manifest``, ...)
    task: bool  # graded requirement by requirement (a manifest or a configuration)
    written: str  # what the learner's text is called: "manifest", "configuration", "answer"
    language: str  # the language of the learner's text and the model answer (see :func:`code_class`)
    met: int
    total: int

    @property
    def heading(self) -> str:
        """``Right.``, ``Partly right.`` (a task with some requirements met) or ``Wrong.``."""
        if self.verdict.correct:
            return "Right."
        return "Partly right." if self.task and self.met else "Wrong."

    @property
    def summary(self) -> str:
        """A task's score in words: ``3 of 4 requirements met``; empty for a typed answer."""
        if not self.task:
            return ""
        noun = "requirement" if self.total == 1 else "requirements"
        return f"{self.met} of {self.total} {noun} met"

    @property
    def overlooked(self) -> str:
        """What grading a typed answer of this form overlooks, in a sentence (empty when nothing is)."""
        if self.task:
            return ""
        return OVERLOOKED.get(self.form, GENERIC_OVERLOOKED if self.form in COMMAND_FORMS else "")


def typed_verdict(response: Response, verdict: Verdict, text: str | None) -> TypedVerdict:
    """The verdict on a typed answer with what the pages need around it."""
    task = response.form in EDITOR_FORMS or bool(verdict.results)
    return TypedVerdict(
        verdict=verdict,
        text=text or "",
        form=response.form,
        task=task,
        written=WRITTEN.get(response.form, "answer"),
        language=text_language(response),
        met=sum(r.met for r in verdict.results),
        total=len(verdict.results),
    )
