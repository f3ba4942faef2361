"""Run queries in worker processes, so a query past its time limit can be stopped for real.

Python threads cannot be killed, and Oxigraph does not stop a query half-way, so each query runs in one of a
few worker processes, each with its own copy of the graph. A worker that overruns the time limit is killed
and replaced; the other workers keep answering meanwhile. Workers come from a ``forkserver``: a clean
process (no server threads to fork) that has imported the graph code once, so a replacement is ready in
about the time it takes to load the graph.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import threading
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from opsprep.errors import ErrorKind, OpsprepError
from opsprep.graph import GraphError
from opsprep.graph.dataset import Answer, QueryDataset, QueryRequest

from .sandbox import isolate_network

log = logging.getLogger("opsprep.web.sparql")
READY_TIMEOUT = 60.0  # seconds a new worker may take to load the graph


class QueryTimeout(OpsprepError):
    """The query ran past its time limit; its worker was killed."""

    kind = ErrorKind.UNAVAILABLE


class PoolBusy(OpsprepError):
    """Every worker stayed busy for as long as a query may run."""

    kind = ErrorKind.UNAVAILABLE
    headers = {"Retry-After": "1"}


class WorkerFailed(OpsprepError):
    """A worker died or could not load the graph."""

    kind = ErrorKind.INTERNAL


class QueryFailed(OpsprepError):
    """The query raised something other than the graph layer's errors while it ran (the worker lives on)."""

    kind = ErrorKind.INTERNAL


@dataclass(frozen=True)
class GraphSource:
    """What a worker loads: Turtle files for the default graph (``None``: the shipped graph) and named graphs."""

    files: tuple[str, ...] | None = None
    named_graphs: tuple[tuple[str, str], ...] = field(default=())

    def load(self) -> QueryDataset:
        """Build the worker's dataset."""
        from opsprep.graph.store import default_graph, load_graph

        graph = default_graph() if self.files is None else load_graph([Path(f) for f in self.files])
        return QueryDataset(graph, dict(self.named_graphs))


def _worker_main(conn: Connection, source: GraphSource) -> None:
    """A worker's life: lose the network, load the graph, say so, then answer requests until the pipe closes."""
    isolation = isolate_network()  # first, before any query could run
    try:
        dataset = source.load()
    except Exception as exc:  # reported to the parent, which raises WorkerFailed
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", isolation))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send(("ok", dataset.answer(request)))
        except GraphError as exc:
            conn.send(("error", exc))
        except Exception as exc:  # an evaluation or serialization error: report it, keep serving
            conn.send(("error", QueryFailed(f"The query failed while it ran: {type(exc).__name__}: {exc}")))


class Worker:
    """One worker process and the pipe to it."""

    def __init__(self, context, source: GraphSource):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child, source), daemon=True, name="sparql-worker")
        self.process.start()
        child.close()
        self.ready = False
        self.isolation: tuple[bool, str] | None = None  # (no network, how or why not), once ready

    def call(self, request: QueryRequest, timeout: float) -> Answer:
        """Send one request and wait at most ``timeout`` seconds for the answer."""
        try:
            if not self.ready:
                self.wait_ready()
            self.conn.send(request)
            if not self.conn.poll(timeout):
                raise QueryTimeout(f"The query ran past its {timeout:g}-second limit and was stopped.")
            status, payload = self.conn.recv()
        except (EOFError, OSError) as exc:
            raise WorkerFailed(f"The query worker stopped unexpectedly ({exc or type(exc).__name__}).") from None
        if status == "error":
            raise payload
        return payload

    def wait_ready(self) -> None:
        """Block until the worker has loaded the graph."""
        if not self.conn.poll(READY_TIMEOUT):
            raise WorkerFailed(f"A query worker did not load the graph within {READY_TIMEOUT:g} s.")
        status, message = self.conn.recv()
        if status != "ready":
            raise WorkerFailed(f"A query worker could not load the graph: {message}")
        self.isolation = tuple(message)
        if not self.isolation[0]:
            log.warning(
                "a query worker kept its network access: %s; SERVICE is refused by the query check only",
                self.isolation[1],
            )
        self.ready = True

    def stop(self) -> None:
        """Kill the process (a no-op if it already ended) and close the pipe."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()
        self.process.close()


class WorkerPool:
    """A fixed number of workers; each query takes an idle one, and a worker that overruns is replaced."""

    def __init__(self, source: GraphSource, size: int | None = None):
        self.source = source
        self.size = size or max(2, os.cpu_count() or 1)
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(["opsprep.graph.dataset", "opsprep.graph.store"])
        self._idle: queue.SimpleQueue[Worker] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._workers: set[Worker] = set()
        self.closed = False
        for _ in range(self.size):
            self._idle.put(self._spawn())

    def _spawn(self) -> Worker:
        worker = Worker(self._context, self.source)
        with self._lock:
            self._workers.add(worker)
        return worker

    def _retire(self, worker: Worker) -> None:
        with self._lock:
            self._workers.discard(worker)
        worker.stop()

    def run(self, request: QueryRequest, timeout: float) -> Answer:
        """Answer ``request`` in a worker within ``timeout`` seconds of running time.

        Raises :class:`QueryTimeout`, :class:`PoolBusy` (no worker free within ``timeout``),
        :class:`WorkerFailed`, or the graph layer's error for the query.
        """
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise PoolBusy("Every query worker is busy; try again in a moment.") from None
        try:
            return worker.call(request, timeout)
        except (QueryTimeout, WorkerFailed):
            self._retire(worker)
            worker = self._spawn()
            raise
        finally:
            if self.closed:
                self._retire(worker)
            else:
                self._idle.put(worker)

    @property
    def network_isolated(self) -> bool | None:
        """True when every started worker has no network, False when one kept it, None before any is ready."""
        with self._lock:
            states = [w.isolation[0] for w in self._workers if w.isolation is not None]
        return None if not states else all(states)

    def warm_up(self) -> None:
        """Wait until every idle worker has loaded the graph (raises :class:`WorkerFailed` if one cannot)."""
        taken = []
        try:
            for _ in range(self.size):
                worker = self._idle.get(timeout=READY_TIMEOUT)
                taken.append(worker)
                if not worker.ready:
                    worker.wait_ready()
        finally:
            for worker in taken:
                self._idle.put(worker)

    def close(self) -> None:
        """Stop every worker."""
        self.closed = True
        with self._lock:
            workers = list(self._workers)
            self._workers.clear()
        for worker in workers:
            worker.stop()
