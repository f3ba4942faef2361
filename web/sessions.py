"""Flask's signed-cookie sessions, each cookie checked and decoded once.

A browser sends the same cookies with every request until the session changes, and parsing them and
checking the session cookie's signature is a good part of what a small page costs.
:class:`CheckedCookieSessions` keeps what the session cookie held for the last :data:`KEPT_COOKIES`
``Cookie`` headers, by the exact header and the keys that may have signed it, and hands each request a
fresh copy; a header is parsed and checked again only when it is new, and a session older than the
session lifetime is refused as Flask refuses it. Only headers of at most :data:`KEPT_HEADER` characters
are kept (a browser's are far shorter), so what is kept stays small whatever clients send. Everything
else (the cookie's form, what is saved, when) is Flask's own
:class:`~flask.sessions.SecureCookieSessionInterface`.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature

#: ``Cookie`` headers whose session is kept
KEPT_COOKIES = 1024
#: the longest ``Cookie`` header whose session is kept (longer ones are checked at every request)
KEPT_HEADER = 4096


def _copy(value: Any) -> Any:
    """A copy of a session value that shares nothing mutable with the kept one (a view may change lists in it)."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_copy(v) for v in value)
    return value


class CheckedCookieSessions(SecureCookieSessionInterface):
    """Signed-cookie sessions whose cookies are checked once each (see the module's docstring)."""

    def __init__(self) -> None:
        self._kept: OrderedDict[tuple, tuple[dict, int]] = OrderedDict()
        self._lock = threading.Lock()

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if not app.secret_key:
            return None
        header = request.environ.get("HTTP_COOKIE")
        if not header:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        key = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()), self.get_cookie_name(app), header)
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
        if kept is not None and 0 <= int(time.time()) - kept[1] <= max_age:
            return self.session_class(_copy(kept[0]))
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        serializer = self.get_signing_serializer(app)
        assert serializer is not None
        try:
            data, signed = serializer.loads(value, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        if len(header) <= KEPT_HEADER:
            with self._lock:
                self._kept[key] = (data, int(signed.timestamp()))
                while len(self._kept) > KEPT_COOKIES:
                    self._kept.popitem(last=False)
        return self.session_class(_copy(data))


def init_app(app: Flask) -> None:
    """Use :class:`CheckedCookieSessions` for the app's sessions."""
    app.session_interface = CheckedCookieSessions()
