"""Re-exports that import their module on first use (PEP 562), so importing one submodule of a package
does not import all of the package's layers."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(package: str, where: Mapping[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """A module ``__getattr__`` and ``__dir__`` for ``package`` that resolve each name in ``where``
    (name → submodule) by importing the submodule when the name is first used.

    >>> getattr_, dir_ = lazy_exports("opsprep.graph", {"read_catalog": "catalog"})
    >>> getattr_("read_catalog").__name__, "read_catalog" in dir_()
    ('read_catalog', True)
    """
    module = importlib.import_module(package)

    def __getattr__(name: str) -> Any:
        if name not in where:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f".{where[name]}", package), name)
        setattr(module, name, value)
        return value

    def __dir__() -> list[str]:
        return sorted({*vars(module), *where})

    return __getattr__, __dir__
