"""Anki export of questions answered by typing and of code shown with a question.

A typed question gets the note type ``TYPED_MODEL`` with Anki's type-in-answer box; a task shows its
requirements and, on the back, its model answer; code is an escaped ``<pre><code>`` block. The official
``anki`` package imports every package as a learner's File > Import would, and is the oracle for the
type-in comparison.
"""

from __future__ import annotations

import html
import json
import re
import sqlite3
import zipfile
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

from opsprep.cli import cli
from opsprep.engine.anki_export import (
    COMPARE_HINT,
    FIELDS,
    MODEL_ID,
    TYPED_FIELDS,
    TYPED_MODEL_ID,
    code_block,
    export_anki,
    export_graph,
    note_guid,
)
from opsprep.questions import QuestionBank

from .test_engine_typed import DEPLOYMENT, ROLLBACK, SHOWN, typed_bank

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def bank():
    return typed_bank()


@pytest.fixture
def collection(tmp_path):
    """A fresh, empty Anki collection in its own folder."""
    (tmp_path / "learner").mkdir()
    col = Collection(str(tmp_path / "learner" / "collection.anki2"))
    yield col
    col.close()


def import_package(col: Collection, path: Path):
    request = ImportAnkiPackageRequest(package_path=str(path), options=ImportAnkiPackageOptions())
    return col.import_anki_package(request).log


def imported(col: Collection) -> dict:
    """The collection's notes by their ItemId field."""
    return {note["ItemId"]: note for note in (col.get_note(nid) for nid in col.find_notes(""))}


def package_rows(path: Path, scratch: Path) -> tuple[dict, dict]:
    """The package's notes (GUID → model id and fields by name) and its note types, read from its SQLite file."""
    with zipfile.ZipFile(path) as archive:
        archive.extract("collection.anki2", scratch)
    connection = sqlite3.connect(scratch / "collection.anki2")
    try:
        rows = connection.execute("SELECT guid, mid, flds FROM notes").fetchall()
        (models_json,) = connection.execute("SELECT models FROM col").fetchone()
    finally:
        connection.close()
    models = {int(k): v for k, v in json.loads(models_json).items()}
    notes = {}
    for guid, mid, flds in rows:
        names = [f["name"] for f in models[mid]["flds"]]
        notes[guid] = {"mid": mid, "fields": dict(zip(names, flds.split("\x1f"), strict=True))}
    return notes, models


def visible(rendered: str) -> str:
    """What a learner reads on a card: without style, tags and entities."""
    return html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<style>.*?</style>", "", rendered, flags=re.S)))


def test_code_blocks_are_escaped_and_name_their_language():
    assert (
        code_block("a: <b> & 'c'\n", "yaml") == "<pre><code class=\"language-yaml\">a: &lt;b&gt; &amp; 'c'</code></pre>"
    )
    assert code_block("x", "") == '<pre><code class="language-text">x</code></pre>'
    assert code_block("x", 'yaml" onclick="x') == '<pre><code class="language-yamlonclickx">x</code></pre>'


def test_typed_questions_get_their_own_note_type_and_stable_guids(bank, tmp_path):
    summary = export_anki(bank, tmp_path / "deck.apkg", "SYN", now=NOW)
    assert (summary.notes, summary.typed) == (3, 2)
    notes, models = package_rows(tmp_path / "deck.apkg", tmp_path)
    assert set(models) == {MODEL_ID, TYPED_MODEL_ID}
    assert [f["name"] for f in models[TYPED_MODEL_ID]["flds"]] == list(TYPED_FIELDS)
    assert "{{type:Answer}}" in models[TYPED_MODEL_ID]["tmpls"][0]["qfmt"]
    command, task, reading = bank.items
    assert set(notes) == {note_guid(item.id) for item in bank.items}
    assert notes[note_guid(command.id)]["mid"] == notes[note_guid(task.id)]["mid"] == TYPED_MODEL_ID
    assert notes[note_guid(reading.id)]["mid"] == MODEL_ID
    assert list(notes[note_guid(reading.id)]["fields"]) == list(FIELDS)

    typed = notes[note_guid(command.id)]["fields"]
    assert typed["Answer"] == ROLLBACK and typed["ModelAnswer"] == "" and typed["Requirements"] == ""
    assert f"<code>{ROLLBACK}</code>" in typed["Accepted"]
    written = notes[note_guid(task.id)]["fields"]
    assert written["Answer"] == "" and written["Accepted"] == ""
    assert written["ModelAnswer"] == code_block(DEPLOYMENT, "yaml")
    assert written["Requirements"].startswith("<ul><li>It is a Deployment named web.</li>")
    shown = notes[note_guid(reading.id)]["fields"]
    assert shown["Question"] == html.escape(reading.stem, quote=False) + code_block(SHOWN, "yaml")

    export_anki(bank, tmp_path / "again.apkg", "SYN", now=NOW + timedelta(days=1))
    (tmp_path / "b").mkdir()
    again, _ = package_rows(tmp_path / "again.apkg", tmp_path / "b")
    assert {g: n["fields"] for g, n in again.items()} == {g: n["fields"] for g, n in notes.items()}


def test_anki_imports_the_typed_note_with_its_fields_and_type_in_box(bank, collection, tmp_path):
    export_anki(bank, tmp_path / "deck.apkg", "SYN", now=NOW)
    log = import_package(collection, tmp_path / "deck.apkg")
    assert len(log.new) == collection.note_count() == collection.card_count() == 3
    notes = imported(collection)
    command, task, reading = bank.items

    note = notes[command.id]
    assert list(note.keys()) == list(TYPED_FIELDS)
    assert note.note_type()["name"] == "opsprep typed answer" and note.guid == note_guid(command.id)
    card = note.cards()[0]
    assert "[[type:Answer]]" in card.question()  # the reviewer turns it into the type-in box
    assert command.stem in visible(card.question())
    assert ROLLBACK in visible(card.answer()) and command.explanation in visible(card.answer())
    assert "opsprep::type::typed" in note.tags
    # the reviewer compares what is typed with the Answer field: the accepted form is all right, a near miss not
    good = collection.compare_answer(note["Answer"], ROLLBACK)
    assert "typeGood" in good and "typeBad" not in good and "typeMissed" not in good
    bad = collection.compare_answer(note["Answer"], "kubectl rollout undo deployment/web")
    assert "typeMissed" in bad or "typeBad" in bad


def test_a_task_card_shows_requirements_then_the_model_answer_and_has_no_type_in_box(bank, collection, tmp_path):
    export_anki(bank, tmp_path / "deck.apkg", "SYN", now=NOW)
    import_package(collection, tmp_path / "deck.apkg")
    note = imported(collection)[bank.items[1].id]
    card = note.cards()[0]
    front, back = card.question(), card.answer()
    assert "[[type:" not in front and "[[type:" not in back
    assert "It runs three Pods." in visible(front) and COMPARE_HINT in visible(front)
    assert "replicas: 3" not in visible(front)
    assert '<pre><code class="language-yaml">' in back and "Model answer" in visible(back)
    assert all(line.strip() in visible(back) for line in DEPLOYMENT.splitlines())


def test_a_choice_question_shows_its_code_under_the_stem(bank, collection, tmp_path):
    export_anki(bank, tmp_path / "deck.apkg", "SYN", now=NOW)
    import_package(collection, tmp_path / "deck.apkg")
    reading = bank.items[2]
    note = imported(collection)[reading.id]
    assert list(note.keys()) == list(FIELDS)
    front = note.cards()[0].question()
    assert front.index(html.escape(reading.stem, quote=False)) < front.index('<pre><code class="language-yaml">')
    assert "targetPort: 8080" in visible(front) and "A." in visible(front)


def test_a_newer_export_updates_typed_notes_in_place(bank, collection, tmp_path):
    export_anki(bank, tmp_path / "first.apkg", "SYN", now=NOW)
    import_package(collection, tmp_path / "first.apkg")
    export_anki(bank, tmp_path / "second.apkg", "SYN", now=NOW + timedelta(seconds=1))
    log = import_package(collection, tmp_path / "second.apkg")
    assert len(log.new) == 0 and len(log.updated) == collection.note_count() == 3


def test_the_notes_cache_keeps_the_note_type_of_each_note(bank, tmp_path):
    folder = tmp_path / "graph"
    folder.mkdir()  # no Turtle files: the notes come from the bank handed in, then from the cache
    cache = tmp_path / "cache"
    cold = export_graph(
        tmp_path / "cold.apkg", "SYN", data_dir=folder, load_bank=lambda: bank, cache_folder=cache, now=NOW
    )

    def no_bank():
        raise AssertionError("a warm export reads the notes cache")

    warm = export_graph(tmp_path / "warm.apkg", "SYN", data_dir=folder, load_bank=no_bank, cache_folder=cache, now=NOW)
    assert (cold.typed, warm.typed) == (2, 2)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert package_rows(tmp_path / "cold.apkg", tmp_path / "a") == package_rows(tmp_path / "warm.apkg", tmp_path / "b")


def test_the_cli_says_how_typed_notes_are_answered(runner, bank, tmp_path, monkeypatch):
    folder = tmp_path / "graph"
    folder.mkdir()
    monkeypatch.setattr("opsprep.cli.export._bank", lambda settings: bank)
    out = tmp_path / "syn.apkg"
    result = runner.invoke(cli, ["--data", str(folder), "export", "anki", "--cert", "SYN", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "2 of the 3 notes are answered by typing" in text
    assert "compare what you wrote with the model answer" in text
    args = ["--data", str(folder), "export", "anki", "--cert", "SYN", "-o", str(out), "--json"]
    data = json.loads(runner.invoke(cli, args).stdout)
    assert data["typed"] == 2


def test_a_stem_that_lists_the_requirements_keeps_its_lines_and_lists_them_once(bank, tmp_path):
    task = bank.items[1]
    texts = [r.text for r in task.response.requirements]
    stem = "Write a manifest for a Deployment web.\nRequirements:\n" + "\n".join(f"- {t}" for t in texts)
    listed = QuestionBank(bank.facts, [replace(task, stem=stem)])
    export_anki(listed, tmp_path / "deck.apkg", "SYN", now=NOW)
    notes, _ = package_rows(tmp_path / "deck.apkg", tmp_path)
    fields = notes[note_guid(task.id)]["fields"]
    assert fields["Question"] == html.escape(stem, quote=False).replace("\n", "<br>")
    assert fields["Requirements"] == ""
