"""Grading an answer without storing it: the chosen letters checked against the options, the response time.

Shared by study sessions (:mod:`.study_answers`) and exam attempts (:mod:`.exam`).
"""

from __future__ import annotations

from collections.abc import Iterable

from opsprep.questions import Presentation, QuestionBank, QuestionItem, present

from .errors import InvalidAnswer, UnknownItem
from .study_model import STUDY_MODES

__all__ = ["check_answer", "check_mode", "check_response_ms", "normalise_letters"]


def normalise_letters(presentation: Presentation, chosen: str | Iterable[str]) -> tuple[str, ...]:
    """The chosen option letters, upper-cased, de-duplicated, in display order; checked against the options.

    ``chosen`` is an iterable of letters or one string such as ``"B"``, ``"a, c"`` or ``"AC"``.
    Raises :class:`InvalidAnswer` when nothing is chosen or a letter is not an option.
    """
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
    """Grade an answer without storing it: the presentation, the chosen letters and whether they are right."""
    item = _item(bank, item_id)
    presentation = present(item, seed)
    letters = normalise_letters(presentation, chosen)
    return presentation, letters, set(letters) == set(presentation.correct_letters)


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
