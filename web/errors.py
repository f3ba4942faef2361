"""The web app's one error boundary: every library error and HTTP error becomes one response.

Pages get a styled HTML page (``error.html``) with the status the error's kind maps to; API calls
(a client that asks for JSON, or sends it) get ``{"error": kind, "message": ...}``; the SPARQL
endpoint answers in plain text, which is what SPARQL clients show. No view catches the library's
errors itself.
"""

from __future__ import annotations

from html import escape

from flask import Flask, Response, current_app, jsonify, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from opsprep.errors import OpsprepError

#: headings of the error page, by status
TITLES = {
    400: "That request cannot be answered",
    401: "Log in first",
    403: "Not allowed",
    404: "Not found",
    405: "Not allowed",
    406: "No acceptable format",
    409: "That cannot be done now",
    415: "Unsupported content type",
    429: "Too many attempts",
    500: "Something went wrong",
    503: "Unavailable right now",
}
#: what the page suggests next, by status
NEXT = {
    409: "Reload the page to see where things stand.",
    500: "Nothing was changed. Try again; if it keeps happening, tell whoever runs this site.",
    503: "Nothing was changed. Try again in a moment; if it keeps happening, tell whoever runs this site.",
}


def init_app(app: Flask) -> None:
    """Register the handlers."""
    app.register_error_handler(OpsprepError, handle_error)
    app.register_error_handler(HTTPException, handle_error)


def handle_error(error: Exception) -> Response | tuple[str, int]:
    """Render any library or HTTP error as a page, JSON or plain text, with its status."""
    if isinstance(error, HTTPException) and error.code is not None and error.code < 400:
        return error  # redirects raised by routing
    status, kind, message, headers = _describe(error)
    if status >= 500:
        current_app.logger.error("%s %s failed: %s", request.method, request.path, message)
    if request.blueprint == "sparql" and request.endpoint != "sparql.page":
        response = Response(message + "\n", status=status, content_type="text/plain; charset=utf-8")
    elif _wants_json():
        response = jsonify(error=kind, message=message)
        response.status_code = status
    else:
        title = (
            "That form has expired" if kind == "csrf" else TITLES.get(status) or HTTP_STATUS_CODES.get(status, "Error")
        )
        response = Response(_page(status, title, message), status=status, content_type="text/html; charset=utf-8")
    response.headers.update(headers)
    return response


def _page(status: int, title: str, message: str) -> str:
    """The error page in the site's frame (``error.html``). When the learner cannot be loaded (the error is
    that the progress database is unusable) it is shown as to a visitor; should the frame itself fail, a
    plain page with the site's style sheet says what happened."""
    _visitor_if_unknown()
    try:
        return render_template("error.html", status=status, title=title, message=message, next=NEXT.get(status))
    except Exception as exc:  # the last resort: an error page must not fail in its turn
        current_app.logger.error("the error page of %s %s failed: %r", request.method, request.path, exc)
        style = url_for("static", filename="style.css")
        return _PLAIN.format(
            title=escape(title), message=escape(message), next=escape(NEXT.get(status, "")), style=style
        )


def _visitor_if_unknown() -> None:
    """Let the page ask who is logged in: if loading the learner fails, take them for a visitor."""
    try:
        _ = current_user.is_authenticated  # loads the learner of the session
    except Exception:  # whatever failed is what the page is about to report
        current_app.login_manager._update_request_context_with_user(None)  # an anonymous user for this request


#: the error page when the site's frame cannot be rendered
_PLAIN = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · opsprep</title><link rel="stylesheet" href="{style}"></head>
<body><main id="main" class="wrap"><div class="error-page"><h1>{title}</h1><p role="alert">{message}</p><p>{next}</p>
<p><a href="/">Home</a></p></div></main></body>
</html>
"""


def _describe(error: Exception) -> tuple[int, str, str, dict[str, str]]:
    """(status, kind label, message, extra headers) of an error."""
    if isinstance(error, OpsprepError):
        status = getattr(error, "status", None) or error.kind.status
        return status, error.kind.label, error.message, dict(getattr(error, "headers", {}))
    assert isinstance(error, HTTPException)
    status = error.code or 500
    if isinstance(error, CSRFError):
        message = (
            f"The page you sent this form from was too old, or came from another site ({error.description}). "
            "Nothing was changed. Go back, reload the page and try again."
        )
        return status, "csrf", message, {}
    headers = dict(error.get_headers()) if status == 405 else {}
    headers.pop("Content-Type", None)
    return status, error.name.lower().replace(" ", "-"), error.description or error.name, headers


def _wants_json() -> bool:
    return request.is_json or request.accept_mimetypes.best == "application/json"
