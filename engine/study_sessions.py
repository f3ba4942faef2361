"""Study sessions and their summaries: answered, right, the time taken and when the questions come back.

A session is a run of a learner's answers in one certification with no break longer than
:data:`SESSION_BREAK`; it ends there, or when the learner ends it (:func:`end_session`, recorded in
``session_ends``). Nothing else is stored: a summary is read from the review log and the cards, so it
is the same in the browser and the terminal, and an undone answer drops out of it.

An answer belongs to the certification it was given in (``reviews.cert``): a question two
certifications share, answered while studying one, is not in the other's session. An answer stored
without its certification (before it was kept) belongs to each certification the question serves.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from opsprep.questions import QuestionBank, present

from .answer_log import to_result
from .clock import from_text, to_text, utc
from .learners import get_learner
from .scheduling import Rating
from .store import Store
from .study_model import AnswerResult, ComingBack, SessionSummary

__all__ = ["SESSION_BREAK", "end_session", "ended_session", "last_answer", "session_summary"]

#: a longer pause between two answers ends a study session
SESSION_BREAK = timedelta(minutes=30)
#: the most answers one summary reads
MAX_ANSWERS = 5000


def _last_end(store: Store, learner_id: int, cert: str, before: datetime, *, strictly: bool = False) -> str:
    """The stored time of the learner's last session end in a certification up to ``before`` ("" for none)."""
    compare = "<" if strictly else "<="
    found = store.scalar(
        f"SELECT max(ended_at) FROM session_ends WHERE learner_id = ? AND cert = ? AND ended_at {compare} ?",
        [learner_id, cert, to_text(before)],
    )
    return found or ""


#: an answer given in a certification (its two parameters: the certification's IRI, twice)
_IN_CERT = """(r.cert = ? OR r.cert IS NULL
               AND EXISTS (SELECT 1 FROM item_domains d WHERE d.item_id = r.item_id AND d.cert = ?))"""


def _session_rows(
    store: Store, learner_id: int, cert: str, *, until: datetime, after: str, limit: int = MAX_ANSWERS
) -> list[dict]:
    """The review-log rows of the session running at ``until`` that began after ``after`` (a stored time),
    newest first: answers in the certification back to the first break longer than :data:`SESSION_BREAK`."""
    rows = store.rows(
        f"""SELECT r.* FROM reviews r WHERE r.learner_id = ? AND r.reviewed_at > ? AND r.reviewed_at <= ?
              AND {_IN_CERT} ORDER BY r.reviewed_at DESC, r.id DESC LIMIT ?""",
        [learner_id, after, to_text(until), cert, cert, limit],
    )
    run, previous = [], until
    for row in rows:
        moment = from_text(row["reviewed_at"])
        if previous - moment > SESSION_BREAK:
            break
        run.append(row)
        previous = moment
    return run


def _since_rows(store: Store, learner_id: int, cert: str, since: datetime, until: datetime) -> list[dict]:
    """Every review-log row in the certification from ``since`` to ``until``, newest first."""
    return store.rows(
        f"""SELECT r.* FROM reviews r WHERE r.learner_id = ? AND r.reviewed_at >= ? AND r.reviewed_at <= ?
              AND {_IN_CERT} ORDER BY r.reviewed_at DESC, r.id DESC LIMIT ?""",
        [learner_id, to_text(since), to_text(until), cert, cert, MAX_ANSWERS],
    )


#: the stretches of time a summary counts returning questions in: (shorter than, label)
BUCKETS = (
    (timedelta(hours=1), "within an hour"),
    (timedelta(days=1), "within a day"),
    (timedelta(days=7), "within a week"),
    (timedelta(days=31), "within a month"),
)


def _bucket(interval: timedelta) -> str:
    """The stretch of time a due date falls in, as the summary says it."""
    return next((label for limit, label in BUCKETS if interval < limit), "in more than a month")


def _summary(store: Store, learner_id: int, cert: str, rows: list[dict], now: datetime) -> SessionSummary:
    """The summary of a session's rows; when its questions come back is counted from ``now``, and only those
    not due by then come back (a question due already waits in the queue)."""
    if not rows:
        return SessionSummary(cert=cert, answered=0, right=0, started_at=None, last_at=None)
    oldest = rows[-1]
    started = from_text(oldest["reviewed_at"]) - timedelta(milliseconds=oldest["response_ms"] or 0)
    card_ids = sorted({r["card_id"] for r in rows})
    marks = ", ".join("?" * len(card_ids))
    found = store.tuples(f"SELECT due FROM cards WHERE id IN ({marks})", card_ids)
    dues = sorted(due for due in (from_text(text) for (text,) in found) if due > now)
    groups: dict[str, list[datetime]] = {}
    for due in dues:
        groups.setdefault(_bucket(due - now), []).append(due)
    return SessionSummary(
        cert=cert,
        answered=len(rows),
        right=sum(r["correct"] for r in rows),
        started_at=started,
        last_at=from_text(rows[0]["reviewed_at"]),
        ratings={Rating(k): n for k, n in sorted(Counter(r["rating"] for r in rows).items())},
        comes_back=tuple(ComingBack(label, len(times), times[0]) for label, times in groups.items()),
        questions=len(card_ids),
    )


def session_summary(
    store: Store,
    bank: QuestionBank,
    learner_id: int,
    cert: str,
    *,
    since: datetime | None = None,
    now: datetime | None = None,
) -> SessionSummary:
    """The summary of the learner's session in a certification running now (empty when none is), or of
    every answer there since ``since`` (a terminal session's start)."""
    learner = get_learner(store, learner_id)
    iri = bank.catalog.certification(cert).iri
    now = utc(now)
    if since is not None:
        rows = _since_rows(store, learner.id, iri, utc(since), now)
    else:
        rows = _session_rows(store, learner.id, iri, until=now, after=_last_end(store, learner.id, iri, now))
    return _summary(store, learner.id, iri, rows, now)


def end_session(
    store: Store, bank: QuestionBank, learner_id: int, cert: str, *, now: datetime | None = None
) -> SessionSummary:
    """End the learner's session in a certification: its answers still awaiting a rating keep their
    default, the end is recorded, and the summary of the session ended is returned."""
    learner = get_learner(store, learner_id)
    iri = bank.catalog.certification(cert).iri
    now = utc(now)
    rows = _session_rows(store, learner.id, iri, until=now, after=_last_end(store, learner.id, iri, now))
    with store.transaction() as db:
        awaiting = [r["id"] for r in rows if r["rated_at"] is None]
        db.conn.executemany("UPDATE reviews SET rated_at = ? WHERE id = ?", [(to_text(now), i) for i in awaiting])
        db.execute(
            "INSERT INTO session_ends (learner_id, cert, ended_at) VALUES (?, ?, ?)", [learner.id, iri, to_text(now)]
        )
    return _summary(store, learner.id, iri, rows, now)


def ended_session(
    store: Store, bank: QuestionBank, learner_id: int, cert: str, *, now: datetime | None = None
) -> SessionSummary | None:
    """The summary of the session the learner ended last in a certification, or None when they never ended one."""
    learner = get_learner(store, learner_id)
    iri = bank.catalog.certification(cert).iri
    ended = store.scalar("SELECT max(ended_at) FROM session_ends WHERE learner_id = ? AND cert = ?", [learner.id, iri])
    if ended is None:
        return None
    until = from_text(ended)
    rows = _session_rows(
        store, learner.id, iri, until=until, after=_last_end(store, learner.id, iri, until, strictly=True)
    )
    return _summary(store, learner.id, iri, rows, utc(now))


def last_answer(
    store: Store, bank: QuestionBank, learner_id: int, cert: str, *, now: datetime | None = None
) -> AnswerResult | None:
    """The newest answer of the session running now in a certification (what an undo takes back), or None."""
    learner = get_learner(store, learner_id)
    iri = bank.catalog.certification(cert).iri
    now = utc(now)
    for row in _session_rows(store, learner.id, iri, until=now, after=_last_end(store, learner.id, iri, now), limit=1):
        if row["item_id"] in bank.by_id:
            return to_result(row, present(bank.get(row["item_id"]), row["seed"]), learner)
    return None
