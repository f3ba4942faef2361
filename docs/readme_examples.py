"""Real runs of the command line for the README's examples, written in by cog.

``cog -r -I docs README.md`` refreshes every example block; ``cog --check -I docs README.md`` (run by the
test suite) fails when one is stale. Each run uses a fresh, empty instance folder, so the examples show
what a new user sees.
"""

from __future__ import annotations

import os
import re
import shlex
import tempfile
from pathlib import Path

from click.testing import CliRunner

from opsprep.cli import cli

CHECKOUT = Path(__file__).resolve().parent.parent
#: where the examples pretend the instance folder is (the real one is a temporary folder)
SHOWN_INSTANCE = "/home/ada/.local/share/opsprep"


def run(
    command: str,
    *,
    input: str | None = None,
    head: int | None = None,
    setup: tuple[str, ...] = (),
    in_checkout: bool = False,
    vary: str | None = None,
) -> str:
    """``$ command`` and its output, as a console session; ``head`` keeps the first lines and adds ``...``.

    ``setup`` commands run first in the same instance folder, their output not shown. Commands run in
    the temporary folder (files they write go there), or in the checkout with ``in_checkout``. ``vary``
    is a regular expression for a part of the output that differs from run to run (the size of a file
    that holds timestamps); it is shown as ``…``.
    """
    with tempfile.TemporaryDirectory() as folder:
        env = {"OPSPREP_INSTANCE": folder, "OPSPREP_LEARNER": "ada", "COLUMNS": "120"}
        runner = CliRunner()
        old = os.getcwd()
        os.chdir(CHECKOUT if in_checkout else folder)
        try:
            for step in setup:
                runner.invoke(cli, shlex.split(step), env=env, catch_exceptions=False)
            args = shlex.split(command.split("  #")[0].removeprefix("opsprep "))
            result = runner.invoke(cli, args, input=input, env=env)
        finally:
            os.chdir(old)
        output = result.output.replace(str(Path(folder).resolve()), SHOWN_INSTANCE).replace(folder, SHOWN_INSTANCE)
    if vary is not None:
        output = re.sub(vary, "…", output)
    lines = output.rstrip("\n").splitlines()
    if head is not None and len(lines) > head:
        lines = [*lines[:head], "..."]
    return "\n".join([f"$ {command}", *lines])


def console(*blocks: str) -> str:
    """Runs joined into one fenced console block."""
    return "```console\n" + "\n".join(blocks) + "\n```\n"
