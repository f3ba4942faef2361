"""Which IRIs a page turns into links, and where they lead.

An IRI of a thing or term the graph browser has a page for links to that page (:func:`page_url`), never
out to ``w3id.org``; any other IRI links out only when it is http or https and not one of the graph's
own names (:func:`links_out`).
Graph text and query results can hold any IRI, ``javascript:`` and ``data:`` among them; shown as a
link, one click would run it, so pages print the rest as text.
"""

from __future__ import annotations

from flask import Flask, url_for

from opsprep.graph.browse import has_page, is_term, is_thing
from opsprep.graph.namespaces import ID, OPS

from .resources import get_graph


def is_web_url(iri: str) -> bool:
    """True for an http or https IRI."""
    return str(iri).lower().startswith(("http://", "https://"))


def links_out(iri: str) -> bool:
    """True for an http or https IRI outside the graph's own names: a link to it leaves the app. (An IRI of
    the graph that the app has no page for is shown as text: ``w3id.org`` has no page for it either.)"""
    return is_web_url(iri) and not (is_thing(str(iri)) or is_term(str(iri)))


def page_url(iri: str) -> str | None:
    """The app's page for an IRI of the graph (a thing, a class, another term), or None when it has none."""
    iri = str(iri)
    if not (is_thing(iri) or is_term(iri)) or not has_page(get_graph(), iri):
        return None
    return page_path(iri)


def page_path(iri: str) -> str:
    """The path of the page of an IRI the app has a page for (see :func:`page_url`, which checks that)."""
    if is_thing(iri):
        return url_for("browse.thing", ref=iri[len(str(ID)) :])
    name = iri[len(str(OPS)) :]
    from .browse import CLASSES  # the browser's own lists of things, by class

    return url_for("browse.by_class" if name in CLASSES else "browse.term", name=name)


def init_app(app: Flask) -> None:
    """Offer the checks to templates: the ``is_web_url``, ``links_out``, ``page_url`` and ``page_path`` filters."""
    app.add_template_filter(is_web_url, "is_web_url")
    app.add_template_filter(links_out, "links_out")
    app.add_template_filter(page_url, "page_url")
    app.add_template_filter(page_path, "page_path")
