"""Learners' pages and cheap SPARQL queries while eight clients loop runaway queries, over HTTP on localhost.

Serves the shipped graph with ``opsprep serve --production`` (waitress, 8 threads, the default number of
query workers and the default 5-second time limit) in a subprocess, with a temporary instance folder.
Each client connects from its own loopback address (127.0.0.N), so the endpoint tells them apart as it
would tell apart hosts on a network. Throughout, a learner loads two pages in turn (the home page, logged
out, and a graph page), one request at a time, and a cheap-query client sends ``ASK {}`` ten times a
second. There are four runs of ``--seconds`` each:

- idle: nothing else;
- polite runaways: ``--clients`` clients each loop a cartesian product that runs into the time limit,
  sending the next query as soon as the last is answered, but waiting out the ``Retry-After`` of a 503.
  They start with the run, so it includes the first seconds, before any of them is known to be slow.
  The target is checked here: the learner's p99 at most twice the idle p99, and no cheap query refused;
- impatient runaways: the same clients, straight on, now sending again at once after a 503 too;
- page flood: as many clients loop a request for a page that does not exist (a 404 as quick as a 503).

An impatient client that is refused at once is a request flood, so the last two runs are compared with
each other: what a flood costs the server is no longer the queries' doing.

For each run it prints the learner's p50/p99/max, the ratio of its p99 to the idle p99, the cheap queries
answered and refused with their latency, what became of the runaway queries, and how busy the server
process was; first the machine and its load average.

    python benchmarks/sparql_isolation.py [--seconds 10] [--clients 8]
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from timing import machine

HOST = "127.0.0.1"
PAGES = ["/", "/graph/tool/ansible"]
MISSING = "/no-such-page"
CHEAP = "ASK {}"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
CHEAP_EVERY = 0.1  # seconds between cheap queries
TARGET_RATIO = 2.0  # loaded p99 / idle p99 of the learner's pages


def free_port() -> int:
    """A port nobody listens on now."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def percentile(values: list[float], fraction: float) -> float:
    """The value below which ``fraction`` of ``values`` fall (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def summary(values: list[float]) -> str:
    """``p50 / p99 / max`` of millisecond timings, or a dash for none."""
    if not values:
        return "-"
    return f"{statistics.median(values):.1f} / {percentile(values, 0.99):.1f} / {max(values):.1f} ms"


class Client:
    """One keep-alive HTTP connection from its own loopback address, reopened when the server closes it."""

    def __init__(self, port: int, address: str):
        self.port, self.address = port, address
        self.conn: http.client.HTTPConnection | None = None

    def get(self, path: str, accept: str = "*/*") -> tuple[int, dict[str, str], bytes]:
        """GET ``path``; return (status, headers, body)."""
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=60, source_address=(self.address, 0))
            try:
                self.conn.request("GET", path, headers={"Accept": accept})
                response = self.conn.getresponse()
                body = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.close()
                return response.status, dict(response.getheaders()), body
            except (http.client.HTTPException, OSError):
                self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def query(self, text: str) -> tuple[int, dict[str, str], bytes]:
        """GET /sparql with ``text``, asking for SPARQL JSON."""
        return self.get("/sparql?" + urllib.parse.urlencode({"query": text}), "application/sparql-results+json")

    def close(self) -> None:
        """Drop the connection (the next request opens another)."""
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def start_server(port: int, folder: Path) -> tuple[subprocess.Popen, Path]:
    """``opsprep serve --production`` on ``port``, its instance folder and log under ``folder``."""
    log = folder / "server.log"
    env = {**os.environ, "OPSPREP_INSTANCE": str(folder / "instance")}
    command = [sys.executable, "-c", "from opsprep.cli import main; main()", "serve", "--production"]
    with log.open("w") as out:
        process = subprocess.Popen([*command, "--port", str(port)], stdout=out, stderr=subprocess.STDOUT, env=env)
    probe = Client(port, HOST)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode}; see {log}")
        try:
            if probe.query(CHEAP)[0] == 200 and all(probe.get(page)[0] == 200 for page in PAGES):
                probe.close()
                return process, log
        except OSError:
            pass
        time.sleep(0.25)
    process.kill()
    raise SystemExit(f"the server did not answer within 120 s; see {log}")


def cpu_seconds(pid: int) -> float:
    """User and system CPU seconds of process ``pid`` so far (its own, not its children's); 0 off Linux."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Runaways:
    """What became of the runaway queries: a count per outcome, and how long each refusal took."""

    outcomes: Counter = field(default_factory=Counter)
    refusal_ms: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, status: int, body: bytes, seconds: float) -> None:
        """Count one answer."""
        if b"ran past" in body:
            outcome = "runaway queries stopped at a time limit"
        elif status == 503:
            outcome = "runaway queries refused (503)"
        else:
            outcome = f"HTTP {status}"
        with self.lock:
            self.outcomes[outcome] += 1
            if status == 503 and b"ran past" not in body:
                self.refusal_ms.append(seconds * 1000)


@dataclass
class Run:
    """One run's figures: milliseconds per learner page, cheap queries answered and refused, the runaways'
    fate, and the share of one core the server process used."""

    name: str
    pages: dict[str, list[float]] = field(default_factory=lambda: {page: [] for page in PAGES})
    answered: list[float] = field(default_factory=list)
    refused: list[float] = field(default_factory=list)
    runaways: Runaways = field(default_factory=Runaways)
    server_cpu: float = 0.0

    @property
    def learner(self) -> list[float]:
        """Every learner request of the run."""
        return [t for page in PAGES for t in self.pages[page]]


def learner(client: Client, until: float, run: Run) -> None:
    """Load the learner's pages in turn until ``until``."""
    n = 0
    while time.monotonic() < until:
        page = PAGES[n % len(PAGES)]
        start = time.perf_counter()
        status, _, _ = client.get(page)
        took = (time.perf_counter() - start) * 1000
        if status != 200:
            raise SystemExit(f"{page} answered {status}")
        run.pages[page].append(took)
        n += 1


def cheap(client: Client, until: float, run: Run) -> None:
    """Send the cheap query every ``CHEAP_EVERY`` seconds until ``until``."""
    while time.monotonic() < until:
        start = time.perf_counter()
        status, _, _ = client.query(CHEAP)
        took = time.perf_counter() - start
        (run.answered if status == 200 else run.refused).append(took * 1000)
        time.sleep(max(0.0, CHEAP_EVERY - took))


@dataclass
class Loopers:
    """Clients that each loop ``loop`` from their own address until stopped; they record into ``log``,
    which each run replaces with its own, and wait out a 503's Retry-After while ``polite``."""

    port: int
    clients: int
    loop: Callable[[Client, Loopers], None]
    polite: bool = True
    log: Runaways = field(default_factory=Runaways)
    stopping: threading.Event = field(default_factory=threading.Event)
    threads: list[threading.Thread] = field(default_factory=list)

    def start(self) -> Loopers:
        """Start the clients."""
        for n in range(self.clients):
            client = Client(self.port, f"127.0.0.{10 + n}")
            self.threads.append(threading.Thread(target=self.loop, args=(client, self)))
            self.threads[-1].start()
        return self

    def stop(self) -> None:
        """Stop the clients: each ends when its last request is answered (within the time limit or so)."""
        self.stopping.set()
        for thread in self.threads:
            thread.join(60)


def runaway(client: Client, loopers: Loopers) -> None:
    """Loop the runaway query until stopped."""
    while not loopers.stopping.is_set():
        start = time.perf_counter()
        status, headers, body = client.query(RUNAWAY)
        loopers.log.record(status, body, time.perf_counter() - start)
        if loopers.polite and "Retry-After" in headers:
            loopers.stopping.wait(float(headers["Retry-After"]))
    client.close()


def flood(client: Client, loopers: Loopers) -> None:
    """Loop a request for a missing page until stopped."""
    while not loopers.stopping.is_set():
        status, _, _ = client.get(MISSING)
        with loopers.log.lock:
            loopers.log.outcomes[f"requests for a missing page (HTTP {status})"] += 1
    client.close()


def measure(name: str, port: int, server: int, seconds: float, loopers: Loopers | None = None) -> Run:
    """One run: the learner and the cheap client for ``seconds``, beside the ``loopers`` if any."""
    run = Run(name)
    if loopers is not None:
        loopers.log = run.runaways
    cpu, start = cpu_seconds(server), time.monotonic()
    until = start + seconds
    measured = [
        threading.Thread(target=learner, args=(Client(port, "127.0.0.2"), until, run)),
        threading.Thread(target=cheap, args=(Client(port, "127.0.0.3"), until, run)),
    ]
    for thread in measured:
        thread.start()
    for thread in measured:
        thread.join()
    run.server_cpu = (cpu_seconds(server) - cpu) / (time.monotonic() - start)
    return run


def measure_all(port: int, server: int, seconds: float, clients: int) -> list[Run]:
    """The four runs; the same runaway clients go from polite to impatient without a pause."""
    measure("warm-up", port, server, min(2.0, seconds))  # templates, caches, connections
    runs = [measure("idle", port, server, seconds)]
    runaways = Loopers(port, clients, runaway).start()
    try:
        runs.append(measure("polite runaways", port, server, seconds, runaways))
        runaways.polite = False
        runs.append(measure("impatient runaways", port, server, seconds, runaways))
    finally:
        runaways.stop()
    flooders = Loopers(port, clients, flood).start()
    try:
        runs.append(measure("page flood", port, server, seconds, flooders))
    finally:
        flooders.stop()
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10, help="length of each run (default 10)")
    parser.add_argument("--clients", type=int, default=8, help="runaway clients (default 8)")
    args = parser.parse_args()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{machine()} {platform.system()}; load average {load} before the run")
    with tempfile.TemporaryDirectory(prefix="opsprep-bench-") as tmp:
        port = free_port()
        server, log = start_server(port, Path(tmp))
        try:
            runs = measure_all(port, server.pid, args.seconds, args.clients)
        finally:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
        workers = next((line for line in log.read_text().splitlines() if line.startswith("SPARQL:")), "SPARQL: ?")
    print(f"server: opsprep serve --production (8 threads); {workers.removeprefix('SPARQL: ')}")
    print(f"runs of {args.seconds:g} s; {args.clients} runaway clients loop: {RUNAWAY}")
    report(runs)


def report(runs: list[Run]) -> None:
    """Print the learner's latency per run against the idle run, then the queries of each run."""
    idle = runs[0]
    print()
    print(f"{'learner (p50 / p99 / max)':<22}" + "".join(f" {run.name:>28}" for run in runs))
    for page in PAGES:
        print(f"{page:<22}" + "".join(f" {summary(run.pages[page]):>28}" for run in runs))
    print(f"{'both pages':<22}" + "".join(f" {summary(run.learner):>28}" for run in runs))
    print(f"{'requests':<22}" + "".join(f" {len(run.learner):>28,}" for run in runs))
    idle_p99 = percentile(idle.learner, 0.99)
    ratios = {run.name: percentile(run.learner, 0.99) / idle_p99 for run in runs[1:]}
    polite = runs[1]
    verdict = "ok" if ratios[polite.name] <= TARGET_RATIO and not polite.refused else "MISSED"
    print(
        f"learner p99 under polite runaways: {ratios[polite.name]:.2f}x the idle p99, {len(polite.refused)} "
        f"cheap queries refused; target <= {TARGET_RATIO:g}x and none refused: {verdict}"
    )
    print(
        f"learner p99 under impatient runaways: {ratios['impatient runaways']:.2f}x; under a page flood from "
        f"as many clients: {ratios['page flood']:.2f}x"
    )
    print()
    for run in runs:
        print(f"{run.name}:")
        print(
            f"  cheap queries ({CHEAP}): {len(run.answered)} answered ({summary(run.answered)}), "
            f"{len(run.refused)} refused ({summary(run.refused)})"
        )
        if run.runaways.outcomes:
            outcomes = ", ".join(f"{n:,} {outcome}" for outcome, n in sorted(run.runaways.outcomes.items()))
            refusals = f"; the refusals took {summary(run.runaways.refusal_ms)}" if run.runaways.refusal_ms else ""
            print(f"  looping clients: {outcomes}{refusals}")
        print(f"  server process: {run.server_cpu:.0%} of one core")


if __name__ == "__main__":
    main()
