"""Admission to the SPARQL workers: per-client and global caps with a fast 503, a fair queue, long slots
for heavy queries and quick ones kept for the rest, and a slot that is always given back.

The rules are driven step by step (``enter`` and ``leave`` never block) on a clock the tests move by
hand; the blocking ``wait`` is tested with threads whose outcome does not depend on who runs first. The
endpoint tests go through the Flask test client and the real worker pool, holding slots directly.
"""

from __future__ import annotations

import contextlib
import threading
import time

import pytest

from opsprep.web.app import create_app
from opsprep.web.sparql import get_pool
from opsprep.web.sparql.admission import Admission, AdmissionRefused, Durations, query_key
from opsprep.web.sparql.views import get_admission

from .web_helpers import make_app

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
CHEAP = "ASK {}"
#: seconds anything here may wait: a guard against hanging, never a measure of speed
HANG_GUARD = 60.0


class Clock:
    """A monotonic clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def admission(slots: int = 2, **options) -> tuple[Admission, Clock]:
    clock = Clock()
    return Admission(slots, clock=clock, **options), clock


def idle(adm: Admission) -> bool:
    return adm.state() == {"running": 0, "long": 0, "waiting": 0, "clients": 0}


# ------------------------------------------------------------------------------------------------ caps


def test_a_client_with_enough_in_flight_is_refused_at_once_with_retry_after():
    adm, _ = admission(slots=1, queue=2, per_client=2)
    running, waiting = adm.enter("198.51.100.1"), adm.enter("198.51.100.1")
    assert (running.state, waiting.state) == ("running", "waiting")
    with pytest.raises(AdmissionRefused) as refused:
        adm.enter("198.51.100.1")  # never blocks: refused before it could wait
    assert refused.value.kind.status == 503
    assert refused.value.headers == {"Retry-After": "1"}
    assert "2 queries running or waiting" in refused.value.message
    assert adm.enter("198.51.100.2").state == "waiting"  # another client still gets the last place


def test_at_most_slots_run_and_queue_wait_then_the_rest_are_refused_at_once():
    adm, _ = admission(slots=2, queue=1)
    tickets = [adm.enter(f"198.51.100.{n}") for n in range(3)]
    assert [t.state for t in tickets] == ["running", "running", "waiting"]
    with pytest.raises(AdmissionRefused) as refused:
        adm.enter("198.51.100.9")
    assert refused.value.headers["Retry-After"] == "1"
    assert adm.state() == {"running": 2, "long": 1, "waiting": 1, "clients": 3}
    adm.leave(tickets[0])  # a slot frees: the waiter runs
    assert tickets[2].state == "running"
    assert adm.state() == {"running": 2, "long": 1, "waiting": 0, "clients": 2}


def test_a_waiter_is_refused_after_the_queue_wait_and_holds_nothing():
    adm, _ = admission(slots=1, queue=1, per_client=1)
    running = adm.enter("198.51.100.1")
    waiting = adm.enter("198.51.100.2")
    with pytest.raises(AdmissionRefused):
        adm.wait(waiting, timeout=0)
    assert waiting.state == "refused"
    assert adm.state() == {"running": 1, "long": 1, "waiting": 0, "clients": 1}
    adm.leave(waiting)  # leaving a refused ticket changes nothing
    assert adm.enter("198.51.100.2").state == "waiting"  # its client may send again
    adm.leave(running)


def test_a_zero_queue_wait_refuses_without_blocking():
    adm, _ = admission(slots=1, queue=1, queue_wait=0)
    held = adm.enter("198.51.100.1")
    with pytest.raises(AdmissionRefused), adm.slot("198.51.100.2"):
        pytest.fail("the block ran without a slot")
    adm.leave(held)
    assert idle(adm)


def test_caps_must_make_sense():
    for bad in ({"slots": 0}, {"slots": 1, "queue": -1}, {"slots": 1, "per_client": 0}):
        with pytest.raises(ValueError):
            Admission(**bad)


# -------------------------------------------------------------------------------------------- fairness


def test_a_fresh_cheap_query_runs_at_once_while_eight_clients_loop_runaways():
    adm, clock = admission(slots=2, queue=2, per_client=1)
    runaways = [f"203.0.113.{n}" for n in range(8)]
    heavy = query_key(RUNAWAY)
    long, quick = (adm.enter(client, heavy) for client in runaways[:2])  # nothing known yet: both slots
    assert (long.long, quick.long) == (True, False)
    clock.advance(2.0)  # the one in the quick slot is stopped at the quick limit
    quick.stopped(5.0)
    adm.leave(quick)
    third = adm.enter(runaways[2], heavy)
    assert third.state == "waiting"  # known now: it waits for the long slot
    cheap = adm.enter("192.0.2.100", query_key(CHEAP))
    assert (cheap.state, cheap.long) == ("running", False)
    adm.leave(cheap)
    clock.advance(3.0)
    long.stopped(5.0)
    adm.leave(long)
    assert (third.state, third.long) == ("running", True)  # the waiter takes the long slot
    clock.advance(5.0)
    third.stopped(5.0)
    adm.leave(third)
    assert idle(adm)
    for round_ in range(4):  # every runaway client sends again as soon as it is answered
        tickets = []
        for client in runaways:
            with contextlib.suppress(AdmissionRefused):
                tickets.append(adm.enter(client, heavy))
        assert [(t.state, t.long) for t in tickets] == [("running", True), ("waiting", False), ("waiting", False)]
        cheap = adm.enter(f"192.0.2.{round_}", query_key(CHEAP))  # a client never seen before
        assert (cheap.state, cheap.long) == ("running", False)
        clock.advance(0.002)
        adm.leave(cheap)
        clock.advance(5.0)
        for ticket in tickets[1:]:  # the waiters' wait runs out
            with pytest.raises(AdmissionRefused) as refused:
                adm.wait(ticket, timeout=0)
            assert refused.value.headers["Retry-After"] == "5"  # heavy: come back after a time limit
        adm.leave(tickets[0])  # the runaway stops at the limit
        assert idle(adm)


def test_a_quicker_newcomer_takes_the_place_of_the_slowest_waiter():
    adm, clock = admission(slots=1, queue=1, per_client=1)
    adm.durations.record("198.51.100.7", 4.0, clock())
    running = adm.enter("198.51.100.1")
    slow = adm.enter("198.51.100.7")
    quick = adm.enter("198.51.100.2")  # the queue is full, but this client's queries are quicker
    assert (slow.state, quick.state) == ("refused", "waiting")
    with pytest.raises(AdmissionRefused):
        adm.wait(slow, timeout=0)
    with pytest.raises(AdmissionRefused):
        adm.enter("198.51.100.3")  # no quicker than the waiter: refused
    adm.leave(running)
    assert quick.state == "running"


def test_quicker_waiters_go_first():
    adm, clock = admission(slots=1, queue=3)
    adm.durations.record("198.51.100.7", 6.0, clock())
    adm.durations.record("198.51.100.8", 2.0, clock())
    running = adm.enter("198.51.100.1")
    slowest, slower, quick = (adm.enter(c) for c in ("198.51.100.7", "198.51.100.8", "198.51.100.2"))
    order = []
    for _ in range(3):
        adm.leave(running)
        running = next(t for t in (slowest, slower, quick) if t.state == "running")
        order.append(running)
    assert order == [quick, slower, slowest]


def test_a_query_text_that_ran_long_marks_every_client_that_sends_it():
    adm, clock = admission(slots=2, queue=2, per_client=1)
    first = adm.enter("203.0.113.1", query_key(RUNAWAY))
    clock.advance(3.0)  # still running: the same text from anyone else is heavy already
    second = adm.enter("203.0.113.2", query_key(RUNAWAY))
    assert second.state == "waiting"
    assert adm.enter("203.0.113.3", query_key(CHEAP)).state == "running"
    adm.leave(first)


def test_heavy_queries_wait_for_a_long_slot_even_while_quick_ones_are_idle():
    adm, clock = admission(slots=4, queue=4, per_client=1)
    heavy = [f"203.0.113.{n}" for n in range(4)]
    for client in heavy:
        adm.durations.record(client, 5.0, clock())
    tickets = [adm.enter(client) for client in heavy]
    assert [(t.state, t.long) for t in tickets] == [("running", True)] * 2 + [("waiting", False)] * 2
    assert [(t.state, t.long) for t in (adm.enter(f"192.0.2.{n}") for n in range(2))] == [("running", False)] * 2
    adm.leave(tickets[0])  # a long slot frees: the next heavy waiter takes it
    assert (tickets[2].state, tickets[2].long) == ("running", True)


def test_a_query_takes_a_long_slot_when_one_is_free():
    adm, clock = admission(slots=2)
    first, second = adm.enter("198.51.100.1"), adm.enter("198.51.100.2")
    assert (first.long, second.long) == (True, False)
    adm.leave(first)
    assert adm.enter("198.51.100.3").long  # the long slot is free again
    adm.leave(second)
    assert adm.enter("198.51.100.4").long is False


def test_a_query_stopped_at_a_limit_counts_as_taking_the_whole_time_limit():
    adm, clock = admission(slots=2)
    held = adm.enter("198.51.100.1")
    quick = adm.enter("203.0.113.1", query_key(RUNAWAY))
    clock.advance(2.0)
    quick.stopped(5.0)
    adm.leave(quick)
    assert adm.durations.typical("203.0.113.1", clock()) == pytest.approx(2.5)
    assert adm.enter("203.0.113.1").state == "waiting"  # heavy now: no quick slot for it
    assert adm.enter("198.51.100.2", query_key(RUNAWAY)).state == "waiting"  # nor for its text
    adm.leave(held)


def test_a_single_slot_is_shared_with_heavy_clients():
    adm, clock = admission(slots=1)
    adm.durations.record("203.0.113.1", 5.0, clock())
    assert adm.enter("203.0.113.1").state == "running"


def test_a_quick_query_beside_a_slow_one_of_the_same_client_stays_quick():
    adm, clock = admission(slots=2, per_client=2)
    slow = adm.enter("198.51.100.1", query_key(RUNAWAY))
    clock.advance(4.0)
    assert adm.enter("198.51.100.1", query_key(CHEAP)).state == "running"
    adm.leave(slow)


# ------------------------------------------------------------------------------------ giving slots back


def test_a_slot_is_freed_when_the_block_raises():
    adm, _ = admission(slots=1)
    with pytest.raises(RuntimeError), adm.slot("198.51.100.1"):
        assert adm.state()["running"] == 1
        raise RuntimeError("the worker died")
    assert idle(adm)
    with adm.slot("198.51.100.1"):
        pass
    assert idle(adm)


def test_a_freed_slot_wakes_a_waiter_in_another_thread():
    adm, _ = admission(slots=1, queue=1)
    first, second = adm.enter("198.51.100.1"), adm.enter("198.51.100.2")
    outcome: list[str] = []

    def wait() -> None:
        try:
            adm.wait(second, timeout=HANG_GUARD)
            outcome.append(second.state)
        except AdmissionRefused:
            outcome.append("refused")

    thread = threading.Thread(target=wait)
    thread.start()
    adm.leave(first)  # before or after the thread waits: either way it runs
    thread.join(HANG_GUARD)
    assert outcome == ["running"]
    adm.leave(second)
    assert idle(adm)


def test_a_displaced_waiter_in_another_thread_is_refused():
    adm, clock = admission(slots=1, queue=1)
    adm.durations.record("203.0.113.1", 5.0, clock())
    held, slow = adm.enter("198.51.100.1"), adm.enter("203.0.113.1")
    outcome: list[str] = []

    def wait() -> None:
        try:
            adm.wait(slow, timeout=HANG_GUARD)
            outcome.append("ran")
        except AdmissionRefused:
            outcome.append("refused")

    thread = threading.Thread(target=wait)
    thread.start()
    quick = adm.enter("198.51.100.2")
    thread.join(HANG_GUARD)
    assert outcome == ["refused"]
    adm.leave(held)
    adm.leave(quick)
    assert idle(adm)


# --------------------------------------------------------------------------------------------- durations


def test_one_slow_answer_among_quick_ones_keeps_a_client_light():
    durations, now = Durations(), 0.0
    for _ in range(50):
        durations.record("198.51.100.1", 0.01, now)
    durations.record("198.51.100.1", 4.0, now)
    assert durations.typical("198.51.100.1", now) < 0.1


def test_a_runaway_marks_its_client_for_a_while_then_is_forgotten():
    durations = Durations(half_life=60.0)
    durations.record("203.0.113.1", 5.0, 0.0)
    assert durations.typical("203.0.113.1", 0.0) == pytest.approx(2.5)
    assert durations.typical("203.0.113.1", 60.0) > 1.0
    assert durations.typical("203.0.113.1", 240.0) < 0.5
    assert durations.typical("198.51.100.9", 0.0) == 0.0


def test_durations_remember_a_bounded_number_of_names():
    durations = Durations(memory=3)
    for n in range(5):
        durations.record(f"198.51.100.{n}", 5.0, float(n))
    durations.record("198.51.100.2", 5.0, 5.0)  # seen again: kept
    durations.record("198.51.100.9", 5.0, 6.0)
    kept = [n for n in range(10) if durations.typical(f"198.51.100.{n}", 6.0) > 0]
    assert kept == [2, 4, 9]


def test_a_query_text_is_known_whatever_its_whitespace():
    assert query_key("ASK  {\n}") == query_key("ASK { }") != query_key("ASK { ?s ?p ?o }")


# ------------------------------------------------------------------------------------------ the endpoint


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    app = make_app(
        tmp_path_factory.mktemp("admission"), SPARQL_WORKERS=2, SPARQL_PER_CLIENT=1, SPARQL_TIMEOUT=HANG_GUARD
    )
    get_pool(app).warm_up()  # as `opsprep serve` does: no query waits for a worker to load the graph
    yield app
    get_pool(app).close()


def retry_after(response) -> int:
    """The response's Retry-After seconds (1, or the time limit for a client or text known to be slow)."""
    return int(response.headers["Retry-After"])


def ask(app, address: str, query: str = CHEAP, path: str = "/sparql"):
    return app.test_client().get(path, query_string={"query": query}, environ_base={"REMOTE_ADDR": address})


def test_endpoint_refuses_a_client_with_enough_in_flight_with_503_and_retry_after(app):
    adm = get_admission(app)
    held = [adm.enter("198.51.100.1") for _ in range(adm.per_client)]
    try:
        response = ask(app, "198.51.100.1")
        assert response.status_code == 503
        assert retry_after(response) >= 1
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert response.mimetype == "text/plain"
        assert "queries running or waiting already" in response.text
        assert ask(app, "198.51.100.2").status_code == 200  # someone else is answered meanwhile
    finally:
        for ticket in held:
            adm.leave(ticket)
    assert ask(app, "198.51.100.1").status_code == 200


def test_endpoint_refuses_at_once_when_workers_and_queue_are_full(app):
    adm = get_admission(app)
    held = [adm.enter(f"198.51.100.{10 + n}") for n in range(adm.slots + adm.queue)]
    try:
        assert adm.state()["waiting"] == adm.queue
        response = ask(app, "198.51.100.30")
        assert response.status_code == 503
        assert retry_after(response) >= 1
        assert "busy" in response.text
    finally:
        for ticket in held:
            adm.leave(ticket)
    assert idle(adm)


def test_endpoint_answers_a_fresh_cheap_query_while_runaway_clients_take_their_share(app):
    adm = get_admission(app)
    runaways = [f"203.0.113.{n}" for n in range(8)]
    for client in runaways:
        adm.durations.record(client, 5.0, time.monotonic())
    held = []
    for client in runaways:  # as if each had sent the runaway query again
        with contextlib.suppress(AdmissionRefused):
            held.append(adm.enter(client, query_key(RUNAWAY)))
    try:
        assert adm.state() == {"running": 1, "long": 1, "waiting": adm.queue, "clients": 1 + adm.queue}
        response = ask(app, "192.0.2.1", "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1")
        assert response.status_code == 200, response.text
        assert len(response.json["results"]["bindings"]) == 1
        assert ask(app, "203.0.113.7", RUNAWAY).status_code == 503  # refused at once, not run
    finally:
        for ticket in held:
            adm.leave(ticket)
    assert idle(adm)


def test_query_page_shows_a_refusal_with_retry_after(app):
    adm = get_admission(app)
    held = [adm.enter("198.51.100.40") for _ in range(adm.per_client)]
    try:
        response = ask(app, "198.51.100.40", path="/query")
        assert response.status_code == 503
        assert retry_after(response) >= 1
        assert "queries running or waiting already" in response.text
        assert "<textarea" in response.text  # the editor stays, with the query in it
    finally:
        for ticket in held:
            adm.leave(ticket)


def test_a_query_that_fails_frees_its_slot_and_a_refused_one_takes_none(app):
    adm = get_admission(app)
    assert ask(app, "198.51.100.50", "SELECT ?s WHERE { ?s ?p }").status_code == 400  # the worker's parser
    assert ask(app, "198.51.100.50", "INSERT DATA { <a:b> <a:c> <a:d> }").status_code == 403  # checked first
    assert idle(adm)


def test_a_query_stopped_at_the_time_limit_frees_its_slot(tmp_path):
    app = make_app(tmp_path, SPARQL_WORKERS=2, SPARQL_TIMEOUT=0.5)
    try:
        response = ask(app, "203.0.113.60", RUNAWAY)
        assert response.status_code == 503
        assert "ran past its 0.5-second limit" in response.text
        adm = get_admission(app)
        assert idle(adm)
        assert adm.durations.typical("203.0.113.60", time.monotonic()) > 0.2  # it ran long: remembered
    finally:
        get_pool(app).close()


def test_a_query_past_the_quick_limit_is_stopped_with_retry_after_and_its_client_is_heavy(tmp_path):
    app = make_app(tmp_path, SPARQL_WORKERS=2, SPARQL_TIMEOUT=HANG_GUARD, SPARQL_QUICK_TIMEOUT=0.5)
    try:
        get_pool(app).warm_up()
        adm = get_admission(app)
        held = adm.enter("198.51.100.70")  # a long query holds the long slot
        try:
            response = ask(app, "203.0.113.70", RUNAWAY)  # so this one runs in the quick slot
        finally:
            adm.leave(held)
        assert response.status_code == 503
        assert "ran past 0.5 seconds" in response.text
        assert retry_after(response) == HANG_GUARD  # the whole time limit, rounded up
        assert adm.durations.typical("203.0.113.70", time.monotonic()) >= adm.heavy_seconds
        assert idle(adm)
    finally:
        get_pool(app).close()


def test_admission_settings_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("OPSPREP_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.setenv("OPSPREP_SPARQL_WORKERS", "1")
    monkeypatch.setenv("OPSPREP_SPARQL_PER_CLIENT", "1")
    monkeypatch.setenv("OPSPREP_SPARQL_QUEUE", "0")
    monkeypatch.setenv("OPSPREP_SPARQL_QUEUE_WAIT", "0.5")
    monkeypatch.setenv("OPSPREP_SPARQL_QUICK_TIMEOUT", "1.5")
    monkeypatch.setenv("OPSPREP_DATABASE", f'"{tmp_path / "progress.db"}"')
    app = create_app()
    try:
        adm = get_admission(app)
        assert (adm.slots, adm.per_client, adm.queue, adm.queue_wait) == (1, 1, 0, 0.5)
        assert app.config["SPARQL_QUICK_TIMEOUT"] == 1.5
    finally:
        get_pool(app).close()
