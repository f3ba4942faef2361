"""Export question items to an Anki package (``.apkg``) built with genanki.

One note per question item, showing one fixed presentation of it (seed 0). Identity is stable so
that importing a newer export updates the learner's notes instead of adding new ones:

* the note type and every deck have fixed ids (the decks' derived from the graph IRIs);
* a note's GUID is derived from the item id alone, so the same item is the same note in every export;
* every note carries the export time as its modification time: Anki's importer replaces a note
  only when the incoming one is newer.

The note type's fields are frozen: Anki keys a note type by its id and its fields, so changing
them means a new :data:`MODEL_ID` (and duplicated notes for every learner).
"""

from __future__ import annotations

import hashlib
import itertools
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
from pathlib import Path

import genanki

from opsprep.errors import ErrorKind
from opsprep.graph.catalog import Certification, ExamDomain
from opsprep.questions import QuestionBank, QuestionItem, present

from .errors import ExportError, NothingToExport

#: the note type: never change this id or the field list (see the module docstring)
MODEL_ID = 1_739_402_817
FIELDS = ("Question", "Options", "Answer", "Explanation", "Sources", "ItemId")
#: the presentation a note shows (options drawn and ordered by this seed)
PRESENTATION_SEED = 0

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
"""

MODEL = genanki.Model(
    MODEL_ID,
    "opsprep question",
    fields=[{"name": name} for name in FIELDS],
    templates=[{"name": "Question", "qfmt": _FRONT, "afmt": _BACK}],
    css=_CSS,
)


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote: the file, its size, and the notes per deck (one card per note)."""

    path: str
    certifications: tuple[str, ...]
    notes: int
    decks: tuple[tuple[str, int], ...]
    bytes: int

    def to_dict(self) -> dict:
        """Plain dict form (JSON-ready)."""
        return {
            "path": self.path,
            "certifications": list(self.certifications),
            "notes": self.notes,
            "cards": self.notes,
            "decks": dict(self.decks),
            "bytes": self.bytes,
        }


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
        raise ExportError("Choose a certification to export some of its domains.")
    placed = _place_items(bank, cert, domains)
    target = _check_target(Path(path))
    if not placed:
        raise NothingToExport("No question items serve that selection: nothing to export.")
    modified = modification_time(now)
    total = len(placed)
    decks = _decks(bank, placed)
    for done, (item, deck_key) in enumerate(placed, 1):
        decks[deck_key].add_note(_note(bank, item))
        if progress and (done % 25 == 0 or done == total):
            progress(done, total)
    _write_package(genanki.Package(list(decks.values())), target, modified)
    counts = tuple((deck.name, len(deck.notes)) for deck in decks.values() if deck.notes)
    codes = tuple(dict.fromkeys(bank.catalog.certification(cert_iri).code for cert_iri, _ in decks))
    return ExportSummary(str(target), codes, total, counts, target.stat().st_size)


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


def _check_target(path: Path) -> Path:
    """The output path, absolute; refuse a folder or a missing parent before doing any work."""
    target = path.expanduser().absolute()
    if target.is_dir():
        raise ExportError(f"{path} is a folder; give a file name such as {path / 'deck.apkg'}.")
    if not target.parent.is_dir():
        raise ExportError(
            f"Cannot write {path}: {target.parent} is not an existing folder.", kind=ErrorKind.UNAVAILABLE
        )
    return target


def _place_items(bank: QuestionBank, cert: str | None, refs: tuple[str, ...]) -> list[tuple[QuestionItem, tuple]]:
    """The items to export, each with the (certification, domain) deck it goes in, in bank order.

    An item serving several domains goes in the first of them (by certification, then domain number).
    """
    certs = [bank.catalog.certification(cert)] if cert else list(bank.catalog)
    chosen = {certs[0].domain(ref).iri for ref in refs}
    domains = [d.iri for c in certs for d in c.domains if not chosen or d.iri in chosen]
    rank = {domain: position for position, domain in enumerate(domains)}
    placed = []
    for item in bank.items:
        served = [d for d in item.domains if d in rank]
        if served:
            first = min(served, key=rank.__getitem__)
            placed.append((item, (bank.catalog.domain(first).cert, first)))
    return placed


def _decks(bank: QuestionBank, placed: list[tuple[QuestionItem, tuple]]) -> dict[tuple, genanki.Deck]:
    """One parent deck per certification and one subdeck per domain, in exam order."""
    catalog = bank.catalog
    keys = sorted(
        {key for _, key in placed},
        key=lambda k: (catalog.certification(k[0]).code, catalog.domain(k[1]).number or 0),
    )
    decks: dict[tuple, genanki.Deck] = {}
    for cert_iri, domain_iri in keys:
        cert = catalog.certification(cert_iri)
        if (cert_iri, None) not in decks:
            about = f"{cert.title}: questions generated by opsprep from its knowledge graph."
            decks[(cert_iri, None)] = genanki.Deck(_stable_id(cert_iri), _cert_deck_name(cert), about)
        name = f"{_cert_deck_name(cert)}::{_domain_title(catalog.domain(domain_iri))}"
        decks[(cert_iri, domain_iri)] = genanki.Deck(_stable_id(cert_iri, domain_iri), name)
    return decks


def _note(bank: QuestionBank, item: QuestionItem) -> genanki.Note:
    """The note of one item: fields are HTML, with every piece of graph text escaped."""
    shown = present(item, PRESENTATION_SEED)
    options = "".join(_option(o.letter, o.text) for o in shown.options)
    answer = "".join(_option(o.letter, o.text) for o in shown.options if o.correct)
    sources = "<br>".join(f'<a href="{escape(url)}">{_text(url)}</a>' for url in shown.sources)
    fields = [_text(shown.stem), options, answer, _text(shown.explanation), sources, _text(item.id)]
    return genanki.Note(model=MODEL, fields=fields, tags=_tags(bank, item), guid=note_guid(item.id))


def _option(letter: str, text: str) -> str:
    return f'<div class="option"><b>{letter}.</b> {_text(text)}</div>'


def note_guid(item_id: str) -> str:
    """The Anki note GUID of an item: a function of the item id only (never change it)."""
    return genanki.guid_for("opsprep", item_id)


def _tags(bank: QuestionBank, item: QuestionItem) -> list[str]:
    """Tags for every certification and domain the item serves, and its question type."""
    certs, domains = {}, []
    for iri in item.domains:
        domain = bank.catalog.domain(iri)
        code = _tag(bank.catalog.certification(domain.cert).code)
        certs[f"opsprep::cert::{code}"] = None
        domains.append(f"opsprep::domain::{code}::{domain.number or 0}_{_tag(domain.title)}")
    return ["opsprep", *sorted(certs), *sorted(domains), f"opsprep::type::{item.type}"]


def _write_package(package: genanki.Package, target: Path, timestamp: int) -> None:
    """Build the collection in memory, write it zipped to a temporary file beside ``target``, move it into place.

    Replaces genanki's ``write_to_file``, which leaves its SQLite file behind in the system temp
    folder and stores the collection uncompressed.
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
        raise ExportError(f"Cannot write {target}: {exc.strerror or exc}.", kind=ErrorKind.UNAVAILABLE) from None
    try:
        with os.fdopen(handle, "wb") as file:
            with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                archive.writestr("collection.anki2", collection)
                archive.writestr("media", "{}")
            file.flush()
            os.fsync(file.fileno())
        os.replace(partial, target)
    except OSError as exc:
        raise ExportError(f"Cannot write {target}: {exc.strerror or exc}.", kind=ErrorKind.UNAVAILABLE) from None
    finally:
        if os.path.exists(partial):
            os.unlink(partial)


def _text(value: str) -> str:
    """Graph text as HTML that shows it literally."""
    return escape(value, quote=False)


def _tag(text: str) -> str:
    """A tag component: no spaces and no ``::`` (Anki's hierarchy separator)."""
    return re.sub(r"[^\w.+-]+", "_", text).strip("_")


def _cert_deck_name(cert: Certification) -> str:
    name = cert.title if cert.code.casefold() in cert.title.casefold() else f"{cert.title} ({cert.code})"
    return name.replace("::", ":")


def _domain_title(domain: ExamDomain) -> str:
    return f"{domain.number or 0}. {domain.title}".replace("::", ":")


def _stable_id(*iris: str) -> int:
    """A deck id derived from graph IRIs, in the range genanki recommends (2**30 to 2**31)."""
    digest = hashlib.sha256("|".join(("opsprep-deck", *iris)).encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)
