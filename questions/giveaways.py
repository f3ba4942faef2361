"""Rules that keep an item from being answerable without knowing the subject.

An item is a giveaway when a test-wise reader can pick the key from the options alone: it is the only
option of the exam's platform, the only one of its kind, or the only one sharing a content word with
the stem. :func:`screen` removes the wrong options that would make a showing a giveaway and says why
an item cannot be saved; :func:`giveaways` reports the rules a whole item breaks (for the lint).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from .facts import Facts
from .model import Choice

#: words that carry no subject matter in a stem or an option
STOPWORDS = frozenset(
    """
    a all amazon an and any are as at aws azure be been belong belongs best but by can categories
    category choose cloud component components concept concepts counterpart counterparts describe
    describes do does each false feature features following for from gcp get google got has have how in
    inside into is it its kept kind kinds let may meet meets microsoft more most need needs new non not
    of off on one only option options or other out own per process put requirement requirements see
    service services set statement step steps team than that the their them then there these they this
    those three to too tool tools true two under use used uses using via was way what when where which
    who why will with within without write yes yet you your
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
_WORD = re.compile(r"[a-z0-9]+")


@cache
def stem_word(word: str) -> str:
    """A crude stem, enough to match "secrets"/"secret" and "deploying"/"deploy"."""
    for suffix in ("ments", "ment", "ings", "ing", "ers", "er", "ies", "es", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


@cache
def content_words(text: str) -> frozenset[str]:
    """The stems of a text's content words (three letters or more, not stop words: "Pod" and "DNS" count)."""
    return frozenset(stem_word(w) for w in _WORD.findall(text.casefold()) if len(w) >= 3 and w not in STOPWORDS)


#: prefixes that leave the word they are put before recognisable ("unlock" gives "lock" away)
_PREFIXES = ("un", "de", "dis", "non", "pre", "sub", "auto", "multi", "over", "under", "cross", "inter")


def _roots(words: frozenset[str]) -> frozenset[str]:
    return frozenset(w[len(p) :] for w in words for p in _PREFIXES if w.startswith(p) and len(w) - len(p) >= 4)


def shares_words(stem: str, text: str) -> bool:
    """True when an option shares a content word with the stem (or the first six letters of a long one:
    "kustomization" and "Kustomize"; or a word with a prefix put before it: "force-unlock" and "lock")."""
    mine, theirs = content_words(stem), content_words(text)
    if mine & theirs:
        return True
    if _roots(mine) & theirs or _roots(theirs) & mine:
        return True
    return bool({w[:6] for w in mine if len(w) >= 6} & {w[:6] for w in theirs if len(w) >= 6})


def kind_of(facts: Facts, choice: Choice) -> str:
    """What kind of option a choice is: the class of its thing, else "value"."""
    thing = facts.things.get(choice.iri) if choice.iri else None
    return thing.cls if thing else "value"


def platform_of(facts: Facts, choice: Choice) -> str:
    """The cloud platform of the option's thing ("" for anything not on a platform)."""
    thing = facts.things.get(choice.iri) if choice.iri else None
    return thing.platform if thing else ""


class Giveaway(ValueError):
    """The item cannot be shown without giving its key away."""


def screen(
    facts: Facts, stem: str, answers: Sequence[Choice], distractors: Sequence[Choice], needed: int
) -> list[Choice]:
    """The wrong options that keep every showing fair, those sharing the stem's words first.

    Drops options of another kind than the answers and, when the answers are all on one cloud
    platform, options off it. When an answer shares a content word with the stem, only wrong options
    that share one too are kept. Raises :class:`Giveaway` when fewer than ``needed`` remain.
    """
    kinds = {kind_of(facts, a) for a in answers}
    platforms = {platform_of(facts, a) for a in answers}
    kept = [d for d in distractors if kind_of(facts, d) in kinds]
    if len(platforms) == 1:
        (platform,) = platforms
        kept = [d for d in kept if platform_of(facts, d) == platform]
    if any(shares_words(stem, a.text) for a in answers):
        kept = [d for d in kept if shares_words(stem, d.text)]
    # a word the stem shares with every answer must be shared by the wrong options too: "queue" in a
    # description and in Amazon Simple Queue Service, and in no other option, names the answer
    common = (
        frozenset.intersection(*(content_words(stem) & content_words(a.text) for a in answers))
        if answers
        else frozenset()
    )
    if common:
        kept = [d for d in kept if common & content_words(d.text)]
    if len(kept) < needed:
        raise Giveaway(f"only {len(kept)} fair wrong options")
    return kept


def giveaways(facts: Facts, stem: str, answers: Sequence[Choice], shown: Sequence[Choice]) -> list[str]:
    """The giveaway rules a set of shown wrong options breaks: "kind", "platform", "words"."""
    broken = []
    if any(kind_of(facts, d) not in {kind_of(facts, a) for a in answers} for d in shown):
        broken.append("kind")
    platforms = {platform_of(facts, a) for a in answers}
    if len(platforms) == 1 and platforms != {""} and all(platform_of(facts, d) not in platforms for d in shown):
        broken.append("platform")
    if any(shares_words(stem, a.text) for a in answers) and not any(shares_words(stem, d.text) for d in shown):
        broken.append("words")
    return broken
