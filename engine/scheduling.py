"""FSRS-6 scheduling through the ``fsrs`` package: card state, ratings, interval previews, replays.

Nothing here touches the database: :class:`CardState` is a value with the same fields as a row of
the ``cards`` table, and every function returns a new one.

>>> from datetime import UTC, datetime
>>> now = datetime(2025, 1, 1, tzinfo=UTC)
>>> card = new_card("q-1", now=now)
>>> card, _ = review(card, Rating.Good, now, scheduler_for(fuzz=False))
>>> format_interval(card.due - now)
'10m'
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from functools import lru_cache

from fsrs import Card, Rating, ReviewLog, Scheduler, State

from .clock import from_text, to_text, utc
from .errors import InvalidAnswer

__all__ = [
    "DEFAULT_RETENTION",
    "CardState",
    "Rating",
    "State",
    "IntervalPreview",
    "format_interval",
    "lazy_preview",
    "new_card",
    "parse_rating",
    "preview",
    "rating_for",
    "recall_at",
    "replay",
    "retrievability",
    "review",
    "scheduler_for",
]

DEFAULT_RETENTION = 0.9
#: the state a review log records for a card's first review (the FSRS optimizer's "New")
NEW_STATE = 0


@lru_cache(maxsize=64)
def _scheduler(retention: float, parameters: tuple[float, ...] | None, fuzz: bool) -> Scheduler:
    if parameters is None:
        return Scheduler(desired_retention=retention, enable_fuzzing=fuzz)
    return Scheduler(parameters=parameters, desired_retention=retention, enable_fuzzing=fuzz)


def scheduler_for(
    desired_retention: float = DEFAULT_RETENTION, parameters: Iterable[float] | None = None, *, fuzz: bool = True
) -> Scheduler:
    """An FSRS scheduler (cached): the default FSRS-6 weights unless ``parameters`` are given.

    ``fuzz`` spreads long intervals a little at random so cards learnt together do not stay together;
    turn it off for reproducible intervals (tests, previews, replays). Raises ``ValueError`` for
    parameters out of FSRS's bounds.
    """
    return _scheduler(float(desired_retention), None if parameters is None else tuple(parameters), fuzz)


@dataclass(frozen=True)
class CardState:
    """A learner's memory of one item, as FSRS models it, plus counters; mirrors a ``cards`` row.

    ``id`` is the row id (``None`` before the first review is stored); it is also the FSRS
    ``card_id`` and the ``card_id`` of the review-log export.
    """

    item_id: str
    due: datetime
    state: State = State.Learning
    step: int | None = 0
    stability: float | None = None
    difficulty: float | None = None
    last_review: datetime | None = None
    first_review: datetime | None = None
    reps: int = 0
    lapses: int = 0
    id: int | None = None
    learner_id: int | None = None

    @property
    def is_new(self) -> bool:
        """True until the first review."""
        return self.reps == 0

    @property
    def log_state(self) -> int:
        """The state a review of this card is logged with: 0 when new, else the FSRS state."""
        return NEW_STATE if self.is_new else int(self.state)

    def to_fsrs(self) -> Card:
        """The ``fsrs.Card`` with this state."""
        return Card(
            card_id=self.id or 0,
            state=self.state,
            step=self.step,
            stability=self.stability,
            difficulty=self.difficulty,
            due=self.due,
            last_review=self.last_review,
        )

    def to_row(self) -> dict:
        """The ``cards`` row (datetimes as stored text)."""
        row = asdict(self)
        row["state"] = int(self.state)
        for key in ("due", "last_review", "first_review"):
            row[key] = to_text(row[key])
        return row

    @classmethod
    def from_row(cls, row: dict) -> CardState:
        """Inverse of :meth:`to_row` (extra columns are ignored)."""
        return cls(
            item_id=row["item_id"],
            due=from_text(row["due"]),
            state=State(row["state"]),
            step=row["step"],
            stability=row["stability"],
            difficulty=row["difficulty"],
            last_review=from_text(row["last_review"]),
            first_review=from_text(row["first_review"]),
            reps=row["reps"],
            lapses=row["lapses"],
            id=row["id"],
            learner_id=row["learner_id"],
        )

    def to_dict(self) -> dict:
        """JSON-ready dict (ISO datetimes, state by name)."""
        data = self.to_row()
        data["state"] = self.state.name.lower()
        return data

    @classmethod
    def from_dict(cls, data: dict) -> CardState:
        """Inverse of :meth:`to_dict`."""
        row = dict(data)
        row["state"] = State[data["state"].capitalize()]
        return cls.from_row(row)


def new_card(item_id: str, learner_id: int | None = None, *, now: datetime | None = None) -> CardState:
    """The state of an item a learner has never answered: due now."""
    return CardState(item_id=item_id, due=utc(now), learner_id=learner_id)


def review(
    card: CardState,
    rating: Rating,
    now: datetime,
    scheduler: Scheduler,
    response_ms: int | None = None,
) -> tuple[CardState, ReviewLog]:
    """Review ``card`` with ``rating`` at ``now``: the new state and the FSRS review log.

    A lapse is an Again on a card in the Review state (as Anki counts them).
    """
    now = utc(now)
    reviewed, log = scheduler.review_card(
        card.to_fsrs(), Rating(rating), review_datetime=now, review_duration=response_ms
    )
    lapsed = rating == Rating.Again and card.state == State.Review
    return (
        replace(
            card,
            due=reviewed.due,
            state=reviewed.state,
            step=reviewed.step,
            stability=reviewed.stability,
            difficulty=reviewed.difficulty,
            last_review=reviewed.last_review,
            first_review=card.first_review or now,
            reps=card.reps + 1,
            lapses=card.lapses + lapsed,
        ),
        log,
    )


def preview(card: CardState, scheduler: Scheduler, now: datetime) -> dict[Rating, timedelta]:
    """The interval each rating would give the card if it were reviewed at ``now`` (no fuzz)."""
    now = utc(now)
    plain = scheduler_for(scheduler.desired_retention, scheduler.parameters, fuzz=False)
    return {rating: review(card, rating, now, plain)[0].due - now for rating in Rating}


class IntervalPreview(Mapping[Rating, timedelta]):
    """:func:`preview` of a card, worked out when first read: the question page of a card shows none of it
    (the feedback and the terminal's rating prompt do)."""

    def __init__(self, card: CardState, scheduler: Scheduler, now: datetime) -> None:
        self._args = (card, scheduler, now)
        self._intervals: dict[Rating, timedelta] | None = None

    def _worked_out(self) -> dict[Rating, timedelta]:
        if self._intervals is None:
            self._intervals = preview(*self._args)
        return self._intervals

    def __getitem__(self, rating: Rating) -> timedelta:
        return self._worked_out()[rating]

    def __iter__(self) -> Iterator[Rating]:
        return iter(self._worked_out())

    def __len__(self) -> int:
        return len(Rating)

    def __repr__(self) -> str:
        return repr(self._worked_out())


def lazy_preview(card: CardState, scheduler: Scheduler, now: datetime) -> IntervalPreview:
    """:func:`preview`, worked out on first use."""
    return IntervalPreview(card, scheduler, now)


def replay(card: CardState, history: Iterable[tuple[Rating, datetime, int | None]], scheduler: Scheduler) -> CardState:
    """The card's state after re-running its review history (rating, time, duration) with ``scheduler``.

    Use it to reschedule a learner's cards after changing their desired retention or FSRS weights.
    """
    state = replace(new_card(card.item_id, card.learner_id, now=card.due), id=card.id)
    for rating, moment, duration in sorted(history, key=lambda h: h[1]):
        state, _ = review(state, rating, moment, scheduler, duration)
    return state


def retrievability(card: CardState | None, scheduler: Scheduler, now: datetime) -> float:
    """FSRS's probability that the learner recalls the item at ``now``; 0 for an item never seen."""
    if card is None or card.is_new:
        return 0.0
    return float(scheduler.get_card_retrievability(card.to_fsrs(), utc(now)))


def recall_at(stability: float | None, last_review: datetime | None, scheduler: Scheduler, now: datetime) -> float:
    """:func:`retrievability` from the two columns it needs (fast for dashboards over many cards)."""
    if stability is None or last_review is None:
        return 0.0
    card = Card(card_id=0, state=State.Review, stability=stability, due=now, last_review=last_review)
    return float(scheduler.get_card_retrievability(card, now))


_RATING_NAMES = {r.name.lower(): r for r in Rating}


def parse_rating(value: Rating | int | str | None) -> Rating | None:
    """A rating from its number (1–4), its name (``"easy"``, any case) or its first letter."""
    if value is None or isinstance(value, Rating):
        return value
    text = str(value).strip().lower()
    for name, rating in _RATING_NAMES.items():
        if text in (name, name[0], str(int(rating))):
            return rating
    raise InvalidAnswer(f"Unknown rating {value!r}: use again, hard, good or easy (or 1–4).")


def rating_for(correct: bool, requested: Rating | int | str | None = None) -> Rating:
    """The rating a graded answer is stored with.

    A wrong answer is Again. A right one is Good unless the learner says otherwise (Hard or Easy,
    or Again when they guessed). Raises :class:`InvalidAnswer` for Hard/Good/Easy on a wrong answer.
    """
    rating = parse_rating(requested)
    if not correct:
        if rating not in (None, Rating.Again):
            raise InvalidAnswer(f"A wrong answer is rated Again, not {rating.name}.")
        return Rating.Again
    return Rating.Good if rating is None else rating


def format_interval(interval: timedelta) -> str:
    """A short human form of an interval: ``1m``, ``10m``, ``3h``, ``12d``, ``4.2mo``, ``1.5y``."""
    total = max(interval.total_seconds(), 0)
    if total < 3600:
        return f"{max(round(total / 60), 1)}m"
    if total < 86400:
        return f"{round(total / 3600)}h"
    days = total / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30.4375:.1f}mo"
    return f"{days / 365.25:.1f}y"


def parameters_to_text(parameters: Iterable[float] | None) -> str | None:
    """The stored (JSON) form of FSRS weights."""
    return None if parameters is None else json.dumps([float(p) for p in parameters])


def parameters_from_text(text: str | None) -> tuple[float, ...] | None:
    """Inverse of :func:`parameters_to_text`."""
    return None if text is None else tuple(json.loads(text))
