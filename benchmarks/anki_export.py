"""Time the Anki export of the shipped graph: every certification, and each one alone.

Prints the machine, the time to build the question bank (once per process), the median time of
``Progress.export_anki`` for all certifications and for each, and the wall time of the whole command
(``opsprep export anki -o …`` in a fresh process: Python start, graph load, bank, export).
Beside our writer it times genanki's own ``Package.write_to_file`` on the same decks, for reference.

    python benchmarks/anki_export.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import genanki
from timing import machine, median_seconds

from opsprep.engine import Progress, anki_export
from opsprep.graph import default_graph
from opsprep.questions import build_bank


def genanki_reference(bank, cert: str | None, path: Path) -> None:
    """The same notes written by genanki's ``write_to_file`` (uncompressed, temp database left behind)."""
    placed = anki_export._place_items(bank, cert, ())
    decks = anki_export._decks(bank, placed)
    for item, key in placed:
        decks[key].add_note(anki_export._note(bank, item))
    genanki.Package(list(decks.values())).write_to_file(str(path), timestamp=time.time())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(machine())
    start = time.perf_counter()
    bank = build_bank(default_graph())
    print(f"graph load + question bank: {time.perf_counter() - start:.2f} s ({len(bank):,} items)\n")
    out = Path(tempfile.mkdtemp(prefix="opsprep-bench-"))
    progress = Progress.open(":memory:", bank)
    try:
        print(f"{'export':<26} {'notes':>6} {'decks':>6} {'opsprep':>10} {'size':>9} {'genanki':>10} {'size':>9}")
        target, reference = out / "deck.apkg", out / "reference.apkg"
        tempfile.tempdir = str(out)  # genanki leaves its SQLite file in the temp folder: keep it in ours
        for cert in [None, *bank.catalog.codes()]:
            seconds = median_seconds(lambda c=cert: progress.export_anki(target, c, now=datetime.now(UTC)), args.repeat)
            summary = progress.export_anki(target, cert)
            ref_seconds = median_seconds(lambda c=cert: genanki_reference(bank, c, reference), args.repeat)
            print(
                f"{cert or 'all certifications':<26} {summary.notes:>6,} {len(summary.decks):>6} "
                f"{seconds * 1000:>7.0f} ms {summary.bytes / 1024:>5.0f} KiB "
                f"{ref_seconds * 1000:>7.0f} ms {reference.stat().st_size / 1024:>5.0f} KiB"
            )
        command = [str(Path(sys.executable).with_name("opsprep")), "export", "anki", "-o", str(out / "cli.apkg")]
        if not Path(command[0]).exists():
            command = [sys.executable, "-c", "from opsprep.cli import main; main()", *command[1:]]
        wall = median_seconds(
            lambda: subprocess.run(command, check=True, capture_output=True), max(1, args.repeat // 2)
        )
        print(f"\nopsprep export anki -o all.apkg (fresh process, all certifications): {wall:.2f} s")
    finally:
        progress.close()
        tempfile.tempdir = None
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
