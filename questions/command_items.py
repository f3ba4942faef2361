"""Command items from the graph's worked examples: type the command for a task, choose it among near
misses, or name the flag that does something.

Wrong options are built from the example so that each provably fails the task: a sibling subcommand (a
different operation of the same command group, accepting the same flags), the example without one of the
flags it needs, or with a boolean flag swapped for another of the same command. A flag is never dropped
when its value is the command's default (that line would do the same thing).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass

from .giveaways import shares_words
from .hands_on_common import KUBERNETES_CERTS, TERRAFORM_CERTS, Context, choice_item, typed_item
from .hands_on_facts import Command, Example, Flag
from .model import Choice, QuestionItem, QuestionType, Response

#: the typed-answer normaliser of each tool, by the first word of a command line
FORMS = {
    "kubectl": "kubectl",
    "terraform": "terraform",
    "helm": "helm",
    "etcdctl": "etcdctl",
    "etcdutl": "etcdctl",
    "kubeadm": "kubeadm",
}


@dataclass(frozen=True)
class Token:
    """One piece of a command line: a word, or a flag with the value it takes."""

    text: str
    flag: Flag | None = None
    value: str | None = None
    joined: bool = False  # written --flag=value

    def render(self) -> list[str]:
        if self.flag is None:
            return [self.text]
        if self.value is None:
            return [self.text]
        return [f"{self.text}={self.value}"] if self.joined else [self.text, self.value]


def _certs(command: Command) -> tuple[str, ...]:
    return TERRAFORM_CERTS if command.label.startswith("terraform") else KUBERNETES_CERTS


def _lineage(ctx: Context, command: Command) -> list[Command]:
    out, seen = [command], {command.iri}
    while out[-1].parent and out[-1].parent in ctx.hands.commands and out[-1].parent not in seen:
        seen.add(out[-1].parent)
        out.append(ctx.hands.commands[out[-1].parent])
    return out


def known_flags(ctx: Context, command: Command) -> dict[str, Flag]:
    """The flags a command line of ``command`` may use, by every name they are written with (the command's
    own flags first, then its parents', such as kubectl's global ``-n``)."""
    found: dict[str, Flag] = {}
    for cmd in reversed(_lineage(ctx, command)):
        for flag in ctx.hands.flags_of(cmd.iri):
            for name in (flag.name, flag.short):
                if name:
                    found[name] = flag
    return found


def tokens(ctx: Context, example: Example) -> list[Token] | None:
    """The example's command line split into words and flags; None when it cannot be read or uses a flag
    the graph does not declare for the command."""
    command = ctx.hands.commands.get(example.command)
    if command is None:
        return None
    try:
        words = shlex.split(example.text)
    except ValueError:
        return None
    flags = known_flags(ctx, command)
    out: list[Token] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word == "--":
            out.extend(Token(w) for w in words[i:])
            break
        if word.startswith("-") and len(word) > 1:
            name, eq, value = word.partition("=")
            flag = flags.get(name)
            if flag is None:
                return None
            if flag.takes_value and not eq:
                if i + 1 >= len(words):
                    return None
                out.append(Token(name, flag, words[i + 1]))
                i += 2
                continue
            out.append(Token(name, flag, value if eq else None, joined=bool(eq)))
        else:
            out.append(Token(word))
        i += 1
    return out


def render(parts: list[Token]) -> str:
    """A command line from tokens, quoted for a POSIX shell."""
    return shlex.join([w for t in parts for w in t.render()])


def _lower(text: str) -> str:
    """A description continued inside a sentence: its first letter lowered, unless it starts an acronym
    or an identifier (``CPU``, ``IP``)."""
    text = text.strip().rstrip(".")
    if len(text) > 1 and (text[1].isupper() or text[1].isdigit()):
        return text
    return text[:1].lower() + text[1:]


#: a flag whose description says what happens without it may be left out to the same effect
_FILLED_IN = re.compile(
    r"when not given|if not given|when omitted|if omitted|defaults? to|by default|copied from", re.I
)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


def _standalone(value: str) -> bool:
    """A flag value that means something on its own: not a printer that needs a template or a file
    (``-o go-template`` alone is refused), and not kyaml, which prints YAML too."""
    return not any(part in value for part in ("template", "jsonpath", "file", "kyaml"))


def near_misses(ctx: Context, example: Example) -> list[Choice]:
    """Wrong command lines for the example's task, each with the reason it fails."""
    command = ctx.hands.commands[example.command]
    parts = tokens(ctx, example)
    if parts is None:
        return []
    words = command.label.split()
    plain = [t.text for t in parts if t.flag is None]
    if plain[: len(words)] != words:
        return []
    out: list[Choice] = []
    used = {t.flag.iri for t in parts if t.flag}
    # a sibling subcommand of the same group that accepts every flag the example uses
    parent = ctx.hands.commands.get(command.parent)
    if parent is not None and parent.parent:  # a group such as `kubectl rollout`, not the tool itself
        for sibling in ctx.hands.children(parent.iri):
            if sibling.iri == command.iri or not sibling.definition:
                continue
            if shares_words(example.task, words[-1]) and not shares_words(example.task, sibling.label.split()[-1]):
                continue  # the task names the subcommand's word (a ServiceAccount, a restart): no contest
            names = set(known_flags(ctx, sibling))
            if any(t.flag and t.text not in names for t in parts):
                continue
            swapped = sibling.label.split()
            if len(swapped) != len(words):
                continue
            rest = parts[len(words) :]
            line = render([Token(w) for w in swapped] + rest)
            out.append(
                Choice(
                    line,
                    line,
                    0.8,
                    f"`{sibling.label}` is a different operation: {_sentence(sibling.definition)}",
                    "",
                    "sibling-command",
                )
            )
    # the example without one flag it needs
    for n, token in enumerate(parts):
        flag = token.flag
        if flag is None or (token.value is not None and flag.default and token.value == flag.default):
            continue
        if _FILLED_IN.search(flag.definition):
            continue  # without the flag a default or a copied value applies, which may be the same
        if flag.name in ("--namespace",) and token.value == "default":
            continue
        line = render(parts[:n] + parts[n + 1 :])
        if flag.definition:
            out.append(
                Choice(
                    line,
                    line,
                    0.5,
                    f"it leaves out {flag.name} ({_lower(flag.definition)}), which the task needs",
                    "",
                    "missing-flag",
                )
            )
    # a boolean flag swapped for another boolean flag of the same command
    for n, token in enumerate(parts):
        flag = token.flag
        if flag is None or flag.takes_value or not flag.definition:
            continue
        for other in ctx.hands.flags_of(flag.command):
            if other.iri in used or other.takes_value or not other.definition or other.name.startswith("--no-"):
                continue
            line = render(parts[:n] + [Token(other.name, other)] + parts[n + 1 :])
            out.append(
                Choice(
                    line,
                    line,
                    0.6,
                    f"{other.name} does something else ({_lower(other.definition)}), "
                    f"and without {flag.name} the task is not done",
                    "",
                    "swapped-flag",
                )
            )
            break
    # a value flag swapped for a like-named value flag of the same command, keeping the value
    for n, token in enumerate(parts):
        flag = token.flag
        if flag is None or not flag.takes_value or token.value is None or not flag.definition:
            continue
        if _FILLED_IN.search(flag.definition):
            continue  # dropping it may leave a default or copied value that does the same
        words = {w for w in flag.name.strip("-").split("-") if len(w) > 2}
        for other in ctx.hands.flags_of(flag.command):
            if other.iri in used or not other.takes_value or not other.definition:
                continue
            if "deprecated" in other.definition.lower():
                continue  # a deprecated spelling of the same setting may still do the task
            if not words & set(other.name.strip("-").split("-")):
                continue
            if other.allowed and token.value not in other.allowed:
                continue
            line = render(parts[:n] + [Token(other.name, other, token.value, token.joined)] + parts[n + 1 :])
            out.append(
                Choice(
                    line,
                    line,
                    0.75,
                    f"{other.name} is another option ({_lower(other.definition)}); the task needs {flag.name}",
                    "",
                    "swapped-flag",
                )
            )
    # a flag of a closed set of values given another of its values (--sort-by=memory for --sort-by=cpu): as
    # long as the answer, wrong in what it means
    for n, token in enumerate(parts):
        flag = token.flag
        if flag is None or not flag.allowed or token.value not in flag.allowed or not flag.definition:
            continue
        if flag.name in ("--dry-run", "--output"):
            continue  # client and server both leave the cluster unchanged; a printer is named by the task
        for value in (v for v in flag.allowed if v != token.value and v != flag.default and _standalone(v)):
            line = render(parts[:n] + [Token(token.text, flag, value, token.joined)] + parts[n + 1 :])
            out.append(
                Choice(
                    line,
                    line,
                    0.85,
                    f"{flag.name}={value} asks for something else ({_lower(flag.definition)}); the task needs "
                    f"{flag.name}={token.value}",
                    "",
                    "wrong-value",
                )
            )
            break
    # an option that only leaves a flag out is the one shorter than the answer: at most one of them, so that
    # the longest option is not the answer
    shorter = [c for c in out if c.proof == "missing-flag"]
    out = [c for c in out if c.proof != "missing-flag"] + shorter[:1]
    seen: dict[str, Choice] = {}
    accepted = {example.text, *example.also}
    for choice in out:
        if choice.key not in accepted and choice.key not in seen:
            seen[choice.key] = choice
    return list(seen.values())


def _explanation(ctx: Context, example: Example) -> str:
    command = ctx.hands.commands[example.command]
    parts = tokens(ctx, example) or []
    flags = [t.flag for t in parts if t.flag and t.flag.definition]
    text = f"`{command.label}`: {_sentence(command.definition)}" if command.definition else ""
    for flag in dict.fromkeys(flags):
        text += f" {flag.name}: {_sentence(flag.definition)}"
    return text.strip()


def _about(ctx: Context, command: Command, example: Example | None = None) -> tuple[str, ...]:
    """What a command item is about, most specific first: the flags the example uses, the command, its group
    (never the tool's root command), its topics and kinds. Items are filed by the first of these a
    competency needs."""
    lineage = [c.iri for c in _lineage(ctx, command) if c.parent]
    flags = [t.flag.iri for t in (tokens(ctx, example) or []) if t.flag] if example else []
    return tuple(dict.fromkeys([*flags, *lineage[:2], *command.topics, *command.kinds]))


def typed_command(ctx: Context, example: Example) -> QuestionItem | None:
    """Type the command line that does the example's task."""
    command = ctx.hands.commands.get(example.command)
    if command is None or tokens(ctx, example) is None:
        return None
    form = FORMS.get(example.text.split()[0], "command")
    about = _about(ctx, command, example)
    response = Response(form=form, accepted=(example.text, *example.also), language="shell")
    return typed_item(
        f"command-typed/{command.label.split()[0]}",
        QuestionType.TYPED,
        f"{example.task} Type the command.",
        response,
        _explanation(ctx, example),
        ctx.sources([*example.sources, *command.sources], ()),
        ctx.domains(about, _certs(command)),
        about,
        ("typed", example.iri, example.text),
        0.7,
    )


def chosen_command(ctx: Context, example: Example) -> QuestionItem | None:
    """Choose the command line that does the example's task among near misses."""
    command = ctx.hands.commands.get(example.command)
    if command is None:
        return None
    wrong = near_misses(ctx, example)
    if len(wrong) < 3:
        return None
    about = _about(ctx, command, example)
    parts = tokens(ctx, example)
    # the key is written the way the wrong options are (same quoting), so its spelling gives nothing away
    shown = render(parts) if parts else example.text
    answer = Choice(example.text, shown, note=_explanation(ctx, example))
    return choice_item(
        f"command-choice/{command.label.split()[0]}",
        QuestionType.COMMAND,
        f"{example.task} Which command does it?",
        (answer,),
        tuple(sorted(wrong, key=lambda c: -c.similarity)),
        _explanation(ctx, example),
        ctx.sources([*example.sources, *command.sources], ()),
        ctx.domains(about, _certs(command)),
        about,
        ("choice", example.iri, example.text),
        0.55,
    )


def flag_item(ctx: Context, flag: Flag) -> QuestionItem | None:
    """Name the flag of a command that has a stated effect."""
    command = ctx.hands.commands.get(flag.command)
    if command is None or not flag.definition or not command.parent:
        return None
    others = [
        f
        for f in ctx.hands.flags_of(command.iri)
        if f.iri != flag.iri and f.definition and f.definition.casefold() != flag.definition.casefold()
    ]
    if len(others) < 3:
        return None
    stem = f"Which flag of `{command.label}` does this: {_lower(flag.definition)}?"
    named = re.search(rf"(?<![\w-]){re.escape(flag.name)}(?![\w-])", stem) or (
        flag.short and re.search(rf"(?<![\w-]){re.escape(flag.short)}(?![\w-])", stem)
    )
    if named or shares_words(stem, flag.name.replace("-", " ")) or flag.definition.lower().startswith("deprecated"):
        return None  # the question would give the flag's name away, or the flag is on its way out

    def shown(f: Flag) -> str:
        return f"{f.name}" + (f" ({f.short})" if f.short else "")

    answer = Choice(flag.iri, shown(flag), note=flag.definition)
    wrong = tuple(
        Choice(f.iri, shown(f), 0.6, f"{f.name}: {_sentence(f.definition)}", "", "other-flag") for f in others
    )
    about = _about(ctx, command)
    return choice_item(
        f"command-flag/{command.label.split()[0]}",
        QuestionType.COMMAND,
        stem,
        (answer,),
        wrong,
        f"{flag.name}: {_sentence(flag.definition)}",
        ctx.sources([*flag.sources, *command.sources], ()),
        ctx.domains(about, _certs(command)),
        about,
        ("flag", flag.iri),
        0.5,
    )


def command_items(ctx: Context) -> Iterator[QuestionItem]:
    """Typed and choice items for every worked example, and flag items for every described flag."""
    for example in ctx.hands.examples:
        for item in (typed_command(ctx, example), chosen_command(ctx, example)):
            if item is not None:
                yield item
    for flag in sorted(ctx.hands.flags.values(), key=lambda f: f.iri):
        item = flag_item(ctx, flag)
        if item is not None:
            yield item
