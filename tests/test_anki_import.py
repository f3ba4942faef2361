"""Exported decks import cleanly, and update cleanly, in Anki itself.

The oracle is the official ``anki`` package (AGPL-3.0, a test-only dependency): every export is
imported into a fresh collection in a temporary folder, with the importer's default options,
as a learner's File > Import would.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

from opsprep.engine import Progress
from opsprep.engine.anki_export import FIELDS, note_guid
from opsprep.graph.store import load_graph
from opsprep.questions import build_bank

from .test_anki_export import ANKI_GRAPH_FILES, CKA, DOP

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
HELM_STEM = "Which statement best describes Helm?"


@pytest.fixture(scope="module")
def bank():
    return build_bank(load_graph(ANKI_GRAPH_FILES))


@pytest.fixture
def collection(tmp_path):
    """A fresh, empty Anki collection in its own folder."""
    (tmp_path / "learner").mkdir()
    col = Collection(str(tmp_path / "learner" / "collection.anki2"))
    yield col
    col.close()


def import_package(col: Collection, path: Path):
    """Import with Anki's default options (update notes and note types when newer); return the log."""
    request = ImportAnkiPackageRequest(package_path=str(path), options=ImportAnkiPackageOptions())
    return col.import_anki_package(request).log


def notes_by_item(col: Collection) -> dict:
    """Every note of the collection, keyed by its ItemId field."""
    notes = [col.get_note(nid) for nid in col.find_notes("")]
    return {note["ItemId"]: note for note in notes}


def deck_names(col: Collection) -> set[str]:
    return {deck.name for deck in col.decks.all_names_and_ids()}


@pytest.mark.parametrize(
    ("cert", "domains", "decks"),
    [
        ("DOP-C02", (), {DOP, f"{DOP}::1. SDLC Automation", f"{DOP}::2. Configuration Management and IaC"}),
        ("DOP-C02", ("2",), {DOP, f"{DOP}::2. Configuration Management and IaC"}),
        ("CKA", (), {CKA, f"{CKA}::1. Cluster Architecture, Installation and Configuration"}),
        (
            None,
            (),
            {
                DOP,
                f"{DOP}::1. SDLC Automation",
                f"{DOP}::2. Configuration Management and IaC",
                CKA,
                f"{CKA}::1. Cluster Architecture, Installation and Configuration",
            },
        ),
    ],
    ids=["DOP-C02", "DOP-C02-domain-2", "CKA", "all"],
)
def test_export_imports_with_matching_counts_fields_tags_and_decks(
    bank, progress, collection, tmp_path, cert, domains, decks
):
    summary = progress.export_anki(tmp_path / "deck.apkg", cert, domains, now=NOW)
    log = import_package(collection, tmp_path / "deck.apkg")
    assert len(log.new) == summary.notes
    assert collection.note_count() == collection.card_count() == summary.notes
    if cert is None:  # every deck: the certifications, then the DevOps foundations deck and its sections
        deck = bank.catalog.certification("FOUNDATIONS")
        decks = decks | {deck.title, *(f"{deck.title}::{d.label}" for d in deck.domains)}
    assert deck_names(collection) - {"Default"} == decks
    for name, count in summary.decks:
        assert len(collection.find_cards(f'"deck:{name}" -"deck:{name}::*"')) == count
    notes = notes_by_item(collection)
    for item_id, note in notes.items():
        item = bank.get(item_id)
        assert list(note.keys()) == list(FIELDS)
        assert note.guid == note_guid(item_id)
        assert note["Question"] == html.escape(item.stem, quote=False)
        assert f"opsprep::type::{item.type}" in note.tags
        assert all(" " not in tag for tag in note.tags)
    if cert:
        assert all(f"opsprep::cert::{cert}" in note.tags for note in notes.values())


def card_of(col: Collection, stem_start: str):
    (card_id,) = [cid for cid in col.find_cards("") if col.get_card(cid).note()["Question"].startswith(stem_start)]
    return col.get_card(card_id)


def visible_text(rendered: str) -> str:
    """What a learner reads: the card's HTML without style, tags and entities."""
    without_style = re.sub(r"<style>.*?</style>", "", rendered, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", without_style))


def test_cards_render_graph_text_literally_and_show_the_answers(progress, collection, tmp_path):
    progress.export_anki(tmp_path / "all.apkg", now=NOW)
    import_package(collection, tmp_path / "all.apkg")

    helm = card_of(collection, HELM_STEM)
    assert "`install <release> <chart>` command renders a chart's templates & installs them" in visible_text(
        helm.answer()
    )
    assert "&lt;release&gt;" in helm.answer()

    multiple = card_of(collection, "Which TWO of these tools are written in Go?")
    front, back = visible_text(multiple.question()), visible_text(multiple.answer())
    assert "(Choose TWO.)" in front and "Helm" in front and "Terraform" in front
    shown_answer = back.split("(Choose TWO.)", 1)[1]
    correct = re.findall(r"<b>([A-D])\.</b> (\w+)", multiple.note()["Answer"])
    assert sorted(name for _, name in correct) == ["Helm", "Terraform"]
    assert all(re.search(rf"{letter}\.\s+{name}", shown_answer) for letter, name in correct)

    true_false = card_of(collection, "True or false: Ansible is agentless.")
    assert re.search(r"A\.\s+True\s+B\.\s+False", visible_text(true_false.question()))
    assert visible_text(true_false.note()["Answer"]).split() == ["A.", "True"]
    assert true_false.note()["Explanation"] in true_false.answer()


def test_a_newer_export_updates_notes_in_place_and_keeps_review_history(progress, collection, tmp_path):
    progress.export_anki(tmp_path / "first.apkg", "CKA")
    import_package(collection, tmp_path / "first.apkg")
    collection.decks.select(collection.decks.id_for_name(CKA))
    card = collection.sched.getCard()
    collection.sched.answerCard(card, 3)
    reviewed = collection.get_card(card.id)
    history = collection.db.scalar("SELECT count() FROM revlog")
    assert reviewed.reps == 1 and history == 1
    count = collection.note_count()
    assert "Kubernetes templates" not in card_of(collection, HELM_STEM).note()["Answer"]

    changed = tmp_path / "graph"
    changed.mkdir()
    for path in ANKI_GRAPH_FILES[1:]:
        text = path.read_text().replace("renders a chart's templates", "renders a chart's Kubernetes templates")
        (changed / path.name).write_text(text)
    new_bank = build_bank(load_graph([ANKI_GRAPH_FILES[0], *sorted(changed.glob("*.ttl"))]))
    with Progress.open(":memory:", new_bank) as changed_progress:
        changed_progress.export_anki(tmp_path / "second.apkg", "CKA")  # default time, in the same second
    log = import_package(collection, tmp_path / "second.apkg")

    assert len(log.new) == 0 and len(log.updated) == count
    assert collection.note_count() == collection.card_count() == count
    assert "renders a chart's Kubernetes templates &amp; installs" in card_of(collection, HELM_STEM).note()["Answer"]
    after = collection.get_card(card.id)
    assert (after.reps, after.ivl, after.due, after.did) == (reviewed.reps, reviewed.ivl, reviewed.due, reviewed.did)
    assert collection.db.scalar("SELECT count() FROM revlog") == history


def test_an_export_that_is_not_newer_is_not_applied(progress, collection, tmp_path):
    """Why the modification time matters: Anki skips an incoming note that is not newer."""
    progress.export_anki(tmp_path / "first.apkg", "CKA", now=NOW)
    import_package(collection, tmp_path / "first.apkg")
    progress.export_anki(tmp_path / "same.apkg", "CKA", now=NOW)
    assert len(import_package(collection, tmp_path / "same.apkg").updated) == 0
    progress.export_anki(tmp_path / "later.apkg", "CKA", now=NOW + timedelta(seconds=1))
    assert len(import_package(collection, tmp_path / "later.apkg").updated) == collection.note_count()


def test_certifications_sharing_an_item_share_its_note(bank, progress, collection, tmp_path):
    progress.export_anki(tmp_path / "dop.apkg", "DOP-C02", now=NOW)
    progress.export_anki(tmp_path / "cka.apkg", "CKA", now=NOW + timedelta(seconds=1))
    import_package(collection, tmp_path / "dop.apkg")
    log = import_package(collection, tmp_path / "cka.apkg")
    shared = [i for i in bank.for_certification(bank.catalog.certification("CKA")) if len(i.domains) > 1]
    assert shared and len(log.updated) == len(shared)
    both = {i.id for code in ("CKA", "DOP-C02") for i in bank.for_certification(bank.catalog.certification(code))}
    assert collection.note_count() == len(both)
