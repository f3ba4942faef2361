"""The question bank's items as the store sees them, and the scope of a study queue.

The bank lives in memory and is rebuilt from the graph; the store keeps a copy of its item ids and
their exam domains (``items``, ``item_domains``) so that queues and dashboards can be scoped to a
certification or some of its domains in SQL, with indexes. :func:`sync_items` refreshes that copy
when the bank changes (compared by a fingerprint), in one transaction.

What depends on the bank and a scope alone (the scope's items in the order new ones are introduced,
how many there are) is worked out once per bank and scope (:func:`scope_items`), not per query.
"""

from __future__ import annotations

import hashlib
import threading
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field

from opsprep.questions import QuestionBank, QuestionItem

from .store import Store

#: scopes remembered per bank, by the names they were asked for
MAX_SCOPES = 256


@dataclass(frozen=True)
class Scope:
    """What a queue covers: one certification and some (by default all) of its exam domains."""

    cert: str
    domains: tuple[str, ...]
    whole: bool = field(default=False, compare=False)  # every domain of the certification

    def sql(self, alias: str) -> tuple[str, list[str]]:
        """An SQL condition that the item ``{alias}.item_id`` serves one of the domains, with its parameters."""
        if self.whole:  # one index probe per item instead of one per domain
            return (
                f"EXISTS (SELECT 1 FROM item_domains d WHERE d.item_id = {alias}.item_id AND d.cert = ?)",
                [self.cert],
            )
        marks = ", ".join("?" * len(self.domains))
        return (
            f"EXISTS (SELECT 1 FROM item_domains d WHERE d.item_id = {alias}.item_id AND d.domain IN ({marks}))",
            list(self.domains),
        )

    def to_dict(self) -> dict:
        """JSON-ready dict."""
        return {"cert": self.cert, "domains": list(self.domains)}


def resolve_scope(bank: QuestionBank, cert: str, domains: Iterable[str] = ()) -> Scope:
    """The scope for a certification (exam code or IRI) and domains (numbers, labels or IRIs).

    Raises ``UnknownCertification`` or ``UnknownDomain``. Each scope is worked out once per bank.
    """
    key = (cert, tuple(domains))
    scopes = _cache_of(bank).setdefault("scopes", {})
    scope = scopes.get(key)
    if scope is None:
        found = bank.catalog.certification(cert)
        wanted = tuple(dict.fromkeys(found.domain(d).iri for d in key[1])) or found.domain_iris
        scope = Scope(found.iri, wanted, whole=set(wanted) == set(found.domain_iris))
        if len(scopes) >= MAX_SCOPES:  # the ways of naming scopes are many (any case): keep the cache small
            scopes.clear()
        scopes[key] = scope
    return scope


def _position(item_id: str) -> int:
    """Where an item stands in the order new items are introduced: a hash, so templates and domains mix."""
    return int.from_bytes(hashlib.sha256(item_id.encode()).digest()[:7], "big")


_caches: dict[int, tuple[weakref.ref, dict]] = {}
_caches_lock = threading.Lock()


def _cache_of(bank: QuestionBank) -> dict:
    """A dict that lives as long as ``bank`` does, for what is worked out from it once."""
    with _caches_lock:
        entry = _caches.get(id(bank))
        if entry is None or entry[0]() is not bank:
            key = id(bank)
            entry = _caches[key] = (weakref.ref(bank, lambda _ref: _caches.pop(key, None)), {})
        return entry[1]


def scope_items(bank: QuestionBank, scope: Scope) -> tuple[QuestionItem, ...]:
    """The bank's items in a scope, in the mixed order new items are introduced (worked out once per bank and scope)."""
    cache = _cache_of(bank)
    key = ("items", scope.cert, frozenset(scope.domains))
    found = cache.get(key)
    if found is None:
        wanted = set(scope.domains)
        found = cache[key] = tuple(
            sorted((item for item in bank.items if wanted.intersection(item.domains)), key=lambda i: _position(i.id))
        )
    return found


def scope_traits(bank: QuestionBank, scope: Scope) -> tuple[tuple[str, str, str], ...]:
    """(item id, family, template) of each of the scope's items, in :func:`scope_items` order (worked out once
    per bank and scope: choosing a new card weighs hundreds of them)."""
    cache = _cache_of(bank)
    key = ("traits", scope.cert, frozenset(scope.domains))
    found = cache.get(key)
    if found is None:
        found = cache[key] = tuple((item.id, item.family, item.template) for item in scope_items(bank, scope))
    return found


def scope_families(bank: QuestionBank, scope: Scope) -> frozenset[str]:
    """The template families of the scope's items (worked out once per bank and scope)."""
    cache = _cache_of(bank)
    key = ("families", scope.cert, frozenset(scope.domains))
    found = cache.get(key)
    if found is None:
        found = cache[key] = frozenset(item.family for item in scope_items(bank, scope))
    return found


def item_families(bank: QuestionBank) -> tuple[str, ...]:
    """The template families of the bank's items, sorted (worked out once per bank)."""
    cache = _cache_of(bank)
    found = cache.get("families")
    if found is None:
        found = cache["families"] = tuple(sorted({item.family for item in bank.items}))
    return found


def item_texts(bank: QuestionBank) -> dict[str, str]:
    """Each item's question and option texts, case-folded, by item id, for searching (worked out once per bank)."""
    cache = _cache_of(bank)
    found = cache.get("texts")
    if found is None:
        found = cache["texts"] = {
            item.id: " ".join([item.stem, *(c.text for c in (*item.answers, *item.distractors))]).casefold()
            for item in bank.items
        }
    return found


def sync_items(store: Store, bank: QuestionBank) -> bool:
    """Make the store's copy of the bank's items match ``bank``; True when it had to be rewritten."""
    if store.bank_token is bank:
        return False
    fingerprint = bank.fingerprint
    changed = False
    if store.scalar("SELECT value FROM meta WHERE key = 'bank'") != fingerprint:
        with store.transaction() as db:
            if db.execute("SELECT value FROM meta WHERE key = 'bank'").fetchone() != (fingerprint,):
                catalog = bank.catalog
                db.execute("DELETE FROM item_domains")
                db.execute("DELETE FROM items")
                db.conn.executemany(
                    "INSERT INTO items (item_id, position) VALUES (?, ?)",
                    [(item.id, _position(item.id)) for item in bank.items],
                )
                db.conn.executemany(
                    "INSERT OR IGNORE INTO item_domains (item_id, domain, cert) VALUES (?, ?, ?)",
                    [(item.id, d, catalog.domain(d).cert) for item in bank.items for d in item.domains],
                )
                db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('bank', ?)", [fingerprint])
                changed = True
    store.bank_token = bank
    return changed
