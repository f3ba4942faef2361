"""The app's shared read-only resources: the graph and its question bank, built once per process."""

from __future__ import annotations

import threading
from pathlib import Path

from flask import Flask, current_app
from rdflib import Graph

from opsprep.graph import data_files, default_graph, load_graph
from opsprep.questions import QuestionBank, cached_bank

_lock = threading.RLock()
#: ``app.extensions`` key of the question bank (set it to share a bank built elsewhere)
BANK_KEY = "opsprep.question_bank"


def get_graph(app: Flask | None = None) -> Graph:
    """The graph the app serves: ``GRAPH_FILES`` when configured, else the shipped graph."""
    app = app or current_app._get_current_object()
    with _lock:
        graph = app.extensions.get("opsprep.graph")
        if graph is None:
            graph = default_graph() if app.config.get("GRAPH_FILES") is None else load_graph(graph_files(app))
            app.extensions["opsprep.graph"] = graph
    return graph


def get_bank(app: Flask | None = None) -> QuestionBank:
    """The question bank of the app's graph, read from the bank cache (or built) on first use."""
    app = app or current_app._get_current_object()
    with _lock:
        graph = get_graph(app)
        bank = app.extensions.get(BANK_KEY)
        if bank is None:
            bank = app.extensions[BANK_KEY] = cached_bank(graph, graph_files(app))
    return bank


def graph_files(app: Flask) -> list[Path]:
    """The Turtle files the app's graph is loaded from."""
    files = app.config.get("GRAPH_FILES")
    return data_files() if files is None else [Path(f) for f in files]
