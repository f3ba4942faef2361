"""The ``/sparql`` endpoint (SPARQL 1.1 Protocol, query operation) and the ``/query`` page."""

from __future__ import annotations

import atexit
import logging
import math
import re
import threading
import time

from flask import Blueprint, Flask, Response, current_app, redirect, render_template, request, url_for

from opsprep.errors import OpsprepError
from opsprep.graph.dataset import Answer, QueryRequest
from opsprep.graph.namespaces import PREFIXES
from opsprep.graph.query import MAX_QUERY_LENGTH, check_query, check_shape
from opsprep.graph.results import GRAPH_FORMATS

from .admission import Admission, QuickLimitReached, Ticket, query_key
from .description import service_description
from .examples import find_example, load_examples
from .pool import GraphSource, QueryOutOfMemory, QueryTimeout, WorkerPool
from .protocol import GRAPH_MEDIA, ProtocolError, choose_formats, read_request
from .table import PAGE_ROWS, download_links, result_view

bp = Blueprint("sparql", __name__)
log = logging.getLogger("opsprep.web.sparql")

DEFAULTS = {
    "SPARQL_TIMEOUT": 5.0,  # seconds a query may run before its worker is killed
    "SPARQL_MAX_ROWS": 10_000,  # solutions or triples in one answer; the rest are cut (header X-SPARQL-MaxRows)
    "SPARQL_MAX_QUERY_LENGTH": MAX_QUERY_LENGTH,  # characters
    "SPARQL_WORKERS": None,  # worker processes (default: the number of cores, at least 2)
    "SPARQL_WORKER_MEMORY_MB": 512,  # memory one worker may use, graph included; a query past it gets a 503
    "SPARQL_NAMED_GRAPHS": {},  # graph IRI -> RDF file, queryable with GRAPH and named-graph-uri
    # admission (web/sparql/admission.py): at most workers + SPARQL_QUEUE queries hold a server thread
    "SPARQL_PER_CLIENT": 2,  # queries one address may have running or waiting; more get a 503 at once
    "SPARQL_QUEUE": 2,  # queries that may wait for a busy worker; more get a 503 at once
    "SPARQL_QUEUE_WAIT": 3.0,  # seconds a query may wait for a worker before its 503: more than the quick limit
    "SPARQL_QUICK_TIMEOUT": 2.0,  # seconds a query may run in a quick slot, while long ones run in the others
}
_pool_lock = threading.Lock()


def init_app(app: Flask) -> None:
    """Set the endpoint's configuration defaults (a value the app already has wins)."""
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)


def get_pool(app: Flask | None = None) -> WorkerPool:
    """The app's worker pool, started on first use and stopped when the process exits."""
    app = app or current_app._get_current_object()
    with _pool_lock:
        pool = app.extensions.get("opsprep.sparql.pool")
        if pool is None or pool.closed:
            files = app.config.get("GRAPH_FILES")
            named = app.config["SPARQL_NAMED_GRAPHS"]
            source = GraphSource(
                files=None if files is None else tuple(str(f) for f in files),
                named_graphs=tuple((iri, str(path)) for iri, path in named.items()),
            )
            pool = app.extensions["opsprep.sparql.pool"] = WorkerPool(
                source, app.config["SPARQL_WORKERS"], memory_mb=app.config["SPARQL_WORKER_MEMORY_MB"]
            )
            atexit.register(pool.close)
    return pool


def get_admission(app: Flask | None = None) -> Admission:
    """The app's admission to its workers, made on first use: one slot per worker of :func:`get_pool`."""
    app = app or current_app._get_current_object()
    admission = app.extensions.get("opsprep.sparql.admission")
    if admission is None:
        slots, config = get_pool(app).size, app.config
        with _pool_lock:
            admission = app.extensions.get("opsprep.sparql.admission")
            if admission is None:
                admission = app.extensions["opsprep.sparql.admission"] = Admission(
                    slots,
                    queue=config["SPARQL_QUEUE"],
                    per_client=config["SPARQL_PER_CLIENT"],
                    queue_wait=config["SPARQL_QUEUE_WAIT"],
                    retry_heavy=max(1, math.ceil(config["SPARQL_TIMEOUT"])),
                )
    return admission


def run(query: str, **options) -> Answer:
    """Run one query in the pool with the app's limits; log it with its outcome and duration.

    The query is admitted (:func:`get_admission`, which may raise :class:`~.admission.AdmissionRefused`:
    a 503 with ``Retry-After``) as a query of the request's remote address, then checked inside its slot:
    reading a query can take the parser up to about a second, so one client cannot make the server read
    more than its share of queries at once.
    """
    config = current_app.config
    query_request = QueryRequest(
        query,
        max_rows=options.pop("max_rows", config["SPARQL_MAX_ROWS"]),
        max_length=config["SPARQL_MAX_QUERY_LENGTH"],
        **options,
    )
    start = time.perf_counter()
    outcome = "error"
    try:
        check_shape(query, query_request.max_length)  # the cheap guards: a refused query never waits
        with get_admission().slot(request.remote_addr or "unknown", query_key(query)) as ticket:
            check_query(query, query_request.max_length)  # refuse updates, SERVICE, FROM before a worker sees it
            answer = _run_admitted(ticket, query_request)
        outcome = f"{answer.form} {answer.fmt} rows={answer.rows}" + (" truncated" if answer.truncated else "")
        return answer
    except OpsprepError as exc:  # logged here, answered by the app's error handler (opsprep.web.errors)
        outcome = f"{getattr(exc, 'status', None) or exc.kind.status} {type(exc).__name__}"
        raise
    finally:
        took = (time.perf_counter() - start) * 1000
        log.info("sparql %s %.1f ms: %s", outcome, took, _one_line(query))


def _run_admitted(ticket: Ticket, query_request: QueryRequest) -> Answer:
    """Run an admitted query in the pool with its slot's time limit: the whole limit in a long slot, the
    quick limit in a quick one (see :mod:`.admission`)."""
    config = current_app.config
    pool, time_limit = get_pool(), config["SPARQL_TIMEOUT"]
    limit = time_limit if ticket.long else min(config["SPARQL_QUICK_TIMEOUT"], time_limit)
    try:
        return pool.run(query_request, limit)
    except QueryOutOfMemory:
        ticket.stopped(time_limit)  # a heavy query: next time it waits for a long slot
        raise
    except QueryTimeout:
        ticket.stopped(time_limit)
        if limit < time_limit:
            raise QuickLimitReached(limit, time_limit) from None
        _load_replacement(pool, time_limit)
        raise


def _load_replacement(pool: WorkerPool, timeout: float) -> None:
    """Keep a long slot whose query was stopped until the worker that replaced the killed one has loaded
    the graph, by sending ``ASK {}`` to each idle worker in turn (a loaded one answers at once).

    Otherwise the next runaway, admitted the moment the slot is free, may take the loaded worker that the
    quick queries were using and leave them the one still loading. A pool that handed out loaded workers
    only would make this unnecessary.
    """
    probe = QueryRequest("ASK {}")
    for _ in range(pool.size):
        try:
            pool.run(probe, timeout)
        except OpsprepError as exc:  # no worker free for that long, or one failed: the pool has replaced it
            log.info("sparql: stopped loading replacement workers: %s", exc)
            return


def _one_line(query: str, limit: int = 200) -> str:
    text = re.sub(r"\s+", " ", query).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response:
    """The SPARQL 1.1 Protocol query operation; without a query, the service description."""
    operation = read_request(request)
    if operation.query is None:
        if request.method == "POST" or request.args:
            raise ProtocolError(400, "Give the query in a 'query' parameter (or POST it as application/sparql-query).")
        return describe_service()
    tabular, graph = choose_formats(request.accept_mimetypes, request.values.get("format"))
    answer = run(
        operation.query,
        tabular=tabular,
        graph=graph,
        default_graphs=operation.default_graphs,
        named_graphs=operation.named_graphs,
        base_iri=request.base_url,
    )
    response = Response(answer.body, content_type=_content_type(answer.media_type))
    if answer.truncated:
        response.headers["X-SPARQL-MaxRows"] = str(current_app.config["SPARQL_MAX_ROWS"])
    return response


def describe_service() -> Response:
    """The Service Description in the RDF format asked for; a browser goes to the query page instead."""
    accept = request.accept_mimetypes
    best = accept.best_match([*GRAPH_MEDIA, "text/html"]) if accept else "text/turtle"
    if best == "text/html":
        return redirect(url_for(".page"), 303)
    if best is None:
        raise ProtocolError(406, f"The service description comes as one of: {', '.join(GRAPH_MEDIA)}.")
    media, serializer = GRAPH_FORMATS[GRAPH_MEDIA[best]]
    named = current_app.config["SPARQL_NAMED_GRAPHS"]
    body = service_description(request.base_url, named).serialize(format=serializer, encoding="utf-8")
    return Response(body, content_type=_content_type(media))


def _content_type(media: str) -> str:
    return f"{media}; charset=utf-8" if media.startswith("text/") else media


@bp.after_request
def cors(response: Response) -> Response:
    """Let browser clients on other origins (YASGUI and the like) query the endpoint."""
    if request.endpoint == "sparql.endpoint":
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = request.headers.get(
            "Access-Control-Request-Headers", "Accept, Content-Type"
        )
        response.headers["Access-Control-Expose-Headers"] = "X-SPARQL-MaxRows"
        response.headers["Access-Control-Max-Age"] = "86400"
        response.vary.add("Accept")
    return response


@bp.get("/query")
def page() -> tuple[str, int, dict[str, str]]:
    """The query page: an editor with example queries, and the answer of the query given, as a table."""
    examples = load_examples()
    example = find_example(request.args.get("example", ""))
    query = request.args.get("query")
    text = example.text if example else query if query is not None else examples[0].text
    view, error, status, headers = None, None, 200, {}
    if example or query:
        try:
            view = result_view(run(text, tabular="json", graph="turtle", max_rows=PAGE_ROWS))
        except OpsprepError as exc:  # shown beside the editor, so the query can be mended
            error, status = exc.message, getattr(exc, "status", None) or exc.kind.status
            headers = dict(getattr(exc, "headers", {}))  # Retry-After of a 503
    downloads = download_links(text, view) if view else []
    return (
        render_template(
            "sparql.html",
            examples=examples,
            example=example,
            query=text,
            view=view,
            error=error,
            downloads=downloads,
            prefixes=PREFIXES,
        ),
        status,
        headers,
    )
