"""The progress store's schema, as sqlite-utils migrations applied in order when a store is opened.

The migrations are one ``sqlite_utils.Migrations`` set, ``opsprep``, recorded in sqlite-utils' own
``_sqlite_migrations`` table (so ``sqlite-utils`` tooling can list them). :func:`migrate` applies the
pending ones inside one ``BEGIN IMMEDIATE`` transaction, so two programs opening a new file at once
cannot both migrate it. Never edit a published migration: add the next one (sqlite-utils'
``Table.transform`` handles column changes).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlite_utils import Database, Migrations

from .errors import StoreCorrupt, StoreError

if TYPE_CHECKING:
    from .store import Store

#: the engine's migration set; its length is the schema version this code writes
MIGRATIONS = Migrations("opsprep")


@MIGRATIONS(name="0001_initial_schema")
def _initial_schema(db: Database) -> None:
    """Learners, the items a bank holds, card state, the review log and exam attempts."""
    db["learners"].create(
        {
            "id": int,
            "name": str,
            "created_at": str,
            "desired_retention": float,
            "daily_new_limit": int,
            "default_cert": str,  # certification IRI
            "fsrs_parameters": str,  # JSON list of the 21 FSRS-6 weights; NULL = the defaults
        },
        pk="id",
        not_null={"name", "created_at", "desired_retention", "daily_new_limit"},
        defaults={"desired_retention": 0.9, "daily_new_limit": 20},
    )
    db["learners"].create_index(["name"], unique=True)

    # the question bank's items and their exam domains, synced from the bank so queues can be scoped in SQL
    db["items"].create({"item_id": str, "position": int}, pk="item_id", not_null={"position"})
    db["items"].create_index(["position"])
    db["item_domains"].create(
        {"item_id": str, "domain": str, "cert": str},
        pk=("item_id", "domain"),
        not_null={"cert"},
    )
    db["item_domains"].create_index(["domain", "item_id"])
    db["meta"].create({"key": str, "value": str}, pk="key")

    db["cards"].create(
        {
            "id": int,
            "learner_id": int,
            "item_id": str,
            "state": int,  # fsrs.State: 1 learning, 2 review, 3 relearning
            "step": int,
            "stability": float,
            "difficulty": float,
            "due": str,
            "last_review": str,
            "first_review": str,
            "reps": int,
            "lapses": int,
        },
        pk="id",
        not_null={"learner_id", "item_id", "state", "due", "reps", "lapses"},
        defaults={"reps": 0, "lapses": 0},
        foreign_keys=[("learner_id", "learners", "id")],
    )
    db["cards"].create_index(["learner_id", "item_id"], unique=True)
    db["cards"].create_index(["learner_id", "due"])
    db["cards"].create_index(["learner_id", "first_review"])

    db["reviews"].create(
        {
            "id": int,
            "learner_id": int,
            "card_id": int,
            "item_id": str,
            "seed": int,  # the presentation shown: present(item, seed)
            "showing": int,  # how many times the item had been answered before
            "options": str,  # JSON: the option keys in the order shown (A, B, ...)
            "chosen": str,  # JSON: the letters chosen
            "correct": int,
            "rating": int,  # fsrs.Rating: 1 again, 2 hard, 3 good, 4 easy
            "state_before": int,  # 0 new, else fsrs.State before the review
            "response_ms": int,
            "reviewed_at": str,
            "state_after": int,
            "due_after": str,
            "stability_after": float,
            "difficulty_after": float,
        },
        pk="id",
        not_null={"learner_id", "card_id", "item_id", "seed", "correct", "rating", "state_before", "reviewed_at"},
        foreign_keys=[("learner_id", "learners", "id"), ("card_id", "cards", "id")],
    )
    db["reviews"].create_index(["learner_id", "item_id", "seed"], unique=True)
    db["reviews"].create_index(["learner_id", "reviewed_at"])
    db["reviews"].create_index(["card_id", "reviewed_at"])

    db["exam_attempts"].create(
        {
            "id": int,
            "learner_id": int,
            "cert": str,
            "domains": str,  # JSON list of the domain IRIs the attempt covers
            "seed": int,
            "question_count": int,
            "minutes": int,
            "passing_fraction": float,
            "score_scale_max": float,
            "started_at": str,
            "deadline": str,
            "finished_at": str,
            "correct": int,
            "passed": int,
        },
        pk="id",
        not_null={"learner_id", "cert", "seed", "question_count", "minutes", "passing_fraction", "started_at"},
        foreign_keys=[("learner_id", "learners", "id")],
    )
    db["exam_attempts"].create_index(["learner_id", "finished_at"])
    db["exam_questions"].create(
        {
            "attempt_id": int,
            "position": int,
            "item_id": str,
            "seed": int,
            "domain": str,
            "options": str,
            "chosen": str,
            "correct": int,
            "flagged": int,
            "answered_at": str,
            "response_ms": int,
        },
        pk=("attempt_id", "position"),
        not_null={"item_id", "seed", "domain", "flagged"},
        defaults={"flagged": 0},
        foreign_keys=[("attempt_id", "exam_attempts", "id")],
    )


@MIGRATIONS(name="0002_accounts")
def _accounts(db: Database) -> None:
    """Web accounts: a password hash for a learner (the learner's name is the login name)."""
    db["accounts"].create(
        {"learner_id": int, "password_hash": str, "created_at": str, "last_login": str},
        pk="learner_id",
        not_null={"password_hash", "created_at"},
        foreign_keys=[("learner_id", "learners", "id")],
    )


@MIGRATIONS(name="0003_problem_reports")
def _problem_reports(db: Database) -> None:
    """Problems learners report with a question, kept for review."""
    db["problem_reports"].create(
        {
            "id": int,
            "learner_id": int,
            "item_id": str,
            "seed": int,  # the presentation the learner saw, when known
            "reason": str,
            "comment": str,
            "created_at": str,
            "status": str,  # "open" until someone reviews it, then "resolved" or "dismissed"
        },
        pk="id",
        not_null={"learner_id", "item_id", "reason", "created_at", "status"},
        defaults={"status": "open", "comment": ""},
        foreign_keys=[("learner_id", "learners", "id")],
    )
    db["problem_reports"].create_index(["status", "created_at"])
    db["problem_reports"].create_index(["item_id"])


@MIGRATIONS(name="0004_exam_score_derived")
def _exam_score_derived(db: Database) -> None:
    """An attempt's score and pass/fail are derived from its questions when read: drop the stored copies."""
    db.execute("ALTER TABLE exam_attempts DROP COLUMN correct")
    db.execute("ALTER TABLE exam_attempts DROP COLUMN passed")


@MIGRATIONS(name="0005_session_epoch")
def _session_epoch(db: Database) -> None:
    """A counter per account that every web session carries: raising it ends all of the learner's sessions."""
    db.execute("ALTER TABLE accounts ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 0")


@MIGRATIONS(name="0006_answers_rated_later")
def _answers_rated_later(db: Database) -> None:
    """An answer is stored when it is graded and rated later; undone reviews and ended study sessions are kept."""
    db.execute("ALTER TABLE reviews ADD COLUMN rated_at TEXT")  # NULL while the answer waits for its rating
    db.execute("ALTER TABLE reviews ADD COLUMN card_before TEXT")  # JSON: the card's state before the review
    db.execute("ALTER TABLE reviews ADD COLUMN mode TEXT")  # the study mode ("cram" keeps the schedule); NULL: normal
    db.execute("UPDATE reviews SET rated_at = reviewed_at")  # earlier answers were rated when stored
    db.execute("CREATE INDEX idx_reviews_awaiting ON reviews (learner_id) WHERE rated_at IS NULL")
    # a review the learner undid leaves the review log (so no schedule, count or export sees it) for this table
    db["undone_reviews"].create(
        {
            "id": int,
            "review_id": int,  # the id it had in the review log (SQLite may give that id to a later review)
            "learner_id": int,
            "card_id": int,
            "item_id": str,
            "seed": int,
            "showing": int,
            "options": str,
            "chosen": str,
            "correct": int,
            "rating": int,
            "state_before": int,
            "response_ms": int,
            "reviewed_at": str,
            "state_after": int,
            "due_after": str,
            "stability_after": float,
            "difficulty_after": float,
            "rated_at": str,
            "card_before": str,
            "mode": str,
            "undone_at": str,
        },
        pk="id",
        not_null={"review_id", "learner_id", "item_id", "seed", "reviewed_at", "undone_at"},
        foreign_keys=[("learner_id", "learners", "id")],
    )
    db["undone_reviews"].create_index(["learner_id", "undone_at"])
    # a study session is a run of answers in one certification; ending one on purpose is recorded here
    db["session_ends"].create(
        {"id": int, "learner_id": int, "cert": str, "ended_at": str},
        pk="id",
        not_null={"learner_id", "cert", "ended_at"},
        foreign_keys=[("learner_id", "learners", "id")],
    )
    db["session_ends"].create_index(["learner_id", "cert", "ended_at"])


@MIGRATIONS(name="0007_card_flags")
def _card_flags(db: Database) -> None:
    """What a learner set on a question, seen or not: suspended, buried until a time, bookmarked."""
    db["card_flags"].create(
        {
            "learner_id": int,
            "item_id": str,
            "suspended": int,  # 1: never shown until unsuspended
            "buried_until": str,  # hidden until this time (the start of the learner's next day); NULL: not buried
            "bookmarked": int,
            "changed_at": str,
        },
        pk=("learner_id", "item_id"),
        not_null={"suspended", "bookmarked", "changed_at"},
        defaults={"suspended": 0, "bookmarked": 0},
        foreign_keys=[("learner_id", "learners", "id")],
    )
    # queues scoped to a whole certification look items up by it
    db["item_domains"].create_index(["cert", "item_id"])


@MIGRATIONS(name="0008_exam_answer_time")
def _exam_answer_time(db: Database) -> None:
    """How long each exam question was on screen, whether an attempt ended because its time ran out, and
    which attempt a retake of the wrong answers repeats."""
    db.execute("ALTER TABLE exam_questions ADD COLUMN time_ms INTEGER")  # over every visit; NULL: not measured
    db.execute("ALTER TABLE exam_attempts ADD COLUMN timed_out INTEGER")  # NULL while the attempt is open
    db.execute("ALTER TABLE exam_attempts ADD COLUMN retake_of INTEGER REFERENCES exam_attempts(id)")
    db.execute("UPDATE exam_attempts SET timed_out = finished_at >= deadline WHERE finished_at IS NOT NULL")


@MIGRATIONS(name="0009_review_indexes")
def _review_indexes(db: Database) -> None:
    """The answers awaiting a rating are read newest first: index them by learner and time, so that the
    read touches those few rows instead of every review of the learner."""
    db.execute("DROP INDEX idx_reviews_awaiting")
    db.execute("CREATE INDEX idx_reviews_awaiting ON reviews (learner_id, reviewed_at) WHERE rated_at IS NULL")


@MIGRATIONS(name="0010_typed_answers")
def _typed_answers(db: Database) -> None:
    """Questions answered by typing (a command, a value, a manifest, a configuration): the text the learner
    typed and its verdict are kept with the answer, in the review log, among undone reviews and in exams."""
    for table in ("reviews", "undone_reviews", "exam_questions"):
        db.execute(f"ALTER TABLE {table} ADD COLUMN response TEXT")  # the typed text; NULL: options were chosen
        db.execute(f"ALTER TABLE {table} ADD COLUMN verdict TEXT")  # JSON: Verdict.to_dict(); NULL: options


#: the latest review of a card, newest first (as the review log is read everywhere)
_LATEST_REVIEW = "FROM reviews r WHERE r.card_id = cards.id ORDER BY r.reviewed_at DESC, r.id DESC LIMIT 1"
#: the tables whose rows belong to one learner and change what the study pages show, with the column naming
#: the learner
VERSIONED = {
    "learners": "id",
    "cards": "learner_id",
    "reviews": "learner_id",
    "undone_reviews": "learner_id",
    "card_flags": "learner_id",
    "session_ends": "learner_id",
}


@MIGRATIONS(name="0011_last_answers_and_progress_versions")
def _last_answers_and_progress_versions(db: Database) -> None:
    """An answer keeps the certification it was given in (a question two certifications share belongs to the
    session of the one studied), each card whether its latest answer was wrong and when it was given (the
    wrong-last-time mode and the question browser read them instead of searching the log for each card), and
    each learner has a progress version that every write to their progress raises (a page made from it is
    checked against it).

    Triggers keep both, so every writer (this engine, another process, a tool on the file) does. A version
    is the milliseconds since 1970 at the write, or one more than the last when that is not more: it only
    grows, so a file put back from a backup never returns to a version a cached page was made at.
    (A ``transform`` of these tables drops their triggers: a later migration that rebuilds one creates them again.)
    """
    for table in ("reviews", "undone_reviews"):  # the certification studied; NULL: not known (answers from before)
        db.execute(f"ALTER TABLE {table} ADD COLUMN cert TEXT")
    db.execute("ALTER TABLE cards ADD COLUMN last_wrong INTEGER NOT NULL DEFAULT 0")  # 1: the latest answer was wrong
    db.execute("ALTER TABLE cards ADD COLUMN last_answered_at TEXT")  # when the latest answer was given
    recompute = f"""UPDATE cards SET last_wrong = coalesce((SELECT r.correct = 0 {_LATEST_REVIEW}), 0),
                                     last_answered_at = (SELECT r.reviewed_at {_LATEST_REVIEW})"""
    db.execute(recompute)  # the answers given so far
    db.execute("CREATE INDEX idx_cards_wrong ON cards (learner_id, last_answered_at) WHERE last_wrong = 1")
    # when the next learning card comes within the learn-ahead window, without walking the review cards
    db.execute("CREATE INDEX idx_cards_learning ON cards (learner_id, due) WHERE state != 2")
    for event, row in (("INSERT", "NEW"), ("DELETE", "OLD"), ("UPDATE OF card_id, correct, reviewed_at", "NEW")):
        name = event.split()[0].lower()
        db.execute(
            f"""CREATE TRIGGER reviews_{name}_last_answer AFTER {event} ON reviews BEGIN
                  {recompute} WHERE id = {row}.card_id;
                END"""
        )
    db["progress_versions"].create({"learner_id": int, "version": int}, pk="learner_id", not_null={"version"})
    now_ms = "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)"
    # the first row is added without INSERT OR IGNORE: an upsert firing the trigger would override that clause
    for table, column in VERSIONED.items():
        for event, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
            db.execute(
                f"""CREATE TRIGGER {table}_{event.lower()}_version AFTER {event} ON {table} BEGIN
                      INSERT INTO progress_versions (learner_id, version) SELECT {row}.{column}, 0
                        WHERE NOT EXISTS (SELECT 1 FROM progress_versions WHERE learner_id = {row}.{column});
                      UPDATE progress_versions SET version = max(version + 1, {now_ms})
                        WHERE learner_id = {row}.{column};
                    END"""
            )


with Database(memory=True) as _empty:
    #: every migration's name, oldest first; their number is the schema version this code writes
    KNOWN: tuple[str, ...] = tuple(m.name for m in MIGRATIONS.pending(_empty))


def applied(db: Database) -> list[str]:
    """Names of the engine's migrations applied to ``db``, in order."""
    return [m.name for m in MIGRATIONS.applied(db)]


def migrate(store: Store) -> int:
    """Apply the pending migrations in one transaction; return the schema version reached.

    Raises :class:`StoreError` when the database was written by a newer opsprep (it has migrations
    this code does not know) and :class:`StoreCorrupt` when opsprep's tables are there without any
    record of the migrations that made them.
    """
    with store.guard():
        done = applied(store.db)
    newer = [name for name in done if name not in KNOWN]
    if newer:
        raise StoreError(
            f"{store.path} was written by a newer opsprep (schema migration {newer[-1]!r}; this one knows "
            f"up to {KNOWN[-1]!r}). Upgrade opsprep to open it."
        )
    if len(done) == len(KNOWN):  # the usual case: no write lock needed
        return len(done)
    with store.transaction() as db:
        if not applied(db) and set(db.table_names()) - {Migrations.migrations_table}:
            raise StoreCorrupt(
                f"{store.path} is damaged: it has opsprep's tables but no record of its schema. "
                "Restore it from a backup, or use another database file; nothing was written."
            )
        MIGRATIONS.apply(db)  # each migration nests as a savepoint inside this transaction
    return len(KNOWN)
