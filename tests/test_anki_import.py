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
from opsprep.engine.anki_export import FIELDS
from opsprep.graph.store import load_graph
from opsprep.questions import build_bank

from .test_anki_export import ANKI_GRAPH_FILES, CKA, DOP, guid_in

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
    """Every note of the collection, keyed by its ItemId field (one of them, for an item with copies)."""
    notes = [col.get_note(nid) for nid in col.find_notes("")]
    return {note["ItemId"]: note for note in notes}


def all_notes(col: Collection) -> list:
    """Every note of the collection."""
    return [col.get_note(nid) for nid in col.find_notes("")]


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
    for note in all_notes(collection):
        item = bank.get(note["ItemId"])
        assert list(note.keys()) == list(FIELDS)
        assert note.guid in {guid_in(bank, item, d) for d in item.domains}
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


def test_certifications_sharing_an_item_each_hold_it_and_a_reimport_adds_nothing(bank, progress, collection, tmp_path):
    progress.export_anki(tmp_path / "dop.apkg", "DOP-C02", now=NOW)
    progress.export_anki(tmp_path / "cka.apkg", "CKA", now=NOW + timedelta(seconds=1))
    import_package(collection, tmp_path / "dop.apkg")
    import_package(collection, tmp_path / "cka.apkg")
    certs = [bank.catalog.certification(code) for code in ("CKA", "DOP-C02")]
    shared = set.intersection(*({i.id for i in bank.for_certification(cert)} for cert in certs))
    assert shared
    for cert in certs:  # every question of each certification is in that certification's decks
        deck = DOP if cert.code == "DOP-C02" else CKA
        held = {collection.get_note(n)["ItemId"] for n in collection.find_notes(f'"deck:{deck}"')}
        assert held == {i.id for i in bank.for_certification(cert)}
    count = collection.note_count()
    assert count == len(
        {(i.id, d) for cert in certs for i in bank.for_certification(cert) for d in i.domains if d in cert.domain_iris}
    )
    progress.export_anki(tmp_path / "all.apkg", now=NOW + timedelta(seconds=2))
    log = import_package(collection, tmp_path / "all.apkg")
    assert len(log.updated) == count  # the notes of both, updated in place
    assert collection.note_count() == count + len(log.new)


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    """The web app on the shipped graph, and its question bank."""
    from opsprep.web.resources import get_bank

    from .web_helpers import make_app

    app = make_app(tmp_path_factory.mktemp("shipped"), GRAPH_FILES=None)
    return app, get_bank(app)


def subdeck_counts(col: Collection) -> dict[str, int]:
    """The cards of every subdeck (a deck below a certification's deck), by deck name."""
    names = [d.name for d in col.decks.all_names_and_ids() if "::" in d.name]
    return {name: len(col.find_cards(f'"deck:{name}" -"deck:{name}::*"')) for name in names}


#: every certification of the shipped graph (checked against the web's catalogue below)
SHIPPED_CODES = ["CKA", "CKAD", "DOP-C02", "FOUNDATIONS", "Terraform Associate 004"]


@pytest.mark.parametrize("code", [None, *SHIPPED_CODES])
def test_every_subdeck_holds_as_many_questions_as_the_web_counts_in_its_domain(shipped, collection, tmp_path, code):
    """For each certification, and for all of them in one package: each domain's subdeck, imported into Anki,
    holds a card for every question that the web app counts in that domain."""
    from opsprep.engine.anki_export import export_anki
    from opsprep.web.home import catalogue

    app, bank = shipped
    with app.app_context():
        web = [cert for cert in catalogue().values() if code in (None, cert.code)]
    assert code is not None or sorted(cert.code for cert in web) == SHIPPED_CODES
    export_anki(bank, tmp_path / "deck.apkg", code, now=NOW)
    import_package(collection, tmp_path / "deck.apkg")
    counts = subdeck_counts(collection)
    expected = {}
    for cert in web:
        for domain in cert.domains:
            names = [n for n in counts if n.startswith(cert.label) and n.endswith(f"::{domain.number}. {domain.label}")]
            assert len(names) == (1 if domain.questions else 0), (cert.code, domain.label, names)
            expected.update(dict.fromkeys(names, domain.questions))
    assert counts == expected
    assert sum(counts.values()) == collection.card_count() == collection.note_count()
