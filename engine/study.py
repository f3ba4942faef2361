"""Study sessions: what a learner sees next, and answers graded, rated and stored in one transaction.

>>> from opsprep.engine import open_store, create_learner, next_card, submit_answer
>>> card = next_card(store, bank, learner.id, "CKA")                      # doctest: +SKIP
>>> result = submit_answer(store, bank, learner.id, card.item.id, card.seed, ["B"], response_ms=5300)  # doctest: +SKIP

The queue puts cards that are due first (oldest due first), then new items (up to the learner's
daily limit), then learning cards due within :data:`LEARN_AHEAD`. Every showing of an item gets
its own presentation seed, derived from the learner and how often they have answered the item,
so options are re-drawn each time, and a second submission of the same showing is recognised
and recorded once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timedelta

from opsprep.questions import Presentation, QuestionBank, QuestionItem, present

from .cards import write_card
from .clock import day_start, from_text, to_text, utc
from .errors import InvalidAnswer, StaleShowing, UnknownItem
from .items import Scope, resolve_scope, sync_items
from .learners import Learner, get_learner
from .scheduling import CardState, Rating, State, new_card, preview, rating_for, review
from .store import Store
from .study_model import AnswerResult, QueueCounts, StudyCard

__all__ = [
    "LEARN_AHEAD",
    "AnswerResult",
    "QueueCounts",
    "StudyCard",
    "StudySession",
    "check_answer",
    "next_card",
    "normalise_letters",
    "queue_counts",
    "showing_seed",
    "submit_answer",
]

#: learning cards due this soon are shown when nothing else is left (as Anki's learn-ahead limit)
LEARN_AHEAD = timedelta(minutes=20)
#: seeds are learner_id * SEED_STRIDE + showing, so each learner and each showing gets its own options
SEED_STRIDE = 1_000_000


def showing_seed(learner_id: int, showing: int) -> int:
    """The presentation seed of a learner's ``showing``-th showing (0 = first) of an item."""
    return learner_id * SEED_STRIDE + showing


def _domain_labels(bank: QuestionBank, item: QuestionItem, cert: str) -> tuple[str, ...]:
    """Labels of the item's domains in one certification."""
    cert_of = bank.facts.cert_of_domain
    return tuple(bank.facts.things[d].label for d in item.domains if cert_of.get(d) == cert)


def _new_today(store: Store, learner: Learner, now: datetime) -> int:
    return store.scalar(
        "SELECT count(*) FROM cards WHERE learner_id = ? AND first_review >= ?",
        [learner.id, to_text(day_start(now))],
    )


def next_card(
    store: Store,
    bank: QuestionBank,
    learner_id: int,
    cert: str,
    domains: Iterable[str] = (),
    *,
    now: datetime | None = None,
) -> StudyCard | None:
    """The next question for the learner in a certification (and optionally some of its domains).

    Returns None when nothing is due, no new item is left for today and no learning card is due
    within :data:`LEARN_AHEAD`. Raises ``UnknownLearner``, ``UnknownCertification`` or ``UnknownDomain``.
    """
    learner = get_learner(store, learner_id)
    scope = resolve_scope(bank, cert, domains)
    sync_items(store, bank)
    now = utc(now)
    found = _next(store, learner, scope, now)
    if found is None:
        return None
    kind, card = found
    item = bank.get(card.item_id)
    seed = showing_seed(learner.id, card.reps)
    return StudyCard(
        learner_id=learner.id,
        item=item,
        seed=seed,
        kind=kind,
        presentation=present(item, seed),
        card=card,
        preview=preview(card, learner.scheduler(fuzz=False), now),
        domain_labels=_domain_labels(bank, item, scope.cert),
    )


def _next(store: Store, learner: Learner, scope: Scope, now: datetime) -> tuple[str, CardState] | None:
    condition, params = scope.sql("c")
    due = store.rows(
        f"SELECT * FROM cards c WHERE c.learner_id = ? AND c.due <= ? AND {condition} ORDER BY c.due LIMIT 1",
        [learner.id, to_text(now), *params],
    )
    if due:
        return "due", CardState.from_row(due[0])
    if _new_today(store, learner, now) < learner.daily_new_limit:
        item_condition, params = scope.sql("i")
        item_id = store.scalar(
            f"""SELECT i.item_id FROM items i WHERE {item_condition}
                AND NOT EXISTS (SELECT 1 FROM cards c WHERE c.learner_id = ? AND c.item_id = i.item_id)
                ORDER BY i.position LIMIT 1""",
            [*params, learner.id],
        )
        if item_id is not None:
            return "new", new_card(item_id, learner.id, now=now)
    ahead = store.rows(
        f"""SELECT * FROM cards c WHERE c.learner_id = ? AND c.state IN (1, 3) AND c.due <= ? AND {condition}
            ORDER BY c.due LIMIT 1""",
        [learner.id, to_text(now + LEARN_AHEAD), *params],
    )
    return ("learning", CardState.from_row(ahead[0])) if ahead else None


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


def check_response_ms(response_ms: int | None) -> int | None:
    """A response time in whole milliseconds (None when unknown); raises ``InvalidAnswer`` when negative."""
    if response_ms is None:
        return None
    if isinstance(response_ms, bool) or not isinstance(response_ms, int | float) or response_ms < 0:
        raise InvalidAnswer(f"Response time must be a number of milliseconds ≥ 0, not {response_ms!r}.")
    return round(response_ms)


def submit_answer(
    store: Store,
    bank: QuestionBank,
    learner_id: int,
    item_id: str,
    seed: int,
    chosen: str | Iterable[str],
    response_ms: int | None = None,
    rating: Rating | int | str | None = None,
    *,
    now: datetime | None = None,
    fuzz: bool = True,
) -> AnswerResult:
    """Grade, rate, schedule and store one answer, all in one transaction.

    ``seed`` is the :attr:`StudyCard.seed` the question was shown with. The rating is Again for a
    wrong answer and Good for a right one unless ``rating`` says Hard, Easy (or Again). Submitting
    the same showing again stores nothing and returns the first result with ``duplicate=True``.
    Everything is checked before anything is written: raises ``UnknownLearner``, ``UnknownItem``,
    ``InvalidAnswer`` or ``StaleShowing`` (a seed that was never handed out for this item).
    """
    learner = get_learner(store, learner_id)
    presentation, letters, correct = check_answer(bank, item_id, seed, chosen)
    chosen_rating = rating_for(correct, rating)
    response_ms = check_response_ms(response_ms)
    now = utc(now)
    scheduler = learner.scheduler(fuzz=fuzz)
    with store.transaction() as db:
        recorded = db.execute(
            "SELECT * FROM reviews WHERE learner_id = ? AND item_id = ? AND seed = ?", [learner.id, item_id, seed]
        )
        names = [d[0] for d in recorded.description]
        first = recorded.fetchone()
        if first is not None:
            return _recorded_result(dict(zip(names, first, strict=True)), presentation)
        cursor = db.execute("SELECT * FROM cards WHERE learner_id = ? AND item_id = ?", [learner.id, item_id])
        names = [d[0] for d in cursor.description]
        row = cursor.fetchone()
        card = CardState.from_row(dict(zip(names, row, strict=True))) if row else new_card(item_id, learner.id, now=now)
        expected = showing_seed(learner.id, card.reps)
        if seed != expected:
            raise StaleShowing(
                f"Seed {seed} is not the current showing of item {item_id} (expected {expected}); "
                "fetch the next card and answer that."
            )
        before = card.log_state
        options = preview(card, scheduler, now)
        card, _ = review(card, chosen_rating, now, scheduler, response_ms)
        card = write_card(db, card)
        db.execute(
            """INSERT INTO reviews (learner_id, card_id, item_id, seed, showing, options, chosen, correct, rating,
                   state_before, response_ms, reviewed_at, state_after, due_after, stability_after, difficulty_after)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                learner.id, card.id, item_id, seed, card.reps - 1,
                json.dumps([o.key for o in presentation.options]), json.dumps(list(letters)), int(correct),
                int(chosen_rating), before, response_ms, to_text(now),
                int(card.state), to_text(card.due), card.stability, card.difficulty,
            ],
        )  # fmt: skip
    return AnswerResult(
        learner_id=learner.id,
        item_id=item_id,
        seed=seed,
        correct=correct,
        chosen=letters,
        correct_letters=presentation.correct_letters,
        rating=chosen_rating,
        reviewed_at=now,
        due=card.due,
        state=card.state,
        explanation=presentation.explanation,
        sources=presentation.sources,
        preview=options,
    )


def _recorded_result(row: dict, presentation: Presentation) -> AnswerResult:
    return AnswerResult(
        learner_id=row["learner_id"],
        item_id=row["item_id"],
        seed=row["seed"],
        correct=bool(row["correct"]),
        chosen=tuple(json.loads(row["chosen"])),
        correct_letters=presentation.correct_letters,
        rating=Rating(row["rating"]),
        reviewed_at=from_text(row["reviewed_at"]),
        due=from_text(row["due_after"]),
        state=State(row["state_after"]),
        explanation=presentation.explanation,
        sources=presentation.sources,
        duplicate=True,
    )


def queue_counts(
    store: Store,
    bank: QuestionBank,
    learner_id: int,
    cert: str,
    domains: Iterable[str] = (),
    *,
    now: datetime | None = None,
) -> QueueCounts:
    """Counts of due, learning and new items for the learner in a certification (and domains)."""
    learner = get_learner(store, learner_id)
    scope = resolve_scope(bank, cert, domains)
    sync_items(store, bank)
    now = utc(now)
    condition, params = scope.sql("c")
    stamp = to_text(now)
    counts = store.row(
        f"""SELECT coalesce(sum(c.state = 2 AND c.due <= ?), 0) AS due,
                   coalesce(sum(c.state != 2 AND c.due <= ?), 0) AS learning,
                   count(*) AS seen,
                   min(CASE WHEN c.due > ? THEN c.due END) AS next_due
            FROM cards c WHERE c.learner_id = ? AND {condition}""",
        [stamp, to_text(now + LEARN_AHEAD), stamp, learner.id, *params],
    )
    item_condition, params = scope.sql("i")
    total = store.scalar(f"SELECT count(*) FROM items i WHERE {item_condition}", params)
    new_today = _new_today(store, learner, now)
    unseen = total - counts["seen"]
    return QueueCounts(
        due=counts["due"],
        learning=counts["learning"],
        new=max(0, min(unseen, learner.daily_new_limit - new_today)),
        unseen=unseen,
        total=total,
        new_today=new_today,
        new_limit=learner.daily_new_limit,
        next_due=from_text(counts["next_due"]),
    )


class StudySession:
    """One learner studying one scope: :func:`next_card`, :func:`submit_answer` and :func:`queue_counts` together."""

    def __init__(
        self, store: Store, bank: QuestionBank, learner_id: int, cert: str, domains: Iterable[str] = ()
    ) -> None:
        self.store = store
        self.bank = bank
        self.learner = get_learner(store, learner_id)
        self.scope = resolve_scope(bank, cert, domains)

    def next(self, *, now: datetime | None = None) -> StudyCard | None:
        """The next question, or None when the queue is empty."""
        return next_card(self.store, self.bank, self.learner.id, self.scope.cert, self.scope.domains, now=now)

    def submit(
        self,
        card: StudyCard,
        chosen: str | Iterable[str],
        response_ms: int | None = None,
        rating: Rating | int | str | None = None,
        *,
        now: datetime | None = None,
    ) -> AnswerResult:
        """Answer a card this session handed out."""
        return submit_answer(
            self.store, self.bank, self.learner.id, card.item.id, card.seed, chosen, response_ms, rating, now=now
        )

    def counts(self, *, now: datetime | None = None) -> QueueCounts:
        """What is waiting in this session's scope."""
        return queue_counts(self.store, self.bank, self.learner.id, self.scope.cert, self.scope.domains, now=now)
