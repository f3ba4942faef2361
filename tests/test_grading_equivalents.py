"""Answers the tools treat as the same are graded the same; answers that differ in effect are not."""

from __future__ import annotations

import json
import re
import shlex
from functools import cache

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from opsprep.graph import default_graph
from opsprep.graph.k8s_api import kinds
from opsprep.questions import Requirement, Response, grade_response
from opsprep.questions.command_flags import GIVEN_DEFAULT_DIFFERS, RESOURCE_GROUPS, FlagDefaults
from opsprep.questions.command_items import FORMS
from opsprep.questions.command_lines import INERT_FLAGS, ignorable_flags, parse_command
from opsprep.questions.hands_on_facts import Example, Flag, HandsOn, read_hands_on
from opsprep.questions.manifest_recipes import network_policy_allow, service
from opsprep.questions.typed_answers import grade_typed


@pytest.mark.parametrize(
    ("form", "accepted", "same", "different"),
    [
        (
            "kubeadm",
            "kubeadm token create --ttl 2h",
            [
                "kubeadm token create --ttl=120m",
                "kubeadm token create --ttl 2h0m0s",
                "kubeadm token create --ttl 7200s",
            ],
            ["kubeadm token create --ttl 3h"],
        ),
        (
            "kubectl",
            "kubectl apply -f deploy.yaml --dry-run=client",
            ["kubectl apply -f ./deploy.yaml --dry-run=client"],
            ["kubectl apply -f other.yaml --dry-run=client"],
        ),
        (
            "kubectl",
            "kubectl apply -k overlays/prod",
            ["kubectl apply -k overlays/prod/"],
            ["kubectl apply -k overlays/dev"],
        ),
        (
            "kubectl",
            "kubectl get pods -o custom-columns=NAME:.metadata.name,NODE:.spec.nodeName",
            [
                "kubectl get pods -o custom-columns=NAME:metadata.name,NODE:spec.nodeName",
                "kubectl get pods -o 'custom-columns=NAME:{.metadata.name},NODE:{.spec.nodeName}'",
            ],
            ["kubectl get pods -o custom-columns=NAME:.metadata.name"],
        ),
        (
            "kubectl",
            "kubectl get pods --sort-by=.metadata.creationTimestamp",
            [
                "kubectl get pods --sort-by='{.metadata.creationTimestamp}'",
                "kubectl get pods --sort-by=metadata.creationTimestamp",
            ],
            ["kubectl get pods --sort-by=.metadata.name"],
        ),
        (
            "kubectl",
            "kubectl create clusterrole node-reader --verb=get,list,watch --resource=nodes",
            [
                "kubectl create clusterrole node-reader --verb=get --verb=list --verb=watch --resource=nodes",
                "kubectl create clusterrole node-reader --verb=watch,get,list --resource=nodes",
            ],
            ["kubectl create clusterrole node-reader --verb=get,list --resource=nodes"],
        ),
        (
            "kubectl",
            "kubectl set resources deployment web --limits=cpu=1000m,memory=512Mi",
            [
                "kubectl set resources deployment web --limits=memory=512Mi,cpu=1",
                "kubectl set resources deployment web --limits=cpu=1,memory=0.5Gi",
                "kubectl set resources deployment web --limits=memory=1Gi,cpu=1,memory=512Mi",  # a later pair wins
            ],
            [
                "kubectl set resources deployment web --limits=cpu=1,memory=512M",
                "kubectl set resources deployment web --limits=cpu=1",
                "kubectl set resources deployment web --requests=cpu=1,memory=512Mi",
            ],
        ),
        (
            "kubectl",
            "kubectl set resources deployment api -c app --requests=cpu=0.5",
            ["kubectl set resources deployment api -c app --requests=cpu=500m"],
            ["kubectl set resources deployment api -c app --requests=cpu=50m"],
        ),
        (
            "kubectl",
            "kubectl create quota compute --hard=requests.cpu=2,requests.memory=4Gi -n dev",
            ["kubectl create quota compute --hard=requests.memory=4096Mi,requests.cpu=2000m -n dev"],
            ["kubectl create quota compute --hard=requests.cpu=2,requests.memory=4G -n dev"],
        ),
        (
            "terraform",
            "TF_LOG=DEBUG terraform plan",
            [
                "TF_LOG=debug terraform plan",
                "TF_LOG=Debug terraform plan",
                "env TF_LOG=DEBUG terraform plan",  # POSIX env: the variable for that one command
            ],
            [
                "TF_LOG=TRACE terraform plan",
                "terraform plan TF_LOG=DEBUG",  # an argument of terraform plan, not its environment
                "TF_LOG=DEBUG; terraform plan",  # a shell variable, not exported
                # export changes the shell for every later command, not that one command only (review 14d #13;
                # these were accepted before, when an export was read as the next command's environment)
                "export TF_LOG=debug\nterraform plan",
                "export TF_LOG=DEBUG; terraform plan",
                "export TF_LOG=DEBUG && terraform plan",
                "export TF_LOG=DEBUG | terraform plan",
                "export TF_LOG=DEBUG",
                "env -i TF_LOG=DEBUG terraform plan",  # -i: an empty environment otherwise
                "env TF_LOG=DEBUG",  # prints the environment, runs no terraform
            ],
        ),
        (
            "terraform",
            "export TF_LOG=DEBUG; terraform plan",  # an accepted form that sets the shell's variable
            ["export TF_LOG=debug\nterraform plan", "export TF_LOG=DEBUG && terraform plan"],
            ["TF_LOG=DEBUG terraform plan", "env TF_LOG=DEBUG terraform plan", "export TF_LOG=TRACE; terraform plan"],
        ),
        (
            "terraform",
            "TF_LOG=TRACE TF_LOG_PATH=./plan.log terraform plan",
            ["env TF_LOG=TRACE TF_LOG_PATH=./plan.log terraform plan"],  # review 14d #13, refused before
            ["export TF_LOG=TRACE TF_LOG_PATH=./plan.log; terraform plan"],  # accepted before
        ),
        (
            "terraform",
            "TF_LOG_PROVIDER=TRACE TF_LOG_PATH=tf.log terraform apply",
            ["TF_LOG_PATH=tf.log TF_LOG_PROVIDER=trace terraform apply"],
            [
                "TF_LOG_PROVIDER=TRACE TF_LOG_PATH=TF.LOG terraform apply",
                "tf_log_provider=TRACE TF_LOG_PATH=tf.log terraform apply",
            ],
        ),
        (
            # a ResourceQuota charges a Pod's CPU and memory requests to cpu and requests.cpu alike
            "kubectl",
            "kubectl create quota compute --hard=requests.cpu=2,requests.memory=4Gi -n dev",
            [
                "kubectl create quota compute --hard=cpu=2,memory=4Gi -n dev",
                "kubectl create quota compute --hard=cpu=2,requests.cpu=2000m,memory=4Gi -n dev",
            ],
            [
                "kubectl create quota compute --hard=limits.cpu=2,memory=4Gi -n dev",
                "kubectl create quota compute --hard=cpu=2,requests.cpu=3,memory=4Gi -n dev",
            ],
        ),
        (
            # kubectl 1.34+: a bare number is millicores for --cpu and mebibytes for --memory
            "kubectl",
            "kubectl autoscale deployment cache --min=3 --max=6 --cpu=500m --memory=200Mi",
            [
                "kubectl autoscale deployment cache --min=3 --max=6 --cpu=500 --memory=200Mi",
                "kubectl autoscale deployment cache --min=3 --max=6 --cpu=500m --memory=200",
                "kubectl autoscale deployment cache --min=3 --max=6 --cpu 500.0 --memory 0.1953125Gi",
                "kubectl autoscale deploy/cache --max 6 --min 3 --memory 200Mi --cpu ' 500m'",  # TrimSpace
            ],
            [
                "kubectl autoscale deployment cache --min=3 --max=6 --cpu=0.5 --memory=200Mi",  # 0.5 is 0.5m
                "kubectl autoscale deployment cache --min=3 --max=6 --cpu=30000s --memory=200Mi",
                "kubectl autoscale deployment cache --min=3 --max=6 --cpu=50% --memory=200Mi",
                "kubectl autoscale deployment cache --min=3 --max=6 --cpu=500m --memory=200M",
                "kubectl autoscale deployment cache --min=3 --max=6 --cpu=500m --memory=200m",
            ],
        ),
        (
            "kubectl",
            "kubectl autoscale rc foo --max=5 --cpu=80%",
            [
                "kubectl autoscale rc foo --max=5 --cpu=+80%",
                "kubectl autoscale replicationcontrollers/foo --max=5 --cpu=080%",
            ],
            ["kubectl autoscale rc foo --max=5 --cpu=80", "kubectl autoscale rc foo --max=5 --cpu=8%"],
        ),
        ("terraform", "terraform fmt -recursive", ["terraform fmt -recursive ."], ["terraform fmt"]),
        # -json prints the same state as JSON (questions.command_lines.COMMAND_PRESENTATION_FLAGS); into a file, it
        # makes that file
        (
            "terraform",
            "terraform show",
            ["terraform show -no-color", "terraform show -json"],
            ["terraform show -json > state.json", "terraform show tfplan"],
        ),
    ],
)
def test_equivalent_command_lines(form: str, accepted: str, same: list[str], different: list[str]) -> None:
    _graded(form, accepted, same, different)


@pytest.mark.parametrize(
    ("accepted", "same", "different"),
    [
        (
            "kubectl rollout undo deployment/api --to-revision=2",
            [
                "kubectl rollout undo deployment.apps/api --to-revision=2",  # as kubectl rollout history prints it
                "kubectl rollout undo deployments.apps/api --to-revision=2",
                "kubectl rollout undo Deployments.apps api --to-revision=2",
                "kubectl rollout undo deploy.apps/api --to-revision=2",  # a short name with its group
            ],
            [
                "kubectl rollout undo deployment.extensions/api --to-revision=2",  # a group it is not served in
                "kubectl rollout undo deployment.Apps/api --to-revision=2",  # groups are case-sensitive
                "kubectl rollout undo daemonset.apps/api --to-revision=2",
                "kubectl rollout undo deployment.apps/API --to-revision=2",
            ],
        ),
        (
            "kubectl autoscale deployment cache --min=3 --max=6 --cpu=500m --memory=200Mi",
            ["kubectl autoscale deployment.apps/cache --min=3 --max=6 --cpu=500m --memory=200Mi"],
            ["kubectl autoscale statefulset.apps/cache --min=3 --max=6 --cpu=500m --memory=200Mi"],
        ),
        (
            "kubectl create job backup-now --from=cronjob/nightly-backup",
            [
                "kubectl create job backup-now --from=cj/nightly-backup",
                "kubectl create job backup-now --from cronjobs/nightly-backup",
                "kubectl create job backup-now --from=cronjob.batch/nightly-backup",
                "kubectl create job backup-now --from=CronJob/nightly-backup",
                "kubectl create job backup-now --from=cj.batch/nightly-backup",
            ],
            [
                "kubectl create job backup-now --from=job/nightly-backup",
                "kubectl create job backup-now --from=cronjob.apps/nightly-backup",
                "kubectl create job backup-now --from=cronjob/Nightly-backup",
                "kubectl create job backup-now --from=nightly-backup",
            ],
        ),
        (
            "kubectl set env deployment/web --from=configmap/web-config",
            [
                "kubectl set env deploy/web --from=cm/web-config",
                "kubectl set env deployments.apps/web --from configmaps/web-config",
            ],
            ["kubectl set env deployment/web --from=secret/web-config"],
        ),
        (
            "kubectl events --for=pod/web -n shop",
            ["kubectl events --for po/web -n shop", "kubectl events -n shop --for=pods/web"],
            ["kubectl events --for=pod/api -n shop", "kubectl events --for=deployment/web -n shop"],
        ),
        (
            "kubectl get ingresses -n web",
            ["kubectl get ing.networking.k8s.io -n web", "kubectl get ingress.networking.k8s.io -n web"],
            ["kubectl get ingresses.extensions -n web"],
        ),
        (
            "kubectl auth can-i create deployments -n dev",
            ["kubectl auth can-i create deployments.apps -n dev", "kubectl auth can-i create deploy.apps -n dev"],
            ["kubectl auth can-i create deployments.batch -n dev"],
        ),
    ],
)
def test_resource_references_are_read_as_kubectl_reads_them(
    accepted: str, same: list[str], different: list[str]
) -> None:
    """``TYPE[.GROUP]`` as the REST mapper reads it, as a positional argument and in flags that name a resource."""
    _graded("kubectl", accepted, same, different)


def test_the_resource_groups_are_the_api_groups_of_the_schema() -> None:
    served = {kind.plural: kind.group for kind in kinds()}
    checked = [plural for plural in RESOURCE_GROUPS if plural in served]
    assert len(checked) >= 25
    assert {plural: RESOURCE_GROUPS[plural] for plural in checked} == {plural: served[plural] for plural in checked}


def _graded(form: str, accepted: str, same: list[str], different: list[str]) -> None:
    response = Response(form=form, accepted=(accepted,))
    for text in same:
        assert grade_response(response, text).correct, text
    for text in different:
        assert not grade_response(response, text).correct, text


def _requirement(rid: str, document: str, path: str, op: str, value: object = None) -> Requirement:
    return Requirement(rid, rid, document, path, op, json.dumps(value))


QUOTA = Response(
    form="manifest",
    requirements=(
        _requirement("pods", "ResourceQuota/q", "spec.hard.pods", "equals", "50"),
        _requirement("cpu", "ResourceQuota/q", 'spec.hard."requests.cpu"', "equals", "10"),
        _requirement("memory", "ResourceQuota/q", 'spec.hard."requests.memory"', "equals", "32Gi"),
    ),
)


def _quota(hard: dict) -> str:
    return yaml.safe_dump(
        {"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "q"}, "spec": {"hard": hard}}
    )


def test_quantities_compare_by_amount() -> None:
    same = _quota({"pods": 50, "requests.cpu": "10000m", "requests.memory": "32768Mi"})
    assert grade_response(QUOTA, same).correct
    less = _quota({"pods": "50", "requests.cpu": "10", "requests.memory": "32Mi"})
    verdict = grade_response(QUOTA, less)
    assert [r.met for r in verdict.results] == [True, True, False]


def test_quota_cpu_and_memory_are_their_requests() -> None:
    """The quota evaluator charges a Pod's requests to ``cpu`` and ``requests.cpu`` alike, so either caps them."""
    short = _quota({"pods": "50", "cpu": "10", "memory": "32Gi"})
    assert grade_response(QUOTA, short).correct
    mixed = _quota({"pods": "50", "cpu": "10000m", "requests.memory": "32Gi"})
    assert grade_response(QUOTA, mixed).correct
    limits = _quota({"pods": "50", "limits.cpu": "10", "memory": "32Gi"})
    assert [r.met for r in grade_response(QUOTA, limits).results] == [True, False, True]
    both = _quota({"pods": "50", "cpu": "10", "requests.cpu": "20", "memory": "32Gi"})
    assert [r.met for r in grade_response(QUOTA, both).results] == [True, False, True]


def test_a_field_left_out_is_its_default() -> None:
    """A requirement on a defaulted field is met by leaving the field out when the default is the value wanted."""

    def deployment(**spec) -> str:
        template = {"metadata": {"labels": {"app": "w"}}, "spec": {"containers": [{"name": "w", "image": "nginx"}]}}
        body = {"selector": {"matchLabels": {"app": "w"}}, "template": template, **spec}
        return yaml.safe_dump({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "w"}, "spec": body})

    one = Response(form="manifest", requirements=(_requirement("r", "Deployment/w", "spec.replicas", "equals", 1),))
    three = Response(form="manifest", requirements=(_requirement("r", "Deployment/w", "spec.replicas", "equals", 3),))
    assert grade_response(one, deployment()).correct
    assert not grade_response(one, deployment(replicas=2)).correct
    verdict = grade_response(three, deployment())
    assert not verdict.correct and "left out" in verdict.results[0].detail
    not_default = Response(
        form="manifest", requirements=(_requirement("g", "PriorityClass/p", "globalDefault", "equals", False),)
    )
    base = {"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": "p"}, "value": 5}
    assert grade_response(not_default, yaml.safe_dump(base)).correct
    assert not grade_response(not_default, yaml.safe_dump({**base, "globalDefault": True})).correct
    exists = Response(form="manifest", requirements=(_requirement("e", "Deployment/w", "spec.replicas", "exists"),))
    assert not grade_response(exists, deployment()).correct  # exists and absent are about what is written


def test_lists_the_api_reads_as_sets_compare_in_any_order() -> None:
    path = "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[*]"
    values = _requirement("v", "Pod/p", f"{path}.matchExpressions[key=zone].values", "equals", ["a", "b"])
    modes = _requirement(
        "m", "PersistentVolumeClaim/c", "spec.accessModes", "equals", ["ReadWriteOnce", "ReadOnlyMany"]
    )

    def pod(zones: list[str]) -> str:
        term = {"matchExpressions": [{"key": "zone", "operator": "In", "values": zones}]}
        affinity = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [term]}}}
        spec = {"containers": [{"name": "p", "image": "nginx"}], "affinity": affinity}
        return yaml.safe_dump({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec})

    response = Response(form="manifest", requirements=(values,))
    for zones, right in ((["a", "b"], True), (["b", "a"], True), (["a"], False), (["a", "b", "c"], False)):
        assert grade_response(response, pod(zones)).correct is right, zones
    claim = {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "c"}}
    spec = {"accessModes": ["ReadOnlyMany", "ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}
    assert grade_response(
        Response(form="manifest", requirements=(modes,)), yaml.safe_dump({**claim, "spec": spec})
    ).correct
    ordered = _requirement("c", "Pod/p", "spec.containers[name=p].args", "equals", ["b", "a"])
    args = yaml.safe_dump(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "p"},
            "spec": {"containers": [{"name": "p", "image": "x", "args": ["a", "b"]}]},
        }
    )
    assert not grade_response(Response(form="manifest", requirements=(ordered,)), args).correct  # args keep their order


def test_a_number_is_not_its_string_outside_quantity_fields() -> None:
    replicas = Response(
        form="manifest", requirements=(_requirement("r", "Deployment/web", "spec.replicas", "equals", 3),)
    )
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}, "spec": {"replicas": "3"}}
    assert not grade_response(replicas, yaml.safe_dump(deployment)).results[0].met


def test_selectors_match_an_element_of_a_list_valued_key() -> None:
    """``rules[resources=pods]`` picks the rules naming pods, so verbs spread over two rules still count."""
    role = Response(
        form="manifest",
        requirements=tuple(
            _requirement(v, "Role/r", "rules[resources=pods].verbs", "contains", v) for v in ("get", "list", "watch")
        ),
    )
    split = {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "Role",
        "metadata": {"name": "r"},
        "rules": [
            {"apiGroups": [""], "resources": ["pods"], "verbs": ["list", "get"]},
            {"apiGroups": [""], "resources": ["pods"], "verbs": ["watch"]},
        ],
    }
    assert grade_response(role, yaml.safe_dump(split)).correct
    elsewhere = dict(
        split, rules=[split["rules"][0], {"apiGroups": [""], "resources": ["configmaps"], "verbs": ["watch"]}]
    )
    assert [r.met for r in grade_response(role, yaml.safe_dump(elsewhere)).results] == [True, True, False]


def test_container_quantities_compare_by_amount_through_selectors() -> None:
    response = Response(
        form="manifest",
        requirements=(
            _requirement(
                "cpu", "Deployment/w", "spec.template.spec.containers[name=w].resources.requests.cpu", "equals", "250m"
            ),
            _requirement(
                "memory",
                "Deployment/w",
                "spec.template.spec.containers[name=w].resources.limits.memory",
                "equals",
                "256Mi",
            ),
        ),
    )
    container = {"name": "w", "image": "nginx", "resources": {"requests": {"cpu": "0.25"}, "limits": {}}}
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "w"},
        "spec": {
            "selector": {"matchLabels": {"app": "w"}},
            "template": {"metadata": {"labels": {"app": "w"}}, "spec": {"containers": [container]}},
        },
    }
    for memory, met in (("268435456", True), ("0.25Gi", True), ("256M", False)):
        container["resources"]["limits"]["memory"] = memory
        assert [r.met for r in grade_response(response, yaml.safe_dump(deployment)).results] == [True, met], memory


def test_a_network_policy_port_is_a_tcp_port() -> None:
    """The port of a NetworkPolicy task is TCP: given as TCP or left out (the schema's default), never UDP or SCTP."""
    recipe = network_policy_allow("api-to-db", "shop", "db", "api", 5432)
    response = Response(
        form="manifest",
        requirements=tuple(
            Requirement(f"r{n}", need.text, need.document, need.path, need.op, json.dumps(need.value))
            for n, need in enumerate(recipe.needs, 1)
        ),
    )
    policy = recipe.docs[0]
    assert grade_response(response, yaml.safe_dump(policy)).correct
    for protocol, right in (("UDP", False), ("SCTP", False), (None, True)):
        port = {"port": 5432} if protocol is None else {"port": 5432, "protocol": protocol}
        changed = dict(policy, spec=dict(policy["spec"], ingress=[dict(policy["spec"]["ingress"][0], ports=[port])]))
        assert grade_response(response, yaml.safe_dump(changed)).correct is right, protocol


def _recipe_response(recipe) -> Response:
    return Response(
        form="manifest",
        requirements=tuple(
            Requirement(f"r{n}", need.text, need.document, need.path, need.op, json.dumps(need.value))
            for n, need in enumerate(recipe.needs, 1)
        ),
    )


def test_a_cluster_internal_service_has_a_virtual_ip_and_no_outside_address() -> None:
    """ "Only from inside the cluster, on a virtual IP": type ClusterIP, not headless, no external IPs."""
    recipe = service("web", "shop", 80, 8080, "ClusterIP")
    response = _recipe_response(recipe)
    good = recipe.docs[0]
    assert grade_response(response, yaml.safe_dump(good)).correct
    for change, right in (
        ({"clusterIP": "None"}, False),
        ({"externalIPs": ["203.0.113.7"]}, False),
        ({"type": "NodePort"}, False),
        ({"clusterIP": "10.96.0.20"}, True),
    ):
        changed = dict(good, spec=dict(good["spec"], **change))
        assert grade_response(response, yaml.safe_dump(changed)).correct is right, change


# --- flags given with their default ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "accepted", "same", "different"),
    [
        (
            "kubectl",
            "kubectl rollout status deployment/web",
            ["kubectl rollout status deployment/web --watch", "kubectl rollout status deployment/web -w=true"],
            ["kubectl rollout status deployment/web --watch=false"],
        ),
        (
            "kubectl",
            "kubectl expose deployment web --port=80 --target-port=8080",
            ["kubectl expose deployment web --port=80 --target-port=8080 --type=ClusterIP"],
            ["kubectl expose deployment web --port=80 --target-port=8080 --type=NodePort"],
        ),
        (
            # without --target-port the Service sends to the port it serves; without --protocol it takes the
            # protocol the exposed object declares for that port, so --protocol=TCP is not the same
            "kubectl",
            "kubectl expose pod redis --port=6379 -n cache",
            ["kubectl expose pod redis --port=6379 --target-port=6379 -n cache"],
            [
                "kubectl expose pod redis --port=6379 --target-port=6380 -n cache",
                "kubectl expose pod redis --port=6379 --protocol=TCP -n cache",
            ],
        ),
        (
            "kubectl",
            "kubectl create deployment web --image=nginx:1.27",
            ["kubectl create deployment web --image=nginx:1.27 --dry-run=none --save-config=false"],
            ["kubectl create deployment web --image=nginx:1.27 --dry-run=client", "kubectl create deployment web"],
        ),
        (
            "terraform",
            "terraform plan",
            ["terraform plan -lock=true -parallelism=10 -refresh", "terraform plan -lock-timeout=0s -input=true"],
            ["terraform plan -parallelism=5", "terraform plan -refresh=false"],
        ),
        ("helm", "helm install web bitnami/nginx", ["helm install web bitnami/nginx --timeout 5m"], []),
        # flags whose default the tool applies only when they are not given
        ("kubectl", "kubectl api-resources --namespaced=true", [], ["kubectl api-resources"]),
        (
            "kubectl",
            "kubectl delete pods --all -n test",
            [],
            ["kubectl delete pods --all -n test --ignore-not-found=false"],
        ),
        ("kubectl", "kubectl logs -l app=web", [], ["kubectl logs -l app=web --tail=-1"]),
        ("terraform", "terraform output", [], ["terraform output -state=terraform.tfstate"]),
        (
            "kubeadm",
            "kubeadm init --kubernetes-version=v1.35.0",
            ["kubeadm init --kubernetes-version=v1.35.0 --service-cidr=10.96.0.0/12"],
            [],
        ),
        (
            "kubeadm",
            "kubeadm init --config=kubeadm.yaml",
            [],
            ["kubeadm init --config=kubeadm.yaml --service-cidr=10.96.0.0/12"],
        ),
    ],
)
def test_a_flag_given_with_its_default_is_the_flag_left_out(
    form: str, accepted: str, same: list[str], different: list[str]
) -> None:
    _graded(form, accepted, same, different)


def test_the_defaults_come_from_the_graph() -> None:
    """A default the graph states is one; ``--containers='*'`` passes once ``kubectl set resources`` states it."""
    response = Response(form="kubectl", accepted=("kubectl set resources deployment web --limits=cpu=500m",))
    answer = "kubectl set resources deployment web --limits=cpu=500m --containers='*'"
    stated = FlagDefaults({("kubectl", "set", "resources"): {"containers": "*"}})
    assert grade_typed(response, answer, stated).correct
    assert not grade_typed(response, answer, FlagDefaults()).correct
    assert not grade_typed(response, answer.replace("'*'", "app"), stated).correct


@cache
def _hands() -> HandsOn:
    return read_hands_on(default_graph())


@cache
def _pairs() -> tuple[tuple[Example, Flag], ...]:
    """Every worked example with each flag of its command, or of its tool, that the graph gives a default (and
    that the example does not give)."""
    hands = _hands()
    flags: dict[str, list[Flag]] = {}
    for flag in hands.flags.values():
        flags.setdefault(flag.command, []).append(flag)
    roots = {c.label: c.iri for c in hands.commands.values() if not c.parent}
    pairs = []
    for example in hands.examples:
        command = hands.commands[example.command]
        root = roots.get(command.label.split()[0], "")
        found = {f.name: f for f in (*flags.get(root, []), *flags.get(command.iri, [])) if f.default}
        pairs += [
            (example, f)
            for f in sorted(found.values(), key=lambda f: f.iri)
            if (command.label, f.name.lstrip("-")) not in GIVEN_DEFAULT_DIFFERS and not _gives(example.text, f)
        ]
    return tuple(pairs)


def _gives(text: str, flag: Flag) -> bool:
    return any(name == flag.name.lstrip("-") for s in parse_command(text).segments for name, _ in s.flags)


def _with_flag(text: str, label: str, token: str) -> str | None:
    """The command line with ``token`` put right after the command's own words (where Go's flags must go)."""
    found = re.search(r"(?<!\S)" + r"\s+".join(map(re.escape, label.split())) + r"(?!\S)", text)
    return None if found is None else f"{text[: found.end()]} {shlex.quote(token)}{text[found.end() :]}"


def _flag_token(flag: Flag, value: str) -> str:
    if not flag.takes_value:
        return flag.name if value == "true" else f"{flag.name}=false"
    return f"{flag.name}={value}"


def _other_value(flag: Flag) -> str:
    if not flag.takes_value:
        return "false" if flag.default == "true" else "true"
    others = [v for v in flag.allowed if v != flag.default]
    if others:
        return others[0]
    if re.fullmatch(r"-?\d+", flag.default):
        return str(int(flag.default) + 1)
    return "7s" if re.fullmatch(r"[0-9hms]+", flag.default) else flag.default + "x"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_adding_a_flag_with_its_default_never_changes_a_verdict(data) -> None:
    """Any worked example, any flag of its command (or of its tool) that the graph gives a default: the flag given
    with its default changes no verdict, right or wrong; given with another value, the answer is wrong."""
    example, flag = data.draw(st.sampled_from(_pairs()))
    label = _hands().commands[example.command].label
    response = Response(form=FORMS.get(example.text.split()[0], "command"), accepted=(example.text, *example.also))
    others = [e.text for e in _hands().examples if e.command == example.command and e.iri != example.iri]
    for text in (example.text, *[o for o in others if not _gives(o, flag)][:2]):
        with_default = _with_flag(text, label, _flag_token(flag, flag.default))
        assume(with_default is not None)
        assert grade_response(response, with_default).correct == grade_response(response, text).correct, with_default
    program = example.text.split()[0]
    if flag.name.lstrip("-") in INERT_FLAGS.get(program, ()):
        return  # a flag that only changes how the command reports or waits is ignored whatever its value
    changed = _with_flag(example.text, label, _flag_token(flag, _other_value(flag)))
    assume(changed is not None)
    mine, model = parse_command(changed).segments, parse_command(example.text).segments
    if len(mine) == len(model) and any(
        flag.name.lstrip("-") in ignorable_flags(a, b) for a, b in zip(mine, model, strict=True)
    ):
        return  # so is a printer printed to the terminal, or a flag that changes nothing beside the model
    assert not grade_response(response, changed).correct, changed


@pytest.mark.parametrize(
    ("form", "accepted", "answer", "right"),
    [
        ("kubectl", "kubectl get pods -n web", "kubectl get pods -n web -v=5", True),
        ("kubectl", "kubectl get pods -n web", "kubectl -v 5 get pods -n web", True),
        ("kubeadm", "kubeadm upgrade plan", "kubeadm upgrade plan --v=5", True),
        ("terraform", "terraform plan -out=tfplan", "terraform plan -input=false -out=tfplan", True),
        ("terraform", "terraform plan -out=tfplan", "terraform plan -lock-timeout=30s -out=tfplan", True),
        ("terraform", "terraform plan -out=tfplan", "terraform plan -lock=false -out=tfplan", False),
        ("kubectl", "kubectl get pods -n web", "kubectl get pods -n web -A", False),
    ],
)
def test_flags_that_only_change_reporting_are_ignored(form, accepted, answer, right):
    """Log verbosity, prompts and lock waiting change how a command reports or waits, not what it does."""
    assert grade_response(Response(form=form, accepted=(accepted,)), answer).correct is right


@pytest.mark.parametrize(
    ("accepted", "answer", "right"),
    [
        ("kubectl get pods -n web", "kubectl get pods -n web -o wide", True),
        ("kubectl get pods -n web", "kubectl get po -n web --no-headers --show-labels", True),
        ("kubectl get pods -n web", "kubectl get pods -n web --sort-by=.metadata.name", True),
        ("kubectl api-resources --verbs=list", "kubectl api-resources --verbs=list -o name", True),
        ("kubectl get pods -n web", "kubectl get pods -n web -o name | wc -l", False),  # the printer feeds a pipe
        ("kubectl get pods -n web", "kubectl get pods -n web -o yaml > pods.yaml", False),  # or a file
        ("kubectl get pods -n web", "kubectl get pods -n default -o wide", False),
        ("kubectl get pods -n web -o name", "kubectl get pods -n web -o wide", False),  # the task names the printer
        ("kubectl delete pod web", "kubectl delete pod web -o name", True),  # deletes it, then prints its name
        ("kubectl delete pod web", "kubectl delete pod web -o name > gone.txt", False),
    ],
)
def test_printer_flags_on_the_terminal_are_ignored(accepted, answer, right):
    """A command printed to the terminal does the same whatever its printer; where the task names a printer, or
    the output goes on to a pipe or a file, the printer is part of the answer (more in test_grading_commands)."""
    assert grade_response(Response(form="kubectl", accepted=(accepted,)), answer).correct is right


@pytest.mark.parametrize(
    ("form", "accepted", "answer", "right"),
    [
        ("kubectl", "kubectl apply -f deploy.yaml", "kubectl apply -f deploy.yaml --validate=true", True),
        ("kubectl", "kubectl apply -f deploy.yaml", "kubectl apply -f deploy.yaml --validate=strict", True),
        ("kubectl", "kubectl apply -f deploy.yaml", "kubectl apply -f deploy.yaml --validate=false", False),
        (
            "kubectl",
            "kubectl expose deploy redis --port=6379",
            "kubectl expose deploy/redis --port=6379 --name=redis",
            True,
        ),
        (
            "kubectl",
            "kubectl expose deploy redis --port=6379",
            "kubectl expose deploy redis --port=6379 --name=cache",
            False,
        ),
        ("terraform", "terraform init -backend=false", "terraform -chdir=. init -backend=false", True),
        ("terraform", "terraform init -backend=false", "terraform -chdir=infra init -backend=false", False),
        (
            "kubeadm",
            "kubeadm join 10.0.0.10:6443 --token abc.def --discovery-token-ca-cert-hash sha256:1f",
            "kubeadm join 10.0.0.10:6443 --discovery-token abc.def --tls-bootstrap-token abc.def"
            " --discovery-token-ca-cert-hash sha256:1f",
            True,
        ),
        (
            "kubeadm",
            "kubeadm join 10.0.0.10:6443 --token abc.def --discovery-token-ca-cert-hash sha256:1f",
            "kubeadm join 10.0.0.10:6443 --discovery-token abc.def --tls-bootstrap-token abc.xyz"
            " --discovery-token-ca-cert-hash sha256:1f",
            False,
        ),
    ],
)
def test_documented_defaults_and_stand_ins(form, accepted, answer, right):
    """What the reference pages say a flag does when left out: --validate is strict (true is strict), expose's
    Service name is the exposed resource's, -chdir=. is where Terraform runs, and kubeadm join's
    --token stands for both tokens."""
    assert grade_response(Response(form=form, accepted=(accepted,)), answer).correct is right
