"""Reading and writing card state (the ``cards`` table), and reading it for the question browser:
which questions match a search and in which state the learner has them, and each one's history."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlite_utils import Database

from opsprep.questions import QuestionBank, QuestionItem

from .card_flags import CardFlags, InvalidFlag, flags_for, get_flags
from .clock import from_text, to_text, utc
from .errors import UnknownItem
from .items import item_texts, resolve_scope, scope_items
from .learners import get_learner
from .scheduling import CardState, Rating, State
from .store import Store


def load_card(store: Store, learner_id: int, item_id: str) -> CardState | None:
    """The learner's card for an item, or None if they never answered it."""
    row = store.row("SELECT * FROM cards WHERE learner_id = ? AND item_id = ?", [learner_id, item_id])
    return None if row is None else CardState.from_row(row)


def save_card(store: Store, card: CardState) -> CardState:
    """Store a card's state in its own transaction; the card with its row id."""
    with store.transaction() as db:
        return write_card(db, card)


def write_card(db: Database, card: CardState) -> CardState:
    """Insert or update a card's row inside the caller's transaction; the card with its row id."""
    row = card.to_row()
    if card.id is None:
        del row["id"]
        cursor = db.execute(
            f"INSERT INTO cards ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values())
        )
        return replace(card, id=cursor.lastrowid)
    card_id = row.pop("id")
    db.execute(f"UPDATE cards SET {', '.join(f'{k} = ?' for k in row)} WHERE id = ?", [*row.values(), card_id])
    return card


# ---------------------------------------------------------------------- the question browser

#: the states a question can be found by; a question may be in several (new and bookmarked, due and wrong...)
BROWSE_STATES = ("new", "learning", "review", "due", "suspended", "buried", "wrong", "bookmarked")
#: questions on one page of the browser
PER_PAGE = 25


@dataclass(frozen=True)
class ReviewEntry:
    """One answer in a question's history."""

    reviewed_at: datetime
    correct: bool
    rating: Rating
    response_ms: int | None
    mode: str | None  # the study mode answered in; None: the schedule
    awaiting_rating: bool  # graded, the rating not given yet (it counts with the default until then)

    def to_dict(self) -> dict:
        """JSON-ready dict."""
        return {
            "reviewed_at": to_text(self.reviewed_at),
            "correct": self.correct,
            "rating": self.rating.name.lower(),
            "response_ms": self.response_ms,
            "mode": self.mode,
            "awaiting_rating": self.awaiting_rating,
        }


@dataclass(frozen=True)
class QuestionStatus:
    """A question as the browser lists it: the item, the learner's card (None when never answered),
    flags, and the states it can be found by (:data:`BROWSE_STATES`)."""

    item: QuestionItem
    card: CardState | None
    flags: CardFlags
    states: tuple[str, ...]

    @property
    def next_due(self) -> datetime | None:
        """When the card is due (None for a question never answered)."""
        return None if self.card is None else self.card.due


@dataclass(frozen=True)
class QuestionPage:
    """One page of the questions that match a search, and where it stands among them."""

    questions: tuple[QuestionStatus, ...]
    matches: int  # questions matching the search, on every page
    page: int  # 1 = first
    pages: int
    per_page: int


def review_history(store: Store, learner_id: int, item_id: str) -> list[ReviewEntry]:
    """Every answer the learner gave to a question, oldest first (undone ones are not in the review log)."""
    return [
        ReviewEntry(
            from_text(row["reviewed_at"]),
            bool(row["correct"]),
            Rating(row["rating"]),
            row["response_ms"],
            row["mode"],
            row["rated_at"] is None,
        )
        for row in store.rows(
            """SELECT reviewed_at, correct, rating, response_ms, mode, rated_at FROM reviews
               WHERE learner_id = ? AND item_id = ? ORDER BY reviewed_at, id""",
            [learner_id, item_id],
        )
    ]


#: a phrase in straight, curly or angle quotes (an unclosed one runs to the end), or a word
_TERM = re.compile(r'"([^"]*)"?|“([^”]*)”?|«([^»]*)»?|(\S+)')


def search_terms(text: str) -> list[str]:
    """What a search looks for, case-folded: each word, and each phrase in quotes as one term (its spaces
    made single), so that ``"blue green" rollout`` finds "blue green" together and "rollout" anywhere.

    >>> search_terms('“Blue  green” "canary')
    ['blue green', 'canary']
    """
    found = (" ".join(next(g for g in match.groups() if g is not None).split()) for match in _TERM.finditer(text))
    return [term.casefold() for term in found if term]


def wrong_last_time(store: Store, learner_id: int) -> set[str]:
    """The items whose latest review by the learner was wrong (``cards.last_wrong``, kept by the store)."""
    return {
        item_id
        for (item_id,) in store.tuples(
            "SELECT item_id FROM cards WHERE last_wrong = 1 AND learner_id = ?",
            [learner_id],
        )
    }


def _states(state: int | None, due: bool, flags: CardFlags | None, wrong: bool, now: datetime) -> tuple[str, ...]:
    """The :data:`BROWSE_STATES` of a question: its card's state (None: never answered), whether it is due,
    its flags and whether its latest review was wrong."""
    found = ["new"] if state is None else ["review" if state == State.Review else "learning"] + (["due"] * due)
    if flags is not None:
        found += [name for name, on in (("suspended", flags.suspended), ("buried", flags.buried(now))) if on]
    found += ["wrong"] * wrong
    if flags is not None and flags.bookmarked:
        found.append("bookmarked")
    return tuple(found)


def question_status(
    store: Store, bank: QuestionBank, learner_id: int, item_id: str, *, now: datetime | None = None
) -> QuestionStatus:
    """One question with the learner's card, flags and states; raises ``UnknownLearner`` or ``UnknownItem``."""
    learner = get_learner(store, learner_id)
    if item_id not in bank.by_id:
        raise UnknownItem(f"The question bank has no question {item_id!r}.")
    now = utc(now)
    card = load_card(store, learner.id, item_id)
    flags = get_flags(store, learner.id, item_id)
    wrong = card is not None and bool(store.scalar("SELECT last_wrong FROM cards WHERE id = ?", [card.id]))
    state = None if card is None else int(card.state)
    return QuestionStatus(
        bank.by_id[item_id], card, flags, _states(state, card is not None and card.due <= now, flags, wrong, now)
    )


def find_questions(
    store: Store,
    bank: QuestionBank,
    learner_id: int,
    *,
    text: str = "",
    cert: str | None = None,
    domain: str | None = None,
    kind: str | None = None,
    family: str | None = None,
    state: str | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
    now: datetime | None = None,
) -> QuestionPage:
    """The questions that match a search, a page at a time, in the bank's order, with the learner's state.

    ``text``: every word and every quoted phrase (:func:`search_terms`) appears in the question or its
    options (any case); ``cert`` (exam code or
    IRI) and ``domain`` (of that certification: number, label or IRI); ``kind``: a question type
    (``single``, ``true_false``...); ``family``: a template family; ``state``: one of
    :data:`BROWSE_STATES`. A page past the last shows the last. Raises ``UnknownLearner``,
    ``UnknownCertification``, ``UnknownDomain`` or ``InvalidFlag`` (an unknown state) before reading anything.
    """
    learner = get_learner(store, learner_id)
    if state and state not in BROWSE_STATES:
        raise InvalidFlag(f"There is no question state {state!r}: choose one of {', '.join(BROWSE_STATES)}.")
    if domain and not cert:
        raise InvalidFlag("Choose a certification to look for questions of one of its domains.")
    now = utc(now)
    items: Iterable[QuestionItem] = bank.items
    if cert:
        in_scope = {item.id for item in scope_items(bank, resolve_scope(bank, cert, [domain] if domain else ()))}
        items = (item for item in items if item.id in in_scope)
    if kind:
        items = (item for item in items if str(item.type) == kind)
    if family:
        items = (item for item in items if item.family == family)
    terms = search_terms(text)
    if terms:
        texts = item_texts(bank)
        items = (item for item in items if all(term in texts[item.id] for term in terms))
    cards = {
        row[0]: row[1:]
        for row in store.tuples("SELECT item_id, state, due FROM cards WHERE learner_id = ?", [learner.id])
    }
    flags = flags_for(store, learner.id)
    wrong = wrong_last_time(store, learner.id)
    stamp = to_text(now)

    def states(item_id: str) -> tuple[str, ...]:
        card = cards.get(item_id)
        state, due = (None, False) if card is None else (card[0], card[1] <= stamp)
        return _states(state, due, flags.get(item_id), item_id in wrong, now)

    matching = [item for item in items if state in states(item.id)] if state else list(items)
    per_page = max(1, per_page)
    pages = max(1, -(-len(matching) // per_page))
    page = min(max(1, page), pages)
    shown = matching[(page - 1) * per_page : page * per_page]
    return QuestionPage(
        tuple(
            QuestionStatus(
                item,
                load_card(store, learner.id, item.id) if item.id in cards else None,
                flags.get(item.id) or CardFlags(item.id),
                states(item.id),
            )
            for item in shown
        ),
        len(matching),
        page,
        pages,
        per_page,
    )
