"""Study sessions as values: the card to show, the result of an answer, the queue's counts, a session's summary."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from opsprep.questions import Presentation, QuestionItem
from opsprep.questions.responses import Verdict

from .clock import from_text, seconds, to_text
from .scheduling import CardState, Rating, State

#: the study modes a queue may be asked for besides the normal schedule; an answer in "cram" mode is stored
#: in the review log but leaves the card's schedule as it was (studying ahead without moving due dates)
STUDY_MODES = ("wrong", "bookmarked", "cram")
CRAM = "cram"


def keeps_schedule(mode: str | None, state_before: int) -> bool:
    """True when an answer left its card's schedule as it was: one in cram mode to a question answered before
    (``state_before`` is the review log's: 0 for a question never answered). Replays of the log skip these."""
    return mode == CRAM and state_before != 0


@dataclass(frozen=True)
class StudyCard:
    """The next question for a learner: the item, the presentation to show and what each rating would do."""

    learner_id: int
    item: QuestionItem
    seed: int
    #: "new", "learning" (in its steps, due or not), "due" (a review card due now), "ahead" (a review card not due
    #: yet, in a study mode) or "answered" (on its feedback): see :func:`.study_queue.card_kind`
    kind: str
    presentation: Presentation
    card: CardState
    preview: Mapping[Rating, timedelta]  # the interval each rating would give (worked out when first read)
    domain_labels: tuple[str, ...] = ()  # the item's domains in the certification studied
    #: for a typed question asked again after an undo: the text the learner had typed
    undone_text: str | None = None

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
            "code": p.code,
            "code_language": p.code_language,
            "typed": p.typed,
            "response": None if p.response is None else _asked(p),
            "domains": list(p.domains),
            "domain_labels": list(self.domain_labels),
            "card": self.card.to_dict(),
            "preview": {r.name.lower(): seconds(t) for r, t in self.preview.items()},
        }


def _asked(p: Presentation) -> dict:
    """What a typed question asks for, without what it accepts (the answers and the model answer)."""
    response = p.response
    assert response is not None
    return {
        "form": response.form,
        "language": response.language,
        "starter": response.starter,
        "requirements": [{"id": r.id, "text": r.text} for r in response.requirements],
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
    duplicate: bool = False  # True when this showing had been submitted (or rated) before: nothing new was stored
    preview: dict[Rating, timedelta] = field(default_factory=dict)  # the intervals the other ratings would give
    awaiting_rating: bool = False  # stored with the default rating, which the learner's rating may still amend
    mode: str | None = None  # the study mode answered in (see STUDY_MODES); None: the normal schedule
    response: str | None = None  # a typed question's answer: the learner's text as typed (``chosen`` is empty)
    verdict: Verdict | None = None  # a typed question's grading, requirement by requirement; None for options

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
            "awaiting_rating": self.awaiting_rating,
            "mode": self.mode,
            "response": self.response,
            "verdict": None if self.verdict is None else self.verdict.to_dict(),
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
            awaiting_rating=data.get("awaiting_rating", False),
            mode=data.get("mode"),
            response=data.get("response"),
            verdict=None if data.get("verdict") is None else Verdict.from_dict(data["verdict"]),
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


@dataclass(frozen=True)
class ComingBack:
    """How many of a session's questions come back within one stretch of time (``label``: "within an hour")."""

    label: str
    count: int
    first: datetime  # the earliest of their due times

    def to_dict(self) -> dict:
        """JSON-ready dict."""
        return {"label": self.label, "count": self.count, "first": to_text(self.first)}


@dataclass(frozen=True)
class SessionSummary:
    """What a study session did: answers, right ones, the time it took and when its questions come back.

    A session is a run of a learner's answers in one certification without a break longer than
    :data:`opsprep.engine.study_sessions.SESSION_BREAK`, until the learner ends it.
    """

    cert: str
    answered: int
    right: int
    started_at: datetime | None  # when the first question was shown (its answer time less its response time)
    last_at: datetime | None  # when the last answer was given
    ratings: dict[Rating, int] = field(default_factory=dict)
    comes_back: tuple[ComingBack, ...] = ()
    questions: int = 0  # different questions answered

    @property
    def duration(self) -> timedelta:
        """From the first question shown to the last answer."""
        if self.started_at is None or self.last_at is None:
            return timedelta(0)
        return self.last_at - self.started_at

    @property
    def time_text(self) -> str:
        """The duration in words: "under a minute", "12 min", "1 h 5 min"."""
        minutes = int(self.duration.total_seconds() // 60)
        if minutes < 1:
            return "under a minute"
        hours, minutes = divmod(minutes, 60)
        return f"{hours} h {minutes} min" if hours else f"{minutes} min"

    def describe(self) -> str:
        """The summary in one or two sentences (the terminal's last words)."""
        text = f"Answered {self.answered}, {self.right} right"
        if not self.answered:
            return text + "."
        text += f" in {self.time_text}."
        if self.comes_back:
            text += " Coming back: " + ", ".join(f"{c.count} {c.label}" for c in self.comes_back) + "."
        return text

    def to_dict(self) -> dict:
        """JSON-ready dict."""
        return {
            "cert": self.cert,
            "answered": self.answered,
            "right": self.right,
            "questions": self.questions,
            "started_at": to_text(self.started_at),
            "last_at": to_text(self.last_at),
            "seconds": seconds(self.duration),
            "ratings": {r.name.lower(): n for r, n in self.ratings.items()},
            "comes_back": [c.to_dict() for c in self.comes_back],
        }
