"""The study queue: which card a learner sees next, with which presentation seed, and what is waiting.

The queue puts cards that are due first (oldest due first), then new items (up to the learner's
daily limit), then learning cards due within :data:`LEARN_AHEAD`. Every showing of an item gets
its own presentation seed (:func:`showing_seed`), derived from the learner and how often they have
answered the item, so options are re-drawn each time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta

from opsprep.questions import QuestionBank, QuestionItem, present

from .clock import day_start, from_text, to_text, utc
from .items import Scope, resolve_scope, sync_items
from .learners import Learner, get_learner
from .scheduling import CardState, new_card, preview
from .store import Store
from .study_model import QueueCounts, StudyCard

__all__ = ["LEARN_AHEAD", "SEED_STRIDE", "next_card", "queue_counts", "showing_seed"]

#: learning cards due this soon are shown when nothing else is left (as Anki's learn-ahead limit)
LEARN_AHEAD = timedelta(minutes=20)
#: new cards interleave template families: none of the same family as the last two new cards ...
FAMILY_GAP = 2
#: ... and no template twice within twenty new cards (when the scope has enough other items)
TEMPLATE_GAP = 19
#: how many unseen items, in the bank's mixed order, are weighed when choosing the next new card
NEW_CANDIDATES = 2000
#: seeds are learner_id * SEED_STRIDE + showing, so each learner and each showing gets its own options
SEED_STRIDE = 1_000_000


def showing_seed(learner_id: int, showing: int) -> int:
    """The presentation seed of a learner's ``showing``-th showing (0 = first) of an item."""
    return learner_id * SEED_STRIDE + showing


def _domain_labels(bank: QuestionBank, item: QuestionItem, cert: str) -> tuple[str, ...]:
    """Labels of the item's domains in one certification."""
    return tuple(d.title for d in bank.catalog.certification(cert).domains if d.iri in item.domains)


def _new_today(store: Store, learner: Learner, now: datetime) -> int:
    return store.scalar(
        "SELECT count(*) FROM cards WHERE learner_id = ? AND first_review >= ?",
        [learner.id, to_text(day_start(now))],
    )


def next_card(
    store: Store,
    bank: QuestionBank,
    learner_id: int,
    cert: str,
    domains: Iterable[str] = (),
    *,
    now: datetime | None = None,
) -> StudyCard | None:
    """The next question for the learner in a certification (and optionally some of its domains).

    Returns None when nothing is due, no new item is left for today and no learning card is due
    within :data:`LEARN_AHEAD`. Raises ``UnknownLearner``, ``UnknownCertification`` or ``UnknownDomain``.
    """
    learner = get_learner(store, learner_id)
    scope = resolve_scope(bank, cert, domains)
    sync_items(store, bank)
    now = utc(now)
    found = _next(store, bank, learner, scope, now)
    if found is None:
        return None
    kind, card = found
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
        domain_labels=_domain_labels(bank, item, scope.cert),
    )


def _pick_new(store: Store, bank: QuestionBank, learner: Learner, scope: Scope) -> str | None:
    """The next new item: the first in the bank's mixed order that repeats neither the family of the
    last :data:`FAMILY_GAP` new cards nor the template of the last :data:`TEMPLATE_GAP` (when the
    scope leaves no such item, the one that breaks the fewest of these), of the family seen least lately."""
    item_condition, params = scope.sql("i")
    candidates = [
        bank.by_id[item_id]
        for (item_id,) in store.tuples(
            f"""SELECT i.item_id FROM items i WHERE {item_condition}
                AND NOT EXISTS (SELECT 1 FROM cards c WHERE c.learner_id = ? AND c.item_id = i.item_id)
                ORDER BY i.position LIMIT ?""",
            [*params, learner.id, NEW_CANDIDATES],
        )
        if item_id in bank.by_id
    ]
    if not candidates:
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

    return min(candidates, key=cost).id


def _next(
    store: Store, bank: QuestionBank, learner: Learner, scope: Scope, now: datetime
) -> tuple[str, CardState] | None:
    condition, params = scope.sql("c")
    due = store.rows(
        f"SELECT * FROM cards c WHERE c.learner_id = ? AND c.due <= ? AND {condition} ORDER BY c.due LIMIT 1",
        [learner.id, to_text(now), *params],
    )
    if due:
        return "due", CardState.from_row(due[0])
    if _new_today(store, learner, now) < learner.daily_new_limit:
        item_id = _pick_new(store, bank, learner, scope)
        if item_id is not None:
            return "new", new_card(item_id, learner.id, now=now)
    ahead = store.rows(
        f"""SELECT * FROM cards c WHERE c.learner_id = ? AND c.state IN (1, 3) AND c.due <= ? AND {condition}
            ORDER BY c.due LIMIT 1""",
        [learner.id, to_text(now + LEARN_AHEAD), *params],
    )
    return ("learning", CardState.from_row(ahead[0])) if ahead else None


def queue_counts(
    store: Store,
    bank: QuestionBank,
    learner_id: int,
    cert: str,
    domains: Iterable[str] = (),
    *,
    now: datetime | None = None,
) -> QueueCounts:
    """Counts of due, learning and new items for the learner in a certification (and domains)."""
    learner = get_learner(store, learner_id)
    scope = resolve_scope(bank, cert, domains)
    sync_items(store, bank)
    now = utc(now)
    condition, params = scope.sql("c")
    stamp = to_text(now)
    counts = store.row(
        f"""SELECT coalesce(sum(c.state = 2 AND c.due <= ?), 0) AS due,
                   coalesce(sum(c.state != 2 AND c.due <= ?), 0) AS learning,
                   count(*) AS seen,
                   min(CASE WHEN c.due > ? THEN c.due END) AS next_due
            FROM cards c WHERE c.learner_id = ? AND {condition}""",
        [stamp, to_text(now + LEARN_AHEAD), stamp, learner.id, *params],
    )
    item_condition, params = scope.sql("i")
    total = store.scalar(f"SELECT count(*) FROM items i WHERE {item_condition}", params)
    new_today = _new_today(store, learner, now)
    unseen = total - counts["seen"]
    return QueueCounts(
        due=counts["due"],
        learning=counts["learning"],
        new=max(0, min(unseen, learner.daily_new_limit - new_today)),
        unseen=unseen,
        total=total,
        new_today=new_today,
        new_limit=learner.daily_new_limit,
        next_due=from_text(counts["next_due"]),
    )
