"""The graph browser: search things by name, one page per thing (and ontology term) with its facts, relations
and questions."""

from __future__ import annotations

import re

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from rdflib import Graph, Literal
from rdflib.namespace import RDFS

from opsprep.graph.browse import describe, search, things_of_class
from opsprep.graph.namespaces import CONTENT_CLASSES, ID, OPS
from opsprep.questions import QuestionBank, QuestionItem

from .resources import get_bank, get_graph

bp = Blueprint("browse", __name__, url_prefix="/graph")

CLASSES = {str(cls).rsplit("#", 1)[1]: cls for cls in CONTENT_CLASSES}
MAX_QUESTIONS = 25


def class_label(graph: Graph, name: str) -> str:
    """How a class of the graph reads on a page: its English ``rdfs:label`` ("Tool category"), else its name
    split into words ("ToolCategory" -> "Tool category"; an acronym keeps its capitals)."""
    cls = CLASSES.get(name, OPS[name])
    for value in graph.objects(cls, RDFS.label):
        if isinstance(value, Literal) and value.language in (None, "en"):
            return str(value)
    words = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+", name) or [name]
    return " ".join([words[0], *(w if w.isupper() else w.lower() for w in words[1:])])


def thing_ref(iri: str) -> str:
    """The path of a thing's page below /graph/ (``tool/ansible``)."""
    return iri[len(str(ID)) :]


@bp.app_template_filter("graph_ref")
def graph_ref_filter(iri: str) -> str:
    """Jinja filter: the browser path of a thing's IRI."""
    return thing_ref(iri)


#: search results shown on the page (more matches: the page says so)
SHOWN = 100


@bp.route("/")
def index():
    """Search by name (full text, see :mod:`opsprep.graph.search`), or pick a class to list."""
    graph = get_graph()
    query = request.args.get("q", "").strip()
    results = search(graph, query, SHOWN + 1) if query else []
    classes = [(name, class_label(graph, name), len(things_of_class(graph, cls))) for name, cls in CLASSES.items()]
    more = len(results) > SHOWN
    return render_template("browse/index.html", query=query, results=results[:SHOWN], more=more, classes=classes)


@bp.route("/class/<name>")
def by_class(name: str):
    """Every thing of one class."""
    cls = CLASSES.get(name) or abort(404)
    graph = get_graph()
    return render_template(
        "browse/class.html", name=name, label=class_label(graph, name), things=things_of_class(graph, cls)
    )


@bp.route("/ontology/<name>")
def term(name: str):
    """A term of the ontology: a relation, or a value such as "agentless", and the things that have it."""
    if name in CLASSES:
        return redirect(url_for("browse.by_class", name=name))
    description = describe(get_graph(), f"{OPS}{name}") or abort(404)
    return render_template("browse/thing.html", thing=description, domains=[], questions=None, max_questions=0)


@bp.route("/<path:ref>")
def thing(ref: str):
    """One thing: definition, facts, relations both ways, sources, exam domains and questions."""
    iri = f"{ID}{ref}"
    description = describe(get_graph(), iri) or abort(404)
    bank = get_bank()
    domains = [(bank.catalog.domain(d), bank.catalog.cert_of(d)) for d in sorted(bank.facts.covered_by.get(iri, ()))]
    questions = _questions_about(bank).get(iri, [])[:MAX_QUESTIONS]
    return render_template(
        "browse/thing.html", thing=description, domains=domains, questions=questions, max_questions=MAX_QUESTIONS
    )


def _questions_about(bank: QuestionBank) -> dict[str, list[QuestionItem]]:
    """The items that are about each thing, or have it as an answer, in bank order (made once per bank)."""
    cached = current_app.extensions.get("opsprep.browse.questions")
    if cached is None or cached[0] is not bank:
        about: dict[str, list[QuestionItem]] = {}
        for item in bank.items:
            for iri in dict.fromkeys([*item.about, *(a.iri for a in item.answers)]):
                about.setdefault(iri, []).append(item)
        cached = current_app.extensions["opsprep.browse.questions"] = (bank, about)
    return cached[1]
