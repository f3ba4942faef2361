"""Where a certification's outline was read, on every surface that shows its blueprint.

The fixture graph ``tests/fixtures/graph-corroborated/`` holds DOP-C02 (an official outline, with a plain
outline note) and AZ-400 (a corroborated outline: three sources, and a note carrying markup). The
corroborated one's provenance line appears wherever its blueprint is shown (the catalog, the home, export,
dashboard and exam pages, ``opsprep questions stats``, the Anki deck description), the official one's
never; the notes appear for both, always as text.
"""

from __future__ import annotations

import json
import re
import sqlite3
import zipfile
from pathlib import Path

import pytest
from markupsafe import escape
from rdflib import Graph

from opsprep.cli import cli
from opsprep.engine.anki_export import deck_description, export_anki
from opsprep.graph import read_catalog
from opsprep.graph.catalog import CORROBORATED, OFFICIAL
from opsprep.graph.namespaces import OPS
from opsprep.graph.store import ONTOLOGY_FILE, default_graph, load_graph
from opsprep.graph.validate import validate_files
from opsprep.questions import build_bank

from .conftest import FIXTURES, MINI_GRAPH_DIR
from .web_helpers import AuthActions, make_app

FIXTURE_DIR = FIXTURES / "graph-corroborated"
FIXTURE_FILES = [ONTOLOGY_FILE, *sorted(FIXTURE_DIR.glob("*.ttl"))]
OUTLINES_DIR = Path(__file__).resolve().parent.parent / "graph" / "outlines"
LINE = "Outline corroborated by 3 independent sources; the vendor's page could not be checked."
SOURCES = (
    "https://example.com/exams/az400/metadata.json",
    "https://example.net/blueprints/az-400",
    "https://example.org/guides/az-400-study-guide",
)
NOTE = "Corroborated, not official: <script>alert('note')</script> the <b>three</b> sources & their dates agree."
OFFICIAL_NOTE = "Fixture note on an official outline: the exam guide is followed as published."
#: the markup of the note, which no page may contain as markup
RAW_MARKUP = ("<script>alert('note')", "<b>three</b>")


@pytest.fixture(scope="module")
def graph() -> Graph:
    return load_graph(FIXTURE_FILES)


@pytest.fixture(scope="module")
def catalog(graph):
    return read_catalog(graph)


@pytest.fixture(scope="module")
def bank(graph):
    return build_bank(graph)


# ---------------------------------------------------------------------------- the fixture and the catalog


def test_the_fixture_graph_conforms_to_the_shapes():
    report = validate_files(FIXTURE_FILES)
    assert report.conforms, [str(v) for v in report.violations]


def test_the_fixture_has_questions_in_every_domain_of_both_outlines(bank):
    for code in ("AZ-400", "DOP-C02"):
        cert = bank.catalog.certification(code)
        for domain in cert.domains:
            assert bank.for_certification(cert, [domain.iri]), f"{code} {domain.label} has no questions"


def test_a_corroborated_outline_reads_with_its_sources_notes_and_line(catalog):
    az = catalog.certification("AZ-400")
    assert (az.provenance, az.is_corroborated) == (CORROBORATED, True)
    assert az.corroborating_sources == SOURCES
    assert az.notes == (NOTE,)
    assert az.provenance_line == LINE
    assert az.domains[0].weight_range == (50.0, 55.0)  # a corroborated range, never a guessed weight


def test_an_official_outline_has_no_line_but_keeps_its_notes(catalog):
    dop = catalog.certification("DOP-C02")
    assert (dop.provenance, dop.is_corroborated, dop.provenance_line) == (OFFICIAL, False, "")
    assert dop.corroborating_sources == ()
    assert dop.notes == (OFFICIAL_NOTE,)


def test_a_graph_without_the_property_reads_as_official(mini_graph):
    graph = Graph()
    for triple in mini_graph:
        graph.add(triple)
    graph.remove((None, OPS.outlineProvenance, None))
    dop = read_catalog(graph).certification("DOP-C02")
    assert (dop.provenance, dop.provenance_line, dop.notes) == (OFFICIAL, "", ())


def test_sources_on_an_official_outline_are_not_read_as_corroborating(graph):
    changed = Graph()
    for triple in graph:
        changed.add(triple)
    dop = next(s for s in changed.subjects(OPS.examCode, None) if str(s).endswith("/dop-c02"))
    changed.add((dop, OPS.corroboratingSource, next(iter(changed.objects(None, OPS.corroboratingSource)))))
    assert read_catalog(changed).certification("DOP-C02").corroborating_sources == ()


def test_the_line_counts_the_sources():
    from opsprep.graph.catalog import certification

    two = certification("x", "X", "Exam X", (), provenance=CORROBORATED, corroborating_sources=SOURCES[:2])
    assert two.provenance_line == LINE.replace("by 3", "by 2")


def test_provenance_goes_into_the_json_form(catalog):
    data = json.loads(json.dumps(catalog.certification("AZ-400").to_dict()))
    assert data["provenance"] == CORROBORATED and data["provenance_line"] == LINE
    assert data["corroborating_sources"] == list(SOURCES) and data["notes"] == [NOTE]
    assert json.loads(json.dumps(catalog.certification("DOP-C02").to_dict()))["provenance_line"] == ""


def test_the_recorded_outlines_az_400_and_gh_200_are_corroborated_and_the_others_official():
    outlines = read_catalog(load_graph([ONTOLOGY_FILE, *sorted(OUTLINES_DIR.glob("*.ttl"))]))
    corroborated = {c.code: c for c in outlines if c.is_corroborated}
    assert sorted(corroborated) == ["AZ-400", "GH-200"]
    for cert in corroborated.values():
        assert cert.provenance_line == LINE and len(cert.corroborating_sources) == 3 and cert.notes
    assert outlines.certification("CKS").notes and outlines.certification("CKS").provenance_line == ""


def test_every_shipped_outline_is_official():
    assert all(c.provenance == OFFICIAL and not c.provenance_line for c in read_catalog(default_graph()))


# ---------------------------------------------------------------------------- the Anki deck description


def deck_descriptions(path: Path, scratch: Path) -> dict[str, str]:
    """Each deck's description in an .apkg file, by deck name."""
    with zipfile.ZipFile(path) as archive:
        archive.extract("collection.anki2", scratch)
    connection = sqlite3.connect(scratch / "collection.anki2")
    try:
        (decks,) = connection.execute("SELECT decks FROM col").fetchone()
    finally:
        connection.close()
    return {d["name"]: d.get("desc", "") for d in json.loads(decks).values()}


def description_of(path: Path, scratch: Path, code: str) -> str:
    """The description of a certification's parent deck in an .apkg file."""
    (description,) = [d for name, d in deck_descriptions(path, scratch).items() if name.endswith(f"({code})")]
    return description


def test_the_deck_description_says_corroborated_with_its_sources_and_escapes_the_note(catalog):
    text = deck_description(catalog.certification("AZ-400"))
    assert LINE in text
    for source in SOURCES:
        assert f'<a href="{source}">{source}</a>' in text
    assert "&lt;script&gt;" in text and "&lt;b&gt;three&lt;/b&gt;" in text and "&amp; their" in text
    assert not any(raw in text for raw in RAW_MARKUP)


def test_the_official_deck_description_has_its_note_and_no_line(catalog):
    text = deck_description(catalog.certification("DOP-C02"))
    assert "corroborated" not in text.casefold()
    assert OFFICIAL_NOTE in text


def test_the_exported_package_carries_the_descriptions(bank, tmp_path):
    path = export_anki(bank, tmp_path / "all.apkg").path
    az, dop = (description_of(Path(path), tmp_path, code) for code in ("AZ-400", "DOP-C02"))
    assert LINE in az and "&lt;script&gt;" in az and "<script>" not in az
    assert "corroborated" not in dop.casefold()


# ---------------------------------------------------------------------------- the command line


def test_questions_stats_prints_the_line_under_the_corroborated_outline_only(runner):
    result = runner.invoke(cli, ["--data", str(FIXTURE_DIR), "questions", "stats"])
    assert result.exit_code == 0, result.output
    blocks = {block.split(" — ", 1)[0]: block for block in result.output.split("\n\n") if " — " in block}
    assert LINE in blocks["AZ-400"] and all(f"Source: {s}" in blocks["AZ-400"] for s in SOURCES)
    assert f"Note: {NOTE}" in blocks["AZ-400"]  # a terminal shows markup as the text it is
    assert "corroborated" not in blocks["DOP-C02"].casefold()
    assert f"Note: {OFFICIAL_NOTE}" in blocks["DOP-C02"]
    assert result.output.count(LINE) == 1


def test_questions_stats_json_has_the_provenance(runner):
    result = runner.invoke(cli, ["--data", str(FIXTURE_DIR), "questions", "stats", "--json"])
    assert result.exit_code == 0, result.output
    certs = json.loads(result.output)["certifications"]
    assert certs["AZ-400"]["provenance"] == CORROBORATED and certs["AZ-400"]["provenance_line"] == LINE
    assert certs["AZ-400"]["corroborating_sources"] == list(SOURCES) and certs["AZ-400"]["outline_notes"] == [NOTE]
    assert certs["DOP-C02"]["provenance"] == OFFICIAL and certs["DOP-C02"]["provenance_line"] == ""


def test_questions_stats_on_an_official_graph_prints_no_line(runner):
    result = runner.invoke(cli, ["--data", str(MINI_GRAPH_DIR), "questions", "stats"])
    assert result.exit_code == 0, result.output
    assert "corroborated" not in result.output.casefold() and "Note:" not in result.output


def test_the_exported_deck_from_the_command_line_says_corroborated(runner, tmp_path):
    target = tmp_path / "az.apkg"
    result = runner.invoke(cli, ["--data", str(FIXTURE_DIR), "export", "anki", "--cert", "AZ-400", "-o", str(target)])
    assert result.exit_code == 0, result.output
    description = description_of(target, tmp_path, "AZ-400")
    assert LINE in description and "&lt;script&gt;" in description


# ---------------------------------------------------------------------------- the web pages

HTML_LINE = str(escape(LINE))
HTML_NOTE = str(escape(NOTE))
HTML_OFFICIAL_NOTE = str(escape(OFFICIAL_NOTE))


@pytest.fixture
def client(tmp_path):
    app = make_app(tmp_path, FIXTURE_FILES)
    client = app.test_client()
    assert AuthActions(client).register("ada").status_code == 302
    return client


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def card_of(html: str, start: str, code: str) -> str:
    """The part of a page that shows one certification: from its card's start tag to the next card's."""
    cards = [part for part in html.split(start)[1:] if code in part[:400]]
    assert len(cards) == 1, f"no single card of {code}"
    return cards[0]


def assert_escaped(html: str) -> None:
    assert not any(raw in html for raw in RAW_MARKUP), "a note's markup reached the page as markup"


#: pages listing every certification: (path, where each certification's card starts)
LISTINGS = [
    ("/", '<li class="cert-card'),
    ("/export/", '<section class="deck"'),
    ("/exam/", '<section class="cert-card"'),
]


@pytest.mark.parametrize(("path", "start"), LISTINGS)
def test_the_listing_pages_show_the_line_in_the_corroborated_card_only(client, path, start):
    html = page(client, path)
    assert html.count(HTML_LINE) == 1, path
    assert HTML_LINE in card_of(html, start, "AZ-400")
    dop = card_of(html, start, "DOP-C02")
    assert "corroborated by" not in dop
    assert HTML_NOTE in card_of(html, start, "AZ-400") and HTML_OFFICIAL_NOTE in dop
    assert_escaped(html)


@pytest.mark.parametrize("path", ["/", "/export/", "/dashboard/AZ-400"])
def test_the_pages_listing_the_blueprint_link_the_sources(client, path):
    html = page(client, path)
    for source in SOURCES:
        assert f'<a href="{source}" rel="noopener">{source}</a>' in html, (path, source)


def test_the_exam_start_page_keeps_the_assumed_figures(client):
    card = card_of(page(client, "/exam/"), '<section class="cert-card"', "AZ-400")
    assert "assumed for this simulation" in card and "passing mark" in card  # AZ-400 states no pass mark
    assert HTML_LINE in card


def test_the_dashboard_shows_the_line_sources_and_note_for_the_corroborated_outline(client):
    html = page(client, "/dashboard/AZ-400")
    assert HTML_LINE in html and HTML_NOTE in html
    assert html.index(HTML_LINE) < html.index('<table class="mastery">')  # with the blueprint's weights
    assert_escaped(html)


def test_the_dashboard_of_the_official_outline_has_no_line(client):
    html = page(client, "/dashboard/DOP-C02")
    assert "corroborated by" not in html and "corroborating-sources" not in html
    assert HTML_OFFICIAL_NOTE in html


@pytest.mark.parametrize(("code", "shows_line"), [("AZ-400", True), ("DOP-C02", False)])
def test_the_exam_result_shows_the_line_for_the_corroborated_outline_only(client, code, shows_line):
    started = client.post("/exam/start", data={"cert": code, "length": "short"})
    assert started.status_code == 302, started.get_data(as_text=True)
    attempt_id = int(re.search(r"/exam/(\d+)/", started.headers["Location"]).group(1))
    assert client.post(f"/exam/{attempt_id}/finish").status_code == 302
    html = page(client, f"/exam/{attempt_id}/result")
    assert (HTML_LINE in html) is shows_line
    assert (HTML_NOTE if shows_line else HTML_OFFICIAL_NOTE) in html
    assert html.index("Score per domain") < html.index(HTML_NOTE if shows_line else HTML_OFFICIAL_NOTE)
    assert_escaped(html)


def test_the_downloaded_deck_says_corroborated(client, tmp_path):
    response = client.get("/export/AZ-400.apkg")
    assert response.status_code == 200
    (tmp_path / "az.apkg").write_bytes(response.get_data())
    response.close()
    description = description_of(tmp_path / "az.apkg", tmp_path, "AZ-400")
    assert LINE in description
