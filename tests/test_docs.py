"""The README stays true: its set-up commands, CI, and every CLI command mentioned."""

from __future__ import annotations

import re
from pathlib import Path

import click

from opsprep.web.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def code_blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, re.S)


def test_readme_has_exactly_two_setup_commands():
    setup = README.split("## Set up", 1)[1].split("\n## ", 1)[0]
    commands = [block.strip() for block in code_blocks(setup, "bash")]
    assert len(commands) == 2
    assert all("python3 -m venv .venv && .venv/bin/pip install" in cmd for cmd in commands)


def test_ci_runs_the_readme_test_command():
    setup = README.split("## Set up", 1)[1].split("\n## ", 1)[0]
    test_command = code_blocks(setup, "bash")[1].strip()
    assert test_command in (ROOT / ".ci" / "run").read_text()


def test_every_command_is_in_the_readme():
    def walk(group: click.Group, prefix: str):
        for name, command in group.commands.items():
            yield f"{prefix} {name}"
            if isinstance(command, click.Group):
                yield from walk(command, f"{prefix} {name}")

    for command in walk(cli, "opsprep"):
        assert command in README, f"README does not mention `{command}`"


def test_readme_example_files_exist():
    for name in re.findall(r"examples/[\w.-]+", README):
        assert (ROOT / name).is_file(), name
