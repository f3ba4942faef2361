"""The engine's front door: :class:`Progress` owns a progress store and the question bank it is kept
against; :meth:`Progress.learner` gives one learner's verbs (study, exams, readiness, history).

>>> from opsprep.engine.synthetic import synthetic_bank
>>> with Progress.open(":memory:", synthetic_bank(items=12)) as progress:
...     ada = progress.learner(progress.create_learner("ada").id)
...     card = ada.next_card("SYN")
...     result = ada.submit(card.item.id, card.seed, card.presentation.correct_letters)
...     result.correct, ada.counts("SYN").unseen
(True, 11)
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import TextIO

from opsprep.graph.catalog import Catalog
from opsprep.questions import Presentation, QuestionBank

from . import (
    accounts,
    anki_export,
    exam,
    exam_retake,
    history,
    learners,
    readiness,
    reports,
    review_export,
    stats,
    study_queue,
    study_ratings,
    study_sessions,
    study_undo,
)
from .accounts import Account
from .card_flags import CardFlags, get_flags, set_flag
from .cards import (
    QuestionPage,
    QuestionStatus,
    ReviewEntry,
    find_questions,
    load_card,
    question_status,
    review_history,
)
from .clock import utc
from .exam_history import CertHistory, exam_history
from .exam_model import ExamAttempt, ExamQuestion
from .freshness import ProgressStamp, progress_version
from .freshness import stamp as progress_stamp
from .grading import check_answer
from .items import Scope, resolve_scope, sync_items
from .learners import Learner
from .readiness import Readiness
from .reports import ProblemReport
from .scheduling import CardState, Rating, new_card, preview
from .stats import DayCount, StudyHabits
from .store import BUSY_TIMEOUT, Store, open_store
from .study import StudySession
from .study_answers import submit_answer
from .study_counts import mode_counts, queue_counts, study_counts
from .study_model import AnswerResult, QueueCounts, SessionSummary, StudyCard
from .study_queue import next_card, showing_seed


class Progress:
    """Learners' progress in one SQLite store, against one question bank.

    Open it with :meth:`open` (a path) or wrap a :class:`Store` you already have. It keeps the store's
    copy of the bank's items in step with the bank, and closes the store when used as a context manager
    or on :meth:`close`. Without a bank (building one takes a moment) only the verbs about learners,
    accounts and problem reports are available.
    """

    def __init__(self, store: Store, bank: QuestionBank | None) -> None:
        self.store = store
        self._bank = bank
        if bank is not None:
            sync_items(store, bank)

    @classmethod
    def open(
        cls, path: str | os.PathLike, bank: QuestionBank | None = None, *, timeout: float = BUSY_TIMEOUT
    ) -> Progress:
        """Open (creating and migrating as needed) the progress database at ``path``."""
        return cls(open_store(path, timeout=timeout), bank)

    @property
    def bank(self) -> QuestionBank:
        """The question bank the progress is kept against."""
        if self._bank is None:
            raise TypeError("This Progress was opened without a question bank; pass one to Progress.open.")
        return self._bank

    @property
    def catalog(self) -> Catalog:
        """The certifications of the bank's graph."""
        return self.bank.catalog

    @property
    def path(self) -> str:
        """The database file (``:memory:`` for an in-memory store)."""
        return self.store.path

    def close(self) -> None:
        """Close the store."""
        self.store.close()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ learners and accounts
    def create_learner(self, name: str, **settings) -> Learner:
        """A new learner (``desired_retention``, ``daily_new_limit``, ``default_cert``, ``now``)."""
        return learners.create_learner(self.store, name, **settings)

    def learner(self, learner_id: int) -> LearnerProgress:
        """One learner's verbs; raises ``UnknownLearner``."""
        return LearnerProgress(self, learners.get_learner(self.store, learner_id))

    def find_learner(self, name: str) -> Learner:
        """The learner of that name (any case); raises ``UnknownLearner``."""
        return learners.find_learner(self.store, name)

    def learner_named(self, name: str, *, now: datetime | None = None) -> tuple[Learner, bool]:
        """The learner of that name, created if missing; True when it was created."""
        return learners.learner_named(self.store, name, now=now)

    def learners(self) -> list[Learner]:
        """Every learner, by name."""
        return learners.list_learners(self.store)

    def terminal_learners(self, login_name: str) -> list[Learner]:
        """Whom a terminal user may be when no learner was named (see :func:`.accounts.terminal_learners`)."""
        return accounts.terminal_learners(self.store, login_name)

    def create_account(self, name: str, password_hash: str, **settings) -> Learner:
        """A new learner with a login (a password hash made by :mod:`opsprep.engine.passwords`)."""
        return accounts.create_account(self.store, name, password_hash, **settings)

    def name_problems(self, name: str) -> list[str]:
        """What stops ``name`` from being registered; empty when it is free."""
        return accounts.name_problems(self.store, name)

    def find_account(self, name: str) -> Account | None:
        """The login of that name (any case), or None."""
        return accounts.find_account(self.store, name)

    def account(self, learner_id: int) -> Account | None:
        """The learner's login, or None when the learner has no password."""
        return accounts.get_account(self.store, learner_id)

    def login_state(self, learner_id: int) -> accounts.LoginState | None:
        """The learner, their login and progress version, or None when the learner or login is missing (what a
        web session is checked against)."""
        return accounts.login_state(self.store, learner_id)

    def record_login(self, learner_id: int, *, now: datetime | None = None) -> None:
        """Note that the learner logged in."""
        accounts.record_login(self.store, learner_id, now=now)

    def end_sessions(self, learner_id: int) -> None:
        """End every web session of the learner (at logout, so a copied session cookie stops working)."""
        accounts.end_sessions(self.store, learner_id)

    def set_password_hash(self, learner_id: int, password_hash: str, *, now: datetime | None = None) -> None:
        """Give a learner a login, or a new password (which ends every web session they have)."""
        accounts.set_password_hash(self.store, learner_id, password_hash, now=now)

    # ------------------------------------------------------------------ questions, reports, exports
    def scope(self, cert: str, domains: Iterable[str] = ()) -> Scope:
        """The scope of a certification and some of its domains; raises ``UnknownCertification``, ``UnknownDomain``."""
        return resolve_scope(self.bank, cert, domains)

    def check_answer(
        self, item_id: str, seed: int, chosen: str | Iterable[str]
    ) -> tuple[Presentation, tuple[str, ...], bool]:
        """Grade an answer without storing it: the presentation, the chosen letters and whether they are right."""
        return check_answer(self.bank, item_id, seed, chosen)

    def report_problems(self, item_id: str, reason: str, comment: str = "") -> list[str]:
        """What stops a problem report from being stored; empty when it can be."""
        return reports.report_problems(item_id, reason, comment)

    def reports(self, *, status: str | None = "open", item_id: str | None = None) -> list[ProblemReport]:
        """Problem reports (open ones by default), oldest first."""
        return reports.list_reports(self.store, status=status, item_id=item_id)

    def set_report_status(self, report_id: int, status: str) -> None:
        """Mark a report open, resolved or dismissed; raises ``UnknownReport``."""
        reports.set_status(self.store, report_id, status)

    def export_anki(
        self,
        path: str | os.PathLike,
        cert: str | None = None,
        domains: Iterable[str] = (),
        progress: Callable[[int, int], None] | None = None,
        now: datetime | None = None,
    ) -> anki_export.ExportSummary:
        """Write an Anki package of one certification (or all); see :func:`opsprep.engine.anki_export.export_anki`."""
        return anki_export.export_anki(self.bank, path, cert, domains, progress=progress, now=now)


class LearnerProgress:
    """What one learner does: study, exams, readiness, history. Made by :meth:`Progress.learner`."""

    def __init__(self, progress: Progress, learner: Learner) -> None:
        self.progress = progress
        self.info = learner

    @property
    def id(self) -> int:
        """The learner's id."""
        return self.info.id

    @property
    def _store(self) -> Store:
        return self.progress.store

    @property
    def _bank(self) -> QuestionBank:
        return self.progress.bank

    def update_settings(self, **changes) -> Learner:
        """Change some settings (see :func:`.learners.update_settings`); all are checked before any is written."""
        self.info = learners.update_settings(self._store, self.id, **changes)
        return self.info

    def progress_version(self) -> int:
        """The learner's progress version: every write to their progress raises it (see :mod:`.freshness`)."""
        return progress_version(self._store, self.id)

    def stamp(self, *, now: datetime | None = None) -> ProgressStamp:
        """The progress version and the moment the clock next changes the study queue: what a page made
        now stays true for (see :mod:`.freshness`)."""
        return progress_stamp(self._store, self.id, now)

    # ------------------------------------------------------------------ study
    def session(self, cert: str, domains: Iterable[str] = ()) -> StudySession:
        """A study session over a certification (and some of its domains)."""
        return StudySession(self._store, self._bank, self.id, cert, domains)

    def card(self, item_id: str) -> CardState | None:
        """The learner's card of an item, or None when it was never answered."""
        return load_card(self._store, self.id, item_id)

    def current_seed(self, item_id: str) -> int:
        """The presentation seed of the showing of an item the learner is due to answer next."""
        card = self.card(item_id)
        return showing_seed(self.id, card.reps if card else 0)

    def preview(self, item_id: str, *, now: datetime | None = None) -> dict[Rating, timedelta]:
        """The interval each rating would give the item's card now (without fuzz)."""
        now = utc(now)
        card = self.card(item_id) or new_card(item_id, self.id, now=now)
        return preview(card, self.info.scheduler(fuzz=False), now)

    def next_card(
        self, cert: str, domains: Iterable[str] = (), *, now: datetime | None = None, mode: str | None = None
    ) -> StudyCard | None:
        """The next question in the scope (on the schedule, or in a study ``mode``), or None when nothing is left."""
        return next_card(self._store, self._bank, self.id, cert, domains, now=now, mode=mode)

    def counts(
        self, cert: str, domains: Iterable[str] = (), *, now: datetime | None = None, mode: str | None = None
    ) -> QueueCounts:
        """Due, learning and new counts in the scope (on the schedule, or what a study ``mode`` still serves)."""
        return queue_counts(self._store, self._bank, self.id, cert, domains, now=now, mode=mode)

    def study_counts(
        self, cert: str, domains: Iterable[str] = (), *, now: datetime | None = None, mode: str | None = None
    ) -> tuple[QueueCounts, dict[str | None, int]]:
        """The counts of :meth:`counts` and what each way of studying still serves (None: the schedule), at once."""
        return study_counts(self._store, self._bank, self.id, cert, domains, now=now, mode=mode)

    def mode_counts(self, cert: str, domains: Iterable[str] = (), *, now: datetime | None = None) -> dict[str, int]:
        """How many questions each study mode still serves in the scope, by mode."""
        return mode_counts(self._store, self._bank, self.id, cert, domains, now=now)

    def question_flags(self, item_id: str) -> CardFlags:
        """Whether the learner suspended, buried or bookmarked a question."""
        return get_flags(self._store, self.id, item_id)

    def flag_question(self, item_id: str, action: str, *, now: datetime | None = None) -> CardFlags:
        """Suspend, unsuspend, bury, unbury, bookmark or unbookmark a question (see :mod:`.card_flags`)."""
        return set_flag(self._store, self._bank, self.id, item_id, action, now=now)

    def find_questions(self, **search) -> QuestionPage:
        """A page of the questions matching a search, with the learner's state (see :func:`.cards.find_questions`)."""
        return find_questions(self._store, self._bank, self.id, **search)

    def question_status(self, item_id: str, *, now: datetime | None = None) -> QuestionStatus:
        """One question with the learner's card, flags and states (as the question browser lists it)."""
        return question_status(self._store, self._bank, self.id, item_id, now=now)

    def question_history(self, item_id: str) -> list[ReviewEntry]:
        """Every answer the learner gave to a question, oldest first."""
        return review_history(self._store, self.id, item_id)

    def submit(
        self,
        item_id: str,
        seed: int,
        chosen: str | Iterable[str],
        response_ms: int | None = None,
        rating: Rating | int | str | None = None,
        *,
        now: datetime | None = None,
        fuzz: bool = True,
        mode: str | None = None,
        rate_later: bool = False,
        cert: str | None = None,
    ) -> AnswerResult:
        """Grade, rate and store an answer to a showing this learner was handed, in one transaction.

        ``rate_later`` stores it with the default rating until :meth:`rate` or :meth:`keep_rating`;
        in ``mode="cram"`` the answer is logged but the card keeps its schedule; ``cert`` is the
        certification studied (whose session the answer belongs to).
        """
        return submit_answer(
            self._store,
            self._bank,
            self.id,
            item_id,
            seed,
            chosen,
            response_ms,
            rating,
            now=now,
            fuzz=fuzz,
            mode=mode,
            rate_later=rate_later,
            cert=cert,
        )

    def rate(
        self,
        item_id: str,
        seed: int,
        rating: Rating | int | str | None,
        *,
        now: datetime | None = None,
        fuzz: bool = True,
    ) -> AnswerResult | None:
        """Rate a stored answer awaiting its rating: the review is amended and its schedule re-run."""
        return study_ratings.rate_answer(self._store, self._bank, self.id, item_id, seed, rating, now=now, fuzz=fuzz)

    def keep_rating(self, item_id: str, seed: int, *, now: datetime | None = None) -> AnswerResult | None:
        """Keep the default rating of a stored answer awaiting its rating (left without one)."""
        return study_ratings.keep_rating(self._store, self._bank, self.id, item_id, seed, now=now)

    def answer(self, item_id: str, seed: int) -> AnswerResult | None:
        """The stored answer to one showing of a question, or None."""
        return study_ratings.stored_answer(self._store, self._bank, self.id, item_id, seed)

    def awaiting_rating(self) -> list[AnswerResult]:
        """The answers stored with their default rating that await the learner's own, newest first."""
        return study_ratings.awaiting_answers(self._store, self._bank, self.id)

    def undo(self, item_id: str, seed: int, *, now: datetime | None = None) -> AnswerResult | None:
        """Take back an answer and its rating (see :mod:`.study_undo`); None when it was undone already."""
        return study_undo.undo_answer(self._store, self._bank, self.id, item_id, seed, now=now)

    def current_showing(self, item_id: str, cert: str, *, now: datetime | None = None) -> StudyCard:
        """The showing of a question not answered yet, as a study card (the same until it is answered)."""
        return study_queue.current_showing(self._store, self._bank, self.id, item_id, cert, now=now)

    def undone_card(self, cert: str, domains: Iterable[str] = (), *, now: datetime | None = None) -> StudyCard | None:
        """The question of the answer undone last in the scope, to be asked again before the queue."""
        return study_undo.undone_card(self._store, self._bank, self.id, cert, domains, now=now)

    def last_answer(self, cert: str, *, now: datetime | None = None) -> AnswerResult | None:
        """The newest answer of the study session running in a certification (what undo takes back)."""
        return study_sessions.last_answer(self._store, self._bank, self.id, cert, now=now)

    def session_summary(
        self, cert: str, *, since: datetime | None = None, now: datetime | None = None
    ) -> SessionSummary:
        """The study session running in a certification, or every answer there ``since`` a time, summed up."""
        return study_sessions.session_summary(self._store, self._bank, self.id, cert, since=since, now=now)

    def end_session(self, cert: str, *, now: datetime | None = None) -> SessionSummary:
        """End the study session in a certification (keeping default ratings); its summary."""
        return study_sessions.end_session(self._store, self._bank, self.id, cert, now=now)

    def ended_session(self, cert: str, *, now: datetime | None = None) -> SessionSummary | None:
        """The summary of the study session ended last in a certification, or None."""
        return study_sessions.ended_session(self._store, self._bank, self.id, cert, now=now)

    def report_problem(
        self, item_id: str, reason: str, comment: str = "", *, seed: int | None = None, now: datetime | None = None
    ) -> ProblemReport:
        """Keep a report of a problem with a question."""
        return reports.report_problem(self._store, self.id, item_id, reason, comment, seed=seed, now=now)

    # ------------------------------------------------------------------ exams
    def start_exam(self, cert: str, domains: Iterable[str] = (), **options) -> ExamAttempt:
        """Start a timed exam (``count``, ``minutes``, ``seed``, ``now``); see :func:`.exam.start_exam`."""
        return exam.start_exam(self._store, self._bank, self.id, cert, domains, **options)

    def attempt(self, attempt_id: int) -> ExamAttempt:
        """One of the learner's attempts; raises ``UnknownAttempt``."""
        return exam.get_attempt(self._store, self._bank, self.id, attempt_id)

    def exam_question(self, attempt_id: int, position: int) -> tuple[ExamQuestion, Presentation]:
        """A question of an attempt and its presentation."""
        return exam.exam_question(self._store, self._bank, self.id, attempt_id, position)

    def answer_exam(
        self,
        attempt_id: int,
        position: int,
        chosen: str | Iterable[str],
        response_ms: int | None = None,
        *,
        now: datetime | None = None,
    ) -> ExamQuestion:
        """Record, change or clear the answer to one question of an open attempt."""
        return exam.answer_exam_question(
            self._store, self._bank, self.id, attempt_id, position, chosen, response_ms, now=now
        )

    def flag(
        self, attempt_id: int, position: int, flagged: bool = True, *, now: datetime | None = None
    ) -> ExamQuestion:
        """Mark (or unmark) a question of an open attempt for review."""
        return exam.flag(self._store, self._bank, self.id, attempt_id, position, flagged, now=now)

    def finish_exam(self, attempt_id: int, *, time_up: bool = False, now: datetime | None = None) -> ExamAttempt:
        """Score and close an attempt (finishing twice changes nothing); ``time_up``: the countdown ran out."""
        return exam.finish_exam(self._store, self._bank, self.id, attempt_id, time_up=time_up, now=now)

    def resume_exam(self, cert: str | None = None, *, now: datetime | None = None) -> ExamAttempt | None:
        """The newest open attempt with time left; attempts out of time are finished on the way."""
        return exam.resume(self._store, self._bank, self.id, cert, now=now)

    def attempts(self, cert: str | None = None) -> list[ExamAttempt]:
        """The learner's attempts (for one certification, if given), newest first."""
        return exam.list_attempts(self._store, self._bank, self.id, cert)

    def exam_answer_problem(self, attempt_id: int, position: int, chosen: str | Iterable[str]) -> str | None:
        """What stops ``chosen`` from being an exam question's answer (too few or many options), or None."""
        return exam.answer_problem(self._store, self._bank, self.id, attempt_id, position, chosen)

    def record_exam_time(
        self, attempt_id: int, position: int, time_ms: int, *, now: datetime | None = None
    ) -> ExamQuestion:
        """Add to the time a question of an open attempt has been on screen."""
        return exam.record_time(self._store, self._bank, self.id, attempt_id, position, time_ms, now=now)

    def retake_exam(self, attempt_id: int, *, seed: int | None = None, now: datetime | None = None) -> ExamAttempt:
        """A new attempt of exactly the questions a finished attempt got wrong or left unanswered."""
        return exam_retake.retake_exam(self._store, self._bank, self.id, attempt_id, seed=seed, now=now)

    def exam_history(self, cert: str | None = None) -> list[CertHistory]:
        """Finished attempts per certification, oldest first, with the score trend (see :mod:`.exam_history`)."""
        return exam_history(self._store, self._bank, self.id, cert)

    # ------------------------------------------------------------------ readiness and history
    def readiness(self, cert: str, *, now: datetime | None = None) -> Readiness:
        """Expected recall for a certification now, weighted as on the exam."""
        return readiness.readiness(self._store, self._bank, self.id, cert, now=now)

    def reviews_per_day(
        self, cert: str, domains: Iterable[str] = (), *, days: int = 30, now: datetime | None = None
    ) -> list[DayCount]:
        """Answers per day over the last ``days`` days."""
        return stats.reviews_per_day(self._store, self._bank, self.id, cert, domains, days=days, now=now)

    def due_forecast(
        self, cert: str, domains: Iterable[str] = (), *, days: int = 30, now: datetime | None = None
    ) -> list[DayCount]:
        """Reviews falling due per day over the next ``days`` days."""
        return stats.due_forecast(self._store, self._bank, self.id, cert, domains, days=days, now=now)

    def study_habits(self, *, days: int = stats.CALENDAR_DAYS, now: datetime | None = None) -> StudyHabits:
        """Answers per day over every certification for the last ``days`` days, and the streaks."""
        return stats.study_habits(self._store, self.id, days=days, now=now)

    def reschedule(self) -> int:
        """Replay the review log with the learner's current settings; the number of cards rescheduled."""
        return history.reschedule(self._store, self.id)

    def export_reviews(self, out: TextIO) -> int:
        """Write the review log as CSV for the FSRS optimizer; the number of rows written."""
        return review_export.export_reviews_csv(self._store, self.id, out)
