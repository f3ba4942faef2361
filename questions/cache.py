"""The question bank, built once per graph and kept on disk, so a new process does not rebuild it.

Generating the items is the slow part of starting up (about two seconds for the shipped graph);
reading the graph's facts again is quick. :func:`cached_bank` keys the items by a fingerprint of the
Turtle files the graph was loaded from, the generator's own source code and the package version,
so any change to the data or to the templates builds a fresh bank. Entries are JSON written whole
(a temporary file moved into place), so a reader never sees half of one; an entry that cannot be
read is ignored and rebuilt, never an error.

The folder is ``$OPSPREP_CACHE``, else the user's cache directory (``platformdirs``); the cache holds
nothing that cannot be rebuilt, so deleting it is always safe.

>>> import tempfile
>>> from opsprep.graph.store import data_files, default_graph
>>> cache = BankCache(tempfile.mkdtemp())
>>> first = cached_bank(default_graph(), data_files(), cache=cache)    # builds and stores
>>> again = cached_bank(default_graph(), data_files(), cache=cache)    # reads the stored items
>>> again.fingerprint == first.fingerprint, len(cache.entries())
(True, 1)
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

import platformdirs
from rdflib import Graph

from .bank import QuestionBank, build_bank
from .facts import read_facts
from .model import QuestionItem

#: bump when the entry format changes (older entries are then ignored)
FORMAT = 1
#: how many entries a cache keeps; saving a new one removes the oldest beyond these
KEEP = 4
_SOURCES = Path(__file__).resolve().parent
#: the code whose changes make a new bank: the generator, and the graph layer that loads what it reads
_CODE = (_SOURCES, _SOURCES.parent / "graph")


def cache_folder(environ: dict[str, str] | None = None) -> Path:
    """``$OPSPREP_CACHE``, else the user's cache directory for opsprep."""
    environ = os.environ if environ is None else environ
    if environ.get("OPSPREP_CACHE"):
        return Path(environ["OPSPREP_CACHE"]).expanduser()
    return Path(platformdirs.user_cache_dir("opsprep", appauthor=False))


def generator_fingerprint() -> str:
    """A hash of the generator's and the graph layer's source files: a change to any template, rule or
    loading step is a new bank."""
    digest = hashlib.sha256(f"format {FORMAT}".encode())
    for folder in _CODE:
        for path in sorted(folder.glob("*.py")):
            digest.update(folder.name.encode() + b"/" + path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def graph_key(files: Iterable[Path | str]) -> str:
    """The cache key of a graph loaded from ``files``: their contents, in order, and the generator's code."""
    digest = hashlib.sha256(generator_fingerprint().encode())
    for path in files:
        digest.update(Path(path).read_bytes() + b"\0")
    return digest.hexdigest()[:32]


class BankCache:
    """A folder of question-bank entries, one JSON file per graph key."""

    def __init__(self, folder: str | os.PathLike | None = None) -> None:
        self.folder = Path(folder) if folder is not None else cache_folder()

    def path(self, key: str) -> Path:
        """The file of one entry."""
        return self.folder / f"bank-{key}.json"

    def entries(self) -> list[Path]:
        """The entries stored now."""
        return sorted(self.folder.glob("bank-*.json")) if self.folder.is_dir() else []

    def prune(self, keep: str = "") -> None:
        """Remove all but the :data:`KEEP` newest entries (never the entry ``keep``); errors are ignored."""
        try:
            entries = sorted(self.entries(), key=lambda p: p.stat().st_mtime, reverse=True)
        except OSError:
            return
        for path in entries[KEEP:]:  # a file another process removed first is no matter
            if path != self.path(keep):
                with contextlib.suppress(OSError):
                    path.unlink()

    def load(self, key: str) -> list[QuestionItem] | None:
        """The items stored under ``key``, or None when there is no usable entry."""
        try:
            data = json.loads(self.path(key).read_text(encoding="utf-8"))
            if data.get("format") != FORMAT or data.get("key") != key:
                return None
            return [QuestionItem.from_dict(item) for item in data["items"]]
        except (OSError, ValueError, KeyError, TypeError):
            return None  # missing, damaged or of another version: rebuild

    def save(self, key: str, items: Iterable[QuestionItem]) -> bool:
        """Store the items under ``key``; False (and nothing left behind) when the folder cannot be written."""
        text = json.dumps({"format": FORMAT, "key": key, "items": [item.to_dict() for item in items]})
        partial = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, partial = tempfile.mkstemp(prefix=".bank-", suffix=".part", dir=self.folder)
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(text)
            os.replace(partial, self.path(key))
            self.prune(keep=key)
            return True
        except OSError:
            return False
        finally:
            if partial is not None and os.path.exists(partial):
                os.unlink(partial)


def cached_bank(graph: Graph, files: Iterable[Path | str], *, cache: BankCache | None = None) -> QuestionBank:
    """The question bank of ``graph``, loaded from ``files``: from the cache when it has it, else built and stored.

    ``files`` must be the Turtle files ``graph`` was loaded from (they make the key). The result is
    the same bank :func:`~opsprep.questions.build_bank` builds.
    """
    cache = cache if cache is not None else BankCache()
    key = graph_key(files)
    facts = read_facts(graph)
    items = cache.load(key)
    if items is not None:
        return QuestionBank(facts, items)
    bank = build_bank(facts)
    cache.save(key, bank.items)
    return bank
