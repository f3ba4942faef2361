"""The question browser: find questions of the bank, see how the learner stands with each, and suspend,
bury or bookmark them (as Anki's card browser).

``GET /questions/`` lists the questions matching a search, a page at a time: ``q`` (words in the
question or its options), ``cert`` (exam code), ``domain`` (number, with ``cert``), ``kind`` (question
type), ``family`` (template family), ``state`` (new, learning, review, due, suspended, buried, wrong,
bookmarked) and ``page``. ``GET /questions/<item_id>`` shows one question with its card and every
answer given to it. ``POST /questions/<item_id>/flag`` (``action``: suspend, unsuspend, bury, unbury,
bookmark or unbookmark; ``next``: where to go back to) sets a flag; the study card's buttons post
there too. The study pages' card actions and study-mode links (``study/_card_actions.html``,
``study/_modes.html``) read the learner's flags and mode counts through this module's template globals.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from opsprep.engine import CardFlags
from opsprep.engine.card_flags import ACTIONS
from opsprep.engine.cards import BROWSE_STATES
from opsprep.engine.items import item_families
from opsprep.engine.study_queue import MODE_LABELS
from opsprep.questions import QuestionItem, QuestionType

from .auth import current_progress, login_required, safe_next
from .home import CertInfo, catalogue
from .links import kept_url_for
from .resources import get_bank

bp = Blueprint("questions", __name__, url_prefix="/questions")

#: the search fields of the list, as query parameters
FIELDS = ("q", "cert", "domain", "kind", "family", "state")
MAX_QUERY = 200
#: question types as the pages name them
KINDS = {
    QuestionType.SINGLE: "One answer",
    QuestionType.MULTIPLE: "Several answers",
    QuestionType.TRUE_FALSE: "True or false",
    QuestionType.EQUIVALENT: "Counterpart on another cloud",
    QuestionType.ODD_ONE_OUT: "Odd one out",
    QuestionType.SCENARIO: "Scenario",
    QuestionType.DEFINITION_TO_TERM: "Definition → term",
    QuestionType.TERM_TO_DEFINITION: "Term → definition",
}
STATES = {
    "new": "New",
    "learning": "Learning",
    "review": "In review",
    "due": "Due now",
    "suspended": "Suspended",
    "buried": "Buried",
    "wrong": "Wrong last time",
    "bookmarked": "Bookmarked",
}
#: what the learner is told after each action
DONE = {
    "suspend": "Suspended: this question will not come up until you unsuspend it.",
    "unsuspend": "Unsuspended: this question comes back on its schedule.",
    "bury": "Buried until tomorrow: this question will not come up again today.",
    "unbury": "Unburied: this question can come up again today.",
    "bookmark": "Bookmarked: find it in the Bookmarked study mode or in the question browser.",
    "unbookmark": "Bookmark removed.",
}
assert set(STATES) == set(BROWSE_STATES) and set(DONE) == set(ACTIONS)


@bp.get("/")
@login_required
def index():
    """The questions matching the search, a page at a time, with the learner's state of each."""
    search = _search()
    page_number = request.args.get("page", "1")
    if not (page_number.isascii() and page_number.isdigit() and len(page_number) <= 9):  # not "²", not 5000 digits
        abort(400, description="The page must be a whole number (1 is the first).")
    cert = _cert(search["cert"]) if search["cert"] else None
    found = current_progress().find_questions(
        text=search["q"],
        cert=cert.iri if cert else None,
        domain=search["domain"] or None,
        kind=search["kind"] or None,
        family=search["family"] or None,
        state=search["state"] or None,
        page=int(page_number),
    )
    filters = {k: v for k, v in search.items() if v}

    def page_url(number: int) -> str:
        return url_for("questions.index") + "?" + urlencode({**filters, "page": number})

    return render_template(
        "questions/index.html",
        found=found,
        search=search,
        cert=cert,
        certs=list(catalogue().values()),
        kinds=KINDS,
        families=item_families(get_bank()),
        states=STATES,
        filed=_filed,
        here=page_url(found.page),
        previous=page_url(found.page - 1) if found.page > 1 else None,
        next=page_url(found.page + 1) if found.page < found.pages else None,
    )


@bp.get("/<item_id>")
@login_required
def question(item_id: str):
    """One question: its options, where it is filed, the learner's card, flags and every answer given."""
    if item_id not in get_bank().by_id:
        abort(404, description=f"The question bank has no question {item_id!r}.")
    me = current_progress()
    status = me.question_status(item_id)
    back = safe_next(request.args.get("back")) or url_for("questions.index")
    return render_template(
        "questions/question.html",
        status=status,
        item=status.item,
        history=me.question_history(item_id),
        kinds=KINDS,
        states=STATES,
        filed=_filed(status.item),
        back=back,
        here=request.full_path.rstrip("?"),
    )


@bp.post("/<item_id>/flag")
@login_required
def flag(item_id: str):
    """Suspend, unsuspend, bury, unbury, bookmark or unbookmark a question, then back to ``next``."""
    action = request.form.get("action", "")
    current_progress().flag_question(item_id, action)  # checked there: an unknown question or action is a 4xx
    flash(DONE[action], "success")
    return redirect(safe_next(request.form.get("next")) or url_for("questions.question", item_id=item_id))


def _search() -> dict[str, str]:
    """The search fields of the request, checked (a 400 for a value no question can have)."""
    search = {key: request.args.get(key, "").strip() for key in FIELDS}
    if len(search["q"]) > MAX_QUERY:
        abort(400, description=f"Search for at most {MAX_QUERY} characters.")
    if search["kind"] and search["kind"] not in {str(k) for k in KINDS}:
        abort(400, description=f"There is no question kind {search['kind']!r}: choose one from the list.")
    if search["family"] and search["family"] not in item_families(get_bank()):
        abort(400, description=f"There is no question family {search['family']!r}: choose one from the list.")
    if search["domain"] and not search["cert"]:
        abort(400, description="Choose a certification to look for questions of one of its domains.")
    return search


def _cert(code: str) -> CertInfo:
    """The certification of an exam code (a 400 when there is none)."""
    found = next((c for c in catalogue().values() if c.code.casefold() == code.casefold()), None)
    if found is None:
        abort(400, description=f"There is no certification {code!r}: choose one from the list.")
    return found


def _filed(item: QuestionItem) -> list[str]:
    """Where a question is filed: "CKA 2. Workloads & scheduling" for each of its domains."""
    found = []
    for cert in catalogue().values():
        for domain in cert.domains:
            if domain.iri in item.domains:
                number = f"{domain.number}. " if domain.number else ""
                found.append(f"{cert.code} {number}{domain.label}")
    return found


# ---------------------------------------------------------------------- for the study pages' partials


@dataclass(frozen=True)
class ModeLink:
    """A study mode as the study page links to it."""

    mode: str | None
    label: str
    count: int
    url: str
    current: bool


@bp.app_template_global()
def card_flags(item_id: str) -> CardFlags:
    """The learner's flags on a question (for the study card's buttons)."""
    return current_progress().question_flags(item_id)


@bp.app_template_global()
def study_modes(cert: CertInfo, waiting: dict[str | None, int] | None = None) -> list[ModeLink]:
    """The study modes of the certification studied (and the domains of the request), with what each serves.

    ``waiting``: what each way of studying serves (None: the schedule), when the page has it already
    (:meth:`~opsprep.engine.LearnerProgress.study_counts`); else it is read."""
    domains = request.args.getlist("domain")
    mode = request.args.get("mode") or None
    if waiting is None:
        waiting = current_progress().study_counts(cert.iri, domains)[1]
    labels = {None: "Schedule", **MODE_LABELS}
    return [
        ModeLink(key, labels[key], n, kept_url_for("study.page", cert=cert.code, domain=domains, mode=key), key == mode)
        for key, n in waiting.items()
    ]
