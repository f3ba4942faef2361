"""Eight threads, each on its own connection, submit 500 answers each to one database file.

Two threads work for each learner and submit the same presentations (one walking the items forwards,
the other backwards), so every showing is submitted twice, often at the same moment: the store must
keep exactly one review per showing, lose none, and keep each card's counters in step with its log.
"""

from __future__ import annotations

import threading
from collections import Counter

from opsprep.engine import Progress
from opsprep.engine.study_queue import showing_seed
from opsprep.engine.synthetic import synthetic_bank

THREADS = 8
#: seconds a thread may wait for the others to start, for the write lock, or to finish: a guard against hanging
#: only (the store's default busy timeout, 10 s, is a limit that eight threads on a loaded machine could reach)
HANG_GUARD = 120.0
ANSWERS = 500
SHOWINGS = 2  # each item is answered twice per learner
LEARNERS = THREADS // 2
ITEMS = ANSWERS // SHOWINGS


def test_eight_threads_lose_nothing_and_duplicate_nothing(tmp_path):
    bank = synthetic_bank(items=ITEMS)
    path = tmp_path / "progress.db"
    with Progress.open(path, bank) as progress:
        learners = [progress.create_learner(f"learner {n}").id for n in range(LEARNERS)]
    items = [item.id for item in bank.items]
    outcomes: list[Counter] = [Counter() for _ in range(THREADS)]
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS, timeout=HANG_GUARD)  # never waits forever for a thread that failed first

    def work(thread: int) -> None:
        learner_id = learners[thread % LEARNERS]
        order = items if thread < LEARNERS else items[::-1]
        try:
            with Progress.open(path, bank, timeout=HANG_GUARD) as progress:  # waits for the write lock
                learner = progress.learner(learner_id)
                start.wait()
                for item_id in order:
                    for showing in range(SHOWINGS):
                        seed = showing_seed(learner_id, showing)
                        letters = ["A"] if (thread + showing) % 2 else ["B"]
                        result = learner.submit(item_id, seed, letters, 1000, fuzz=False)
                        outcomes[thread]["duplicate" if result.duplicate else "stored"] += 1
        except BaseException as exc:  # reported below, with the thread's traceback
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(HANG_GUARD)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    assert not errors, errors[0]

    total = sum(outcomes, Counter())
    assert total["stored"] + total["duplicate"] == THREADS * ANSWERS
    assert total["stored"] == LEARNERS * ANSWERS  # one per distinct presentation
    with Progress.open(path, bank) as progress:
        store = progress.store
        reviews = store.rows("SELECT learner_id, item_id, seed, showing FROM reviews")
        assert len(reviews) == LEARNERS * ANSWERS
        expected = {
            (learner, item_id, showing_seed(learner, showing))
            for learner in learners
            for item_id in items
            for showing in range(SHOWINGS)
        }
        assert {(r["learner_id"], r["item_id"], r["seed"]) for r in reviews} == expected  # nothing lost
        assert all(r["seed"] == showing_seed(r["learner_id"], r["showing"]) for r in reviews)
        cards = store.rows("SELECT learner_id, item_id, reps FROM cards")
        assert len(cards) == LEARNERS * ITEMS
        assert {c["reps"] for c in cards} == {SHOWINGS}
        assert store.scalar("PRAGMA integrity_check") == "ok"
