"""The review log as CSV for the FSRS optimizer: which answers it holds."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from opsprep.engine.synthetic import synthetic_bank
from opsprep.questions import present

from .conftest import NOW


@pytest.fixture(scope="module")
def bank():
    return synthetic_bank(items=4)


def test_cram_answers_are_exported_as_the_recalls_they_were(learner):
    card = learner.next_card("SYN", now=NOW)
    learner.submit(card.item.id, card.seed, card.presentation.correct_letters, 2000, rating="easy", now=NOW)
    seed = learner.current_seed(card.item.id)
    wrong = next(o.letter for o in present(card.item, seed).options if not o.correct)
    learner.submit(card.item.id, seed, wrong, 3000, now=NOW + timedelta(days=1), mode="cram")
    out = io.StringIO()
    assert learner.export_reviews(out) == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    crammed = rows[-1]
    assert crammed["review_rating"] == "1" and crammed["review_state"] == "2"  # Again, from the Review state
    assert int(crammed["review_time"]) == int((NOW + timedelta(days=1)).timestamp() * 1000)
    assert crammed["review_duration"] == "3000" and crammed["card_id"] == rows[0]["card_id"]
