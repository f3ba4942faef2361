"""opsprep: a knowledge graph and quiz engine for DevOps certification prep.

The package is layered, each layer importing only from those before it:
:mod:`opsprep.graph` (the knowledge graph) → :mod:`opsprep.questions` (items generated from it) →
:mod:`opsprep.engine` (spaced repetition, exams, the progress store) → the two front ends,
:mod:`opsprep.web` and :mod:`opsprep.cli`. :mod:`opsprep.errors` sits below them all.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("opsprep")
except PackageNotFoundError:  # pragma: no cover - running from an uninstalled tree
    __version__ = "0"
