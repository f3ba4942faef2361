"""The study queue: which card a learner sees next, with which presentation seed, and what is waiting.

On the normal schedule the queue puts cards that are due first (oldest due first), then new items (up
to the learner's daily limit in that certification), then learning cards due within :data:`LEARN_AHEAD`.
Every showing of an item gets its own presentation seed (:func:`showing_seed`), derived from the
learner and how often they have answered the item, so options are re-drawn each time.

**The daily new limit is per certification**, as Anki's is per deck: a certification offers new items
while fewer than the limit of its items were answered for the first time since the learner's day
began. A question that serves two certifications counts for both on the day it is first answered.

**Suspended and buried questions** (:mod:`.card_flags`) are left out of every queue and count.

**A card's badge** (:attr:`.study_model.StudyCard.kind`) is decided by :func:`card_kind` alone, by the
card's state as the counts count it: a learning card whose step has passed is "learning", not "due".

**Study modes** (``mode``, one of :data:`.study_model.STUDY_MODES`) serve the scope's cards whatever
their due dates, as Anki's custom study does, and ignore the new limit (a new item answered there
still counts toward it):

- ``"wrong"``: cards whose latest review was wrong (``cards.last_wrong``, kept by the store), the one
  answered longest ago first; a card answered right leaves the mode, one answered wrong again goes to the back;
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
from .clock import day_start, to_text, utc
from .grading import check_mode
from .items import Scope, resolve_scope, scope_families, scope_traits, sync_items
from .learners import Learner, get_learner
from .scheduling import CardState, State, lazy_preview, new_card
from .store import Store
from .study_model import StudyCard

__all__ = [
    "LEARN_AHEAD",
    "MODE_LABELS",
    "SEED_STRIDE",
    "card_kind",
    "mode_source",
    "new_today",
    "next_card",
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


def card_kind(card: CardState, now: datetime) -> str:
    """The badge of a card about to be shown, by its state as the queue's counts count it: "new" (never
    answered), "learning" (in its learning or relearning steps, whether its step has passed or not), "due"
    (a review card due now) or "ahead" (a review card shown before it is due: a study mode, an undo)."""
    if card.is_new:
        return "new"
    if card.state != State.Review:
        return "learning"
    return "due" if card.due <= now else "ahead"


#: the items of a certification (IRI) the learner answered for the first time since a moment (their day's start)
NEW_TODAY_SQL = """SELECT count(*) FROM cards c WHERE c.learner_id = ? AND c.first_review >= ?
                   AND EXISTS (SELECT 1 FROM item_domains d WHERE d.item_id = c.item_id AND d.cert = ?)"""


def new_today(store: Store, learner_id: int, cert: str, now: datetime) -> int:
    """How many items of a certification (IRI) the learner answered for the first time since their day began."""
    return store.scalar(NEW_TODAY_SQL, [learner_id, to_text(day_start(now)), cert])


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
    return study_card(bank, learner, found, scope.cert, now)


def study_card(bank: QuestionBank, learner: Learner, card: CardState, cert: str, now: datetime) -> StudyCard:
    """The showing of ``card`` that comes next (its seed follows from the reviews so far), as a study card
    with its badge (:func:`card_kind`); the intervals of its ratings are worked out when first read."""
    item = bank.get(card.item_id)
    seed = showing_seed(learner.id, card.reps)
    return StudyCard(
        learner_id=learner.id,
        item=item,
        seed=seed,
        kind=card_kind(card, now),
        presentation=present(item, seed),
        card=card,
        preview=lazy_preview(card, learner.scheduler(fuzz=False), now),
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
    return study_card(bank, learner, card, cert, now)


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
    items = scope_traits(bank, scope)
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

    unbeatable = min((2 * (family in families), shown[family]) for family in scope_families(bank, scope))
    hidden = _hidden_items(store, learner, now)
    best: str | None = None
    best_cost: tuple[int, int] | None = None
    weighed = 0
    for start in range(0, len(items), NEW_BATCH):
        batch = items[start : start + NEW_BATCH]
        seen = {
            item_id
            for (item_id,) in store.tuples(
                f"SELECT item_id FROM cards WHERE learner_id = ? AND item_id IN ({', '.join('?' * len(batch))})",
                [learner.id, *(item_id for item_id, _, _ in batch)],
            )
        }
        for item_id, family, template in batch:
            if item_id in seen or item_id in hidden:
                continue
            # rule breaks first, then families seen least lately (round robin); ties keep the bank's order
            item_cost = (2 * (family in families) + (template in templates), shown[family])
            if item_cost == unbeatable:
                return item_id
            if best_cost is None or item_cost < best_cost:
                best, best_cost = item_id, item_cost
            weighed += 1
            if weighed >= NEW_CANDIDATES:
                return best
    return best


def _next(store: Store, bank: QuestionBank, learner: Learner, scope: Scope, now: datetime) -> CardState | None:
    condition, params = scope.sql("c")
    stamp = to_text(now)
    shown = f"c.learner_id = ? AND {condition} AND NOT {hidden_sql('c')}"
    due = store.row(
        f"SELECT * FROM cards c WHERE {shown} AND c.due <= ? ORDER BY c.due LIMIT 1",
        [learner.id, *params, learner.id, stamp, stamp],
    )
    if due is not None:
        return CardState.from_row(due)
    if new_today(store, learner.id, scope.cert, now) < learner.daily_new_limit:
        item_id = _pick_new(store, bank, learner, scope, now)
        if item_id is not None:
            return new_card(item_id, learner.id, now=now)
    ahead = store.row(
        f"SELECT * FROM cards c WHERE {shown} AND c.state IN (1, 3) AND c.due <= ? ORDER BY c.due LIMIT 1",
        [learner.id, *params, learner.id, stamp, to_text(now + LEARN_AHEAD)],
    )
    return None if ahead is None else CardState.from_row(ahead)


def mode_source(mode: str, learner: Learner, scope: Scope, now: datetime) -> tuple[str, list]:
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
            f"""SELECT c.item_id AS item_id, c.id AS card_id, c.state AS state, c.last_answered_at AS k1, c.id AS k2
                FROM cards c WHERE c.last_wrong = 1 AND {shown}""",
            [learner.id, *params, learner.id, stamp],
        )
    return (  # cram
        f"""SELECT c.item_id AS item_id, c.id AS card_id, c.state AS state, c.due AS k1, c.id AS k2
            FROM cards c WHERE {shown}
              AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.card_id = c.id AND r.mode = 'cram'
                              AND r.reviewed_at >= ?)""",
        [learner.id, *params, learner.id, stamp, today],
    )


def _next_in_mode(store: Store, learner: Learner, scope: Scope, mode: str, now: datetime) -> CardState | None:
    source, params = mode_source(mode, learner, scope, now)
    found = store.row(f"SELECT * FROM ({source}) ORDER BY card_id IS NOT NULL, k1, k2 LIMIT 1", params)
    if found is None:
        return None
    if found["card_id"] is None:
        return new_card(found["item_id"], learner.id, now=now)
    return CardState.from_row(store.row("SELECT * FROM cards WHERE id = ?", [found["card_id"]]))
