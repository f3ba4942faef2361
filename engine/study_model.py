"""Study sessions as values: the card to show, the result of an answer, the queue's counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from opsprep.questions import Presentation, QuestionItem

from .clock import from_text, seconds, to_text
from .scheduling import CardState, Rating, State


@dataclass(frozen=True)
class StudyCard:
    """The next question for a learner: the item, the presentation to show and what each rating would do."""

    learner_id: int
    item: QuestionItem
    seed: int
    kind: str  # "due", "new" or "learning" (a learning card shown ahead of time)
    presentation: Presentation
    card: CardState
    preview: dict[Rating, timedelta]
    domain_labels: tuple[str, ...] = ()  # the item's domains in the certification studied

    def to_dict(self) -> dict:
        """JSON-ready dict of the question as shown, without its answers."""
        p = self.presentation
        return {
            "learner_id": self.learner_id,
            "item_id": self.item.id,
            "seed": self.seed,
            "kind": self.kind,
            "type": str(p.type),
            "stem": p.stem,
            "options": [{"letter": o.letter, "text": o.text} for o in p.options],
            "answer_count": self.item.answer_count,
            "domains": list(p.domains),
            "domain_labels": list(self.domain_labels),
            "card": self.card.to_dict(),
            "preview": {r.name.lower(): seconds(t) for r, t in self.preview.items()},
        }


@dataclass(frozen=True)
class AnswerResult:
    """What became of an answer: graded, rated, scheduled and stored."""

    learner_id: int
    item_id: str
    seed: int
    correct: bool
    chosen: tuple[str, ...]
    correct_letters: tuple[str, ...]
    rating: Rating
    reviewed_at: datetime
    due: datetime
    state: State
    explanation: str
    sources: tuple[str, ...]
    duplicate: bool = False  # True when this showing had been submitted before: nothing new was stored
    preview: dict[Rating, timedelta] = field(default_factory=dict)  # the intervals the other ratings would give

    @property
    def interval(self) -> timedelta:
        """Time until the next review."""
        return self.due - self.reviewed_at

    def to_dict(self) -> dict:
        """JSON-ready dict."""
        return {
            "learner_id": self.learner_id,
            "item_id": self.item_id,
            "seed": self.seed,
            "correct": self.correct,
            "chosen": list(self.chosen),
            "correct_letters": list(self.correct_letters),
            "rating": self.rating.name.lower(),
            "reviewed_at": to_text(self.reviewed_at),
            "due": to_text(self.due),
            "interval": seconds(self.interval),
            "state": self.state.name.lower(),
            "explanation": self.explanation,
            "sources": list(self.sources),
            "duplicate": self.duplicate,
            "preview": {r.name.lower(): seconds(t) for r, t in self.preview.items()},
        }

    @classmethod
    def from_dict(cls, data: dict) -> AnswerResult:
        """Inverse of :meth:`to_dict`."""
        return cls(
            learner_id=data["learner_id"],
            item_id=data["item_id"],
            seed=data["seed"],
            correct=data["correct"],
            chosen=tuple(data["chosen"]),
            correct_letters=tuple(data["correct_letters"]),
            rating=Rating[data["rating"].capitalize()],
            reviewed_at=from_text(data["reviewed_at"]),
            due=from_text(data["due"]),
            state=State[data["state"].capitalize()],
            explanation=data["explanation"],
            sources=tuple(data["sources"]),
            duplicate=data["duplicate"],
            preview={Rating[k.capitalize()]: timedelta(seconds=v) for k, v in data["preview"].items()},
        )


@dataclass(frozen=True)
class QueueCounts:
    """How much is waiting in a scope."""

    due: int  # review cards due now
    learning: int  # learning and relearning cards due now or within LEARN_AHEAD
    new: int  # new items still allowed today (unseen, within the daily limit)
    unseen: int  # items in scope never answered
    total: int  # items in scope
    new_today: int  # new items introduced today (every scope)
    new_limit: int
    next_due: datetime | None  # the earliest due time of a card in scope not due yet

    def to_dict(self) -> dict:
        """JSON-ready dict."""
        data = dict(self.__dict__)
        data["next_due"] = to_text(self.next_due)
        return data
