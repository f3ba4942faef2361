"""The web server: waitress with limits, so slow, idle or half-open clients cannot exhaust it.

Waitress reads requests on one event loop and hands only complete ones to its threads, so a client
that sends half a request holds a connection, never a thread. :class:`Limits` bounds the connections:

- ``connections``: open connections in all (fewer when the process may not open that many files);
- ``per_address``: open connections from one client address (an IPv6 client: its /64), so one client
  cannot hold them all; the excess is answered 503 and closed at once;
- ``timeout``: seconds a connection may sit idle, and may take to send a whole request (a request
  trickled in byte by byte is cut off too), before it is closed.

>>> server = make_server(app, "127.0.0.1", 0, Limits(timeout=1))      # doctest: +SKIP
>>> threading.Thread(target=server.run).start()                       # doctest: +SKIP
>>> server.stop()                                                      # doctest: +SKIP
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import time
from dataclasses import dataclass
from typing import Any

from waitress import wasyncore
from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer
from waitress.task import ThreadedTaskDispatcher

__all__ = ["Limits", "Server", "client_key", "fit_to_file_limit", "make_server"]

log = logging.getLogger(__name__)

#: file descriptors kept for everything but client connections: databases, query workers, logs, the listener
FD_RESERVE = 128
#: what a connection over its address's cap is told before it is closed
REFUSAL = (
    b"HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 10\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\nContent-Length: 40\r\n\r\n"
    b"Too many connections from your address.\n"
)


@dataclass(frozen=True)
class Limits:
    """How much of the server all clients together, and one client alone, may hold."""

    connections: int = 1000  # open connections in all
    per_address: int = 32  # open connections from one address; 0: no cap (behind a proxy all share its address)
    timeout: int = 20  # seconds a connection may stay idle, or take to send one request
    threads: int = 8  # requests handled at once
    max_body: int = 2 * 1024 * 1024  # bytes of a request body (a 100,000-character query fits, encoded)
    max_header: int = 64 * 1024  # bytes of a request's line and headers


def make_server(app: Any, host: str = "127.0.0.1", port: int = 0, limits: Limits | None = None) -> Server:
    """A waitress server for the WSGI ``app`` on ``host:port`` (0: a free port), bound, ready to :meth:`~Server.run`."""
    return Server(app, host, port, limits or Limits())


def fit_to_file_limit(wanted: int, reserve: int = FD_RESERVE) -> int:
    """``wanted`` connections, or as many as the process may open files for (less ``reserve``).

    The soft limit on open files is raised towards the hard one first, when it is lower than needed.
    """
    try:
        import resource
    except ImportError:  # not a Unix system: no limit to read
        return wanted
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    needed = wanted + reserve
    if soft != resource.RLIM_INFINITY and soft < needed:
        target = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    if soft == resource.RLIM_INFINITY:
        return wanted
    return max(1, min(wanted, soft - reserve))


def client_key(host: str) -> str:
    """Whose connection this is, for the per-address cap: an IPv4 address (also when mapped into IPv6),
    or the /64 network of an IPv6 one (one client is often given a whole /64)."""
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return host
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


class _Channel(HTTPChannel):
    """A connection that knows its client and when its current request began."""

    request_began: float | None = None

    def __init__(self, server: Any, sock: socket.socket, addr: Any, adj: Adjustments, map: dict | None = None):
        self.client = client_key(addr[0]) if isinstance(addr, tuple) else str(addr)
        super().__init__(server, sock, addr, adj, map=map)

    def received(self, data: bytes) -> bool:
        """Read ``data`` into requests, noting when a request's first bytes arrive."""
        if self.request is None and data:
            self.request_began = time.time()
        done = super().received(data)
        if self.request is None:  # nothing half-read left
            self.request_began = None
        return done


class _Listener(TcpWSGIServer):
    """Waitress's listening socket, refusing connections over the per-address cap and closing requests
    that take longer than the timeout to arrive."""

    channel_class = _Channel

    def __init__(self, *args: Any, per_address: int = 0, **kwargs: Any) -> None:
        self.per_address = per_address
        self.refused = 0  # since the last maintenance
        super().__init__(*args, **kwargs)

    def handle_accept(self) -> None:
        """Accept a connection, unless its address holds its share already (then 503 and close)."""
        try:
            accepted = self.accept()
            if accepted is None:
                return
            conn, addr = accepted
            self.set_socket_options(conn)
        except OSError:  # the client went away before it was accepted
            return
        if self.per_address and self._open_from(client_key(addr[0])) >= self.per_address:
            self.refused += 1
            _refuse(conn)
            return
        self.channel_class(self, conn, addr, self.adj, map=self._map)

    def _open_from(self, client: str) -> int:
        return sum(1 for c in list(self._map.values()) if isinstance(c, _Channel) and c.client == client)

    def maintenance(self, now: float) -> None:
        """Close idle connections (waitress) and those whose request has taken too long to arrive."""
        super().maintenance(now)
        cutoff = now - self.adj.channel_timeout
        for channel in list(self.active_channels.values()):
            began = getattr(channel, "request_began", None)
            if began is not None and began < cutoff and not channel.requests:
                channel.will_close = True
        if self.refused:
            log.warning(
                "Refused %d connections from addresses that held %d already (the per-address cap).",
                self.refused,
                self.per_address,
            )
            self.refused = 0


def _refuse(conn: socket.socket) -> None:
    """Tell a connection it is one too many, without waiting for it, and close it."""
    try:
        conn.setblocking(False)
        conn.send(REFUSAL)
    except OSError:
        pass
    finally:
        conn.close()


class Server:
    """Waitress on every address ``host`` names, with :class:`Limits`. :meth:`run` serves until
    :meth:`stop` is called (from any thread) or the process is interrupted."""

    def __init__(self, app: Any, host: str, port: int, limits: Limits) -> None:
        self.limits = limits
        self.connection_limit = fit_to_file_limit(limits.connections)
        self._map: dict = {}
        adj = Adjustments(
            host=host,
            port=port,
            threads=limits.threads,
            channel_timeout=limits.timeout,
            cleanup_interval=max(1, limits.timeout // 4),
            max_request_body_size=limits.max_body,
            max_request_header_size=limits.max_header,
            asyncore_use_poll=True,  # select() cannot watch file descriptors past 1023
        )
        # waitress counts its listeners and their wake-up pipes among the connections
        adj.connection_limit = self.connection_limit + 2 * len(adj.listen)
        self.adj = adj
        self._dispatcher = ThreadedTaskDispatcher()
        self._dispatcher.set_thread_count(limits.threads)
        self.listeners: list[_Listener] = []
        options = {"dispatcher": self._dispatcher, "adj": adj, "per_address": limits.per_address}
        try:
            for sockinfo in adj.listen:
                self.listeners.append(_Listener(app, self._map, sockinfo=sockinfo, **options))
        except OSError:
            self.close()
            raise

    @property
    def port(self) -> int:
        """The port the server listens on (the one picked when asked for port 0)."""
        return int(self.listeners[0].effective_port)

    @property
    def urls(self) -> list[str]:
        """The base URL of each address listened on."""
        return [
            f"http://[{s.effective_host}]:{s.effective_port}"
            if ":" in s.effective_host
            else f"http://{s.effective_host}:{s.effective_port}"
            for s in self.listeners
        ]

    def run(self) -> None:
        """Serve until :meth:`stop` or an interrupt; then let the running requests finish."""
        try:
            wasyncore.loop(timeout=self.adj.asyncore_loop_timeout, map=self._map, use_poll=True)
        except KeyboardInterrupt:
            pass
        finally:
            self.close()

    def stop(self) -> None:
        """Make :meth:`run` return: every socket is closed from the serving thread."""
        self.listeners[0].trigger.pull_trigger(lambda: wasyncore.close_all(self._map))

    def close(self) -> None:
        """Close every socket and stop the request threads (what :meth:`run` does when it ends)."""
        wasyncore.close_all(self._map, ignore_all=True)
        self._dispatcher.shutdown(timeout=5)
