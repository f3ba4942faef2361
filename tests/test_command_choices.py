"""Command-choice items: the wrong command lines are as complete as the answer, so the longest option is not
the answer; at most one of them only leaves a flag out."""

from __future__ import annotations

from collections import Counter

from opsprep.questions.model import QuestionType


def _command_items(bank):
    return [item for item in bank.items if item.type == QuestionType.COMMAND]


def test_at_most_one_option_only_leaves_a_flag_out(shipped_bank) -> None:
    items = _command_items(shipped_bank)
    assert len(items) >= 150
    for item in items:
        kinds = Counter(choice.proof for choice in item.distractors)
        assert kinds["missing-flag"] <= 1, (item.id, item.stem)


def test_a_wrong_value_is_another_allowed_value_of_the_same_flag(shipped_bank) -> None:
    """--sort-by=cpu against --sort-by=memory; never a dry-run mode or a printer, which the task may leave open
    or which needs a template to run."""
    seen = 0
    for item in _command_items(shipped_bank):
        key = item.answers[0].text.split()
        for choice in item.distractors:
            if choice.proof != "wrong-value":
                continue
            seen += 1
            words = choice.text.split()
            assert len(words) == len(key), (item.id, choice.text)
            changed = [(a, b) for a, b in zip(key, words, strict=True) if a != b]
            assert len(changed) == 1, (item.id, choice.text)
            ((mine, theirs),) = changed
            assert mine.split("=")[0] == theirs.split("=")[0], (item.id, choice.text)
            assert not mine.startswith(("--dry-run", "--output", "-o")), (item.id, choice.text)
    assert seen
