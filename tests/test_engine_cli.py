"""``opsprep study``: the terminal session on the engine's API, its defaults and its error messages."""

from __future__ import annotations

import pytest

from opsprep.cli import cli
from opsprep.cli.progress_db import default_db_path
from opsprep.cli.study import parse_choice
from opsprep.engine import InvalidAnswer, Progress, Rating
from opsprep.engine.synthetic import synthetic_bank
from opsprep.questions import build_bank

from .conftest import MINI_GRAPH_DIR

MINI = ["--data", str(MINI_GRAPH_DIR)]


@pytest.fixture(scope="module")
def bank(mini_graph):
    return build_bank(mini_graph)


def expected_cards(bank):
    """The first two cards a new learner gets (answering the first right, rated easy)."""
    with Progress.open(":memory:", bank) as progress:
        learner = progress.learner(progress.create_learner("ada").id)
        first = learner.next_card("DOP-C02")
        learner.submit(first.item.id, first.seed, first.presentation.correct_letters, 1, "easy")
        return first, learner.next_card("DOP-C02")


def first_card(bank):
    """The first card a new learner gets."""
    with Progress.open(":memory:", bank) as progress:
        return progress.learner(progress.create_learner("ada").id).next_card(progress.catalog.codes()[0])


def number(card, correct: bool) -> str:
    return next(str(i) for i, o in enumerate(card.presentation.options, 1) if o.correct == correct)


def test_a_study_session(runner, bank, tmp_path):
    db = tmp_path / "progress.db"
    first, second = expected_cards(bank)
    typed = f"9\n{number(first, True)}\ne\n{number(second, False)}\n"
    result = runner.invoke(
        cli, [*MINI, "study", "--cert", "DOP-C02", "--db", str(db), "--learner", "ada", "-n", "2"], input=typed
    )
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())  # undo the wrapping to the terminal's width
    assert result.output.startswith(f"Progress is kept in {db}.\nWelcome, ada.\n")
    assert "DOP-C02 — AWS Certified DevOps Engineer – Professional: 0 due, 0 learning, 4 new" in out
    assert first.presentation.stem in out and second.presentation.stem in out
    assert "Answer with numbers from 1 to 2." in out  # the 9
    assert "Right." in out and "Wrong." in out and "Why: " in out and "Source: https://" in out
    assert "Next review in ~8d" not in out and "(rated easy)" in out and "Next review in 1m (rated again)." in out
    assert "Answered 2, 1 right in under a minute. Coming back: 1 within an hour, 1 within " in out  # a week or a month
    with Progress.open(db, bank) as progress:
        assert progress.find_learner("ada").default_cert == bank.catalog.certification("DOP-C02").iri
        ratings = [r["rating"] for r in progress.store.rows("SELECT rating FROM reviews ORDER BY id")]
        assert ratings == [Rating.Easy, Rating.Again]


def test_the_certification_is_remembered_and_q_quits(runner, tmp_path):
    db = str(tmp_path / "progress.db")
    runner.invoke(cli, [*MINI, "study", "--cert", "DOP-C02", "--db", db, "--learner", "ada"], input="q\n")
    result = runner.invoke(cli, [*MINI, "study", "--db", db, "--learner", "ada"], input="q\n")
    assert result.exit_code == 0, result.output
    first, second = result.output.splitlines()[:2]
    assert first == f"Progress is kept in {db}."  # every start, not only a new learner's first
    assert second.startswith("DOP-C02 — ")
    assert "Answered 0, 0 right." in result.output


def test_end_of_input_ends_the_session(runner, tmp_path):
    result = runner.invoke(cli, [*MINI, "study", "--cert", "DOP-C02", "--db", str(tmp_path / "p.db")], input="")
    assert result.exit_code == 0, result.output
    assert "Answered 0, 0 right." in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--cert", "NOPE"], "Error: There is no certification 'NOPE'. Known exam codes: DOP-C02, FOUNDATIONS.\n"),
        (["--cert", "DOP-C02", "--domain", "7"], "Error: DOP-C02 has no exam domain '7'. Its domains are: "),
        ([], "Choose a certification with --cert (one of: DOP-C02, FOUNDATIONS)."),
    ],
)
def test_usage_errors_exit_2_and_write_nothing(runner, bank, tmp_path, args, message):
    db = tmp_path / "progress.db"
    result = runner.invoke(cli, [*MINI, "study", "--db", str(db), "--learner", "ada", *args])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    if args:
        assert not db.exists()
        assert result.output.startswith("Error: ")
    else:
        with Progress.open(db, bank) as progress:
            assert progress.learners() == []


def test_a_corrupt_database_is_a_clear_error(runner, tmp_path):
    db = tmp_path / "progress.db"
    db.write_text("not a database " * 500)
    result = runner.invoke(cli, [*MINI, "study", "--cert", "DOP-C02", "--db", str(db)])
    assert result.exit_code == 1
    assert result.stdout == f"Progress is kept in {db}.\n"
    assert result.stderr.startswith(f"Error: {db} is not a usable progress database")
    assert db.read_text() == "not a database " * 500


def test_the_default_database_is_the_web_apps(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("OPSPREP_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.delenv("OPSPREP_DATABASE", raising=False)
    monkeypatch.delenv("OPSPREP_DB", raising=False)
    expected = (tmp_path / "instance" / "progress.db").resolve()
    assert default_db_path() == expected
    result = runner.invoke(cli, [*MINI, "study", "--cert", "DOP-C02", "--learner", "ada"], input="q\n")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Progress is kept in {expected}.\n")
    assert expected.is_file()
    monkeypatch.setenv("OPSPREP_DATABASE", str(tmp_path / "env.db"))
    runner.invoke(cli, [*MINI, "study", "--cert", "DOP-C02", "--learner", "ada"], input="q\n")
    assert (tmp_path / "env.db").is_file()


def test_quitting_at_the_rating_prompt_keeps_the_answer_and_says_so(runner, bank, tmp_path):
    db = tmp_path / "progress.db"
    first, _ = expected_cards(bank)
    args = [*MINI, "study", "--cert", "DOP-C02", "--db", str(db), "--learner", "ada"]
    for typed in (f"{number(first, True)}\nq\n", f"{number(first, True)}\n"):  # q, or the end of input
        result = runner.invoke(cli, args, input=typed)
        assert result.exit_code == 0, result.output
        assert "Not rated: your answer is kept, rated good (the default). Next review in 10m." in result.output
        assert "Answered 1, 1 right in under a minute." in result.output
        with Progress.open(db, bank) as progress:
            assert progress.store.scalar("SELECT rating FROM reviews") == Rating.Good
            assert progress.store.scalar("SELECT count(*) FROM reviews WHERE rated_at IS NULL") == 0
        db.unlink()


def test_the_answer_is_stored_before_the_rating_is_asked(runner, bank, tmp_path, monkeypatch):
    from opsprep.cli import study

    db = tmp_path / "progress.db"
    first, _ = expected_cards(bank)
    seen = []

    def rating_prompt(card):
        with Progress.open(db, bank) as progress:  # what another program sees while the prompt waits
            seen.append(progress.store.rows("SELECT item_id, rating, rated_at FROM reviews"))
        return Rating.Easy

    monkeypatch.setattr(study, "_ask_rating", rating_prompt)
    args = [*MINI, "study", "--cert", "DOP-C02", "--db", str(db), "--learner", "ada", "-n", "1"]
    result = runner.invoke(cli, args, input=f"{number(first, True)}\n")
    assert result.exit_code == 0, result.output
    assert seen == [[{"item_id": first.item.id, "rating": Rating.Good, "rated_at": None}]]
    assert "(rated easy)" in result.output
    with Progress.open(db, bank) as progress:
        assert progress.store.rows("SELECT rating FROM reviews") == [{"rating": Rating.Easy}]


def test_u_undoes_the_last_answer_and_asks_it_again(runner, bank, tmp_path):
    db = tmp_path / "progress.db"
    first, _ = expected_cards(bank)
    args = [*MINI, "study", "--cert", "DOP-C02", "--db", str(db), "--learner", "ada"]
    typed = f"u\n{number(first, True)}\ne\nu\n{number(first, False)}\nq\n"
    result = runner.invoke(cli, args, input=typed)
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "Nothing to undo yet in this session." in out
    assert "Undone: your last answer (rated easy). Here it is again." in out
    assert out.count(first.presentation.stem) == 2  # asked again, with the same options
    assert out.count("1. [new]") == 2  # the undone question is the first again
    assert "Answered 1, 0 right in under a minute." in out
    with Progress.open(db, bank) as progress:
        assert [r["rating"] for r in progress.store.rows("SELECT rating FROM reviews")] == [Rating.Again]
        assert progress.store.scalar("SELECT rating FROM undone_reviews") == Rating.Easy


@pytest.mark.parametrize(
    ("typed", "letters"),
    [("1 3", ["A", "C"]), ("13", ["A", "C"]), ("a, c", ["A", "C"]), ("3,1", ["C", "A"])],
)
def test_answers_by_number_or_letter(typed, letters):
    card = first_card(synthetic_bank(items=1))  # item 0 is a "choose TWO" item with five options
    assert card.item.answer_count == 2
    assert parse_choice(card, typed) == letters


@pytest.mark.parametrize(
    ("typed", "message"), [("", "numbers from 1 to 5"), ("9", "numbers from 1 to 5"), ("2", "Choose 2")]
)
def test_bad_answers_are_asked_again(typed, message):
    card = first_card(synthetic_bank(items=1))
    with pytest.raises(InvalidAnswer, match=message):
        parse_choice(card, typed)


def test_study_says_when_data_was_moved(runner, tmp_path, monkeypatch):
    from opsprep.cli import progress_db
    from opsprep.engine.instance import Instance

    moved = Instance(tmp_path / "new", "user data", moved_from=tmp_path / "old")
    moved.path.mkdir()
    monkeypatch.setattr(progress_db, "resolve_instance", lambda: moved)
    monkeypatch.delenv("OPSPREP_DATABASE", raising=False)
    monkeypatch.delenv("OPSPREP_DB", raising=False)
    result = runner.invoke(cli, [*MINI, "study", "--cert", "DOP-C02", "--learner", "ada"], input="q\n")
    assert result.exit_code == 0, result.output
    assert f"Moved opsprep's data from {tmp_path / 'old'} to {tmp_path / 'new'}; nothing was lost." in result.stderr
    assert result.stdout.startswith(f"Progress is kept in {tmp_path / 'new' / 'progress.db'}.\n")
