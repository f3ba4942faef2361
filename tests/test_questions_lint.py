"""The question bank's quality gate (``opsprep.questions.lint``): each rule counts what it should, the
command reports it, and the shipped bank is held to the thresholds."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from opsprep.cli import cli
from opsprep.graph.catalog import Catalog
from opsprep.questions import QuestionBank, QuestionItem, QuestionType
from opsprep.questions.facts import Facts, Thing
from opsprep.questions.lint import (
    HYGIENE_RULES,
    THRESHOLDS,
    LintReport,
    hygiene_breaks,
    identifiers,
    lint,
    template_family,
)
from opsprep.questions.scopes import family_iri


@pytest.fixture(scope="module")
def shipped(shipped_bank) -> QuestionBank:
    """The bank of the shipped graph (built once for the session)."""
    return shipped_bank


def _one(bank: QuestionBank, test) -> QuestionItem:
    item = next((i for i in bank.items if test(i)), None)
    if item is None:
        pytest.skip("the shipped bank has no item of that shape")
    return item


def _single(bank: QuestionBank) -> QuestionItem:
    """A single-answer item whose key is a tool."""
    tools = {t.iri for t in bank.facts.of_class("Tool")}
    return _one(bank, lambda i: i.type == QuestionType.SINGLE and i.answers[0].iri in tools and len(i.distractors) >= 3)


def _true_false(bank: QuestionBank) -> QuestionItem:
    return _one(bank, lambda i: i.type == QuestionType.TRUE_FALSE and i.answers[0].key == "true")


def _exam_domains(bank: QuestionBank) -> set[str]:
    return {d.iri for c in bank.catalog if c.is_exam for d in c.domains}


def _lint(bank: QuestionBank, *items: QuestionItem, seeds=(0, 1, 2)) -> LintReport:
    """The lint of a bank of just these items, over the shipped graph's facts."""
    return lint(QuestionBank(bank.facts, list(items)), seeds=seeds)


# --- missing-as-false ------------------------------------------------------------------------------------


def test_the_items_as_generated_have_proven_wrong_options(shipped):
    report = _lint(shipped, _single(shipped), _true_false(shipped))
    assert report.missing_as_false.count == 0
    assert report.missing_as_false.total == 2


def test_a_wrong_option_without_a_proof_is_missing_as_false(shipped):
    item = _single(shipped)
    bad = replace(item, distractors=(replace(item.distractors[0], proof=""), *item.distractors[1:]))
    report = _lint(shipped, bad)
    assert report.missing_as_false.count == 1
    (example,) = report.missing_as_false.examples
    assert example.item == item.id and example.stem == item.stem
    assert item.distractors[0].text in example.detail and "no proof" in example.detail
    assert "missing-as-false: 1 (limit ≤ 0)" in report.failures()


def test_a_proof_the_graph_does_not_bear_out_is_caught(shipped):
    """The proof is re-checked, not trusted: the key offered as a wrong option "complete" is flagged."""
    item = _single(shipped)
    bad = replace(item, distractors=(replace(item.answers[0], proof="complete"), *item.distractors))
    report = _lint(shipped, bad)
    assert report.missing_as_false.count == 1
    assert "does not prove it wrong" in report.missing_as_false.examples[0].detail


def test_a_true_false_item_with_its_key_flipped_is_caught(shipped):
    item = _true_false(shipped)
    (true,), (false,) = item.answers, item.distractors
    flipped = replace(item, answers=(replace(false, proof=""),), distractors=(replace(true, proof="functional"),))
    assert _lint(shipped, flipped).missing_as_false.count == 1


# --- giveaways -------------------------------------------------------------------------------------------


def test_wrong_options_of_another_kind_give_the_key_away(shipped):
    item = _single(shipped)
    services = shipped.facts.of_class("CloudService")[:6]
    others = tuple(replace(item.distractors[0], key=t.iri, iri=t.iri, text=t.label) for t in services)
    report = _lint(shipped, replace(item, distractors=others))
    assert report.giveaways["kind"].count == report.giveaways["kind"].total == 3  # every showing, three seeds
    assert report.giveaways["kind"].rate == 1.0
    assert "giveaway-rate/kind: 100.0 % (limit ≤ 2.0 %)" in report.failures()
    assert all(rates["kind"] == 1.0 for rates in report.giveaways_by_cert.values())


def test_true_false_items_are_not_shown_for_giveaways(shipped):
    report = _lint(shipped, _true_false(shipped))
    assert report.giveaways["any"].total == 0


# --- off-exam --------------------------------------------------------------------------------------------


def test_a_foundations_item_filed_under_an_exam_is_off_exam(shipped):
    item = _one(shipped, lambda i: template_family(i.template) != "exam")
    domain = sorted(_exam_domains(shipped))[0]
    assert _lint(shipped, item).off_exam.count == 0
    report = _lint(shipped, replace(item, domains=(domain,)))
    assert report.off_exam.count == 1
    assert "exam domain" in report.off_exam.examples[0].detail


def test_an_item_about_nothing_its_exam_domain_covers_is_off_exam(shipped):
    exam = _exam_domains(shipped)
    item = _one(shipped, lambda i: bool(exam & set(i.domains)))
    uncovered = next(iri for iri in shipped.facts.things if not shipped.facts.covered_by.get(iri))
    assert _lint(shipped, item).off_exam.count == 0
    assert _lint(shipped, replace(item, about=(uncovered,))).off_exam.count == 1


def test_the_licence_templates_are_foundations_templates():
    assert template_family("tool-license/value") == "projects"
    assert template_family("equivalent") == "cloud"
    assert template_family("tool-category/subject") == "exam"


# --- explanations ----------------------------------------------------------------------------------------


def test_an_option_without_a_note_makes_the_explanation_incomplete(shipped):
    item = _single(shipped)
    bad = replace(item, distractors=(replace(item.distractors[0], note=""), *item.distractors[1:]))
    empty = replace(_true_false(shipped), explanation="")
    report = _lint(shipped, item, bad, empty)
    assert report.explanations.count == 2
    assert report.explanation_completeness == pytest.approx(1 / 3)
    assert {e.detail for e in report.explanations.examples} == {
        f"no note on “{item.distractors[0].text}”",
        "empty explanation",
    }


def test_true_false_options_need_no_note(shipped):
    item = _true_false(shipped)
    (true,), (false,) = item.answers, item.distractors
    bare = replace(item, answers=(replace(true, note=""),), distractors=(replace(false, note=""),))
    assert _lint(shipped, bare).explanations.count == 0


def test_identifiers_are_tools_single_tokens_and_underscored_labels():
    things = {
        f"t:{n}": Thing(f"t:{n}", cls, label)
        for n, (cls, label) in enumerate(
            [
                ("Tool", "kubectl"),
                ("Topic", "depends_on"),
                ("Topic", "kube-proxy"),
                ("Topic", "count and for_each"),
                ("Topic", "canary deployment"),
                ("Topic", "terraform plan"),
                ("Tool", "Terraform"),
            ]
        )
    }
    facts = Facts(things, {i: t.label for i, t in things.items()}, Catalog(), {})
    assert identifiers(facts) == {
        "Kubectl": "kubectl",
        "Depends_on": "depends_on",
        "Kube-proxy": "kube-proxy",
        "Count and for_each": "count and for_each",
    }


def test_a_re_cased_identifier_and_a_doubled_stop_are_flagged(shipped):
    item = _single(shipped)
    form = sorted(identifiers(shipped.facts))[0]
    recased = replace(item, explanation=f"{form} is what you use.")
    stopped = replace(item, explanation="Maintained by HashiCorp Inc..")
    fine = replace(item, explanation="See the guide… and the rest...")
    report = _lint(shipped, recased, stopped, fine)
    assert report.recased.count == 1 and report.recased.examples[0].detail == form
    assert report.doubled_stops.count == 1 and "Inc.." in report.doubled_stops.examples[0].detail


# --- source hygiene --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "rule"),
    [
        ("https://github.com/hashicorp/terraform/blob/main/LICENSE", "licence-file"),
        ("https://raw.githubusercontent.com/git/git/master/COPYING", "licence-file"),
        ("https://docs.aws.amazon.com/AWSJavaSDK/latest/javadoc/com/amazonaws/services/ecr/", "sdk-reference"),
        ("https://docs.aws.amazon.com/sdk-for-java/v1/developer-guide/security-iam.html", "sdk-reference"),
        ("https://docs.aws.amazon.com/goto/boto3/resiliencehub-2020-04-30/ds.html", "sdk-reference"),
        ("https://pkg.go.dev/github.com/aquasecurity/trivy", "sdk-reference"),
        ("https://docs.aws.amazon.com/fr_fr/waf/", "locale-mirror"),
        ("https://docs.aws.amazon.com/zh_TW/whitepapers/latest/x.html", "locale-mirror"),
        ("https://learn.microsoft.com/de-de/azure/logic-apps/", "locale-mirror"),
        ("https://cloud.google.com/kms/docs/hsm?hl=es", "locale-mirror"),
        ("https://docs.amazonaws.cn/en_us/codedeploy/latest/userguide/deployments.html", "locale-mirror"),
        ("https://github.com/cortexproject", "github-profile"),
        ("https://www.github.com/litmuschaos/", "github-profile"),
        ("http://kubernetes.io/docs/concepts/", "not-https"),
    ],
)
def test_each_hygiene_rule_catches_its_pages(url, rule):
    assert [r for r, test in HYGIENE_RULES.items() if test(url)] == [rule]


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/hashicorp/terraform",
        "https://github.com/containerd/go-runc",
        "https://github.com/features/actions",
        "https://github.com/pricing",
        "https://learn.microsoft.com/en-us/azure/azure-monitor/",
        "https://cloud.google.com/kms/docs?hl=en",
        "https://docs.aws.amazon.com/codedeploy/latest/userguide/welcome.html",
        "https://kubernetes.io/docs/reference/kubectl/",
    ],
)
def test_good_pages_break_no_hygiene_rule(url):
    assert [rule for rule, test in HYGIENE_RULES.items() if test(url)] == []


def test_a_licence_file_is_fine_on_a_licence_item_only(shipped):
    item = _single(shipped)
    licence = "https://github.com/hashicorp/terraform/blob/main/LICENSE"
    cited = replace(item, sources=(*item.sources, licence))
    assert hygiene_breaks(cited) == {"licence-file": licence}
    assert hygiene_breaks(replace(cited, template="tool-license/value")) == {}
    report = _lint(shipped, item, cited)
    assert report.hygiene["licence-file"].count == 1
    assert report.hygiene["licence-file"].examples[0].detail == licence


# --- repetition and coverage -----------------------------------------------------------------------------


def test_a_stem_asked_too_often_fails(shipped):
    item = _single(shipped)
    limit = int(THRESHOLDS["identical-stems"].limit)
    copies = [replace(item, id=f"{item.id}-{n}") for n in range(limit + 1)]
    assert _lint(shipped, *copies[:limit], seeds=()).largest_stem_count == limit
    report = _lint(shipped, *copies, seeds=())
    assert report.stems[0] == (item.stem, limit + 1)
    assert report.templates == {item.template: limit + 1}
    assert f"identical-stems: {limit + 1} (limit ≤ {limit})" in report.failures()


def test_coverage_counts_items_per_exam_domain(shipped):
    exam = _exam_domains(shipped)
    item = _one(shipped, lambda i: bool(exam & set(i.domains)))
    report = _lint(shipped, item, seeds=())
    assert set(report.coverage) == {c.code for c in shipped.catalog if c.is_exam}
    counts = [n for domains in report.coverage.values() for n in domains.values()]
    assert sum(counts) == len(exam & set(item.domains))
    assert report.smallest_domain[2] == 0
    assert any(f.startswith("smallest-exam-domain: 0 (limit ≥ 40)") for f in report.failures())
    assert family_iri("projects") not in {d for c in shipped.catalog if c.is_exam for d in c.domain_iris}


def test_the_report_is_json_ready_and_its_verdict_follows_the_checks(shipped):
    report = lint(shipped, seeds=(0,))
    data = json.loads(json.dumps(report.to_dict()))
    assert data["ok"] is report.ok is all(c.ok for c in report.checks())
    assert len(data["failures"]) == sum(not c.ok for c in report.checks())
    assert data["items"] == len(shipped)
    assert data["coverage"]["domains"] == report.coverage


def test_lint_of_one_certification(shipped):
    report = lint(shipped, seeds=(0,), cert="CKA")
    cka = shipped.catalog.certification("CKA")
    assert report.scope == "CKA"
    assert report.items == len(shipped.for_certification(cka))
    assert list(report.coverage) == ["CKA"]


# --- the command -----------------------------------------------------------------------------------------


def test_lint_command_json(runner, shipped):
    result = runner.invoke(cli, ["questions", "lint", "--json"])
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    data = json.loads(result.stdout)
    for key in ("ok", "failures", "checks", "missing_as_false", "giveaways", "off_exam", "explanations"):
        assert key in data
    for key in ("recased_identifiers", "doubled_stops", "hygiene", "repetition", "coverage", "thresholds"):
        assert key in data
    assert result.exit_code == (0 if data["ok"] else 1)
    assert data["ok"] == lint(shipped).ok


def test_lint_command_text(runner):
    result = runner.invoke(cli, ["questions", "lint", "--cert", "cka"])
    assert result.exit_code in (0, 1), result.output
    assert result.stdout.startswith("Question bank lint (CKA): ")
    assert "missing-as-false" in result.stdout and "smallest-exam-domain" in result.stdout
    if result.exit_code:
        assert "checks fail:" in result.stderr and "FAIL " in result.stdout
    else:
        assert "checks hold." in result.stdout


def test_lint_command_unknown_certification(runner):
    result = runner.invoke(cli, ["questions", "lint", "--cert", "XYZ-999"])
    assert result.exit_code == 2
    assert result.output.startswith("Error: There is no certification 'XYZ-999'.")


# --- the gate --------------------------------------------------------------------------------------------


def test_shipped_bank_passes_the_lint(shipped):
    report = lint(shipped)
    assert report.ok, "\n".join(report.failures())
