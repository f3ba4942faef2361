"""What hands-on templates share: where an item is filed, which pages it cites, how it is assembled."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from .facts import Facts
from .hands_on_facts import HandsOn
from .model import Choice, QuestionItem, QuestionType, Response, item_id

CERT = "https://w3id.org/opsprep/id/cert/"
DOMAIN = "https://w3id.org/opsprep/id/domain/"
KUBERNETES_CERTS = (CERT + "cka", CERT + "ckad")
TERRAFORM_CERTS = (CERT + "terraform-associate-004",)

#: the most pages an item cites: the API or command reference first, then concept pages
MAX_SOURCES = 4


@dataclass
class Context:
    """The facts a hands-on template reads, and the certifications its items may serve."""

    facts: Facts
    hands: HandsOn

    def domains(self, about: Iterable[str], certs: Sequence[str]) -> list[str]:
        """The exam domains of ``certs`` for an item about ``about``: those whose curriculum competencies need,
        or whose outline covers, the first of the things (in the order given) that any domain of ``certs``
        needs or covers — so an item is filed where its main subject is taught, not wherever a side topic is."""
        wanted = {d.iri for c in self.facts.catalog for d in c.domains if c.iri in certs}
        for iri in about:  # the first thing, in the order given, that some domain needs or covers decides
            found = [d for d in self.hands.domains_for({iri}) if d in wanted]
            found += [d for d in sorted(self.facts.covered_by.get(iri, ())) if d in wanted]
            if found:
                return list(dict.fromkeys(found))
        return []

    def sources(self, first: Iterable[str], about: Iterable[str]) -> tuple[str, ...]:
        """``first`` (reference pages), then the pages of the things the item is about, at most
        :data:`MAX_SOURCES`."""
        pages = list(dict.fromkeys(first))
        hosts = {urlsplit(p).netloc for p in pages}
        for iri in about:
            thing = self.facts.things.get(iri)
            # a concept page from the same vendor as the reference pages (no cloud whitepaper on a CKA task)
            found = [p for p in thing.sources if not hosts or urlsplit(p).netloc in hosts] if thing else []
            pages.extend(found[:1])
        return tuple(dict.fromkeys(pages))[:MAX_SOURCES]


def _item(
    template: str,
    item_type: QuestionType,
    stem: str,
    explanation: str,
    sources: Sequence[str],
    domains: Sequence[str],
    about: Sequence[str],
    id_parts: Sequence[str],
    difficulty: float,
    **rest,
) -> QuestionItem:
    return QuestionItem(
        id=item_id(template, *id_parts),
        template=template,
        type=item_type,
        stem=stem,
        explanation=explanation,
        sources=tuple(sources),
        domains=tuple(domains),
        about=tuple(about),
        difficulty=difficulty,
        **rest,
    )


def typed_item(
    template: str,
    item_type: QuestionType,
    stem: str,
    response: Response,
    explanation: str,
    sources: Sequence[str],
    domains: Sequence[str],
    about: Sequence[str],
    id_parts: Sequence[str],
    difficulty: float,
    code: str = "",
    code_language: str = "",
) -> QuestionItem | None:
    """A typed or task item, or None when it could not be filed or cited."""
    if not domains or not sources:
        return None
    return _item(
        template,
        item_type,
        stem,
        explanation,
        sources,
        domains,
        about,
        id_parts,
        difficulty,
        answers=(),
        distractors=(),
        option_count=0,
        code=code,
        code_language=code_language,
        response=response,
    )


def choice_item(
    template: str,
    item_type: QuestionType,
    stem: str,
    answers: Sequence[Choice],
    distractors: Sequence[Choice],
    explanation: str,
    sources: Sequence[str],
    domains: Sequence[str],
    about: Sequence[str],
    id_parts: Sequence[str],
    difficulty: float,
    code: str = "",
    code_language: str = "",
) -> QuestionItem | None:
    """A choice item with code (a command or code-reading item), or None when it has too few options, no
    domain or no source, or two options read the same."""
    texts = [c.text.casefold() for c in (*answers, *distractors)]
    keys = [c.key for c in (*answers, *distractors)]
    if len(distractors) < 3 or not answers or not domains or not sources:
        return None
    if len(set(texts)) != len(texts) or len(set(keys)) != len(keys):
        return None
    return _item(
        template,
        item_type,
        stem,
        explanation,
        sources,
        domains,
        about,
        id_parts,
        difficulty,
        answers=tuple(answers),
        distractors=tuple(distractors),
        option_count=len(answers) + 3,
        code=code,
        code_language=code_language,
    )
