"""Grading an answer without storing it: the chosen letters checked against the options, a typed answer
(a command, a value, a manifest or a configuration) graded by :func:`opsprep.questions.grade_response`,
the response time.

Shared by study sessions (:mod:`.study_answers`) and exam attempts (:mod:`.exam`).
"""

from __future__ import annotations

from collections.abc import Iterable

from opsprep.questions import Presentation, QuestionBank, QuestionItem, present
from opsprep.questions.responses import Verdict, grade_response

from .errors import InvalidAnswer, UnknownItem
from .study_model import STUDY_MODES

__all__ = [
    "ANSWERED_BY_CHOOSING",
    "ANSWERED_BY_TYPING",
    "MAX_TYPED_CHARS",
    "TYPE_AN_ANSWER",
    "check_answer",
    "check_mode",
    "check_response_ms",
    "check_text",
    "check_typed",
    "normalise_letters",
]

#: the longest typed answer accepted (a manifest of a few hundred lines fits easily)
MAX_TYPED_CHARS = 20_000
#: what an empty typed answer is told
TYPE_AN_ANSWER = "Type an answer."
ANSWERED_BY_TYPING = "This question is answered by typing: send the typed text, not option letters."
ANSWERED_BY_CHOOSING = "This question is answered by choosing options, not by typing."


def normalise_letters(presentation: Presentation, chosen: str | Iterable[str]) -> tuple[str, ...]:
    """The chosen option letters, upper-cased, de-duplicated, in display order; checked against the options.

    ``chosen`` is an iterable of letters or one string such as ``"B"``, ``"a, c"`` or ``"AC"``.
    Raises :class:`InvalidAnswer` when nothing is chosen or a letter is not an option, or when the
    question is answered by typing (it has no options).
    """
    if presentation.typed:
        raise InvalidAnswer(ANSWERED_BY_TYPING)
    if isinstance(chosen, str):
        chosen = [c for c in chosen.replace(",", " ").upper() if not c.isspace()]
    picked = {str(c).strip().upper() for c in chosen}
    letters = [o.letter for o in presentation.options]
    unknown = sorted(picked - set(letters))
    if unknown or not picked:
        shown = ", ".join(letters)
        raise InvalidAnswer(
            f"Choose among the options {shown}; got {', '.join(unknown) or 'nothing'}."
            if unknown
            else "Choose an option."
        )
    return tuple(letter for letter in letters if letter in picked)


def check_answer(
    bank: QuestionBank, item_id: str, seed: int, chosen: str | Iterable[str]
) -> tuple[Presentation, tuple[str, ...], bool]:
    """Grade an answer without storing it: the presentation, the chosen letters and whether they are right.

    Raises ``UnknownItem``, and ``InvalidAnswer`` for letters that are not options or for a question
    answered by typing (see :func:`check_typed`).
    """
    item = _item(bank, item_id)
    presentation = present(item, seed)
    letters = normalise_letters(presentation, chosen)
    return presentation, letters, set(letters) == set(presentation.correct_letters)


def check_text(text: object) -> str:
    """A typed answer as it is stored: the learner's text, unchanged, once it is known to be one.

    Raises :class:`InvalidAnswer` for anything but a string, an empty or whitespace-only one
    (:data:`TYPE_AN_ANSWER`) and one longer than :data:`MAX_TYPED_CHARS`.
    """
    if not isinstance(text, str):
        raise InvalidAnswer(ANSWERED_BY_TYPING)
    if not text.strip():
        raise InvalidAnswer(TYPE_AN_ANSWER)
    if len(text) > MAX_TYPED_CHARS:
        raise InvalidAnswer(f"That answer is {len(text):,} characters long; at most {MAX_TYPED_CHARS:,} are accepted.")
    return text


def check_typed(bank: QuestionBank, item_id: str, seed: int, text: str) -> tuple[Presentation, Verdict]:
    """Grade a typed answer without storing it: the presentation and the verdict on ``text``.

    Raises ``UnknownItem``, and ``InvalidAnswer`` when the question is answered by choosing options or
    the text is refused by :func:`check_text`. What the learner wrote never raises anything else: a
    manifest that does not parse is a verdict with problems.
    """
    item = _item(bank, item_id)
    presentation = present(item, seed)
    if presentation.response is None:
        raise InvalidAnswer(ANSWERED_BY_CHOOSING)
    return presentation, grade_response(presentation.response, check_text(text))


def _item(bank: QuestionBank, item_id: str) -> QuestionItem:
    try:
        return bank.get(item_id)
    except KeyError:
        raise UnknownItem(f"The question bank has no item {item_id!r} (was the graph changed?).") from None


#: the longest response time stored (a day); a larger one is a clock or a client gone wrong
MAX_RESPONSE_MS = 24 * 3600 * 1000


def check_response_ms(response_ms: int | None) -> int | None:
    """A response time in whole milliseconds (None when unknown); raises ``InvalidAnswer`` when negative."""
    if response_ms is None:
        return None
    if (
        isinstance(response_ms, bool)
        or not isinstance(response_ms, int | float)
        or not 0 <= response_ms <= MAX_RESPONSE_MS  # also refuses NaN and infinity
    ):
        raise InvalidAnswer(
            f"Response time must be a number of milliseconds from 0 to {MAX_RESPONSE_MS}, not {response_ms!r}."
        )
    return round(response_ms)


def check_mode(mode: str | None) -> str | None:
    """A study mode (one of :data:`.study_model.STUDY_MODES`, any case), or None for the normal schedule.

    An empty string is the normal schedule too; raises ``InvalidAnswer`` for any other value.
    """
    if mode is None or not str(mode).strip():
        return None
    found = str(mode).strip().lower()
    if found not in STUDY_MODES:
        raise InvalidAnswer(f"Unknown study mode {mode!r}: use {', '.join(STUDY_MODES)}, or none for the schedule.")
    return found
