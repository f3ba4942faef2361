"""The progress of a request: a :class:`~opsprep.engine.Progress` opened on first use, closed when the
request ends.

``DATABASE`` in the app config names the SQLite file (default ``<instance>/progress.db``). Each
request opens its own connection, which is what lets SQLite's WAL mode run readers beside the writer;
the store's copy of the question bank's items is checked against the bank's fingerprint (one
small query) and rewritten only when the bank changed.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, g

from opsprep.engine import LearnerProgress, Progress

from .resources import get_bank


def init_app(app: Flask) -> None:
    """Default ``DATABASE`` to the instance folder, and close each request's store when it ends."""
    if not app.config.get("DATABASE"):
        app.config["DATABASE"] = str(Path(app.instance_path) / "progress.db")
    app.teardown_appcontext(close_progress)


def get_progress() -> Progress:
    """The :class:`Progress` of this request (one connection, opened on first use)."""
    if "opsprep_progress" not in g:
        g.opsprep_progress = Progress.open(current_app.config["DATABASE"], get_bank())
    return g.opsprep_progress


def learner_progress(learner_id: int) -> LearnerProgress:
    """One learner's verbs, on this request's progress."""
    return get_progress().learner(learner_id)


def close_progress(_exc: BaseException | None = None) -> None:
    """Close the request's store, if it opened one."""
    progress = g.pop("opsprep_progress", None)
    if progress is not None:
        progress.close()
