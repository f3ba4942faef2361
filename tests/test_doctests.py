"""Every example in the library's docstrings runs and prints what it says (doctest)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import opsprep

#: the front ends' modules import Flask or click; their docstrings hold no examples to run
LIBRARY = ("opsprep", "opsprep.graph", "opsprep.questions", "opsprep.engine")


def _modules() -> list[str]:
    names = []
    for package in LIBRARY:
        module = importlib.import_module(package)
        names.append(package)
        if package != "opsprep":
            names += [info.name for info in pkgutil.iter_modules(module.__path__, package + ".")]
    names += [f"opsprep.{name}" for name in ("errors",)]
    return sorted(set(names))


MODULES = _modules()


def test_the_library_has_examples_to_run():
    examples = sum(
        len(t.examples) for name in MODULES for t in doctest.DocTestFinder().find(importlib.import_module(name))
    )
    assert examples >= 10, f"only {examples} docstring examples in {len(MODULES)} modules"
    assert opsprep.__version__


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    failures, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, report=True)
    assert failures == 0, f"{failures} docstring example(s) of {name} failed (see the output above)"
