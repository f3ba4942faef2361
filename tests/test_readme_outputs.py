"""The README's example outputs are real runs (cog, see docs/readme_examples.py), and none is stale."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_readme_examples_are_what_the_commands_print():
    result = subprocess.run(
        [sys.executable, "-m", "cogapp", "--check", "-I", "docs", "README.md"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, (
        "README.md's example outputs are stale; refresh them with `cog -r -I docs README.md`.\n"
        + result.stdout
        + result.stderr
    )


def test_the_check_sees_a_stale_block(tmp_path):
    """The check is not vacuous: a block whose output differs from the run fails it."""
    text = (ROOT / "README.md").read_text()
    start = text.rindex("<!-- [[[cog", 0, text.index('run("opsprep graph stats --json"'))
    end = text.index("<!-- [[[end]]] -->", start) + len("<!-- [[[end]]] -->")
    block = text[start:end]  # one quick example on its own: one run is enough to see the check fail
    assert '"classes": {' in block
    stale = block.replace('"classes": {', '"classez": {', 1)
    (tmp_path / "README.md").write_text(stale)
    fresh = tmp_path / "fresh" / "README.md"
    fresh.parent.mkdir()
    fresh.write_text(block)
    passing = subprocess.run(
        [sys.executable, "-m", "cogapp", "--check", "-I", str(ROOT / "docs"), str(fresh)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert passing.returncode == 0, passing.stdout + passing.stderr  # the same block unchanged passes
    result = subprocess.run(
        [sys.executable, "-m", "cogapp", "--check", "-I", str(ROOT / "docs"), str(tmp_path / "README.md")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode != 0
