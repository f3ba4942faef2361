"""Which IRIs a page may turn into links to elsewhere: http and https only.

Graph text and query results can hold any IRI, ``javascript:`` and ``data:`` among them; shown as a
link, one click would run it. Pages link only what :func:`is_web_url` allows and print the rest as text.
"""

from __future__ import annotations

from flask import Flask


def is_web_url(iri: str) -> bool:
    """True for an http or https IRI."""
    return str(iri).lower().startswith(("http://", "https://"))


def init_app(app: Flask) -> None:
    """Offer the check to templates as the ``is_web_url`` filter."""
    app.add_template_filter(is_web_url, "is_web_url")
