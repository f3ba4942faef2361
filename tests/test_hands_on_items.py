"""Hands-on items: tasks whose model answers meet their own requirements, code-reading and command items
whose keys are re-derived from the item itself, typed items whose accepted forms are accepted."""

from __future__ import annotations

import dataclasses
import json
import random
import re
from functools import cache

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from opsprep.graph import default_graph
from opsprep.graph.k8s_api import validate_manifest
from opsprep.questions import QuestionType, Response, build_bank, grade_response, present
from opsprep.questions.bank import HANDS_ON_TYPES
from opsprep.questions.command_items import command_items
from opsprep.questions.hands_on_common import Context
from opsprep.questions.hands_on_proof import hands_on_unproven, is_hands_on
from opsprep.questions.hcl_items import hcl_items
from opsprep.questions.manifest_tasks import manifest_items


@pytest.fixture(scope="module")
def bank():
    return build_bank(default_graph())


def _of(bank, *families):
    return [i for i in bank.items if i.template.split("/", 1)[0] in families]


def test_every_hands_on_family_yields_items(bank):
    for family in ("k8s-task", "k8s-fix", "k8s-read", "command-typed", "command-choice", "hcl-read"):
        assert len(_of(bank, family)) >= 20, family


def test_every_task_model_answer_validates_and_meets_its_requirements(bank):
    tasks = _of(bank, "k8s-task", "k8s-fix")
    for item in tasks:
        response = item.response
        for doc in yaml.safe_load_all(response.model_answer):
            assert validate_manifest(doc) == [], (item.id, doc.get("kind"))
        verdict = grade_response(response, response.model_answer)
        assert verdict.correct and verdict.score == 1.0, (item.id, verdict.problems, verdict.results)
        assert "&id" not in response.model_answer and "*id" not in response.model_answer  # no YAML aliases shown
        assert len(verdict.results) == len(response.requirements)
        assert all(r.fact for r in response.requirements), item.id


def test_every_fix_starter_fails(bank):
    for item in _of(bank, "k8s-fix"):
        verdict = grade_response(item.response, item.response.starter)
        assert not verdict.correct, item.id
        assert verdict.problems or any(not r.met for r in verdict.results), item.id


def test_requirements_fail_alone(bank):
    """Each requirement is checked: the model answer with that value changed fails that requirement."""
    from opsprep.questions.manifest_tasks import _set_path, dump

    checked = 0
    for item in _of(bank, "k8s-task")[:40]:
        docs = list(yaml.safe_load_all(item.response.model_answer))
        for req in item.response.requirements:
            value = json.loads(req.value)
            if req.op != "equals" or isinstance(value, bool) or not isinstance(value, int | str):
                continue
            if req.path in ("kind", "apiVersion"):
                continue
            changed = [dict(d) for d in yaml.safe_load_all(item.response.model_answer)]
            if not _set_path(changed, req, value + 1 if isinstance(value, int) else value + "x"):
                continue
            verdict = grade_response(item.response, dump(changed))
            unmet = [r.id for r in verdict.results if not r.met]
            assert req.id in unmet, (item.id, req.text)
            checked += 1
        assert docs
    assert checked > 100


def test_choice_items_are_proven(bank):
    items = _of(bank, "k8s-read", "hcl-read", "command-choice", "command-flag")
    assert items
    for item in items:
        assert is_hands_on(item), item.id
        assert hands_on_unproven(bank.facts, item) == [], item.id


def test_a_swapped_key_is_caught(bank):
    """The proofs can fail: making a distractor the key is reported, for every family."""
    rng = random.Random(7)
    for family in ("k8s-read", "hcl-read", "command-choice", "command-flag"):
        items = _of(bank, family)
        if not items:
            continue
        for item in rng.sample(items, min(10, len(items))):
            wrong = item.distractors[0]
            key = dataclasses.replace(wrong, proof="")
            swapped = dataclasses.replace(item, answers=(key,), distractors=(item.answers[0], *item.distractors[1:]))
            swapped = dataclasses.replace(
                swapped,
                distractors=tuple(dataclasses.replace(c, proof=wrong.proof) for c in swapped.distractors),
            )
            assert hands_on_unproven(bank.facts, swapped), (family, item.id)


def test_typed_items_accept_their_forms(bank):
    items = _of(bank, "command-typed")
    assert items
    for item in items:
        for text in item.response.accepted:
            assert grade_response(item.response, text).correct, (item.id, text)


def test_choice_near_misses_are_refused_when_typed(bank):
    """The wrong options of a command item, typed as answers to the same task, are graded wrong."""
    typed = {i.response.accepted[0]: i for i in _of(bank, "command-typed")}
    checked = 0
    for item in _of(bank, "command-choice"):
        twin = typed.get(item.answers[0].key)
        if twin is None:
            continue
        for wrong in item.distractors:
            assert not grade_response(twin.response, wrong.text).correct, (item.id, wrong.text)
            checked += 1
    assert checked > 50


def test_hands_on_items_are_filed_and_cited(bank):
    for item in bank.items:
        if item.type in HANDS_ON_TYPES:
            assert item.domains and item.sources, item.id
            assert not any(d.rsplit("/", 1)[-1].startswith("dop-c02") for d in item.domains), item.id


def test_presentations_of_typed_items_have_no_options(bank):
    for item in _of(bank, "k8s-task", "command-typed")[:20]:
        shown = present(item, 3)
        assert shown.typed and shown.options == () and shown.response == item.response
        assert shown.to_dict()["response"]["form"] == item.response.form


def test_round_trip(bank):
    from opsprep.questions import QuestionItem

    for item in [i for i in bank.items if i.type in HANDS_ON_TYPES][:200]:
        assert QuestionItem.from_dict(json.loads(json.dumps(item.to_dict()))) == item


@cache
def _shipped():
    return build_bank(default_graph())


@settings(max_examples=6, deadline=None)
@given(keep=st.floats(0.3, 0.95), seed=st.integers(0, 10**6))
def test_removing_facts_never_makes_an_item_wrong(keep, seed):
    """Drop random examples, flags, schema fields and competencies: every item still generated is still
    proven, and tasks and typed items still accept their own answers."""
    bank = _shipped()
    hands = bank.facts.hands_on
    rng = random.Random(seed)
    smaller = dataclasses.replace(
        hands,
        examples=[e for e in hands.examples if rng.random() < keep],
        flags={k: v for k, v in hands.flags.items() if rng.random() < keep},
        competencies=[c for c in hands.competencies if rng.random() < keep],
        types={t: {n: f for n, f in fs.items() if rng.random() < keep} for t, fs in hands.types.items()},
    )
    ctx = Context(bank.facts, smaller)
    facts = dataclasses.replace(bank.facts, hands_on=smaller)
    for item in [*command_items(ctx), *hcl_items(ctx)]:
        if item.type in (QuestionType.COMMAND, QuestionType.CODE_READING):
            assert hands_on_unproven(facts, item) == [], item.id
    for item in [*manifest_items(ctx), *command_items(ctx)]:
        if item.response is not None:
            right = item.response.model_answer or item.response.accepted[0]
            assert grade_response(item.response, right).correct, item.id
        else:
            assert hands_on_unproven(facts, item) == [], item.id


# ---------------------------------------------------------------- seeded faults (fix and reading items)


@cache
def _recipe_context():
    from opsprep.questions.manifest_recipes import recipes

    bank = _shipped()
    return Context(bank.facts, bank.facts.hands_on), list(recipes())


def _faults():
    """Every recipe fault with the recipe it belongs to and the recipe's requirements."""
    from opsprep.questions.manifest_tasks import requirements

    ctx, all_recipes = _recipe_context()
    return [(ctx, r, requirements(ctx, r), f) for r in all_recipes for f in r.faults]


def test_every_recipe_resolves_against_the_schema():
    """A recipe whose path the schema lacks yields no item at all, so none may lack one."""
    from opsprep.questions.manifest_tasks import requirements

    ctx, all_recipes = _recipe_context()
    assert [r.names for r in all_recipes if requirements(ctx, r) is None] == []


def test_every_fault_does_what_it_says():
    """Each fault, seeded into its model manifest, is valid (unless it is a schema fault), fails exactly the
    needs it names and meets every other need and every statement it shows."""
    from opsprep.questions.manifest_tasks import seed

    checked = 0
    for ctx, recipe, reqs, fault in _faults():
        seeded = seed(ctx, recipe, reqs, fault, grade_response)
        assert seeded is not None, (recipe.names, fault.breaks)
        docs = list(yaml.safe_load_all(seeded.text))
        problems = [p for d in docs for p in validate_manifest(d)]
        assert bool(problems) == fault.schema, (recipe.names, fault.breaks, problems)
        verdict = grade_response(Response(form="manifest", requirements=reqs), seeded.text)
        by_id = {r.id: r for r in reqs}
        unmet = [by_id[r.id].path for r in verdict.results if not r.met]
        assert sorted(unmet) == sorted(fault.breaks), (recipe.names, unmet)
        assert [r.path for r in seeded.failed] == list(fault.breaks)
        shows = Response(form="manifest", requirements=tuple(r for r, _ in seeded.shows))
        assert all(r.met for r in grade_response(shows, seeded.text).results), recipe.names
        checked += 1
    assert checked >= 80


def test_most_recipes_have_a_fault_that_changes_behaviour():
    """Fix and reading items exist for every recipe but the NetworkPolicies, and most faults keep the manifest
    valid: schema faults are the exception."""
    ctx, all_recipes = _recipe_context()
    without = {r.key for r in all_recipes if not any(not f.schema for f in r.faults)}
    assert without <= {"deployment", "configmap", *(r.key for r in all_recipes if r.key.startswith("network-policy"))}
    faults = [f for r in all_recipes for f in r.faults]
    assert sum(f.schema for f in faults) * 5 < len(faults)


def _model_value(recipe, edit):
    from opsprep.questions.manifest_tasks import _parent

    parent, key = _parent([dict(d) for d in recipe.docs], edit.document, edit.path)
    return parent.get(key) if parent is not None else None


def test_enum_faults_use_another_allowed_value():
    """Where the graph lists a field's allowed values, a fault gives it another of them, so the manifest
    stays schema-valid and only its behaviour changes."""
    from opsprep.questions.manifest_recipes import DROP, KEEP

    checked = 0
    for ctx, recipe, _, fault in _faults():
        for edit in fault.edits:
            if fault.schema or edit.to or edit.value in (DROP, KEEP) or isinstance(edit.value, dict | list):
                continue
            field = ctx.hands.field_at(edit.document.split("/", 1)[0], edit.path)
            if field is None or not field.allowed:
                continue
            assert edit.value in field.allowed, (recipe.names, edit)
            assert edit.value != _model_value(recipe, edit), (recipe.names, edit)
            checked += 1
    assert checked >= 15


def _changed_words(recipe, fault) -> set[str]:
    """What a learner could compare instead of knowing the field: the values a fault replaces and puts in
    their place, and the keys it renames, removes or adds."""
    from opsprep.questions.manifest_recipes import DROP, KEEP
    from opsprep.questions.task_checks import parse_path

    words = set()
    for edit in fault.edits:
        key = parse_path(edit.path)[-1].key
        old = _model_value(recipe, edit)
        if edit.to:
            words |= {key, edit.to}
        elif edit.value is DROP or old is None:
            words.add(key)
        elif edit.value is not KEEP:
            for value in (old, edit.value):
                scalars = value if isinstance(value, list) else [value]
                words |= {str(s) for s in scalars if not isinstance(s, dict | list) and s != ""}
    return words


def test_briefs_do_not_name_the_faulted_values():
    """The situation and the need a fault is about state behaviour: neither names the value the fault
    changes, nor the one it puts in its place, nor a key it renames (schema faults, where the brief is about
    a field in the wrong place or version, name that field)."""
    from opsprep.questions.manifest_tasks import _mentions, situation

    checked = 0
    for _, recipe, _, fault in _faults():
        if fault.schema:
            continue
        target = next(n for n in recipe.needs if n.document == fault.edits[0].document and n.path == fault.breaks[0])
        for word in _changed_words(recipe, fault):
            for text in (situation(recipe), target.text):
                assert not _mentions(text.casefold(), word.casefold()), (recipe.names, word, text)
        checked += 1
    assert checked >= 60


def test_fix_items_fail_what_their_explanation_says(bank):
    """The editor starts with a manifest that fails exactly the requirements the explanation quotes, and
    the schema refuses it only when the explanation says so."""
    for item in _of(bank, "k8s-fix"):
        verdict = grade_response(item.response, item.response.starter)
        said = set(re.findall(r"“([^”]+)”", item.explanation))
        unmet = {r.text for r in verdict.results if not r.met}
        assert unmet and unmet == said, (item.id, unmet, said)
        assert bool(verdict.problems) == ("the API refuses it" in item.explanation), item.id
        docs = list(yaml.safe_load_all(item.response.starter))
        assert bool(verdict.problems) == any(validate_manifest(d) for d in docs), item.id


def test_fix_items_show_no_feedback_before_submission(bank):
    """What a learner sees of a fix task is the brief, the requirements and the starter: no verdict, and
    none of the grader's messages about the starter."""
    for item in _of(bank, "k8s-fix"):
        shown = json.dumps(present(item, 5).to_dict())
        assert '"problems"' not in shown and '"results"' not in shown, item.id
        for problem in grade_response(item.response, item.response.starter).problems:
            assert problem.split(": ", 1)[-1] not in shown, (item.id, problem)


def test_schema_faults_are_a_minority_and_do_not_hint_the_fix(bank):
    """Few fix tasks are refused by the schema, and the grader's message does not name the fix: no "did you
    mean" pointing at the misspelt or misplaced field."""
    fixes = _of(bank, "k8s-fix")
    refused = [i for i in fixes if grade_response(i.response, i.response.starter).problems]
    assert len(refused) * 4 < len(fixes)
    for item in refused:
        for problem in grade_response(item.response, item.response.starter).problems:
            assert "did you mean" not in problem, (item.id, problem)


def test_reading_items_show_a_valid_manifest_that_fails_only_the_key(bank):
    items = _of(bank, "k8s-read")
    assert len(items) >= 30
    from opsprep.questions.manifest_tasks import requirement_of

    for item in items:
        for doc in yaml.safe_load_all(item.code):
            assert validate_manifest(doc) == [], item.id
        options = [*item.answers, *item.distractors]
        reqs = tuple(requirement_of(c.key, c.text) for c in options)
        verdict = grade_response(Response(form="manifest", requirements=reqs), item.code)
        assert [r.met for r in verdict.results] == [False] + [True] * len(item.distractors), item.id
        assert json.loads(item.answers[0].key)["id"].startswith("r"), item.id  # a need of the brief


def test_reading_items_offer_options_that_take_knowing_a_field(bank):
    """Besides the key, some option takes knowing a field to check in every presentation: a statement of what
    the faulty manifest does instead, or a need that states behaviour rather than a value to compare."""
    from opsprep.questions.manifest_tasks import names_value, requirement_of

    for item in _of(bank, "k8s-read"):
        for seed in range(4):
            shown = present(item, seed)
            wrong = [requirement_of(o.key, o.text) for o in shown.options if not o.correct]
            knowing = [
                r
                for r in wrong
                if r.id.startswith("s")
                or not names_value(r)
                and r.path not in ("kind", "metadata.namespace", "apiVersion")
            ]
            assert knowing, (
                item.id,
                seed,
            )


# --- what the brief states is what is checked -----------------------------------------------------------------


def _item(bank, template: str, needle: str):
    return next(i for i in bank.items if i.template == template and needle in i.stem)


def _with_waiter(item, **fields) -> str:
    """The init-container task's model answer with its waiting container's command replaced by ``fields``."""
    doc = yaml.safe_load(item.response.model_answer)
    waiter = doc["spec"]["initContainers"][0]
    del waiter["command"]
    waiter.update(fields)
    return yaml.safe_dump(doc)


_FQDN = "postgres.payments.svc.cluster.local"
_OWN_NS = "$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace)"


@pytest.mark.parametrize(
    "fields",
    [
        {"command": ["/bin/sh", "-c"], "args": ["until nslookup postgres; do sleep 2; done"]},
        {"command": ["/bin/sh", "-c", "until nslookup postgres; do sleep 2; done"]},
        {"command": ["sh"], "args": ["-c", "until nslookup postgres; do sleep 1; done"]},
        {"command": ["sh", "-c", "until nslookup postgres; do echo waiting; sleep 2; done"]},
        {"command": ["sh", "-c", "while ! nslookup postgres >/dev/null 2>&1; do sleep 2; done"]},
        {"command": ["sh", "-c", "until nslookup postgres\ndo\n  sleep 2\ndone\n"]},
        # review 12c, CKAD 8: any DNS name of the Service resolves it (the Init Containers page's own form)
        {"command": ["sh", "-c", f"until nslookup {_FQDN}; do echo waiting for postgres; sleep 2; done"]},
        {
            "command": ["/bin/sh", "-c"],
            "args": [f"until nslookup {_FQDN}; do echo waiting for postgres; sleep 2; done"],
        },
        {
            "command": [
                "sh",
                "-c",
                f"until nslookup postgres.{_OWN_NS}.svc.cluster.local; do echo waiting; sleep 2; done",
            ]
        },
        {"command": ["sh", "-c", "until nslookup postgres.payments; do sleep 2; done"]},
        {"command": ["sh", "-c", "until nslookup postgres.payments.svc; do sleep 2; done"]},
        # review 12d, CKA #1: busybox sets no ENTRYPOINT (its image config has only Cmd ["sh"]), so args alone run
        {"args": ["sh", "-c", "until nslookup postgres; do sleep 2; done"]},
        {"command": ["sh", "-c", f'until nslookup "{_FQDN}." >/dev/null 2>&1; do sleep 2; done']},
    ],
)
def test_an_init_container_is_checked_by_what_it_runs(bank, fields):
    """command and args together, sh or /bin/sh, any loop body: the requirement states the loop, not its spelling."""
    item = _item(bank, "k8s-task/pod-init-container", "postgres")
    verdict = grade_response(item.response, _with_waiter(item, **fields))
    assert verdict.correct, [r.detail for r in verdict.results if not r.met]


@pytest.mark.parametrize(
    ("fields", "unmet"),
    [
        ({"command": ["sh", "-c", "until nslookup postgress; do sleep 2; done"]}, "shell loop"),
        ({"command": ["sh", "-c", "nslookup postgres"]}, "shell loop"),
        ({"command": ["sh", "-c", f"nslookup {_FQDN}"]}, "shell loop"),  # looks once, waits for nothing
        (
            {"command": ["sh", "-c", "until nslookup postgres.billing.svc.cluster.local; do sleep 2; done"]},
            "shell loop",
        ),
        ({"command": ["sh", "-c", "until nslookup postgres.payments.svc.cluster; do sleep 2; done"]}, "shell loop"),
        ({"command": ["sh", "-c", "until nslookup postgres-db.payments; do sleep 2; done"]}, "shell loop"),
        # busybox:1.37 has nslookup but no getent, host or dig applet: these loops never end there (review 12c
        # proposed getent; kept refused), and dig exits 0 on NXDOMAIN, so its loop does not wait
        ({"command": ["sh", "-c", "until getent hosts postgres; do sleep 2; done"]}, "shell loop"),
        ({"command": ["sh", "-c", "until host postgres; do sleep 2; done"]}, "shell loop"),
        ({"command": ["sh", "-c", "until dig postgres; do sleep 2; done"]}, "shell loop"),
        ({"command": ["bash", "-c", "until nslookup postgres; do sleep 2; done"]}, "shell loop"),  # no bash in busybox
        # busybox has no ENTRYPOINT, so args without a command are the whole command line: "-c …" runs no shell
        ({"args": ["-c", "until nslookup postgres; do sleep 2; done"]}, "shell loop"),
        ({"args": ["until nslookup postgres; do sleep 2; done"]}, "shell loop"),
        (  # a native sidecar: the app starts once it has started, not once it has finished
            {"restartPolicy": "Always", "command": ["sh", "-c", "until nslookup postgres; do sleep 2; done"]},
            "run to completion",
        ),
    ],
)
def test_an_init_container_that_does_not_wait_fails(bank, fields, unmet):
    item = _item(bank, "k8s-task/pod-init-container", "postgres")
    verdict = grade_response(item.response, _with_waiter(item, **fields))
    assert [r.text for r in verdict.results if not r.met] == [
        next(r.text for r in item.response.requirements if unmet in r.text)
    ]


def test_the_init_container_path_item_accepts_the_script_in_args(bank):
    item = _item(bank, "k8s-path/pod-init-container", "postgres")
    for path in ("spec.initContainers[].command", "spec.initContainers[].args"):
        assert grade_response(item.response, path).correct, path
    assert not grade_response(item.response, "spec.containers[].command").correct


def test_the_log_shipper_brief_says_where_the_helper_runs(bank):
    """The brief asks for a second app container, so a field path under initContainers (a native sidecar)
    is not what it asks for, and the write task checks the same place."""
    items = [
        i for i in bank.items if i.template.endswith("/pod-sidecar-emptydir") and i.type != QuestionType.CODE_READING
    ]
    assert len(items) >= 6
    for item in items:
        assert "a second app container in the same Pod" in item.stem, item.id
        if item.template.startswith("k8s-task/"):
            texts = [r.text for r in item.response.requirements if "log-shipper" in r.text]
            assert any("app container" in text for text in texts), item.id


def test_rolling_update_briefs_say_what_their_checks_check(bank):
    """A brief that says updates never drop below the agreed capacity wants maxUnavailable 0; one that says at
    most one Pod may be unavailable accepts 0 and 1 and refuses 2."""
    items = [i for i in bank.items if i.template in ("k8s-task/deployment-rolling", "k8s-fix/deployment-rolling")]
    assert len(items) == 6
    for item in items:
        need = next(r for r in item.response.requirements if r.path.endswith("maxUnavailable"))
        model = yaml.safe_load(item.response.model_answer)
        bound = model["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"]
        if "never drop below" in item.stem:
            assert bound == 0 and "none" in need.text, item.id
        else:
            assert (
                f"at most {('none', 'one', 'two')[bound]}" in need.text
                and f"at most {('none', 'one', 'two')[bound]}" in item.stem
            )
        for unavailable in range(bound + 2):
            model["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] = unavailable
            verdict = grade_response(item.response, yaml.safe_dump(model))
            assert verdict.correct is (unavailable <= bound), (item.id, unavailable)


def test_quota_tasks_accept_the_names_the_quota_reads_as_requests(bank):
    item = _item(bank, "k8s-task/resource-quota", "team-b")
    doc = yaml.safe_load(item.response.model_answer)
    hard = doc["spec"]["hard"]
    doc["spec"]["hard"] = {"pods": hard["pods"], "cpu": hard["requests.cpu"], "memory": hard["requests.memory"]}
    assert grade_response(item.response, yaml.safe_dump(doc)).correct


def test_typed_kubectl_items_accept_every_spelling_of_the_resource(bank):
    cases = {
        "kubectl rollout undo deployment/api --to-revision=2": (
            "kubectl rollout undo deployment.apps/api --to-revision=2",
            "kubectl rollout undo deployments.apps/api --to-revision=2",
        ),
        "kubectl create job backup-now --from=cronjob/nightly-backup": (
            "kubectl create job backup-now --from=cj/nightly-backup",
            "kubectl create job backup-now --from cronjobs/nightly-backup",
            "kubectl create job backup-now --from=cronjob.batch/nightly-backup",
        ),
        "kubectl autoscale deployment cache --min=3 --max=6 --cpu=500m --memory=200Mi": (
            "kubectl autoscale deployment.apps/cache --min=3 --max=6 --cpu=500m --memory=200Mi",
            "kubectl autoscale deployment cache --min=3 --max=6 --cpu=500 --memory=200Mi",
            "kubectl autoscale deployment cache --min=3 --max=6 --cpu=500m --memory=200",
        ),
    }
    for accepted, answers in cases.items():
        items = [i for i in _of(bank, "command-typed") if accepted in i.response.accepted]
        assert items, accepted
        for item in items:
            for answer in answers:
                assert grade_response(item.response, answer).correct, (item.id, answer)


def test_the_create_job_explanation_does_not_narrow_how_the_cronjob_is_named(bank):
    item = next(i for i in _of(bank, "command-typed") if "--from=cronjob/nightly-backup" in i.response.accepted[0])
    assert "written cronjob/NAME" not in item.explanation
    assert "cj/NAME" in item.explanation and "cronjob.batch/NAME" in item.explanation


def test_the_module_update_item_rules_out_what_init_upgrade_also_does(bank):
    """terraform init -upgrade also checks downloaded modules for newer versions, but it upgrades providers and
    initialises the backend as well, so the brief that accepts only terraform get -update says it must not."""
    item = next(i for i in _of(bank, "command-typed") if i.response.accepted == ("terraform get -update",))
    assert "backend" in item.stem and "providers" in item.stem
    assert not grade_response(item.response, "terraform init -upgrade").correct


def test_a_wait_on_a_service_name_takes_the_resolvers_of_the_image():
    """getent hosts and host wait as nslookup does, where the image has them; dig never (it exits 0 on NXDOMAIN)."""
    from opsprep.questions.manifest_recipes import resolvers_in, until_resolves

    debian = until_resolves("postgres", "payments", resolvers_in("debian:12"))
    for script in ("until getent hosts postgres; do sleep 2; done", "while ! host postgres.payments; do sleep 1; done"):
        assert re.fullmatch(debian, script), script
    assert not re.fullmatch(debian, "until dig postgres; do sleep 2; done")
    assert resolvers_in("docker.io/library/busybox:1.37") == ("nslookup",)


# --- review 12d / 14d, round 4: subjects, selectors, rollout counts, args-only containers, policy types ------------


def _recipe_task(bank, recipe: str, needle: str = ""):
    """The first manifest task item of a recipe whose stem holds ``needle``."""
    return next(
        i
        for i in bank.items
        if i.template.endswith(f"/{recipe}") and i.response and i.response.form == "manifest" and needle in i.stem
    )


def _edit_docs(item, kind: str, edit) -> str:
    """The item's model answer with ``edit`` applied to its object of ``kind``."""
    docs = list(yaml.safe_load_all(item.response.model_answer))
    for doc in docs:
        if doc.get("kind") == kind:
            edit(doc)
    return yaml.safe_dump_all(docs)


def _unmet_texts(item, text: str) -> list[str]:
    return [r.text for r in grade_response(item.response, text).results if not r.met]


def test_a_service_account_subject_is_matched_with_its_namespace(bank):
    """Review 14d #5: a RoleBinding to log-reader in default grants nothing to log-reader in payments."""
    item = _recipe_task(bank, "rbac-role-binding", "ServiceAccount")
    subject = next(r for r in item.response.requirements if "…to the ServiceAccount" in r.text)
    assert grade_response(item.response, item.response.model_answer).correct

    def other_namespace(doc):
        doc["subjects"][0]["namespace"] = "default"

    def left_out(doc):
        del doc["subjects"][0]["namespace"]

    assert _unmet_texts(item, _edit_docs(item, "RoleBinding", other_namespace)) == [subject.text]
    assert grade_response(item.response, _edit_docs(item, "RoleBinding", left_out)).correct  # the binding's own


@pytest.mark.parametrize("recipe", ["service-clusterip", "service-nodeport"])
def test_a_service_selector_with_an_extra_key_does_not_select_the_stated_pods(bank, recipe):
    """Review 14d #6, #7: a selector is an AND, so app=web plus tier=frontend misses Pods labelled only app=web."""
    item = _recipe_task(bank, recipe)
    assert _unmet_texts(item, _edit_docs(item, "Service", lambda d: d["spec"]["selector"].update(tier="frontend")))
    assert grade_response(item.response, item.response.model_answer).correct


def test_a_workload_selector_must_hold_exactly_the_stated_labels(bank):
    item = _recipe_task(bank, "deployment")

    def narrowed(doc):
        doc["spec"]["selector"]["matchLabels"]["tier"] = "x"
        doc["spec"]["template"]["metadata"]["labels"]["tier"] = "x"

    def expressed(doc):
        app = doc["spec"]["selector"]["matchLabels"]["app"]
        doc["spec"]["selector"] = {"matchExpressions": [{"key": "app", "operator": "In", "values": [app]}]}

    assert _unmet_texts(item, _edit_docs(item, "Deployment", narrowed))
    assert grade_response(item.response, _edit_docs(item, "Deployment", expressed)).correct


def test_rolling_limits_are_compared_as_the_pods_they_allow(bank):
    """Review 14d #2: with 5 replicas, 20% is 1 Pod both ways, and a maxUnavailable left out is 25% of 5 = 1."""
    item = _recipe_task(bank, "deployment-rolling", "Updates of catalog may take at most one")
    assert "replicas: 5" in item.response.model_answer

    def limits(**values):
        def edit(doc):
            rolling = doc["spec"]["strategy"]["rollingUpdate"]
            for key, value in values.items():
                if value is None:
                    rolling.pop(key, None)
                else:
                    rolling[key] = value

        return _edit_docs(item, "Deployment", edit)

    assert grade_response(item.response, limits(maxSurge="20%", maxUnavailable="20%")).correct
    assert grade_response(item.response, limits(maxUnavailable=None)).correct
    assert not grade_response(item.response, limits(maxSurge="30%")).correct  # 30% of 5 rounds up to 2
    assert not grade_response(item.response, limits(maxUnavailable="40%")).correct  # 40% of 5 rounds down to 2
    assert not grade_response(item.response, limits(maxSurge=None)).correct  # 25% of 5 rounds up to 2


@pytest.mark.parametrize(
    ("args", "met"),
    [
        (["sh", "-c", "tail -F /var/log/app/app.log"], True),  # review 14d #12, the exact input
        (["tail", "-F", "/var/log/app/app.log"], True),
        (["-F", "/var/log/app/app.log"], False),  # busybox has no ENTRYPOINT: "-F" is no program
        (["sh", "-c", "echo /var/log/app/app.log"], False),
    ],
)
def test_a_busybox_container_with_args_only_runs_its_args(bank, args, met):
    item = _recipe_task(bank, "pod-sidecar-emptydir")

    def edit(doc):
        shipper = next(c for c in doc["spec"]["containers"] if c["name"] == "log-shipper")
        del shipper["command"]
        shipper["args"] = args

    assert grade_response(item.response, _edit_docs(item, "Pod", edit)).correct is met


@pytest.mark.parametrize(
    ("types", "met"), [(["Egress"], False), (None, True), (["Ingress", "Egress"], True), (["Ingress"], True)]
)
def test_an_ingress_policy_must_isolate_its_pods_for_ingress(bank, types, met):
    """Review 12d #5: policyTypes [Egress] leaves the cache Pods open to every client; left out, it is Ingress."""
    for recipe in ("network-policy-allow", "network-policy-namespace", "network-policy-default-deny"):
        item = _recipe_task(bank, recipe)

        def edit(doc):
            if types is None:
                doc["spec"].pop("policyTypes", None)
            else:
                doc["spec"]["policyTypes"] = types

        assert grade_response(item.response, _edit_docs(item, "NetworkPolicy", edit)).correct is met, recipe
