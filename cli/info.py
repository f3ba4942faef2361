"""``opsprep info``: where opsprep keeps its data, how big the graph is, and the versions in use."""

from __future__ import annotations

import os
import platform
import sqlite3
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import click

from opsprep.engine.instance import resolve_instance
from opsprep.graph import data_files
from opsprep.graph.store import DATA_DIR
from opsprep.questions import BankCache
from opsprep.questions.cache import cache_folder

from .options import json_option, notify, pass_settings, print_json, print_pairs, settings_graph
from .progress_db import progress_db_option

#: distributions whose versions are shown, read from their metadata (Flask is never imported here)
DISTRIBUTIONS = ("opsprep", "rdflib", "oxrdflib", "pyshacl", "fsrs", "sqlite-utils", "click", "flask")
#: why the instance folder is where it is, per :attr:`opsprep.engine.instance.Instance.source`
SOURCES = {
    "environment": "set by $OPSPREP_INSTANCE",
    "checkout": "a source checkout",
    "user data": "the user data directory",
}


@click.command("info")
@progress_db_option
@json_option
@pass_settings
def info_command(settings: dict, db_path: Path | None, as_json: bool) -> None:
    """Show where data is kept, the size of the graph and the versions in use.

    The instance folder holds the progress database shared by `opsprep study` and the web app, the
    web app's secret key and its optional config.py. Question items are not counted here (building
    the bank takes seconds): `opsprep questions stats` counts them.

    \b
    Example:
        opsprep info
        opsprep --data ./my-graph info --json
    """
    data = info(settings.get("data_dir"), db_path)
    notify(data["instance"]["notices"])
    if as_json:
        print_json(data)
        return
    instance, graph = data["instance"], data["graph"]
    print_pairs(
        [
            ("instance folder", f"{instance['path']} ({instance['reason']})"),
            ("progress database", _file(data["database"])),
            ("secret key", _file(data["secret_key"])),
            ("web app config", _file(data["config"], absent="none")),
            ("graph data", f"{graph['data']} ({graph['turtle_files']} Turtle files, with the ontology)"),
            ("graph size", f"{graph['triples']:,} triples"),
            ("question-bank cache", f"{data['bank_cache']['path']} ({data['bank_cache']['entries']} entries)"),
        ]
    )
    click.echo()
    print_pairs(data["versions"].items())


def info(data_dir: str | None = None, db_path: Path | None = None, environ: dict[str, str] | None = None) -> dict:
    """What ``opsprep info`` shows, as a JSON-ready dict; loads the graph (to count its triples)."""
    environ = os.environ if environ is None else environ
    instance = resolve_instance(environ, create=False)
    database = db_path if db_path is not None else instance.database
    secret = instance.secret_key
    files = data_files(data_dir)
    cache = BankCache(cache_folder(environ))
    return {
        "instance": {
            "path": str(instance.path),
            "source": instance.source,
            "reason": SOURCES.get(instance.source, instance.source),
            "notices": instance.notices(),
        },
        "database": _describe(database, "set by --db or $OPSPREP_DATABASE" if db_path is not None else None),
        "secret_key": _describe(secret, "set by $OPSPREP_SECRET_KEY" if environ.get("OPSPREP_SECRET_KEY") else None),
        "config": _describe(instance.config_file),
        "graph": {
            "data": str(Path(data_dir).resolve() if data_dir is not None else DATA_DIR),
            "shipped": data_dir is None,
            "turtle_files": len(files),
            "triples": len(settings_graph({"data_dir": data_dir})),
        },
        "bank_cache": {
            "path": str(cache.folder),
            "entries": len(cache.entries()),
            "note": "safe to delete: the question bank is rebuilt when missing",
        },
        "versions": versions(),
    }


def versions() -> dict[str, str]:
    """Versions of Python, SQLite and the distributions opsprep runs on ("not installed" when missing)."""
    found = {"Python": platform.python_version(), "SQLite": sqlite3.sqlite_version}
    for name in DISTRIBUTIONS:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


def _describe(path: Path, note: str | None = None) -> dict:
    return {"path": str(path), "exists": path.is_file(), "note": note}


def _file(entry: dict, absent: str = "not made yet") -> str:
    state = "exists" if entry["exists"] else absent
    return f"{entry['path']} ({', '.join(filter(None, [state, entry['note']]))})"
