"""Namespaces used across the graph, and the prefixes offered to SPARQL users."""

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS, XSD

OPS = Namespace("https://w3id.org/opsprep/ontology#")
ID = Namespace("https://w3id.org/opsprep/id/")
SCHEMA = Namespace("https://schema.org/")

PREFIXES: dict[str, str] = {
    "ops": str(OPS),
    "id": str(ID),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "schema": str(SCHEMA),
    "dcterms": str(DCTERMS),
    "sh": str(SH),
}
# One prefix per kind of thing, so queries can say tool:ansible for <https://w3id.org/opsprep/id/tool/ansible>.
ID_KINDS = {
    "tool": "tool",
    "aws": "aws",
    "azure": "azure",
    "gcp": "gcp",
    "cat": "category",
    "vendor": "vendor",
    "platform": "platform",
    "practice": "practice",
    "role": "role",
    "resp": "responsibility",
    "topic": "topic",
    "cert": "cert",
    "domain": "domain",
    "competency": "competency",
    "k8s": "k8s",
    "cmd": "command",
    "hcl": "hcl",
    "need": "need",
    "facet": "facet",
    "cap": "capability",
    "scn": "scenario",
}
PREFIXES.update({prefix: f"{ID}{path}/" for prefix, path in ID_KINDS.items()})

# The classes that carry knowledge (as opposed to the value sets of the ontology).
CONTENT_CLASSES = (
    OPS.Role,
    OPS.Responsibility,
    OPS.Practice,
    OPS.Tool,
    OPS.ToolCategory,
    OPS.CloudPlatform,
    OPS.CloudService,
    OPS.Certification,
    OPS.ExamDomain,
    OPS.Topic,
    OPS.Vendor,
)

_BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))


def sparql_prologue() -> str:
    """Return PREFIX lines for every prefix in :data:`PREFIXES`."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())


def shorten(term) -> str:
    """Write an IRI with a known prefix (``id:tool/ansible``); other terms as they are."""
    text = str(term)
    if isinstance(term, URIRef):
        for prefix, iri in _BY_LENGTH:
            if text.startswith(iri) and len(text) > len(iri):
                return f"{prefix}:{text[len(iri) :]}"
    return text
