"""Learners across the terminal and the browser: one name (in any case) is one learner, and whom the
terminal studies as when no learner is named."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from opsprep.engine import NameTaken, Progress


@pytest.fixture
def progress():
    """A store without a question bank: learners and accounts need none."""
    with Progress.open(":memory:") as progress:
        yield progress


def test_a_name_in_another_case_is_the_same_learner(progress):
    ada = progress.create_account("ada", "hash")
    assert progress.find_learner("ADA").id == ada.id and progress.find_learner("  Ada ").id == ada.id
    assert progress.learner_named("Ada") == (ada, False)
    with pytest.raises(NameTaken):
        progress.create_learner("ADA")
    assert [learner.name for learner in progress.learners()] == ["ada"]


def test_registering_the_name_of_a_terminal_learner_says_how_to_keep_their_progress(progress):
    progress.create_learner("bob")
    [problem] = progress.name_problems("Bob")
    assert "is taken by a learner who studies in the terminal" in problem
    assert "`opsprep learners password bob`" in problem
    progress.create_account("ada", "hash")
    assert progress.name_problems("ADA") == ["The name 'ADA' is taken. Choose another one, or log in if it is yours."]


def test_an_exact_name_wins_over_one_in_another_case(progress):
    """A store from before names were compared in any case may hold both."""
    with progress.store.transaction() as db:
        for name in ("Ada", "ada"):
            db["learners"].insert(
                {"name": name, "created_at": "2025-01-01T00:00:00.000000+00:00", "desired_retention": 0.9}
            )
    assert progress.find_learner("ada").name == "ada" and progress.find_learner("Ada").name == "Ada"
    assert progress.find_learner("ADA").name == "Ada"  # the first made


def test_terminal_learners(progress):
    assert progress.terminal_learners("me") == []
    me = progress.create_learner("me")
    assert progress.terminal_learners("me") == [me]
    ada = progress.create_account("ada", "hash")
    assert progress.terminal_learners("me") == [ada, me]  # a web account and the terminal's own learner
    assert progress.terminal_learners("Ada") == [ada]  # the login name is a web account's: no question
    bob = progress.create_account("bob", "hash")
    progress.record_login(bob.id, now=datetime(2025, 3, 1, tzinfo=UTC))
    assert progress.terminal_learners("carol") == [bob, ada]  # the last logged in first
