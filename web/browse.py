"""The graph browser: search things by label, one page per thing with its facts, relations and questions."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from opsprep.graph.browse import describe, search, things_of_class
from opsprep.graph.namespaces import CONTENT_CLASSES, ID

from .resources import get_bank, get_graph

bp = Blueprint("browse", __name__, url_prefix="/graph")

CLASSES = {str(cls).rsplit("#", 1)[1]: cls for cls in CONTENT_CLASSES}
MAX_QUESTIONS = 25


def thing_ref(iri: str) -> str:
    """The path of a thing's page below /graph/ (``tool/ansible``)."""
    return iri[len(str(ID)) :]


@bp.app_template_filter("graph_ref")
def graph_ref_filter(iri: str) -> str:
    """Jinja filter: the browser path of a thing's IRI."""
    return thing_ref(iri)


@bp.route("/")
def index():
    """Search by label, or pick a class to list."""
    graph = get_graph()
    query = request.args.get("q", "").strip()
    results = search(graph, query) if query else []
    classes = [(name, len(things_of_class(graph, cls))) for name, cls in CLASSES.items()]
    return render_template("browse/index.html", query=query, results=results, classes=classes)


@bp.route("/class/<name>")
def by_class(name: str):
    """Every thing of one class."""
    cls = CLASSES.get(name) or abort(404)
    return render_template("browse/class.html", name=name, things=things_of_class(get_graph(), cls))


@bp.route("/<path:ref>")
def thing(ref: str):
    """One thing: definition, facts, relations both ways, sources, exam domains and questions."""
    iri = f"{ID}{ref}"
    description = describe(get_graph(), iri) or abort(404)
    bank = get_bank()
    domains = [(bank.catalog.domain(d), bank.catalog.cert_of(d)) for d in sorted(bank.facts.covered_by.get(iri, ()))]
    questions = [item for item in bank.items if iri in item.about or any(a.iri == iri for a in item.answers)][
        :MAX_QUESTIONS
    ]
    return render_template(
        "browse/thing.html", thing=description, domains=domains, questions=questions, max_questions=MAX_QUESTIONS
    )
