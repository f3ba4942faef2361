"""Which IRIs a page turns into links, and where they lead.

An IRI of a thing or term the graph browser has a page for links to that page (:func:`page_url`), never
out to ``w3id.org``; any other IRI links out only when it is http or https and not one of the graph's
own names (:func:`links_out`).
Graph text and query results can hold any IRI, ``javascript:`` and ``data:`` among them; shown as a
link, one click would run it, so pages print the rest as text.

The templates' ``url_for`` builds each URL once per app (:func:`kept_url_for`): the routes never change
while the app runs, and a page links to the same static files and pages every time it is shown.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, has_request_context, request, url_for

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


#: URLs kept per app
MAX_URLS = 4096


def kept_url_for(endpoint: str, **values: Any) -> str:
    """Flask's ``url_for``, each URL built once per app, root path and arguments and kept (at most
    :data:`MAX_URLS`). A relative endpoint (``.page``), a ``_``-option (``_external``...) or arguments
    that cannot be a key are built every time."""
    if not has_request_context() or endpoint.startswith(".") or any(name.startswith("_") for name in values):
        return url_for(endpoint, **values)
    urls = current_app.extensions.setdefault("opsprep.urls", {})
    arguments = ((name, tuple(v) if isinstance(v, list) else v) for name, v in values.items())
    key = (request.script_root, endpoint, *arguments)  # in the order given: the query string keeps it
    try:
        found = urls.get(key)
    except TypeError:  # an argument that is no key (a dict, a set)
        return url_for(endpoint, **values)
    if found is None:
        found = url_for(endpoint, **values)
        if len(urls) >= MAX_URLS:
            urls.clear()
        urls[key] = found
    return found


def init_app(app: Flask) -> None:
    """Offer the checks to templates: the ``is_web_url``, ``links_out``, ``page_url`` and ``page_path`` filters;
    and the kept URLs of :func:`kept_url_for` as their ``url_for``."""
    app.jinja_env.globals["url_for"] = kept_url_for
    app.add_template_filter(is_web_url, "is_web_url")
    app.add_template_filter(links_out, "links_out")
    app.add_template_filter(page_url, "page_url")
    app.add_template_filter(page_path, "page_path")
