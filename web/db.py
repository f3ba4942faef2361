"""The progress store of a request: opened on first use, closed when the request ends.

``DATABASE`` in the app config names the SQLite file (default ``<instance>/progress.db``). Each
request opens its own connection, which is what lets SQLite's WAL mode run readers beside the writer.
"""

from __future__ import annotations

import threading
from pathlib import Path

from flask import Flask, current_app, g, render_template

from opsprep.engine import Store, StoreError, open_store
from opsprep.engine.items import bank_fingerprint, sync_items

from .resources import get_bank

_lock = threading.Lock()


def init_app(app: Flask) -> None:
    """Default ``DATABASE`` to the instance folder, and close each request's store when it ends."""
    if not app.config.get("DATABASE"):
        app.config["DATABASE"] = str(Path(app.instance_path) / "progress.db")
    app.teardown_appcontext(close_store)
    app.register_error_handler(StoreError, _store_failed)


def _store_failed(error: StoreError):
    """The progress database cannot be used (locked past the timeout, missing folder, damaged): 503, and why."""
    current_app.logger.error("progress store failed: %s", error)
    return render_template("home/unavailable.html", reason=str(error)), 503


def get_store() -> Store:
    """The engine ``Store`` of this request (one connection, opened on first use)."""
    if "opsprep_store" not in g:
        g.opsprep_store = open_store(current_app.config["DATABASE"])
    return g.opsprep_store


def get_synced_store() -> Store:
    """:func:`get_store`, with the store's copy of the question bank's items known to match the app's bank.

    The engine checks that copy on a store's first use by hashing the whole bank (milliseconds on the
    shipped graph); a web request opens a new store each time, so the app keeps the hash and compares
    it with the one stored instead, and syncs only when they differ.
    """
    store = get_store()
    bank = get_bank()
    if store.bank_token is not bank:
        app = current_app._get_current_object()
        with _lock:
            fingerprint = app.extensions.get("opsprep.bank_fingerprint")
            if fingerprint is None or fingerprint[0] is not bank:
                fingerprint = app.extensions["opsprep.bank_fingerprint"] = (bank, bank_fingerprint(bank))
        if store.scalar("SELECT value FROM meta WHERE key = 'bank'") == fingerprint[1]:
            store.bank_token = bank
        else:
            sync_items(store, bank)
    return store


def close_store(_exc: BaseException | None = None) -> None:
    """Close the request's store, if it opened one."""
    store = g.pop("opsprep_store", None)
    if store is not None:
        store.close()
