"""The progress of a request: a :class:`~opsprep.engine.Progress` opened on first use, handed back when
the request ends.

``DATABASE`` in the app config names the SQLite file (default ``<instance>/progress.db``). Each
request has its own connection, which is what lets SQLite's WAL mode run readers beside the writer;
a connection the previous request left idle is used again when nothing changed the file since
(:func:`opsprep.engine.store.reuse_store`), so a request seldom pays for connecting, reading the
schema and preparing its statements. The store's copy of the question bank's items is checked against
the bank's fingerprint (one small query, none on a connection that checked it already) and rewritten
only when the bank changed.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, g

from opsprep.engine import LearnerProgress, Progress
from opsprep.engine.store import release_store, reuse_store

from .resources import get_bank


def init_app(app: Flask) -> None:
    """Default ``DATABASE`` to the instance folder, and hand back each request's store when it ends."""
    if not app.config.get("DATABASE"):
        app.config["DATABASE"] = str(Path(app.instance_path) / "progress.db")
    app.teardown_appcontext(close_progress)


def get_progress() -> Progress:
    """The :class:`Progress` of this request (one connection, taken on first use)."""
    progress = g.get("opsprep_progress")
    if progress is None:
        store = reuse_store(current_app.config["DATABASE"])
        try:
            progress = g.opsprep_progress = Progress(store, get_bank())
        except BaseException:
            store.close()
            raise
    return progress


def learner_progress(learner_id: int) -> LearnerProgress:
    """One learner's verbs, on this request's progress."""
    return get_progress().learner(learner_id)


def close_progress(exc: BaseException | None = None) -> None:
    """Hand back the request's store, if it took one (closed instead when the request failed)."""
    progress = g.pop("opsprep_progress", None)
    if progress is None:
        return
    if exc is None:
        release_store(progress.store)
    else:
        progress.close()
