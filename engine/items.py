"""The question bank's items as the store sees them, and the scope of a study queue.

The bank lives in memory and is rebuilt from the graph; the store keeps a copy of its item ids and
their exam domains (``items``, ``item_domains``) so that queues and dashboards can be scoped to a
certification or some of its domains in SQL, with indexes. :func:`sync_items` refreshes that copy
when the bank changes (compared by a fingerprint), in one transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from opsprep.questions import QuestionBank

from .store import Store


@dataclass(frozen=True)
class Scope:
    """What a queue covers: one certification and some (by default all) of its exam domains."""

    cert: str
    domains: tuple[str, ...]

    def sql(self, alias: str) -> tuple[str, list[str]]:
        """An SQL condition that the item ``{alias}.item_id`` serves one of the domains, with its parameters."""
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

    Raises ``UnknownCertification`` or ``UnknownDomain``.
    """
    found = bank.catalog.certification(cert)
    wanted = [found.domain(d).iri for d in domains]
    return Scope(found.iri, tuple(dict.fromkeys(wanted)) or found.domain_iris)


def _position(item_id: str) -> int:
    """Where an item stands in the order new items are introduced: a hash, so templates and domains mix."""
    return int.from_bytes(hashlib.sha256(item_id.encode()).digest()[:7], "big")


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
