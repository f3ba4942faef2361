"""The study page beside a Flask hello-world, served by the same server to the same client.

Both apps run in this process under waitress (the production server of ``opsprep serve``), each on its
own port of 127.0.0.1; one keep-alive ``http.client`` connection per app sends the requests, alternating
between the two so that the machine's load drifts over both alike. The study app runs on the shipped
graph's full question bank and a fresh WAL-mode progress file; its learner logs in through the login
form and has a history of ``--history`` answers (made through the engine), so the page shows a real
queue. What is timed is one ``GET /study/<cert>``: session cookie, login, progress store, queue,
counts, presentation and page; and one ``GET /hello`` of a Flask app that returns a fixed string.

A learner who reloads the study page gets the page made last time while nothing on it has changed
(``web/study_cache.py``), as the timed requests do: nothing is written between them. For comparison, a
second server of the same app on the same database, with ``STUDY_PAGE_CACHE = False``, makes the page
afresh at every request (the same session cookie logs in there too); it is timed afterwards, beside the
hello-world again, so that it does not disturb the first comparison.

It prints the median and 99th percentile of each, the ratios and the machine it ran on.
Target: the study page within twice the hello-world's median.

    python benchmarks/study_page.py [--cert DOP-C02] [--runs 500] [--history 2000]
"""

from __future__ import annotations

import argparse
import http.client
import os
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from datetime import UTC, datetime, timedelta
from importlib.metadata import version
from pathlib import Path
from unittest import mock

import waitress
from flask import Flask
from timing import machine

from opsprep.engine import Progress
from opsprep.web.app import create_app
from opsprep.web.resources import BANK_KEY, get_bank

HOST = "127.0.0.1"
TARGET_RATIO = 2.0
PASSWORD = "benchmark!"


def percentile(values: list[float], fraction: float) -> float:
    """The value below which ``fraction`` of ``values`` fall (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def hello_app() -> Flask:
    """The reference: a Flask app with one route that returns a fixed string."""
    app = Flask("hello")

    @app.get("/hello")
    def hello() -> str:
        return "Hello, World!"

    return app


def study_app(folder: Path, **settings) -> Flask:
    """The opsprep app on the shipped graph, with its database and instance folder in ``folder``."""
    config = {"SECRET_KEY": "bench", "DATABASE": str(folder / "progress.db"), "WTF_CSRF_ENABLED": False, **settings}
    with mock.patch.dict(os.environ, {"OPSPREP_INSTANCE": str(folder / "instance")}):
        return create_app(config)


def make_history(app: Flask, name: str, cert: str, answers: int, days: int = 60) -> None:
    """Give the learner ``name`` ``answers`` answers (80 % right) through the engine, spread over the last
    ``days`` days as daily study would be, so that some cards are due now and others later."""
    with app.app_context():
        bank = get_bank()
    start = datetime.now(UTC) - timedelta(days=days)
    with Progress.open(app.config["DATABASE"], bank) as progress:
        learner = progress.learner(progress.find_learner(name).id)
        learner.update_settings(daily_new_limit=max(1, answers // (2 * days)))
        for n in range(answers):
            now = start + timedelta(days=days) * n / answers
            card = learner.next_card(cert, now=now)
            if card is None:
                continue
            p = card.presentation
            letters = p.correct_letters if n % 5 else tuple(o.letter for o in p.options if not o.correct)[:1]
            learner.submit(card.item.id, card.seed, letters, 5000, now=now, cert=cert)


def serve(app: Flask) -> tuple[int, threading.Thread]:
    """Serve ``app`` with waitress on a free port in a daemon thread; its port."""
    server = waitress.create_server(app, host=HOST, port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    return server.effective_port, thread


class Client:
    """One keep-alive connection that keeps the cookies it is given."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection(HOST, port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, text


def alternate(calls: list[tuple[str, Client, str]], runs: int, warm_up: int) -> dict[str, list[float]]:
    """Milliseconds of ``runs`` requests of each call after ``warm_up`` untimed ones, taking turns and
    swapping which goes first every run."""
    times: dict[str, list[float]] = {name: [] for name, _, _ in calls}
    for run in range(runs + warm_up):
        for name, client, url in calls if run % 2 else reversed(calls):
            start = time.perf_counter()
            status, _ = client.request("GET", url)
            elapsed = (time.perf_counter() - start) * 1000
            if status != 200:
                sys.exit(f"{name} answered {status}.")
            if run >= warm_up:
                times[name].append(elapsed)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cert", default="DOP-C02", help="certification studied (exam code)")
    parser.add_argument("--runs", type=int, default=500, help="timed requests of each page")
    parser.add_argument("--history", type=int, default=2000, help="earlier answers of the learner")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="opsprep-bench-"))
    app = study_app(folder)
    afresh_app = study_app(folder, STUDY_PAGE_CACHE=False)
    afresh_app.extensions[BANK_KEY] = get_bank(app)  # the same bank, built once
    study_port, _ = serve(app)
    afresh_port, _ = serve(afresh_app)
    hello_port, _ = serve(hello_app())
    study, afresh, hello = Client(study_port), Client(afresh_port), Client(hello_port)
    status, _ = study.request("POST", "/register", {"name": "bench", "password": PASSWORD, "confirm": PASSWORD})
    if status != 302:
        sys.exit(f"Registering failed with status {status}.")
    afresh.cookies = study.cookies  # the same session
    make_history(app, "bench", args.cert, args.history)
    path = f"/study/{args.cert}"
    for client in (study, afresh):
        status, page = client.request("GET", path)
        if status != 200 or 'name="item_id"' not in page:
            sys.exit(f"The study page did not show a question (status {status}).")

    warm_up = 50
    times = alternate([("GET /hello", hello, "/hello"), (f"GET {path}", study, path)], args.runs, warm_up)
    made_afresh = f"GET {path} (afresh)"
    beside = alternate([("GET /hello", hello, "/hello"), (made_afresh, afresh, path)], args.runs, warm_up)

    with Progress.open(app.config["DATABASE"]) as progress:
        reviews = progress.store.scalar("SELECT count(*) FROM reviews")
    with app.app_context():
        questions = len(get_bank())
    print(f"opsprep study page beside a Flask hello-world: {args.cert}, {questions:,} questions in the bank")
    print(f"learner history: {reviews:,} reviews; {args.runs} requests of each after {warm_up} warm-up, alternating")
    print(machine())
    print(f"flask {version('flask')}, waitress {version('waitress')}, sqlite {sqlite3.sqlite_version}")
    print()
    print(f"{'request':<22} {'median ms':>10} {'p99 ms':>8}")
    medians = {}
    for name, values in times.items():
        medians[name] = statistics.median(values)
        print(f"{name:<22} {medians[name]:>10.2f} {percentile(values, 0.99):>8.2f}")
    ratio = medians[f"GET {path}"] / medians["GET /hello"]
    verdict = "ok" if ratio <= TARGET_RATIO else "SLOW"
    print()
    print(f"study page / hello-world: {ratio:.1f}x (target <= {TARGET_RATIO:.0f}x) {verdict}")
    afresh_ms, hello_ms = statistics.median(beside[made_afresh]), statistics.median(beside["GET /hello"])
    print(
        f"made afresh at every request (STUDY_PAGE_CACHE off): {afresh_ms:.2f} ms median "
        f"(p99 {percentile(beside[made_afresh], 0.99):.2f}), {afresh_ms / hello_ms:.1f}x the hello-world beside it"
    )


if __name__ == "__main__":
    main()
