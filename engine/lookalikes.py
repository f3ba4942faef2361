"""Names that look like other names: invisible characters, mixed scripts and confusable letters.

A learner's name is shown to people (the account menu, ``opsprep learners list``) and typed to log in,
so two names must not look the same. :func:`~opsprep.engine.learners.normal_name` already folds
compatibility forms (NFKC: full-width ``ａｌｉｃｅ`` is ``alice``); this module adds what NFKC keeps apart,
after Unicode's security mechanisms (UTS #39):

- default-ignorable code points that render as nothing but are not format characters (the combining
  grapheme joiner U+034F, variation selectors, Hangul fillers);
- a name mixing letters of several scripts (Latin ``a`` beside a Cyrillic ``а``), the usual way of
  spoofing one name with another (Han, Hiragana, Katakana and Hangul count as one script, as written
  Japanese and Korean mix them);
- a *skeleton* that maps the Cyrillic and Greek letters drawn like Latin ones (and the digits 0 and 1)
  to those, so a whole-script look-alike (Cyrillic ``аре`` for Latin ``ape``) is found taken.

>>> skeleton("Аре"), skeleton("ape")
('ape', 'ape')
>>> script_mix("pаypal")
['CYRILLIC', 'LATIN']
>>> script_mix("山田たろう")
[]
"""

from __future__ import annotations

import unicodedata

#: default-ignorable code points outside the format (Cf) category, which the name check refuses anyway
INVISIBLE = frozenset(
    [0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0]
    + list(range(0x180B, 0x1810))
    + list(range(0xFE00, 0xFE10))
    + list(range(0xE0100, 0xE01F0))
)

#: scripts written together in one name (Japanese mixes Han and kana, Korean Hangul and Han)
_SCRIPT_GROUPS = {"CJK": "CJK", "HIRAGANA": "CJK", "KATAKANA": "CJK", "HANGUL": "CJK", "KATAKANA-HIRAGANA": "CJK"}

#: letters drawn like Latin ones (after case folding), from Unicode's confusables for the common scripts
_CONFUSABLE = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "е": "e", "ё": "e", "һ": "h", "і": "i", "ї": "i", "ј": "j", "к": "k",
        "ӏ": "l", "м": "m", "н": "h", "о": "o", "р": "p", "ԛ": "q", "с": "c", "ѕ": "s", "т": "t",
        "у": "y", "ԝ": "w", "х": "x", "ԁ": "d", "ɡ": "g",
        # Greek
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
        "τ": "t", "υ": "u", "χ": "x", "ω": "w",
        # digits and Latin letters drawn alike
        "0": "o", "1": "l", "|": "l", "ı": "i",
    }
)  # fmt: skip


def script_of(char: str) -> str | None:
    """The script a letter belongs to, read from its Unicode name (``LATIN``, ``CYRILLIC``, ``CJK``…);
    None for what is not a letter."""
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    word = name.split(" ", 1)[0] if name else "UNKNOWN"
    return _SCRIPT_GROUPS.get(word, word)


def script_mix(name: str) -> list[str]:
    """The scripts of ``name``'s letters when there are several (sorted); empty when it uses one."""
    scripts = {script for script in map(script_of, name) if script}
    return sorted(scripts) if len(scripts) > 1 else []


def invisible(name: str) -> list[str]:
    """The default-ignorable characters of :data:`INVISIBLE` in ``name``, as ``U+XXXX``."""
    return [f"U+{ord(c):04X}" for c in name if ord(c) in INVISIBLE]


def skeleton(name: str) -> str:
    """What ``name`` looks like: case folded, accents dropped, confusable letters mapped to Latin ones.

    Two names with one skeleton look alike on screen, so only one of them may be a learner's name.
    """
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", name).casefold())
    bare = "".join(c for c in folded if not unicodedata.combining(c))
    return bare.translate(_CONFUSABLE).replace("rn", "m")
