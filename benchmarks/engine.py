"""Time the study engine on a big progress store: 10,000 items and 100,000 reviews of one learner.

The store is a real WAL-mode file in a temporary folder. Its history is simulated with FSRS itself:
cards are reviewed around their due dates over the past year (85 % right), so due dates, states and
stabilities are spread as in real use. Then it times, on that store:

- picking the next item (``LearnerProgress.next_card``) while reviews are due, and when only new items are left;
- storing an answer (``LearnerProgress.submit``: grade, rate, schedule, write, one transaction);
- ``LearnerProgress.counts`` and ``readiness`` (dashboard figures).

    python benchmarks/engine.py [--items 10000] [--reviews 100000] [--runs 1000]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from importlib.metadata import version
from pathlib import Path

from opsprep.engine import Progress, Rating
from opsprep.engine.clock import to_text
from opsprep.engine.scheduling import new_card, review, scheduler_for
from opsprep.engine.study_queue import showing_seed
from opsprep.engine.synthetic import synthetic_bank

NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)


def simulate(store, bank, learner_id: int, reviews: int, rng: random.Random) -> tuple[int, int]:
    """Fill the store with ``reviews`` reviews of 80 % of the items over the past two years.

    Reviews go round the cards, one each per pass, so every card gets about as many. A learner
    reviews each card somewhere between a little early and a few days late, and is right 85 % of
    the time. Returns the numbers of cards and reviews written.
    """
    scheduler = scheduler_for(0.9)
    items = [item.id for item in bank.items]
    rng.shuffle(items)
    start = NOW - timedelta(days=730)
    cards = {}
    for card_id, item_id in enumerate(items[: int(len(items) * 0.8)], 1):
        first = start + timedelta(minutes=rng.randrange(0, 60 * 24 * 365))
        cards[card_id] = (new_card(item_id, learner_id, now=first), first)
    review_rows = []
    while len(review_rows) < reviews and cards:
        for card_id, (card, moment) in list(cards.items()):
            if len(review_rows) >= reviews:
                break
            if moment >= NOW:
                continue
            rating = Rating.Again if rng.random() < 0.15 else rng.choice((Rating.Hard, Rating.Good, Rating.Easy))
            before, showing = card.log_state, card.reps
            card, _ = review(card, rating, moment, scheduler, 4000)
            review_rows.append(
                (learner_id, card_id, card.item_id, showing_seed(learner_id, showing), showing, "[]", '["A"]',
                 int(rating != Rating.Again), int(rating), before, rng.randrange(1500, 30000), to_text(moment),
                 int(card.state), to_text(card.due), card.stability, card.difficulty)
            )  # fmt: skip
            cards[card_id] = (card, moment + (card.due - moment) * rng.uniform(0.3, 1.1))
        if all(moment >= NOW for _, moment in cards.values()):
            break
    card_rows = [{**card.to_row(), "id": card_id} for card_id, (card, _) in cards.items() if card.reps]
    with store.transaction() as db:
        columns = list(card_rows[0])
        db.conn.executemany(
            f"INSERT INTO cards ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            [[row[c] for c in columns] for row in card_rows],
        )
        db.conn.executemany(
            """INSERT INTO reviews (learner_id, card_id, item_id, seed, showing, options, chosen, correct, rating,
                   state_before, response_ms, reviewed_at, state_after, due_after, stability_after, difficulty_after)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            review_rows,
        )
    return len(card_rows), len(review_rows)


def timed(func):
    started = time.perf_counter()
    value = func()
    return (time.perf_counter() - started) * 1000, value


def summary(name: str, millis: list[float]) -> str:
    ordered = sorted(millis)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return f"{name:<34} {statistics.median(ordered):>8.2f} {p99:>8.2f} {len(ordered):>6}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--reviews", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=1000, help="answers timed (each after a timed next_card)")
    args = parser.parse_args()
    rng = random.Random(1)
    bank = synthetic_bank(items=args.items, weights=(40.0, 35.0, 25.0))
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, fsrs {version('fsrs')}, sqlite-utils {version('sqlite-utils')}"
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "progress.db"
        progress = Progress.open(path, bank)
        store = progress.store
        learner = progress.learner(
            progress.create_learner("benchmark", daily_new_limit=9999, now=NOW - timedelta(days=366)).id
        )
        elapsed, (cards, reviews) = timed(lambda: simulate(store, bank, learner.id, args.reviews, rng))
        size = sum(f.stat().st_size for f in Path(folder).iterdir()) / 2**20
        print(f"store: {len(bank):,} items, {cards:,} cards, {reviews:,} reviews, {size:.1f} MiB "
              f"(simulated in {elapsed / 1000:.1f} s), journal {store.journal_mode}")  # fmt: skip
        due_now = learner.counts("SYN", now=NOW).due
        print(f"due at the start: {due_now:,}\n")
        print(f"{'operation':<34} {'median':>8} {'p99':>8} {'runs':>6}   (milliseconds)")

        picks, answers, kinds = [], [], []
        moment = NOW
        for n in range(args.runs):
            moment += timedelta(seconds=5)
            ms, card = timed(lambda moment=moment: learner.next_card("SYN", now=moment))
            picks.append(ms)
            kinds.append(card.kind)
            chosen = card.presentation.correct_letters if n % 6 else ["A"]
            ms, _ = timed(
                lambda card=card, chosen=chosen, moment=moment: learner.submit(
                    card.item.id, card.seed, chosen, 3000, now=moment
                )
            )
            answers.append(ms)
        print(summary("next_card (reviews due)", picks))
        print(summary("submit", answers))

        one_domain = [timed(lambda: learner.next_card("SYN", ["3"], now=moment))[0] for _ in range(200)]
        print(summary("next_card (one domain)", one_domain))
        with store.transaction() as db:  # push every card past tomorrow: only new items are left
            db.execute("UPDATE cards SET due = ?", [to_text(moment + timedelta(days=2))])
        new_picks = []
        for _ in range(200):
            ms, card = timed(lambda: learner.next_card("SYN", now=moment))
            new_picks.append(ms)
        assert card.kind == "new", card.kind
        print(summary("next_card (only new items left)", new_picks))
        counts = [timed(lambda: learner.counts("SYN", now=moment))[0] for _ in range(50)]
        print(summary("counts", counts))
        ready = [timed(lambda: learner.readiness("SYN", now=moment))[0] for _ in range(10)]
        print(summary("readiness (whole certification)", ready))
        print(f"\nkinds picked while answering: { {k: kinds.count(k) for k in sorted(set(kinds))} }")
        progress.close()


if __name__ == "__main__":
    main()
