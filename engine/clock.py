"""Time in the engine: UTC-aware datetimes, and the fixed text form the store keeps them in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

#: width-stable ISO 8601 text, so that stored times sort and compare as strings
_FORMAT = "%Y-%m-%dT%H:%M:%S.%f+00:00"


def utc(now: datetime | None = None) -> datetime:
    """``now`` converted to UTC, or the current time; naive datetimes are refused."""
    if now is None:
        return datetime.now(UTC)
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"naive datetime {now!r}: pass a timezone-aware datetime")
    return now.astimezone(UTC)


def to_text(moment: datetime | None) -> str | None:
    """The stored form of a datetime (``2025-01-31T08:00:00.000000+00:00``); None stays None."""
    return None if moment is None else utc(moment).strftime(_FORMAT)


def from_text(text: str | None) -> datetime | None:
    """Inverse of :func:`to_text`."""
    return None if text is None else datetime.fromisoformat(text)


def day_start(moment: datetime) -> datetime:
    """Midnight UTC at the start of ``moment``'s day: the daily new-item limit counts from here."""
    return utc(moment).replace(hour=0, minute=0, second=0, microsecond=0)


def to_millis(moment: datetime) -> int:
    """Milliseconds since the Unix epoch."""
    return round(utc(moment).timestamp() * 1000)


def seconds(interval: timedelta) -> float:
    """An interval in seconds (JSON-friendly)."""
    return interval.total_seconds()
