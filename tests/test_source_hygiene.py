"""What the shipped graph's facts rest on (docs/graph-conventions.md, "Statement sources").

* Every tested property of every thing has an ``ops:statement`` node with at least one source: the page
  that states that property's values for that thing.
* Source hygiene, for a thing's own sources and for statements alike: https only; a LICENSE/COPYING file
  is a source only of a ``schema:license`` statement; SDK, client-library and API-reference pages only
  where the thing is that SDK; English pages only (no locale mirror); no bare GitHub profile or
  organisation page unless the thing is that organisation.

``PENDING`` lists the known exceptions that need a person (a new English page, a real source for a thing
whose only page is an SDK reference, ...). It may only shrink: an entry that no longer fails is an error,
so delete it when you fix it, and never add one to make a new fact pass.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from rdflib import RDF, XSD, Literal, URIRef

from opsprep.graph import default_graph
from opsprep.graph.namespaces import shorten

OPS = "https://w3id.org/opsprep/ontology#"
ID = "https://w3id.org/opsprep/id/"
SCHEMA = "https://schema.org/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SOURCE = URIRef("http://purl.org/dc/terms/source")
STATEMENT, PROPERTY, COMPLETE = URIRef(OPS + "statement"), URIRef(OPS + "property"), URIRef(OPS + "complete")

#: the properties questions test: each needs a sourced statement on every thing that has it
TESTED = [
    SCHEMA + "license",
    SCHEMA + "programmingLanguage",
    OPS + "configurationLanguage",
    SCHEMA + "maintainer",
    OPS + "hostedBy",
    OPS + "cncfMaturity",
    OPS + "inCategory",
    OPS + "agentModel",
    OPS + "deliveryModel",
    OPS + "configurationStyle",
    OPS + "onPlatform",
    SKOS + "broader",
    OPS + "partOf",
    OPS + "stepOf",
    OPS + "argumentOf",
    OPS + "storedIn",
    OPS + "featureOf",
    OPS + "hasResponsibility",
    OPS + "equivalentTo",
]

# ---------------------------------------------------------------- classifying a source
# The same rules as the provenance migration script (keep the two in step).

#: a path segment naming a non-English language, alone or with a region (de, ja-jp, zh_TW, pt_br)
_LOCALE_SEGMENT = re.compile(
    r"^(ar|bg|cs|da|de|el|es|et|fa|fi|fr|he|hi|hu|id|it|ja|jp|ko|kr|lt|lv|ms|nb|nl|no|pl|pt|ro|ru|sk|sl|sr|sv|th|tr"
    r"|tw|uk|vi|zh|cn)([-_][a-z]{2,4})?$",
    re.I,
)
_GITHUB_HOSTS = {"github.com", "www.github.com"}
_GITHUB_RESERVED = {
    "about",
    "collections",
    "customer-stories",
    "enterprise",
    "events",
    "explore",
    "features",
    "marketplace",
    "pricing",
    "readme",
    "security",
    "site",
    "solutions",
    "topics",
    "trending",
}
_CODE_HOSTS = _GITHUB_HOSTS | {"raw.githubusercontent.com", "gitlab.com", "codeberg.org", "gitee.com"}
#: SDK pages allowed on the thing that IS that SDK (pattern on the URL -> things)
SDK_THINGS = {r"//docs\.aws\.amazon\.com/cdk/api/": {ID + "aws/cdk"}}


def _parts(url: str):
    u = urlsplit(url)
    return u, (u.hostname or "").lower(), [s for s in u.path.split("/") if s]


def _in_repository(host: str, segs: list[str]) -> bool:
    return host in _CODE_HOSTS or (host == "bitbucket.org" and segs[:1] != ["product"])


def locale_of(url: str) -> str | None:
    """The non-English locale of a page (a language segment among the first two, or ``hl=``), else None."""
    u, host, segs = _parts(url)
    for seg in segs[:2] if not _in_repository(host, segs) else ():  # owner/repository names are not locales
        if _LOCALE_SEGMENT.match(seg):
            return seg
    m = re.search(r"(?:^|&)hl=([^&]*)", u.query)
    if m and not m.group(1).lower().startswith("en"):
        return "hl=" + m.group(1)
    return None


def is_licence(url: str) -> bool:
    """A LICENSE/COPYING file (or a page whose last path segment is 'license')."""
    _, _, segs = _parts(url)
    return bool(segs) and re.fullmatch(r"(licen[cs]e|copying)([.-][A-Za-z0-9.-]+)?", segs[-1], re.I) is not None


def sdk_kind(url: str) -> str | None:
    """'sdk' for SDK / client-library / javadoc pages, 'api' for API-reference pages, else None."""
    u, host, segs = _parts(url)
    path = "/" + "/".join(segs)
    if "/javadoc/" in path.lower() + "/":
        return "sdk"
    if host in ("docs.aws.amazon.com", "docs.amazonaws.cn"):
        p = re.sub(r"^/[a-z]{2}_[a-z]{2}(?=/)", "", path, flags=re.I)
        if re.match(
            r"^/(AWSJavaScriptSDK|AWSJavaSDK|sdkfornet|sdk-for-[^/]+|sdkref|java/api|cdk/api|goto/boto3)(/|$)", p, re.I
        ):
            return "sdk"
        if re.search(r"apireference|_api_ref|^/goto/webapi/|^/[^/]+/latest/api(/|$)", p, re.I):
            return "api"
    if host == "boto3.amazonaws.com" or host in ("docs.rs", "pkg.go.dev", "googleapis.dev"):
        return "sdk"
    if host in ("cloud.google.com", "docs.cloud.google.com"):
        if re.match(r"^/(python|ruby|dotnet|java|nodejs|go|php|cpp)/docs/reference/", path):
            return "sdk"
        if re.search(r"/docs/reference/(rest|rpc|v\d[^/]*)(/|$)", path):
            return "api"
    if host == "learn.microsoft.com":
        p = re.sub(r"^/[a-z]{2}-[a-z]{2,4}(?=/)", "", path, flags=re.I)
        if re.match(r"^/(javascript|python|dotnet|java)/api/", p):
            return "sdk"
        if re.match(r"^/rest/api(/|$)", p):
            return "api"
    if (
        host in _GITHUB_HOSTS
        and len(segs) >= 2
        and (segs[1].lower().startswith("aws-sdk") or "client-sdk" in segs[1].lower())
    ):
        return "sdk"
    if host in ("rubygems.org", "www.rubygems.org") and len(segs) >= 2 and segs[1].startswith("google-cloud"):
        return "sdk"
    if host == "microsoft.github.io" and segs[:2] == ["BCApps", "reference"]:
        return "api"
    if host.endswith(".readthedocs.io") and re.search(r"/(api|reference)(/|$|\.html)", path):
        return "api"
    return None


def profile_owner(url: str) -> str | None:
    """The account of a bare GitHub profile/organisation page (github.com/<owner>, /sponsors/<x>, /orgs/<x>)."""
    _, host, segs = _parts(url)
    if host not in _GITHUB_HOSTS:
        return None
    if len(segs) == 1 and segs[0].lower() not in _GITHUB_RESERVED:
        return segs[0]
    if len(segs) == 2 and segs[0].lower() in ("sponsors", "orgs"):
        return segs[1]
    return None


def norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


# ---------------------------------------------------------------- known exceptions (may only shrink)

# (thing, statement property or "" for the thing's own sources, url) -> what a person has to do, and
# (thing, property) without a sourced statement -> why. Written once by the provenance migration from what
# it could not fix mechanically; from then on, only delete entries.
# >>> pending
PENDING: dict[tuple[str, str, str], str] = {
    (
        "vendor:ibm",
        "",
        "https://github.com/hashicorp/terraform/blob/main/LICENSE",
    ): "licence file; only own source: find a page about the thing",
}
PENDING_STATEMENTS: dict[tuple[str, str], str] = {}
# <<< pending


# ---------------------------------------------------------------- the graph


@pytest.fixture(scope="module")
def graph():
    return default_graph()


@pytest.fixture(scope="module")
def sources(graph):
    """(thing, property or "", url) for every dcterms:source: a thing's own, or a statement's about it."""
    owner = {n: (s, graph.value(n, PROPERTY)) for s, n in graph.subject_objects(STATEMENT)}
    found = []
    for node, url in graph.subject_objects(SOURCE):
        if node in owner:
            thing, prop = owner[node]
            found.append((thing, prop, url))
        elif isinstance(node, URIRef):
            found.append((node, None, url))
        else:
            found.append((node, None, url))  # some other blank node (e.g. a negative assertion)
    return found


def _key(thing, prop, url) -> tuple[str, str, str]:
    return (shorten(thing), shorten(prop) if prop is not None else "", str(url))


def _check(found: list[tuple[str, str, str]], rule: str) -> None:
    """Fail on violations not in PENDING; PENDING entries of this rule that no longer fail are stale."""
    new = [v for v in found if v not in PENDING]
    assert new == [], f"{rule}:\n" + "\n".join(f"  {t} {p or '(own sources)'}: {u}" for t, p, u in new)


def test_sources_are_https_iris(sources):
    bad = [_key(t, p, u) for t, p, u in sources if not (isinstance(u, URIRef) and str(u).startswith("https://"))]
    _check(bad, "a source is an https:// IRI")


def test_licence_files_source_only_licence_statements(sources):
    bad = [_key(t, p, u) for t, p, u in sources if is_licence(str(u)) and p != URIRef(SCHEMA + "license")]
    _check(bad, "a LICENSE/COPYING file is a source only of a schema:license statement")


def test_sdk_pages_only_on_the_sdk(sources):
    def allowed(url: str, thing) -> bool:
        return any(re.search(p, url) and str(thing) in things for p, things in SDK_THINGS.items())

    bad = [_key(t, p, u) for t, p, u in sources if sdk_kind(str(u)) and not allowed(str(u), t)]
    _check(bad, "SDK, client-library and API-reference pages only where the thing is that SDK")


def test_no_github_profile_pages(graph, sources):
    def is_that_organisation(thing, owner: str) -> bool:
        if (thing, RDF.type, URIRef(OPS + "Vendor")) not in graph:
            return False
        names = {norm(str(thing).rsplit("/", 1)[-1])}
        names |= {norm(str(n)) for p in ("prefLabel", "altLabel") for n in graph.objects(thing, URIRef(SKOS + p))}
        return norm(owner) in names

    bad = [
        _key(t, p, u) for t, p, u in sources if (owner := profile_owner(str(u))) and not is_that_organisation(t, owner)
    ]
    _check(bad, "no bare GitHub profile or organisation page unless the thing is that organisation")


def test_sources_are_english(sources):
    bad = [_key(t, p, u) for t, p, u in sources if locale_of(str(u))]
    _check(bad, "English pages only: no locale mirror (/fr_fr/, /ja-jp/, ?hl=de, ...)")


def test_every_tested_fact_has_a_sourced_statement(graph):
    things = {s for s in graph.subjects(URIRef(SKOS + "prefLabel")) if str(s).startswith(ID)}
    stated = {
        (s, graph.value(n, PROPERTY)) for s, n in graph.subject_objects(STATEMENT) if graph.value(n, SOURCE) is not None
    }
    missing = sorted(
        {
            (shorten(s), shorten(URIRef(p)))
            for p in TESTED
            for s in graph.subjects(URIRef(p))
            if s in things and (s, URIRef(p)) not in stated
        }
    )
    new = [m for m in missing if m not in PENDING_STATEMENTS]
    assert new == [], "tested facts without a sourced ops:statement:\n" + "\n".join(f"  {s} {p}" for s, p in new)


def test_statement_nodes_are_well_formed(graph):
    bad = []
    for thing, node in graph.subject_objects(STATEMENT):
        props = list(graph.objects(node, PROPERTY))
        complete = list(graph.objects(node, COMPLETE))
        if (node, RDF.type, URIRef(OPS + "Statement")) not in graph:
            bad.append(f"{shorten(thing)}: statement node is not an ops:Statement")
        if len(props) != 1:
            bad.append(f"{shorten(thing)}: statement has {len(props)} ops:property values, needs exactly one")
        if len(complete) > 1 or any(not (isinstance(c, Literal) and c.datatype == XSD.boolean) for c in complete):
            bad.append(f"{shorten(thing)} {shorten(props[0]) if props else ''}: ops:complete is at most one boolean")
    assert bad == []


def test_pending_exceptions_still_fail(graph, sources):
    """Each PENDING entry is still a violation (delete it once fixed)."""
    current = {_key(t, p, u) for t, p, u in sources}
    stale = [k for k in PENDING if k not in current]
    stated = {
        (shorten(s), shorten(graph.value(n, PROPERTY)))
        for s, n in graph.subject_objects(STATEMENT)
        if graph.value(n, SOURCE) is not None
    }
    stale += [k for k in PENDING_STATEMENTS if k in stated]
    assert stale == [], "fixed: remove from PENDING / PENDING_STATEMENTS:\n" + "\n".join(f"  {k}" for k in stale)
