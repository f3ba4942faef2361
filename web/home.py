"""The home page: choose a certification, see what is waiting in it, start studying.

Visitors who are not logged in get a short welcome with the ways in. :func:`catalogue` (the
catalog's certifications and domains with their question counts, as the pages show them, and where
each outline was read) is built once per question bank and shared with the study and export pages.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from flask import current_app, render_template
from flask_login import current_user

from opsprep.engine import QueueCounts
from opsprep.questions import QuestionBank

from .auth import current_progress
from .resources import get_bank

_lock = threading.Lock()


@dataclass(frozen=True)
class DomainInfo:
    """One exam domain as the pages show it."""

    iri: str
    number: int | None
    label: str
    questions: int


@dataclass(frozen=True)
class CertInfo:
    """One certification as the pages show it."""

    iri: str
    code: str
    label: str
    questions: int
    domains: tuple[DomainInfo, ...]
    is_exam: bool = True  # False for a study deck with no exam (DevOps foundations)
    #: the catalog's sentence for a corroborated outline ("" for an official one), its sources and notes
    provenance_line: str = ""
    corroborating_sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def domain_iris(self) -> frozenset[str]:
        """The IRIs of the certification's domains."""
        return frozenset(d.iri for d in self.domains)

    def domain(self, iri: str) -> DomainInfo | None:
        """The domain with this IRI, if it is one of this certification's."""
        return next((d for d in self.domains if d.iri == iri), None)


def catalogue() -> dict[str, CertInfo]:
    """Every certification of the app's bank by IRI, in exam-code order (built once per bank)."""
    bank = get_bank()
    app = current_app._get_current_object()
    with _lock:
        cached = app.extensions.get("opsprep.catalogue")
        if cached is None or cached[0] is not bank:
            cached = app.extensions["opsprep.catalogue"] = (bank, _build_catalogue(bank))
    return cached[1]


def _build_catalogue(bank: QuestionBank) -> dict[str, CertInfo]:
    per_domain: dict[str, int] = {}
    for item in bank.items:
        for domain in item.domains:
            per_domain[domain] = per_domain.get(domain, 0) + 1
    return {
        cert.iri: CertInfo(
            cert.iri,
            cert.code,
            cert.title,
            len(bank.for_certification(cert)),
            tuple(DomainInfo(d.iri, d.number, d.title, per_domain.get(d.iri, 0)) for d in cert.domains),
            cert.is_exam,
            cert.provenance_line,
            cert.corroborating_sources,
            cert.notes,
        )
        for cert in bank.catalog
    }


def index():
    """Home: each certification with its due, learning and new counts and a button to study it."""
    if not current_user.is_authenticated:
        return render_template("home/welcome.html", certs=list(catalogue().values()))
    me = current_progress()
    rows: list[tuple[CertInfo, QueueCounts]] = [(cert, me.counts(cert.iri)) for cert in catalogue().values()]
    rows.sort(key=lambda row: row[0].iri != me.info.default_cert)  # the usual certification first
    return render_template("home/index.html", rows=rows, learner=me.info)
