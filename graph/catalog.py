"""The certification catalog: every certification in the graph and its exam outline, as typed values.

Built once from a graph with :func:`read_catalog` (or by hand, for synthetic data), it is the one
place that reads exam codes, domain numbers, weights and exam figures. Where the graph states no
figure the catalog assumes one and names it in :attr:`Certification.assumed`:
:data:`DEFAULT_QUESTION_COUNT` questions, :data:`MINUTES_PER_QUESTION` minutes a question, a pass at
:data:`DEFAULT_PASSING_FRACTION`, and the mean of the stated weights (or equal weights) for domains
the outline gives no weight.

Each certification also says where its outline was read (:attr:`Certification.provenance`): in the
vendor's own material (``"official"``), or, when the vendor's page could not be checked, in at least
three independent sources that agree on it (``"corroborated"``, the sources in
:attr:`Certification.corroborating_sources`). :attr:`Certification.provenance_line` is the sentence
every surface that shows the blueprint prints for a corroborated outline, and
:attr:`Certification.notes` what the graph says a learner should know about the outline (plain
text: escape it wherever it is shown).

>>> from opsprep.graph import default_graph
>>> catalog = read_catalog(default_graph())
>>> cka = catalog.certification("cka")
>>> cka.code, cka.domain("1").number, "passingScore" in cka.assumed
('CKA', 1, True)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from functools import cached_property

from rdflib import Graph

from .errors import UnknownCertification, UnknownDomain
from .namespaces import OPS

DEFAULT_QUESTION_COUNT = 60
MINUTES_PER_QUESTION = 2
DEFAULT_PASSING_FRACTION = 0.70
#: :attr:`Certification.provenance` of an outline read in the vendor's own material
OFFICIAL = "official"
#: :attr:`Certification.provenance` of an outline that only independent sources could be read for
CORROBORATED = "corroborated"


@dataclass(frozen=True)
class ExamDomain:
    """One domain of a certification's exam outline."""

    iri: str
    cert: str  # the certification's IRI
    number: int | None
    title: str
    weight: float | None = None  # percent, as published
    weight_range: tuple[float, float] | None = None  # (min, max) percent, for outlines that publish a range
    sources: tuple[str, ...] = ()
    share: float = 0.0  # this domain's part of the exam, 0..1 (stated, mid-range or assumed weight)

    @property
    def label(self) -> str:
        """ "3. Services and Networking" (the title alone when the outline numbers no domains)."""
        return self.title if self.number is None else f"{self.number}. {self.title}"

    @property
    def effective_weight(self) -> float | None:
        """The weight used for drawing exam questions: stated, else the middle of the range."""
        if self.weight is not None:
            return self.weight
        return None if self.weight_range is None else sum(self.weight_range) / 2

    def to_dict(self) -> dict:
        """JSON-ready dict."""
        return {**asdict(self), "label": self.label}


@dataclass(frozen=True)
class Certification:
    """A certification, its outline (version and date, sources) and its exam figures.

    ``question_count``, ``minutes`` and ``passing_fraction`` always hold a value: the one the graph
    states, or an assumed one named in ``assumed``.
    """

    iri: str
    code: str
    title: str
    domains: tuple[ExamDomain, ...]
    version: str | None = None
    outline_date: dt.date | None = None
    provider: str | None = None  # the vendor's IRI
    sources: tuple[str, ...] = ()
    question_count: int = DEFAULT_QUESTION_COUNT
    question_range: tuple[int, int] | None = None  # (min, max) when the exam states a range
    minutes: int = DEFAULT_QUESTION_COUNT * MINUTES_PER_QUESTION
    passing_fraction: float = DEFAULT_PASSING_FRACTION
    score_scale_max: float | None = None  # the top of the score scale (1000 for AWS), when it has one
    exam_format: str | None = None
    assumed: tuple[
        str, ...
    ] = ()  # the figures the graph does not state: weight, questionCount, durationMinutes, passingScore
    alt_labels: tuple[str, ...] = field(default=(), repr=False)
    #: False for a study deck that has no exam (no exam mode, no readiness, no pass mark)
    is_exam: bool = True
    #: where the outline was read: :data:`OFFICIAL` or :data:`CORROBORATED`
    provenance: str = OFFICIAL
    #: the independent pages that agree on a corroborated outline (IRIs, sorted)
    corroborating_sources: tuple[str, ...] = ()
    #: what a learner should know wherever the blueprint is shown (English, plain text: never trusted HTML)
    notes: tuple[str, ...] = ()

    @property
    def is_corroborated(self) -> bool:
        """True when the outline was read only in independent sources, not in the vendor's own page."""
        return self.provenance == CORROBORATED

    @property
    def provenance_line(self) -> str:
        """The sentence shown with a corroborated outline wherever its blueprint is; "" for an official one.

        >>> certification("x", "X", "Exam X", (), provenance=CORROBORATED,
        ...               corroborating_sources=("https://a", "https://b", "https://c")).provenance_line
        "Outline corroborated by 3 independent sources; the vendor's page could not be checked."
        """
        if not self.is_corroborated:
            return ""
        count = len(self.corroborating_sources)
        sources = "source" if count == 1 else "sources"
        return f"Outline corroborated by {count} independent {sources}; the vendor's page could not be checked."

    @property
    def passing_score(self) -> float | None:
        """The passing mark on the exam's own scale (e.g. 750 of 1000), when it has one."""
        return None if self.score_scale_max is None else self.passing_fraction * self.score_scale_max

    @property
    def domain_iris(self) -> tuple[str, ...]:
        """The IRIs of its domains, in outline order."""
        return tuple(d.iri for d in self.domains)

    def domain(self, ref: str | int) -> ExamDomain:
        """One of its domains by number, IRI or title (any case); raises :class:`UnknownDomain`."""
        text = str(ref).strip()
        for d in self.domains:
            if text in (d.iri, str(d.number)) or text.casefold() in (d.title.casefold(), d.label.casefold()):
                return d
        known = "; ".join(d.label for d in self.domains)
        raise UnknownDomain(f"{self.code} has no exam domain {text!r}. Its domains are: {known}.")

    def names(self) -> frozenset[str]:
        """Every name it can be looked up by, case-folded: IRI, exam code, title and alternative labels."""
        return frozenset(n.casefold() for n in (self.iri, self.code, self.title, *self.alt_labels))

    def to_dict(self) -> dict:
        """JSON-ready dict."""
        data = asdict(self)
        data["outline_date"] = None if self.outline_date is None else self.outline_date.isoformat()
        data["domains"] = [d.to_dict() for d in self.domains]
        data["passing_score"] = self.passing_score
        data["provenance_line"] = self.provenance_line
        del data["alt_labels"]
        return data


@dataclass(frozen=True)
class Catalog:
    """Every certification of a graph, looked up by exam code, title or IRI."""

    certifications: tuple[Certification, ...] = ()

    def __iter__(self) -> Iterator[Certification]:
        return iter(self.certifications)

    def __len__(self) -> int:
        return len(self.certifications)

    def certification(self, ref: str) -> Certification:
        """The certification with this exam code, title or IRI (any case); raises :class:`UnknownCertification`."""
        folded = str(ref).strip().casefold()
        for cert in self.certifications:
            if folded in cert.names():
                return cert
        known = ", ".join(self.codes()) or "none"
        raise UnknownCertification(f"There is no certification {ref!r}. Known exam codes: {known}.")

    def codes(self) -> list[str]:
        """Exam codes of every certification, sorted."""
        return sorted(c.code for c in self.certifications)

    def domain(self, iri: str) -> ExamDomain:
        """The exam domain with this IRI, whichever certification it belongs to; raises :class:`UnknownDomain`."""
        found = self._domains.get(iri)
        if found is None:
            raise UnknownDomain(f"There is no exam domain {iri!r}.")
        return found

    def cert_of(self, domain_iri: str) -> Certification:
        """The certification a domain belongs to."""
        return self.certification(self.domain(domain_iri).cert)

    @cached_property
    def _domains(self) -> dict[str, ExamDomain]:
        return {d.iri: d for c in self.certifications for d in c.domains}


def certification(
    iri: str,
    code: str,
    title: str,
    domains: Iterable[ExamDomain],
    *,
    question_count: int | None = None,
    question_range: tuple[int, int] | None = None,
    minutes: int | None = None,
    passing_score: float | None = None,
    score_scale_max: float | None = None,
    **other,
) -> Certification:
    """A :class:`Certification` from the figures an outline states (None: not stated); the rest assumed.

    ``passing_score`` is read against ``score_scale_max`` when given (750 of 1000), else as a fraction
    (0.7) or a percentage (70). Domain shares are computed from the stated weights.
    """
    assumed: list[str] = []
    domains = tuple(sorted(domains, key=lambda d: (d.number is None, d.number or 0, d.iri)))
    weights = [d.effective_weight for d in domains]
    stated = [w for w in weights if w is not None]
    if len(stated) < len(weights):
        assumed.append("weight")
    fallback = sum(stated) / len(stated) if stated else 100 / max(len(weights), 1)
    used = [w if w is not None else fallback for w in weights]
    total = sum(used) or 1.0
    domains = tuple(replace(d, share=w / total) for d, w in zip(domains, used, strict=True))
    count = question_count
    if count is None and question_range is not None:
        count = round(sum(question_range) / 2)
    if count is None:
        assumed.append("questionCount")
        count = DEFAULT_QUESTION_COUNT
    if minutes is None:
        assumed.append("durationMinutes")
        minutes = count * MINUTES_PER_QUESTION
    if passing_score is None:
        assumed.append("passingScore")
        fraction = DEFAULT_PASSING_FRACTION
    elif score_scale_max:
        fraction = passing_score / score_scale_max
    else:
        fraction = passing_score if passing_score <= 1 else passing_score / 100
    return Certification(
        iri=iri,
        code=code,
        title=title,
        domains=domains,
        question_count=count,
        question_range=question_range,
        minutes=minutes,
        passing_fraction=fraction,
        score_scale_max=score_scale_max,
        assumed=tuple(assumed),
        **other,
    )


_QUERY = """
SELECT ?s ?p ?o WHERE {
  { ?s a ops:Certification } UNION { ?c a ops:Certification ; ops:hasDomain ?s }
  ?s ?p ?o
}"""
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_SOURCE = "http://purl.org/dc/terms/source"
_PROVIDER = "https://schema.org/provider"
#: ops:outlineProvenance values, as :attr:`Certification.provenance` names them
_PROVENANCE = {str(OPS.OfficialOutline): OFFICIAL, str(OPS.CorroboratedOutline): CORROBORATED}


def read_catalog(graph: Graph) -> Catalog:
    """The catalog of every ``ops:Certification`` in ``graph`` with its ``ops:hasDomain`` outline.

    A certification without ``ops:outlineProvenance`` (the shapes require one; graphs made before it
    existed have none) reads as official; its ``ops:corroboratingSource`` values are kept only when it
    is corroborated. ``ops:outlineNote`` is read in English (or without a language tag).
    """
    props: dict[str, dict[str, list]] = {}
    for s, p, o in graph.query(_QUERY, initNs={"ops": OPS}):
        if getattr(o, "language", None) not in (None, "en"):
            continue
        props.setdefault(str(s), {}).setdefault(str(p), []).append(o)

    def one(iri: str, name: str, convert=str):
        values = sorted(props.get(iri, {}).get(name, ()), key=str)
        return convert(values[0].toPython() if hasattr(values[0], "toPython") else values[0]) if values else None

    def many(iri: str, name: str) -> tuple[str, ...]:
        return tuple(sorted(str(v) for v in props.get(iri, {}).get(name, ())))

    def number(iri: str, name: str) -> float | None:
        return one(iri, str(OPS[name]), float)

    def pair(iri: str, low: str, high: str, convert=float):
        a, b = number(iri, low), number(iri, high)
        return None if a is None or b is None else (convert(a), convert(b))

    certs = []
    for iri, data in props.items():
        if str(OPS.Certification) not in {str(t) for t in data.get(_RDF_TYPE, ())}:
            continue
        title = one(iri, _SKOS + "prefLabel") or iri
        domains = [
            ExamDomain(
                iri=d,
                cert=iri,
                number=None if number(d, "domainNumber") is None else int(number(d, "domainNumber")),
                title=one(d, _SKOS + "prefLabel") or d,
                weight=number(d, "weight"),
                weight_range=pair(d, "weightMin", "weightMax"),
                sources=many(d, _SOURCE),
            )
            for d in many(iri, str(OPS.hasDomain))
            if d in props
        ]
        count = number(iri, "questionCount")
        minutes = number(iri, "durationMinutes")
        outline_date = one(iri, str(OPS.outlineDate))
        provenance = _PROVENANCE.get(one(iri, str(OPS.outlineProvenance)) or "", OFFICIAL)
        certs.append(
            certification(
                iri,
                one(iri, str(OPS.examCode)) or title,
                title,
                domains,
                question_count=None if count is None else round(count),
                question_range=pair(iri, "questionCountMin", "questionCountMax", round),
                minutes=None if minutes is None else round(minutes),
                passing_score=number(iri, "passingScore"),
                score_scale_max=number(iri, "scoreScaleMax"),
                version=one(iri, str(OPS.outlineVersion)),
                outline_date=dt.date.fromisoformat(outline_date[:10]) if outline_date else None,
                provider=one(iri, _PROVIDER),
                sources=many(iri, _SOURCE),
                exam_format=one(iri, str(OPS.examFormat)),
                alt_labels=many(iri, _SKOS + "altLabel"),
                provenance=provenance,
                corroborating_sources=many(iri, str(OPS.corroboratingSource)) if provenance == CORROBORATED else (),
                notes=many(iri, str(OPS.outlineNote)),
            )
        )
    return Catalog(tuple(sorted(certs, key=lambda c: c.code.casefold())))


_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
