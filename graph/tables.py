"""Rows as text: aligned columns and CSV (no rdflib, so the command line can print without loading it)."""

from __future__ import annotations

import csv
import io


def format_table(header: list[str], rows: list[list[str]]) -> str:
    """Lay out rows under a header in aligned columns."""
    widths = [len(h) for h in header]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    return "\n".join(lines) + "\n"


def write_csv(header: list[str], rows: list[list[str]]) -> str:
    """Rows as CSV text with a header line."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()
