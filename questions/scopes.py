"""Where items are filed: the exam domains that cover what a stem asks, or the DevOps foundations deck.

The foundations deck holds what every DevOps engineer meets but no exam outline tests (licences,
maintainers, implementation languages, cross-cloud counterparts, roles). It is studied and exported like
a certification, but it has no exam and counts in no exam's readiness.

Each certification also has a *world*: what its outline covers, with everything above and below it in
the "is a kind of" hierarchy, and the cloud platform its covered services run on. Items filed under an
exam draw their wrong options from that world, so an option is never wrong merely for belonging to
another exam.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from opsprep.graph.catalog import Catalog, Certification, ExamDomain, certification

FOUNDATIONS_IRI = "https://w3id.org/opsprep/id/deck/devops-foundations"
FOUNDATIONS_CODE = "FOUNDATIONS"

#: the foundations deck's sections: family key -> title
FAMILIES: dict[str, str] = {
    "projects": "Tools and open-source projects",
    "tools": "How tools work",
    "cloud": "Cloud services and their counterparts",
    "concepts": "Concepts",
    "practices": "Practices, roles and responsibilities",
}


def performance_based(cert: Certification) -> bool:
    """True when the certification's exam format says it is performance-based: solved hands-on, with no
    multiple-choice questions at all (CKA, CKAD)."""
    return "performance-based" in (cert.exam_format or "").casefold()


def family_iri(family: str) -> str:
    """The IRI of one section of the foundations deck."""
    return f"{FOUNDATIONS_IRI}/{family}"


@cache
def foundations(families: tuple[str, ...] = tuple(FAMILIES)) -> Certification:
    """The DevOps foundations deck as a catalog entry with no exam (``is_exam`` false), with the given
    sections (all by default), numbered in the order of :data:`FAMILIES`."""
    domains = [
        ExamDomain(iri=family_iri(key), cert=FOUNDATIONS_IRI, number=n, title=title)
        for n, (key, title) in enumerate(FAMILIES.items(), start=1)
        if key in families
    ]
    return certification(
        FOUNDATIONS_IRI,
        FOUNDATIONS_CODE,
        "DevOps foundations",
        domains,
        is_exam=False,
        alt_labels=("foundations", "devops foundations"),
    )


def with_foundations(catalog: Catalog, filed: Iterable[str] | None = None) -> Catalog:
    """The catalog with the foundations deck added after the certifications; given the domains items are
    filed under, only the deck's sections that hold items (and no deck when none does)."""
    wanted = set(FAMILIES) if filed is None else {key for key in FAMILIES if family_iri(key) in set(filed)}
    if not wanted:
        return catalog
    return Catalog((*catalog.certifications, foundations(tuple(k for k in FAMILIES if k in wanted))))
