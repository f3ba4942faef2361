"""The web server's memory under parallel logins: password hashing must not multiply it.

Starts ``opsprep serve`` (waitress, the shipped graph) in a subprocess on a free port, registers one
learner, then, in each of ``--rounds`` rounds, fires ``--parallel`` failed logins at once with unknown
names and as many with the real name and a wrong password (each client with its own session and CSRF
token, fetched beforehand). The failed-login throttle is lifted for the run so that every login
hashes. It reads the server process's resident memory from ``/proc/<pid>/status``: ``VmRSS`` when
idle (after a few single logins of each kind) and ``VmHWM``, the peak, after the rounds (the peak is
reset once idle, through ``/proc/<pid>/clear_refs``; where that is refused, RSS is sampled instead).

It prints the peak rise in MB against the 64 MB target, and the time per login: one alone, and the
median and slowest of the parallel ones (hashes are computed one at a time, so those queue).

    python benchmarks/login_memory.py [--parallel 8] [--rounds 5]
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from timing import machine

from opsprep.engine.passwords import DEFAULT_METHOD, MAX_PARALLEL_HASHES

TARGET_MB = 64.0
PASSWORD = "benchmark password"
HOST = "127.0.0.1"


def status_kb(pid: int, field: str) -> int:
    """A ``/proc/<pid>/status`` field, in kB (VmRSS: resident now; VmHWM: the peak)."""
    text = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(rf"^{field}:\s+(\d+) kB", text, re.MULTILINE).group(1))


def reset_peak(pid: int) -> bool:
    """Reset the process's VmHWM to its current RSS; False where the kernel does not allow it."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return status_kb(pid, "VmHWM") <= status_kb(pid, "VmRSS") + 1024


class Sampler(threading.Thread):
    """The highest VmRSS seen while running (the fallback where VmHWM cannot be reset)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.highest, self.done = pid, 0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.002):
            self.highest = max(self.highest, status_kb(self.pid, "VmRSS"))


class Client:
    """One browser: its own connection and session cookie."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection(HOST, port, timeout=120)
        self.cookie = ""

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        """Send a request with the session cookie; the status and the body."""
        headers = {"Cookie": self.cookie} if self.cookie else {}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        text = response.read().decode()
        found = re.match(r"session=[^;]+", response.getheader("Set-Cookie") or "")
        if found:
            self.cookie = found.group()
        return response.status, text

    def form(self, page: str, fields: dict) -> dict:
        """``fields`` with the session's CSRF token, from a GET of ``page``."""
        _, html = self.request("GET", page)
        return {**fields, "csrf_token": re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)}

    def close(self) -> None:
        self.conn.close()


def start_server(folder: Path) -> tuple[subprocess.Popen, int]:
    """``opsprep serve`` on a free port; the process and its port, once it answers."""
    env = {
        **os.environ,
        "OPSPREP_INSTANCE": str(folder / "instance"),
        "OPSPREP_SPARQL_WORKERS": "1",
        "OPSPREP_LOGIN_LIMIT_PER_ADDRESS": "100000 per minute",
        "OPSPREP_LOGIN_LIMIT_PER_ACCOUNT": "100000 per minute",
        "PYTHONUNBUFFERED": "1",
    }
    log = (folder / "server.log").open("w")
    command = [sys.executable, "-m", "opsprep", "serve", "--port", "0"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=log, text=True)
    for line in process.stdout:
        found = re.match(r"Serving on http://[^:]+:(\d+)", line)
        if found:
            threading.Thread(target=process.stdout.read, daemon=True).start()  # keep the pipe drained
            return process, int(found.group(1))
    raise SystemExit(f"the server exited with {process.wait()}; see {folder / 'server.log'}")


def stop_server(process: subprocess.Popen) -> None:
    """Interrupt the server as Ctrl-C would, and wait for it to finish."""
    process.send_signal(signal.SIGINT)
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def login(client: Client, form: dict, gate: threading.Barrier, times: list[float]) -> None:
    """One failed login, sent when every other client is ready."""
    gate.wait()
    started = time.perf_counter()
    status, _ = client.request("POST", "/login", form)
    times.append(time.perf_counter() - started)
    if status != 401:
        raise SystemExit(f"a failed login answered {status}, not 401")


def burst(port: int, names: list[str], password: str) -> list[float]:
    """Failed logins for ``names``, all at once; the seconds each took."""
    clients = [Client(port) for _ in names]
    forms = [c.form("/login", {"name": n, "password": password}) for c, n in zip(clients, names, strict=True)]
    gate, times = threading.Barrier(len(names)), []
    threads = [threading.Thread(target=login, args=(c, f, gate, times)) for c, f in zip(clients, forms, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for client in clients:
        client.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parallel", type=int, default=8, help="logins fired at once (default 8)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of each kind (default 5)")
    args = parser.parse_args()

    print(machine())
    print(f"hash: {DEFAULT_METHOD}, {MAX_PARALLEL_HASHES} at a time")
    folder = Path(tempfile.mkdtemp(prefix="opsprep-login-"))
    process, port = start_server(folder)
    try:
        owner = Client(port)
        fields = {"name": "learner", "password": PASSWORD, "confirm": PASSWORD}
        status, _ = owner.request("POST", "/register", owner.form("/register", fields))
        if status != 302:
            raise SystemExit(f"registering answered {status}")
        owner.close()
        for name in ("nobody-warm-up", "learner"):  # the first makes the dummy hash unknown names are checked against
            burst(port, [name], "wrong password")
        alone = [t for n in range(3) for name in (f"nobody-alone-{n}", "learner") for t in burst(port, [name], "x")]
        idle_kb = status_kb(process.pid, "VmRSS")
        peak_reset = reset_peak(process.pid)
        sampler = Sampler(process.pid)
        sampler.start()
        unknown, known = [], []
        for round_number in range(args.rounds):
            names = [f"nobody-{round_number}-{n}" for n in range(args.parallel)]
            unknown += burst(port, names, "wrong password")
            known += burst(port, ["learner"] * args.parallel, "wrong password")
        sampler.done.set()
        sampler.join()
        peak_kb = status_kb(process.pid, "VmHWM") if peak_reset else sampler.highest
        after_kb = status_kb(process.pid, "VmRSS")
    finally:
        stop_server(process)

    rise = (peak_kb - idle_kb) / 1024
    how = "VmHWM, reset when idle" if peak_reset else "VmRSS sampled every 2 ms"
    idle, peak, after = idle_kb / 1024, peak_kb / 1024, after_kb / 1024
    print(f"server RSS: idle {idle:.1f} MB, peak {peak:.1f} MB ({how}), after {after:.1f} MB")
    verdict = "within" if rise <= TARGET_MB else "OVER"
    print(
        f"peak rise under {args.parallel} parallel failed logins x {args.rounds} rounds x 2 kinds: "
        f"{rise:.1f} MB ({verdict} the {TARGET_MB:g} MB target)"
    )
    print(f"one login alone: {statistics.median(alone):.2f} s")
    for kind, times in (("unknown names", unknown), ("real name, wrong password", known)):
        print(
            f"{args.parallel} at once, {kind}: median {statistics.median(times):.2f} s, slowest {max(times):.2f} s "
            f"({len(times)} logins)"
        )


if __name__ == "__main__":
    main()
