"""The study queue: which card a learner sees next, with which presentation seed, and what is waiting.

On the normal schedule the queue puts cards that are due first (oldest due first), then new items (up
to the learner's daily limit in that certification), then learning cards due within :data:`LEARN_AHEAD`.
Every showing of an item gets its own presentation seed (:func:`showing_seed`), derived from the
learner and how often they have answered the item, so options are re-drawn each time.

**The daily new limit is per certification**, as Anki's is per deck: a certification offers new items
while fewer than the limit of its items were answered for the first time since the learner's day
began. A question that serves two certifications counts for both on the day it is first answered.

**Suspended and buried questions** (:mod:`.card_flags`) are left out of every queue and count.

**Study modes** (``mode``, one of :data:`.study_model.STUDY_MODES`) serve the scope's cards whatever
their due dates, as Anki's custom study does, and ignore the new limit (a new item answered there
still counts toward it):

- ``"wrong"``: cards whose latest review was wrong, the one answered longest ago first; a card
  answered right leaves the mode, one answered wrong again goes to the back;
- ``"bookmarked"``: bookmarked questions, seen or not, not yet answered in this mode today: new ones
  first, then the soonest due;
- ``"cram"``: cards already seen and not yet crammed today, the soonest due first. Answers in this
  mode leave the schedule as it is (the submit path keeps it); new items are not crammed: they come
  with the daily limit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta

from opsprep.questions import QuestionBank, QuestionItem, present

from .card_flags import hidden_sql
from .cards import load_card
from .clock import day_start, from_text, to_text, utc
from .grading import check_mode
from .items import Scope, resolve_scope, scope_families, scope_items, sync_items
from .learners import Learner, get_learner
from .scheduling import CardState, new_card, preview
from .store import Store
from .study_model import STUDY_MODES, QueueCounts, StudyCard

__all__ = [
    "LEARN_AHEAD",
    "MODE_LABELS",
    "SEED_STRIDE",
    "mode_counts",
    "new_today",
    "next_card",
    "queue_counts",
    "showing_seed",
]

#: learning cards due this soon are shown when nothing else is left (as Anki's learn-ahead limit)
LEARN_AHEAD = timedelta(minutes=20)
#: new cards interleave template families: none of the same family as the last two new cards ...
FAMILY_GAP = 2
#: ... and no template twice within twenty new cards (when the scope has enough other items)
TEMPLATE_GAP = 19
#: how many unseen items, in the bank's mixed order, are weighed when choosing the next new card
NEW_CANDIDATES = 2000
#: unseen items are looked for in the store this many at a time
NEW_BATCH = 200
#: seeds are learner_id * SEED_STRIDE + showing, so each learner and each showing gets its own options
SEED_STRIDE = 1_000_000
#: what each study mode (:data:`.study_model.STUDY_MODES`) is called on a page
MODE_LABELS = {"wrong": "Wrong last time", "bookmarked": "Bookmarked", "cram": "Cram ahead of schedule"}


def showing_seed(learner_id: int, showing: int) -> int:
    """The presentation seed of a learner's ``showing``-th showing (0 = first) of an item."""
    return learner_id * SEED_STRIDE + showing


def _domain_labels(bank: QuestionBank, item: QuestionItem, cert: str) -> tuple[str, ...]:
    """Labels of the item's domains in one certification."""
    return tuple(d.title for d in bank.catalog.certification(cert).domains if d.iri in item.domains)


def new_today(store: Store, learner_id: int, cert: str, now: datetime) -> int:
    """How many items of a certification (IRI) the learner answered for the first time since their day began."""
    return store.scalar(
        """SELECT count(*) FROM cards c WHERE c.learner_id = ? AND c.first_review >= ?
           AND EXISTS (SELECT 1 FROM item_domains d WHERE d.item_id = c.item_id AND d.cert = ?)""",
        [learner_id, to_text(day_start(now)), cert],
    )


def next_card(
    store: Store,
    bank: QuestionBank,
    learner_id: int,
    cert: str,
    domains: Iterable[str] = (),
    *,
    now: datetime | None = None,
    mode: str | None = None,
) -> StudyCard | None:
    """The next question for the learner in a certification (and optionally some of its domains).

    Returns None when nothing is left: on the schedule, when nothing is due, no new item is left for
    today and no learning card is due within :data:`LEARN_AHEAD`; in a ``mode``, when the mode has
    served everything. Raises ``UnknownLearner``, ``UnknownCertification``, ``UnknownDomain`` or
    ``InvalidAnswer`` (an unknown mode).
    """
    mode = check_mode(mode)
    learner = get_learner(store, learner_id)
    scope = resolve_scope(bank, cert, domains)
    sync_items(store, bank)
    now = utc(now)
    found = _next(store, bank, learner, scope, now) if mode is None else _next_in_mode(store, learner, scope, mode, now)
    if found is None:
        return None
    kind, card = found
    return study_card(bank, learner, card, kind, scope.cert, now)


def study_card(bank: QuestionBank, learner: Learner, card: CardState, kind: str, cert: str, now: datetime) -> StudyCard:
    """The showing of ``card`` that comes next (its seed follows from the reviews so far), as a study card."""
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
        domain_labels=_domain_labels(bank, item, cert),
    )


def current_showing(
    store: Store, bank: QuestionBank, learner_id: int, item_id: str, cert: str, *, now: datetime | None = None
) -> StudyCard:
    """The showing of ``item_id`` the learner has not answered yet (the same one until it is answered), as a
    study card: to ask again a question whose answer form came back incomplete."""
    learner = get_learner(store, learner_id)
    now = utc(now)
    card = load_card(store, learner.id, item_id) or new_card(item_id, learner.id, now=now)
    kind = "new" if card.is_new else "due" if card.due <= now else "learning"
    return study_card(bank, learner, card, kind, cert, now)


def _hidden_items(store: Store, learner: Learner, now: datetime) -> set[str]:
    return {
        item_id
        for (item_id,) in store.tuples(
            "SELECT item_id FROM card_flags WHERE learner_id = ? AND (suspended = 1 OR buried_until > ?)",
            [learner.id, to_text(now)],
        )
    }


def _pick_new(store: Store, bank: QuestionBank, learner: Learner, scope: Scope, now: datetime) -> str | None:
    """The next new item: the first in the bank's mixed order that repeats neither the family of the
    last :data:`FAMILY_GAP` new cards nor the template of the last :data:`TEMPLATE_GAP` (when the
    scope leaves no such item, the one that breaks the fewest of these), of the family seen least lately.

    The first :data:`NEW_CANDIDATES` unseen items are weighed, looked up :data:`NEW_BATCH` at a time; the
    search stops early at an item no other could beat (one that breaks no rule, of a family seen least)."""
    items = scope_items(bank, scope)
    if not items:
        return None
    recent = [
        bank.by_id[item_id]
        for (item_id,) in store.tuples(
            "SELECT item_id FROM cards WHERE learner_id = ? ORDER BY first_review DESC, id DESC LIMIT ?",
            [learner.id, TEMPLATE_GAP],
        )
        if item_id in bank.by_id
    ]
    families = {item.family for item in recent[:FAMILY_GAP]}
    templates = {item.template for item in recent}
    shown = Counter(item.family for item in recent)

    def cost(item: QuestionItem) -> tuple[int, int]:
        # rule breaks first, then families seen least lately (round robin); ties keep the bank's order
        return 2 * (item.family in families) + (item.template in templates), shown[item.family]

    unbeatable = min((2 * (family in families), shown[family]) for family in scope_families(bank, scope))
    hidden = _hidden_items(store, learner, now)
    best: QuestionItem | None = None
    best_cost: tuple[int, int] | None = None
    weighed = 0
    for start in range(0, len(items), NEW_BATCH):
        batch = items[start : start + NEW_BATCH]
        seen = {
            item_id
            for (item_id,) in store.tuples(
                f"SELECT item_id FROM cards WHERE learner_id = ? AND item_id IN ({', '.join('?' * len(batch))})",
                [learner.id, *(item.id for item in batch)],
            )
        }
        for item in batch:
            if item.id in seen or item.id in hidden:
                continue
            item_cost = cost(item)
            if item_cost == unbeatable:
                return item.id
            if best_cost is None or item_cost < best_cost:
                best, best_cost = item, item_cost
            weighed += 1
            if weighed >= NEW_CANDIDATES:
                return best.id
    return None if best is None else best.id


def _next(
    store: Store, bank: QuestionBank, learner: Learner, scope: Scope, now: datetime
) -> tuple[str, CardState] | None:
    condition, params = scope.sql("c")
    stamp = to_text(now)
    shown = f"c.learner_id = ? AND {condition} AND NOT {hidden_sql('c')}"
    due = store.rows(
        f"SELECT * FROM cards c WHERE {shown} AND c.due <= ? ORDER BY c.due LIMIT 1",
        [learner.id, *params, learner.id, stamp, stamp],
    )
    if due:
        return "due", CardState.from_row(due[0])
    if new_today(store, learner.id, scope.cert, now) < learner.daily_new_limit:
        item_id = _pick_new(store, bank, learner, scope, now)
        if item_id is not None:
            return "new", new_card(item_id, learner.id, now=now)
    ahead = store.rows(
        f"SELECT * FROM cards c WHERE {shown} AND c.state IN (1, 3) AND c.due <= ? ORDER BY c.due LIMIT 1",
        [learner.id, *params, learner.id, stamp, to_text(now + LEARN_AHEAD)],
    )
    return ("learning", CardState.from_row(ahead[0])) if ahead else None


def _mode_source(mode: str, learner: Learner, scope: Scope, now: datetime) -> tuple[str, list]:
    """SQL for what a mode serves, one row per item: ``item_id``, ``card_id`` (NULL: never answered),
    ``state`` and the sort keys ``k1``, ``k2``; with its parameters."""
    stamp, today = to_text(now), to_text(day_start(now))
    if mode == "bookmarked":
        condition, params = scope.sql("f")
        return (
            f"""SELECT f.item_id AS item_id, c.id AS card_id, c.state AS state, c.due AS k1, f.changed_at AS k2
                FROM card_flags f LEFT JOIN cards c ON c.learner_id = f.learner_id AND c.item_id = f.item_id
                WHERE f.learner_id = ? AND f.bookmarked = 1 AND f.suspended = 0
                  AND (f.buried_until IS NULL OR f.buried_until <= ?) AND {condition}
                  AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.learner_id = f.learner_id
                                  AND r.item_id = f.item_id AND r.mode = 'bookmarked' AND r.reviewed_at >= ?)""",
            [learner.id, stamp, *params, today],
        )
    condition, params = scope.sql("c")
    shown = f"c.learner_id = ? AND {condition} AND NOT {hidden_sql('c')}"
    if mode == "wrong":
        return (
            f"""SELECT c.item_id AS item_id, c.id AS card_id, c.state AS state, r.reviewed_at AS k1, c.id AS k2
                FROM cards c JOIN reviews r ON r.id = (SELECT r2.id FROM reviews r2 WHERE r2.card_id = c.id
                                                       ORDER BY r2.reviewed_at DESC, r2.id DESC LIMIT 1)
                WHERE {shown} AND r.correct = 0""",
            [learner.id, *params, learner.id, stamp],
        )
    return (  # cram
        f"""SELECT c.item_id AS item_id, c.id AS card_id, c.state AS state, c.due AS k1, c.id AS k2
            FROM cards c WHERE {shown}
              AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.card_id = c.id AND r.mode = 'cram'
                              AND r.reviewed_at >= ?)""",
        [learner.id, *params, learner.id, stamp, today],
    )


def _next_in_mode(
    store: Store, learner: Learner, scope: Scope, mode: str, now: datetime
) -> tuple[str, CardState] | None:
    source, params = _mode_source(mode, learner, scope, now)
    found = store.row(f"SELECT * FROM ({source}) ORDER BY card_id IS NOT NULL, k1, k2 LIMIT 1", params)
    if found is None:
        return None
    if found["card_id"] is None:
        return "new", new_card(found["item_id"], learner.id, now=now)
    row = store.row("SELECT * FROM cards WHERE id = ?", [found["card_id"]])
    card = CardState.from_row(row)
    return ("due" if card.due <= now else "ahead"), card


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
    mode = check_mode(mode)
    learner = get_learner(store, learner_id)
    scope = resolve_scope(bank, cert, domains)
    sync_items(store, bank)
    now = utc(now)
    condition, params = scope.sql("c")
    stamp = to_text(now)
    seen = store.scalar(f"SELECT count(*) FROM cards c WHERE c.learner_id = ? AND {condition}", [learner.id, *params])
    shown = f"c.learner_id = ? AND {condition} AND NOT {hidden_sql('c')}"
    shown_params = [learner.id, *params, learner.id, stamp]
    next_due = store.scalar(
        f"SELECT c.due FROM cards c WHERE {shown} AND c.due > ? ORDER BY c.due LIMIT 1", [*shown_params, stamp]
    )
    total = len(scope_items(bank, scope))
    introduced = new_today(store, learner.id, scope.cert, now)
    unseen = total - seen
    if mode is None:
        waiting = store.row(  # the cards due now or within LEARN_AHEAD: a range of the (learner, due) index
            f"""SELECT coalesce(sum(c.state = 2 AND c.due <= ?), 0) AS due, coalesce(sum(c.state != 2), 0) AS learning
                FROM cards c WHERE {shown} AND c.due <= ?""",
            [stamp, *shown_params, to_text(now + LEARN_AHEAD)],
        )
        flagged, flag_params = scope.sql("f")
        hidden_unseen = store.scalar(
            f"""SELECT count(*) FROM card_flags f WHERE f.learner_id = ? AND (f.suspended = 1 OR f.buried_until > ?)
                AND {flagged}
                AND NOT EXISTS (SELECT 1 FROM cards c WHERE c.learner_id = ? AND c.item_id = f.item_id)""",
            [learner.id, stamp, *flag_params, learner.id],
        )
        due, learning = waiting["due"], waiting["learning"]
        new = max(0, min(unseen - hidden_unseen, learner.daily_new_limit - introduced))
    else:
        source, source_params = _mode_source(mode, learner, scope, now)
        served = store.row(
            f"""SELECT coalesce(sum(state = 2), 0) AS due, coalesce(sum(state IN (1, 3)), 0) AS learning,
                       coalesce(sum(card_id IS NULL), 0) AS new FROM ({source})""",
            source_params,
        )
        due, learning, new = served["due"], served["learning"], served["new"]
    return QueueCounts(
        due=due,
        learning=learning,
        new=new,
        unseen=unseen,
        total=total,
        new_today=introduced,
        new_limit=learner.daily_new_limit,
        next_due=from_text(next_due),
    )


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
    learner = get_learner(store, learner_id)
    scope = resolve_scope(bank, cert, domains)
    sync_items(store, bank)
    now = utc(now)
    sources = [_mode_source(mode, learner, scope, now) for mode in STUDY_MODES]
    counted = ", ".join(f"(SELECT count(*) FROM ({source}))" for source, _ in sources)
    found = store.tuples(f"SELECT {counted}", [param for _, params in sources for param in params])[0]
    return dict(zip(STUDY_MODES, found, strict=True))
