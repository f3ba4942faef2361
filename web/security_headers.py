"""Headers every response carries so that a page can neither be framed nor run a script it did not ship.

The pages load scripts and styles from ``/static/`` only (no inline script, no remote asset), so the
Content-Security-Policy allows exactly that; style attributes stay allowed for the server-drawn bars.
"""

from __future__ import annotations

from flask import Flask, Response

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def init_app(app: Flask) -> None:
    """Add the headers to every response (a header a view set itself is kept)."""

    @app.after_request
    def _secure(response: Response) -> Response:
        present = {name.lower() for name, _ in response.headers}  # one pass (setdefault scans them per header)
        response.headers.extend([(name, value) for name, value in HEADERS.items() if name.lower() not in present])
        return response
