"""The export blueprint: Anki decks to download, per certification and per exam domain.

``/export/`` lists the certifications with a download button for each and for each of its domains;
``/export/<cert>.apkg`` and ``/export/<cert>/<number>.apkg`` build the deck and send it.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from flask import Blueprint, Response, render_template, send_file

from opsprep.engine.anki_export import deck_file_name, export_anki

from .home import catalogue
from .resources import get_bank

bp = Blueprint("export", __name__, url_prefix="/export")


@bp.get("/")
def index() -> str:
    """The download buttons: one per certification and one per exam domain, with the home page's counts."""
    return render_template("export/index.html", certs=list(catalogue().values()))


@bp.get("/<cert>.apkg")
def certification_deck(cert: str) -> Response:
    """The deck of every question of one certification (by exam code)."""
    return _send_deck(cert, ())


@bp.get("/<cert>/<int:number>.apkg")
def domain_deck(cert: str, number: int) -> Response:
    """The deck of one exam domain (by its number) of a certification."""
    return _send_deck(cert, (str(number),))


def _send_deck(cert: str, domains: tuple[str, ...]) -> Response:
    """Build the deck in a temporary folder, send it as an attachment, remove the folder afterwards."""
    bank = get_bank()
    found = bank.catalog.certification(cert)
    name = deck_file_name(found.code, domains)
    folder = Path(tempfile.mkdtemp(prefix="opsprep-export-"))
    try:
        export_anki(bank, folder / name, found.iri, domains)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    response = send_file(folder / name, mimetype="application/apkg", as_attachment=True, download_name=name, max_age=0)
    # Werkzeug hands a passthrough file straight to the server and skips call_on_close; iterate it
    # instead, so that closing the response (sent or aborted) removes the folder.
    response.direct_passthrough = False
    response.call_on_close(lambda: shutil.rmtree(folder, ignore_errors=True))
    return response
