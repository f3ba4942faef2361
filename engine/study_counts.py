"""What the study queue holds, counted: due, learning and new in a scope, and what each study mode still serves.

A study page shows both (its header and its mode links), so :func:`study_counts` reads them in one SQL
statement; :func:`queue_counts` and :func:`mode_counts` read one or the other. What is counted follows
:mod:`.study_queue`: on the schedule, review cards due now, learning cards due now or within
:data:`~.study_queue.LEARN_AHEAD` and the new items still allowed today; in a mode, what the mode still
serves, by the cards' state. Suspended and buried questions count nowhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from opsprep.questions import QuestionBank

from .card_flags import hidden_sql
from .clock import day_start, from_text, to_text, utc
from .grading import check_mode
from .items import Scope, resolve_scope, scope_items, sync_items
from .learners import Learner, get_learner
from .store import Store
from .study_model import STUDY_MODES, QueueCounts
from .study_queue import LEARN_AHEAD, NEW_TODAY_SQL, mode_source

__all__ = ["mode_counts", "queue_counts", "study_counts"]


def study_counts(
    store: Store,
    bank: QuestionBank,
    learner_id: int,
    cert: str,
    domains: Iterable[str] = (),
    *,
    now: datetime | None = None,
    mode: str | None = None,
) -> tuple[QueueCounts, dict[str | None, int]]:
    """The counts of the queue in a scope (on the schedule, or in a study ``mode``: see :func:`queue_counts`)
    and how many questions each way of studying still serves there (``None``: the schedule, then each of
    :data:`.study_model.STUDY_MODES`), in one query."""
    mode, learner, scope = _prepared(store, bank, learner_id, cert, domains, mode)
    return _figures(store, bank, learner, scope, utc(now), mode, modes=True)


def queue_counts(
    store: Store,
    bank: QuestionBank,
    learner_id: int,
    cert: str,
    domains: Iterable[str] = (),
    *,
    now: datetime | None = None,
    mode: str | None = None,
) -> QueueCounts:
    """Counts of due, learning and new items for the learner in a certification (and domains).

    On the schedule: review cards due now, learning cards due now or within :data:`LEARN_AHEAD`, and
    the new items still allowed today. In a ``mode``: what the mode still serves, by the cards' state
    (review cards as due, learning and relearning ones as learning, never answered as new). ``unseen``,
    ``total``, ``new_today``, ``new_limit`` and ``next_due`` are the schedule's in either case.
    """
    mode, learner, scope = _prepared(store, bank, learner_id, cert, domains, mode)
    return _figures(store, bank, learner, scope, utc(now), mode, modes=False)[0]


def _prepared(
    store: Store, bank: QuestionBank, learner_id: int, cert: str, domains: Iterable[str], mode: str | None
) -> tuple[str | None, Learner, Scope]:
    """The checked mode, the learner and the scope, with the bank's items in the store."""
    mode = check_mode(mode)
    learner = get_learner(store, learner_id)
    scope = resolve_scope(bank, cert, domains)
    sync_items(store, bank)
    return mode, learner, scope


def mode_counts(
    store: Store,
    bank: QuestionBank,
    learner_id: int,
    cert: str,
    domains: Iterable[str] = (),
    *,
    now: datetime | None = None,
) -> dict[str, int]:
    """How many questions each study mode (:data:`.study_model.STUDY_MODES`) still serves in the scope, by mode."""
    counts = study_counts(store, bank, learner_id, cert, domains, now=now)[1]
    return {mode: counts[mode] for mode in STUDY_MODES}


def _figures(
    store: Store, bank: QuestionBank, learner: Learner, scope: Scope, now: datetime, mode: str | None, *, modes: bool
) -> tuple[QueueCounts, dict[str | None, int]]:
    """The queue's counts (and, with ``modes``, what each way of studying serves) from one statement of
    scalar subqueries, each an index range of its own."""
    condition, params = scope.sql("c")
    stamp = to_text(now)
    shown = f"c.learner_id = ? AND {condition} AND NOT {hidden_sql('c')}"
    shown_params = [learner.id, *params, learner.id, stamp]
    flagged, flag_params = scope.sql("f")
    parts: dict[str, tuple[str, list]] = {
        "seen": (f"SELECT count(*) FROM cards c WHERE c.learner_id = ? AND {condition}", [learner.id, *params]),
        "next_due": (
            f"SELECT c.due FROM cards c WHERE {shown} AND c.due > ? ORDER BY c.due LIMIT 1",
            [*shown_params, stamp],
        ),
        "introduced": (NEW_TODAY_SQL, [learner.id, to_text(day_start(now)), scope.cert]),
        # the cards due now or within LEARN_AHEAD: ranges of the (learner, due) index
        "due": (f"SELECT count(*) FROM cards c WHERE {shown} AND c.state = 2 AND c.due <= ?", [*shown_params, stamp]),
        "learning": (
            f"SELECT count(*) FROM cards c WHERE {shown} AND c.state != 2 AND c.due <= ?",
            [*shown_params, to_text(now + LEARN_AHEAD)],
        ),
        "hidden_unseen": (
            f"""SELECT count(*) FROM card_flags f WHERE f.learner_id = ? AND (f.suspended = 1 OR f.buried_until > ?)
                AND {flagged}
                AND NOT EXISTS (SELECT 1 FROM cards c WHERE c.learner_id = ? AND c.item_id = f.item_id)""",
            [learner.id, stamp, *flag_params, learner.id],
        ),
    }
    if mode is not None:
        source, source_params = mode_source(mode, learner, scope, now)
        served = {"mode_due": "state = 2", "mode_learning": "state IN (1, 3)", "mode_new": "card_id IS NULL"}
        for name, condition in served.items():
            parts[name] = (f"SELECT count(*) FROM ({source}) WHERE {condition}", source_params)
    for other in STUDY_MODES if modes else ():
        if other != mode:
            source, source_params = mode_source(other, learner, scope, now)
            parts[other] = (f"SELECT count(*) FROM ({source})", source_params)
    found = dict(
        zip(
            parts,
            store.tuples(
                "SELECT " + ", ".join(f"({sql})" for sql, _ in parts.values()),
                [param for _, values in parts.values() for param in values],
            )[0],
            strict=True,
        )
    )
    total = len(scope_items(bank, scope))
    unseen = total - found["seen"]
    new = max(0, min(unseen - found["hidden_unseen"], learner.daily_new_limit - found["introduced"]))
    schedule = (found["due"], found["learning"], new)
    shown_counts = schedule if mode is None else (found["mode_due"], found["mode_learning"], found["mode_new"])
    counts = QueueCounts(
        due=shown_counts[0],
        learning=shown_counts[1],
        new=shown_counts[2],
        unseen=unseen,
        total=total,
        new_today=found["introduced"],
        new_limit=learner.daily_new_limit,
        next_due=from_text(found["next_due"]),
    )
    waiting: dict[str | None, int] = {}
    if modes:
        waiting[None] = sum(schedule)
        for other in STUDY_MODES:
            waiting[other] = sum(shown_counts) if other == mode else found[other]
    return counts, waiting
