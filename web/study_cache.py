"""The study page's question, shown again without being made again while nothing on it has changed.

Making the question page reads the queue, the counts of the schedule and of every study mode, the
session's last answer and the card's flags, then renders them. A learner who reloads it, or comes back
to it, gets the page made last time for the same learner, certification, domains and mode when all of
these hold:

- the learner's progress version is the one read before that page's data was (every write raises it:
  this app, the terminal, any other program on the file; see :mod:`opsprep.engine.freshness`);
- the clock has not reached the moment the queue would change by itself (the next due time, a bury
  ending, the day rolling over, the session's last answer growing old: the stamp's ``until``);
- the question bank is the same;
- the request carries nothing of its own: no flashed message, no question to ask again (:data:`RETRY`).

What belongs to one browser session is never stored: the page is kept with :data:`TOKEN_MARK` where the
CSRF token goes, and each request fills in its own session's token. Pages are kept per app process, at
most :data:`MAX_PAGES`, the least recently shown dropped first; ``STUDY_PAGE_CACHE = False`` in the
config makes every page afresh.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, render_template, request, session
from flask_wtf.csrf import generate_csrf

from opsprep.engine import LearnerProgress, ProgressStamp, Scope
from opsprep.engine.clock import utc

#: session key of a showing whose answer came back incomplete: the next study page asks it again
RETRY = "study_retry"
#: session keys that make a study page this browser's own (flashed messages, a question to ask again)
PERSONAL_KEYS = ("_flashes", RETRY)
#: pages kept per app process
MAX_PAGES = 256
#: where a kept page's CSRF token goes (random per process, so no question text can hold it)
TOKEN_MARK = f"csrf-token-{secrets.token_hex(16)}"
_MARK = TOKEN_MARK.encode()
#: sessions whose signed CSRF token is kept
MAX_TOKENS = 1024
_EXTENSION = "opsprep.study_pages"
_lock = threading.Lock()
_tokens: OrderedDict[tuple, str] = OrderedDict()


@dataclass(frozen=True)
class KeptPage:
    """A study page as made: the bank and progress stamp it was made from, its HTML (UTF-8) with
    :data:`TOKEN_MARK`."""

    bank: object
    stamp: ProgressStamp
    html: bytes


def personal() -> bool:
    """True when this request's page is its browser session's own (a message to show, a question to ask again)."""
    own = session._get_current_object()
    return any(key in own for key in PERSONAL_KEYS)


def page_key(me: LearnerProgress, scope: Scope, mode: str | None) -> tuple:
    """What a study page is made for: the learner, the scope, the mode and the address's own domain values
    (the page's links repeat them as given)."""
    asked = request._get_current_object()
    return (me.id, scope.cert, scope.domains, tuple(asked.args.getlist("domain")), mode, asked.script_root)


def _pages(app: Flask) -> OrderedDict:
    pages = app.extensions.get(_EXTENSION)
    if pages is None:
        pages = app.extensions[_EXTENSION] = OrderedDict()
    return pages


def kept_page(me: LearnerProgress, scope: Scope, mode: str | None, version: int | None = None) -> bytes | None:
    """The page kept for this learner, scope and mode with this session's CSRF token, while it still holds;
    ``version``: the learner's progress version when it was read already this request (else it is read)."""
    app = current_app._get_current_object()
    if not app.config["STUDY_PAGE_CACHE"]:
        return None
    key = page_key(me, scope, mode)
    with _lock:
        pages = _pages(app)
        kept = pages.get(key)
        if kept is None:
            return None
        pages.move_to_end(key)
    if version is None:
        version = me.progress_version()
    if kept.bank is not me.progress.bank or not kept.stamp.holds(version, utc()):
        with _lock:
            if pages.get(key) is kept:
                del pages[key]
        return None
    return kept.html.replace(_MARK, session_token(app).encode())


def session_token(app: Flask) -> str:
    """This session's CSRF token, as Flask-WTF makes it, signed once per session and secret key: with
    ``WTF_CSRF_TIME_LIMIT`` None (the app's default) a token is valid for as long as its session, so the one
    signed first serves every later page too. With a time limit, a new one is signed each time."""
    config = app.config
    if config.get("WTF_CSRF_TIME_LIMIT") is not None:
        return generate_csrf()
    field = config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    secret = config.get("WTF_CSRF_SECRET_KEY") or app.secret_key
    raw = session.get(field)
    with _lock:
        token = _tokens.get((secret, raw)) if raw else None
    if token is None:
        token = generate_csrf()
        with _lock:
            _tokens[(secret, session[field])] = token
            while len(_tokens) > MAX_TOKENS:
                _tokens.popitem(last=False)
    return token


def render_kept(
    me: LearnerProgress, scope: Scope, mode: str | None, stamp: ProgressStamp, template: str, /, **context: Any
) -> str:
    """Render a study page, keep it (when the request is not :func:`personal`) and return it with the token."""
    app = current_app._get_current_object()
    if personal() or not app.config["STUDY_PAGE_CACHE"]:
        return render_template(template, **context)
    html = render_template(template, **context, csrf_token=lambda: TOKEN_MARK)
    key = page_key(me, scope, mode)
    with _lock:
        pages = _pages(app)
        pages[key] = KeptPage(me.progress.bank, stamp, html.encode())
        pages.move_to_end(key)
        while len(pages) > MAX_PAGES:
            pages.popitem(last=False)
    return html.replace(TOKEN_MARK, session_token(app))
