"""The app's shared read-only resources: the graph and its question bank, built once per process."""

from __future__ import annotations

import threading
from pathlib import Path

from flask import Flask, current_app
from rdflib import Graph

from opsprep.graph import default_graph, load_graph
from opsprep.questions import QuestionBank, build_bank

_lock = threading.RLock()
#: ``app.extensions`` key of the question bank (set it to share a bank built elsewhere)
BANK_KEY = "opsprep.question_bank"


def get_graph(app: Flask | None = None) -> Graph:
    """The graph the app serves: ``GRAPH_FILES`` when configured, else the shipped graph."""
    app = app or current_app._get_current_object()
    with _lock:
        graph = app.extensions.get("opsprep.graph")
        if graph is None:
            files = app.config.get("GRAPH_FILES")
            graph = default_graph() if files is None else load_graph([Path(f) for f in files])
            app.extensions["opsprep.graph"] = graph
    return graph


def get_bank(app: Flask | None = None) -> QuestionBank:
    """The question bank of the app's graph, built on first use."""
    app = app or current_app._get_current_object()
    with _lock:
        graph = get_graph(app)
        bank = app.extensions.get(BANK_KEY)
        if bank is None:
            bank = app.extensions[BANK_KEY] = build_bank(graph)
    return bank
