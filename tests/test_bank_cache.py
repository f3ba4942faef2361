"""The question-bank cache: the same bank as a fresh build, rebuilt when anything it depends on changes,
and never an error when the cache is missing, damaged or cannot be written."""

from __future__ import annotations

import json
import os

import pytest

from opsprep.graph.store import ONTOLOGY_FILE, load_graph
from opsprep.questions import BankCache, build_bank, cached_bank
from opsprep.questions import cache as cache_module

from .conftest import MINI_GRAPH_DIR

FILES = [ONTOLOGY_FILE, *sorted(MINI_GRAPH_DIR.glob("*.ttl"))]


@pytest.fixture
def cache(tmp_path) -> BankCache:
    return BankCache(tmp_path / "cache")


def _items(bank) -> list[dict]:
    return [item.to_dict() for item in bank.items]


def _no_build(*_args, **_kwargs):
    raise AssertionError("the bank was built although the cache holds it")


def test_a_cached_bank_is_the_bank_a_build_makes(mini_graph, cache, monkeypatch):
    built = build_bank(mini_graph)
    first = cached_bank(mini_graph, FILES, cache=cache)
    assert _items(first) == _items(built) and first.fingerprint == built.fingerprint
    assert len(cache.entries()) == 1
    monkeypatch.setattr(cache_module, "build_bank", _no_build)
    again = cached_bank(mini_graph, FILES, cache=cache)
    assert _items(again) == _items(built)
    assert again.catalog == built.catalog  # the facts are read from the graph, not the cache


def test_changed_data_builds_a_new_bank(tmp_path, cache):
    files = []
    for path in FILES:
        copy = tmp_path / path.name
        copy.write_bytes(path.read_bytes())
        files.append(copy)
    before = cached_bank(load_graph(files), files, cache=cache)
    tool_file = next(f for f in files if '"Ansible"@en' in f.read_text())
    tool_file.write_text(tool_file.read_text().replace('"Ansible"@en', '"Ansible (renamed)"@en', 1))
    after = cached_bank(load_graph(files), files, cache=cache)
    assert len(cache.entries()) == 2
    assert any("Ansible (renamed)" in json.dumps(i) for i in _items(after))
    assert not any("Ansible (renamed)" in json.dumps(i) for i in _items(before))


def test_changed_generator_code_builds_a_new_bank(mini_graph, cache, monkeypatch):
    cached_bank(mini_graph, FILES, cache=cache)
    monkeypatch.setattr(cache_module, "generator_fingerprint", lambda: "another generator")
    cached_bank(mini_graph, FILES, cache=cache)
    assert len(cache.entries()) == 2


@pytest.mark.parametrize(
    "damage",
    [
        "",
        "{not json",
        '{"format": 1, "key": "other", "items": []}',
        '{"format": 99}',
        '{"format": 1, "key": "KEY", "items": [{"id": 1}]}',
    ],
)
def test_a_damaged_entry_is_rebuilt_and_replaced(mini_graph, cache, damage):
    key = cache_module.graph_key(FILES)
    cache.folder.mkdir(parents=True)
    cache.path(key).write_text(damage.replace("KEY", key))
    bank = cached_bank(mini_graph, FILES, cache=cache)
    assert _items(bank) == _items(build_bank(mini_graph))
    assert cache.load(key) is not None  # replaced by a good entry


def test_a_cache_that_cannot_be_written_still_gives_the_bank(mini_graph, tmp_path):
    """(Its folder cannot be made: a file stands where it would go.)"""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    bank = cached_bank(mini_graph, FILES, cache=BankCache(blocker / "cache"))
    assert len(bank) == len(build_bank(mini_graph))


def test_the_cache_folder_follows_the_environment(tmp_path):
    assert cache_module.cache_folder({"OPSPREP_CACHE": str(tmp_path)}) == tmp_path
    assert cache_module.cache_folder({}).name == "opsprep"


def test_the_command_line_keeps_the_bank_in_the_cache(runner, tmp_path, monkeypatch):
    from opsprep.cli import cli

    monkeypatch.setenv("OPSPREP_CACHE", str(tmp_path / "cli-cache"))
    first = runner.invoke(cli, ["--data", str(MINI_GRAPH_DIR), "questions", "stats", "--json"])
    assert first.exit_code == 0, first.output
    assert len(BankCache(tmp_path / "cli-cache").entries()) == 1
    monkeypatch.setattr(cache_module, "build_bank", _no_build)
    second = runner.invoke(cli, ["--data", str(MINI_GRAPH_DIR), "questions", "stats", "--json"])
    assert second.exit_code == 0, second.output
    assert json.loads(second.output) == json.loads(first.output)


def test_the_cache_keeps_only_the_newest_entries(tmp_path):
    cache = BankCache(tmp_path)
    items = build_bank(load_graph([ONTOLOGY_FILE, MINI_GRAPH_DIR / "mini.ttl"])).items
    for n in range(cache_module.KEEP + 3):
        assert cache.save(f"key{n}", items)
        os.utime(cache.path(f"key{n}"), (1_000_000 + n, 1_000_000 + n))
    kept = {p.name for p in cache.entries()}
    assert len(kept) == cache_module.KEEP
    assert f"bank-key{cache_module.KEEP + 2}.json" in kept and "bank-key0.json" not in kept
