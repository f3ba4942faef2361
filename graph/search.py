"""Find the graph's things by name: a full-text index (SQLite FTS5) of their labels and definitions.

Every entry it is given (the graph browser's things, see :func:`opsprep.graph.browse.search`) is one
row: its label, its alternative and former names and its definition. The ``unicode61`` tokenizer
folds case and diacritics and splits on everything that is not a letter or a digit, so "blue green",
"Blue/Green" and "blue-green" find "blue/green deployment"; a query word ending in "s" or "es" also
matches without that ending ("deployments" finds "deployment"). Each word of a query matches words
that start with it ("kube" finds kubectl and Kubernetes), and every word must match. Results come
ranked: a name equal to the query first, then names that start with it (shorter names first), then
by BM25 (a word in a label weighs more than one in an alternative name, which weighs more than one
in a definition).
"""

from __future__ import annotations

import re
import sqlite3
import threading
import unicodedata
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rdflib import Graph

#: BM25 weights of the columns: label, alternative labels, definition
WEIGHTS = (10.0, 6.0, 1.0)
#: matches ranked in Python after the index's first cut
_CANDIDATES = 500
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Entry:
    """One thing as the index holds it: what is searched (its names and definition) and what is shown."""

    iri: str
    label: str
    kind: str = ""
    alt_names: tuple[str, ...] = ()
    definition: str = ""


def words(text: str) -> list[str]:
    """The words of a text as the index sees them: case-folded, without diacritics, split on anything
    that is not a letter or a digit."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _WORD.findall(plain)


class SearchIndex:
    """An in-memory FTS5 index of the names and definitions of some things."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        """Index the entries: their labels, alternative and former names and definitions."""
        self._lock = threading.Lock()
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute(
            "CREATE VIRTUAL TABLE things USING fts5(label, alt, definition, iri UNINDEXED,"
            " tokenize = 'unicode61 remove_diacritics 2')"
        )
        self._entries = {entry.iri: entry for entry in entries}
        self._names = {e.iri: [words(name) for name in (e.label, *e.alt_names) if name] for e in self._entries.values()}
        rows = ((e.label, " ; ".join(e.alt_names), e.definition, e.iri) for e in self._entries.values())
        self._db.executemany("INSERT INTO things (label, alt, definition, iri) VALUES (?, ?, ?, ?)", rows)

    def search(self, text: str, limit: int = 100) -> list[Entry]:
        """The entries that match ``text``, best first (at most ``limit``): a name equal to it, then names
        that start with it (the shorter first), then by BM25."""
        query = words(text)
        if not query:
            return []
        terms = ["(" + " OR ".join(f'"{form}"*' for form in _forms(word)) + ")" for word in query]
        found = self._match(" AND ".join(terms))
        ranked = sorted(found, key=lambda hit: (*self._closeness(hit[0], query), hit[1]))
        return [self._entries[iri] for iri, _ in ranked[:limit]]

    def _match(self, expression: str) -> list[tuple[str, float]]:
        sql = "SELECT iri, bm25(things, ?, ?, ?) AS score FROM things WHERE things MATCH ? ORDER BY score LIMIT ?"
        with self._lock:
            return self._db.execute(sql, (*WEIGHTS, expression, _CANDIDATES)).fetchall()

    def _closeness(self, iri: str, query: list[str]) -> tuple[int, int]:
        """(0, 0) when a name of the thing is the query; (1, length of the shortest such name) when one starts
        with it, word by word (each word of the query the start of a word of the name); else (2, 0)."""
        names = self._names.get(iri, ())
        forms = [_forms(word) for word in query]
        if any(len(name) == len(query) and all(map(list.__contains__, forms, name)) for name in names):
            return 0, 0
        starts = [
            " ".join(name)
            for name in names
            if len(name) >= len(query)
            and all(any(part.startswith(form) for form in options) for part, options in zip(name, forms, strict=False))
        ]
        return (1, min(map(len, starts))) if starts else (2, 0)


def _forms(word: str) -> list[str]:
    """A query word, and the word less a plural ending ("s", "es") when enough of it is left."""
    forms = [word]
    for ending in ("s", "es"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            forms.append(word[: -len(ending)])
    return forms


_indexes: dict[int, tuple[weakref.ref, SearchIndex]] = {}  # by id() of the graph (graphs compare by identifier)
_indexes_lock = threading.Lock()


def search_index(graph: Graph, entries: Callable[[], Iterable[Entry]]) -> SearchIndex:
    """The index of a graph, built on first use from ``entries()`` and kept as long as the graph lives
    (graphs are read-only once loaded)."""
    key = id(graph)
    with _indexes_lock:
        entry = _indexes.get(key)
        if entry is not None and entry[0]() is graph:
            return entry[1]
        index = SearchIndex(entries())
        _indexes[key] = (weakref.ref(graph, lambda _: _indexes.pop(key, None)), index)
        return index
