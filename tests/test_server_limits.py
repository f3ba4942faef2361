"""The server ``opsprep serve`` runs (waitress with limits), on a real socket: half-open and idle
connections cannot take it down, one address cannot hold every connection, and slow requests end."""

from __future__ import annotations

import contextlib
import http.client
import select
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from opsprep.web.server import FD_RESERVE, Limits, client_key, fit_to_file_limit, make_server

from .web_helpers import make_app

#: seconds any wait on a socket may take before the test gives up (generous: a loaded machine is slow)
PATIENCE = 60
ATTACKER = "127.0.0.2"  # Linux routes all of 127/8 to the loopback interface
HALF_REQUEST = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "


@contextlib.contextmanager
def running(tmp_path, limits: Limits) -> Iterator[int]:
    """The web app served by :func:`make_server` on a free port of 127.0.0.1 in a thread; yields the port."""
    server = make_server(make_app(tmp_path), "127.0.0.1", 0, limits)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield server.port
    finally:
        server.stop()
        thread.join(PATIENCE)
        assert not thread.is_alive()


def connect_from(address: str, port: int) -> socket.socket:
    """A TCP connection to the server from ``address`` (a loopback alias)."""
    sock = socket.socket()
    try:
        sock.bind((address, 0))
    except OSError:
        sock.close()
        pytest.skip(f"cannot bind a client socket to {address}")
    sock.connect(("127.0.0.1", port))
    return sock


def closed_by_server(sock: socket.socket, timeout: float = PATIENCE) -> bytes | None:
    """Everything the server sent until it closed the connection; None when it kept it open past ``timeout``."""
    sock.settimeout(timeout)
    received = b""
    try:
        while chunk := sock.recv(65536):
            received += chunk
    except TimeoutError:
        return None
    except ConnectionResetError:
        pass
    return received


def get_home(port: int) -> int:
    """The status of a normal GET of the home page from 127.0.0.1."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=PATIENCE)
    try:
        conn.request("GET", "/")
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def test_half_open_connections_from_one_address_leave_the_server_to_everyone_else(tmp_path):
    """About 100 half-open connections took waitress's defaults down; now one address holds 20 at most."""
    limits = Limits(connections=100, per_address=20, timeout=PATIENCE * 2, threads=2)
    with running(tmp_path, limits) as port:
        attackers = []
        try:
            for _ in range(150):
                sock = connect_from(ATTACKER, port)
                sock.sendall(HALF_REQUEST)
                attackers.append(sock)
            assert get_home(port) == 200  # accepted after the 150 before it: their fate is decided by now
            refused, deadline = set(), time.monotonic() + PATIENCE
            while len(refused) < 130 and time.monotonic() < deadline:
                ready, _, _ = select.select([s for s in attackers if s not in refused], [], [], 1)
                refused.update(ready)
            assert len(refused) == 130
            for sock in refused:  # a 503, unless the refusal crossed the request still arriving (then a reset)
                answer = closed_by_server(sock)
                assert answer is not None and (answer == b"" or answer.startswith(b"HTTP/1.1 503"))
            kept = [s for s in attackers if s not in refused]
            assert len(kept) == 20 and select.select(kept, [], [], 0)[0] == []  # still open, still waiting
            assert get_home(port) == 200
        finally:
            for sock in attackers:
                sock.close()


def test_a_connection_over_the_cap_is_told_why(tmp_path):
    with running(tmp_path, Limits(per_address=1, timeout=PATIENCE * 2)) as port:
        first = connect_from(ATTACKER, port)
        second = connect_from(ATTACKER, port)
        try:
            answer = closed_by_server(second)
            assert answer is not None and answer.startswith(b"HTTP/1.1 503 Service Unavailable")
            assert answer.endswith(b"Too many connections from your address.\n")
            assert get_home(port) == 200  # another address is not capped
        finally:
            first.close()
            second.close()


def test_idle_and_half_open_connections_are_closed_after_the_timeout(tmp_path):
    with running(tmp_path, Limits(timeout=1)) as port:
        silent = connect_from("127.0.0.1", port)
        half_open = connect_from("127.0.0.1", port)
        half_open.sendall(HALF_REQUEST)
        kept_alive = connect_from("127.0.0.1", port)
        kept_alive.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        try:
            assert closed_by_server(silent) == b""
            assert closed_by_server(half_open) == b""
            answer = closed_by_server(kept_alive)  # answered, then closed once idle
            assert answer is not None and answer.startswith(b"HTTP/1.1 200 OK")
            assert get_home(port) == 200
        finally:
            for sock in (silent, half_open, kept_alive):
                sock.close()


def test_a_request_trickled_in_is_cut_off_after_the_timeout(tmp_path):
    """A client that sends a byte now and then is never idle, but its request must arrive within the timeout."""
    with running(tmp_path, Limits(timeout=1)) as port:
        sock = connect_from("127.0.0.1", port)
        try:
            sock.sendall(HALF_REQUEST)
            closed, deadline = False, time.monotonic() + PATIENCE
            while not closed and time.monotonic() < deadline:
                try:
                    sock.sendall(b"x")
                except (BrokenPipeError, ConnectionResetError):
                    closed = True
                    break
                if select.select([sock], [], [], 0.2)[0]:  # readable: the server closed the connection
                    closed = closed_by_server(sock) is not None
            assert closed
        finally:
            sock.close()


def test_an_oversized_body_is_refused_before_it_is_read(tmp_path):
    with running(tmp_path, Limits(max_body=1000, timeout=PATIENCE)) as port:
        sock = connect_from("127.0.0.1", port)
        try:
            sock.sendall(b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5000000\r\n\r\n")
            answer = closed_by_server(sock)
            assert answer is not None and answer.startswith(b"HTTP/1.1 413")
        finally:
            sock.close()


def test_the_connection_limit_fits_the_file_limit(monkeypatch):
    import resource

    limits = {"now": (1024, 4096)}
    monkeypatch.setattr(resource, "getrlimit", lambda kind: limits["now"])
    monkeypatch.setattr(resource, "setrlimit", lambda kind, pair: limits.update(now=pair))
    assert fit_to_file_limit(1000) == 1000  # the soft limit was raised towards the hard one
    assert limits["now"] == (1000 + FD_RESERVE, 4096)
    assert fit_to_file_limit(10_000) == 4096 - FD_RESERVE  # no further than the hard limit
    limits["now"] = (1024, 1024)
    assert fit_to_file_limit(5000) == 1024 - FD_RESERVE


def test_one_client_is_one_address_or_one_ipv6_network():
    assert client_key("127.0.0.2") == "127.0.0.2"
    assert client_key("::ffff:10.0.0.7") == "10.0.0.7"
    assert client_key("2001:db8:1:2:aaaa::1") == client_key("2001:db8:1:2:bbbb::9") == "2001:db8:1:2::/64"
    assert client_key("2001:db8:1:3::1") != client_key("2001:db8:1:2::1")
    assert client_key("fe80::1%eth0") == "fe80::/64"
