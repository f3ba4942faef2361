"""The export blueprint: Anki decks to download, per certification and per exam domain.

``/export/`` lists the certifications with a download button for each and for each of its domains;
``/export/<cert>.apkg`` and ``/export/<cert>/<number>.apkg`` build the deck and send it.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from flask import Blueprint, Response, render_template_string, send_file

from opsprep.engine.anki_export import deck_file_name, export_anki

from .resources import get_bank

bp = Blueprint("export", __name__, url_prefix="/export")

_PAGE = """{% extends "base.html" %}
{% block title %}Anki decks{% endblock %}
{% block head %}<style>
.decks a.button { display: inline-block; font-weight: 600; color: #fff; background: var(--accent);
  border-radius: 6px; padding: .4rem 1rem; text-decoration: none; }
.decks a.button:hover { background: var(--accent-dark); }
.decks ul { padding-left: 1.2rem; }
.decks li { margin: .5rem 0; }
</style>{% endblock %}
{% block content %}
<h1>Anki decks</h1>
<p class="lead">One note per question, one subdeck per exam domain. Import the file in Anki (File &gt; Import);
importing a newer download updates the notes you imported before and keeps their review history.</p>
<div class="decks">
{% for cert in certs %}
<section aria-labelledby="cert-{{ loop.index }}">
  <h2 id="cert-{{ loop.index }}">{{ cert.label }} ({{ cert.code }})</h2>
  <p><a class="button" download href="{{ url_for('export.certification_deck', cert=cert.code) }}">Download the
    {{ cert.code }} deck</a> <span class="hint">{{ cert.count }} questions</span></p>
  <ul>
  {% for domain in cert.domains %}
    <li>{{ domain.number }}. {{ domain.label }}
      {% if domain.count %}<a class="button" download
        href="{{ url_for('export.domain_deck', cert=cert.code, number=domain.number) }}"
        aria-label="Download the deck of domain {{ domain.number }}, {{ domain.label }}">Download</a>
        <span class="hint">{{ domain.count }} questions</span>
      {% else %}<span class="hint">no questions yet</span>{% endif %}</li>
  {% endfor %}
  </ul>
</section>
{% endfor %}
</div>
{% endblock %}
"""


@bp.get("/")
def index() -> str:
    """The download buttons: one per certification and one per exam domain."""
    bank = get_bank()
    certs = []
    for cert in bank.catalog:
        domains = [
            {"number": d.number or 0, "label": d.title, "count": len(bank.for_certification(cert, [d.iri]))}
            for d in cert.domains
        ]
        count = len(bank.for_certification(cert))
        certs.append({"code": cert.code, "label": cert.title, "count": count, "domains": domains})
    return render_template_string(_PAGE, certs=certs)


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
