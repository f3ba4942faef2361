"""The test suite leaves no trace in the source tree: no instance folder, no screenshots, no databases.

An audit hook (``sys.addaudithook``), installed when this module is collected and so before the first test
runs, notes every write into the checkout made in the test process, with the test that made it: files
opened for writing, folders made, files renamed or removed, SQLite databases opened. Only the caches of
Python, pytest and Hypothesis (git-ignored) are allowed. ``test_no_test_writes_into_the_checkout`` fails on
what the tests before it wrote, and its session-scoped fixture fails the run at the end (an error at the
teardown of the last test) on what the tests after it wrote. Programs that tests start (pip, Chromium)
are not watched.
"""

from __future__ import annotations

import os
import re
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from opsprep.web.app import create_app
from tests.web_helpers import MINI_GRAPH_FILES, AuthActions, make_app

ROOT = Path(__file__).resolve().parent.parent
#: folders whose contents are caches, git-ignored: Python's bytecode, pytest's and Hypothesis' caches
TOOL_CACHES = frozenset({"__pycache__", ".pytest_cache"})
#: audit events that change files: the positions of their path arguments, each with its ``dir_fd`` argument's
#: (a path relative to a ``dir_fd`` is inside a folder opened before, as in ``shutil.rmtree``, which is watched)
PATH_EVENTS = {
    "os.mkdir": ((0, 2),),
    "os.remove": ((0, 1),),
    "os.rmdir": ((0, 1),),
    "os.truncate": ((0, None),),
    "os.rename": ((0, 2), (1, 3)),
    "os.replace": ((0, 2), (1, 3)),
    "os.link": ((1, 3),),
    "os.symlink": ((1, 2),),
    "shutil.copyfile": ((1, None),),
    "shutil.copytree": ((1, None),),
    "shutil.move": ((0, None), (1, None)),
    "shutil.rmtree": ((0, None),),
    "sqlite3.connect": ((0, None),),
}
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC


class WriteLog:
    """The writes into the checkout seen by the audit hook: (test, event, path)."""

    def __init__(self, root: Path) -> None:
        self.root = str(root) + os.sep
        self.writes: list[tuple[str, str, str]] = []
        self._busy = threading.local()

    def audit(self, event: str, args: tuple) -> None:
        if event == "open":
            if not (isinstance(args[2], int) and args[2] & WRITE_FLAGS):  # (path, mode, flags): a read
                return
        elif event not in PATH_EVENTS:
            return
        if getattr(self._busy, "on", False):
            return
        self._busy.on = True
        try:
            for path in self._paths(event, args):
                self._note(event, path)
        except Exception:  # an audit hook must never break the operation it watches
            pass
        finally:
            self._busy.on = False

    @staticmethod
    def _paths(event: str, args: tuple) -> list:
        if event == "open":
            return [args[0]]
        return [
            args[at]
            for at, dir_fd in PATH_EVENTS[event]
            if dir_fd is None or args[dir_fd] in (None, -1) or os.path.isabs(args[at])
        ]

    def _note(self, event: str, path: object) -> None:
        if isinstance(path, int) or path is None:  # a file descriptor: its path was seen when it was opened
            return
        name = os.fsdecode(path)
        if event == "sqlite3.connect":
            if name in ("", ":memory:") or "mode=memory" in name:  # no file, or a temporary one
                return
            name = name.removeprefix("file:").split("?", 1)[0]
        name = os.path.abspath(name)
        if not name.startswith(self.root) or TOOL_CACHES.intersection(Path(name).parts):
            return
        if Path(name).relative_to(self.root).parts[0] == ".venv":  # the environment, not the source
            return
        test = os.environ.get("PYTEST_CURRENT_TEST", "(outside a test)").rsplit(" ", 1)[0]
        self.writes.append((test, event, name))

    def report(self, writes: list[tuple[str, str, str]]) -> str:
        lines = [f"{test}: {event} {Path(path).relative_to(self.root)}" for test, event, path in writes[:20]]
        more = f"\n... and {len(writes) - 20} more" if len(writes) > 20 else ""
        return "tests wrote into the source tree (write under tmp_path instead):\n" + "\n".join(lines) + more


WRITES = WriteLog(ROOT)
sys.addaudithook(WRITES.audit)


@pytest.fixture(scope="session")
def checked_again_at_the_end() -> Iterator[dict[str, int]]:
    """Fails the session at its end if the tests wrote into the checkout after ``checked["upto"]`` writes."""
    checked = {"upto": 0}
    yield checked
    later = WRITES.writes[checked["upto"] :]
    assert not later, WRITES.report(later)


def test_no_test_writes_into_the_checkout(checked_again_at_the_end):
    checked_again_at_the_end["upto"] = len(WRITES.writes)
    assert not WRITES.writes, WRITES.report(WRITES.writes)


def test_a_write_into_the_checkout_is_seen(tmp_path):
    start = len(WRITES.writes)
    probe = ROOT / "no-such-folder" / "probe.txt"  # the audit event comes first, then the open fails
    with pytest.raises(FileNotFoundError):
        probe.write_text("x")
    try:
        assert (probe.name, "open") in [(Path(p).name, e) for _, e, p in WRITES.writes[start:]]
    finally:
        del WRITES.writes[start:]
    (tmp_path / "elsewhere.txt").write_text("x")
    assert len(WRITES.writes) == start


def test_apps_as_the_tests_build_them_write_nothing_into_the_checkout(tmp_path, monkeypatch):
    had_instance = (ROOT / "instance").exists()  # a developer's own, from `opsprep serve`
    start = len(WRITES.writes)
    helper_app = make_app(tmp_path / "helper")  # tests/web_helpers.py, behind the `app` fixture
    monkeypatch.setenv("OPSPREP_INSTANCE", str(tmp_path / "instance"))
    bare_app = create_app({"TESTING": True, "GRAPH_FILES": [str(f) for f in MINI_GRAPH_FILES]})
    for app in (helper_app, bare_app):
        client = app.test_client()
        AuthActions(client).register("ada")
        assert client.get("/").status_code == 200
    assert not WRITES.writes[start:], WRITES.report(WRITES.writes[start:])
    assert (ROOT / "instance").exists() == had_instance


def test_no_test_saves_screenshots_into_the_checkout():
    """The README's screenshots come from docs/screenshots.py; a test may screenshot into tmp_path only."""
    for source in sorted(ROOT.joinpath("tests").rglob("*.py")):
        if source == Path(__file__):
            continue
        text = source.read_text(encoding="utf-8")
        assert not re.search(r"""docs/screenshots/|["']screenshots["']""", text), f"{source} names docs/screenshots"
        for line in text.splitlines():
            assert ".screenshot(" not in line or "tmp_path" in line, f"{source}: {line.strip()}"
