"""How long what a page shows of a learner's progress stays true: until something is written, or until
the clock alone changes the study queue.

Every write to a learner's progress (answers, ratings, undos, cards, flags, settings, ended sessions)
raises the learner's progress version, from this engine or any other program writing the file: SQLite
triggers keep it (:mod:`.migrations`, 0011). Between writes the queue still moves with the clock: a
card falls due, a learning card comes within :data:`~.study_queue.LEARN_AHEAD`, a bury ends, the
learner's day rolls over (new questions and once-a-day modes start again), the session's last answer
or undo grows older than :data:`~.study_sessions.SESSION_BREAK`. :func:`stamp` reads both at once, so a
page made after it can be shown again for as long as the version is the same and the clock has not
reached the stamp's ``until``.

>>> from opsprep.engine.store import open_store
>>> from opsprep.engine.learners import create_learner, update_settings
>>> from opsprep.engine.clock import utc
>>> store = open_store(":memory:")
>>> ada = create_learner(store, "ada")
>>> before = stamp(store, ada.id, utc())
>>> _ = update_settings(store, ada.id, daily_new_limit=5)
>>> progress_version(store, ada.id) > before.version
True
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from .clock import day_start, from_text, to_text, utc
from .store import Store
from .study_queue import LEARN_AHEAD
from .study_sessions import SESSION_BREAK

__all__ = ["ProgressStamp", "progress_version", "queue_changes_at", "stamp"]


@dataclass(frozen=True)
class ProgressStamp:
    """A learner's progress version, and the moment the clock alone next changes their study queue."""

    version: int
    until: datetime

    def holds(self, version: int, now: datetime) -> bool:
        """True while nothing was written (the same version) and the clock has not reached ``until``."""
        return version == self.version and utc(now) < self.until


def progress_version(store: Store, learner_id: int) -> int:
    """The learner's progress version: it grows with every write to their progress (0 before any)."""
    return store.scalar("SELECT version FROM progress_versions WHERE learner_id = ?", [learner_id]) or 0


def queue_changes_at(store: Store, learner_id: int, now: datetime | None = None) -> datetime:
    """The first moment after ``now`` at which the clock alone may change what the learner's study pages
    show, in any certification: the next due time, a learning card coming within the learn-ahead
    window, a bury ending, the session's last answer or undo growing older than the session break, or
    the start of the learner's next day, whichever comes first."""
    now = utc(now)
    stamp_now = to_text(now)
    found = store.tuples(
        """SELECT (SELECT min(due) FROM cards WHERE learner_id = :id AND due > :now),
                  (SELECT min(due) FROM cards WHERE learner_id = :id AND state != 2 AND due > :ahead),
                  (SELECT min(buried_until) FROM card_flags WHERE learner_id = :id AND buried_until > :now),
                  (SELECT max(reviewed_at) FROM reviews WHERE learner_id = :id),
                  (SELECT max(undone_at) FROM undone_reviews WHERE learner_id = :id)""",
        {"id": learner_id, "now": stamp_now, "ahead": to_text(now + LEARN_AHEAD)},
    )[0]
    due, learning, unburied, answered, undone = (from_text(value) for value in found)
    moments = [day_start(now) + timedelta(days=1)]
    moments += [moment for moment in (due, unburied) if moment is not None]
    if learning is not None:
        moments.append(learning - LEARN_AHEAD)
    moments += [moment + SESSION_BREAK for moment in (answered, undone) if moment is not None]
    return min(moment for moment in moments if moment > now)  # the next day's start always is


def stamp(store: Store, learner_id: int, now: datetime | None = None) -> ProgressStamp:
    """The learner's progress version and when the clock next changes their queue, read before a page's
    data is (so that a write meanwhile leaves the page with an older version than the store's)."""
    now = utc(now)
    return ProgressStamp(progress_version(store, learner_id), queue_changes_at(store, learner_id, now))
