"""The README stays true: its set-up commands, CI, and every CLI command documented and mentioned."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from opsprep.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def code_blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, re.S)


def walk(group: click.Group, prefix: tuple[str, ...] = ()):
    """(name path, command) of every command and group below ``group``, depth first."""
    for name, command in sorted(group.commands.items()):
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from walk(command, (*prefix, name))


COMMANDS = list(walk(cli))
IDS = [" ".join(path) for path, _ in COMMANDS]


def test_readme_has_exactly_two_setup_commands():
    setup = README.split("## Set up", 1)[1].split("\n## ", 1)[0]
    commands = [block.strip() for block in code_blocks(setup, "bash")]
    assert len(commands) == 2
    assert all("python3 -m venv .venv && .venv/bin/pip install" in cmd for cmd in commands)


def test_ci_runs_the_readme_test_command():
    setup = README.split("## Set up", 1)[1].split("\n## ", 1)[0]
    test_command = code_blocks(setup, "bash")[1].strip()
    assert test_command in (ROOT / ".ci" / "run").read_text()


@pytest.mark.parametrize(("path", "command"), [((), cli), *COMMANDS], ids=["opsprep", *IDS])
def test_every_command_has_help_with_an_example(path, command):
    name = " ".join(("opsprep", *path))
    assert command.help, f"`{name}` has no help text"
    examples = command.help.split("\b\n", 1)[-1] if "\b" in command.help else ""
    assert re.match(r"\s*Examples?:\n", examples), f"`{name}`'s help has no Example block"
    assert f"{name}" in examples, f"`{name}`'s Example block does not run `{name}`"


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_every_command_is_in_the_readme(path, command):
    name = " ".join(("opsprep", *path))
    assert re.search(rf"{re.escape(name)}\b", README), f"README does not mention `{name}`"


def test_readme_example_files_exist():
    for name in re.findall(r"examples/[\w.-]+", README):
        assert (ROOT / name).is_file(), name
