"""Export question items to an Anki package (``.apkg``) built with genanki.

One note per question item and exam domain it serves, showing one fixed presentation of the item
(seed 0). Identity is stable so that importing a newer export updates the learner's notes instead of
adding new ones:

* the note type and every deck have fixed ids (the decks' derived from the graph IRIs);
* a question has a note in the subdeck of every exam domain it serves, so each subdeck holds every
  question of its domain (as the web app counts them). The note in the question's *home* domain (the
  first it serves, by exam code and then domain number) has a GUID derived from the item id alone
  (:func:`note_guid`); each other domain's copy one derived from the item id and that domain
  (:func:`copy_guid`): the same question in the same domain is the same note in every export;
* every note carries the export time as its modification time: Anki's importer replaces a note
  only when the incoming one is newer.

The note types' fields are frozen: Anki keys a note type by its id and its fields, so changing
them means a new :data:`MODEL_ID` (and duplicated notes for every learner).

Questions with options use the note type :data:`MODEL`; a manifest, configuration, plan or command
output an item shows is rendered under the stem as an escaped ``<pre><code class="language-…">``
block. Questions answered by typing use :data:`TYPED_MODEL`: a typed answer (a command, a field path,
a value) gets Anki's type-in-answer box (``{{type:Answer}}``), which Anki compares with the first
accepted form, and the back lists every accepted form. A task (write or fix a manifest or a
configuration) shows its requirements on the front and its model answer on the back, and says to
compare what was written with it: Anki cannot check a manifest.

Two ways in. :func:`export_anki` writes the notes of a :class:`~opsprep.questions.QuestionBank` the
caller already holds (the web app, :meth:`Progress.export_anki <opsprep.engine.Progress.export_anki>`).
:func:`export_graph` is for a fresh process (``opsprep export anki``): the finished notes of every
exportable item of a graph (fields, tags, GUIDs, and the deck outline they are placed by) are kept in
the question-bank cache folder beside the bank, keyed by the graph's files and by the code that
makes them, so a warm export reads one file (and parses only the notes it writes) and writes the
package: it neither loads the graph nor reads the bank, and this module imports neither rdflib nor
the question generator for it. Only a miss builds the notes, from the bank cache
(:func:`~opsprep.questions.cached_bank`). Both ways place, name and write the notes with the same
code, so they write the same package.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import sqlite3
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from html import escape
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING

import genanki

from opsprep.errors import ErrorKind

if TYPE_CHECKING:  # the question bank and the graph are imported only where a bank is used
    from opsprep.graph.catalog import Catalog, Certification, ExamDomain
    from opsprep.questions import QuestionBank, QuestionItem

#: the note type: never change this id or the field list (see the module docstring)
MODEL_ID = 1_739_402_817
FIELDS = ("Question", "Options", "Answer", "Explanation", "Sources", "ItemId")
#: the note type of questions answered by typing: never change this id or the field list either
TYPED_MODEL_ID = 1_785_613_093
TYPED_FIELDS = (
    "Question",
    "Code",
    "Requirements",
    "Answer",
    "Accepted",
    "ModelAnswer",
    "Explanation",
    "Sources",
    "ItemId",
)
#: what a task's card says, since Anki cannot grade what the learner writes
COMPARE_HINT = "Write it out, then compare it with the model answer on the back: Anki cannot check it for you."
#: the presentation a note shows (options drawn and ordered by this seed)
PRESENTATION_SEED = 0
#: bump when the layout of a notes-cache entry changes (older entries are then ignored)
NOTES_FORMAT = 4
#: notes-cache entries kept in the cache folder (the newest; one per graph and code version)
NOTES_KEPT = 4

Progress = Callable[[int, int], None]

_FRONT = '<div class="question">{{Question}}</div>\n<div class="options">{{Options}}</div>'
_BACK = (
    '{{FrontSide}}\n<hr id="answer">\n<div class="answer">{{Answer}}</div>\n'
    '{{#Explanation}}<div class="explanation">{{Explanation}}</div>{{/Explanation}}\n'
    '{{#Sources}}<div class="sources">{{Sources}}</div>{{/Sources}}\n'
    '<div class="item-id">{{ItemId}}</div>'
)
_CSS = """.card { font-family: sans-serif; font-size: 18px; text-align: left; }
.question { font-weight: bold; margin-bottom: 0.8em; }
.option { margin: 0.3em 0; }
.answer .option { color: #1a7f37; }
.explanation { margin-top: 0.8em; }
.sources { margin-top: 0.8em; font-size: 14px; overflow-wrap: anywhere; }
.item-id { margin-top: 1em; font-size: 11px; color: #888; }
.nightMode .answer .option { color: #4ac26b; }
pre { background: #f4f4f4; padding: 0.6em; overflow-x: auto; font-size: 15px; line-height: 1.35; }
.nightMode pre { background: #2b2b2b; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; }
.question pre { font-weight: normal; }
.requirements li { margin: 0.2em 0; }
.hint { margin-top: 0.6em; font-size: 14px; font-style: italic; }
.accepted, .model-answer { margin-top: 0.8em; }
.label { font-weight: bold; }
"""

MODEL = genanki.Model(
    MODEL_ID,
    "opsprep question",
    fields=[{"name": name} for name in FIELDS],
    templates=[{"name": "Question", "qfmt": _FRONT, "afmt": _BACK}],
    css=_CSS,
)

# the type-in box is only there when there is an answer to type (a task has none); ``<hr id=answer>`` is
# written as Anki's own type-in note type writes it, so that Anki puts the comparison after it
_TYPED_QUESTION = (
    '<div class="question">{{Question}}</div>\n'
    '{{#Code}}<div class="code">{{Code}}</div>{{/Code}}\n'
    '{{#Requirements}}<div class="requirements">{{Requirements}}</div>{{/Requirements}}\n'
)
_TYPED_FRONT = (
    _TYPED_QUESTION + f'{{{{#ModelAnswer}}}}<div class="hint">{COMPARE_HINT}</div>{{{{/ModelAnswer}}}}\n'
    "{{#Answer}}{{type:Answer}}{{/Answer}}"
)
_TYPED_BACK = (
    _TYPED_QUESTION + "<hr id=answer>\n{{#Answer}}{{type:Answer}}{{/Answer}}\n"
    '{{#Accepted}}<div class="accepted">{{Accepted}}</div>{{/Accepted}}\n'
    '{{#ModelAnswer}}<div class="model-answer"><div class="label">Model answer</div>{{ModelAnswer}}</div>'
    "{{/ModelAnswer}}\n"
    '{{#Explanation}}<div class="explanation">{{Explanation}}</div>{{/Explanation}}\n'
    '{{#Sources}}<div class="sources">{{Sources}}</div>{{/Sources}}\n'
    '<div class="item-id">{{ItemId}}</div>'
)

TYPED_MODEL = genanki.Model(
    TYPED_MODEL_ID,
    "opsprep typed answer",
    fields=[{"name": name} for name in TYPED_FIELDS],
    templates=[{"name": "Typed answer", "qfmt": _TYPED_FRONT, "afmt": _TYPED_BACK}],
    css=_CSS,
)
#: the note types by the key a rendered note names
MODELS = {"choice": MODEL, "typed": TYPED_MODEL}


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote: the file, its size, the questions, and the notes per deck (one card per
    note; a question serving several exported domains has a note in each of their decks)."""

    path: str
    certifications: tuple[str, ...]
    notes: int
    decks: tuple[tuple[str, int], ...]
    bytes: int
    questions: int
    typed: int = 0  # notes of questions answered by typing (the note type TYPED_MODEL)

    def to_dict(self) -> dict:
        """Plain dict form (JSON-ready)."""
        return {
            "path": self.path,
            "certifications": list(self.certifications),
            "questions": self.questions,
            "notes": self.notes,
            "typed": self.typed,
            "cards": self.notes,
            "decks": dict(self.decks),
            "bytes": self.bytes,
        }


@dataclass(frozen=True)
class _Cert:
    """A certification as an export sees it: how it is looked up, its parent deck and its domains."""

    iri: str
    code: str
    names: frozenset[str]  # Certification.names(): case-folded IRI, code, title and alternative labels
    deck_id: int
    deck_name: str
    about: str
    domains: tuple[str, ...]  # domain IRIs, in outline order


@dataclass(frozen=True)
class _Domain:
    """An exam domain as an export sees it: how it is looked up, and its subdeck."""

    iri: str
    cert: str
    number: int  # 0 when the outline numbers no domains
    exact: tuple[str, ...]  # refs matched as given: the IRI and the number
    folded: tuple[str, ...]  # refs matched case-folded: the title and the label
    deck_id: int
    deck_name: str


@dataclass(frozen=True)
class _Outline:
    """What an export needs of the catalog: the deck tree and the lookups of certifications and domains."""

    certs: tuple[_Cert, ...]  # in catalog order
    domains: dict[str, _Domain]

    def find(self, cert: str, domains: tuple[str, ...]) -> tuple[str, frozenset[str]] | None:
        """The certification's IRI and the chosen domains' IRIs, as ``Catalog.certification`` and
        ``Certification.domain`` resolve them; None when a reference matches nothing (the caller asks
        the catalog, which raises the error with its own message)."""
        folded = str(cert).strip().casefold()
        found = next((c for c in self.certs if folded in c.names), None)
        if found is None:
            return None
        chosen = set()
        for ref in domains:
            text = str(ref).strip()
            match = next(
                (
                    iri
                    for iri in found.domains
                    if text in self.domains[iri].exact or text.casefold() in self.domains[iri].folded
                ),
                None,
            )
            if match is None:
                return None
            chosen.add(match)
        return found.iri, frozenset(chosen)

    def rank(self, cert_iri: str | None, chosen: frozenset[str]) -> dict[str, int]:
        """The exported domains (IRI → position): by certification, then by outline order."""
        certs = [c for c in self.certs if c.iri == cert_iri] if cert_iri else self.certs
        domains = [d for c in certs for d in c.domains if not chosen or d in chosen]
        return {domain: position for position, domain in enumerate(domains)}

    def code(self, cert_iri: str) -> str:
        """The exam code of a certification, by IRI."""
        return next(c.code for c in self.certs if c.iri == cert_iri)

    def to_json(self) -> list:
        """JSON-ready form (the notes cache)."""
        return [
            [
                c.iri,
                c.code,
                sorted(c.names),
                c.deck_id,
                c.deck_name,
                c.about,
                [[d.iri, d.number, list(d.exact), list(d.folded), d.deck_id, d.deck_name] for d in self._of(c)],
            ]
            for c in self.certs
        ]

    @classmethod
    def from_json(cls, data: list) -> _Outline:
        """Inverse of :meth:`to_json`."""
        certs, domains = [], {}
        for iri, code, names, deck_id, deck_name, about, outline in data:
            for d_iri, number, exact, folded, d_id, d_name in outline:
                domains[d_iri] = _Domain(d_iri, iri, number, tuple(exact), tuple(folded), d_id, d_name)
            iris = tuple(d[0] for d in outline)
            certs.append(_Cert(iri, code, frozenset(names), deck_id, deck_name, about, iris))
        return cls(tuple(certs), domains)

    def _of(self, cert: _Cert) -> list[_Domain]:
        return [self.domains[iri] for iri in cert.domains]


#: a note ready to write: (item id, the item's domain IRIs, fields, tags, GUID, note type key in MODELS)
_Rendered = tuple[str, tuple[str, ...], list[str], list[str], str, str]


def export_anki(
    bank: QuestionBank,
    path: str | os.PathLike,
    cert: str | None = None,
    domains: Iterable[str] = (),
    progress: Progress | None = None,
    now: datetime | None = None,
) -> ExportSummary:
    """Write the items of one certification (or of all when ``cert`` is None) to an ``.apkg`` file.

    ``domains`` (numbers, labels or IRIs) narrows the export to some of the certification's domains.
    ``progress(done, total)`` is called as notes are built; ``now`` (UTC-aware) sets the notes'
    modification time (see :func:`modification_time`). Raises ``UnknownCertification``,
    ``UnknownDomain`` or :class:`ExportError`; the file is written whole or not at all.
    """
    domains = tuple(domains)
    if domains and cert is None:
        raise _export_error("Choose a certification to export some of its domains.")
    outline = _outline(bank.catalog)
    cert_iri, chosen = _resolve(bank.catalog, cert, domains)
    rank = outline.rank(cert_iri, chosen)
    items = [item for item in bank.items if not rank.keys().isdisjoint(item.domains)]
    target = _check_target(Path(path))
    render = _Renderer(bank.catalog)
    notes = (render(item) for item in items)
    return _write(outline, rank, [item.domains for item in items], notes, target, now, progress)


def export_graph(
    path: str | os.PathLike | None,
    cert: str | None = None,
    domains: Iterable[str] = (),
    *,
    data_dir: str | os.PathLike | None = None,
    load_bank: Callable[[], QuestionBank] | None = None,
    progress: Progress | None = None,
    now: datetime | None = None,
    cache_folder: str | os.PathLike | None = None,
) -> ExportSummary:
    """:func:`export_anki` for the graph of the shipped data (or of the Turtle files in ``data_dir``),
    with its notes from the notes cache: the same package, without loading the graph or the bank
    when the cache has them.

    ``path`` None writes :func:`deck_file_name` in the current folder. ``load_bank()`` returns the
    graph's question bank on a miss (default: :func:`~opsprep.questions.cached_bank` of the graph
    loaded from ``data_dir``); it must be the bank of that graph. ``cache_folder`` defaults to the
    question-bank cache folder. Raises what :func:`export_anki` raises.
    """
    domains = tuple(domains)
    if domains and cert is None:
        raise _export_error("Choose a certification to export some of its domains.")
    bank: list[QuestionBank] = []

    def the_bank() -> QuestionBank:
        if not bank:
            bank.append(load_bank() if load_bank is not None else _load_bank(data_dir))
        return bank[0]

    folder = Path(cache_folder) if cache_folder is not None else _cache_folder()
    entry = _read_notes(folder / f"anki-{notes_key(graph_files(data_dir))}.json")
    if entry is None:
        outline, rendered = _render_all(the_bank())
        _save_notes(folder, notes_key(_data_files(data_dir)), outline, rendered)
        entry = outline, lambda cert_iri: rendered
    outline, notes_of = entry
    found = outline.find(cert, domains) if cert is not None else (None, frozenset())
    if found is None:
        found = _resolve(the_bank().catalog, cert, domains)  # raises UnknownCertification or UnknownDomain
    cert_iri, chosen = found
    if path is None:
        path = deck_file_name(outline.code(cert_iri) if cert_iri else None, domains)
    try:
        rendered = notes_of(cert_iri)
    except (ValueError, TypeError):  # a damaged entry: rebuild it, as on a miss
        outline, rendered = _render_all(the_bank())
        _save_notes(folder, notes_key(_data_files(data_dir)), outline, rendered)
    rank = outline.rank(cert_iri, chosen)
    notes = [note for note in rendered if not rank.keys().isdisjoint(note[1])]
    target = _check_target(Path(path))
    return _write(outline, rank, [note[1] for note in notes], notes, target, now, progress)


def deck_file_name(code: str | None = None, domains: Iterable[str] = ()) -> str:
    """The file name a deck is written to by default: ``opsprep-DOP-C02.apkg``, ``opsprep-CKA-domain-1.apkg``,
    ``opsprep-all.apkg`` for every certification."""
    parts = ["opsprep", _slug(code) if code else "all", *(f"domain-{_slug(str(d))}" for d in domains)]
    return "-".join(parts) + ".apkg"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9.]+", "-", text).strip("-") or "deck"


def modification_time(now: datetime | None = None) -> int:
    """The notes' modification time, in whole seconds since the epoch (what Anki compares).

    ``now`` when given; otherwise the current time, and always later than the previous default in
    this process, so that two exports within one second still count as newer, one after the other.
    """
    global _last_default
    if now is not None:
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware (UTC)")
        return int(now.timestamp())
    with _clock:
        _last_default = max(int(time.time()), _last_default + 1)
        return _last_default


_clock = threading.Lock()
_last_default = 0


def note_guid(item_id: str) -> str:
    """The Anki note GUID of an item in its home domain: a function of the item id only (never change it)."""
    return genanki.guid_for("opsprep", item_id)


def copy_guid(item_id: str, domain_iri: str) -> str:
    """The Anki note GUID of an item's copy in another domain it serves (never change it)."""
    return genanki.guid_for("opsprep", item_id, domain_iri)


# -- the notes cache -------------------------------------------------------------------------------


def graph_files(data_dir: str | os.PathLike | None = None) -> list[Path]:
    """The Turtle files of the graph, as :func:`opsprep.graph.store.data_files` lists them, found
    without importing the graph layer (and rdflib). A notes-cache entry is saved under the key of
    ``data_files`` itself, so if the two ever disagreed the export would miss the cache, never read
    a stale entry."""
    package = _package_dir("opsprep.graph")
    folder = Path(data_dir) if data_dir is not None else package / "data"
    return [package / "ontology.ttl", *sorted(folder.glob("*.ttl"))]


def notes_key(files: Iterable[Path | str]) -> str:
    """The notes-cache key of a graph loaded from ``files``: their paths and contents, and the source of
    everything the notes are made by (this module, the question generator, the graph layer)."""
    digest = hashlib.sha256(f"anki notes {NOTES_FORMAT}".encode())
    code = [Path(__file__).resolve()]
    for package in ("opsprep.questions", "opsprep.graph"):
        code.extend(sorted(_package_dir(package).glob("*.py")))
    for path in code:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for path in files:
        path = os.path.abspath(path)
        with open(path, "rb") as file:
            digest.update(path.encode() + b"\0" + file.read() + b"\0")
    return digest.hexdigest()[:32]


def _package_dir(name: str) -> Path:
    spec = find_spec(name)
    assert spec is not None and spec.submodule_search_locations, name
    return Path(next(iter(spec.submodule_search_locations))).resolve()


def _cache_folder() -> Path:
    """The question-bank cache folder (:func:`opsprep.questions.cache.cache_folder`), without importing it."""
    if os.environ.get("OPSPREP_CACHE"):
        return Path(os.environ["OPSPREP_CACHE"]).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("opsprep", appauthor=False))


def _data_files(data_dir: str | os.PathLike | None) -> list[Path]:
    from opsprep.graph.store import data_files

    return data_files(data_dir)


def _load_bank(data_dir: str | os.PathLike | None) -> QuestionBank:
    """The question bank of the shipped graph, or of the one in ``data_dir``, from the bank cache."""
    from opsprep.graph.store import default_graph, load_graph
    from opsprep.questions import cached_bank

    files = _data_files(data_dir)
    return cached_bank(default_graph() if data_dir is None else load_graph(files), files)


def _render_all(bank: QuestionBank) -> tuple[_Outline, list[_Rendered]]:
    """The outline and the note of every item an export of all certifications would write, in bank order."""
    outline = _outline(bank.catalog)
    rank = outline.rank(None, frozenset())
    render = _Renderer(bank.catalog)
    return outline, [render(item) for item in bank.items if not rank.keys().isdisjoint(item.domains)]


def _read_notes(path: Path) -> tuple[_Outline, Callable[[str | None], list[_Rendered]]] | None:
    """A notes-cache entry: its outline, and a function giving the notes that serve a certification (every
    note for None), parsing only those; None when there is no usable entry (missing, damaged, of another
    format). The notes are checked when parsed (damaged ones raise ValueError or TypeError)."""
    try:
        data = path.read_bytes()
        end = data.index(b"\n")
        header = json.loads(data[:end])
        body = data[end + 1 :]
        if header["format"] != NOTES_FORMAT or f"anki-{header['key']}.json" != path.name:
            return None
        ends, serves = header["ends"], header["serves"]
        if len(body) != (ends[-1] + 1 if ends else 2):
            return None  # cut short
        outline = _Outline.from_json(header["outline"])
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing, damaged or of another version: rebuild

    def notes_of(cert_iri: str | None) -> list[_Rendered]:
        if cert_iri is None:
            text = body
        else:  # only the notes serving the certification: a JSON array of their slices of the body
            spans = ((ends[i - 1] + 1 if i else 1, ends[i]) for i in serves.get(cert_iri, ()))
            text = b"[" + b",".join(body[start:stop] for start, stop in spans) + b"]"
        return [
            (item_id, tuple(domains), fields, tags, guid, model)
            for item_id, domains, fields, tags, guid, model in json.loads(text)
        ]

    return outline, notes_of


def _save_notes(folder: Path, key: str, outline: _Outline, notes: list[_Rendered]) -> None:
    """Store an entry whole (a temporary file moved into place) and keep the newest :data:`NOTES_KEPT`;
    a folder that cannot be written only means no cache.

    An entry is a header line (format, key, the outline, each note's end in the body, the notes serving
    each certification), then the body: a JSON array of the notes. An export of one certification parses
    only the slices of its own notes.
    """
    encoded = [json.dumps(note, ensure_ascii=False).encode() for note in notes]
    ends, position = [], 0
    for note in encoded:
        position += 1 + len(note)  # the "[" or "," before it, then the note
        ends.append(position)
    serves = {
        cert.iri: [i for i, note in enumerate(notes) if not wanted.isdisjoint(note[1])]
        for cert, wanted in ((c, set(c.domains)) for c in outline.certs)
    }
    header = {"format": NOTES_FORMAT, "key": key, "outline": outline.to_json(), "ends": ends, "serves": serves}
    data = json.dumps(header, ensure_ascii=False).encode() + b"\n[" + b",".join(encoded) + b"]"
    partial = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, partial = tempfile.mkstemp(prefix=".anki-", suffix=".part", dir=folder)
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(partial, folder / f"anki-{key}.json")
        entries = sorted(folder.glob("anki-*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in entries[NOTES_KEPT:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass
    finally:
        if partial is not None and os.path.exists(partial):
            os.unlink(partial)


# -- what both ways share --------------------------------------------------------------------------


def _resolve(catalog: Catalog, cert: str | None, domains: tuple[str, ...]) -> tuple[str | None, frozenset[str]]:
    """The certification's IRI (None: all) and the chosen domains' IRIs.

    Raises UnknownCertification or UnknownDomain.
    """
    if cert is None:
        return None, frozenset()
    found = catalog.certification(cert)
    return found.iri, frozenset(found.domain(ref).iri for ref in domains)


def _served(rank: dict[str, int], item_domains: Iterable[str]) -> list[str]:
    """The exported domains an item serves, in exam order (by certification, then domain number)."""
    return sorted((d for d in item_domains if d in rank), key=rank.__getitem__)


def _outline(catalog: Catalog) -> _Outline:
    """The deck tree and lookups of a catalog: one parent deck per certification, one subdeck per domain."""
    certs, domains = [], {}
    for cert in catalog:
        deck_name = _cert_deck_name(cert)
        about = deck_description(cert)
        certs.append(_Cert(cert.iri, cert.code, cert.names(), _stable_id(cert.iri), deck_name, about, cert.domain_iris))
        for d in cert.domains:
            domains[d.iri] = _Domain(
                d.iri,
                cert.iri,
                d.number or 0,
                (d.iri, str(d.number)),
                (d.title.casefold(), d.label.casefold()),
                _stable_id(cert.iri, d.iri),
                f"{deck_name}::{_domain_title(d)}",
            )
    return _Outline(tuple(certs), domains)


def _write(
    outline: _Outline,
    rank: dict[str, int],
    served: list[Iterable[str]],
    notes: Iterable[_Rendered],
    target: Path,
    now: datetime | None,
    progress: Progress | None,
) -> ExportSummary:
    """Write the package: each note (``served`` holds their domains, in the same order) in the subdeck of
    every exported domain (``rank``) it serves, the decks in exam order."""
    placements = [_served(rank, domains) for domains in served]
    total = sum(map(len, placements))
    if not total:
        from .errors import NothingToExport

        raise NothingToExport("No question items serve that selection: nothing to export.")
    modified = modification_time(now)
    home = outline.rank(None, frozenset())  # a note's home domain: the first it serves of every certification
    certs = {c.iri: c for c in outline.certs}
    decks: dict[str, genanki.Deck] = {}  # by certification IRI (parent decks) and by domain IRI
    exported = {d for domains in placements for d in domains}
    for domain_iri in sorted(
        exported, key=lambda d: (certs[outline.domains[d].cert].code, outline.domains[d].number, d)
    ):
        domain = outline.domains[domain_iri]
        if domain.cert not in decks:
            cert = certs[domain.cert]
            decks[domain.cert] = genanki.Deck(cert.deck_id, cert.deck_name, cert.about)
        decks[domain_iri] = genanki.Deck(domain.deck_id, domain.deck_name)
    done = typed = 0
    for (item_id, domains, fields, tags, guid, model), chosen in zip(notes, placements, strict=True):
        first = min(domains, key=lambda d: home.get(d, len(home)))
        for domain_iri in chosen:
            note_id = guid if domain_iri == first else copy_guid(item_id, domain_iri)
            decks[domain_iri].add_note(genanki.Note(model=MODELS[model], fields=fields, tags=tags, guid=note_id))
            done += 1
            typed += model == "typed"
            if progress and (done % 25 == 0 or done == total):
                progress(done, total)
    _write_package(genanki.Package(list(decks.values())), target, modified)
    counts = tuple((deck.name, len(deck.notes)) for deck in decks.values() if deck.notes)
    codes = tuple(dict.fromkeys(certs[outline.domains[d].cert].code for d in decks if d in outline.domains))
    questions = sum(1 for domains in placements if domains)
    return ExportSummary(str(target), codes, total, counts, target.stat().st_size, questions, typed)


def _check_target(path: Path) -> Path:
    """The output path, absolute; refuse a folder or a missing parent before doing any work."""
    target = path.expanduser().absolute()
    if target.is_dir():
        raise _export_error(f"{path} is a folder; give a file name such as {path / 'deck.apkg'}.")
    if not target.parent.is_dir():
        raise _export_error(
            f"Cannot write {path}: {target.parent} is not an existing folder.", kind=ErrorKind.UNAVAILABLE
        )
    return target


class _Renderer:
    """Makes the notes of one export's items (it remembers the tags of each domain)."""

    def __init__(self, catalog: Catalog) -> None:
        from opsprep.questions import present

        self.present = present
        self.catalog = catalog
        self.parts: dict[str, tuple[str, str]] = {}

    def __call__(self, item: QuestionItem) -> _Rendered:
        """The note of one item: fields are HTML, with every piece of graph text escaped."""
        shown = self.present(item, PRESENTATION_SEED)
        sources = "<br>".join(f'<a href="{escape(url)}">{_text(url)}</a>' for url in shown.sources)
        code = code_block(shown.code, shown.code_language) if shown.code else ""
        response = shown.response
        stem = _text(shown.stem).replace("\n", "<br>")
        if response is not None:
            listed = [r.text for r in response.requirements if r.text not in shown.stem]  # unless the stem lists them
            requirements = "".join(f"<li>{_text(text)}</li>" for text in listed)
            accepted = "".join(f"<li><code>{_text(form)}</code></li>" for form in response.accepted)
            model_answer = response.model_answer
            fields = [
                stem,
                code,
                f"<ul>{requirements}</ul>" if requirements else "",
                _text(response.accepted[0]) if response.accepted and not model_answer else "",
                f'<div class="label">Accepted answers</div><ul>{accepted}</ul>' if accepted else "",
                code_block(model_answer, response.language or shown.code_language) if model_answer else "",
                _text(shown.explanation),
                sources,
                _text(item.id),
            ]
            return item.id, tuple(item.domains), fields, self.tags(item), note_guid(item.id), "typed"
        options = "".join(_option(o.letter, o.text) for o in shown.options)
        answer = "".join(_option(o.letter, o.text) for o in shown.options if o.correct)
        fields = [stem + code, options, answer, _text(shown.explanation), sources, _text(item.id)]
        return item.id, tuple(item.domains), fields, self.tags(item), note_guid(item.id), "choice"

    def tags(self, item: QuestionItem) -> list[str]:
        """Tags for every certification and domain the item serves, and its question type."""
        certs, domains = {}, []
        for iri in item.domains:
            cert, domain = self.parts.get(iri) or self._parts(iri)
            certs[cert] = None
            domains.append(domain)
        return ["opsprep", *sorted(certs), *sorted(domains), f"opsprep::type::{item.type}"]

    def _parts(self, iri: str) -> tuple[str, str]:
        domain = self.catalog.domain(iri)
        code = _tag(self.catalog.certification(domain.cert).code)
        parts = self.parts[iri] = (
            f"opsprep::cert::{code}",
            f"opsprep::domain::{code}::{domain.number or 0}_{_tag(domain.title)}",
        )
        return parts


def code_block(text: str, language: str = "") -> str:
    """Code as an escaped ``<pre><code class="language-…">`` block (``language-text`` when none is known)."""
    name = re.sub(r"[^A-Za-z0-9_+-]", "", language) or "text"
    return f'<pre><code class="language-{name}">{_text(text.rstrip())}</code></pre>'


def _option(letter: str, text: str) -> str:
    return f'<div class="option"><b>{letter}.</b> {_text(text)}</div>'


def _write_package(package: genanki.Package, target: Path, timestamp: int) -> None:
    """Build the collection in memory, write it zipped to a temporary file beside ``target``, move it into place.

    Replaces genanki's ``write_to_file``, which leaves its SQLite file behind in the system temp
    folder and stores the collection uncompressed. The fastest compression level: it takes a third of
    the default's time (a tenth of the export) for a file a quarter larger, still a seventh of genanki's.
    """
    connection = sqlite3.connect(":memory:")
    try:
        package.write_to_db(connection.cursor(), timestamp, itertools.count(timestamp * 1000))
        connection.commit()
        collection = connection.serialize()
    finally:
        connection.close()
    try:
        handle, partial = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise _export_error(f"Cannot write {target}: {exc.strerror or exc}.", kind=ErrorKind.UNAVAILABLE) from None
    try:
        with os.fdopen(handle, "wb") as file:
            with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
                archive.writestr("collection.anki2", collection)
                archive.writestr("media", "{}")
            file.flush()
            os.fsync(file.fileno())
        os.replace(partial, target)
    except OSError as exc:
        raise _export_error(f"Cannot write {target}: {exc.strerror or exc}.", kind=ErrorKind.UNAVAILABLE) from None
    finally:
        if os.path.exists(partial):
            os.unlink(partial)


def _export_error(message: str, **kwargs) -> Exception:
    """An :class:`~opsprep.engine.errors.ExportError`, imported when raised (the engine's errors import the graph)."""
    from .errors import ExportError

    return ExportError(message, **kwargs)


def _text(value: str) -> str:
    """Graph text as HTML that shows it literally."""
    return escape(value, quote=False)


def _tag(text: str) -> str:
    """A tag component: no spaces and no ``::`` (Anki's hierarchy separator)."""
    return re.sub(r"[^\w.+-]+", "_", text).strip("_")


def deck_description(cert: Certification) -> str:
    """A certification's deck description (HTML, as Anki shows it): what the deck is; for a corroborated
    outline the catalog's provenance line and its sources; then the outline notes. Graph text is escaped,
    and a source is a link only when it is an http(s) IRI."""
    about = f"{_text(cert.title)}: questions generated by opsprep from its knowledge graph."
    if cert.provenance_line:
        links = [
            f'<a href="{escape(s)}">{_text(s)}</a>' if s.lower().startswith(("https://", "http://")) else _text(s)
            for s in cert.corroborating_sources
        ]
        about += f"<p>{_text(cert.provenance_line)}</p>"
        if links:
            about += "<p>Sources: " + ", ".join(links) + "</p>"
    return about + "".join(f"<p>{_text(note)}</p>" for note in cert.notes)


def _cert_deck_name(cert: Certification) -> str:
    name = cert.title if cert.code.casefold() in cert.title.casefold() else f"{cert.title} ({cert.code})"
    return name.replace("::", ":")


def _domain_title(domain: ExamDomain) -> str:
    return f"{domain.number or 0}. {domain.title}".replace("::", ":")


def _stable_id(*iris: str) -> int:
    """A deck id derived from graph IRIs, in the range genanki recommends (2**30 to 2**31)."""
    digest = hashlib.sha256("|".join(("opsprep-deck", *iris)).encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)
