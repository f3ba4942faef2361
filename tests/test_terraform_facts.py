"""Terraform CLI and language facts (graph/data/commands-terraform.ttl, graph/data/terraform-language.ttl).

The shipped nodes conform to their shapes, every HCL snippet parses with python-hcl2, every command example
is a command line of its own command that uses only that command's declared flags, and the language nodes
hang together (links resolve, mutual exclusion is symmetric, instance addresses follow their patterns).
"""

from __future__ import annotations

import re
import shlex
from collections import Counter
from dataclasses import dataclass

import hcl2
import pytest
from rdflib import Literal, URIRef

from opsprep.graph import default_graph
from opsprep.graph.namespaces import OPS
from opsprep.graph.store import ONTOLOGY_FILE
from opsprep.graph.validate import validate_files

CMD = "https://w3id.org/opsprep/id/command/"
HCL = "https://w3id.org/opsprep/id/hcl/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SOURCE = URIRef("http://purl.org/dc/terms/source")
TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = URIRef(SKOS + "prefLabel")
FILES = ("graph/data/commands-terraform.ttl", "graph/data/terraform-language.ttl")
LANGUAGE_CLASSES = (OPS.ConfigBlock, OPS.MetaArgument, OPS.BlockArgument, OPS.ExpressionObject)


@pytest.fixture(scope="module")
def graph():
    return default_graph()


@dataclass(frozen=True)
class Flag:
    name: str
    takes_value: bool
    boolean: bool


@dataclass(frozen=True)
class CommandLine:
    """A command line split into the command it runs and the flags it uses."""

    command: str  # the IRI of the resolved command
    flags: tuple[tuple[str, str | None], ...]  # (flag name, value or None)
    arguments: tuple[str, ...]


def _one(graph, subject, predicate) -> str | None:
    values = [str(o) for o in graph.objects(subject, predicate)]
    return values[0] if values else None


@pytest.fixture(scope="module")
def commands(graph) -> dict[str, str]:
    """Terraform command IRI -> its words."""
    found = {}
    for s in graph.subjects(TYPE, OPS.Command):
        if str(s).startswith(CMD + "terraform"):
            found[str(s)] = _one(graph, s, LABEL)
    return found


@pytest.fixture(scope="module")
def flags(graph, commands) -> dict[str, dict[str, Flag]]:
    """Terraform command IRI -> flag name -> flag."""
    table: dict[str, dict[str, Flag]] = {c: {} for c in commands}
    for s in graph.subjects(TYPE, OPS.CommandFlag):
        command = _one(graph, s, OPS.flagOf)
        if command in table:
            name = _one(graph, s, OPS.flagName)
            table[command][name] = Flag(
                name=name,
                takes_value=_one(graph, s, OPS.takesValue) == "true",
                boolean=_one(graph, s, OPS.booleanFlag) == "true",
            )
    return table


@pytest.fixture(scope="module")
def examples(graph, commands) -> list[dict]:
    out = []
    for s in graph.subjects(TYPE, OPS.CommandExample):
        command = _one(graph, s, OPS.exampleOf)
        if command in commands:
            out.append(
                {
                    "iri": str(s),
                    "command": command,
                    "task": _one(graph, s, OPS.task),
                    "text": _one(graph, s, OPS.commandText),
                    "also": sorted(str(o) for o in graph.objects(s, OPS.alsoAccepted)),
                    "sources": sorted(str(o) for o in graph.objects(s, SOURCE)),
                }
            )
    return sorted(out, key=lambda e: e["iri"])


@pytest.fixture(scope="module")
def code_examples(graph) -> list[dict]:
    out = []
    for s in graph.subjects(TYPE, OPS.CodeExample):
        if str(s).startswith(HCL):
            out.append(
                {
                    "iri": str(s),
                    "code": _one(graph, s, OPS.code),
                    "language": _one(graph, s, OPS.language),
                    "of": sorted(str(o) for o in graph.objects(s, OPS.exampleOf)),
                }
            )
    return sorted(out, key=lambda e: e["iri"])


def parse_command_line(text: str, commands: dict[str, str], flags: dict[str, dict[str, Flag]]) -> CommandLine:
    """Resolve a terraform command line to its command (the longest matching words after the global options)
    and its flags; raise ValueError for an undeclared flag or a malformed one."""
    tokens = shlex.split(text)
    if not tokens or tokens[0] != "terraform":
        raise ValueError(f"does not start with terraform: {text!r}")
    root = CMD + "terraform"
    rest = tokens[1:]
    used: list[tuple[str, str | None]] = []
    while rest and rest[0].startswith("-"):  # global options come before the subcommand
        name, _, value = rest[0].partition("=")
        if name not in flags[root]:
            break
        if flags[root][name].takes_value and not value:
            value, rest = (rest[1] if len(rest) > 1 else ""), rest[1:]
        used.append((name, value or None))
        rest = rest[1:]
    by_words = {tuple(words.split()): iri for iri, words in commands.items()}
    words = ["terraform"]
    command = root
    for token in rest:
        if token.startswith("-") or tuple(words + [token]) not in by_words:
            break
        words.append(token)
        command = by_words[tuple(words)]
    rest = rest[len(words) - 1 :]
    if command == root and rest and not rest[0].startswith("-"):
        raise ValueError(f"unknown subcommand in {text!r}")
    declared = flags[command] | ({} if command == root else flags[root])
    arguments: list[str] = []
    i = 0
    while i < len(rest):
        token = rest[i]
        if token.startswith("-") and token != "-":
            name, _, value = token.partition("=")
            if name not in declared:
                raise ValueError(f"{name} is not a declared flag of {commands[command]!r}: {text!r}")
            flag = declared[name]
            if flag.boolean and value and value not in ("true", "false"):
                raise ValueError(f"{name} is a switch and takes only =true or =false: {text!r}")
            if not flag.takes_value and not flag.boolean and value:
                raise ValueError(f"{name} takes no value: {text!r}")
            if flag.takes_value and not value:
                if i + 1 >= len(rest):
                    raise ValueError(f"{name} needs a value: {text!r}")
                value = rest[i + 1]
                i += 1
            used.append((name, value or None))
        else:
            arguments.append(token)
        i += 1
    return CommandLine(command, tuple(used), tuple(arguments))


# ---------------------------------------------------------------- shapes


@pytest.fixture(scope="module")
def report(shipped_validation):
    return shipped_validation


def test_terraform_files_conform_to_the_shapes(report):
    mine = [v for v in report.violations if set(v.files) & set(FILES)]
    assert mine == [], "\n".join(str(v) for v in mine)


def test_shapes_catch_broken_terraform_facts(tmp_path):
    broken = tmp_path / "broken.ttl"
    broken.write_text(
        """
@prefix ops: <https://w3id.org/opsprep/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix hcl: <https://w3id.org/opsprep/id/hcl/> .
@prefix cmd: <https://w3id.org/opsprep/id/command/> .

hcl:first a ops:MetaArgument ; skos:prefLabel "first"@en ;
    skos:definition "A meta-argument used only to test the shapes."@en ;
    ops:mutuallyExclusiveWith hcl:second ; dcterms:source <https://developer.hashicorp.com/terraform/language> .
hcl:second a ops:MetaArgument ; skos:prefLabel "second"@en ;
    skos:definition "Another meta-argument used only to test the shapes."@en ;
    ops:sinceVersion "one point five" ; dcterms:source <https://developer.hashicorp.com/terraform/language> .
hcl:first-ex1 a ops:CodeExample ; ops:code "count = 1" ; ops:language "hcl" ; ops:exampleOf hcl:first ;
    dcterms:source <https://developer.hashicorp.com/terraform/language> .
cmd:terraform-x a ops:Command ; skos:prefLabel "terraform x"@en ;
    skos:definition "A command that exists only to test the shapes."@en ;
    dcterms:source <https://developer.hashicorp.com/terraform/cli/commands> .
cmd:terraform-x--y a ops:CommandFlag ; ops:flagOf cmd:terraform-x ; ops:flagName "-y" ;
    skos:definition "A flag without ops:takesValue."@en ;
    dcterms:source <https://developer.hashicorp.com/terraform/cli> .
cmd:terraform-x-ex1 a ops:CommandExample ; ops:exampleOf cmd:terraform-x ; ops:commandText "terraform x" ;
    dcterms:source <https://developer.hashicorp.com/terraform/cli/commands> .
"""
    )
    report = validate_files([ONTOLOGY_FILE, broken])
    found = {(v.focus, v.path) for v in report.violations}
    assert ("hcl:first-ex1", "ops:behaviour") in found
    assert ("hcl:second", "ops:sinceVersion") in found
    assert ("cmd:terraform-x--y", "ops:takesValue") in found
    assert ("cmd:terraform-x-ex1", "ops:task") in found
    assert any(v.focus == "cmd:terraform-x" and "ops:commandOf" in v.message for v in report.violations)
    assert any(v.focus == "hcl:first" and "not the other way round" in v.message for v in report.violations)


# ---------------------------------------------------------------- code


def test_there_are_enough_code_examples(code_examples):
    assert len(code_examples) >= 40


def test_every_code_example_parses_with_python_hcl2(code_examples):
    failures = []
    for example in code_examples:
        try:
            hcl2.loads(example["code"] + "\n")
        except Exception as exc:  # the parser raises lark errors of several kinds
            failures.append(f"{example['iri']}: {exc}")
    assert failures == []


def test_code_examples_are_small_hcl_snippets(code_examples):
    for example in code_examples:
        assert example["language"] == "hcl", example["iri"]
        assert 3 <= len(example["code"].splitlines()) <= 15, example["iri"]
    assert len({e["code"] for e in code_examples}) == len(code_examples), "two code examples share their code"


def test_every_block_skeleton_parses(graph):
    failures = []
    for subject, skeleton in graph.subject_objects(OPS.blockSyntax):
        if str(subject).startswith(HCL):
            try:
                hcl2.loads(str(skeleton) + "\n")
            except Exception as exc:
                failures.append(f"{subject}: {exc}")
    assert failures == []


def test_code_examples_show_language_nodes(graph, code_examples):
    for example in code_examples:
        for thing in example["of"]:
            kinds = set(graph.objects(URIRef(thing), TYPE))
            assert kinds & set(LANGUAGE_CLASSES), f"{example['iri']} shows {thing}, which is no language node"


def test_blocks_and_meta_arguments_link_to_an_exam_topic(graph):
    for cls in (OPS.ConfigBlock, OPS.MetaArgument):
        for node in graph.subjects(TYPE, cls):
            topics = list(graph.objects(node, URIRef(SKOS + "exactMatch"))) + list(
                graph.objects(node, URIRef(SKOS + "broadMatch"))
            )
            assert topics, f"{node} has no skos:exactMatch or skos:broadMatch topic"
            for topic in topics:
                assert (topic, TYPE, OPS.Topic) in graph, f"{node} links to {topic}, which is no topic"


def test_mutual_exclusion_is_stated_both_ways(graph):
    pairs = {(str(a), str(b)) for a, b in graph.subject_objects(OPS.mutuallyExclusiveWith)}
    assert (HCL + "count", HCL + "for_each") in pairs
    assert {(b, a) for a, b in pairs} == pairs


def _address_pattern(rule: str) -> re.Pattern:
    parts = {
        "<TYPE>": r"[a-z][a-z0-9_]*",
        "<NAME>": r"[A-Za-z_][A-Za-z0-9_-]*",
        "<INDEX>": r"[0-9]+",
        "<KEY>": r'"[^"]+"',
    }
    regex = re.escape(rule)
    for placeholder, part in parts.items():
        regex = regex.replace(re.escape(placeholder), part)
    return re.compile(regex + r"\Z")


def test_instance_addresses_follow_their_rule(graph):
    checked = 0
    for node, rule in graph.subject_objects(OPS.instanceAddress):
        for example in graph.objects(node, URIRef(SKOS + "example")):
            assert _address_pattern(str(rule)).match(str(example)), f"{node}: {example} does not fit {rule}"
            checked += 1
    assert checked >= 4


def test_count_and_for_each_name_their_expression_objects(graph):
    symbols = {
        str(meta).rsplit("/", 1)[1]: {
            str(graph.value(o, OPS.symbol)) for o in graph.objects(meta, OPS.expressionObject)
        }
        for meta in (URIRef(HCL + "count"), URIRef(HCL + "for_each"))
    }
    assert symbols == {"count": {"count.index"}, "for_each": {"each.key", "each.value"}}


# ---------------------------------------------------------------- commands


def test_there_are_enough_command_examples(examples):
    assert len(examples) >= 80


def test_every_example_runs_its_own_command_with_declared_flags(examples, commands, flags):
    for example in examples:
        line = parse_command_line(example["text"], commands, flags)
        assert line.command == example["command"], f"{example['iri']}: {example['text']!r} runs {line.command}"


def test_also_accepted_lines_are_terraform_commands_with_declared_flags(examples, commands, flags):
    for example in examples:
        for text in example["also"]:
            parse_command_line(text, commands, flags)  # raises on an undeclared or malformed flag
            assert text != example["text"], example["iri"]


def test_the_parser_refuses_undeclared_and_malformed_flags(commands, flags):
    good = parse_command_line("terraform -chdir=infra plan -out tfplan -lock=false", commands, flags)
    assert good.command == CMD + "terraform-plan"
    assert good.flags == (("-chdir", "infra"), ("-out", "tfplan"), ("-lock", "false"))
    for bad in (
        "terraform plan --outfile=tfplan",  # no such flag
        "terraform plan -auto-approve",  # a flag of apply, not of plan
        "terraform plan -destroy=yes",  # a switch with a value
        "terraform plan -lock=no",  # a boolean switch takes only true or false
        "terraform plan -no-color=true",  # matched as an exact word, so it takes no value
        "terraform plan -out",  # a value flag without its value
        "terraform deploy",  # no such subcommand
        "tf plan",
    ):
        with pytest.raises(ValueError):
            parse_command_line(bad, commands, flags)


def test_tasks_are_unique_and_command_lines_not_repeated(examples):
    tasks = Counter(e["task"] for e in examples)
    assert [t for t, n in tasks.items() if n > 1] == []
    lines = Counter((e["command"], e["text"]) for e in examples)
    assert [line for line, n in lines.items() if n > 1] == []


def test_every_leaf_command_has_an_example(graph, commands, examples):
    parents = {str(o) for s in commands for o in graph.objects(URIRef(s), OPS.subcommandOf)}
    shown = {e["command"] for e in examples}
    leaves = set(commands) - parents
    assert sorted(leaves - shown) == []


def test_command_examples_cite_hashicorp_pages(examples):
    for example in examples:
        assert example["sources"], example["iri"]
        assert all(s.startswith("https://developer.hashicorp.com/terraform/") for s in example["sources"]), example


def test_flags_shared_by_plan_and_apply_agree(flags):
    plan, apply = flags[CMD + "terraform-plan"], flags[CMD + "terraform-apply"]
    shared = set(plan) & set(apply)
    assert {"-replace", "-target", "-var", "-var-file", "-destroy", "-refresh-only"} <= shared
    for name in shared:
        assert plan[name] == apply[name], name


def test_deprecated_commands_point_to_their_replacement(graph, commands):
    deprecated = [URIRef(c) for c in commands if (URIRef(c), OPS.deprecated, Literal(True)) in graph]
    assert {str(c).rsplit("/", 1)[1] for c in deprecated} == {"terraform-refresh", "terraform-taint"}
    for command in deprecated:
        replacement = graph.value(command, OPS.replacedBy)
        assert (replacement, TYPE, OPS.CommandFlag) in graph, command
