"""Command lines in canonical form, so that equivalent spellings of one command compare equal.

:func:`parse_command` reads a typed command line as a POSIX shell would (quotes, backslash line continuations,
pipes, ``&&``, redirections), then writes each command in one canonical spelling: options sorted and written long
with ``=``, clusters of one-letter flags expanded, boolean flags without ``=true``, a flag given with its default
left out (given :class:`~questions.command_flags.FlagDefaults`); for kubectl, resource types in their plural form
without the group they belong to (``deployment.apps`` and ``deploy`` are ``deployments``), ``TYPE NAME`` written
``TYPE/NAME``, the same for a flag that names a resource (``--from=cj/NAME``), resource lists
(``--limits=cpu=1000m,memory=512Mi``) as amounts in name order and autoscaling targets as amounts, a port-forward
port given alone as ``P:P`` and several ports in any order, set image's ``container=image`` pairs in container
order, label's and annotate's ``KEY=VALUE``/``KEY-`` changes and set env's variables in key order (where their order
changes nothing), kubectl kustomize's directory and Terraform's ``-chdir`` as relative paths (``./a/`` is ``a``;
``--chdir`` is no such option), and kubectl logs' --tail left out where it is the default of its command (10 with a
selector, else -1); Helm's one-letter flags by command (``helm list -f`` is ``--filter``); Docker's and Podman's
image commands by one name (``podman image tag`` is ``podman tag``) and their image names as the engine reads them
(Podman's ``localhost/web:1.0`` is ``web:1.0``, Docker's ``docker.io/library/web`` is ``web``). ``env NAME=value cmd``
is ``NAME=value cmd``; ``export NAME=value`` before a command stays a command of its own (it changes the shell for
every later command, not that one command only); Terraform's log levels (``TF_LOG=debug``) are upper case, as
Terraform reads them. kubectl label selectors (``-l``) as requirements (``app==web`` is ``app=web``), ``kubectl
create service --tcp=P`` as ``P:P``, cordon/drain node names as ``nodes/NAME``, ``docker build -f Dockerfile .``
without its default -f, and ``docker/podman save IMAGE > FILE`` as ``--output=FILE``.
Positional arguments otherwise keep their order and what follows ``--`` is kept verbatim. :func:`shown_alike`
further leaves out the flags that change nothing beside a model answer (printer flags, ``helm upgrade
--install``). The tables of flags and names are in :mod:`questions.command_flags`.
"""

from __future__ import annotations

import re
import shlex
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal

from . import command_flags as tables
from .command_flags import FlagDefaults, FlagTable
from .shell_words import Command, split_commands
from .task_checks import quantity, quota_names

Flag = tuple[str, "str | None"]

_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=.*", re.S)
_NUMBER = re.compile(r"-\d+(\.\d+)?")


@dataclass(frozen=True)
class Segment:
    """One command of a command line, in canonical form.

    ``words`` are the program, its subcommands and positional arguments in order; ``flags`` the options as sorted
    ``(long name, value)`` pairs (``None`` for a boolean flag that is on); ``globals`` options written before the
    subcommand (Terraform's ``-chdir``); ``tail`` what follows ``--``; ``operator`` what joins this command to the
    next (``|``, ``&&``, ``;`` ...). ``style`` is ``"pflag"`` (flags anywhere, written ``--name``) or ``"go"``
    (Go's flag package: written ``-name``, before the positional arguments, of which the first ``command_words``
    are the subcommand).
    """

    words: tuple[str, ...] = ()
    flags: tuple[Flag, ...] = ()
    env: tuple[str, ...] = ()
    globals: tuple[Flag, ...] = ()
    tail: tuple[str, ...] = ()
    separator: bool = False
    redirects: tuple[tuple[str, str], ...] = ()  # (operator such as ">" or "2>", target)
    operator: str = ""
    style: str = "pflag"
    command_words: int = 0

    @property
    def dash(self) -> str:
        """How options are written: ``--`` (pflag) or ``-`` (Go's flag package)."""
        return "-" if self.style == "go" else "--"

    def flag_tokens(self, flags: Iterable[Flag]) -> tuple[str, ...]:
        """Flags as canonical tokens (``--name=value``, or ``--name`` when on); an unknown one-letter flag is kept
        as ``-x``."""
        written = ((name if name.startswith("-") else self.dash + name, value) for name, value in flags)
        return tuple(name if value is None else f"{name}={value}" for name, value in written)

    def words_and_flags(self) -> tuple[str, ...]:
        """The canonical tokens of the command itself (no redirections or operator), in written order."""
        head = (*self.env, *self.words[:1], *self.flag_tokens(self.globals))
        args = self.words[1:]
        if self.style == "go":
            command, positional = args[: self.command_words], args[self.command_words :]
            guard = ("--",) if positional and positional[0].startswith("-") else ()
            return (*head, *command, *self.flag_tokens(self.flags), *guard, *positional)
        return (*head, *args, *self.flag_tokens(self.flags), *(("--", *self.tail) if self.separator else ()))

    def tokens(self) -> tuple[str, ...]:
        """All canonical tokens of this command, in the order they are written."""
        redirects = tuple(part for pair in self.redirects for part in pair)
        return (*self.words_and_flags(), *redirects, *((self.operator,) if self.operator else ()))

    def text(self) -> str:
        """The command written out, each word quoted as needed so that it reads back the same."""
        parts = [shlex.quote(token) for token in self.words_and_flags()]
        parts += [f"{operator} {shlex.quote(target)}" for operator, target in self.redirects]
        return " ".join(parts + ([self.operator] if self.operator else []))


@dataclass(frozen=True)
class CommandLine:
    """A parsed command line: its commands in canonical form, and what could not be read."""

    segments: tuple[Segment, ...]
    problems: tuple[str, ...] = ()
    unknown_flags: tuple[str, ...] = ()  # flags no table knows (compared as written)

    def tokens(self) -> tuple[str, ...]:
        """All canonical tokens, the commands joined by their operators."""
        return tuple(token for segment in self.segments for token in segment.tokens())

    @property
    def text(self) -> str:
        """The canonical command line, quoted so that parsing it again gives the same command line."""
        return " ".join(segment.text() for segment in self.segments)


# --- options ------------------------------------------------------------------------------------------------------


@dataclass
class _Parsed:
    words: list[str] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    tail: list[str] = field(default_factory=list)
    separator: bool = False
    problems: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    end: int = 0  # Go's flag package: where the positional arguments start


def _bool_value(raw: str | None) -> str | None:
    """A boolean flag's value as strconv.ParseBool reads it (pflag and Go's flag): None when true."""
    if raw is None or raw in ("1", "t", "T", "true", "TRUE", "True"):
        return None
    if raw in ("0", "f", "F", "false", "FALSE", "False"):
        return "false"
    return raw


def _value(table: FlagTable, name: str, kind: str, value: str | None) -> str | None:
    if kind == "bool":
        return _bool_value(value)
    if kind == "optional":
        return table.optional[name].get(value or "", value)
    if name == "sort-by" and value:
        return "." + value.strip().removeprefix("{").removesuffix("}").removeprefix(".")  # {.a.b} = .a.b = a.b
    if name in AUTOSCALE_UNITS:
        return value  # a quantity (500m is half a CPU, not 500 minutes), read with its command (_kubectl_value)
    return _same_value(value, path=name in PATH_FLAGS)


#: flags whose value is a file or directory, read the way the file system reads a path (other values, such as
#: --from-literal=path=/var/log/, are data: a trailing slash there is part of the value)
PATH_FLAGS = frozenset(
    {
        "filename",
        "kustomize",
        "from-file",
        "from-env-file",
        "kubeconfig",
        "cacert",
        "cert",
        "key",
        "data-dir",
        "cert-dir",
        "chdir",
        "state",
        "state-out",
        "backup",
        "var-file",
        "out",
        "values",
        "config",
        "patches",
        "output-directory",
        "rootfs",
    }
)


#: commands whose positional arguments after these words are files or directories, read as paths
#: (:func:`relative_path`): etcd's snapshot file (``etcdutl snapshot restore <filename>``,
#: ``etcdctl snapshot save <filename>``: https://etcd.io/docs/v3.6/op-guide/recovery/), terraform show's and apply's
#: plan file or state (``terraform show [options] [file]``, ``terraform apply [options] [plan file]``:
#: https://developer.hashicorp.com/terraform/cli/commands/show, .../apply) and fmt's targets, Helm's chart
#: directory for lint and package (``helm lint PATH``, ``helm package [CHART_PATH]``: https://helm.sh/docs/helm/),
#: and the build context of Docker and Podman (``docker build [OPTIONS] PATH | URL | -``). A chart reference of
#: helm install (``bitnami/nginx`` is a repository's chart, ``./bitnami/nginx`` a directory) is no path here.
POSITIONAL_PATHS = frozenset(
    {
        ("etcdutl", "snapshot", "restore"),
        ("etcdutl", "snapshot", "status"),
        ("etcdctl", "snapshot", "save"),
        ("etcdctl", "snapshot", "restore"),
        ("etcdctl", "snapshot", "status"),
        ("terraform", "show"),
        ("terraform", "apply"),
        ("terraform", "fmt"),
        ("helm", "lint"),
        ("helm", "package"),
        ("docker", "build"),
        ("podman", "build"),
    }
)


def _path_arguments(words: list[str]) -> list[str]:
    """``words`` with the positional arguments that name files (:data:`POSITIONAL_PATHS`) read as paths:
    ``etcdutl snapshot restore ./snapshot.db`` restores ``snapshot.db``."""
    for end in (3, 2):
        if tuple(words[:end]) in POSITIONAL_PATHS:
            return [*words[:end], *(relative_path(word) for word in words[end:])]
    return words


#: a Kubernetes release version as kubeadm reads it (``kubeReleaseRegex`` of ``cmd/kubeadm/app/util/version.go``)
_KUBE_RELEASE = re.compile(r"v?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)([-0-9a-zA-Z_.+]*)?")


def kubeadm_version(version: str) -> str:
    """A Kubernetes version as kubeadm uses it: ``KubernetesReleaseVersion`` of ``cmd/kubeadm/app/util/version.go``
    (kubernetes/kubernetes, called by ``NormalizeKubernetesVersion`` of ``cmd/kubeadm/app/util/config/common.go``
    for ``kubeadm upgrade apply [version]`` and ``--kubernetes-version``) gives a release version without its
    ``v`` one (``normalizedBuildVersion``: "with "v" prefix if needed"), so ``1.35.2`` is ``v1.35.2``. A label
    (``stable-1.35``) or a version kubeadm refuses (``v1.35``) is kept as written."""
    if _KUBE_RELEASE.fullmatch(version) and not version.startswith("v"):
        return "v" + version
    return version


def _kubeadm_versions(words: list[str], flags: list[Flag]) -> tuple[list[str], list[Flag]]:
    """kubeadm's version arguments (``upgrade apply`` and ``upgrade plan [version]``) and ``--kubernetes-version``
    as :func:`kubeadm_version` reads them."""
    if words[1:3] in (["upgrade", "apply"], ["upgrade", "plan"]) and len(words) > 3:
        words = [*words[:3], kubeadm_version(words[3]), *words[4:]]
    flags = [(n, kubeadm_version(v) if n == "kubernetes-version" and v else v) for n, v in flags]
    return words, flags


_DURATION = re.compile(r"(?:\d+(?:\.\d+)?(?:h|m|s|ms))+")
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(h|ms|m|s)")
_SECONDS = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}


def _same_value(value: str | None, path: bool = False) -> str | None:
    """A flag value in the form the tool itself reads it: a Go duration in seconds (``2h`` = ``120m`` =
    ``2h0m0s``), a relative path without ``./`` (and, for a flag whose value is a path, without a trailing
    ``/``), custom columns without the optional braces and dot."""
    if value is None:
        return None
    if _DURATION.fullmatch(value):
        seconds = sum(float(n) * _SECONDS[unit] for n, unit in _DURATION_PART.findall(value))
        return f"{seconds:g}s"
    if path:
        value = relative_path(value)
    else:
        while value.startswith("./") and len(value) > 2:
            value = value[2:]
    if value.startswith("custom-columns="):
        columns = value.removeprefix("custom-columns=").split(",")
        return "custom-columns=" + ",".join(_column(c) for c in columns)
    printer, eq, template = value.partition("=")
    if eq and printer in ("jsonpath", "jsonpath-as-json"):
        return f"{printer}={jsonpath_template(template)}"
    return value


def relative_path(path: str) -> str:
    """A path as the file system reads it: ``./overlays/prod`` and ``overlays/prod/`` (what tab completion
    writes) name the directory ``overlays/prod``; ``./`` is ``.``. A URL (``https://...``, ``git@...``) or a path
    with ``//`` (a kustomize repository root) is kept as written."""
    if "://" in path or path.startswith("git@") or "//" in path:
        return path
    while path.startswith("./") and len(path) > 2:
        path = path[2:]
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    return path


def _jsonpath_parts(template: str) -> list[tuple[str, str]] | None:
    """A kubectl JSONPath template split into its literal text and its ``{...}`` expressions, as
    ``("text", ...)`` and ``("expr", ...)``; a quoted string inside an expression may hold braces. None when the
    braces do not close."""
    parts: list[tuple[str, str]] = []
    i = 0
    while i < len(template):
        start = template.find("{", i)
        if start < 0:
            parts.append(("text", template[i:]))
            break
        if start > i:
            parts.append(("text", template[i:start]))
        j, quote = start + 1, ""
        while j < len(template) and (quote or template[j] != "}"):
            if quote and template[j] == "\\":
                j += 1
            elif template[j] in "'\"" and (not quote or template[j] == quote):
                quote = "" if quote else template[j]
            j += 1
        if j >= len(template):
            return None
        parts.append(("expr", template[start + 1 : j]))
        i = j + 1
    return parts


def _jsonpath_expression(expression: str) -> str:
    """One JSONPath expression without the white space kubectl's parser skips (``parseInsideAction`` of
    ``k8s.io/client-go/util/jsonpath/parser.go``) and without its optional root ``$`` ("The $ operator is optional
    since the expression always starts from the root object by default",
    https://kubernetes.io/docs/reference/kubectl/jsonpath/): ``{ $.status.podIP }`` is ``{.status.podIP}``. Quoted
    strings are kept as written."""
    kept: list[str] = []
    quote = ""
    for char in expression:
        if quote or char in "'\"":
            quote = "" if char == quote else quote or char
            kept.append(char)
        elif not char.isspace():
            kept.append(char)
    text = "".join(kept)
    if re.match(r"range\s", expression.strip()):  # the keyword of {range .items[*]} keeps its space
        text = "range " + text.removeprefix("range")
    return text[1:] if text.startswith(("$.", "$[")) else text


#: a JSONPath expression that prints only a newline (``{"\n"}``, a string literal, read with strconv.Unquote)
_NEWLINE_LITERALS = frozenset({'"\\n"', "'\\n'"})


def jsonpath_template(template: str) -> str:
    """A ``-o jsonpath=`` template in one spelling: each expression as :func:`_jsonpath_expression` writes it, and
    without a last ``{"\n"}``, which only ends the output with a newline (the docs' own examples add it to
    ``-o jsonpath``). Literal text, the fields read and their order stay as written; a template whose braces do
    not close is kept as written."""
    parts = _jsonpath_parts(template)
    if parts is None:
        return template
    canonical = [(kind, _jsonpath_expression(text) if kind == "expr" else text) for kind, text in parts]
    if len(canonical) > 1 and canonical[-1][0] == "expr" and canonical[-1][1] in _NEWLINE_LITERALS:
        canonical = canonical[:-1]
    return "".join("{" + text + "}" if kind == "expr" else text for kind, text in canonical)


def _column(spec: str) -> str:
    """``NAME:{.metadata.name}``, ``NAME:.metadata.name`` and ``NAME:metadata.name`` are one column."""
    title, colon, path = spec.partition(":")
    if not colon:
        return spec
    path = path.strip()
    if path.startswith("{") and path.endswith("}"):
        path = path[1:-1]
    return f"{title}:{path.removeprefix('.')}"


def _long(args: list[str], i: int, name: str, table: FlagTable, learned: frozenset[str], parsed: _Parsed) -> int:
    """Read ``--name[=value]`` (``name`` given with its ``=value``) at ``args[i]``; return the index of its last arg."""
    name, eq, value = name.partition("=")
    kind = table.kind(name, learned)
    if kind == "value" and not eq:
        if i + 1 < len(args):
            value, i = args[i + 1], i + 1
        else:
            parsed.problems.append(f"The flag {args[i]} needs a value.")
    if kind == "unknown":
        parsed.unknown.append(name)
    parsed.flags.append((name, _value(table, name, kind, value if eq or kind == "value" else None)))
    return i


def _shorts(args: list[str], i: int, table: FlagTable, learned: frozenset[str], parsed: _Parsed) -> int:
    """Read a cluster of one-letter flags (``-it``, ``-nkube-system``, ``-o=json``); return its last index."""
    arg = args[i]
    j = 1
    while j < len(arg):
        letter, rest = arg[j], arg[j + 1 :]
        if letter not in table.shorts and letter not in learned and not (arg[j:].isascii() and arg[j:].isalpha()):
            name, eq, value = arg[j:].partition("=")  # not a cluster of letters: one flag, compared as written
            parsed.unknown.append(f"-{name}")
            parsed.flags.append((f"-{name}", value if eq else None))
            return i
        name = table.shorts.get(letter, f"-{letter}")
        kind = table.kind(name, learned) if letter in table.shorts else ("value" if letter in learned else "unknown")
        if kind == "unknown":
            parsed.unknown.append(name)
        if kind == "value":
            value = rest.removeprefix("=")
            if not rest:
                if i + 1 < len(args):
                    value, i = args[i + 1], i + 1
                else:
                    parsed.problems.append(f"The flag -{letter} needs a value.")
            parsed.flags.append((name, _value(table, name, kind, value)))
            return i
        if rest.startswith("="):
            parsed.flags.append((name, _value(table, name, kind, rest[1:])))
            return i
        parsed.flags.append((name, _value(table, name, kind, None)))
        j += 1
    return i


def _pflag(args: list[str], table: FlagTable, learned: frozenset[str]) -> _Parsed:
    """Options read as spf13/pflag does (kubectl, helm, etcdctl, kubeadm): anywhere among the arguments."""
    parsed = _Parsed()
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            parsed.separator, parsed.tail = True, args[i + 1 :]
            break
        if arg.startswith("---"):  # pflag: bad flag syntax; compared as a word
            parsed.words.append(arg)
        elif arg.startswith("--"):
            i = _long(args, i, arg[2:], table, learned, parsed)
        elif arg.startswith("-") and len(arg) > 1 and not _NUMBER.fullmatch(arg):
            i = _shorts(args, i, table, learned, parsed)
        else:
            parsed.words.append(arg)
        i += 1
    return parsed


def _go_flags(args: list[str], table: FlagTable, learned: frozenset[str]) -> _Parsed:
    """Options read as Go's flag package does (Terraform): one or two dashes, before the first positional
    argument or a ``--`` terminator."""
    parsed = _Parsed()
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            i += 1
            break
        if not arg.startswith("-") or arg == "-" or arg.startswith("---"):
            break
        i = _long(args, i, arg[2:] if arg.startswith("--") else arg[1:], table, learned, parsed) + 1
    parsed.end = i
    return parsed


# --- canonical words ----------------------------------------------------------------------------------------------


def _resource_type(part: str) -> str:
    """One kubectl resource type as kubectl's REST mapper reads it: ``TYPE`` or ``TYPE.GROUP``, the type singular,
    plural or short and in any case, the group as written (``deploy``, ``Deployments``, ``deployment.apps`` and
    ``cj.batch`` are ``deployments`` and ``cronjobs``). A group the type is not in, or a version
    (``deployments.v1.apps``), is kept as written."""
    name, dot, group = part.partition(".")
    plural = tables.RESOURCE_TYPES.get(name.lower())
    if plural is None or (dot and group != tables.RESOURCE_GROUPS[plural]):
        return name.lower() + dot + group
    return plural


def _canonical_type(word: str) -> str:
    """kubectl resource types (comma-separated) in plural form; types are case-insensitive, names are not."""
    return ",".join(_resource_type(part) for part in word.split(","))


def _type_name(word: str) -> str:
    kind, _, name = word.partition("/")
    return f"{_canonical_type(kind)}/{name}"


def _is_argument(word: str) -> bool:
    """Not a resource name: ``key=value``, a taint (``key:NoSchedule``), a removal (``env-``) or a port mapping."""
    return "=" in word or ":" in word or word.endswith("-")


def _resources(args: list[str], keep_last: bool = False) -> list[str]:
    """``TYPE NAME...`` written ``TYPE/NAME...`` with plural types; other arguments kept in order."""
    last = args[-1:] if keep_last and len(args) > 1 else []
    body = args[: len(args) - len(last)]
    if not body:
        return args
    if "/" in body[0]:
        count = next((n for n, word in enumerate(body) if "/" not in word or _is_argument(word)), len(body))
        return [_type_name(word) for word in body[:count]] + body[count:] + last
    types = _canonical_type(body[0]).split(",")
    count = next((n for n, word in enumerate(body[1:], 1) if _is_argument(word)), len(body))
    names = body[1:count]
    resources = [f"{kind}/{name}" for name in names for kind in types] if names else [",".join(types)]
    return resources + body[count:] + last


def _kubectl_words(words: list[str]) -> list[str]:
    if len(words) < 3:
        return words
    program, verb, args = words[0], words[1], words[2:]
    if verb in tables.KUBECTL_RESOURCE_VERBS:
        args = _resources(args)
        if verb in ("label", "annotate"):
            args = _change_pairs(args, whole_value=verb == "label")
    elif verb == "rollout":
        args = args[:1] + _resources(args[1:])
    elif verb == "set":
        sub = tables.KUBECTL_SET_ALIASES.get(args[0], args[0])
        args = [sub, *_resources(args[1:], keep_last=sub == "serviceaccount")]
        if sub == "image":
            args = _image_pairs(args)
    elif verb in ("create", "top", "config"):
        aliases = {
            "create": tables.KUBECTL_CREATE_ALIASES,
            "top": tables.KUBECTL_TOP_ALIASES,
            "config": tables.KUBECTL_CONFIG_ALIASES,
        }[verb]
        args = [aliases.get(args[0], args[0]), *args[1:]]
    elif verb in NODE_VERBS:
        args = [_type_name(arg) if "/" in arg else f"nodes/{arg}" for arg in args]
    elif verb in tables.KUBECTL_POD_VERBS:
        first = args[0]
        rest = _port_pairs(args[1:]) if verb == "port-forward" else args[1:]
        args = [_type_name(first) if "/" in first else f"pods/{first}", *rest]
    elif verb == "kustomize":
        args = [relative_path(arg) for arg in args]
        args = [] if args == ["."] else args  # "If DIR is omitted, '.' is assumed" (kubectl kustomize --help)
    elif verb == "auth" and len(args) >= 3 and args[0] == "can-i":
        target = args[2]
        if not target.startswith("/"):  # a non-resource URL such as /logs stays as written
            target = _type_name(target) if "/" in target else _canonical_type(target)
        args = [*args[:2], target, *args[3:]]
    elif verb == "explain":
        head, dot, path = args[0].partition(".")
        args = [_canonical_type(head) + dot + path, *args[1:]]
    return [program, verb, *args]


#: kubectl verbs whose arguments are node names: cordon, uncordon and drain call ``ResourceNames("nodes", args...)``
#: (``pkg/cmd/drain/drain.go``), and cli-runtime's ``Builder.ResourceNames`` (``pkg/resource/builder.go``) reads
#: each argument in the "type/name format" first (``splitResourceTypeName``), so ``node/worker-1``,
#: ``nodes/worker-1`` and ``no/worker-1`` are the node ``worker-1``; a bare word is a node name (``node worker-1``
#: names two nodes, ``node`` and ``worker-1``)
NODE_VERBS = frozenset({"cordon", "uncordon", "drain"})


def _port_pair(port: str) -> str:
    """A kubectl port-forward port as ``LOCAL:REMOTE``: a port given alone is both (``splitPort`` of
    ``pkg/cmd/portforward/portforward.go``: ``9090`` listens on 9090 and forwards to 9090). ``:5000`` (a random
    local port) stays as written."""
    return port if ":" in port or not port else f"{port}:{port}"


def _port_pairs(ports: list[str]) -> list[str]:
    """kubectl port-forward's ports: a list of ``[LOCAL:]REMOTE`` mappings, each read by :func:`_port_pair`. The
    forwarder listens on every mapping at once (``ForwardPorts`` of client-go ``tools/portforward``: one listener
    per port), so several mappings in another order forward the same ports (``kubectl port-forward pod/mypod 5000
    6000`` is ``6000 5000``); what each one maps stays as written."""
    return sorted(_port_pair(port) for port in ports)


def _is_pair(word: str) -> bool:
    """A ``KEY=VALUE`` or ``KEY-`` argument as kubectl tells it from a resource (``GetResourcesAndPairs`` of
    ``pkg/cmd/util/helpers.go``)."""
    return ("=" in word and not word.startswith("=")) or (word.endswith("-") and word != "-")


def _change_pairs(args: list[str], whole_value: bool = False) -> list[str]:
    """kubectl label and annotate: the ``KEY=VALUE`` and ``KEY-`` arguments after the resources, read as kubectl
    reads them, a map of changes and a set of removals (``parseLabels`` of ``pkg/cmd/label/label.go``,
    ``ParsePairs`` of ``pkg/cmd/util/helpers.go`` for annotate: a later value for a key wins), written in key order,
    the changes first: ``tier=web env=prod`` is ``env=prod tier=web``, ``a- b-`` is ``b- a-``. Kept as written
    where kubectl refuses them: a pair among the resources, a label value with a second ``=`` (``whole_value``),
    a key both changed and removed."""
    start = next((n for n, word in enumerate(args) if _is_pair(word)), len(args))
    pairs = args[start:]
    if not pairs or not all(_is_pair(word) for word in pairs):
        return args
    changes: dict[str, str] = {}
    removals: set[str] = set()
    for word in pairs:
        if "=" in word and not word.startswith("="):
            key, _, value = word.partition("=")
            if whole_value and "=" in value:
                return args
            changes[key] = value
        else:
            removals.add(word[:-1])
    if removals & changes.keys():
        return args
    return [*args[:start], *(f"{k}={v}" for k, v in sorted(changes.items())), *(f"{k}-" for k in sorted(removals))]


def _set_env(words: list[str], flags: list[Flag]) -> tuple[list[str], list[Flag]]:
    """kubectl set env: the variables of ``-e/--env`` and the ``NAME=VALUE``/``NAME-`` arguments are one list, the
    flags' first (``ParseEnv(append(o.EnvParams, o.envArgs...))`` of ``pkg/cmd/set/set_env.go``), written as
    arguments after the resources. New variables are appended to each container in that order and, for a name given
    twice, the first wins (``updateEnv`` of ``pkg/cmd/set/helper.go``), so the list is written in name order only
    where order changes nothing: distinct names, no name both set and removed, no ``-`` (standard input) and no
    value that refers to another variable with ``$(NAME)``, which the kubelet expands only from variables earlier
    in the list (https://kubernetes.io/docs/tasks/inject-data-application/define-interdependent-environment-variables/)."""
    if words[1:3] != ["set", "env"]:
        return words, flags
    given = [value for name, value in flags if name == "env" and value is not None]
    args = words[3:]
    start = next((n for n, word in enumerate(args) if _is_pair(word)), len(args))
    specs = [*given, *args[start:]]
    if not specs or not all(_is_pair(spec) for spec in specs):
        return words, flags
    kept = [flag for flag in flags if flag[0] != "env"]
    names = [spec.partition("=")[0] for spec in specs if "=" in spec]
    removed = {spec[:-1] for spec in specs if "=" not in spec}
    ordered = len(set(names)) == len(names) and not removed & set(names) and not any("$(" in s for s in specs)
    if ordered:
        specs = sorted(spec for spec in specs if "=" in spec) + [f"{name}-" for name in sorted(removed)]
    return [*words[:3], *args[:start], *specs], kept


def _image_pairs(args: list[str]) -> list[str]:
    """kubectl set image: the ``container=image`` pairs as kubectl reads them, a map from container to image
    (``ParsePairs`` of ``pkg/cmd/util/helpers.go``: a later pair for the same container wins), written in
    container order after the resources; ``sidecar=envoy web=web:3`` is ``web=web:3 sidecar=envoy``."""
    pairs = [arg for arg in args if "=" in arg and not arg.startswith("=")]
    if not pairs or args[len(args) - len(pairs) :] != pairs:
        return args  # pairs mixed with other arguments: kept in the order written
    images = dict(pair.split("=", 1) for pair in pairs)
    return [*args[: len(args) - len(pairs)], *(f"{name}={image}" for name, image in sorted(images.items()))]


def _helm_words(words: list[str]) -> list[str]:
    if len(words) < 2:
        return words
    command = tables.HELM_ALIASES.get(words[1], words[1])
    rest = words[2:]
    if command in tables.HELM_GROUPS and rest:
        rest = [tables.HELM_SUB_ALIASES.get(rest[0], rest[0]), *rest[1:]]
    return [words[0], command, *rest]


def _pflag_table(program: str, args: list[str]) -> FlagTable:
    """The flag table a pflag tool reads ``args`` with: kubectl's and Helm's by their command, Docker's and
    Podman's by their image command, another tool's own (or none)."""
    if program == "kubectl":
        return tables.kubectl_table(_kubectl_verb(args))
    if program == "helm":
        return tables.helm_table(_helm_command(args))
    if program in tables.CONTAINER_PROGRAMS:
        return tables.container_table(program, _container_command(program, args))
    return tables.TOOLS.get(program, tables.GENERIC)


def _helm_command(args: list[str]) -> tuple[str, ...]:
    """A Helm command's words (``("list",)``, ``("get", "values")``), aliases resolved and flags before it
    skipped, which decide its one-letter flags."""
    words: list[str] = []
    i = 0
    while i < len(args) and args[i] != "--" and len(words) < 2:
        arg = args[i]
        if arg.startswith("-"):
            name = arg[2:] if arg.startswith("--") else tables.HELM.shorts.get(arg[1:], "")
            i += 2 if "=" not in arg and tables.HELM.kind(name) == "value" else 1
            continue
        words.append(arg)
        i += 1
    if not words:
        return ()
    command = tables.HELM_ALIASES.get(words[0], words[0])
    if command in tables.HELM_COMMAND_GROUPS and len(words) > 1:
        return command, tables.HELM_SUB_ALIASES.get(words[1], words[1])
    return (command,)


def _container_command(program: str, args: list[str]) -> str:
    """A Docker or Podman command's name (``build`` for ``podman image build``), from its first words."""
    first = tuple(arg for arg in args if not arg.startswith("-"))[:2]
    aliases = tables.CONTAINER_ALIASES.get(program, {})
    return aliases.get(first, first[0] if first else "")


def _container_words(words: list[str], flags: list[Flag]) -> tuple[list[str], list[Flag]]:
    """A Docker or Podman command with its command's one name (``podman image tag`` is ``podman tag``) and its
    image names as the engine reads them (:func:`image_name`): the images that tag, push (its first argument,
    not the destination) and save name, and build's ``--tag``."""
    program = words[0]
    alias = tables.CONTAINER_ALIASES.get(program, {}).get(tuple(words[1:3]))
    if alias is not None:
        words = [program, alias, *words[3:]]
    command = words[1] if len(words) > 1 else ""
    images = {"tag": len(words), "save": len(words), "push": 3}.get(command, 2)
    words = [*words[:2], *(image_name(program, word) for word in words[2:images]), *words[images:]]
    if command == "build":
        flags = [(name, image_name(program, value) if name == "tag" and value else value) for name, value in flags]
        flags = _default_dockerfile(words, flags)
    return words, flags


def _default_dockerfile(words: list[str], flags: list[Flag]) -> list[Flag]:
    """docker build's ``-f`` left out where it names the default, ``PATH/Dockerfile`` ("--file: Name of the
    Dockerfile (default: PATH/Dockerfile)", https://docs.docker.com/reference/cli/docker/buildx/build/): with the
    context ``.``, ``-f Dockerfile``. Not for Podman, whose default is ``Containerfile`` and only then
    ``Dockerfile`` ("If no Containerfile is specified, Podman will look for Containerfile then Dockerfile in the
    context directory", https://docs.podman.io/en/latest/markdown/podman-build.1.html), so ``-f Dockerfile`` can
    pick another file there. Nor with a URL or ``-`` as the context."""
    files = [value for name, value in flags if name == "file"]
    contexts = words[2:]
    if words[:2] != ["docker", "build"] or len(files) != 1 or len(contexts) != 1 or files[0] is None:
        return flags
    context = relative_path(contexts[0])
    if "://" in context or context.startswith("git@") or context == "-":
        return flags
    default = "Dockerfile" if context == "." else f"{context}/Dockerfile"
    if relative_path(files[0]) != default:
        return flags
    return [flag for flag in flags if flag[0] != "file"]


def image_name(program: str, name: str) -> str:
    """An image name as the engine itself writes it, so that two names of one image compare equal.

    Podman (libimage of containers/common): ``NormalizeName`` puts a name without a registry under ``localhost/``
    ("If it's a short name, it will be prefixed with "localhost/"": the names ``podman build -t`` and ``podman tag``
    give), and ``LookupImage`` resolves a short name to its ``localhost/`` candidate before any search registry
    (``shortnames.ResolveLocally`` of containers/image: a short-name alias from registries.conf, then "localhost/",
    then the unqualified-search registries), so the local image ``web:1.0`` is ``localhost/web:1.0``, written
    ``web:1.0``. Docker (``ParseNormalizedNamed`` of distribution/reference): a name without a registry is on
    docker.io, and an official image under ``library/``, so ``docker.io/library/web:1.0`` is ``web:1.0``; there
    ``localhost/web:1.0`` names the registry localhost, another image. Other names as written."""
    if program == "podman":
        rest = name.removeprefix("localhost/")
        return rest if rest != name and _short_name(rest) else name
    if program == "docker":
        for domain in ("docker.io/", "index.docker.io/"):
            if name.startswith(domain) and _short_name(name[len(domain) :]):
                name = name[len(domain) :]
                break
        official = name.removeprefix("library/")
        return official if official != name and _short_name(official) and "/" not in official else name
    return name


def _short_name(name: str) -> bool:
    """Whether an image name has no registry: its first ``/``-separated part is no host name, which the reference
    grammar of distribution/reference (``splitDomain``) tells by a ``.`` or ``:`` in it or the name ``localhost``
    (``quay.io/team/web`` names the registry quay.io, ``team/web`` does not)."""
    first, slash, rest = name.partition("/")
    if not first or (slash and not rest):
        return False
    return not slash or not ("." in first or ":" in first or first == "localhost")


def _kubectl_verb(args: list[str]) -> str:
    """The verb of a kubectl command (flags before it skipped), which decides some one-letter flags."""
    i = 0
    while i < len(args) and args[i] != "--":
        arg = args[i]
        if not arg.startswith("-"):
            return arg
        name = arg[2:] if arg.startswith("--") else tables.KUBECTL.shorts.get(arg[1:], "")
        i += 2 if "=" not in arg and tables.KUBECTL.kind(name) == "value" else 1
    return ""


# --- one command ----------------------------------------------------------------------------------------------------


#: flags whose values form a set: given comma-separated or repeated, in any order (``kubectl create role``)
SET_FLAGS = frozenset({"verb", "resource", "resource-name"})


def _merge_sets(flags: list[Flag]) -> list[Flag]:
    """``--verb=get --verb=list`` and ``--verb=list,get`` as one flag with the values sorted."""
    merged: dict[str, set[str]] = {}
    rest: list[Flag] = []
    for name, value in flags:
        if name in SET_FLAGS and value is not None:
            merged.setdefault(name, set()).update(v for v in value.split(",") if v)
        else:
            rest.append((name, value))
    return rest + [(name, ",".join(sorted(values))) for name, values in merged.items()]


def _flag_key(flag: Flag) -> tuple[str, str]:
    return flag[0], "" if flag[1] is None else flag[1]


#: kubectl flags whose value is a list of ``resource=quantity`` pairs (``populateResourceListV1`` of
#: ``pkg/generate/versioned/run.go`` for set resources, of ``pkg/cmd/create/create_quota.go`` for create quota)
RESOURCE_LIST_FLAGS = frozenset({"limits", "requests", "hard"})


def _resource_list(value: str | None, quota: bool = False) -> str | None:
    """``cpu=1000m,memory=512Mi`` as kubectl reads it: a map from names to quantities (a later pair wins), written
    in name order with each amount as a plain number (``1000m`` = ``1``, ``1Gi`` = ``1024Mi``, ``1G`` is not
    ``1Gi``); left as written when kubectl would refuse it. With ``quota`` (``--hard``) the names a ResourceQuota
    reads as the same resource are one name (``cpu`` is ``requests.cpu``; see
    :data:`~questions.task_checks.QUOTA_SAME_NAMES`)."""
    if not value:
        return value
    amounts: dict[str, Decimal] = {}
    for pair in value.split(","):
        parts = pair.split("=")
        amount = quantity(parts[1]) if len(parts) == 2 and parts[1] == parts[1].strip() else None
        if amount is None:
            return value
        amounts[parts[0]] = amount
    if quota:
        amounts = quota_names(amounts)
    return ",".join(f"{name}={format(amount.normalize(), 'f')}" for name, amount in sorted(amounts.items()))


#: kubectl flags whose value is a resource given as ``TYPE/NAME``, by the command words before them: ``--from`` of
#: create job and set env (``ResourceTypeOrNameArgs`` in ``pkg/cmd/create/create_job.go`` and
#: ``pkg/cmd/set/set_env.go``) and ``--for`` of events (``decodeResourceTypeName`` in ``pkg/cmd/events/events.go``)
RESOURCE_REFERENCE_FLAGS = {("create", "job"): "from", ("set", "env"): "from", ("events",): "for"}

#: kubectl autoscale's --cpu and --memory: a bare number is a quantity in these units (``parseResourceInput`` and
#: ``getDefaultUnitForResource`` of ``pkg/cmd/autoscale/autoscale.go``: "500" is 500m, "200" is 200Mi)
AUTOSCALE_UNITS = {"cpu": ("m", Decimal("0.001")), "memory": ("Mi", Decimal(2**20))}

_GO_FLOAT = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def _kubectl_value(words: list[str], name: str, value: str | None) -> str | None:
    """A kubectl flag's value as the command reads it: resource lists by amount, a resource reference in canonical
    form, an autoscaling target by amount."""
    if value is None:
        return value
    if name in RESOURCE_LIST_FLAGS:
        return _resource_list(value, quota=name == "hard")
    if name == "selector":
        return label_selector(value)
    command = tuple(words[1:3])
    if command == ("create", "service") and name == "tcp":
        return ",".join(_port_pair(port) for port in value.split(","))
    if RESOURCE_REFERENCE_FLAGS.get(command) == name or RESOURCE_REFERENCE_FLAGS.get(command[:1]) == name:
        return _type_name(value) if value.count("/") == 1 else value
    if command[:1] == ("autoscale",) and name in AUTOSCALE_UNITS:
        return _autoscale_target(value, *AUTOSCALE_UNITS[name])
    return value


_SELECTOR_KEY = r"[A-Za-z0-9][A-Za-z0-9._/-]*"
_SELECTOR_VALUE = r"[A-Za-z0-9._-]*"
_EQUALITY = re.compile(rf"\s*({_SELECTOR_KEY})\s*(==|=|!=)\s*({_SELECTOR_VALUE})\s*")
_SET = re.compile(rf"\s*({_SELECTOR_KEY})\s+(in|notin)\s*\(([^()]*)\)\s*")
_EXISTS = re.compile(rf"\s*(!?)\s*({_SELECTOR_KEY})\s*")
_COMPARE = re.compile(rf"\s*({_SELECTOR_KEY})\s*([<>])\s*(\d+)\s*")


def _selector_parts(selector: str) -> list[str]:
    """A label selector split at the commas between its requirements (not those inside ``in (a,b)``)."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(selector):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(selector[start:index])
            start = index + 1
    return [*parts, selector[start:]]


def _requirement(text: str) -> str | None:
    """One label-selector requirement in canonical form, or None when ``labels.Parse`` would not read it.

    ``k=v``, ``k==v`` and ``k in (v)`` are one requirement (the Equals, DoubleEquals and In operators match the
    same labels when In has one value), as are ``k!=v`` and ``k notin (v)`` (NotEquals and NotIn both match a
    label set without the key: ``Requirement.Matches`` of apimachinery ``pkg/labels/selector.go``); the values
    of ``in``/``notin`` are a set."""
    if match := _EQUALITY.fullmatch(text):
        key, operator, value = match.groups()
        return f"{key}{'!=' if operator == '!=' else '='}{value}"
    if match := _SET.fullmatch(text):
        key, operator, listed = match.groups()
        values = sorted({value.strip() for value in listed.split(",")})
        if not all(re.fullmatch(_SELECTOR_VALUE, value) for value in values):
            return None
        if len(values) == 1:
            return f"{key}{'=' if operator == 'in' else '!='}{values[0]}"
        return f"{key} {operator} ({','.join(values)})"
    if match := _EXISTS.fullmatch(text):
        return "".join(match.groups())
    if match := _COMPARE.fullmatch(text):
        return "".join(match.groups())
    return None


def label_selector(selector: str) -> str:
    """A kubectl ``-l/--selector`` value as ``labels.Parse`` (apimachinery ``pkg/labels/selector.go``) reads it: an
    AND of requirements, so their order changes nothing (Parse itself sorts them by key), each requirement in the
    form :func:`_requirement` writes. "=" and "==" are synonyms and "in (v)" with one value selects what "=v"
    selects (https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors). Kept as
    written where a requirement does not parse."""
    requirements = [_requirement(part) for part in _selector_parts(selector)]
    if any(requirement is None for requirement in requirements):
        return selector
    return ",".join(sorted({requirement for requirement in requirements if requirement is not None}))


def _autoscale_target(value: str, unit: str, size: Decimal) -> str:
    """``--cpu``/``--memory`` of kubectl autoscale as ``parseResourceInput`` reads it: ``70%`` a utilisation, a bare
    number (formatted with Go's ``%g``) in the flag's unit, else a quantity; written as a percentage or as an
    amount in the flag's unit (``500`` is ``500m``, ``1Gi`` is ``1024Mi``). Left as written when kubectl
    would refuse it."""
    text = value.strip()
    if text.endswith("%"):
        digits = text[:-1]
        whole = re.fullmatch(r"[+-]?\d+", digits) is not None
        return f"{int(digits)}%" if whole and 0 <= int(digits) < 2**31 else value
    if _GO_FLOAT.fullmatch(text):
        number = Decimal(repr(float(text)))  # strconv.ParseFloat, then %g: the shortest digits
        if not -4 <= number.adjusted() < 6:  # %g writes an exponent, which ParseQuantity refuses
            return value
        amount: Decimal | None = number * size
    else:
        amount = quantity(text)
    if amount is None:
        return value
    return f"{format((amount / size).normalize(), 'f')}{unit}"


#: flags that change how a command reports, not what it does, left out before comparing: klog's log
#: verbosity (-v/--v of kubectl and kubeadm, cli-runtime and component-base logs flags), helm's --debug, and
#: Terraform's -no-color (output colours), -input=false (no prompts; a command that needs none does the same)
#: and -lock-timeout (how long to wait for the state lock)
INERT_FLAGS: dict[str, frozenset[str]] = {
    "kubectl": frozenset({"v"}),
    "kubeadm": frozenset({"v"}),
    "helm": frozenset({"debug"}),
    "terraform": frozenset({"no-color", "input", "lock-timeout"}),
}


#: Printer flags: they change only how a command prints on the terminal, not what it does or reads. kubectl's are
#: cli-runtime's ``PrintFlags`` (``pkg/genericclioptions/print_flags.go``: -o, --template,
#: --allow-missing-template-keys, --show-managed-fields) and the human-readable printer's (``kubectl get``:
#: --no-headers, --show-labels, --show-kind, --sort-by, -L); kubeadm's are the same PrintFlags on its read-only
#: commands (-o, "Default: text", on kubeadm upgrade plan, token list, certs check-expiration, config images
#: list: https://kubernetes.io/docs/reference/setup-tools/kubeadm/generated/); Helm's are ``bindOutputFlag`` of
#: ``pkg/cmd/flags.go`` (-o table|json|yaml, default table) and the table's --no-headers, --time-format,
#: --max-col-width and helm list's -q (names only, as kubectl's -o name).
PRESENTATION_FLAGS: dict[str, frozenset[str]] = {
    "kubectl": frozenset(
        {
            "output",
            "template",
            "allow-missing-template-keys",
            "show-managed-fields",
            "no-headers",
            "show-labels",
            "show-kind",
            "sort-by",
            "label-columns",
        }
    ),
    "kubeadm": frozenset({"output", "allow-missing-template-keys", "show-managed-fields"}),
    "helm": frozenset({"output", "no-headers", "time-format", "max-col-width", "short"}),
}
#: Printer flags of one command: kubectl logs' --prefix and --timestamps only label each line
#: (https://kubernetes.io/docs/reference/kubectl/generated/kubectl_logs/); kubectl top node's --show-capacity only
#: changes the basis of the percentages it prints ("Print node resources based on Capacity instead of
#: Allocatable(default) of the nodes", https://kubernetes.io/docs/reference/kubectl/generated/kubectl_top/kubectl_top_node/);
#: terraform fmt's -diff and -list only change what fmt prints about the files it rewrites
#: (https://developer.hashicorp.com/terraform/cli/commands/fmt); terraform show's -json prints the same state or
#: plan as JSON ("-json - Displays machine-readable output", https://developer.hashicorp.com/terraform/cli/commands/show);
#: Podman's and Docker's load -q/--quiet only suppress the progress output
#: (https://docs.podman.io/en/latest/markdown/podman-load.1.html, https://docs.docker.com/reference/cli/docker/image/load/)
COMMAND_PRESENTATION_FLAGS: dict[tuple[str, str], frozenset[str]] = {
    ("kubectl", "logs"): frozenset({"prefix", "timestamps"}),
    ("kubectl", "top"): frozenset({"show-capacity"}),
    ("terraform", "fmt"): frozenset({"diff", "list"}),
    ("terraform", "show"): frozenset({"json"}),
    ("podman", "load"): frozenset({"quiet"}),
    ("docker", "load"): frozenset({"quiet"}),
}
#: kubeadm and Helm commands that only read and print (by their words after the program); a printer flag of any
#: other kubeadm or Helm command is part of the answer
READ_ONLY_COMMANDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "kubeadm": (
        ("upgrade", "plan"),
        ("token", "list"),
        ("certs", "check-expiration"),
        ("config", "images", "list"),
        ("config", "print"),
        ("version",),
    ),
    "helm": (
        ("list",),
        ("status",),
        ("history",),
        ("get",),
        ("search",),
        ("show",),
        ("repo", "list"),
        ("env",),
        ("version",),
    ),
}
#: Flags that change nothing where the model answer does without them, by the command words they belong to (a
#: command's words start with them). helm upgrade's --install only acts when no release of that name exists, or
#: its last revision is uninstalled ("if a release by this name doesn't already exist, run an install",
#: https://helm.sh/docs/helm/helm_upgrade/; ``pkg/cmd/upgrade.go`` of Helm v4.2.4 and ``cmd/helm/upgrade.go`` of
#: v3.21.4 go on to the plain upgrade otherwise), and a task that upgrades a release without it names a release that
#: exists. kubeadm upgrade apply's -y/--yes only skips the confirmation prompt ("Perform the upgrade and do not
#: prompt for confirmation (non-interactive mode)",
#: https://kubernetes.io/docs/reference/setup-tools/kubeadm/generated/kubeadm_upgrade/kubeadm_upgrade_apply/); its
#: -f/--force also skips requirements and stays part of the answer. terraform plan's -out=FILE saves the plan it
#: shows to a file as well ("-out=FILENAME - Writes the generated plan to the given filename",
#: https://developer.hashicorp.com/terraform/cli/commands/plan), which changes nothing of that plan. terraform
#: apply's -auto-approve is not here: a task may ask to review the plan before it is applied. helm uninstall's
#: --wait only makes the command wait until the release's resources are deleted ("if set, will wait until all
#: the resources are deleted before returning", https://helm.sh/docs/helm/helm_uninstall/).
CONTEXT_FLAGS: dict[tuple[str, ...], frozenset[str]] = {
    ("helm", "upgrade"): frozenset({"install"}),
    ("helm", "uninstall"): frozenset({"wait"}),
    ("kubeadm", "upgrade", "apply"): frozenset({"yes"}),
    ("terraform", "plan"): frozenset({"out"}),
}


#: kubectl commands without cli-runtime's PrintFlags, by verb, and the printer flags they have instead: a printer
#: flag is ignorable only on a command that has it, for kubectl refuses any other ("unknown shorthand flag").
#: describe (-A, --chunk-size, -f, -k, -R, -l, --show-events), cordon and uncordon (--dry-run, -l), drain, logs,
#: exec, port-forward, cp and attach have no -o/--output; top pod and top node have only --no-headers and
#: --sort-by of these (https://kubernetes.io/docs/reference/kubectl/generated/kubectl_describe/,
#: .../kubectl_cordon/, .../kubectl_uncordon/, .../kubectl_drain/, .../kubectl_logs/, .../kubectl_exec/,
#: .../kubectl_port-forward/, .../kubectl_cp/, .../kubectl_attach/, .../kubectl_top/kubectl_top_pod/,
#: .../kubectl_top/kubectl_top_node/)
KUBECTL_VERB_PRINTERS: dict[str, frozenset[str]] = {
    **{
        verb: frozenset()
        for verb in ("describe", "cordon", "uncordon", "drain", "logs", "exec", "port-forward", "cp", "attach")
    },
    "top": frozenset({"no-headers", "sort-by"}),
}


def _tool_printers(program: str, command: tuple[str, ...]) -> frozenset[str]:
    """The printer flags of :data:`PRESENTATION_FLAGS` that this command has (kubectl's by verb:
    :data:`KUBECTL_VERB_PRINTERS`)."""
    if program == "kubectl" and command[0] in KUBECTL_VERB_PRINTERS:
        return KUBECTL_VERB_PRINTERS[command[0]]
    return PRESENTATION_FLAGS.get(program, frozenset())


def _context_flags(words: tuple[str, ...]) -> frozenset[str]:
    """The :data:`CONTEXT_FLAGS` of a command, by every start of its words (``kubeadm upgrade apply v1.35.2``)."""
    found: frozenset[str] = frozenset()
    for end in range(2, len(words) + 1):
        found |= CONTEXT_FLAGS.get(tuple(words[:end]), frozenset())
    return found


def _on_terminal(segment: Segment) -> bool:
    """Whether the command's output goes to the terminal (not into a pipe or a file)."""
    return not segment.redirects and segment.operator not in ("|", "|&")


def _fmt_writes(segment: Segment) -> bool:
    """Whether terraform fmt rewrites files: not with -check or -write=false, nor reading standard input."""
    checks = any(name == "check" and value != "false" for name, value in segment.flags)
    kept = any(name == "write" and value == "false" for name, value in segment.flags)
    return not (checks or kept or "-" in segment.words[2:])


def _kubectl_writes_files(segment: Segment) -> bool:
    """Whether a kubectl command's -o names files to write rather than a printer: kubectl kustomize (``-o``,
    "If specified, write output to this path") and cluster-info dump's --output-directory."""
    return segment.words[1:2] == ("kustomize",) or "output-directory" in dict(segment.flags)


def printer_flags(segment: Segment) -> frozenset[str]:
    """The flags of ``segment`` that only change how it prints, given that its output goes to the terminal:
    kubectl's printers (``kubectl create sa builder -o yaml`` creates what ``kubectl create sa builder`` creates,
    and a dry run with ``-o yaml`` sends what it sends without it: "If client strategy, only print the object that
    would be sent", https://kubernetes.io/docs/reference/kubectl/generated/kubectl_apply/), kubeadm's and Helm's on
    their read-only commands, and the few of one command in :data:`COMMAND_PRESENTATION_FLAGS` (terraform fmt's
    only while it rewrites files). Empty when the output goes on to a pipe or a file, where what is printed is
    what the command line makes (a manifest saved with ``--dry-run=client -o yaml > f.yaml``); a model answer that
    sets a printer makes it part of the answer (:func:`ignorable_flags`)."""
    if not _on_terminal(segment) or len(segment.words) < 2:
        return frozenset()
    program, command = segment.words[0], segment.words[1:]
    found = COMMAND_PRESENTATION_FLAGS.get((program, command[0]), frozenset())
    if program == "terraform":
        return found if command[0] != "fmt" or _fmt_writes(segment) else frozenset()
    if program == "kubectl" and _kubectl_writes_files(segment):
        return frozenset()
    read_only = READ_ONLY_COMMANDS.get(program)
    if read_only is not None and not any(command[: len(words)] == words for words in read_only):
        return found
    if program == "kubeadm" and "config" in dict(segment.flags):
        return found  # kubeadm refuses printer flags beside --config (ValidateMixedArguments)
    return found | _tool_printers(program, command)


def ignorable_flags(segment: Segment, model: Segment) -> frozenset[str]:
    """The flags of ``segment`` that change nothing where the same command of ``model`` sets none of them: its
    printers (:func:`printer_flags`) and the flags of :data:`CONTEXT_FLAGS`. Where the model sets one (``-o
    jsonpath=...``, ``--install``), they are part of the answer."""
    if segment.words[:2] != model.words[:2] or len(segment.words) < 2:
        return frozenset()
    given = {name for name, _ in model.flags}
    printers = printer_flags(segment)
    context = _context_flags(segment.words) | _overwrite(model)
    return (printers if not printers & given else frozenset()) | (context - given)


def _overwrite(model: Segment) -> frozenset[str]:
    """``--overwrite`` where the model's kubectl label or annotate sets a key: the flag only lets the command
    replace a value the key already has ("If true, allow labels to be overwritten, otherwise reject label updates
    that overwrite existing labels", https://kubernetes.io/docs/reference/kubectl/generated/kubectl_label/; the
    same for annotations), so on a key without a value it sets what the model sets, and the task page "Enforce
    Pod Security Standards with Namespace Labels" writes it (``kubectl label --overwrite ns ...``). A model that
    only removes keys (``KEY-``) gains nothing from it, so it stays part of the answer there."""
    sets_key = any(_is_pair(word) and "=" in word for word in model.words[2:])
    if model.words[:2] in (("kubectl", "label"), ("kubectl", "annotate")) and sets_key:
        return frozenset({"overwrite"})
    return frozenset()


def shown_alike(line: CommandLine, model: CommandLine) -> CommandLine:
    """``line`` less the flags of each command that change nothing beside the same command of ``model``
    (:func:`ignorable_flags`): ``kubectl get pods -o wide`` lists what ``kubectl get pods`` lists, and ``helm
    upgrade --install web chart`` upgrades the existing release web. Where the model itself sets such a flag,
    or output is piped or redirected, the flag is part of the answer and stays."""
    if len(line.segments) != len(model.segments):
        return line
    segments = []
    for mine, theirs in zip(line.segments, model.segments, strict=True):
        ignored = ignorable_flags(mine, theirs)
        segments.append(replace(mine, flags=tuple(flag for flag in mine.flags if flag[0] not in ignored)))
    return replace(line, segments=tuple(segments))


def _without_defaults(
    flags: list[Flag], defaults: Mapping[str, str], table: FlagTable, learned: frozenset[str]
) -> list[Flag]:
    """The flags less those given once with their default value (the command does the same without them)."""
    counts = Counter(name for name, _ in flags)
    kept = []
    for name, value in flags:
        kind, default = table.kind(name, learned), defaults.get(name)
        given_once = default is not None and counts[name] == 1 and kind != "unknown"
        if not (given_once and value == _value(table, name, kind, default)):
            kept.append((name, value))
    return kept


def _expose_name(words: list[str], flags: list[Flag]) -> list[Flag]:
    """kubectl expose: without --name the Service takes the exposed resource's name (``pkg/cmd/expose/expose.go``),
    so a --name equal to that name is left out."""
    names = [value for name, value in flags if name == "name"]
    exposed = [word.partition("/")[2] for word in words[2:] if "/" in word]
    if words[:2] == ["kubectl", "expose"] and len(names) == 1 and len(exposed) == 1 and names[0] == exposed[0]:
        return [flag for flag in flags if flag[0] != "name"]
    return flags


def _logs_tail(words: list[str], flags: list[Flag]) -> list[Flag]:
    """kubectl logs: --tail is -1 (every line) without a selector and 10 with one, unless given
    (``pkg/cmd/logs/logs.go``: ``if len(o.Selector) > 0 && o.Tail == -1 && !o.TailSpecified`` then 10, "Defaults
    to -1 with no selector, showing all log lines otherwise 10, if a selector is provided"), so a --tail given
    once with the default of its command is left out. ``--tail=-1`` with a selector prints every line."""
    tails = [value for name, value in flags if name == "tail"]
    selected = any(name == "selector" for name, _ in flags)
    if words[:2] != ["kubectl", "logs"] or len(tails) != 1 or tails[0] != ("10" if selected else "-1"):
        return flags
    return [flag for flag in flags if flag[0] != "tail"]


def _join_token(words: list[str], flags: list[Flag]) -> list[Flag]:
    """kubeadm join: --token stands for --discovery-token and --tls-bootstrap-token when those are not given, so
    the two given with one value are that --token."""
    values = {name: value for name, value in flags if name in ("discovery-token", "tls-bootstrap-token", "token")}
    pair = values.get("discovery-token"), values.get("tls-bootstrap-token")
    if words[:2] != ["kubeadm", "join"] or "token" in values or pair[0] is None or pair[0] != pair[1]:
        return flags
    kept = [flag for flag in flags if flag[0] not in ("discovery-token", "tls-bootstrap-token")]
    return [*kept, ("token", pair[0])]


def _expose_target_port(flags: list[Flag]) -> list[Flag]:
    """kubectl expose: without --target-port the Service sends traffic to the port it serves (``createService`` of
    ``pkg/cmd/expose/expose.go``), so a --target-port equal to the one --port is left out."""
    ports = [value or "" for name, value in flags if name == "port"]
    targets = [value or "" for name, value in flags if name == "target-port"]
    numbers = [int(v) for v in (*ports, *targets) if re.fullmatch(r"[0-9]+", v)]
    if len(ports) == len(targets) == 1 and len(numbers) == 2 and numbers[0] == numbers[1]:
        return [flag for flag in flags if flag[0] != "target-port"]
    return flags


def _pflag_segment(
    program: str, args: list[str], learned: frozenset[str], defaults: FlagDefaults | None
) -> tuple[Segment, _Parsed]:
    table = _pflag_table(program, args)
    parsed = _pflag(args, table, learned)
    words = [program, *parsed.words]
    flags = _merge_sets(parsed.flags)
    if program == "kubectl":
        words = _kubectl_words(words)
        flags = [(name, _kubectl_value(words, name, v)) for name, v in flags]
        if words[1:2] == ["expose"]:
            flags = _expose_name(words, _expose_target_port(flags))
        flags = _logs_tail(words, flags)
        words, flags = _set_env(words, flags)
    elif program == "helm":
        words = _helm_words(words)
    elif program in tables.CONTAINER_PROGRAMS:
        words, flags = _container_words(words, flags)
    # kubeadm refuses most flags given beside --config, whatever their value (ValidateMixedArguments of
    # kubernetes/kubernetes cmd/kubeadm/app/apis/kubeadm/validation/validation.go)
    with_config = program == "kubeadm" and any(name == "config" for name, _ in flags)
    if program == "kubeadm" and not with_config:
        flags = _join_token(words, flags)
    if program == "kubeadm":
        words, flags = _kubeadm_versions(words, flags)
    words = _path_arguments(words)
    flags = [f for f in flags if f[0] not in INERT_FLAGS.get(program, ())]
    if defaults is not None and not with_config:
        flags = _without_defaults(flags, defaults.of(words), table, learned)
    segment = Segment(
        words=tuple(words),
        flags=tuple(sorted(flags, key=_flag_key)),
        tail=tuple(parsed.tail),
        separator=parsed.separator,
    )
    return segment, parsed


def _terraform_global(arg: str) -> Flag | None:
    """An option written before Terraform's subcommand, or None where it changes nothing (``-chdir=.``).

    Only ``-chdir=DIR``, one dash and an equals sign, switches the directory: ``extractChdirOption`` of
    ``main.go`` (hashicorp/terraform since v0.14, unchanged in v1.12.2 and on main for v1.17) looks for the prefix
    ``-chdir=``; ``--chdir=DIR`` is left in the arguments, and hashicorp/cli (v1.1.7, ``processArgs`` and ``Run``)
    refuses any other flag before the subcommand ("Invalid flags before the subcommand"). So ``--chdir`` is kept
    as written, as an option no answer has. ``-chdir=./infra/`` is the directory ``infra``."""
    name, eq, value = arg.lstrip("-").partition("=")
    if name == "chdir" and arg.startswith("--"):
        return f"--{name}", value if eq else None
    if name == "chdir":
        value = relative_path(value)
        if value == ".":  # where Terraform runs anyway
            return None
    return name, value if eq else None


def _terraform_segment(
    args: list[str], learned: frozenset[str], defaults: FlagDefaults | None
) -> tuple[Segment, _Parsed]:
    globals_: list[Flag] = []
    i = 0
    while i < len(args) and args[i].startswith("-"):
        arg = args[i]
        if arg in ("-v", "-version", "--version"):  # main.go turns these into the version command
            args = [*args[:i], "version", *args[i + 1 :]]
            break
        flag = _terraform_global(arg)
        if flag is not None:
            globals_.append(flag)
        i += 1
    rest = args[i:]
    command = rest[:1]
    if rest and rest[0] in tables.TERRAFORM_GROUPS and len(rest) > 1 and not rest[1].startswith("-"):
        command = rest[:2]
    table = tables.TERRAFORM_CONSOLE if command == ["console"] else tables.TERRAFORM
    options = rest[len(command) :]
    parsed = _go_flags(options, table, learned)
    arguments = options[parsed.end :]
    if command == ["fmt"] and arguments == ["."]:
        arguments = []  # fmt's target defaults to the current directory
    flags = [f for f in parsed.flags if f[0] not in INERT_FLAGS["terraform"]]
    if defaults is not None:
        flags = _without_defaults(flags, defaults.of(["terraform", *command]), table, learned)
    segment = Segment(
        words=tuple(_path_arguments(["terraform", *command, *arguments])),
        flags=tuple(sorted(flags, key=_flag_key)),
        globals=tuple(globals_),
        style="go",
        command_words=len(command),
    )
    return segment, parsed


#: Terraform's log level variables: ``internal/logging/logging.go`` (v1.12.2) reads them with ``strings.ToUpper``
TERRAFORM_LOG_LEVELS = frozenset({"TF_LOG", "TF_LOG_CORE", "TF_LOG_PROVIDER"})


def _environment(program: str, assignments: Mapping[str, str]) -> tuple[str, ...]:
    """``NAME=value`` assignments in name order; Terraform's log levels in upper case."""
    levels = TERRAFORM_LOG_LEVELS if program == "terraform" else frozenset()
    return tuple(f"{name}={value.upper() if name in levels else value}" for name, value in sorted(assignments.items()))


def _segment(command: Command, learned: frozenset[str], defaults: FlagDefaults | None) -> tuple[Segment, _Parsed]:
    tokens, redirects, operator = list(command.words), command.redirects, command.operator
    env: dict[str, str] = {}
    while tokens and (_ASSIGNMENT.fullmatch(tokens[0]) or tokens[0] == "sudo" or _env_runs_command(tokens)):
        head = tokens.pop(0)
        if head not in ("sudo", "env"):  # privileges do not change what a command does
            name, _, value = head.partition("=")
            env[name] = value
    if not tokens:
        return Segment(env=_environment("", env), redirects=tuple(redirects), operator=operator), _Parsed()
    program = tokens[0].rsplit("/", 1)[-1]  # /usr/local/bin/kubectl is kubectl
    known = program in tables.TOOLS or program in tables.CONTAINER_PROGRAMS or program in tables.PROGRAM_ALIASES
    if not known and program != "terraform":
        program = tokens[0]
    program = tables.PROGRAM_ALIASES.get(program, program)
    if program == "etcdctl" and env.get("ETCDCTL_API") == "3":
        del env["ETCDCTL_API"]  # the v3 API is the default since etcd v3.4
    if program == "terraform":
        segment, parsed = _terraform_segment(tokens[1:], learned, defaults)
    else:
        segment, parsed = _pflag_segment(program, tokens[1:], learned, defaults)
    segment = replace(segment, env=_environment(program, env), redirects=_redirects(redirects), operator=operator)
    return _stdout_archive(_stdin_archive(segment)), parsed


def _env_runs_command(tokens: list[str]) -> bool:
    """Whether ``tokens`` start with ``env`` that runs a command with some variables added: POSIX ``env
    [name=value]... [utility [argument...]]`` "shall obtain the current environment, modify it according to its
    arguments, then invoke the utility" (https://pubs.opengroup.org/onlinepubs/9799919799/utilities/env.html), as
    ``NAME=value utility`` does for that one command. Not with an option (``env -i`` empties the environment) or
    without a utility (``env A=1`` prints the environment)."""
    if tokens[:1] != ["env"]:
        return False
    rest = [token for token in tokens[1:] if not _ASSIGNMENT.fullmatch(token)]
    return bool(rest) and not rest[0].startswith("-") and tokens[1] != "--"


def _export_segment(assignments: Mapping[str, str], operator: str) -> Segment:
    """``export NAME=value ...`` as a command of its own: it sets the variables in the shell for every later
    command, which ``NAME=value cmd`` (that one command only, POSIX "Simple Commands") and ``env NAME=value cmd``
    do not, so it is never read as the next command's environment. Its variables in name order, Terraform's log
    levels in upper case (:func:`_environment`), and ``&&`` after it as ``;`` (export of a valid name succeeds)."""
    words = ("export", *_environment("terraform", assignments))
    return Segment(words=words, operator=";" if operator in ("&&", ";") else operator)


def _cat_as_input(commands: list[Command]) -> list[Command]:
    """``cat FILE | CMD`` as ``CMD < FILE``: cat with one file and no option copies that file to its standard
    output unchanged (POSIX ``cat``: https://pubs.opengroup.org/onlinepubs/9799919799/utilities/cat.html), so the
    command after the pipe reads what it would read from ``< FILE``. Kept as written where cat has options or
    several files, or the next command already redirects its input."""
    merged: list[Command] = []
    i = 0
    while i < len(commands):
        command = commands[i]
        after = commands[i + 1] if i + 1 < len(commands) else None
        plain_cat = len(command.words) == 2 and command.words[0] == "cat" and not command.words[1].startswith("-")
        piped = plain_cat and command.operator == "|" and not command.redirects and after is not None
        if piped and after is not None and not any(op.endswith("<") or op == "<>" for op, _ in after.redirects):
            merged.append(replace(after, redirects=(("<", command.words[1]), *after.redirects)))
            i += 2
            continue
        merged.append(command)
        i += 1
    return merged


def _redirects(redirects: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """Redirections with their file read as a path (``> ./plan.json`` writes ``plan.json``); a file descriptor
    (``2>&1``) or a here-document's delimiter (``<<``) is kept as written."""
    return tuple(
        (op, target if "&" in op or op.startswith("<<") or op.endswith("<<") else relative_path(target))
        for op, target in redirects
    )


def _stdin_archive(segment: Segment) -> Segment:
    """``docker load < FILE`` and ``podman load < FILE`` as ``load --input=FILE``: without --input both read the
    archive from standard input ("Load an image from a tar archive or STDIN", -i "Read from tar archive file,
    instead of STDIN": https://docs.docker.com/reference/cli/docker/image/load/; "reads from stdin by default",
    -i "Load the specified input file instead of from stdin": https://docs.podman.io/en/latest/markdown/podman-load.1.html)."""
    if segment.words[:1] not in (("docker",), ("podman",)) or segment.words[1:] != ("load",):
        return segment
    if len(segment.redirects) != 1 or segment.redirects[0][0] != "<":
        return segment
    if any(name == "input" for name, _ in segment.flags):
        return segment
    flags = tuple(sorted((*segment.flags, ("input", segment.redirects[0][1])), key=_flag_key))
    return replace(segment, flags=flags, redirects=())


#: archive formats of podman save that write a directory, which cannot go to standard output
_DIRECTORY_FORMATS = frozenset({"oci-dir", "docker-dir"})


def _stdout_archive(segment: Segment) -> Segment:
    """``docker save IMAGE > FILE`` and ``podman save IMAGE > FILE`` as ``save --output=FILE``: without --output
    both write the archive to standard output ("By default, the command streams to STDOUT", example ``docker
    save busybox > busybox.tar``: https://docs.docker.com/reference/cli/docker/image/save/; "podman save writes to
    STDOUT by default and can be redirected to a file", example ``podman save > alpine-all.tar alpine``:
    https://docs.podman.io/en/latest/markdown/podman-save.1.html). Not with a directory format (``--format
    oci-dir``) or ``>>`` (which appends)."""
    if segment.words[:1] not in (("docker",), ("podman",)) or segment.words[1:2] != ("save",):
        return segment
    if len(segment.redirects) != 1 or segment.redirects[0][0] != ">":
        return segment
    names = dict(segment.flags)
    if "output" in names or names.get("format") in _DIRECTORY_FORMATS:
        return segment
    flags = tuple(sorted((*segment.flags, ("output", segment.redirects[0][1])), key=_flag_key))
    return replace(segment, flags=flags, redirects=())


def _exports(command: Command, before: str) -> dict[str, str] | None:
    """The variables ``export NAME=value ...`` sets for the commands after it, or None when ``command`` is not
    such an export, or runs in a pipeline or after ``||`` (where its variables do not reach what follows)."""
    words = command.words
    if len(words) < 2 or words[0] != "export" or command.redirects:
        return None
    if before not in ("", ";", "&&") or command.operator not in (";", "&&"):
        return None
    if not all(_ASSIGNMENT.fullmatch(word) for word in words[1:]):
        return None
    return dict(word.partition("=")[::2] for word in words[1:])


def parse_command(
    text: str, value_flags: frozenset[str] = frozenset(), defaults: FlagDefaults | None = None
) -> CommandLine:
    """Parse ``text`` into a :class:`CommandLine` in canonical form; never raises on any text.

    ``value_flags`` names flags no table knows that take a value (without dashes: ``"foo"`` for ``--foo``, ``"x"``
    for ``-x``), so that ``--foo bar`` reads like ``--foo=bar``; :func:`learned_value_flags` finds them.
    ``defaults``: the flag defaults of each command; a flag given once with its default is left out.
    """
    commands, problems = split_commands(text)
    commands = _cat_as_input(commands)
    segments: list[Segment] = []
    unknown: list[str] = []
    before = ""
    for number, command in enumerate(commands):
        exports = _exports(command, before) if number + 1 < len(commands) else None
        before = command.operator
        if exports is not None:  # "export TF_LOG=DEBUG" then the command: a command of its own
            segments.append(_export_segment(exports, command.operator))
            continue
        segment, parsed = _segment(command, value_flags, defaults)
        if segment.words or segment.env or segment.redirects:  # "sudo" alone says nothing
            segments.append(segment)
        problems.extend(parsed.problems)
        unknown.extend(parsed.unknown)
    if segments and segments[-1].operator == ";":
        segments[-1] = replace(segments[-1], operator="")
    return CommandLine(tuple(segments), tuple(problems), tuple(dict.fromkeys(unknown)))


def learned_value_flags(texts: Iterable[str]) -> frozenset[str]:
    """Names of flags that some of ``texts`` writes with ``=`` (``--foo=bar``, ``-x=1``), so they take a value."""
    names: set[str] = set()
    for text in texts:
        for command in split_commands(text)[0]:
            for token in command.words:
                if token == "--":
                    break
                if token.startswith("-") and "=" in token:
                    names.add(token.lstrip("-").partition("=")[0])
    return frozenset(names)
