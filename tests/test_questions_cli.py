"""``opsprep questions``: wiring and messages."""

from __future__ import annotations

import json

from opsprep.cli import cli


def test_stats_json(runner):
    result = runner.invoke(cli, ["questions", "stats", "--json"])
    assert result.exit_code == 0, result.output
    stats = json.loads(result.output)
    assert stats["items"] >= 2000
    assert stats["certifications"]["DOP-C02"]["items"] > 0
    assert sum(stats["types"].values()) == stats["items"]


def test_stats_table(runner):
    result = runner.invoke(cli, ["questions", "stats"])
    assert result.exit_code == 0
    assert "question items" in result.output
    assert "DOP-C02 — AWS Certified DevOps Engineer" in result.output


def test_sample_is_reproducible_with_a_seed(runner):
    args = ["questions", "sample", "--cert", "dop-c02", "-n", "5", "--seed", "11", "--json"]
    first, second = runner.invoke(cli, args), runner.invoke(cli, args)
    assert first.exit_code == 0, first.output
    assert first.output == second.output
    data = json.loads(first.output)
    assert data["seed"] == 11
    assert len(data["questions"]) == 5
    for question in data["questions"]:
        assert question["correct"]
        assert question["explanation"]
        assert question["sources"]


def test_sample_text_shows_answers_and_sources(runner):
    result = runner.invoke(cli, ["questions", "sample", "--cert", "DOP-C02", "--domain", "1", "-n", "2", "--seed", "1"])
    assert result.exit_code == 0, result.output
    assert result.output.count("Answer: ") == 2
    assert "Source: https://" in result.output
    assert result.output.rstrip().endswith("(seed 1)")


def test_unknown_certification(runner):
    result = runner.invoke(cli, ["questions", "sample", "--cert", "XYZ-999"])
    assert result.exit_code == 2
    assert result.output.startswith("Error: There is no certification 'XYZ-999'. Known exam codes: ")
    assert "DOP-C02" in result.output


def test_unknown_domain(runner):
    result = runner.invoke(cli, ["questions", "sample", "--cert", "DOP-C02", "--domain", "99"])
    assert result.exit_code == 2
    assert result.output.startswith("Error: DOP-C02 has no exam domain '99'. Its domains are: ")
