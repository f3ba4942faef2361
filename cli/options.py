"""Shared CLI plumbing: settings from the root group, loading the graph, printing output."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterable
from typing import Any

import click


class UsageFailure(click.ClickException):
    """A mistake in the command line itself (missing or clashing arguments), reported with exit status 2."""

    exit_code = 2


def pass_settings(func: Callable) -> Callable:
    """Pass the root group's settings dict as the first argument."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return func(click.get_current_context().find_root().obj or {}, *args, **kwargs)

    return wrapper


def settings_graph(settings: dict):
    """The graph the command works on: the shipped one, or the one in ``--data``."""
    from opsprep.graph.store import data_files, default_graph, load_graph

    data_dir = settings.get("data_dir")
    return default_graph() if data_dir is None else load_graph(data_files(data_dir))


def learner_option(func: Callable) -> Callable:
    """Add ``--learner NAME`` (env ``OPSPREP_LEARNER``), passed as ``learner_name``; None (not given) lets
    :func:`opsprep.cli.learners.choose_learner` pick the same learner as the web app."""
    return click.option(
        "--learner",
        "learner_name",
        envvar="OPSPREP_LEARNER",
        help="Who is studying (env: OPSPREP_LEARNER). Default: the web app's account (you choose when there "
        "are several), else your login name.",
    )(func)


def json_option(func: Callable) -> Callable:
    """Add ``--json`` (print machine-readable JSON instead of a table)."""
    return click.option("--json", "as_json", is_flag=True, help="Output JSON.")(func)


def print_json(data: Any) -> None:
    """Print data as indented JSON; control and text-reordering characters as ``\\uNNNN`` escapes (still the
    same JSON), so a terminal shows them as text."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    click.echo(_CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text))


#: C0 and C1 control characters (ESC among them), DEL, and Unicode format characters that reorder text
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Text as a terminal may show it: control characters (escape sequences, NUL, bidi overrides) become
    ``\\xNN``/``\\uNNNN``, so what learners typed cannot move the cursor, recolour or rewrite the screen."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def _cells(row: Iterable[Any]) -> list[str]:
    return ["" if c is None else printable(str(c)) for c in row]


def print_rows(header: list[str], rows: list[list[Any]], fmt: str = "table") -> None:
    """Print rows as an aligned table (default), CSV or JSON objects."""
    from opsprep.graph.tables import format_table, write_csv

    text_rows = [_cells(row) for row in rows]
    if fmt == "csv":
        click.echo(write_csv(header, text_rows), nl=False)
    elif fmt == "json":
        print_json([dict(zip(header, row, strict=True)) for row in rows])
    else:
        click.echo(format_table(header, text_rows), nl=False)


def print_pairs(pairs: Iterable[tuple[str, Any]]) -> None:
    """Print (name, value) pairs as two aligned columns, without a header."""
    from opsprep.graph.tables import format_table

    table = format_table(["", ""], [_cells(pair) for pair in pairs])
    click.echo(table.split("\n", 2)[2], nl=False)  # drop the (empty) header and its rule


def notify(notices: Iterable[str]) -> None:
    """Print notices from the library (data moved, left behind) on stderr, so that JSON output stays clean."""
    for notice in notices:
        click.echo(notice, err=True)
