"""The ``--db`` option shared by commands that read or write learners' progress, and where it points."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from opsprep.engine.instance import resolve_instance

from .options import notify


def default_db_path() -> Path:
    """Where progress is kept unless ``--db`` says otherwise: ``progress.db`` in the instance folder
    (:func:`opsprep.engine.instance.resolve_instance`), the same file the web app uses, so the terminal
    and the browser share one progress store.
    """
    return resolve_instance(create=False).database


def resolve_db_path(db_path: Path | None) -> Path:
    """The ``--db`` value, or the instance folder's database (the folder made if missing).

    Finding the instance folder may move data from where earlier versions kept it; the notices that
    say so go to stderr.
    """
    if db_path is not None:
        return db_path
    instance = resolve_instance()
    notify(instance.notices())
    return instance.database


def progress_db_option(func: Callable) -> Callable:
    """Add ``--db PATH`` (env ``OPSPREP_DATABASE``), passed as ``db_path`` (None: the default)."""
    return click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False, path_type=Path),
        envvar=["OPSPREP_DATABASE", "OPSPREP_DB"],
        help="Progress database (env: OPSPREP_DATABASE). Default: progress.db in the instance folder "
        "(`opsprep info` shows where).",
    )(func)
