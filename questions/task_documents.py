"""Reading a task answer: Kubernetes manifests (YAML, checked against the official v1.35 schema) and Terraform
configurations (HCL), into plain documents that :mod:`questions.task_checks` checks requirement by requirement.

Manifests are read with PyYAML's safe loader (timestamps stay strings, non-string keys become strings as
Kubernetes' YAML-to-JSON conversion does; a key given twice is a problem) and each document is validated by
:func:`opsprep.graph.k8s_api.schema_problems` against the strict v1.35 schema that ``kubernetes-validate`` ships,
every error listed with its path; this module adds the line each one is on. A document that conforms is then
checked against rules of the API server that the schema does not express (:mod:`questions.api_rules`).

Configurations are read with ``python-hcl2``; its quirks are undone: quoted strings lose their quotes,
``${...}`` wrapping is removed, expressions become :class:`Expression` (a ``str`` holding the expression text),
and blocks become lists of bodies keyed by type and labels, so that ``resource.aws_instance.web`` is
``config["resource"]["aws_instance"]["web"]``.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from typing import Any

import yaml

from opsprep.graph.k8s_api import schema_problems

from .api_rules import api_problems

_MAX_VALUES = 200_000  # a manifest expanding (through YAML aliases) to more values than this is refused
_MAX_PROBLEMS = 25


@dataclass(frozen=True)
class Document:
    """One object of an answer: a Kubernetes object, or the body of one HCL block."""

    label: str  # how feedback names it: "Deployment web", "resource.aws_instance.web"
    data: Any
    kind: str = ""
    name: str = ""
    line: int = 0


@dataclass(frozen=True)
class Answer:
    """A parsed task answer: its documents, what is wrong with it, and whether it could be read at all."""

    documents: tuple[Document, ...]
    problems: tuple[str, ...]
    readable: bool
    config: Any = None  # HCL: the whole normalised configuration (blocks are looked up by address in it)


# --- YAML -----------------------------------------------------------------------------------------------------------


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader that keeps timestamps as strings and reads "=" like kubernetes-validate does."""


_Loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.constructor.SafeConstructor.construct_yaml_str)
_Loader.add_constructor("tag:yaml.org,2002:value", yaml.constructor.SafeConstructor.construct_yaml_str)


class _TooLarge(Exception):
    pass


def _plain(value: Any, budget: list[int]) -> Any:
    """A JSON-like copy: string keys, aliases expanded, at most ``_MAX_VALUES`` values in all; YAML's other types
    as their JSON form after Kubernetes' YAML-to-JSON conversion (``!!binary`` base64 text, ``!!set`` a mapping to
    nulls, ``!!omap`` and ``!!pairs`` lists)."""
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooLarge
    if isinstance(value, dict):
        return {_key(k): _plain(v, budget) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v, budget) for v in value]
    if isinstance(value, set):
        return {_key(k): None for k in value}
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


def _key(key: Any) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, bool):
        return "true" if key else "false"
    return "null" if key is None else str(key)


def _yaml_error(error: Exception) -> str:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    where = f" on line {mark.line + 1}" if mark is not None else ""
    return f"YAML error{where}: {problem}."


def _duplicate_keys(node: yaml.Node, seen: set[int] | None = None) -> list[str]:
    """Keys given twice in one mapping (Kubernetes rejects them; PyYAML would keep the last)."""
    seen = set() if seen is None else seen
    if id(node) in seen:
        return []
    seen.add(id(node))
    found: list[str] = []
    if isinstance(node, yaml.MappingNode):
        keys: set[str] = set()
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value != "<<":
                if key.value in keys:
                    found.append(f"line {key.start_mark.line + 1}: the key {key.value!r} is given twice.")
                keys.add(key.value)
            found.extend(_duplicate_keys(value, seen))
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            found.extend(_duplicate_keys(item, seen))
    return found


def _load_yaml(text: str) -> tuple[list[tuple[Any, yaml.Node]], list[str]]:
    loader = _Loader(text)
    documents: list[tuple[Any, yaml.Node]] = []
    try:
        while loader.check_node():
            node = loader.get_node()
            documents.append((loader.construct_document(node), node))
    finally:
        loader.dispose()
    problems = [problem for _, node in documents for problem in _duplicate_keys(node)]
    return documents, problems


def _line(node: yaml.Node | None, path: list[Any]) -> int:
    """The line (1-based) of the value at ``path`` in a YAML node tree, or of the deepest part found."""
    line = node.start_mark.line + 1 if node is not None else 0
    for step in path:
        if isinstance(node, yaml.MappingNode):
            match = next((pair for pair in node.value if getattr(pair[0], "value", None) == str(step)), None)
            if match is None:
                break
            line, node = match[0].start_mark.line + 1, match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            node = node.value[step]
            line = node.start_mark.line + 1
        else:
            break
    return line


# --- the Kubernetes schema ------------------------------------------------------------------------------------------


def validate_object(data: Any, node: yaml.Node | None = None, where: str = "") -> list[str]:
    """Every schema error of one Kubernetes object against the strict v1.35 schema, each with its line (from
    ``node``, the object's YAML node) and ``where`` after it ("(document 2)"); empty when the object conforms."""
    found = []
    for problem in schema_problems(data):
        line = _line(node, list(problem.path)) if node is not None else 0
        found.append(f"line {line}{where}: {problem}." if line else f"{problem}.")
    return found


def api_rule_problems(data: Any, node: yaml.Node | None = None, where: str = "") -> list[str]:
    """Every API server rule of :mod:`questions.api_rules` that one object breaks (rules the schema does not
    express: unique container names, a selector that matches its template...), each with its line."""
    found = []
    for problem in api_problems(data):
        line = _line(node, list(problem.path)) if node is not None else 0
        found.append(f"line {line}{where}: {problem}." if line else f"{problem}.")
    return found


def read_manifest(text: str) -> Answer:
    """Parse and validate a Kubernetes manifest (one or more YAML documents); never raises on any text.

    Each document is checked against the schema and, when it conforms, against the API server's own rules
    (:func:`api_rule_problems`): the API server validates an object only once it has decoded it."""
    if not text.strip():
        return Answer((), ("The manifest is empty.",), readable=False)
    try:
        loaded, problems = _load_yaml(text)
        documents = [(_plain(data, [_MAX_VALUES]), node) for data, node in loaded if data is not None]
    except _TooLarge:
        return Answer((), ("The manifest expands to too many values to check.",), readable=False)
    except RecursionError:
        return Answer((), ("The manifest is nested too deeply to read.",), readable=False)
    except Exception as error:  # PyYAML's constructors also fail with IndexError, TypeError... on odd input
        return Answer((), (_yaml_error(error),), readable=False)
    if not documents:
        return Answer((), ("The manifest has no objects.",), readable=False)
    found: list[Document] = []
    several = len(documents) > 1
    for number, (data, node) in enumerate(documents, 1):
        where = f" (document {number})" if several else ""
        line = node.start_mark.line + 1
        schema = validate_object(data, node, where)
        problems.extend(schema or api_rule_problems(data, node, where))
        if not isinstance(data, dict):
            continue
        kind = data.get("kind") if isinstance(data.get("kind"), str) else ""
        metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
        name = metadata.get("name") if isinstance(metadata.get("name"), str) else ""
        found.append(Document(f"{kind or 'object'} {name}".strip(), data, kind, name, line))
    if len(problems) > _MAX_PROBLEMS:
        problems = [*problems[:_MAX_PROBLEMS], f"... and {len(problems) - _MAX_PROBLEMS} more problems."]
    return Answer(tuple(found), tuple(problems), readable=True)


# --- HCL ------------------------------------------------------------------------------------------------------------


class Expression(str):
    """An HCL expression that is not a literal (``var.region``, ``length(var.list) > 3``), as its text."""

    __slots__ = ()

    def canonical(self) -> str:
        """The text without white space outside string literals, to compare two expressions."""
        return _squeeze(self)


def _squeeze(text: str) -> str:
    out, quoted, escaped = [], False, False
    for char in text:
        if quoted:
            out.append(char)
            escaped = not escaped and char == "\\"
            quoted = escaped or char != '"'
        elif char == '"':
            out.append(char)
            quoted = True
        elif not char.isspace():
            out.append(char)
    return "".join(out)


_META_KEYS = frozenset({"__is_block__", "__comments__", "__inline_comments__", "__start_line__", "__end_line__"})
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
#: Terraform's top-level block types and how many labels each takes
TOP_LEVEL_BLOCKS = {
    "terraform": 0,
    "locals": 0,
    "moved": 0,
    "import": 0,
    "removed": 0,
    "provider": 1,
    "variable": 1,
    "output": 1,
    "module": 1,
    "check": 1,
    "resource": 2,
    "data": 2,
    "ephemeral": 2,
}


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text[1:-1])
    return text


def _hcl_value(value: Any) -> Any:
    """A python-hcl2 value as plain data: literals as Python values, expressions as :class:`Expression`."""
    if isinstance(value, str):
        if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
            inner = _unquote(value)
            whole = re.fullmatch(r"\$\{(.*)\}", inner, re.S)
            if whole and "${" not in whole.group(1):  # "${x}" is the value of x itself
                return Expression(whole.group(1).strip())
            return inner
        whole = re.fullmatch(r"\$\{(.*)\}", value, re.S)
        return Expression((whole.group(1) if whole else value).strip())
    if isinstance(value, list):
        return [_hcl_value(v) for v in value]
    if isinstance(value, dict):
        return {_unquote(k): _hcl_value(v) for k, v in value.items() if k not in _META_KEYS}
    return value


def _block_chain(entry: Any) -> tuple[list[str], dict] | None:
    """``({"\\"aws_instance\\"": {"\\"web\\"": {..., "__is_block__": True}}})`` → labels and body, else None."""
    labels: list[str] = []
    node = entry
    while isinstance(node, dict) and not node.get("__is_block__"):
        if len(node) != 1:
            return None
        ((label, node),) = node.items()
        labels.append(_unquote(label))
    return (labels, node) if isinstance(node, dict) else None


def _hcl_body(raw: dict) -> dict:
    body: dict[str, Any] = {}
    for key, value in raw.items():
        if key in _META_KEYS:
            continue
        name = _unquote(key)
        chains = [_block_chain(entry) for entry in value] if isinstance(value, list) and value else []
        if chains and all(chain is not None for chain in chains):
            for labels, block in chains:  # type: ignore[misc]
                _add_block(body, name, labels, _hcl_body(block))
        else:
            body[name] = _hcl_value(value)
    return body


def _add_block(body: dict, kind: str, labels: list[str], block: dict) -> None:
    """File a block as ``body[kind][label]...``, a list of bodies (a block may repeat, such as provisioners)."""
    keys = [kind, *labels]
    target = body
    for key in keys[:-1]:
        target = target.setdefault(key, {})
        if not isinstance(target, dict):
            return  # an argument and a block of one name (not valid Terraform): keep what came first
    bodies = target.setdefault(keys[-1], [])
    if isinstance(bodies, list):
        bodies.append(block)


def _hcl_error(error: Exception) -> str:
    line, column = getattr(error, "line", None), getattr(error, "column", None)
    where = f" on line {line}, column {column}" if isinstance(line, int) and line > 0 else ""
    token = getattr(error, "token", None)
    if token is not None:
        text = str(token).strip().splitlines()[0] if str(token).strip() else ""
        found = f"unexpected {text[:40]!r}" if text else "unexpected end of a line or of the file"
    elif getattr(error, "char", None) is not None:
        found = f"unexpected character {error.char!r}"  # type: ignore[attr-defined]
    else:
        found = str(error).splitlines()[0][:120] if str(error) else type(error).__name__
    return f"HCL syntax error{where}: {found}."


def _structure_problems(raw: dict) -> list[str]:
    problems = []
    for kind, entries in raw.items():
        if kind in _META_KEYS:
            continue
        if kind not in TOP_LEVEL_BLOCKS:
            problems.append(f"{kind!r} is not a Terraform block type (expected one of {', '.join(TOP_LEVEL_BLOCKS)}).")
            continue
        for entry in entries if isinstance(entries, list) else [entries]:
            chain = _block_chain(entry)
            wanted = TOP_LEVEL_BLOCKS[kind]
            if chain is None:
                problems.append(f"{kind} must be a block, not an argument.")
            elif len(chain[0]) != wanted:
                shown = " ".join([kind, *(json.dumps(label) for label in chain[0])])
                problems.append(
                    f"A {kind} block takes {wanted} label{'s' * (wanted != 1)}, not {len(chain[0])}: {shown}."
                )
    return problems


def read_configuration(text: str) -> Answer:
    """Parse a Terraform configuration (HCL); never raises on any text.

    Besides syntax, it reports top-level blocks that Terraform does not know and blocks with the wrong number of
    labels. Documents are found later by address (:func:`configuration_blocks`).
    """
    if not text.strip():
        return Answer((), ("The configuration is empty.",), readable=False)
    import hcl2
    from hcl2 import SerializationOptions

    options = SerializationOptions(with_comments=False, preserve_heredocs=False)
    try:
        raw = hcl2.loads(text, serialization_options=options)
    except RecursionError:
        return Answer((), ("The configuration is nested too deeply to read.",), readable=False)
    except Exception as error:  # python-hcl2 raises lark's errors and its own; any of them means unreadable
        return Answer((), (_hcl_error(error),), readable=False)
    if not isinstance(raw, dict):
        return Answer((), ("The configuration could not be read.",), readable=False)
    return Answer((), tuple(_structure_problems(raw)), readable=True, config=_hcl_body(raw))
