"""Anki export: the package's notes, decks, tags and ids, read straight from its SQLite file.

``test_anki_import.py`` imports the same packages with the official ``anki`` package.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from opsprep.cli import cli
from opsprep.engine import ExportError, UnknownCertification, UnknownDomain, anki_export
from opsprep.engine.anki_export import FIELDS, MODEL_ID, copy_guid, modification_time, note_guid
from opsprep.graph.store import ONTOLOGY_FILE, data_files, load_graph
from opsprep.questions import QuestionType, build_bank, present

from .conftest import FIXTURES, MINI_GRAPH_DIR

#: the mini graph plus configuration-management tools, a definition with <, > and &, and the CKA exam
ANKI_GRAPH_FILES = [ONTOLOGY_FILE, MINI_GRAPH_DIR / "mini.ttl", FIXTURES / "anki" / "tools.ttl"]
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
DOP = "AWS Certified DevOps Engineer – Professional (DOP-C02)"
CKA = "Certified Kubernetes Administrator (CKA)"


@pytest.fixture(scope="module")
def bank():
    return build_bank(load_graph(ANKI_GRAPH_FILES))


def read_package(path: Path, scratch: Path) -> dict:
    """The notes (by GUID), decks (by name) and note types (by id) of an .apkg file."""
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == ["collection.anki2", "media"]
        archive.extract("collection.anki2", scratch)
    connection = sqlite3.connect(scratch / "collection.anki2")
    try:
        rows = connection.execute("SELECT guid, mid, mod, tags, flds, id FROM notes").fetchall()
        cards = connection.execute("SELECT nid, did FROM cards").fetchall()
        decks_json, models_json = connection.execute("SELECT decks, models FROM col").fetchone()
    finally:
        connection.close()
    deck_of = dict(cards)
    notes = {
        guid: {
            "mid": mid,
            "mod": mod,
            "tags": tags.split(),
            "fields": dict(zip(FIELDS, flds.split("\x1f"), strict=True)),
            "deck": deck_of[nid],
        }
        for guid, mid, mod, tags, flds, nid in rows
    }
    decks = {d["name"]: d["id"] for d in json.loads(decks_json).values()}
    return {"notes": notes, "cards": len(cards), "decks": decks, "models": json.loads(models_json)}


def item_of(bank, notes: dict, guid: str):
    return bank.get(notes[guid]["fields"]["ItemId"])


def exam_order(bank, domain_iri: str) -> tuple[str, int]:
    """Where a domain comes in the exams: by exam code, then domain number."""
    domain = bank.catalog.domain(domain_iri)
    return bank.catalog.certification(domain.cert).code, domain.number


def guid_in(bank, item, domain_iri: str) -> str:
    """The GUID of an item's note in one domain: the item's own in its first domain of all, a copy's elsewhere."""
    home = min(item.domains, key=lambda d: exam_order(bank, d))
    return note_guid(item.id) if domain_iri == home else copy_guid(item.id, domain_iri)


def test_a_note_and_a_card_per_domain_each_item_of_the_certification_serves(bank, progress, tmp_path):
    summary = progress.export_anki(tmp_path / "dop.apkg", "DOP-C02", now=NOW)
    package = read_package(tmp_path / "dop.apkg", tmp_path)
    dop = bank.catalog.certification("DOP-C02")
    items = bank.for_certification(dop)
    expected = {guid_in(bank, i, d) for i in items for d in i.domains if d in dop.domain_iris}
    assert {note_guid(i.id) for i in items} - expected  # items shared with CKA: here, copies of their CKA notes
    assert summary.notes == len(expected) == len(package["notes"]) == package["cards"]
    assert summary.questions == len(items)
    assert set(package["notes"]) == expected
    assert {n["fields"]["ItemId"] for n in package["notes"].values()} == {item.id for item in items}
    assert summary.certifications == ("DOP-C02",)
    assert summary.bytes == (tmp_path / "dop.apkg").stat().st_size
    assert sum(count for _, count in summary.decks) == summary.notes


def test_a_question_has_the_same_notes_in_every_export_that_holds_its_domains(bank, progress, tmp_path):
    """GUIDs do not depend on what else an export holds, so a newer export of any selection updates the
    notes of an older one instead of adding copies."""
    guids = {}
    for name, cert, domains in (("all", None, ()), ("dop", "DOP-C02", ()), ("dop-2", "DOP-C02", ("2",))):
        progress.export_anki(tmp_path / f"{name}.apkg", cert, domains, now=NOW)
        notes = read_package(tmp_path / f"{name}.apkg", tmp_path / name)["notes"]
        guids[name] = {guid: (note["fields"]["ItemId"], note["deck"]) for guid, note in notes.items()}
    assert guids["dop-2"].items() <= guids["dop"].items() <= guids["all"].items()
    assert len(guids["dop-2"]) < len(guids["dop"]) < len(guids["all"])


def test_note_type_and_modification_time(progress, tmp_path):
    progress.export_anki(tmp_path / "dop.apkg", "DOP-C02", now=NOW)
    package = read_package(tmp_path / "dop.apkg", tmp_path)
    (model,) = package["models"].values()
    assert int(model["id"]) == MODEL_ID
    assert [f["name"] for f in model["flds"]] == list(FIELDS)
    assert {n["mid"] for n in package["notes"].values()} == {MODEL_ID}
    assert {n["mod"] for n in package["notes"].values()} == {int(NOW.timestamp())}


def test_identity_is_stable_and_the_modification_time_advances(progress, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    progress.export_anki(tmp_path / "a" / "deck.apkg", now=NOW)
    progress.export_anki(tmp_path / "b" / "deck.apkg", now=NOW + timedelta(days=1))
    first = read_package(tmp_path / "a" / "deck.apkg", tmp_path / "a")
    second = read_package(tmp_path / "b" / "deck.apkg", tmp_path / "b")
    assert first["decks"] == second["decks"]
    assert set(first["notes"]) == set(second["notes"])
    for guid, note in first["notes"].items():
        assert second["notes"][guid]["fields"] == note["fields"]
        assert second["notes"][guid]["deck"] == note["deck"]
        assert second["notes"][guid]["mod"] > note["mod"]


def test_default_modification_time_is_now_and_strictly_increasing(monkeypatch):
    monkeypatch.setattr(anki_export, "_last_default", 0)  # as in a fresh process
    before = int(datetime.now(UTC).timestamp())
    times = [modification_time() for _ in range(3)]
    after = int(datetime.now(UTC).timestamp())
    assert times == sorted(set(times))
    assert before <= times[0] <= after
    with pytest.raises(ValueError, match="timezone-aware"):
        modification_time(datetime(2026, 1, 1))


def test_deck_tree_has_one_subdeck_per_domain(bank, progress, tmp_path):
    summary = progress.export_anki(tmp_path / "all.apkg", now=NOW)
    package = read_package(tmp_path / "all.apkg", tmp_path)
    deck = bank.catalog.certification("FOUNDATIONS")
    foundations = [f"{deck.title}::{d.label}" for d in deck.domains]
    assert set(package["decks"]) == {
        "Default",
        DOP,
        f"{DOP}::1. SDLC Automation",
        f"{DOP}::2. Configuration Management and IaC",
        CKA,
        f"{CKA}::1. Cluster Architecture, Installation and Configuration",
        deck.title,
        *foundations,
    }
    assert [name for name, _ in summary.decks] == [
        f"{CKA}::1. Cluster Architecture, Installation and Configuration",
        f"{DOP}::1. SDLC Automation",
        f"{DOP}::2. Configuration Management and IaC",
        *foundations,
    ]
    assert summary.certifications == ("CKA", "DOP-C02", "FOUNDATIONS")
    deck_names = {deck_id: name for name, deck_id in package["decks"].items()}
    placed = {}
    for guid, note in package["notes"].items():
        placed.setdefault(note["fields"]["ItemId"], set()).add((guid, deck_names[note["deck"]]))
    for item in bank.items:  # a note in the subdeck of every domain the item serves
        wanted = set()
        for domain_iri in item.domains:
            domain = bank.catalog.domain(domain_iri)
            cert = {"DOP-C02": DOP, "CKA": CKA}.get(bank.catalog.certification(domain.cert).code, deck.title)
            wanted.add((guid_in(bank, item, domain_iri), f"{cert}::{domain.number}. {domain.title}"))
        assert placed[item.id] == wanted, item.stem


@pytest.mark.parametrize(
    ("domains", "expected"),
    [
        (["1"], ["1. SDLC Automation"]),
        (["2"], ["2. Configuration Management and IaC"]),
        (["Configuration Management and IaC", "1"], ["1. SDLC Automation", "2. Configuration Management and IaC"]),
    ],
)
def test_domain_selection(bank, progress, tmp_path, domains, expected):
    summary = progress.export_anki(tmp_path / "d.apkg", "dop-c02", domains, now=NOW)
    assert [name for name, _ in summary.decks] == [f"{DOP}::{e}" for e in expected]
    dop = bank.catalog.certification("DOP-C02")
    wanted = {dop.domain(d).iri for d in domains}
    items = bank.for_certification(dop, wanted)
    assert summary.questions == len(items)
    assert summary.notes == sum(len(wanted & set(item.domains)) for item in items)


def test_tags_name_certification_domain_and_type_without_spaces(bank, progress, tmp_path):
    progress.export_anki(tmp_path / "all.apkg", now=NOW)
    notes = read_package(tmp_path / "all.apkg", tmp_path)["notes"]
    for guid, note in notes.items():
        item = item_of(bank, notes, guid)
        assert all(" " not in tag for tag in note["tags"])
        assert "opsprep" in note["tags"]
        assert f"opsprep::type::{item.type}" in note["tags"]
    terraform = next(g for g in notes if notes[g]["fields"]["Question"] == "Which statement best describes Terraform?")
    assert notes[terraform]["tags"] == [
        "opsprep",
        "opsprep::cert::CKA",
        "opsprep::cert::DOP-C02",
        "opsprep::domain::CKA::1_Cluster_Architecture_Installation_and_Configuration",
        "opsprep::domain::DOP-C02::2_Configuration_Management_and_IaC",
        "opsprep::type::term_to_definition",
    ]


def test_fields_escape_graph_text(progress, tmp_path):
    progress.export_anki(tmp_path / "cka.apkg", "CKA", now=NOW)
    notes = read_package(tmp_path / "cka.apkg", tmp_path)["notes"]
    helm = next(n for n in notes.values() if n["fields"]["Question"] == "Which statement best describes Helm?")
    assert (
        "`install &lt;release&gt; &lt;chart&gt;` command renders a chart's templates &amp; installs"
        in (helm["fields"]["Answer"])
    )
    assert "<release>" not in "".join(n["fields"]["Options"] + n["fields"]["Explanation"] for n in notes.values())
    assert helm["fields"]["Sources"] == '<a href="https://helm.sh/docs">https://helm.sh/docs</a>'


def test_back_shows_the_correct_options_for_each_type(bank, progress, tmp_path):
    progress.export_anki(tmp_path / "all.apkg", now=NOW)
    notes = read_package(tmp_path / "all.apkg", tmp_path)["notes"]
    seen = set()
    for guid, note in notes.items():
        item = item_of(bank, notes, guid)
        shown = present(item, anki_export.PRESENTATION_SEED)
        fields = note["fields"]
        assert fields["Options"].count('<div class="option">') == len(shown.options)
        assert fields["Answer"].count('<div class="option">') == item.answer_count
        for option in shown.options:
            assert (f"<b>{option.letter}.</b>" in fields["Answer"]) == option.correct
        seen.add(item.type)
    assert seen == {item.type for item in bank.items} and QuestionType.TRUE_FALSE in seen
    tf = next(n for n in notes.values() if n["fields"]["Question"] == "True or false: Ansible is agentless.")
    assert tf["fields"]["Options"] == (
        '<div class="option"><b>A.</b> True</div><div class="option"><b>B.</b> False</div>'
    )
    assert tf["fields"]["Answer"] == '<div class="option"><b>A.</b> True</div>'
    assert tf["fields"]["Explanation"]


def test_progress_reaches_the_total(progress, tmp_path):
    calls = []
    summary = progress.export_anki(tmp_path / "all.apkg", progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (summary.notes, summary.notes)
    assert [done for done, _ in calls] == sorted({done for done, _ in calls})


@pytest.mark.parametrize(
    ("cert", "domains", "name", "error", "message"),
    [
        (
            "AZ-999",
            (),
            "x.apkg",
            UnknownCertification,
            "There is no certification 'AZ-999'. Known exam codes: CKA, DOP-C02.",
        ),
        ("DOP-C02", ("7",), "x.apkg", UnknownDomain, "DOP-C02 has no exam domain '7'"),
        (None, ("1",), "x.apkg", ExportError, "Choose a certification"),
        ("CKA", ("2",), "x.apkg", ExportError, "nothing to export"),
        ("CKA", (), "missing/x.apkg", ExportError, "is not an existing folder"),
        ("CKA", (), ".", ExportError, "is a folder"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(progress, tmp_path, cert, domains, name, error, message):
    with pytest.raises(error, match=message):
        progress.export_anki(tmp_path / name, cert, domains)
    assert list(tmp_path.iterdir()) == []


def test_unwritable_folder_is_reported(progress, tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(anki_export.tempfile, "mkstemp", refuse)  # chmod cannot stop root, so simulate it
    with pytest.raises(ExportError, match=r"Cannot write .*x\.apkg: Permission denied\."):
        progress.export_anki(tmp_path / "x.apkg", "CKA")
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_keeps_the_previous_file_and_leaves_no_partial_file(progress, tmp_path, monkeypatch):
    target = tmp_path / "cka.apkg"
    progress.export_anki(target, "CKA", now=NOW)
    before = target.read_bytes()

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(zipfile.ZipFile, "writestr", full_disk)
    with pytest.raises(ExportError, match="Cannot write .*No space left on device"):
        progress.export_anki(target, "CKA", now=NOW + timedelta(days=1))
    assert [p.name for p in tmp_path.iterdir()] == ["cka.apkg"]
    assert target.read_bytes() == before


def test_summary_round_trips_to_json(progress, tmp_path):
    summary = progress.export_anki(tmp_path / "cka.apkg", "CKA", now=NOW)
    data = json.loads(json.dumps(summary.to_dict()))
    assert data["notes"] == data["cards"] == summary.notes
    assert data["decks"] == {f"{CKA}::1. Cluster Architecture, Installation and Configuration": summary.notes}


@pytest.fixture
def data_dir(tmp_path) -> Path:
    folder = tmp_path / "graph"
    folder.mkdir()
    for path in ANKI_GRAPH_FILES[1:]:
        shutil.copy(path, folder)
    return folder


def test_cli_writes_the_deck_and_lists_its_decks(runner, data_dir, tmp_path):
    out = tmp_path / "dop.apkg"
    result = runner.invoke(cli, ["--data", str(data_dir), "export", "anki", "--cert", "DOP-C02", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Wrote {out} (")
    assert "): 39 notes, one card each, for DOP-C02.\n" in result.stdout  # each question in one domain of DOP-C02
    assert "several exam domains" not in result.stdout
    assert f"{DOP}::2. Configuration Management and IaC" in result.stdout
    assert "Building notes" in result.stderr
    assert out.is_file()


def test_cli_says_when_questions_have_a_note_in_several_domains(runner, data_dir, tmp_path):
    out = tmp_path / "all.apkg"
    args = ["--data", str(data_dir), "export", "anki", "-o", str(out)]
    summary = json.loads(runner.invoke(cli, [*args, "--json"]).stdout)
    assert summary["notes"] > summary["questions"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert f"{summary['questions']} questions in {summary['notes']} notes, one card each," in result.stdout
    assert "A question that serves several exam domains has a note in the deck of each." in result.stdout


def test_cli_json(runner, data_dir, tmp_path):
    out = tmp_path / "cka.apkg"
    args = ["--data", str(data_dir), "export", "anki", "--cert", "CKA", "--domain", "1", "-o", str(out), "--json"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["path"] == str(out.absolute())
    assert data["certifications"] == ["CKA"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--cert", "NOPE", "-o", "x.apkg"], 2, "Error: There is no certification 'NOPE'."),
        (["--cert", "CKA", "--domain", "9", "-o", "x.apkg"], 2, "Error: CKA has no exam domain '9'"),
        (["--cert", "CKA", "-o", "no/such/folder/x.apkg"], 1, "Error: Cannot write no/such/folder/x.apkg: "),
        (["--domain", "1", "-o", "x.apkg"], 2, "Error: --domain needs --cert"),  # a usage error
    ],
)
def test_cli_bad_input(runner, data_dir, tmp_path, monkeypatch, args, code, message):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["--data", str(data_dir), "export", "anki", *args])
    assert result.exit_code == code, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.apkg").exists()


@pytest.fixture
def client(tmp_path, monkeypatch):
    """The web app on the fixture graph; its instance folder and temporary files go to tmp_path."""
    from opsprep.web.app import create_app

    monkeypatch.setenv("OPSPREP_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "GRAPH_FILES": [str(f) for f in ANKI_GRAPH_FILES]})
    return app.test_client()


def test_export_page_has_a_button_per_certification_and_domain(client):
    page = client.get("/export/").get_data(as_text=True)
    assert 'href="/export/CKA.apkg"' in page and 'href="/export/DOP-C02.apkg"' in page
    assert 'href="/export/DOP-C02/1.apkg"' in page and 'href="/export/DOP-C02/2.apkg"' in page
    assert 'href="/export/CKA/1.apkg"' in page
    assert 'href="/export/CKA/2.apkg"' not in page  # no questions serve it yet
    assert "Workloads and Scheduling" in page


@pytest.mark.parametrize(
    ("url", "name", "decks"),
    [
        ("/export/dop-c02.apkg", "opsprep-DOP-C02.apkg", 2),
        ("/export/DOP-C02/2.apkg", "opsprep-DOP-C02-domain-2.apkg", 1),
    ],
)
def test_download_sends_the_deck_and_cleans_up(client, tmp_path, url, name, decks):
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/apkg"
    assert response.headers["Content-Disposition"] == f"attachment; filename={name}"
    (tmp_path / "download.apkg").write_bytes(response.get_data())
    response.close()
    (tmp_path / "read").mkdir()
    package = read_package(tmp_path / "download.apkg", tmp_path / "read")
    assert len({note["deck"] for note in package["notes"].values()}) == decks
    assert not list(tmp_path.glob("opsprep-export-*"))


@pytest.mark.parametrize("url", ["/export/NOPE.apkg", "/export/DOP-C02/9.apkg", "/export/CKA/2.apkg"])
def test_download_of_an_unknown_or_empty_selection_is_404(client, tmp_path, url):
    assert client.get(url).status_code == 404
    assert not list(tmp_path.glob("opsprep-export-*"))


@pytest.mark.parametrize(
    ("args", "written"),
    [
        (["--cert", "cka"], "opsprep-CKA.apkg"),
        (["--cert", "CKA", "--domain", "1"], "opsprep-CKA-domain-1.apkg"),
        ([], "opsprep-all.apkg"),
    ],
)
def test_cli_names_the_file_when_no_output_is_given(runner, data_dir, tmp_path, monkeypatch, args, written):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["--data", str(data_dir), "export", "anki", *args])
    assert result.exit_code == 0, result.output
    assert (tmp_path / written).is_file()
    assert f"Wrote {written} in {tmp_path} (" in result.output  # says where it went


def test_the_export_page_is_in_every_pages_navigation(tmp_path):
    from .web_helpers import AuthActions, make_app

    client = make_app(tmp_path).test_client()
    assert '<a href="/export/">Anki decks</a>' in client.get("/").get_data(as_text=True)
    AuthActions(client).register("ada")
    for url in ("/", "/dashboard/", "/graph/", "/query"):
        assert 'href="/export/"' in client.get(url).get_data(as_text=True), url
    assert 'href="/export/" aria-current="page"' in client.get("/export/").get_data(as_text=True)


# -- export_graph: the notes cache of a fresh process (``opsprep export anki``) --------------------------------------


def package_rows(path: Path, scratch: Path) -> tuple[list[str], list[str]]:
    """Everything an .apkg file holds: its members and every row of its collection, as SQL."""
    scratch.mkdir()
    with zipfile.ZipFile(path) as archive:
        names = sorted(archive.namelist())
        archive.extract("collection.anki2", scratch)
    connection = sqlite3.connect(scratch / "collection.anki2")
    try:
        return names, list(connection.iterdump())
    finally:
        connection.close()


def no_bank():
    raise AssertionError("the bank was loaded although the notes cache holds the notes")


SELECTIONS = [
    (None, ()),
    ("DOP-C02", ()),
    ("cka", ()),
    ("https://w3id.org/opsprep/id/cert/dop-c02", ()),
    ("DOP-C02", ("2",)),
    ("dop-c02", ("configuration management and iac", "1")),
]


@pytest.mark.parametrize(("cert", "domains"), SELECTIONS)
def test_export_graph_writes_the_package_export_anki_writes(bank, data_dir, tmp_path, cert, domains):
    cache = tmp_path / "cache"
    expected = anki_export.export_anki(bank, tmp_path / "bank.apkg", cert, domains, now=NOW)
    cold = anki_export.export_graph(
        tmp_path / "cold.apkg", cert, domains, data_dir=data_dir, load_bank=lambda: bank, now=NOW, cache_folder=cache
    )
    warm = anki_export.export_graph(
        tmp_path / "warm.apkg", cert, domains, data_dir=data_dir, load_bank=no_bank, now=NOW, cache_folder=cache
    )
    rows = package_rows(tmp_path / "bank.apkg", tmp_path / "a")
    assert package_rows(tmp_path / "cold.apkg", tmp_path / "b") == rows
    assert package_rows(tmp_path / "warm.apkg", tmp_path / "c") == rows
    for summary in (cold, warm):
        assert (summary.certifications, summary.notes, summary.decks) == (
            expected.certifications,
            expected.notes,
            expected.decks,
        )
    assert [p.name for p in cache.iterdir()] == [f"anki-{anki_export.notes_key(data_files(data_dir))}.json"]


def test_the_notes_cache_lookups_agree_with_the_catalog(bank):
    outline = anki_export._outline(bank.catalog)
    for cert in bank.catalog:
        for ref in (cert.code, cert.code.lower(), f" {cert.title.upper()} ", cert.iri, *cert.alt_labels):
            for domain in cert.domains:
                refs = (str(domain.number), domain.iri, domain.title.upper(), f" {domain.label} ")
                for domain_ref in refs:
                    assert outline.find(ref, (domain_ref,)) == (cert.iri, frozenset({domain.iri}))
    assert outline.find("AZ-999", ()) is None
    assert outline.find("CKA", ("9",)) is None


@pytest.mark.parametrize(
    ("cert", "domains", "error", "message"),
    [
        ("AZ-999", (), UnknownCertification, "There is no certification 'AZ-999'. Known exam codes: CKA, DOP-C02."),
        ("DOP-C02", ("7",), UnknownDomain, "DOP-C02 has no exam domain '7'"),
        (None, ("1",), ExportError, "Choose a certification"),
        ("CKA", ("2",), ExportError, "nothing to export"),
    ],
)
def test_export_graph_refuses_what_export_anki_refuses(bank, data_dir, tmp_path, cert, domains, error, message):
    cache = tmp_path / "cache"
    anki_export.export_graph(tmp_path / "all.apkg", data_dir=data_dir, load_bank=lambda: bank, cache_folder=cache)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(error, match=message):
        anki_export.export_graph(
            out / "x.apkg", cert, domains, data_dir=data_dir, load_bank=lambda: bank, cache_folder=cache
        )
    assert list(out.iterdir()) == []


def same_notes(a: Path, b: Path, scratch: Path) -> bool:
    """Whether two packages hold the same notes (fields, tags) in the same decks, whenever they were made."""
    first, second = read_package(a, scratch / "a"), read_package(b, scratch / "b")
    return {guid: (n["fields"], n["tags"], n["deck"]) for guid, n in first["notes"].items()} == {
        guid: (n["fields"], n["tags"], n["deck"]) for guid, n in second["notes"].items()
    }


def test_a_damaged_entry_or_a_changed_graph_file_is_a_miss(bank, data_dir, tmp_path):
    cache, loaded = tmp_path / "cache", []

    def export(name: str) -> None:
        anki_export.export_graph(
            tmp_path / name, data_dir=data_dir, load_bank=lambda: loaded.append(name) or bank, cache_folder=cache
        )

    export("a.apkg")
    (entry,) = cache.iterdir()
    entry.write_bytes(entry.read_bytes()[:-100])  # cut short
    export("b.apkg")
    export("c.apkg")
    assert loaded == ["a.apkg", "b.apkg"]
    data = entry.read_bytes()
    first = data.index(b"\n[[") + 2
    entry.write_bytes(data[:first] + b"{" + data[first + 1 :])  # a damaged note, the length unchanged
    export("d.apkg")
    export("e.apkg")
    assert loaded == ["a.apkg", "b.apkg", "d.apkg"]
    for name in "bcde":
        assert same_notes(tmp_path / "a.apkg", tmp_path / f"{name}.apkg", tmp_path / name)
    with (data_dir / "tools.ttl").open("a", encoding="utf-8") as file:
        file.write("\n# an edit\n")
    export("f.apkg")
    assert loaded == ["a.apkg", "b.apkg", "d.apkg", "f.apkg"]
    assert len(list(cache.iterdir())) == 2


def test_the_notes_cache_keeps_only_the_newest_entries(bank, tmp_path):
    outline, notes = anki_export._render_all(bank)
    for key in range(anki_export.NOTES_KEPT + 2):
        anki_export._save_notes(tmp_path, f"{key:032d}", outline, notes)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f"anki-{key:032d}.json" for key in range(2, anki_export.NOTES_KEPT + 2)
    ]


def test_graph_files_and_cache_folder_are_those_of_the_graph_and_the_bank_cache(data_dir, tmp_path, monkeypatch):
    from opsprep.questions.cache import cache_folder

    assert anki_export.graph_files() == data_files()
    assert anki_export.graph_files(data_dir) == data_files(data_dir)
    assert anki_export.graph_files(str(data_dir)) == data_files(str(data_dir))
    monkeypatch.delenv("OPSPREP_CACHE")
    assert anki_export._cache_folder() == cache_folder()
    monkeypatch.setenv("OPSPREP_CACHE", str(tmp_path))
    assert anki_export._cache_folder() == cache_folder() == tmp_path


def test_a_warm_cli_export_loads_neither_the_graph_nor_the_bank(runner, data_dir, tmp_path, monkeypatch):
    from opsprep.cli import questions as cli_questions
    from opsprep.graph import store

    monkeypatch.setenv("OPSPREP_CACHE", str(tmp_path / "cache"))
    args = ["--data", str(data_dir), "export", "anki", "--cert", "DOP-C02", "-o", str(tmp_path / "a.apkg")]
    assert runner.invoke(cli, args).exit_code == 0
    monkeypatch.setattr(cli_questions, "settings_bank", lambda settings: no_bank())
    monkeypatch.setattr(store, "load_graph", lambda *args, **kwargs: no_bank())
    result = runner.invoke(cli, [*args[:-1], str(tmp_path / "b.apkg")])
    assert result.exit_code == 0, result.output
    assert "notes, one card each, for DOP-C02." in result.stdout
    assert same_notes(tmp_path / "a.apkg", tmp_path / "b.apkg", tmp_path)
