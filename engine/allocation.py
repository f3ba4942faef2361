"""How many exam questions each domain gets: a count split by weight, within what each domain has."""

from __future__ import annotations

import math
from collections.abc import Mapping


def apportion(count: int, weights: Mapping[str, float]) -> dict[str, int]:
    """Split ``count`` in proportion to ``weights`` by largest remainder (ties go to the earlier key)."""
    total = sum(weights.values())
    if total <= 0:
        weights, total = dict.fromkeys(weights, 1.0), float(len(weights))
    exact = {key: count * w / total for key, w in weights.items()}
    shares = {key: math.floor(x) for key, x in exact.items()}
    by_remainder = sorted(exact, key=lambda key: -(exact[key] - shares[key]))  # stable: earlier keys win ties
    for key in by_remainder[: count - sum(shares.values())]:
        shares[key] += 1
    return shares


def allocate(count: int, weights: Mapping[str, float], available: Mapping[str, int]) -> dict[str, int]:
    """Questions per domain: ``count`` split by weight, never more than a domain has; the shortfall
    of a small domain goes to the others by weight. The total is ``min(count, sum(available))``.
    """
    result = dict.fromkeys(weights, 0)
    wanted = min(count, sum(available.get(key, 0) for key in weights))
    open_keys = [key for key in weights if available.get(key, 0) > 0]
    while wanted > 0 and open_keys:
        shares = apportion(wanted, {key: weights[key] for key in open_keys})
        for key in open_keys:
            take = min(shares[key], available[key] - result[key])
            result[key] += take
            wanted -= take
        open_keys = [key for key in open_keys if result[key] < available[key]]
    return result
