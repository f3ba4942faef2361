"""The question bank's quality gate: measure the whole bank against the rubric's thresholds.

:func:`lint` checks every item (or every item of one certification) for what makes a question bad
(see the question rubric): a wrong option the graph does not prove wrong (a missing fact read as
false), showings that give the key away, off-exam items filed under an exam, explanations with empty
notes or re-cased identifiers, sources that are the wrong page to cite, the same stem repeated too
often, and exam domains with too few items. The :class:`LintReport` gives each figure, the limit it
must keep (:data:`THRESHOLDS`) and which limits are exceeded.

>>> from opsprep.graph import default_graph
>>> from opsprep.questions import build_bank
>>> report = lint(build_bank(default_graph()), seeds=(0,))
>>> report.items > 0, report.ok == (not report.failures()), "missing_as_false" in report.to_dict()
(True, True, True)
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from opsprep.graph.catalog import Certification

from .bank import QuestionBank
from .facts import SKOS_DEFINITION, SKOS_PREF_LABEL, Facts, Thing, predicate
from .giveaways import giveaways
from .hands_on_proof import hands_on_unproven, is_hands_on
from .model import Choice, Claim, QuestionItem, QuestionType
from .present import present
from .proof import HIERARCHICAL, Proof, refutation
from .solution_proof import is_solution_item, solution_unproven
from .templates import TOOL_FACETS


@dataclass(frozen=True)
class Threshold:
    """The limit one figure must keep: at most ``limit`` (or at least, with ``at_least``)."""

    limit: float
    at_least: bool = False
    share: bool = False  # the figure is a share 0..1, shown as a percentage

    def holds(self, figure: float) -> bool:
        """True when the figure keeps the limit."""
        return figure >= self.limit if self.at_least else figure <= self.limit

    def show(self, figure: float) -> str:
        """A figure in this threshold's unit: ``12``, ``1.5 %``."""
        if self.share:
            digits = 1  # more where one decimal would round a figure to 0 % or 100 % that is neither
            while digits < 4 and 0 < figure < 1 and round(figure * 100, digits) in (0, 100):
                digits += 1
            return f"{figure:.{digits}%}".replace("%", " %")
        return f"{figure:,.0f}" if float(figure).is_integer() else f"{figure:,g}"

    def describe(self) -> str:
        """The limit as a condition: ``≤ 0``, ``≥ 40``, ``≤ 2.0 %``."""
        return ("≥ " if self.at_least else "≤ ") + self.show(self.limit)


#: the gate: a check name -> the limit its figure must keep. Never lower a limit to let a bank pass.
THRESHOLDS: dict[str, Threshold] = {
    # items with a wrong option the graph does not prove wrong: a missing fact read as false (rubric score 0)
    "missing-as-false": Threshold(0),
    # share of showings in which the shown wrong options give the key away, per giveaway rule (rubric score 1)
    "giveaway-rate": Threshold(0.02, share=True),
    # items filed under an exam domain that the exam does not test: an off-exam template, or about nothing
    # the domain covers (licence or maintainer asked for CKA: rubric score 1)
    "off-exam": Threshold(0),
    # share of items with an explanation and a note on every option (the True/False options need none)
    "explanation-completeness": Threshold(1.0, at_least=True, share=True),
    # items whose explanation writes an identifier with a capital it does not have ("Kubectl", "Depends_on")
    "recased-identifiers": Threshold(0),
    # items whose explanation has a doubled full stop ("Inc..")
    "doubled-stops": Threshold(0),
    # items citing a page of one hygiene rule (see HYGIENE_RULES), per rule: the wrong page to cite
    "hygiene": Threshold(0),
    # the most items sharing one exact stem: a stem asked more often than this reads as a drill
    "identical-stems": Threshold(12),
    # the fewest items of any exam domain: below this a domain cannot be studied or examined fairly
    "smallest-exam-domain": Threshold(40, at_least=True),
}

#: how many examples a rule keeps (the text report shows the first few of them)
MAX_EXAMPLES = 20
#: the giveaway rules of :func:`opsprep.questions.giveaways.giveaways`
GIVEAWAY_RULES = ("kind", "platform", "words")
#: the foundations family of each template id (the part before "/"); "exam" is filed under exams.
#: Cross-cloud counterparts are built outside TOOL_FACETS and filed in the "cloud" family.
TEMPLATE_FAMILIES: dict[str, str] = {t.id: t.family for t in TOOL_FACETS} | {"equivalent": "cloud"}
#: templates that ask for a licence: the only ones that may cite a LICENSE or COPYING file
LICENCE_TEMPLATES = frozenset(t.id for t in TOOL_FACETS if t.fact == "license")
#: the keys of a true/false item's two options
TRUE_FALSE_KEYS = frozenset({"true", "false"})

_LICENCE_FILE = re.compile(r"^(?:licen[cs]e|copying)(?:[-.][\w.-]*)?$", re.I)
#: SDK, javadoc and API client reference pages: they document a client library, not the service or tool
_SDK_PAGE = re.compile(
    r"/javadoc/|/sdk-for-|/sdkref/|/sdkfornet/|boto3|//pkg\.go\.dev/|//docs\.rs/|/AWSJavaScriptSDK/|aws-sdk"
    r"|/java/api/latest/|/(?:python|javascript|dotnet|java)/api/|/ruby/docs/reference/",
    re.I,
)
#: a path segment naming a locale in another language than English: fr_fr, he-il, zh_TW, pt-br
_LOCALE = re.compile(
    r"^(?:ar|bg|cs|da|de|el|es|et|fi|fr|he|hi|hu|id|it|ja|ko|lt|lv|ms|nb|nl|no|pl|pt|ro|ru|sk|sl|sr|sv|th|tr"
    r"|uk|vi|zh)[-_][a-z]{2}$",
    re.I,
)
#: documentation mirrors for another partition (China), whose pages may differ from the global ones
_MIRROR_HOSTS = frozenset({"docs.amazonaws.cn", "docs.azure.cn"})
_GITHUB_PROFILE = re.compile(r"^https?://(?:www\.)?github\.com/([^/?#]+)/?(?:[?#].*)?$", re.I)
#: single-segment GitHub pages that are not an account
_GITHUB_PAGES = frozenset(
    {"about", "enterprise", "explore", "features", "marketplace", "pricing", "security", "sponsors", "topics"}
)
_DOUBLED_STOP = re.compile(r"(?<!\.)\.\.(?!\.)")


def _licence_file(url: str) -> bool:
    path = urlsplit(url).path.rstrip("/")
    return bool(_LICENCE_FILE.match(path.rsplit("/", 1)[-1]))


def _locale_mirror(url: str) -> bool:
    parts = urlsplit(url)
    if parts.hostname in _MIRROR_HOSTS:
        return True
    if any(_LOCALE.match(segment) for segment in unquote(parts.path).split("/")):
        return True
    return any(not value.casefold().startswith("en") for value in parse_qs(parts.query).get("hl", ()))


def _github_profile(url: str) -> bool:
    match = _GITHUB_PROFILE.match(url)
    return bool(match) and match.group(1).casefold() not in _GITHUB_PAGES


#: source hygiene: rule -> the test of one source URL (an item breaks a rule when one of its sources does)
HYGIENE_RULES: dict[str, Callable[[str], bool]] = {
    "licence-file": _licence_file,  # a LICENSE/COPYING file (or licence page) cited by anything but a licence item
    "sdk-reference": lambda url: bool(_SDK_PAGE.search(url)),
    "locale-mirror": _locale_mirror,  # a page in another language, or a China-partition mirror
    "github-profile": _github_profile,  # an account page, with no repository
    "not-https": lambda url: urlsplit(url).scheme != "https",
}


@dataclass(frozen=True)
class Example:
    """One offending item: its id, template and stem, and what is wrong with it."""

    item: str
    template: str
    stem: str
    detail: str


@dataclass(frozen=True)
class Tally:
    """How many of ``total`` (items or showings) break a rule, with up to :data:`MAX_EXAMPLES` of them."""

    count: int
    total: int
    examples: tuple[Example, ...] = ()

    @property
    def rate(self) -> float:
        """``count / total`` (0 when there is nothing to count)."""
        return self.count / self.total if self.total else 0.0

    def to_dict(self) -> dict:
        """JSON-ready dict, with the rate."""
        return {"count": self.count, "total": self.total, "rate": round(self.rate, 4), "examples": self._examples()}

    def _examples(self) -> list[dict]:
        return [asdict(e) for e in self.examples]


class _Counter:
    """Counts the items (or showings) that break a rule and keeps the first examples (with ``distinct``,
    only the first item of each detail, so that the examples name different causes)."""

    def __init__(self, distinct: bool = False) -> None:
        self.count = 0
        self.total = 0
        self.examples: list[Example] = []
        self.distinct = distinct
        self._details: set[str] = set()

    def see(self, item: QuestionItem, detail: str | None) -> None:
        """Count one item or showing; ``detail`` (what is wrong) when it breaks the rule, else None."""
        self.total += 1
        if detail is None:
            return
        self.count += 1
        if len(self.examples) < MAX_EXAMPLES and not (self.distinct and detail in self._details):
            self._details.add(detail)
            self.examples.append(Example(item.id, item.template, item.stem, detail))

    def tally(self) -> Tally:
        return Tally(self.count, self.total, tuple(self.examples))


@dataclass(frozen=True)
class Check:
    """One gated figure: the check's name, the figure and its threshold."""

    name: str
    figure: float
    threshold: Threshold

    @property
    def ok(self) -> bool:
        """True when the figure keeps its limit."""
        return self.threshold.holds(self.figure)

    def to_dict(self) -> dict:
        """JSON-ready dict."""
        return {
            "check": self.name,
            "figure": round(self.figure, 6),
            "limit": self.threshold.limit,
            "at_least": self.threshold.at_least,
            "ok": self.ok,
        }


@dataclass(frozen=True)
class LintReport:
    """Every figure of one lint run, the thresholds they are held to, and the examples behind them."""

    scope: str  # "all" or the certification's code
    items: int
    seeds: tuple[int, ...]
    missing_as_false: Tally
    #: per giveaway rule, and "any": showings breaking it, of all showings of non true/false items
    giveaways: dict[str, Tally]
    #: certification code -> {"presentations": n, rule: rate, ..., "any": rate}
    giveaways_by_cert: dict[str, dict[str, float]]
    off_exam: Tally
    explanations: Tally  # items with an empty explanation or an option without a note
    recased: Tally
    doubled_stops: Tally
    hygiene: dict[str, Tally]
    templates: dict[str, int]  # items per template id
    stems: tuple[tuple[str, int], ...]  # the most repeated stems, most first
    coverage: dict[str, dict[str, int]]  # exam code -> domain label -> items

    @property
    def explanation_completeness(self) -> float:
        """The share of items whose explanation and option notes are all there."""
        return 1.0 - self.explanations.rate if self.explanations.total else 1.0

    @property
    def largest_stem_count(self) -> int:
        """The most items sharing one exact stem."""
        return self.stems[0][1] if self.stems else 0

    @property
    def smallest_domain(self) -> tuple[str, str, int] | None:
        """(exam code, domain label, items) of the exam domain with the fewest items, or None."""
        rows = [(code, label, n) for code, domains in self.coverage.items() for label, n in domains.items()]
        return min(rows, key=lambda row: row[2]) if rows else None

    def checks(self) -> list[Check]:
        """Every gated figure with its threshold, in report order."""
        out = [Check("missing-as-false", self.missing_as_false.count, THRESHOLDS["missing-as-false"])]
        out += [
            Check(f"giveaway-rate/{rule}", self.giveaways[rule].rate, THRESHOLDS["giveaway-rate"])
            for rule in GIVEAWAY_RULES
        ]
        out += [
            Check("off-exam", self.off_exam.count, THRESHOLDS["off-exam"]),
            Check("explanation-completeness", self.explanation_completeness, THRESHOLDS["explanation-completeness"]),
            Check("recased-identifiers", self.recased.count, THRESHOLDS["recased-identifiers"]),
            Check("doubled-stops", self.doubled_stops.count, THRESHOLDS["doubled-stops"]),
        ]
        out += [Check(f"hygiene/{rule}", tally.count, THRESHOLDS["hygiene"]) for rule, tally in self.hygiene.items()]
        out.append(Check("identical-stems", self.largest_stem_count, THRESHOLDS["identical-stems"]))
        smallest = self.smallest_domain
        if smallest is not None:
            out.append(Check("smallest-exam-domain", smallest[2], THRESHOLDS["smallest-exam-domain"]))
        return out

    def failures(self) -> list[str]:
        """One line per threshold exceeded: the check, its figure and the limit."""
        failing = [c for c in self.checks() if not c.ok]
        return [f"{c.name}: {c.threshold.show(c.figure)} (limit {c.threshold.describe()})" for c in failing]

    @property
    def ok(self) -> bool:
        """True when every threshold holds."""
        return all(c.ok for c in self.checks())

    def tallies(self) -> dict[str, Tally]:
        """The tally behind each check that has examples, by check name."""
        return {
            "missing-as-false": self.missing_as_false,
            **{f"giveaway-rate/{rule}": self.giveaways[rule] for rule in GIVEAWAY_RULES},
            "off-exam": self.off_exam,
            "explanation-completeness": self.explanations,
            "recased-identifiers": self.recased,
            "doubled-stops": self.doubled_stops,
            **{f"hygiene/{rule}": tally for rule, tally in self.hygiene.items()},
        }

    def to_dict(self) -> dict:
        """JSON-ready dict: the verdict, every check, and the figures and examples of every rule."""
        smallest = self.smallest_domain
        return {
            "scope": self.scope,
            "items": self.items,
            "seeds": list(self.seeds),
            "ok": self.ok,
            "failures": self.failures(),
            "checks": [c.to_dict() for c in self.checks()],
            "missing_as_false": self.missing_as_false.to_dict(),
            "giveaways": {rule: tally.to_dict() for rule, tally in self.giveaways.items()},
            "giveaways_by_cert": self.giveaways_by_cert,
            "off_exam": self.off_exam.to_dict(),
            "explanations": {"completeness": round(self.explanation_completeness, 4), **self.explanations.to_dict()},
            "recased_identifiers": self.recased.to_dict(),
            "doubled_stops": self.doubled_stops.to_dict(),
            "hygiene": {rule: tally.to_dict() for rule, tally in self.hygiene.items()},
            "repetition": {
                "templates": self.templates,
                "largest_identical_stem": self.largest_stem_count,
                "stems": [{"stem": stem, "items": n} for stem, n in self.stems],
            },
            "coverage": {
                "domains": self.coverage,
                "smallest": None if smallest is None else dict(zip(("cert", "domain", "items"), smallest, strict=True)),
            },
            "thresholds": {name: asdict(t) for name, t in THRESHOLDS.items()},
        }


# --- 1. missing-as-false ---------------------------------------------------------------------------------

#: literal claims compared by string value: the option's label, or its definition
_LITERALS: dict[str, Callable[[Thing], str]] = {
    SKOS_PREF_LABEL: lambda thing: thing.label,
    SKOS_DEFINITION: lambda thing: thing.definition,
}


def fact_names(facts: Facts) -> dict[str, str]:
    """Predicate IRI -> fact name, for every fact the graph's things record."""
    return {predicate(name): name for thing in facts.things.values() for name in thing.facts}


def _satisfies(facts: Facts, names: dict[str, str], claim: Claim, option: str) -> bool | None:
    """Whether the graph proves that ``option`` has the claim's triple (True), proves it does not (False),
    or leaves it open (None); ``holds`` is not applied here."""
    if claim.predicate in _LITERALS:
        thing = facts.things.get(option)
        value = _LITERALS[claim.predicate](thing) if thing and claim.forward else ""
        return None if not value else value == claim.target
    fact = names.get(claim.predicate)
    if fact is None:
        return None
    subject, value = (option, claim.target) if claim.forward else (claim.target, option)
    thing = facts.things.get(subject)
    if thing is None:
        return None
    recorded = thing.values(fact)
    if value in recorded or (fact in HIERARCHICAL and any(value in facts.up(r) for r in recorded)):
        return True
    return False if refutation(facts, thing, fact, value) is not None else None


def _fails(facts: Facts, names: dict[str, str], claim: Claim, option: str) -> bool | None:
    """True when the option provably fails the claim, False when it provably meets it, None when open."""
    satisfied = _satisfies(facts, names, claim, option)
    return None if satisfied is None else satisfied != claim.holds


def unproven(facts: Facts, item: QuestionItem, names: dict[str, str] | None = None) -> list[str]:
    """Why each wrong option of ``item`` is not proven wrong by the graph (empty: all are).

    A wrong option needs a known proof kind, and the graph, re-read independently of the generator,
    must show that it fails one of the item's claims. For true/false items the claims are about the
    subject (``about[0]``): a wrong "True" needs the subject to fail a claim, a wrong "False" needs it
    to meet them all.
    """
    names = fact_names(facts) if names is None else names
    if is_solution_item(item):
        return solution_unproven(facts, item)
    if is_hands_on(item):
        return hands_on_unproven(facts, item)
    kinds = {str(p) for p in Proof}
    problems = []
    for choice in item.distractors:
        label = f"“{choice.text}”"
        if not choice.proof:
            problems.append(f"{label}: no proof")
            continue
        if str(choice.proof) not in kinds:
            problems.append(f"{label}: unknown proof {choice.proof!r}")
            continue
        if not item.claims:
            problems.append(f"{label} ({choice.proof}): the item has no claims to check it against")
            continue
        if not _proven(facts, names, item, choice):
            problems.append(f"{label} ({choice.proof}): the graph does not prove it wrong ({_claims(facts, item)})")
    return problems


def _proven(facts: Facts, names: dict[str, str], item: QuestionItem, choice: Choice) -> bool:
    if item.type == QuestionType.TRUE_FALSE and choice.key in TRUE_FALSE_KEYS:
        subject = item.about[0] if item.about else ""
        verdicts = [_fails(facts, names, claim, subject) for claim in item.claims]
        if choice.key == "true":
            return any(v is True for v in verdicts)
        return all(v is False for v in verdicts)
    option = choice.iri or choice.key
    return any(_fails(facts, names, claim, option) is True for claim in item.claims)


def _claims(facts: Facts, item: QuestionItem) -> str:
    def one(claim: Claim) -> str:
        name = claim.predicate.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        target = facts.label(claim.target)
        target = target if len(target) <= 40 else target[:39] + "…"
        shape = f"option {name} {target}" if claim.forward else f"{target} {name} option"
        return shape if claim.holds else f"not {shape}"

    return "; ".join(one(c) for c in item.claims)


# --- 3. off-exam, 4. explanations, 5. hygiene ------------------------------------------------------------


def template_family(template: str) -> str:
    """The family of an item's template: "exam", or the foundations family it belongs to."""
    return TEMPLATE_FAMILIES.get(template.split("/", 1)[0], "exam")


def off_exam(facts: Facts, item: QuestionItem, exam_domains: Iterable[str]) -> str | None:
    """Why an item filed under an exam domain is off that exam, or None."""
    exam = exam_domains if isinstance(exam_domains, set | frozenset) else set(exam_domains)
    filed = [d for d in item.domains if d in exam]
    if not filed:
        return None
    family = template_family(item.template)
    if family != "exam":
        return f"a {family!r} template filed under {len(filed)} exam domain(s)"
    needed = set(facts.hands_on.domains_for(set(item.about)))
    uncovered = [
        d for d in filed if d not in needed and not any(d in facts.covered_by.get(iri, ()) for iri in item.about)
    ]
    if uncovered:
        return f"nothing it is about is covered by {uncovered[0].rsplit('/', 1)[-1]}"
    return None


def _texts(item: QuestionItem) -> list[str]:
    """The explanation and every option note: what a learner reads after answering."""
    return [item.explanation, *(c.note for c in (*item.answers, *item.distractors))]


def missing_notes(item: QuestionItem) -> str | None:
    """What the explanation lacks (an explanation, a note on an option), or None."""
    if not item.explanation.strip():
        return "empty explanation"
    true_false = item.type == QuestionType.TRUE_FALSE
    for choice in (*item.answers, *item.distractors):
        if true_false and choice.key in TRUE_FALSE_KEYS:
            continue
        if not choice.note.strip():
            return f"no note on “{choice.text}”"
    return None


def identifiers(facts: Facts) -> dict[str, str]:
    """Re-cased form -> identifier, for the things whose label starts in lower case and is an identifier:
    a tool's name (kubectl, kind), a label of one token (depends_on, kube-proxy), or one holding an
    underscore (count and for_each). Phrases ("terraform plan", "canary deployment") are left out: "a
    Terraform plan" and "Canary deployment" at the start of a sentence are good English."""
    labels = {t.label for t in facts.things.values()}
    out = {}
    for thing in facts.things.values():
        label = thing.label
        if not label[:1].islower():
            continue
        words = label.split()
        if thing.cls == "Tool" or len(words) == 1 or "_" in label:
            recased = label[:1].upper() + label[1:]
            if recased not in labels:
                out[recased] = label
    return out


def recased_pattern(facts: Facts) -> re.Pattern[str] | None:
    """A regex finding any identifier written with a capital (None when the graph has no identifiers)."""
    forms = sorted(identifiers(facts), key=len, reverse=True)
    if not forms:
        return None
    return re.compile(rf"(?<![\w-])(?:{'|'.join(re.escape(f) for f in forms)})(?![\w-])")


def hygiene_breaks(item: QuestionItem) -> dict[str, str]:
    """Rule -> the first offending source, for each hygiene rule the item's sources break."""
    out: dict[str, str] = {}
    for rule, test in HYGIENE_RULES.items():
        if rule == "licence-file" and item.template.split("/", 1)[0] in LICENCE_TEMPLATES:
            continue
        bad = next((url for url in item.sources if test(url)), None)
        if bad is not None:
            out[rule] = bad
    return out


# --- the whole bank --------------------------------------------------------------------------------------


def lint(bank: QuestionBank, seeds: Sequence[int] = (0, 1, 2), cert: Certification | str | None = None) -> LintReport:
    """Measure the whole bank (or the items of one certification) against :data:`THRESHOLDS`.

    Each non true/false item is shown once per seed for the giveaway rates; every other check reads
    each item once. ``cert`` (a certification or its code) narrows the lint to that certification's
    items and its domains' coverage; it raises ``UnknownCertification`` for an unknown code.
    """
    facts = bank.facts
    catalog = bank.catalog
    if isinstance(cert, str):
        cert = catalog.certification(cert)
    items = bank.for_certification(cert) if cert is not None else list(bank.items)
    scope_certs = [cert] if cert is not None else list(catalog)
    exam_domains = {d.iri for c in catalog if c.is_exam for d in c.domains}
    names = fact_names(facts)
    pattern = recased_pattern(facts)

    missing, offexam, notes, recased, stops = _Counter(), _Counter(), _Counter(), _Counter(), _Counter()
    hygiene = {rule: _Counter(distinct=True) for rule in HYGIENE_RULES}
    for item in items:
        problems = unproven(facts, item, names)
        missing.see(item, "; ".join(problems[:3]) if problems else None)
        offexam.see(item, off_exam(facts, item, exam_domains))
        notes.see(item, missing_notes(item))
        texts = _texts(item)
        found = sorted({m.group() for t in texts for m in pattern.finditer(t)}) if pattern else []
        recased.see(item, ", ".join(found) or None)
        doubled = next((t for t in texts if _DOUBLED_STOP.search(t)), None)
        stops.see(item, None if doubled is None else _around(doubled, _DOUBLED_STOP))
        breaks = hygiene_breaks(item)
        for rule, counter in hygiene.items():
            counter.see(item, breaks.get(rule))

    shown, by_cert = _giveaways(bank, items, seeds, scope_certs)
    # a stem shown over different code (a manifest, a configuration) asks a different question each time
    stems = Counter(item.stem if not item.code else f"{item.stem}\n{item.code}" for item in items)
    coverage = {
        c.code: {d.label: sum(d.iri in item.domains for item in items) for d in c.domains}
        for c in scope_certs
        if c.is_exam and c.domains
    }
    return LintReport(
        scope=cert.code if cert is not None else "all",
        items=len(items),
        seeds=tuple(seeds),
        missing_as_false=missing.tally(),
        giveaways=shown,
        giveaways_by_cert=by_cert,
        off_exam=offexam.tally(),
        explanations=notes.tally(),
        recased=recased.tally(),
        doubled_stops=stops.tally(),
        hygiene={rule: counter.tally() for rule, counter in hygiene.items()},
        templates=dict(sorted(Counter(item.template for item in items).items())),
        stems=tuple(stems.most_common(10)),
        coverage=coverage,
    )


def _around(text: str, pattern: re.Pattern[str], width: int = 30) -> str:
    match = pattern.search(text)
    start = max(0, match.start() - width) if match else 0
    return ("…" if start else "") + text[start : (match.end() + width if match else width)] + "…"


def _giveaways(
    bank: QuestionBank, items: Sequence[QuestionItem], seeds: Sequence[int], certs: Sequence[Certification]
) -> tuple[dict[str, Tally], dict[str, dict[str, float]]]:
    """Giveaway tallies per rule over every showing, and the rates per certification."""
    facts = bank.facts
    rules = (*GIVEAWAY_RULES, "any")
    overall = {rule: _Counter() for rule in rules}
    per_cert: dict[str, Counter] = {c.code: Counter() for c in certs}
    domains_of = {c.code: set(c.domain_iris) for c in certs}
    for item in items:
        if item.type == QuestionType.TRUE_FALSE or item.response is not None:
            continue
        wrong = {c.key: c for c in item.distractors}
        in_certs = [code for code, domains in domains_of.items() if domains & set(item.domains)]
        for seed in seeds:
            presentation = present(item, seed)
            options = [wrong[o.key] for o in presentation.options if not o.correct and o.key in wrong]
            broken = giveaways(facts, item.stem, item.answers, options)
            for rule in rules:
                hit = bool(broken) if rule == "any" else rule in broken
                detail = None
                if hit:
                    shown = ", ".join(f"“{o.text}”" for o in options)
                    answers = ", ".join(f"“{a.text}”" for a in item.answers)
                    detail = f"seed {seed}: key {answers} beside {shown} ({', '.join(broken)})"
                overall[rule].see(item, detail)
            for code in in_certs:
                per_cert[code]["presentations"] += 1
                per_cert[code].update(broken)
                per_cert[code]["any"] += bool(broken)
    by_cert = {}
    for code, counts in per_cert.items():
        n = counts["presentations"]
        if n:
            by_cert[code] = {"presentations": n, **{rule: round(counts[rule] / n, 4) for rule in rules}}
    return {rule: counter.tally() for rule, counter in overall.items()}, by_cert
