"""Run queries in worker processes, so a query past its time limit can be stopped for real.

Python threads cannot be killed, and Oxigraph does not stop a query half-way, so each query runs in one of a
few worker processes, each with its own copy of the graph. A worker that overruns the time limit is killed
and replaced; the other workers keep answering meanwhile. Workers come from a ``forkserver``: a clean
process (no server threads to fork) that has imported the graph code once, so a replacement is ready in
about the time it takes to load the graph.

A worker may also use at most ``memory_mb`` of memory, graph included (:data:`DEFAULT_MEMORY_MB`; an idle
worker on the shipped graph holds about 60 MB). Two things hold it there. While a query runs, the pool
reads the worker's resident memory every :data:`POLL_SECONDS` and kills it past the limit; and the worker
itself runs under a data-size limit (``RLIMIT_DATA``) of the same size, which stops a sudden allocation
between two readings: Oxigraph (Rust) aborts when an allocation fails, Python raises ``MemoryError``
and the worker exits. Either way the query gets :class:`QueryOutOfMemory` (503) and the worker is replaced.
Workers also run at a lower CPU priority (:data:`WORKER_NICENESS`), so runaway queries leave the cores to
the server threads that serve learners.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import queue
import resource
import signal
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from opsprep.errors import ErrorKind, OpsprepError
from opsprep.graph import GraphError
from opsprep.graph.dataset import Answer, QueryDataset, QueryRequest

from .sandbox import isolate_network

log = logging.getLogger("opsprep.web.sparql")
READY_TIMEOUT = 60.0  # seconds a new worker may take to load the graph
#: memory a worker may use, graph included, unless the pool is told otherwise (``None``: no limit)
DEFAULT_MEMORY_MB = 512
#: seconds between two readings of a busy worker's memory
POLL_SECONDS = 0.05
#: how much a worker lowers its CPU priority (``nice``) as it starts
WORKER_NICENESS = 10
#: the exit status of a worker that ran out of memory in Python code
MEMORY_EXIT_STATUS = 75
#: seconds a worker whose pipe closed may take to exit, so its exit status says why it stopped
EXIT_WAIT = 5.0


class QueryTimeout(OpsprepError):
    """The query ran past its time limit; its worker was killed."""

    kind = ErrorKind.UNAVAILABLE


class PoolBusy(OpsprepError):
    """Every worker stayed busy for as long as a query may run."""

    kind = ErrorKind.UNAVAILABLE
    headers = {"Retry-After": "1"}


class QueryOutOfMemory(OpsprepError):
    """The query needed more memory than a worker may use; the worker was stopped."""

    kind = ErrorKind.UNAVAILABLE

    def __init__(self, memory_mb: int) -> None:
        super().__init__(f"The query needed more than {memory_mb:,} MB and was stopped.")


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


def _worker_main(conn: Connection, source: GraphSource, memory_bytes: int | None = None) -> None:
    """A worker's life: lose the network, load the graph, say so, then answer requests until the pipe closes.

    With ``memory_bytes``, the worker limits its own data size once the graph is loaded, and exits with
    :data:`MEMORY_EXIT_STATUS` when Python runs out of memory (Oxigraph aborts by itself).
    """
    isolation = isolate_network()  # first, before any query could run
    lower_priority()
    try:
        dataset = source.load()
    except Exception as exc:  # reported to the parent, which raises WorkerFailed
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    gc.collect()
    no_room = limit_data_size(memory_bytes)
    if no_room:
        conn.send(("failed", no_room))
        return
    conn.send(("ready", isolation, resident_bytes(os.getpid())))
    try:
        while _answer_one(conn, dataset):
            pass
    except MemoryError:
        os._exit(MEMORY_EXIT_STATUS)  # at once: cleaning up would need memory too


def _answer_one(conn: Connection, dataset: QueryDataset) -> bool:
    """Answer the next request; False once the pipe is closed."""
    try:
        request = conn.recv()
    except (EOFError, OSError):
        return False
    try:
        reply = ("ok", dataset.answer(request))
    except GraphError as exc:
        reply = ("error", exc)
    except MemoryError:
        raise
    except Exception as exc:  # an evaluation or serialization error: report it, keep serving
        reply = ("error", QueryFailed(f"The query failed while it ran: {type(exc).__name__}: {exc}"))
    conn.send(reply)
    return True


def lower_priority() -> None:
    """Lower this process's CPU priority by :data:`WORKER_NICENESS` (as far as the system allows)."""
    try:
        os.nice(WORKER_NICENESS)
    except OSError as exc:
        log.warning("a query worker kept its CPU priority: %s", exc)


def limit_data_size(limit: int | None) -> str | None:
    """Limit this process's data size (heap and private memory) to ``limit`` bytes, if given.

    Returns why not when the process already uses that much (the graph would leave no room for queries).
    """
    if not limit:
        return None
    used = _status_bytes(os.getpid(), "VmData")
    if used is not None and used >= limit:
        return (
            f"the graph takes {used / 2**20:,.0f} MB in a query worker, which may use {limit / 2**20:,.0f} MB "
            "in all; raise the query workers' memory limit"
        )
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    cap = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (cap, cap))
    return None


def resident_bytes(pid: int) -> int | None:
    """The resident memory of process ``pid`` in bytes (``None`` where ``/proc`` cannot say)."""
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _status_bytes(pid: int, field_name: str) -> int | None:
    """A ``kB`` field of ``/proc/<pid>/status`` in bytes (``None`` where there is none)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                name, _, value = line.partition(":")
                if name == field_name:
                    return int(value.split()[0]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


class Worker:
    """One worker process and the pipe to it."""

    def __init__(self, context, source: GraphSource, memory_mb: int | None = None):
        self.memory_mb = memory_mb or None
        self.conn, child = context.Pipe()
        memory_bytes = self.memory_mb and self.memory_mb * 2**20
        self.process = context.Process(
            target=_worker_main, args=(child, source, memory_bytes), daemon=True, name="sparql-worker"
        )
        self.process.start()
        child.close()
        self.ready = False
        self.isolation: tuple[bool, str] | None = None  # (no network, how or why not), once ready
        self.idle_bytes: int | None = None  # resident memory with the graph loaded, once ready

    def call(self, request: QueryRequest, timeout: float) -> Answer:
        """Send one request and wait at most ``timeout`` seconds for the answer.

        Raises :class:`QueryTimeout` or :class:`QueryOutOfMemory` (the worker is then killed, or dead),
        :class:`WorkerFailed`, or the graph layer's error for the query.
        """
        try:
            if not self.ready:
                self.wait_ready()
            self.conn.send(request)
            self._wait_for_answer(timeout)
            status, payload = self.conn.recv()
        except (EOFError, OSError) as exc:
            raise self._stopped(exc) from None
        if status == "error":
            raise payload
        return payload

    def _wait_for_answer(self, timeout: float) -> None:
        """Wait until the answer (or the end of the pipe) can be read, watching the worker's memory."""
        deadline = time.monotonic() + timeout
        while not self.conn.poll(max(0.0, min(POLL_SECONDS, deadline - time.monotonic()))):
            if time.monotonic() >= deadline:
                raise QueryTimeout(f"The query ran past its {timeout:g}-second limit and was stopped.")
            if self.memory_mb and (resident_bytes(self.process.pid) or 0) > self.memory_mb * 2**20:
                self.process.kill()
                raise QueryOutOfMemory(self.memory_mb)

    def _stopped(self, exc: BaseException) -> OpsprepError:
        """The error for a worker whose pipe broke: out of memory if its exit status says so."""
        self.process.join(EXIT_WAIT)
        out_of_memory = self.process.exitcode in (-signal.SIGABRT, MEMORY_EXIT_STATUS)
        if self.memory_mb and out_of_memory:
            return QueryOutOfMemory(self.memory_mb)
        return WorkerFailed(f"The query worker stopped unexpectedly ({exc or type(exc).__name__}).")

    def wait_ready(self) -> None:
        """Block until the worker has loaded the graph."""
        if not self.conn.poll(READY_TIMEOUT):
            raise WorkerFailed(f"A query worker did not load the graph within {READY_TIMEOUT:g} s.")
        status, message, *more = self.conn.recv()
        if status != "ready":
            raise WorkerFailed(f"A query worker could not load the graph: {message}")
        self.isolation = tuple(message)
        self.idle_bytes = more[0] if more else None
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

    def __init__(self, source: GraphSource, size: int | None = None, memory_mb: int | None = DEFAULT_MEMORY_MB):
        self.source = source
        self.size = size or max(2, os.cpu_count() or 1)
        self.memory_mb = int(memory_mb) if memory_mb else None  # what one worker may use, graph included
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(["opsprep.graph.dataset", "opsprep.graph.store"])
        self._idle: queue.SimpleQueue[Worker] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._workers: set[Worker] = set()
        self.closed = False
        for _ in range(self.size):
            self._idle.put(self._spawn())

    def _spawn(self) -> Worker:
        worker = Worker(self._context, self.source, self.memory_mb)
        with self._lock:
            self._workers.add(worker)
        return worker

    def _retire(self, worker: Worker) -> None:
        with self._lock:
            self._workers.discard(worker)
        worker.stop()

    def run(self, request: QueryRequest, timeout: float) -> Answer:
        """Answer ``request`` in a worker within ``timeout`` seconds of running time.

        Raises :class:`QueryTimeout`, :class:`QueryOutOfMemory` (the worker is replaced for both),
        :class:`PoolBusy` (no worker free within ``timeout``), :class:`WorkerFailed`, or the graph
        layer's error for the query.
        """
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise PoolBusy("Every query worker is busy; try again in a moment.") from None
        try:
            return worker.call(request, timeout)
        except (QueryTimeout, QueryOutOfMemory, WorkerFailed):
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

    @property
    def idle_memory_mb(self) -> int | None:
        """The most resident memory a ready worker held idle (graph loaded), in MB; None before any is ready."""
        with self._lock:
            sizes = [w.idle_bytes for w in self._workers if w.idle_bytes is not None]
        return round(max(sizes) / 2**20) if sizes else None

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
