"""``opsprep reports``: list and mark the problems learners reported."""

from __future__ import annotations

import json

from opsprep.cli import cli
from opsprep.engine import Progress
from opsprep.questions import build_bank

from .conftest import MINI_GRAPH_DIR

MINI = ["--data", str(MINI_GRAPH_DIR)]


def filed(tmp_path, mini_graph):
    """A progress database with two reports by ada: one about a real item, one about a vanished one."""
    db = tmp_path / "progress.db"
    item = build_bank(mini_graph).items[0]
    with Progress.open(db, build_bank(mini_graph)) as progress:
        ada = progress.learner(progress.create_learner("ada").id)
        ada.report_problem(item.id, "wrong-answer", "Option <B> is also right & more")
        ada.report_problem("q-gone", "typo")
    return db, item


def test_list_shows_open_reports_with_their_questions(runner, tmp_path, mini_graph):
    db, item = filed(tmp_path, mini_graph)
    result = runner.invoke(cli, [*MINI, "reports", "list", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert item.stem[:30] in result.output
    assert "Option <B> is also right & more" in result.output
    assert "(no longer in the question bank)" in result.output


def test_list_json_and_mark(runner, tmp_path, mini_graph):
    db, item = filed(tmp_path, mini_graph)
    data = json.loads(runner.invoke(cli, [*MINI, "reports", "list", "--db", str(db), "--json"]).output)
    assert [(r["learner"], r["reason"], r["item_id"]) for r in data] == [
        ("ada", "wrong-answer", item.id),
        ("ada", "typo", "q-gone"),
    ]
    result = runner.invoke(cli, [*MINI, "reports", "mark", str(data[0]["id"]), "resolved", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert result.output == f"Report {data[0]['id']} is now resolved.\n"
    still_open = json.loads(runner.invoke(cli, [*MINI, "reports", "list", "--db", str(db), "--json"]).output)
    assert [r["item_id"] for r in still_open] == ["q-gone"]
    everything = runner.invoke(cli, [*MINI, "reports", "list", "--status", "all", "--db", str(db), "--json"])
    assert len(json.loads(everything.output)) == 2


def test_marking_an_unknown_report_changes_nothing(runner, tmp_path, mini_graph):
    db, _ = filed(tmp_path, mini_graph)
    result = runner.invoke(cli, [*MINI, "reports", "mark", "999", "resolved", "--db", str(db)])
    assert result.exit_code == 2  # not found
    assert result.output == (
        "Error: No problem report has id 999; list every report to see the ids in use "
        "(see `opsprep reports list --status all`).\n"
    )
    with Progress.open(db, build_bank(mini_graph)) as progress:
        assert {r.status for r in progress.reports(status=None)} == {"open"}


def test_no_reports(runner, tmp_path):
    result = runner.invoke(cli, [*MINI, "reports", "list", "--db", str(tmp_path / "empty.db")])
    assert result.exit_code == 0
    assert result.output == "No open problem reports.\n"
