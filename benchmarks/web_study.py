"""Server time of the study page and of answering, with the shipped graph's full question bank loaded.

The web app runs in-process behind Flask's test client (no network, so the time is the server's:
routing, session cookie, login, progress store, engine, template), on a fresh WAL-mode progress file
in a temporary folder. A learner registers, gets a history of ``--history`` answers through the
engine, then studies ``--runs`` questions through the pages, each in four requests:

- ``GET /study/<cert>``: the next question (queue, counts, presentation, page);
- ``POST answer``: grade the answer and keep it until it is rated (then a redirect);
- ``GET`` feedback: right and wrong options, explanation, sources, the four intervals;
- ``POST rating``: amend the stored answer with the page's default rating (Good when right, Again when
  wrong) and re-run its schedule (then a redirect).

It prints the median and 99th percentile of each, and the machine it ran on. Target: under 20 ms median.

    python benchmarks/web_study.py [--cert DOP-C02] [--runs 300] [--history 2000]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path
from unittest import mock

from opsprep.engine import Progress
from opsprep.web.app import create_app
from opsprep.web.resources import get_bank

TARGET_MS = 20.0


def percentile(values: list[float], fraction: float) -> float:
    """The value below which ``fraction`` of ``values`` fall (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def make_history(database: str, bank, cert: str, answers: int) -> None:
    """Give a learner ``answers`` answers (80 % right) through the engine, as earlier study sessions would."""
    with Progress.open(database, bank) as progress:
        learner = progress.learner(progress.create_learner("history").id)
        learner.update_settings(daily_new_limit=9999)
        for n in range(answers):
            card = learner.next_card(cert)
            if card is None:
                break
            p = card.presentation
            letters = p.correct_letters if n % 5 else tuple(o.letter for o in p.options if not o.correct)[:1]
            learner.submit(card.item.id, card.seed, letters, 5000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cert", default="DOP-C02", help="certification to study (exam code)")
    parser.add_argument("--runs", type=int, default=300, help="questions studied through the pages")
    parser.add_argument("--history", type=int, default=2000, help="earlier answers in the learner's store")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="opsprep-bench-"))
    database = str(folder / "progress.db")
    config = {"TESTING": True, "SECRET_KEY": "bench", "DATABASE": database, "WTF_CSRF_ENABLED": False}
    with mock.patch.dict(os.environ, {"OPSPREP_INSTANCE": str(folder / "instance")}):
        app = create_app(config)
    started = time.perf_counter()
    with app.app_context():
        bank = get_bank()
    built = time.perf_counter() - started
    make_history(database, bank, args.cert, args.history)

    client = app.test_client()
    client.post("/register", data={"name": "bench", "password": "benchmark!", "confirm": "benchmark!"})
    client.post("/settings/", data={"desired_retention": "0.9", "daily_new_limit": "9999", "default_cert": ""})
    url = f"/study/{args.cert}"
    times: dict[str, list[float]] = {"GET study page": [], "POST answer": [], "GET feedback": [], "POST rating": []}

    def timed(name: str, call, *call_args, **kwargs):
        start = time.perf_counter()
        response = call(*call_args, **kwargs)
        times[name].append((time.perf_counter() - start) * 1000)
        return response

    warm_up = 20
    for run in range(args.runs + warm_up):
        page = timed("GET study page", client.get, url).get_data(as_text=True)
        item = re.search(r'name="item_id" value="([^"]+)"', page)
        if item is None:
            sys.exit("The queue ran dry; lower --runs.")
        seed = re.search(r'name="seed" value="(\d+)"', page).group(1)
        hint = re.search(r"Choose (\d+)\.", page)
        picks = int(hint.group(1)) if hint else 1  # "Choose TWO" and the like
        form = {"action": "answer", "item_id": item.group(1), "seed": seed, "choice": list("ABCDE"[:picks])}
        assert timed("POST answer", client.post, url, data={**form, "response_ms": "4000"}).status_code == 302
        feedback = timed("GET feedback", client.get, url).get_data(as_text=True)
        assert "rate-form" in feedback, re.findall(r"class=\"flash[^>]*>([^<]*)", feedback)
        # the rating the page's Space key sends: Good after a right answer, Again after a wrong one (the only
        # rating a wrong answer can have)
        rating = re.search(r'data-default-rating="(\w+)"', feedback).group(1)
        rated = {"action": "rate", "item_id": item.group(1), "seed": seed, "rating": rating}
        assert timed("POST rating", client.post, url, data=rated).status_code == 302
        if run == warm_up - 1:
            for values in times.values():
                values.clear()

    with Progress.open(database, bank) as progress:
        reviews = progress.store.scalar("SELECT count(*) FROM reviews")
    print(f"opsprep web study benchmark: {args.cert}, {len(bank):,} questions in the bank (built in {built:.1f} s)")
    print(f"progress store: {reviews:,} reviews after the run; {args.runs} questions timed after {warm_up} warm-up")
    print(f"machine: {platform.machine()} {platform.processor() or ''} {os.cpu_count()} cores, {platform.system()}")
    print(f"python {platform.python_version()}, flask {version('flask')}, sqlite {sqlite3.sqlite_version}")
    print()
    print(f"{'request':<16} {'median ms':>10} {'p99 ms':>8} {'max ms':>8}  target < {TARGET_MS:.0f} ms median")
    for name, values in times.items():
        median = statistics.median(values)
        verdict = "ok" if median < TARGET_MS else "SLOW"
        print(f"{name:<16} {median:>10.2f} {percentile(values, 0.99):>8.2f} {max(values):>8.2f}  {verdict}")


if __name__ == "__main__":
    main()
