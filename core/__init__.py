"""opsprep: a knowledge graph and quiz engine for DevOps certification prep.

The package is layered, each layer importing only from those before it:
:mod:`opsprep.graph` (the knowledge graph) → :mod:`opsprep.questions` (items generated from it) →
:mod:`opsprep.engine` (spaced repetition, exams, the progress store) → the two front ends,
:mod:`opsprep.web` and :mod:`opsprep.cli`. :mod:`opsprep.errors` sits below them all.
"""

from __future__ import annotations


def __getattr__(name: str) -> str:
    """``__version__``, read from the installed metadata on first use (importlib.metadata is slow to import)."""
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        value = version("opsprep")
    except PackageNotFoundError:  # pragma: no cover - running from an uninstalled tree
        value = "0"
    globals()["__version__"] = value
    return value
