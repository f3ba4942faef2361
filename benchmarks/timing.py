"""What the benchmark scripts share: median timings and the line that names the machine.

The scripts run as ``python benchmarks/<name>.py``, so this folder is on ``sys.path`` and they
``import timing``.
"""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable
from typing import Any


def timed(func: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Median seconds of ``repeat`` calls, and what the last call returned."""
    samples, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), result


def median_seconds(func: Callable[[], object], repeat: int) -> float:
    """Median seconds of ``repeat`` calls."""
    return timed(func, repeat)[0]


def machine() -> str:
    """The machine line every script prints first: architecture, cores and Python version."""
    return f"machine: {platform.machine()} cores={os.cpu_count()} python={platform.python_version()}"
