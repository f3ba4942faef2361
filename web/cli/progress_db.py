"""The ``--db`` option shared by commands that read or write learners' progress."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click


def default_db_path() -> Path:
    """Where progress is kept unless ``--db`` says otherwise: the web app's database,
    ``progress.db`` in its instance folder (see :func:`opsprep.web.app.default_instance_path`), so the
    terminal and the browser share one progress store.
    """
    from opsprep.web.app import default_instance_path

    return Path(default_instance_path()) / "progress.db"


def resolve_db_path(db_path: Path | None) -> Path:
    """The ``--db`` value, or the default (its folder made if missing)."""
    if db_path is not None:
        return db_path
    path = default_db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def progress_db_option(func: Callable) -> Callable:
    """Add ``--db PATH`` (env ``OPSPREP_DATABASE``), passed as ``db_path`` (None: the default)."""
    return click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False, path_type=Path),
        envvar=["OPSPREP_DATABASE", "OPSPREP_DB"],
        help="Progress database (env: OPSPREP_DATABASE). Default: progress.db in the web app's instance folder.",
    )(func)
