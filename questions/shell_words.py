"""Splitting a typed command line into commands, words and redirections, as a POSIX shell reads it.

Quotes (``'...'``, ``"..."``) and backslashes are removed as the shell removes them; a backslash before a line
break joins two lines; a line break, ``;``, ``|``, ``||``, ``&&`` or ``&`` ends a command; ``>``, ``>>``, ``2>``,
``<`` ... are redirections whose target is the next word. A ``$`` prompt at the start of a command is dropped.
Errors (an unclosed quote, a backslash at the very end) are reported, never raised.
"""

from __future__ import annotations

from dataclasses import dataclass

#: operators that end a command
COMMAND_OPERATORS = ("||", "&&", "|", "&", ";")
_REDIRECTS = ("&>>", ">>", "<<", "&>", ">&", ">|", "<>", "<", ">")
_BLANKS = " \t\r\f\v"
_DOUBLE_ESCAPES = '$`"\\'

UNCLOSED_QUOTE = "Unclosed quote: a ' or \" has no closing partner."
TRAILING_BACKSLASH = "A backslash at the very end escapes nothing."


@dataclass(frozen=True)
class Command:
    """One command: its words (quotes removed), its redirections and the operator that follows it."""

    words: tuple[str, ...]
    redirects: tuple[tuple[str, str], ...] = ()  # (operator such as ">" or "2>", target word)
    operator: str = ""


class _Reader:
    """A single pass over the text; ``items`` collects ("word", text), ("op", text) and ("end", operator)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0
        self.items: list[tuple[str, str]] = []
        self.problems: list[str] = []
        self.word: list[str] = []
        self.in_word = False
        self.quoted = False  # the current word used quotes or a backslash

    def flush(self) -> None:
        if self.in_word:
            self.items.append(("word", "".join(self.word)))
        self.word, self.in_word, self.quoted = [], False, False

    def at_command_start(self) -> bool:
        return not self.in_word and (not self.items or self.items[-1][0] == "end")

    def read(self) -> None:
        text = self.text
        while self.at < len(text):
            char = text[self.at]
            if char == "$" and self.at_command_start() and text[self.at + 1 : self.at + 2] in tuple(_BLANKS + "\n"):
                self.at += 1  # a "$ " prompt copied with the command
            elif char in _BLANKS:
                self.flush()
                self.at += 1
            elif char == "\n":
                self.flush()
                self.items.append(("end", ";"))
                self.at += 1
            elif char == "\\":
                self.backslash()
            elif char == "'":
                self.single_quoted()
            elif char == '"':
                self.double_quoted()
            elif char in "|&;<>":
                self.operator()
            else:
                self.word.append(char)
                self.in_word = True
                self.at += 1
        self.flush()

    def backslash(self) -> None:
        following = self.text[self.at + 1 : self.at + 2]
        if not following:
            self.problems.append(TRAILING_BACKSLASH)
        elif following != "\n":  # backslash-newline joins the lines
            self.word.append(following)
            self.in_word = self.quoted = True
        self.at += 2

    def single_quoted(self) -> None:
        end = self.text.find("'", self.at + 1)
        if end < 0:
            self.problems.append(UNCLOSED_QUOTE)
            end = len(self.text)
        self.word.append(self.text[self.at + 1 : end])
        self.in_word = self.quoted = True
        self.at = end + 1

    def double_quoted(self) -> None:
        self.in_word = self.quoted = True
        self.at += 1
        text = self.text
        while self.at < len(text):
            char = text[self.at]
            if char == '"':
                self.at += 1
                return
            if char == "\\" and text[self.at + 1 : self.at + 2] in tuple(_DOUBLE_ESCAPES + "\n"):
                if text[self.at + 1] != "\n":
                    self.word.append(text[self.at + 1])
                self.at += 2
                continue
            self.word.append(char)
            self.at += 1
        self.problems.append(UNCLOSED_QUOTE)

    def operator(self) -> None:
        text = self.text[self.at :]
        redirect = next((op for op in _REDIRECTS if text.startswith(op)), "")
        if redirect:
            digits = "".join(self.word)
            if self.in_word and not self.quoted and digits.isdigit():  # "2>": the digits name a file descriptor
                self.word, self.in_word, self.quoted = [], False, False
            else:
                digits = ""
                self.flush()
            self.items.append(("op", digits + redirect))
            self.at += len(redirect)
            return
        self.flush()
        operator = next(op for op in COMMAND_OPERATORS if text.startswith(op))
        self.items.append(("end", operator))
        self.at += len(operator)


def split_commands(text: str) -> tuple[list[Command], list[str]]:
    """The commands of ``text`` and the problems met while reading it (at most one of each kind)."""
    reader = _Reader(text)
    reader.read()
    commands: list[Command] = []
    words: list[str] = []
    redirects: list[tuple[str, str]] = []
    items = reader.items
    i = 0
    while i < len(items):
        kind, value = items[i]
        if kind == "word":
            words.append(value)
        elif kind == "op":
            has_target = i + 1 < len(items) and items[i + 1][0] == "word"
            redirects.append((value, items[i + 1][1] if has_target else ""))
            i += has_target
        else:
            if words or redirects:
                commands.append(Command(tuple(words), tuple(redirects), value))
            words, redirects = [], []
        i += 1
    if words or redirects:
        commands.append(Command(tuple(words), tuple(redirects), ""))
    if commands and commands[-1].operator == ";":
        commands[-1] = Command(commands[-1].words, commands[-1].redirects, "")
    return commands, list(dict.fromkeys(reader.problems))
