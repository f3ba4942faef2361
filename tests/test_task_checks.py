"""Tasks: manifests and Terraform configurations checked against the schema and requirement by requirement."""

from __future__ import annotations

import json

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opsprep.questions import Requirement, Response, Verdict, grade_response
from opsprep.questions.task_checks import (
    OPS,
    check_requirement,
    parse_path,
    path_text,
    requirement_problems,
    tolerates,
)
from opsprep.questions.task_documents import read_manifest

PROPERTY = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels:
    app.kubernetes.io/name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      securityContext:
        runAsNonRoot: true
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - containerPort: 80
          readinessProbe:
            httpGet:
              path: /healthz
              port: 80
          resources:
            limits:
              memory: 128Mi
        - name: log
          image: busybox:1.36
          args: ["sh", "-c", "tail -F /var/log/app.log"]
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  type: ClusterIP
  selector:
    app: web
  ports:
    - port: 80
      targetPort: 80
"""


def requirement(rid: str, path: str, op: str, value: object = None, document: str = "Deployment/web") -> Requirement:
    return Requirement(rid, f"requirement {rid}", document, path, op, json.dumps(value))


REQUIREMENTS = (
    requirement("replicas", "spec.replicas", "equals", 3),
    requirement("image", "spec.template.spec.containers[name=web].image", "equals", "nginx:1.27"),
    requirement("probe", "spec.template.spec.containers[*].readinessProbe.httpGet.path", "equals", "/healthz"),
    requirement("label", 'metadata.labels."app.kubernetes.io/name"', "equals", "web"),
    requirement("port", "spec.template.spec.containers[0].ports", "contains", {"containerPort": 80}),
    requirement("non-root", "spec.template.spec.securityContext.runAsNonRoot", "equals", True),
    requirement("no-host-network", "spec.template.spec.hostNetwork", "absent"),
    requirement("sidecar", "spec.template.spec.containers", "at_least", 2),
    requirement("memory", "spec.template.spec.containers[name=web].resources.limits.memory", "exists"),
    requirement("namespace", "metadata.namespace", "one_of", ["shop", "store"]),
    requirement("selector", "spec.template.metadata.labels", "subset", {"app": "web"}),
    requirement("tag", "spec.template.spec.containers[name=web].image", "matches", r"nginx:1\.2[0-9]"),
    requirement("service", "spec.type", "equals", "ClusterIP", document="Service/web"),
    requirement("service-port", "spec.ports[*].port", "equals", 80, document="Service"),
)
TASK = Response("manifest", model_answer=DEPLOYMENT, requirements=REQUIREMENTS, language="yaml")


def test_a_manifest_meeting_every_requirement_is_correct() -> None:
    verdict = grade_response(TASK, DEPLOYMENT)
    assert verdict.problems == ()
    assert [r.id for r in verdict.results] == [r.id for r in REQUIREMENTS]
    assert all(r.met for r in verdict.results), [r for r in verdict.results if not r.met]
    assert verdict.correct and verdict.score == 1.0
    assert verdict.model_answer == DEPLOYMENT


@pytest.mark.parametrize(
    ("failing", "old", "new", "detail"),
    [
        ("replicas", "replicas: 3", "replicas: 2", "spec.replicas is 2"),
        ("image", "image: nginx:1.27", "image: nginx:1.25", 'is "nginx:1.25"'),
        ("probe", "path: /healthz", "path: /ready", 'readinessProbe.httpGet.path is "/ready"'),
        ("label", "app.kubernetes.io/name: web", "app.kubernetes.io/name: api", 'is "api"'),
        ("port", "- containerPort: 80", "- containerPort: 8080", '[{"containerPort": 8080}]'),
        ("non-root", "runAsNonRoot: true", "runAsNonRoot: false", "runAsNonRoot is false"),
        ("no-host-network", "securityContext:\n", "hostNetwork: true\n      securityContext:\n", "hostNetwork is true"),
        ("sidecar", DEPLOYMENT[DEPLOYMENT.index("        - name: log") : DEPLOYMENT.index("---")], "", "has 1 element"),
        ("memory", "          resources:\n            limits:\n              memory: 128Mi\n", "", "has no resources"),
        ("namespace", "  namespace: shop\n  labels", "  namespace: prod\n  labels", '"prod"'),
        ("selector", "      labels:\n        app: web\n    spec", "      labels:\n        app: api\n    spec", '"api"'),
        ("service", "type: ClusterIP", "type: NodePort", 'spec.type is "NodePort"'),
        ("service-port", "    - port: 80", "    - port: 8080", "port is 8080"),
    ],
)
def test_each_requirement_failing_alone_is_reported(failing: str, old: str, new: str, detail: str) -> None:
    assert old in DEPLOYMENT
    verdict = grade_response(TASK, DEPLOYMENT.replace(old, new, 1))
    unmet = [r for r in verdict.results if not r.met]
    assert [r.id for r in unmet] == [failing], unmet
    assert detail in unmet[0].detail, unmet[0].detail
    assert unmet[0].text == f"requirement {failing}"
    assert not verdict.correct
    assert verdict.score == pytest.approx((len(REQUIREMENTS) - 1) / len(REQUIREMENTS))


def test_a_missing_document_is_named() -> None:
    deployment_only = DEPLOYMENT[: DEPLOYMENT.index("---")]
    verdict = grade_response(TASK, deployment_only)
    details = {r.id: r.detail for r in verdict.results if not r.met}
    assert details == {
        "service": "No Service named web in the manifest.",
        "service-port": "No Service in the manifest.",
    }
    renamed = grade_response(TASK, DEPLOYMENT.replace("name: web\n  namespace", "name: api\n  namespace", 1))
    assert all(not r.met for r in renamed.results if r.id != "service" and r.id != "service-port")
    assert "No Deployment named web in the manifest." in {r.detail for r in renamed.results}


def test_a_yaml_error_is_reported_with_its_line_and_nothing_is_met() -> None:
    broken = DEPLOYMENT.replace("  replicas: 3\n", "  replicas: [3\n")
    verdict = grade_response(TASK, broken)
    assert verdict.score == 0.0 and not verdict.correct
    assert len(verdict.problems) == 1 and verdict.problems[0].startswith("YAML error on line 1")
    assert {r.detail for r in verdict.results} == {"The manifest could not be read."}
    tabbed = grade_response(TASK, DEPLOYMENT.replace("  replicas: 3", "\treplicas: 3"))
    assert "line 9" in tabbed.problems[0]


def test_schema_errors_are_listed_with_paths_and_lines_but_requirements_still_score() -> None:
    wrong = (
        DEPLOYMENT.replace("replicas: 3", 'replicas: "3"')
        .replace("          image: nginx:1.27\n", "          image: nginx:1.27\n          colour: blue\n")
        .replace("runAsNonRoot: true", "runAsNonRoot: yes-please")
    )
    verdict = grade_response(TASK, wrong)
    assert verdict.problems == (
        "line 9 (document 1): spec.replicas: expected an integer, found the string '3'.",
        "line 19 (document 1): spec.template.spec.securityContext.runAsNonRoot: expected true or false, found the "
        "string 'yes-please'.",
        "line 23 (document 1): spec.template.spec.containers[0].colour: unknown field 'colour'.",
    )
    assert not verdict.correct
    met = {r.id for r in verdict.results if r.met}
    assert "replicas" not in met and "non-root" not in met and "image" in met
    assert verdict.score == pytest.approx(len(met) / len(REQUIREMENTS))


@pytest.mark.parametrize(
    ("manifest", "problem"),
    [
        ("kind: Deployment\nmetadata: {name: web}\n", "line 1: missing required field 'apiVersion'."),
        (
            "apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: web}\n",
            "line 1: apiVersion: Kubernetes v1.35 has no Deployment in extensions/v1beta1; Deployment is served as "
            "apps/v1.",
        ),
        (
            "apiVersion: v1\nkind: Deploymnet\nmetadata: {name: web}\n",
            "line 1: apiVersion: Kubernetes v1.35 has no Deploymnet in v1; check the kind's spelling.",
        ),
        ("- just\n- a list\n", "line 1: a manifest is an object (a mapping), found a list."),
        (
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: []\n  containers: []\n",
            "line 6: the key 'containers' is given twice.",
        ),
        (
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  restartPolicy: Never\n",
            "line 4: spec: missing required field 'containers'.",
        ),
        (
            "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports:\n  - port: 80\n    targetPort: [80]\n",
            "line 7: spec.ports[0].targetPort: expected a string or an integer, found a list.",
        ),
    ],
)
def test_manifest_problems(manifest: str, problem: str) -> None:
    assert problem in read_manifest(manifest).problems


def test_several_documents_say_which_document_is_wrong() -> None:
    wrong = DEPLOYMENT.replace("type: ClusterIP", "type: ClusterIP\n  clusterIp: None")
    assert read_manifest(wrong).problems == (
        "line 43 (document 2): spec.clusterIp: unknown field 'clusterIp' (did you mean 'clusterIP'?).",
    )


def test_an_alias_bomb_is_refused() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n"
    for level in range(1, 9):
        bomb += f"{chr(97 + level)}: &{chr(97 + level)} [{', '.join(['*' + chr(96 + level)] * 9)}]\n"
    answer = read_manifest(bomb)
    assert not answer.readable and answer.problems == ("The manifest expands to too many values to check.",)


def test_an_empty_answer_is_not_read() -> None:
    verdict = grade_response(TASK, "  \n")
    assert verdict.problems == ("The manifest is empty.",) and verdict.score == 0.0


# --- Terraform --------------------------------------------------------------------------------------------------

CONFIGURATION = """\
terraform {
  required_version = ">= 1.12"
  backend "s3" {
    bucket = "tf-state"
    key    = "prod/terraform.tfstate"
  }
}

variable "region" {
  type    = string
  default = "eu-west-1"
  validation {
    condition     = length(var.region) > 3
    error_message = "Give a region name."
  }
}

resource "aws_instance" "web" {
  count         = 3
  ami           = var.ami_id
  instance_type = "t3.micro"
  tags = {
    Name            = "web-${count.index}"
    "app.io/tier"   = "front"
  }
  lifecycle {
    prevent_destroy = true
    ignore_changes  = [tags]
  }
  depends_on = [aws_s3_bucket.logs]
}

output "ip" {
  value = aws_instance.web[0].public_ip
}
"""

HCL_REQUIREMENTS = (
    requirement("count", "count", "equals", 3, "resource.aws_instance.web"),
    requirement("ami", "ami", "equals", "${var.ami_id}", "resource.aws_instance.web"),
    requirement("type", "instance_type", "equals", "t3.micro", "resource.aws_instance.web"),
    requirement("protect", "lifecycle.prevent_destroy", "equals", True, "resource.aws_instance.web"),
    requirement("ignore", "lifecycle[0].ignore_changes", "contains", "tags", "resource.aws_instance.web"),
    requirement("tier", 'tags."app.io/tier"', "equals", "front", "resource.aws_instance.web"),
    requirement("after", "depends_on", "contains", "${aws_s3_bucket.logs}", "resource.aws_instance.web"),
    requirement("backend", "bucket", "equals", "tf-state", "terraform.backend.s3"),
    requirement("validated", "validation.condition", "exists", None, "variable.region"),
    requirement("string", "type", "equals", "string", "variable.region"),
    requirement("output", "value", "equals", "aws_instance.web[0].public_ip", "output.ip"),
)
HCL_TASK = Response("hcl", model_answer=CONFIGURATION, requirements=HCL_REQUIREMENTS, language="hcl")


def test_a_configuration_meeting_every_requirement_is_correct() -> None:
    verdict = grade_response(HCL_TASK, CONFIGURATION)
    assert all(r.met for r in verdict.results), [r for r in verdict.results if not r.met]
    assert verdict.correct and verdict.score == 1.0 and verdict.problems == ()


@pytest.mark.parametrize(
    ("failing", "old", "new", "detail"),
    [
        ("count", "count         = 3", 'count         = "3"', 'count is "3"'),
        ("ami", "ami           = var.ami_id", 'ami           = "var.ami_id"', 'ami is "var.ami_id"'),
        ("type", '"t3.micro"', '"t3.large"', 'instance_type is "t3.large"'),
        ("protect", "prevent_destroy = true", "prevent_destroy = false", "prevent_destroy is false"),
        ("ignore", "ignore_changes  = [tags]", "ignore_changes  = [ami]", "ignore_changes is [ami]"),
        ("tier", '"app.io/tier"   = "front"', '"app.io/tier"   = "back"', '"back"'),
        ("after", "depends_on = [aws_s3_bucket.logs]", "depends_on = []", "depends_on is []"),
        ("backend", 'backend "s3"', 'backend "gcs"', "No terraform.backend.s3 block in the configuration."),
        ("validated", "condition     = length(var.region) > 3\n", "", "has no condition"),
        ("string", "type    = string", "type    = number", "type is number"),
        ("output", 'output "ip"', 'output "address"', "No output.ip block in the configuration."),
    ],
)
def test_each_hcl_requirement_failing_alone_is_reported(failing: str, old: str, new: str, detail: str) -> None:
    assert old in CONFIGURATION
    verdict = grade_response(HCL_TASK, CONFIGURATION.replace(old, new, 1))
    unmet = [r for r in verdict.results if not r.met]
    assert [r.id for r in unmet] == [failing], unmet
    assert detail in unmet[0].detail, unmet[0].detail


def test_an_expression_written_in_quotes_as_a_template_is_the_expression() -> None:
    verdict = grade_response(HCL_TASK, CONFIGURATION.replace("= var.ami_id", '= "${var.ami_id}"'))
    assert verdict.correct


@pytest.mark.parametrize(
    ("configuration", "problem"),
    [
        ('resource "aws_instance" "web" {\n  ami = \n}\n', "HCL syntax error on line 2"),
        ('resource "aws_instance" "web" {\n  ami = "x"\n', "HCL syntax error on line 3"),
        ('resorce "aws_instance" "web" {}\n', "'resorce' is not a Terraform block type"),
        ('resource "aws_instance" {}\n', 'A resource block takes 2 labels, not 1: resource "aws_instance".'),
        ("variable {}\n", "A variable block takes 1 label, not 0: variable."),
    ],
)
def test_configuration_problems(configuration: str, problem: str) -> None:
    verdict = grade_response(HCL_TASK, configuration)
    assert any(p.startswith(problem) for p in verdict.problems), verdict.problems
    assert not verdict.correct


def test_an_unreadable_configuration_meets_nothing() -> None:
    verdict = grade_response(HCL_TASK, "resource {{{")
    assert verdict.score == 0.0
    assert {r.detail for r in verdict.results} == {"The configuration could not be read."}


# --- requirements, paths and ops ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("op", "found", "operand", "met"),
    [
        ("equals", 3, 3.0, True),
        ("equals", 3, "3", False),
        ("equals", True, 1, False),
        ("exists", 0, None, True),
        ("absent", None, None, True),
        ("contains", ["a", "b"], "b", True),
        ("contains", "nginx:1.27", ":1.2", True),
        ("contains", {"app": "web"}, "app", True),
        ("contains", [{"name": "web", "image": "x"}], {"name": "web"}, True),
        ("contains", ["a"], "c", False),
        ("matches", "nginx:1.27", r"nginx:\d+\.\d+", True),
        ("matches", "nginx:1.27-alpine", r"nginx:\d+\.\d+", False),
        ("one_of", "Always", ["Always", "IfNotPresent"], True),
        ("one_of", "Never", ["Always", "IfNotPresent"], False),
        ("length", [1, 2], 2, True),
        ("length", "abc", 2, False),
        ("at_least", 5, 3, True),
        ("at_least", [1], 2, False),
        ("at_most", {"a": 1}, 1, True),
        ("subset", {"app": "web", "tier": "front"}, {"app": "web"}, True),
        ("subset", ["get", "list"], ["get", "watch"], False),
        ("not_equals", "Never", "Always", True),
        ("not_equals", None, "Always", True),
        ("not_equals", "Always", "Always", False),
        ("runs", ["cat", "/tmp/ok"], ["cat", "/tmp/ok"], True),
        ("runs", {"command": ["sh", "-c", "cat /tmp/ok"]}, ["cat", "/tmp/ok"], True),
        ("runs", {"command": ["/bin/sh", "-c"], "args": ["cat /tmp/ok"]}, ["cat", "/tmp/ok"], True),
        ("runs", {"command": ["sh", "-c", "cat /tmp/ok || true"]}, ["cat", "/tmp/ok"], False),
        ("runs", {"command": ["bash", "-c", "cat /tmp/ok"]}, ["cat", "/tmp/ok"], False),
        ("runs", {"args": ["cat", "/tmp/ok"]}, ["cat", "/tmp/ok"], False),  # the image's entrypoint runs them
        ("runs", {"command": ["sh"], "args": ["-c", "sleep 5"]}, {"shell": r"sleep \d+"}, True),
        ("runs", {"command": ["sleep", "5"]}, {"shell": r"sleep \d+"}, False),
        # a container that must read the files of a directory runs a file reader on a path there
        ("runs", {"command": ["sh", "-c", "tail -F /var/log/app/app.log"]}, {"reads": "/var/log/app"}, True),
        ("runs", {"command": ["tail", "-F", "/var/log/app/app.log"]}, {"reads": "/var/log/app/"}, True),
        (
            "runs",
            {"command": ["sh", "-c"], "args": ["while true; do cat /var/log/app/*.log; sleep 5; done"]},
            {"reads": "/var/log/app"},
            True,
        ),
        ("runs", {"command": ["sh", "-ec", "grep -i error /var/log/app/app.log"]}, {"reads": "/var/log/app"}, True),
        ("runs", {"image": "busybox:1.37"}, {"reads": "/var/log/app"}, False),  # sh, the image's command, exits
        ("runs", {"command": ["sh", "-c", "sleep 3600"]}, {"reads": "/var/log/app"}, False),
        ("runs", {"command": ["sh", "-c", "echo /var/log/app/app.log"]}, {"reads": "/var/log/app"}, False),
        ("runs", {"command": ["sh", "-c", "date > /var/log/app/app.log"]}, {"reads": "/var/log/app"}, False),
        ("runs", {"command": ["sh", "-c", "cat /etc/hosts > /var/log/app/x"]}, {"reads": "/var/log/app"}, False),
        ("runs", {"command": ["sh", "-c", "tail -F /var/log/app"]}, {"reads": "/var/log/app"}, False),  # a directory
        ("runs", {"command": ["sh", "-c", "tail -F /var/log/apps/x.log"]}, {"reads": "/var/log/app"}, False),
        ("runs", {"command": ["sh", "-c", "cd /var/log/app && tail -F app.log"]}, {"reads": "/var/log/app"}, False),
    ],
)
def test_ops(op: str, found: object, operand: object, met: bool) -> None:
    assert op in OPS
    manifest = yaml.safe_dump({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "x": found})
    result = check_requirement(read_manifest(manifest), "manifest", requirement("r", "x", op, operand, "ConfigMap"))
    assert result.met is met, result.detail


def test_a_reads_operand_must_name_a_directory() -> None:
    assert requirement_problems(requirement("r", "spec", "runs", {"reads": "/var/log/app"})) == []
    assert requirement_problems(requirement("r", "spec", "runs", {"reads": 3}))


def test_faulty_requirements_are_reported_not_raised() -> None:
    faulty = requirement("bad", "spec..replicas", "equalz", 3)
    assert len(requirement_problems(faulty)) == 2
    assert len(requirement_problems(requirement("bad", "spec.containers[name=web]", "runs", {"shell": "("}))) == 1
    assert len(requirement_problems(requirement("bad", "spec.containers[name=web]", "runs", "sleep 5"))) == 1
    result = grade_response(Response("manifest", requirements=(faulty,)), DEPLOYMENT).results[0]
    assert not result.met and result.detail.startswith("This requirement cannot be checked")
    assert requirement_problems(requirement("ok", "spec.template.spec.containers[name=web].image", "exists")) == []


keys = st.from_regex(r"[a-zA-Z][a-zA-Z0-9]{0,6}", fullmatch=True) | st.from_regex(
    r"[a-z]+\.[a-z]+/[a-z]+", fullmatch=True
)
selectors = st.builds(
    lambda k, v: f"[{k}={v}]",
    st.from_regex(r"[a-z]{1,5}", fullmatch=True),
    st.from_regex(r"[a-z0-9]{1,5}", fullmatch=True),
)
steps = st.lists(
    keys.map(lambda k: k if "." not in k else json.dumps(k))
    | st.just("[*]")
    | st.integers(0, 9).map(lambda n: f"[{n}]")
    | selectors,
    min_size=1,
    max_size=6,
)


@settings(max_examples=200, deadline=None)
@given(parts=steps)
def test_paths_read_back_as_written(parts: list[str]) -> None:
    if parts[0].startswith("["):
        parts = ["spec", *parts]
    text = "".join(p if p.startswith("[") else f".{p}" for p in parts).lstrip(".")
    assert path_text(parse_path(text)) == text


# --- robustness -------------------------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=25,
)


@PROPERTY
@given(form=st.sampled_from(["manifest", "hcl"]), text=st.text())
def test_grading_never_raises_on_any_text(form: str, text: str) -> None:
    task = Response(form, requirements=REQUIREMENTS if form == "manifest" else HCL_REQUIREMENTS)
    verdict = grade_response(task, text)
    assert 0.0 <= verdict.score <= 1.0 and len(verdict.results) == len(task.requirements)
    assert Verdict.from_dict(json.loads(json.dumps(verdict.to_dict()))) == verdict


@PROPERTY
@given(kind=st.sampled_from(["Deployment", "Pod", "Service", "ConfigMap", "Nonsense"]), body=json_values)
def test_grading_never_raises_on_any_object(kind: str, body: object) -> None:
    manifest = yaml.safe_dump({"apiVersion": "apps/v1" if kind == "Deployment" else "v1", "kind": kind, "spec": body})
    verdict = grade_response(TASK, manifest)
    assert 0.0 <= verdict.score <= 1.0 and not verdict.correct


def test_yaml_types_read_as_kubernetes_reads_them() -> None:
    secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  key: !!binary aGVsbG8=\n  when: 2024-01-01\n"
    answer = read_manifest(secret)
    assert answer.problems == ()
    assert answer.documents[0].data["data"] == {"key": "aGVsbG8=", "when": "2024-01-01"}
    assert read_manifest("a: !!int \n").problems[0].startswith("YAML error")


def test_a_selector_reads_a_left_out_key_as_the_schema_default() -> None:
    """``ports[protocol=TCP]`` picks the ports that say TCP and those that say nothing (TCP is the default)."""
    port = requirement("port", "spec.ingress[*].ports[protocol=TCP].port", "equals", 80, "NetworkPolicy/np")

    def policy(ports: list) -> str:
        spec = {"podSelector": {}, "ingress": [{"ports": ports}]}
        return yaml.safe_dump(
            {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "np"}, "spec": spec}
        )

    for ports, met in (
        ([{"port": 80}], True),
        ([{"port": 80, "protocol": "TCP"}], True),
        ([{"port": 80, "protocol": None}], True),
        ([{"port": 80, "protocol": "UDP"}], False),
        ([{"port": 80, "protocol": "UDP"}, {"port": 81}], False),
    ):
        assert check_requirement(read_manifest(policy(ports)), "manifest", port).met is met, ports
    named = requirement("c", "spec.template.spec.containers[name=web].image", "exists")
    assert not check_requirement(read_manifest(DEPLOYMENT.replace("- name: web", "- name: api")), "manifest", named).met


@pytest.mark.parametrize("document", ["", "Widget/w"])
def test_a_value_requirement_on_any_object_or_an_unknown_kind_is_checked_not_raised(document: str) -> None:
    result = check_requirement(
        read_manifest(DEPLOYMENT), "manifest", requirement("r", "spec.replicas", "equals", 3, document)
    )
    assert result.met is (document == "")


CONTROL_PLANE = {"key": "node-role.kubernetes.io/control-plane", "value": "", "effect": "NoSchedule"}
DEDICATED = {"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}


@pytest.mark.parametrize(
    ("toleration", "taint", "met"),
    [
        # review 14c, CKA 7: the node-exporter chart's default and the catch-all toleration were refused
        ({"effect": "NoSchedule", "operator": "Exists"}, CONTROL_PLANE, True),
        ({"operator": "Exists"}, CONTROL_PLANE, True),
        ({"key": "node-role.kubernetes.io/control-plane", "operator": "Exists"}, CONTROL_PLANE, True),
        ({"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}, CONTROL_PLANE, True),  # Equal, ""
        # review 14c, CKA 7: accepted, but a set effect matches only that effect
        (
            {"key": "node-role.kubernetes.io/control-plane", "operator": "Exists", "effect": "NoExecute"},
            CONTROL_PLANE,
            False,
        ),
        (
            {"key": "node-role.kubernetes.io/control-plane", "operator": "Exists", "effect": "PreferNoSchedule"},
            CONTROL_PLANE,
            False,
        ),
        ({"key": "dedicated", "operator": "Equal", "value": "gpu", "effect": "NoSchedule"}, DEDICATED, True),
        ({"key": "dedicated", "value": "gpu"}, DEDICATED, True),  # Equal by default, every effect
        ({"key": "dedicated", "operator": "Exists", "effect": "NoSchedule"}, DEDICATED, True),
        ({"key": "dedicated", "operator": "Equal", "value": "cpu", "effect": "NoSchedule"}, DEDICATED, False),
        ({"key": "dedicated", "operator": "Equal", "effect": "NoSchedule"}, DEDICATED, False),  # "" is not gpu
        ({"key": "team", "operator": "Exists"}, DEDICATED, False),
        ({"key": "dedicated", "operator": "Lt", "value": "gpu"}, DEDICATED, False),
    ],
)
def test_a_toleration_is_matched_as_the_scheduler_matches_it(toleration, taint, met) -> None:
    """ToleratesTaint of k8s.io/api core/v1/toleration.go, on one toleration and through the op on a list."""
    assert tolerates(toleration, taint) is met
    manifest = yaml.safe_dump({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "x": [toleration]})
    result = check_requirement(
        read_manifest(manifest), "manifest", requirement("r", "x", "tolerates", taint, "ConfigMap")
    )
    assert result.met is met, result.detail


def test_a_tolerates_operand_must_be_a_taint() -> None:
    assert requirement_problems(requirement("r", "x", "tolerates", DEDICATED)) == []
    for bad in ({"key": "dedicated"}, ["dedicated"], {"key": "a", "effect": "NoSchedule", "operator": "Exists"}):
        assert requirement_problems(requirement("r", "x", "tolerates", bad)), bad


def test_a_service_port_without_target_port_sends_to_its_own_port() -> None:
    """The API server defaults targetPort to port, so leaving it out meets "the Pods receive it on port P" when P
    is the Service port, and only then."""
    from opsprep.questions.task_checks import checked_view

    service = {"kind": "Service", "spec": {"ports": [{"port": 3000, "nodePort": 31300}]}}
    assert checked_view("Service", service)["spec"]["ports"][0]["targetPort"] == 3000
    given = {"kind": "Service", "spec": {"ports": [{"port": 80, "targetPort": 8080}]}}
    assert checked_view("Service", given)["spec"]["ports"][0]["targetPort"] == 8080
