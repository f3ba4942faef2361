"""Time ``opsprep export anki`` in a fresh process against genanki alone writing the same notes.

Both sides run as fresh processes, so interpreter start (and importing genanki) counts in both:

* **opsprep**: ``opsprep export anki -o …`` (every certification, then ``--cert CODE``) with a warm
  cache: the bank and notes caches live in a private folder (``$OPSPREP_CACHE``), filled by one
  untimed first run whose time is printed as the cold start.
* **genanki**: a script that imports genanki, reads the notes of the package opsprep wrote (a JSON
  file: the note type, the decks, each note's fields, tags and GUID), builds the same ``Model``,
  ``Deck`` and ``Note`` objects and calls ``Package.write_to_file`` (uncompressed; its SQLite temp
  file goes to the benchmark's folder). Reading its JSON stands for opsprep reading its cache.

The runs alternate (opsprep, genanki, opsprep, …), after one untimed run of each; the medians and
their ratio are printed. Python's bytecode is cached in the benchmark's folder (``PYTHONPYCACHEPREFIX``,
even under ``PYTHONDONTWRITEBYTECODE``), as an installed package has its ``.pyc`` files: otherwise
every opsprep run would compile the checkout's sources while genanki's come compiled from
site-packages. ``--as-is`` keeps the environment's bytecode settings instead.

    python benchmarks/anki_export.py [--repeat 5] [--cert CKA] [--as-is]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from timing import machine

#: genanki alone: the same notes, through genanki's own writer (argv: notes JSON, output file)
GENANKI_SCRIPT = """
import json, sys
import genanki
spec = json.loads(open(sys.argv[1], encoding="utf-8").read())
m = spec["model"]
model = genanki.Model(m["id"], m["name"], fields=[{"name": n} for n in m["fields"]],
                      templates=m["templates"], css=m["css"])
decks = []
for d in spec["decks"]:
    deck = genanki.Deck(d["id"], d["name"], d["desc"])
    for fields, tags, guid in d["notes"]:
        deck.add_note(genanki.Note(model=model, fields=fields, tags=tags, guid=guid))
    decks.append(deck)
genanki.Package(decks).write_to_file(sys.argv[2], timestamp=spec["timestamp"])
"""


def opsprep_command() -> list[str]:
    """The console script beside this Python, else ``python -m opsprep``."""
    script = Path(sys.executable).with_name("opsprep")
    return [str(script)] if script.exists() else [sys.executable, "-m", "opsprep"]


def read_notes(apkg: Path, scratch: Path) -> dict:
    """The note type, decks (in package order) and notes (fields, tags, GUID) of an .apkg file."""
    with zipfile.ZipFile(apkg) as archive:
        archive.extract("collection.anki2", scratch)
    connection = sqlite3.connect(scratch / "collection.anki2")
    try:
        decks_json, models_json = connection.execute("SELECT decks, models FROM col").fetchone()
        rows = connection.execute(
            "SELECT c.did, n.flds, n.tags, n.guid, n.mod FROM notes n JOIN cards c ON c.nid = n.id ORDER BY n.id"
        ).fetchall()
    finally:
        connection.close()
    (model,) = json.loads(models_json).values()
    decks = [d for d in json.loads(decks_json).values() if d["id"] != 1]  # not genanki's "Default"
    notes: dict[int, list] = {d["id"]: [] for d in decks}
    for did, flds, tags, guid, _ in rows:
        notes[did].append([flds.split("\x1f"), tags.split(), guid])
    return {
        "timestamp": rows[0][4],
        "model": {
            "id": int(model["id"]),
            "name": model["name"],
            "fields": [f["name"] for f in model["flds"]],
            "templates": [{"name": t["name"], "qfmt": t["qfmt"], "afmt": t["afmt"]} for t in model["tmpls"]],
            "css": model["css"],
        },
        "decks": [{"id": d["id"], "name": d["name"], "desc": d["desc"], "notes": notes[d["id"]]} for d in decks],
    }


def same_notes(a: Path, b: Path, scratch: Path) -> bool:
    """Whether two packages hold the same note type, decks and notes (fields, tags, GUIDs, decks); the
    modification time aside (each run of opsprep stamps its own)."""
    (scratch / "a").mkdir()
    (scratch / "b").mkdir()
    first, second = read_notes(a, scratch / "a"), read_notes(b, scratch / "b")
    return {**first, "timestamp": 0} == {**second, "timestamp": 0}


def run(command: list[str], env: dict[str, str]) -> float:
    """Wall seconds of one fresh process."""
    return run_cpu(command, env)[0]


def run_cpu(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one fresh process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command, stderr=stderr)
    return wall, usage.ru_utime + usage.ru_stime


def compare(label: str, ours: list[str], out: Path, repeat: int, env: dict[str, str]) -> None:
    """Time ``ours`` (writing ``out``) and genanki writing the same notes, alternately; print one row.

    The first run (``cold``) starts from an empty cache folder of its own.
    """
    env = {**env, "OPSPREP_CACHE": str(out.with_name(f"cache-{out.stem}"))}
    cold = run(ours, env)
    scratch = Path(tempfile.mkdtemp(dir=out.parent))
    spec = read_notes(out, scratch)
    spec_file = out.with_suffix(".json")
    spec_file.write_text(json.dumps(spec), encoding="utf-8")
    reference = out.with_name(f"genanki-{out.name}")
    theirs = [sys.executable, "-c", GENANKI_SCRIPT, str(spec_file), str(reference)]
    run(theirs, env)  # untimed, as the cold run of ours: bytecode cached
    ours_s, theirs_s = [], []
    for _ in range(repeat):
        ours_s.append(run_cpu(ours, env))
        theirs_s.append(run_cpu(theirs, env))
    same = same_notes(out, reference, scratch)
    a, b = (statistics.median(s[0] for s in runs) for runs in (ours_s, theirs_s))
    a_cpu, b_cpu = (statistics.median(s[1] for s in runs) for runs in (ours_s, theirs_s))
    notes = sum(len(d["notes"]) for d in spec["decks"])
    print(
        f"{label:<22} {notes:>6,} {len(spec['decks']):>6} {cold:>8.2f} s {a:>8.2f} s {b:>8.2f} s {a / b:>6.2f}x"
        f" {a_cpu:>8.2f} s {b_cpu:>8.2f} s {a_cpu / b_cpu:>6.2f}x  {'yes' if same else 'NO'}"
    )
    walls = [" ".join(f"{s[0]:.2f}" for s in runs) for runs in (ours_s, theirs_s)]
    print(f"{'':<22} wall of each run: {walls[0]} | {walls[1]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each side (default 5)")
    parser.add_argument("--cert", default="CKA", help="the certification of the one-certification export")
    parser.add_argument("--as-is", action="store_true", help="keep the environment's bytecode settings")
    args = parser.parse_args()
    print(machine())
    out = Path(tempfile.mkdtemp(prefix="opsprep-bench-"))
    env = {**os.environ, "TMPDIR": str(out)}
    if not args.as_is:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(out / "pycache")
    bytecode = "as the environment has it" if args.as_is else "cached in the benchmark's folder"
    try:
        start = min(run([sys.executable, "-c", "pass"], env) for _ in range(3))
        floor = min(run([sys.executable, "-c", "import genanki"], env) for _ in range(4))
        print(f"bytecode: {bytecode}; fresh python: {start:.2f} s; python + import genanki: {floor:.2f} s (best)\n")
        print(f"{'':<22} {'':>6} {'':>6} {'':>10} {'wall':-^29} {'CPU (user + system)':-^29}")
        print(
            f"{'opsprep export anki':<22} {'notes':>6} {'decks':>6} {'cold':>10} {'opsprep':>10} {'genanki':>10}"
            f" {'ratio':>7} {'opsprep':>10} {'genanki':>10} {'ratio':>7}  same notes"
        )
        export = [*opsprep_command(), "export", "anki"]
        everything, one = out / "all.apkg", out / "one.apkg"
        compare("all certifications", [*export, "-o", str(everything)], everything, args.repeat, env)
        compare(f"--cert {args.cert}", [*export, "--cert", args.cert, "-o", str(one)], one, args.repeat, env)
        print(
            "\ncold: the first run, from an empty cache (it builds the question bank and the notes); then "
            "opsprep (warm cache) and genanki alternate: medians of the runs, ratio = opsprep / genanki"
        )
    finally:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
