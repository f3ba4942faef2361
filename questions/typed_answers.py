"""Grading of typed answers: a command line, a field path or a value, compared after normalising.

Both the learner's text and every accepted form are normalised the same way (:func:`normalise`); the answer is
right when it equals one of them. What counts as the same:

- command lines (forms ``kubectl``, ``terraform``, ``helm``, ``etcdctl``, ``kubeadm``, ``command``): see
  :mod:`questions.command_lines` — flag order, long or short flags, ``--flag=value`` or ``--flag value``,
  ``-n X``/``--namespace X``, quoting, ``k`` for kubectl, resource types singular, plural, short or with their
  group (``deploy``, ``deployments.apps``) and ``TYPE NAME`` or ``TYPE/NAME``, also in flags that name a resource
  (``create job --from=cj/NAME``), a flag given with its default value (the graph's ``ops:defaultValue``) or left
  out, resource lists by amount (``--limits=cpu=1000m`` is ``--limits=cpu=1``, ``--hard=cpu=2`` is
  ``--hard=requests.cpu=2``), autoscaling targets by amount (``--cpu=500`` is ``--cpu=500m``), ``NAME=value``
  or ``env NAME=value`` in front of the command (``export NAME=value`` before it is a command of its own: it
  changes the shell for later commands), kubectl label selectors by requirement (``app==web`` is ``app=web``),
  Terraform's log levels in any case (``TF_LOG=debug``), paths with or without
  ``./`` and a trailing ``/`` (``-chdir=./infra/``, ``kubectl kustomize overlays/prod/``), a port-forward port
  alone for ``P:P`` and several port mappings in any order, set image's ``container=image`` pairs, label's and
  annotate's ``KEY=VALUE``/``KEY-`` arguments and set env's variables (``-e`` or arguments) in any order where the
  tool reads them as a set, Helm's one-letter flags as each command defines them (``helm list -f`` is
  ``--filter``), ``podman image tag`` for ``podman tag`` and Podman's ``localhost/web:1.0`` for its local image
  ``web:1.0`` (Docker's ``docker.io/library/web`` for ``web``); positional arguments otherwise keep their order.
  Flags that change nothing beside the accepted form are ignored: printer flags (``-o``) of a command that has them
  and whose output goes to the terminal where the accepted form sets none, ``kubectl label/annotate --overwrite``
  where the accepted form sets a key, and ``helm upgrade --install`` where the
  accepted form upgrades without it (:func:`questions.command_lines.ignorable_flags`). A quoting error
  is a problem and the answer is not accepted.
- ``field_path``: white space, a leading ``.`` (or JSONPath's ``{...}`` and ``$``) and list markers (``[]``,
  ``[0]``, ``[*]``, an item picked by a key as ``[name=logs]`` or ``[?(@.name=="logs")]``, or none as ``kubectl
  explain`` writes paths) are ignored; names are case-sensitive.
- ``value``: trimmed, surrounding quotes ignored, numbers compared as numbers (``0.5`` equals ``.50``),
  case-sensitive — except booleans (``true``/``false``), which YAML and the Kubernetes API read in any case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .command_flags import RESOURCE_GROUPS, FlagDefaults, shipped_flag_defaults
from .command_lines import CommandLine, Segment, learned_value_flags, parse_command, shown_alike
from .model import Response
from .responses import Verdict

COMMAND_FORMS = frozenset({"kubectl", "terraform", "helm", "etcdctl", "kubeadm", "command"})
#: every form a typed answer can take
FORMS = COMMAND_FORMS | {"field_path", "value"}

#: a list marker of a field path: ``[]``, ``[0]``, ``[*]``, or an item picked by a key, in the notation the
#: explanations use (``volumes[name=logs]``) or as a JSONPath filter (``volumes[?(@.name=="logs")]``,
#: https://kubernetes.io/docs/reference/kubectl/jsonpath/); each names a field of the list's items
_LIST_MARKER = re.compile(
    r"""\[(?:\d*|\*|[A-Za-z][\w.-]*=(?:"[^"\]]*"|'[^'\]]*'|[^\]"'=]*)"""
    r"""|\?\(@\.[A-Za-z][\w.-]*==?(?:"[^"]*"|'[^']*'|[^)"']*)\))\]"""
)
_BOOLEANS = frozenset({"true", "false"})


@dataclass(frozen=True)
class Normalised:
    """A typed answer in canonical form: ``text`` compares equal for equivalent answers."""

    text: str
    problems: tuple[str, ...] = ()
    command: CommandLine | None = None  # command forms: the parsed command line


def normalise(
    form: str, text: str, value_flags: frozenset[str] = frozenset(), defaults: FlagDefaults | None = None
) -> Normalised:
    """``text`` in the canonical form of ``form`` (one of :data:`FORMS`); never raises on any text.

    ``value_flags``: flags outside the tool's table that take a value; ``defaults``: the flag defaults whose flags
    are left out (see :func:`questions.command_lines.parse_command`).
    """
    if form in COMMAND_FORMS:
        command = parse_command(text, value_flags, defaults)
        return Normalised(command.text, command.problems, command)
    if form == "field_path":
        return Normalised(_field_path(text))
    if form == "value":
        return Normalised(_value(text))
    raise ValueError(f"Unknown typed-answer form {form!r}; expected one of {sorted(FORMS)}.")


def _field_path(text: str) -> str:
    path = re.sub(r"\s+", "", text)
    while True:  # until nothing more comes off: {...} of a JSONPath template, its root $, list markers, dots
        before = path
        if path.startswith("{") and path.endswith("}"):
            path = path[1:-1]
        path = _LIST_MARKER.sub("", path[1:] if path.startswith(("$.", "$[")) else path).lstrip(".")
        if path == before:
            return path


def _unquote(text: str) -> str:
    text = text.strip()
    while len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1].strip()
    return text


def _value(text: str) -> str:
    value = _unquote(text)
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = None
    if number is not None and number.is_finite() and "_" not in value:
        if number == 0:
            return "0"
        number = number.normalize()
        return format(number, "f") if abs(number.adjusted()) < 30 else str(number)
    if value.lower() in _BOOLEANS:
        return value.lower()
    return value


def grade_typed(response: Response, text: str, flag_defaults: FlagDefaults | None = None) -> Verdict:
    """Grade a typed answer against ``response.accepted``; never raises on learner text.

    The verdict is correct when the normalised answer equals a normalised accepted form and it has no problem
    (such as an unclosed quote). When it is wrong in exactly one part, ``problems`` ends with a one-line hint that
    names the learner's own part that differs (the accepted forms are in ``expected``). ``flag_defaults``: the
    defaults of command flags (by default the shipped graph's, :func:`questions.command_flags.shipped_flag_defaults`).
    """
    if response.form not in FORMS:
        raise ValueError(f"Unknown typed-answer form {response.form!r}; expected one of {sorted(FORMS)}.")
    expected = tuple(response.accepted)
    if not text.strip():
        return Verdict(False, 0.0, (), ("Type an answer.",), expected, response.model_answer)
    command = response.form in COMMAND_FORMS
    learned = learned_value_flags(expected) if command else frozenset()
    defaults = None if not command else shipped_flag_defaults() if flag_defaults is None else flag_defaults
    answer = normalise(response.form, text, learned, defaults)
    accepted = [normalise(response.form, form, learned, defaults) for form in expected]
    correct = not answer.problems and any(_same(answer, form) for form in accepted)
    problems = list(answer.problems)
    if not correct:
        hint = _hint(answer, accepted)
        if hint:
            problems.append(hint)
    return Verdict(correct, 1.0 if correct else 0.0, (), tuple(problems), expected, response.model_answer)


def _same(answer: Normalised, form: Normalised) -> bool:
    """Whether ``answer`` does what the accepted ``form`` does (flags that change nothing beside the accepted
    form aside: :func:`questions.command_lines.ignorable_flags`)."""
    if answer.text == form.text:
        return True
    if answer.command is None or form.command is None:
        return False
    return shown_alike(answer.command, form.command).text == form.text


# --- hints --------------------------------------------------------------------------------------------------------


def _hint(answer: Normalised, accepted: list[Normalised]) -> str:
    """A one-line hint when the answer differs from some accepted form in exactly one part, else ``""``."""
    for form in accepted:
        if answer.command is not None and form.command is not None:
            hint = _command_hint(answer.command, form.command)
        else:
            hint = _path_hint(answer.text, form.text)
        if hint:
            return hint
    return ""


def _path_hint(answer: str, accepted: str) -> str:
    mine, theirs = answer.split("."), accepted.split(".")
    if len(mine) != len(theirs):
        return ""
    wrong = [part for part, other in zip(mine, theirs, strict=True) if part != other]
    return f"Almost: check `{wrong[0]}`." if len(wrong) == 1 and len(mine) > 1 else ""


def _command_hint(answer: CommandLine, accepted: CommandLine) -> str:
    if len(answer.segments) != len(accepted.segments):
        return ""
    hints = []
    for mine, theirs in zip(answer.segments, accepted.segments, strict=True):
        differences = _segment_differences(mine, theirs)
        if differences is None:
            return ""
        hints.extend(differences)
    return f"Almost: {hints[0]}." if len(hints) == 1 else ""


def _segment_differences(mine: Segment, theirs: Segment) -> list[str] | None:
    """What differs between two commands, one phrase per differing part; ``None`` when they are far apart."""
    if mine.words[:1] != theirs.words[:1] or len(mine.words) != len(theirs.words):
        return None
    found = []
    for index, (word, other) in enumerate(zip(mine.words, theirs.words, strict=True)):
        if word != other:
            found.append(_word_phrase(index, word, other))
    mine_flags, their_flags = _flag_map(mine), _flag_map(theirs)
    for name in sorted(set(mine_flags) | set(their_flags)):
        if name not in their_flags:
            found.append(f"`{_flag_text(mine, name)}` is not part of the answer")
        elif name not in mine_flags:
            found.append("one flag is missing")
        elif mine_flags[name] != their_flags[name]:
            found.append("check the namespace" if name == "namespace" else f"check the value of `{mine.dash}{name}`")
    for part in ("env", "globals", "tail", "redirects", "operator"):
        if getattr(mine, part) != getattr(theirs, part):
            found.append("check what follows `--`" if part == "tail" else f"check the {_PARTS[part]}")
    return found


_PARTS = {
    "env": "environment variables",
    "globals": "options before the command",
    "redirects": "redirection",
    "operator": "operator joining the commands",
}


def _word_phrase(index: int, word: str, other: str) -> str:
    if index == 1:
        return f"check the command `{word}`"
    kind, slash, name = word.partition("/")
    other_kind, other_slash, other_name = other.partition("/")
    if slash and other_slash and other_kind in RESOURCE_GROUPS:  # the accepted word is TYPE/NAME, not a path
        if kind != other_kind and name == other_name:
            return f"check the resource type in `{word}`"
        if kind == other_kind:
            return f"check the name in `{word}`"
    return f"check `{word}`"


def _flag_map(segment: Segment) -> dict[str, tuple[str | None, ...]]:
    values: dict[str, list[str | None]] = {}
    for name, value in segment.flags:
        values.setdefault(name, []).append(value)
    return {name: tuple(found) for name, found in values.items()}


def _flag_text(segment: Segment, name: str) -> str:
    return segment.flag_tokens([flag for flag in segment.flags if flag[0] == name][:1])[0]
