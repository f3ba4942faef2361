"""What the Kubernetes schema's field descriptions state outright: allowed values and defaults.

The JSON schemas carry these facts only in prose ("Valid options are ExternalName, ClusterIP, NodePort,
and LoadBalancer.", "Defaults to 600s."). The parsers here accept a fact only when one sentence states it
unconditionally, in one of a few fixed phrasings, with values that look like values; anything else
(a condition such as "if :latest tag is specified", a value in words such as "the pod IP", two sentences
that disagree) yields nothing. A fact the text does not state plainly stays unknown: never read a missing
allowed-value list or default as "anything goes" or "no default".
"""

from __future__ import annotations

import re

#: a quoted value ("TCP", 'None', `Indexed`, `"None"`) or a bare token (ClusterIP, 600s, /dev/termination-log)
_QUOTED = r"""(?:`"(?P<bq>[^"`]*)"`|"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|`(?P<tq>[^`]*)`)"""
_BARE = r"(?P<bare>[A-Za-z0-9_/*%+-]+(?:\.[A-Za-z0-9_/*%+-]+)*)"
_VALUE = rf"(?:{_QUOTED}|{_BARE})"
_ANY_VALUE = re.sub(r"\(\?P<\w+>", "(?:", _VALUE)  # the same without named groups, to repeat in one pattern

#: where a clause may start: the beginning, after a sentence, a line break, a colon or a list dash
_START = r"(?:^|(?<=[.:;])\s+|\n\s*|(?<=\s-)\s+)"
#: the phrases that introduce a list of allowed values
_LIST_INTRO = (
    r"(?:[Oo]ne of|[Vv]alid (?:options|values|operators) are|[Aa]llowed values are|(?:[Ii]t )?[Cc]an be|"
    r"[Mm]ust be|[Ss]upports|[Pp]ossible values are)"
)
#: a parenthesis after a value ("Retain (default for manually created PersistentVolumes)")
_PAREN = r"\s*\([^()]*\)"
_ITEM = rf"{_ANY_VALUE}(?:{_PAREN})?"
_ITEMS = rf"{_ITEM}(?:\s*,\s*{_ITEM})*(?:\s*,?\s+(?:and|or)\s+{_ITEM})?"
_LIST = re.compile(rf"{_START}(?:When specified, )?{_LIST_INTRO}\s+(?P<items>{_ITEMS})(?P<after>\s*(?:\.|$|\n))")
#: a bulleted list after "...are:" or "...following values:": "- Name: ...", "* Name: ...", '- "Name" (default): ...'
_BULLET_INTRO = re.compile(
    r"(?:[Vv]alid (?:options|values) are|[Aa]llowed values are|[Pp]ossible values are|"
    r"can be one of the following values)\s*:"
)
_BULLET = re.compile(rf"(?:^|\n|\s)[-*]\s+{_VALUE}(?P<dflt>\s*\(default\))?\s*:")
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*|\*")


def _value(match: re.Match) -> tuple[str, bool]:
    """The value a match holds and whether it was quoted."""
    for group in ("bq", "dq", "sq", "tq"):
        if match.group(group) is not None:
            return match.group(group), True
    return match.group("bare"), False


def _items(text: str) -> list[str] | None:
    """The values of an inline list, or None when one of them does not look like a value name."""
    found = []
    for match in re.finditer(rf"{_VALUE}(?:{_PAREN})?", re.sub(r"\s*,?\s+(?:and|or)\s+", ", ", text)):
        value, quoted = _value(match)
        if not _NAME.fullmatch(value) or (not quoted and not value[0].isupper()):
            return None
        found.append(value)
    return found


def _looks_continued(description: str, end: int) -> bool:
    """True when the text after a list reads as more of the list ("... DoesNotExist. Gt, and Lt.")."""
    return re.match(r"\s*[A-Z][A-Za-z0-9]*\s*(?:,|\s(?:and|or)\s)", description[end:]) is not None


def allowed_values(description: str) -> tuple[str, ...]:
    """The values a description says a field may take, in the order given; () when it does not say plainly.

    >>> allowed_values("Protocol for port. Must be UDP, TCP, or SCTP. Defaults to \\"TCP\\".")
    ('UDP', 'TCP', 'SCTP')
    >>> allowed_values("Valid options are [\\"Ingress\\"], [\\"Egress\\"], or [\\"Ingress\\", \\"Egress\\"].")
    ()
    """
    lists: list[tuple[str, ...]] = []
    for match in _LIST.finditer(description):
        items = _items(match.group("items"))
        if items is None or len(items) < 2 or _looks_continued(description, match.end("after")):
            return ()
        lists.append(tuple(items))
    intro = _BULLET_INTRO.search(description)
    if intro:
        bullets = [_value(m)[0] for m in _BULLET.finditer(description, intro.end())]
        if len(bullets) < 2 or not all(_NAME.fullmatch(b) for b in bullets):
            return ()
        lists.append(tuple(bullets))
    if not lists or any(set(other) != set(lists[0]) for other in lists[1:]):
        return ()
    return lists[0]


#: the phrases that state a default, each followed by the value
_DEFAULT_INTRO = (
    r"(?:Optional: )?(?:(?:If (?:unset|unspecified|not specified|not set), )?(?:[Ii]t |this field )?[Dd]efaults? to|"
    r"[Dd]efault is|[Dd]efault value is|[Tt]he default value is|[Tt]he default is)"
)
_DEFAULT = re.compile(rf"(?P<lead>{_START}|,\s+){_DEFAULT_INTRO}\s+{_VALUE}(?P<rest>[^\n.]*)")
_DEFAULT_NAMED = re.compile(rf"{_START}[Tt]he default value, {_VALUE},")
_DEFAULT_USED = re.compile(rf"{_START}If not specified, {_QUOTED} is used\.")
#: what may follow a default value in its sentence without making it conditional
_TAIL = re.compile(
    r"\s*(?:\([^()]*\))?\s*(?:if unset|if unspecified|for backward compatibility)?\s*(?:\([^()]*\))?\s*$", re.I
)
_SECONDS = re.compile(r"(?P<n>\d+)\s*(?:s|seconds?)")


def _conditional(description: str, match: re.Match) -> bool:
    """True when the sentence leading up to ", defaults to ..." sets a condition ("If the OS is ..., defaults to")."""
    sentence = re.split(r"[.\n]\s", description[: match.start()])[-1]
    return re.search(r"\b(?:if|when|unless|for|otherwise)\b", sentence, re.I) is not None


def _typed_default(value: str, quoted: bool, field_type: str, field_name: str, allowed: tuple[str, ...]):
    """The default as a Python value of the field's type, or None when it does not fit the type."""
    if field_type == "boolean":
        return {"true": True, "false": False}.get(value)
    if field_type in ("integer", "int-or-string"):
        if re.fullmatch(r"-?(?:0|[1-9]\d*)", value):  # not 0644: octal file modes read as decimal would be wrong
            return int(value)
        if field_type == "int-or-string" and re.fullmatch(r"\d+%", value):
            return value
        seconds = _SECONDS.fullmatch(value)
        if seconds and field_name.endswith("Seconds"):
            return int(seconds.group("n"))
        return None
    if field_type == "number":
        return float(value) if re.fullmatch(r"-?\d+(?:\.\d+)?", value) else None
    if field_type == "quantity":
        return value if re.fullmatch(r"\d+(?:\.\d+)?[A-Za-z]{0,2}", value) else None
    if field_type != "string" or "`" in value:
        return None
    if allowed:
        return value if value in allowed else None
    if quoted or value.startswith("/") or (value[:1].isupper() and _NAME.fullmatch(value)):
        return value
    return None


def default_value(description: str, field_type: str, field_name: str = "", allowed: tuple[str, ...] = ()):
    """The default a description states for a scalar field, typed (int, bool, float or str); None if unstated.

    ``field_type`` is the field's type as :mod:`opsprep.graph.k8s_defs` names it; a default is read only
    for scalar fields and only when it fits that type (and is one of ``allowed`` when those are known).

    >>> default_value("The maximum time ... Defaults to 600s.", "integer", "progressDeadlineSeconds")
    600
    >>> default_value("Image pull policy. Defaults to Always if :latest tag is specified, or IfNotPresent otherwise.",
    ...               "string") is None
    True
    """
    if field_type not in ("string", "integer", "boolean", "number", "int-or-string", "quantity"):
        return None
    found = []
    for match in _DEFAULT.finditer(description):
        value, quoted = _value(match)
        rest = match.group("rest")
        if not quoted and field_type != "string":  # "600 s", "30 seconds": keep the unit with the number
            unit = re.match(r"\s*(s|seconds?)\b", rest)
            if unit:
                value, rest = f"{value} {unit.group(1)}", rest[unit.end() :]
        if not _TAIL.fullmatch(rest) or (match.group("lead").startswith(",") and _conditional(description, match)):
            return None
        found.append((value, quoted))
    for pattern in (_DEFAULT_NAMED, _DEFAULT_USED):
        found += [_value(m) for m in pattern.finditer(description)]
    for match in re.finditer(r"(?:^|\s-\s|\n-\s)" + _QUOTED + r"\s*\(default\)", description):
        found.append((_value(match)[0], True))
    for match in re.finditer(r"\s" + _QUOTED + r"\s*\(default\)\s+or\s", description):
        found.append((_value(match)[0], True))
    values = {_typed_default(v, q, field_type, field_name, allowed) for v, q in found}
    if len(values) != 1:
        return None
    return values.pop()
