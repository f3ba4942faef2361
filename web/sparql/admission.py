"""Admission to the query workers: SPARQL clients wait in a short, fair queue or get a fast 503.

The endpoint is public and anonymous, and a query may run for the whole time limit, so without a bound
its clients could hold every thread of the web server (waiting for a worker) while learners' pages wait
behind them. :class:`Admission` keeps SPARQL to a bounded share:

- at most ``slots`` queries run at once (one per worker process: an admitted query finds a worker free);
- at most ``queue`` more wait, each for at most ``queue_wait`` seconds: SPARQL holds at most
  ``slots + queue`` server threads for longer than it takes to say no;
- one client (one address) has at most ``per_client`` queries running or waiting;
- anything beyond that is refused at once with :class:`AdmissionRefused` (503 with ``Retry-After``),
  instead of waiting for the time limit to run out.

Half the slots (at least one) are *long*: a query there may run for the whole time limit. The others are
*quick*: a query there gets the shorter quick limit, so whatever runs in them is over soon, and the cores
they would burn stay free for learners. A query takes a long slot when one is free, else a quick one.

Who goes first depends on how long queries have been taking lately, for the client and for the query
text, whichever is longer (:class:`Durations`; a query still running counts with the time it has run so
far). The waiter whose queries have been quickest goes first; a newcomer quicker than the slowest waiter
of a full queue takes that waiter's place (the displaced one gets the 503). A client or text whose
queries take ``heavy_seconds`` or more is *heavy*, and a heavy query waits for a long slot, even while
quick ones are idle (it would only be stopped there). So while a few clients loop runaway queries, they
take turns on the long slots and a cheap query from anyone else is answered at once in a quick one.
Knowing the query text as well as the address means eight clients sending the same runaway query are all
known to be heavy after its first run, not one by one; a query stopped at a time limit counts as having
taken the whole time limit, so a runaway that was stopped early in a quick slot is known as one too.
Before the first runaway is known, two may take a long and a quick slot: the quick one is stopped at the
quick limit, and from then on the quick slots are free for quick queries.

The measure is a typical duration, not a sum of worker time: a client is not held back for having asked
many quick questions, and one slow answer among many quick ones (a query that had to wait for a worker
to load the graph, say) does not make a client heavy.

A client is whatever the caller says (the endpoint uses the request's remote address); behind a reverse
proxy that is the proxy's address unless the app is told to trust its forwarded-for header.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from opsprep.errors import ErrorKind, OpsprepError

from .pool import QueryTimeout

#: seconds a typical query of a client or text must take for it to count as heavy: a fifth of the default
#: 5-second time limit, far above the milliseconds of the example queries, so one query stopped at the
#: limit marks its client and its text
HEAVY_SECONDS = 1.0
#: seconds in which the weight of a past query halves: after its last runaway query (5 s) a client
#: counts as heavy for about two minutes, then the past is forgotten
HALF_LIFE = 60.0
#: the prior: a client or text starts as if it had run this many instant queries, so one slow answer does
#: not outweigh everything else, and old history fades back towards light
PRIOR_QUERIES = 1.0
#: clients and query texts remembered at most; the least recently seen are forgotten first
MEMORY = 4096
BUSY = "The query service is busy with other queries; try again in a moment."


class AdmissionRefused(OpsprepError):
    """The query was not admitted: its client has enough in flight already, or the queue is full."""

    kind = ErrorKind.UNAVAILABLE

    def __init__(self, message: str = BUSY, retry_after: int = 1) -> None:
        super().__init__(message)
        self.headers = {"Retry-After": str(retry_after)}


class QuickLimitReached(QueryTimeout):
    """A query in a quick slot ran past the quick limit and was stopped."""

    def __init__(self, quick_limit: float, time_limit: float) -> None:
        super().__init__(
            f"The query ran past {quick_limit:g} seconds and was stopped: that is the limit while the other "
            f"query workers are busy with long queries ({time_limit:g} seconds otherwise). Try it again later."
        )
        self.headers = {"Retry-After": str(max(1, math.ceil(time_limit)))}


@dataclass(eq=False)
class Ticket:
    """One query's place: ``waiting``, then ``running``, then ``done``; or ``refused`` while it waited."""

    client: str
    key: str | None
    seq: int
    state: str = "waiting"
    long: bool = False  # runs in a long slot (the whole time limit) rather than a quick one
    started: float = 0.0  # clock reading when it started running
    at_least: float = 0.0  # seconds it is recorded as having taken at least

    def stopped(self, time_limit: float) -> None:
        """The query was stopped at a time limit: record it as having taken the whole ``time_limit``
        (for all anyone knows it would have run that long), so its client and text count as heavy."""
        self.at_least = time_limit


@dataclass
class Durations:
    """How long queries take per name (a client or a query text): a mean in which each query's weight
    halves every ``half_life`` seconds, shrunk towards zero by ``prior`` instant queries."""

    half_life: float = HALF_LIFE
    prior: float = PRIOR_QUERIES
    memory: int = MEMORY
    _seen: dict[str, tuple[float, float, float]] = field(default_factory=dict)  # name -> (seconds, queries, as of)

    def typical(self, name: str | None, now: float) -> float:
        """The typical duration of ``name``'s queries at clock reading ``now`` (0 for a name never seen)."""
        seconds, queries = self._decayed(name, now)
        return seconds / (queries + self.prior)

    def record(self, name: str | None, seconds: float, now: float) -> None:
        """Add one query of ``name`` that took ``seconds``; forget the stalest names beyond ``memory``."""
        if name is None:
            return
        total, queries = self._decayed(name, now)
        self._seen.pop(name, None)  # re-inserted last: the dict stays in order of last use
        self._seen[name] = (total + seconds, queries + 1, now)
        while len(self._seen) > self.memory:
            del self._seen[next(iter(self._seen))]

    def _decayed(self, name: str | None, now: float) -> tuple[float, float]:
        if name is None or name not in self._seen:
            return 0.0, 0.0
        seconds, queries, stamp = self._seen[name]
        weight = 0.5 ** (max(0.0, now - stamp) / self.half_life)
        return seconds * weight, queries * weight


def query_key(query: str) -> str:
    """The name a query text is known by: a digest of the text with its whitespace folded."""
    return "query:" + hashlib.blake2b(" ".join(query.split()).encode(), digest_size=8).hexdigest()


class Admission:
    """Bounded, fair admission of queries to ``slots`` workers; thread-safe.

    ``enter`` and ``leave`` never block (so the rules can be driven step by step); ``wait`` blocks a
    waiting ticket until it runs or is refused; :meth:`slot` does all three around a block of code.
    ``clock`` (monotonic seconds) times the queries and can be replaced in tests.
    """

    def __init__(
        self,
        slots: int,
        *,
        queue: int = 2,
        per_client: int = 2,
        queue_wait: float = 2.0,
        heavy_seconds: float = HEAVY_SECONDS,
        retry_heavy: int = 5,
        durations: Durations | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if slots < 1 or queue < 0 or per_client < 1:
            raise ValueError("Admission needs a slot, a queue of zero or more, and a query per client.")
        self.slots, self.queue, self.per_client, self.queue_wait = slots, queue, per_client, queue_wait
        self.long_slots = max(1, slots // 2)
        self.heavy_seconds = heavy_seconds
        self.retry_heavy = retry_heavy
        self.durations = durations or Durations()
        self._clock = clock
        self._lock = threading.Condition()
        self._running: list[Ticket] = []
        self._waiting: list[Ticket] = []
        self._in_flight: Counter[str] = Counter()
        self._seq = 0

    # ------------------------------------------------------------------------------------------ public

    @contextmanager
    def slot(self, client: str, key: str | None = None) -> Iterator[Ticket]:
        """Run the block as one admitted query of ``client`` (with text ``key``), then free the slot.

        Raises :class:`AdmissionRefused` before the block runs if the query is not admitted within
        ``queue_wait`` seconds; the slot is freed however the block ends.
        """
        ticket = self.enter(client, key)
        try:
            self.wait(ticket)
            yield ticket
        finally:
            self.leave(ticket)

    def enter(self, client: str, key: str | None = None) -> Ticket:
        """Start a query now or queue it; raise :class:`AdmissionRefused` if neither is allowed."""
        with self._lock:
            now = self._clock()
            if self._in_flight[client] >= self.per_client:
                raise AdmissionRefused(
                    f"You have {self._in_flight[client]} queries running or waiting already; "
                    "send the next one when one of them has been answered.",
                    self._retry_after(client, key, now),
                )
            self._hand_out(now)  # waiters that may run go first
            self._seq += 1
            ticket = Ticket(client, key, self._seq)
            if self._may_run(ticket, now):
                self._start(ticket, now)
            elif len(self._waiting) < self.queue:
                self._waiting.append(ticket)
            else:
                slowest = max(self._waiting, key=lambda t: (self._cost(t, now), t.seq))
                if self._cost(ticket, now) >= self._cost(slowest, now):
                    raise AdmissionRefused(BUSY, self._retry_after(client, key, now))
                self._refuse(slowest)  # the quicker newcomer takes its place
                self._waiting.append(ticket)
            self._in_flight[client] += 1
            return ticket

    def wait(self, ticket: Ticket, timeout: float | None = None) -> None:
        """Block until ``ticket`` runs (return) or is refused, or ``timeout`` (default ``queue_wait``) passes.

        Raises :class:`AdmissionRefused` in the last two cases; the ticket then holds nothing.
        """
        with self._lock:
            limit = self.queue_wait if timeout is None else timeout
            self._lock.wait_for(lambda: ticket.state != "waiting", limit)
            if ticket.state == "running":
                return
            if ticket.state == "waiting":
                self._refuse(ticket)
            retry = self._retry_after(ticket.client, ticket.key, self._clock())
        raise AdmissionRefused(BUSY, retry)

    def leave(self, ticket: Ticket) -> None:
        """Free what ``ticket`` holds: its slot (recording how long it ran) or its place in the queue.
        Does nothing for a ticket that was refused or has left already."""
        with self._lock:
            if ticket.state not in ("running", "waiting"):
                return
            now = self._clock()
            if ticket.state == "running":
                self._running.remove(ticket)
                took = max(now - ticket.started, ticket.at_least, 0.0)
                self.durations.record(ticket.client, took, now)
                self.durations.record(ticket.key, took, now)
            else:
                self._waiting.remove(ticket)
            ticket.state = "done"
            self._forget(ticket.client)
            self._hand_out(now)

    def state(self) -> dict[str, int]:
        """How many queries run (in all, and in long slots) and wait now, and how many clients have any in
        flight."""
        with self._lock:
            return {
                "running": len(self._running),
                "long": sum(t.long for t in self._running),
                "waiting": len(self._waiting),
                "clients": len(self._in_flight),
            }

    # ----------------------------------------------------------------------------------------- the rules

    def _cost(self, ticket: Ticket, now: float) -> float:
        """How long the ticket's query can be expected to take: the typical duration of its client's
        queries or of its text, or how long it (or the same text) has been running now, whichever is most.

        Another query of the same client that runs long does not count: a quick query sent beside a slow
        one stays quick."""
        typical = self.durations.typical(ticket.client, now)
        if ticket.key:
            typical = max(typical, self.durations.typical(ticket.key, now))
        running = (now - t.started for t in self._running if t is ticket or (ticket.key and t.key == ticket.key))
        return max(typical, *running, 0.0)

    def _heavy(self, ticket: Ticket, now: float) -> bool:
        return self._cost(ticket, now) >= self.heavy_seconds

    def _may_run(self, ticket: Ticket, now: float) -> bool:
        """A long slot is free, or a quick one is and the ticket is not heavy."""
        if len(self._running) >= self.slots:
            return False
        return self._long_free() or not self._heavy(ticket, now)

    def _long_free(self) -> bool:
        return sum(t.long for t in self._running) < self.long_slots

    def _start(self, ticket: Ticket, now: float) -> None:
        ticket.state, ticket.started, ticket.long = "running", now, self._long_free()
        self._running.append(ticket)

    def _refuse(self, ticket: Ticket) -> None:
        """Take a waiting ticket out of the queue; its ``wait`` raises :class:`AdmissionRefused`."""
        self._waiting.remove(ticket)
        ticket.state = "refused"
        self._forget(ticket.client)
        self._lock.notify_all()

    def _forget(self, client: str) -> None:
        self._in_flight[client] -= 1
        if not self._in_flight[client]:
            del self._in_flight[client]

    def _hand_out(self, now: float) -> None:
        """Give free slots to waiters, quickest first; heavy ones only long slots."""
        started = False
        for ticket in sorted(self._waiting, key=lambda t: (self._cost(t, now), t.seq)):
            if len(self._running) >= self.slots:
                break
            if self._may_run(ticket, now):
                self._waiting.remove(ticket)
                self._start(ticket, now)
                started = True
        if started:
            self._lock.notify_all()

    def _retry_after(self, client: str, key: str | None, now: float) -> int:
        """Seconds a client should wait before sending again: one, or ``retry_heavy`` (the time limit) for
        a heavy one, whose next query would wait for a runaway to end anyway."""
        return self.retry_heavy if self._heavy(Ticket(client, key, 0), now) else 1
