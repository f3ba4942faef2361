"""Limits of the query workers: memory per worker (a breach is a 503, the worker is replaced) and CPU priority.

The memory tests run a query that doubles a string until it needs a gigabyte, against a worker allowed
128 MB on the tiny fixture graph (an idle worker holds about 50 MB there): whichever stops it first (the
pool's reading of the worker's memory, or the worker's own data-size limit), the answer is the same.
"""

from __future__ import annotations

import os
import threading

import pytest

from opsprep.graph.dataset import QueryRequest
from opsprep.web.sparql import get_pool
from opsprep.web.sparql import pool as pool_module
from opsprep.web.sparql.pool import WORKER_NICENESS, GraphSource, QueryOutOfMemory, WorkerFailed, WorkerPool

from .web_helpers import MINI_GRAPH_FILES, make_app

#: seconds anything here may wait: a guard against hanging, never a measure of speed
HANG_GUARD = 60.0
LIMIT_MB = 128
MESSAGE = f"The query needed more than {LIMIT_MB} MB and was stopped."
DOUBLINGS = 26  # 16 bytes doubled 26 times: a 1 GB string, and as much again for the steps before it
HUNGRY = (
    f"SELECT (STRLEN(?s{DOUBLINGS}) AS ?length) WHERE {{ BIND('0123456789abcdef' AS ?s0) "
    + " ".join(f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(DOUBLINGS))
    + " }"
)
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
ASK = QueryRequest("ASK { ?s ?p ?o }")


@pytest.fixture
def pool():
    pool = WorkerPool(GraphSource(files=tuple(str(f) for f in MINI_GRAPH_FILES)), 1, memory_mb=LIMIT_MB)
    pool.warm_up()
    yield pool
    pool.close()


def worker_pids(pool: WorkerPool) -> set[int]:
    return {worker.process.pid for worker in pool._workers}


def test_a_query_past_the_memory_limit_is_stopped_and_the_next_gets_a_fresh_worker(pool):
    before = worker_pids(pool)
    with pytest.raises(QueryOutOfMemory) as info:
        pool.run(QueryRequest(HUNGRY), HANG_GUARD)
    assert info.value.message == MESSAGE
    assert info.value.kind.status == 503
    assert pool.run(ASK, HANG_GUARD).body == b'{"head":{},"boolean":true}'
    after = worker_pids(pool)
    assert len(after) == 1 and after.isdisjoint(before)  # the worker was replaced


def test_the_pool_stops_a_worker_whose_resident_memory_passes_the_limit(pool, monkeypatch):
    """The pool's own watch, apart from the worker's data-size limit: a worker that reads as over the limit
    while its query runs is killed, and the next query is answered."""
    monkeypatch.setattr(pool_module, "resident_bytes", lambda pid: (LIMIT_MB + 1) * 2**20)
    with pytest.raises(QueryOutOfMemory, match="needed more than 128 MB"):
        pool.run(QueryRequest(RUNAWAY), HANG_GUARD)
    monkeypatch.undo()
    assert pool.run(ASK, HANG_GUARD).rows == 1


def test_a_limit_the_graph_alone_exceeds_is_a_clear_failure():
    pool = WorkerPool(GraphSource(files=tuple(str(f) for f in MINI_GRAPH_FILES)), 1, memory_mb=8)
    try:
        with pytest.raises(WorkerFailed, match=r"the graph takes \d+ MB in a query worker, which may use 8 MB"):
            pool.warm_up()
    finally:
        pool.close()


def test_query_workers_run_at_a_lower_cpu_priority(pool):
    ours = os.getpriority(os.PRIO_PROCESS, 0)
    for pid in worker_pids(pool):
        assert os.getpriority(os.PRIO_PROCESS, pid) >= min(19, ours + WORKER_NICENESS)


def test_four_hungry_queries_at_once_get_503s_and_the_app_serves_on(tmp_path, monkeypatch):
    app = make_app(
        tmp_path,
        SPARQL_WORKERS=2,
        SPARQL_WORKER_MEMORY_MB=LIMIT_MB,
        SPARQL_TIMEOUT=HANG_GUARD,
        SPARQL_QUICK_TIMEOUT=HANG_GUARD,
        SPARQL_PER_CLIENT=4,
        SPARQL_QUEUE=4,
        SPARQL_QUEUE_WAIT=HANG_GUARD,
    )
    pool = get_pool(app)
    try:
        pool.warm_up()
        responses = []

        def send() -> None:
            responses.append(app.test_client().get("/sparql", query_string={"query": HUNGRY}))

        threads = [threading.Thread(target=send) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(HANG_GUARD)
        assert [r.status_code for r in responses] == [503] * 4
        assert any(MESSAGE in r.get_data(as_text=True) for r in responses)
        answer = app.test_client().get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
        assert answer.status_code == 200 and answer.json["boolean"] is True
        assert len(pool._workers) == pool.size == 2
    finally:
        pool.close()
