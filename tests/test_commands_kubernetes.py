"""The kubectl, kubeadm, etcdctl/etcdutl and helm command facts: they conform to the shapes, and every worked
example is a command line of its own command that uses only declared flags with allowed values."""

from __future__ import annotations

import shlex
from collections import Counter
from dataclasses import dataclass, field

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from opsprep.graph.namespaces import ID, OPS
from opsprep.graph.store import DATA_DIR, ONTOLOGY_FILE, load_graph
from opsprep.graph.validate import validate_files

FACTS_FILE = DATA_DIR / "commands-kubernetes.ttl"
#: the files whose nodes the command facts link to (tools, API kinds)
LINKED_FILES = [DATA_DIR / "tools-delivery.ttl", DATA_DIR / "k8s-api.ttl"]
TOOLS = {URIRef(f"{ID}tool/{name}") for name in ("kubectl", "kubeadm", "helm", "etcd")}
OFFICIAL = ("https://kubernetes.io/docs/", "https://helm.sh/docs/", "https://etcd.io/docs/")


@dataclass(frozen=True)
class Flag:
    iri: str
    name: str
    short: str
    takes_value: bool
    optional: bool
    allowed: frozenset[str]
    default: str | None


@dataclass
class Command:
    iri: str
    label: str
    aliases: tuple[str, ...]
    parent: str | None
    flags: dict[str, Flag] = field(default_factory=dict)  # by long and by short name


@dataclass(frozen=True)
class Example:
    iri: str
    command: str
    task: str
    lines: tuple[str, ...]  # the command text first, then the other accepted lines


@dataclass
class Facts:
    commands: dict[str, Command]
    examples: list[Example]

    def root(self, command: Command) -> Command:
        while command.parent:
            command = self.commands[command.parent]
        return command

    def flags_for(self, command: Command) -> dict[str, Flag]:
        """The command's own flags and the global flags of its tool's root command."""
        return {**self.root(command).flags, **command.flags}


def _text(graph: Graph, subject, predicate) -> str | None:
    value = graph.value(subject, predicate)
    return None if value is None else str(value)


def read_facts(graph: Graph) -> Facts:
    commands: dict[str, Command] = {}
    for subject in graph.subjects(RDF.type, OPS.Command):
        if graph.value(subject, OPS.commandOf) not in TOOLS:
            continue
        parent = graph.value(subject, OPS.subcommandOf)
        commands[str(subject)] = Command(
            iri=str(subject),
            label=_text(graph, subject, SKOS.prefLabel) or "",
            aliases=tuple(sorted(str(a) for a in graph.objects(subject, SKOS.altLabel))),
            parent=None if parent is None else str(parent),
        )
    for subject in graph.subjects(RDF.type, OPS.CommandFlag):
        command = commands.get(str(graph.value(subject, OPS.flagOf)))
        if command is None:
            continue
        flag = Flag(
            iri=str(subject),
            name=_text(graph, subject, OPS.flagName) or "",
            short=_text(graph, subject, OPS.shortFlag) or "",
            takes_value=graph.value(subject, OPS.takesValue) == Literal(True),
            optional=graph.value(subject, OPS.valueOptional) == Literal(True),
            allowed=frozenset(str(v) for v in graph.objects(subject, OPS.allowedValue)),
            default=_text(graph, subject, OPS.defaultValue),
        )
        command.flags[flag.name] = flag
        if flag.short:
            command.flags[flag.short] = flag
    examples = []
    for subject in graph.subjects(RDF.type, OPS.CommandExample):
        command = str(graph.value(subject, OPS.exampleOf))
        if command not in commands:
            continue
        also = sorted(str(a) for a in graph.objects(subject, OPS.alsoAccepted))
        examples.append(
            Example(
                iri=str(subject),
                command=command,
                task=_text(graph, subject, OPS.task) or "",
                lines=(_text(graph, subject, OPS.commandText) or "", *also),
            )
        )
    return Facts(commands, sorted(examples, key=lambda e: e.iri))


@dataclass
class Parsed:
    positional: list[str]
    flags: list[tuple[str, Flag | None, str | None]]  # (name as typed, declared flag, value given)
    bare_optional: list[tuple[Flag, str | None]]  # an optional-value flag given alone, and the word after it


def parse(line: str, flags: dict[str, Flag]) -> Parsed:
    """Split a command line the way the tools' flag parser (pflag) does: long flags with =value or a following
    value, clusters of short flags (-it), a value attached to a short flag (-n=shop), and -- ending the flags."""
    words = shlex.split(line)
    out = Parsed([], [], [])
    i = 0
    while i < len(words):
        word = words[i]
        if word == "--":
            break
        if word.startswith("--"):
            name, eq, value = word.partition("=")
            flag = flags.get(name)
            if flag and flag.takes_value and not eq:
                if flag.optional:
                    out.bare_optional.append((flag, words[i + 1] if i + 1 < len(words) else None))
                    value = None
                else:
                    i += 1
                    value = words[i] if i < len(words) else None
            out.flags.append((name, flag, value if (eq or value) else None))
        elif word.startswith("-") and len(word) > 1:
            letters = word[1:]
            for j, letter in enumerate(letters):
                name = "-" + letter
                flag = flags.get(name)
                if letters[j + 1 : j + 2] == "=":  # -w=false, -n=shop
                    out.flags.append((name, flag, letters[j + 2 :]))
                    break
                if flag and flag.takes_value:
                    rest = letters[j + 1 :]
                    if rest:
                        value = rest
                    else:
                        i += 1
                        value = words[i] if i < len(words) else None
                    out.flags.append((name, flag, value))
                    break
                out.flags.append((name, flag, None))
        else:
            out.positional.append(word)
        i += 1
    return out


@pytest.fixture(scope="module")
def facts() -> Facts:
    return read_facts(load_graph([ONTOLOGY_FILE, *LINKED_FILES, FACTS_FILE]))


def each_line(facts: Facts):
    for example in facts.examples:
        command = facts.commands[example.command]
        for line in example.lines:
            yield example, command, line, parse(line, facts.flags_for(command))


def test_command_facts_conform_to_the_shapes():
    report = validate_files([ONTOLOGY_FILE, *LINKED_FILES, FACTS_FILE])
    mine = [str(v) for v in report.violations if any(f.endswith(FACTS_FILE.name) for f in v.files)]
    assert mine == []


def test_broken_command_facts_are_caught(tmp_path):
    broken = tmp_path / "broken-commands.ttl"
    broken.write_text(
        """
@prefix ops: <https://w3id.org/opsprep/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix cmd: <https://w3id.org/opsprep/id/command/> .
@prefix k8s: <https://w3id.org/opsprep/id/k8s/> .

cmd:kubectl-frobnicate a ops:Command ; skos:prefLabel "kubectl frobnicate"@en ;
    skos:definition "A command that does not exist, to check the shapes."@en ;
    ops:subcommandOf cmd:kubectl-frobnicate-parent ; ops:targetsKind k8s:core-v1-Nothing ;
    dcterms:source <https://kubernetes.io/docs/reference/kubectl/> .
cmd:kubectl-frobnicate-parent a ops:Command ; skos:prefLabel "kubectl frob"@en ;
    skos:definition "The parent of a command that does not exist."@en ;
    ops:subcommandOf cmd:kubectl-frobnicate ; dcterms:source <https://kubernetes.io/docs/reference/kubectl/> .
cmd:kubectl-frobnicate--all a ops:CommandFlag ; ops:flagOf cmd:kubectl-frobnicate ; ops:flagName "--all" ;
    ops:takesValue false ; ops:valueOptional true ; skos:definition "A switch cannot have an optional value."@en ;
    dcterms:source <https://kubernetes.io/docs/reference/kubectl/> .
cmd:kubectl-frobnicate-ex1 a ops:CommandExample ; ops:exampleOf cmd:kubectl-frobnicate ;
    ops:task "Frobnicate every Pod of the namespace."@en ;
    dcterms:source <https://kubernetes.io/docs/reference/kubectl/> .
"""
    )
    report = validate_files([ONTOLOGY_FILE, broken])
    found = {(v.focus, v.path) for v in report.violations}
    assert ("cmd:kubectl-frobnicate", "ops:targetsKind") in found
    assert ("cmd:kubectl-frobnicate--all", "ops:takesValue") in found
    assert ("cmd:kubectl-frobnicate-ex1", "ops:commandText") in found


def test_there_are_enough_commands_flags_and_examples(facts):
    tools = Counter(facts.root(c).label for c in facts.commands.values())
    assert {"kubectl", "kubeadm", "etcdctl", "etcdutl", "helm"} <= set(tools)
    assert len(facts.examples) >= 150
    assert sum(len(set(c.flags.values())) for c in facts.commands.values()) >= 150
    parents = {c.parent for c in facts.commands.values()}
    with_examples = {e.command for e in facts.examples}
    leaves_without_examples = [
        c.label for c in facts.commands.values() if c.iri not in parents and c.iri not in with_examples
    ]
    assert leaves_without_examples == []


def test_iris_follow_the_naming_scheme(facts):
    wrong = []
    for command in facts.commands.values():
        if command.iri != f"{ID}command/{command.label.replace(' ', '-')}":
            wrong.append(command.iri)
        for flag in set(command.flags.values()):
            if flag.iri != f"{command.iri}--{flag.name.lstrip('-')}":
                wrong.append(flag.iri)
    for example in facts.examples:
        if not example.iri.removeprefix(example.command).startswith("-ex"):
            wrong.append(example.iri)
    assert wrong == []


def test_a_subcommand_adds_one_word_to_its_parent(facts):
    wrong = []
    for command in facts.commands.values():
        if command.parent is None:
            ok = " " not in command.label
        else:
            parent = facts.commands[command.parent].label
            ok = command.label.startswith(parent + " ") and " " not in command.label[len(parent) + 1 :]
        if not ok:
            wrong.append(command.label)
    assert wrong == []


def test_every_example_line_starts_with_its_command_words(facts):
    wrong = []
    for example, command, line, parsed in each_line(facts):
        forms = [command.label, *command.aliases]
        if not any(parsed.positional[: len(f.split())] == f.split() for f in forms):
            wrong.append((example.iri, line))
    assert wrong == []


def test_every_flag_of_an_example_is_declared_for_its_command_or_tool(facts):
    undeclared = [
        (example.iri, name)
        for example, _, _, parsed in each_line(facts)
        for name, flag, _ in parsed.flags
        if flag is None
    ]
    assert undeclared == []


def test_flag_values_in_examples_are_allowed_values(facts):
    wrong = []
    for example, _, _, parsed in each_line(facts):
        for name, flag, value in parsed.flags:
            if flag is None:
                continue
            if flag.takes_value and not flag.optional and value is None:
                wrong.append((example.iri, name, "missing value"))
            if not flag.takes_value and value is not None and value not in ("true", "false"):
                wrong.append((example.iri, name, value))
            if flag.allowed and value is not None and value.split("=", 1)[0] not in flag.allowed:
                wrong.append((example.iri, name, value))
    assert wrong == []


def test_optional_values_are_attached_with_an_equals_sign(facts):
    # pflag never reads the next word as the value of such a flag: "--dry-run client" is a mistake
    wrong = [
        (example.iri, flag.name, after)
        for example, _, _, parsed in each_line(facts)
        for flag, after in parsed.bare_optional
        if after in flag.allowed
    ]
    assert wrong == []


def test_tasks_are_unique_and_lines_differ(facts):
    tasks = Counter(e.task for e in facts.examples)
    assert [task for task, n in tasks.items() if n > 1] == []
    assert [e.iri for e in facts.examples if len(set(e.lines)) != len(e.lines)] == []


def test_switches_default_to_true_or_false(facts):
    wrong = [
        flag.iri
        for command in facts.commands.values()
        for flag in command.flags.values()
        if not flag.takes_value and (flag.allowed or flag.default not in (None, "true", "false"))
    ]
    assert wrong == []


def test_sources_are_official_documentation_pages(facts):
    graph = load_graph([ONTOLOGY_FILE, FACTS_FILE])
    subjects = {URIRef(c.iri) for c in facts.commands.values()}
    subjects |= {URIRef(f.iri) for c in facts.commands.values() for f in c.flags.values()}
    subjects |= {URIRef(e.iri) for e in facts.examples}
    unofficial = sorted(
        str(source)
        for subject in subjects
        for source in graph.objects(subject, DCTERMS.source)
        if not str(source).startswith(OFFICIAL)
    )
    assert unofficial == []
    assert all(any(True for _ in graph.objects(s, DCTERMS.source)) for s in subjects)


@pytest.mark.parametrize(
    ("line", "positional", "flags"),
    [
        ("kubectl exec -it web-0 -- ls -la", ["kubectl", "exec", "web-0"], ["-i", "-t"]),
        ("kubectl get pods -n shop -o=wide", ["kubectl", "get", "pods"], ["-n", "-o"]),
        ("kubectl rollout status ds/x -w=false", ["kubectl", "rollout", "status", "ds/x"], ["-w"]),
        ("kubectl logs -pc ruby web-1", ["kubectl", "logs", "web-1"], ["-p", "-c"]),
        (
            "kubectl create deployment web --image x --dry-run=client",
            ["kubectl", "create", "deployment", "web"],
            ["--image", "--dry-run"],
        ),
        ("etcdutl --data-dir /tmp/d snapshot restore s.db", ["etcdutl", "snapshot", "restore", "s.db"], ["--data-dir"]),
    ],
)
def test_the_line_parser_splits_flags_like_pflag(line, positional, flags):
    declared = {
        name: Flag(
            name,
            name,
            "",
            takes_value=name not in ("-i", "-t", "-w", "-p"),
            optional=name == "--dry-run",
            allowed=frozenset(),
            default=None,
        )
        for name in ("-i", "-t", "-n", "-o", "-w", "-p", "-c", "--image", "--dry-run", "--data-dir")
    }
    parsed = parse(line, declared)
    assert parsed.positional == positional
    assert [name for name, _, _ in parsed.flags] == flags
