"""Typed answers: equivalent spellings of a command, field path or value pass; near misses fail.

Commands are generated as specifications (tool, verb, resource, name, flags...), then written out in many
equivalent ways (flag order, short or long flags, ``=`` or a space, ``TYPE/NAME``, quoting, the ``k`` alias); each
written form must pass against one canonical accepted form, and a specification changed in one part must fail.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass, replace

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from opsprep.questions import Response, Verdict, grade_response
from opsprep.questions.command_lines import PRESENTATION_FLAGS
from opsprep.questions.typed_answers import FORMS, normalise

PROPERTY = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def passes(form: str, accepted: str | tuple[str, ...], answer: str) -> bool:
    forms = (accepted,) if isinstance(accepted, str) else accepted
    return grade_response(Response(form, accepted=forms), answer).correct


# --- kubectl ------------------------------------------------------------------------------------------------------

#: resource types: every spelling of each (plural first)
TYPES = {
    "deployments": ("deployments", "deployment", "deploy", "Deployment"),
    "pods": ("pods", "pod", "po"),
    "services": ("services", "service", "svc"),
    "configmaps": ("configmaps", "configmap", "cm"),
    "namespaces": ("namespaces", "namespace", "ns"),
    "serviceaccounts": ("serviceaccounts", "serviceaccount", "sa"),
    "persistentvolumeclaims": ("persistentvolumeclaims", "persistentvolumeclaim", "pvc"),
    "ingresses": ("ingresses", "ingress", "ing"),
    "networkpolicies": ("networkpolicies", "networkpolicy", "netpol"),
    "daemonsets": ("daemonsets", "daemonset", "ds"),
    "statefulsets": ("statefulsets", "statefulset", "sts"),
    "cronjobs": ("cronjobs", "cronjob", "cj"),
    "horizontalpodautoscalers": ("horizontalpodautoscalers", "horizontalpodautoscaler", "hpa"),
    "poddisruptionbudgets": ("poddisruptionbudgets", "poddisruptionbudget", "pdb"),
    "resourcequotas": ("resourcequotas", "resourcequota", "quota"),
    "limitranges": ("limitranges", "limitrange", "limits"),
    "nodes": ("nodes", "node", "no"),
    "endpoints": ("endpoints", "ep"),
    "storageclasses": ("storageclasses", "storageclass", "sc"),
}

#: kubectl flags: long name, short letter (or ""), values (empty: a boolean flag)
FLAGS = (
    ("output", "o", ("yaml", "json", "wide", "name", "jsonpath={.items[*].metadata.name}")),
    ("selector", "l", ("app=web", "tier in (front,back)", "app=web,tier!=db")),
    ("show-labels", "", ()),
    ("watch", "w", ()),
    ("sort-by", "", (".metadata.name", ".metadata.creationTimestamp")),
    ("field-selector", "", ("status.phase=Running", "spec.nodeName=node-1")),
    ("force", "", ()),
    ("grace-period", "", ("0", "30")),
    ("replicas", "", ("2", "5")),
    ("overwrite", "", ()),
    ("context", "", ("prod", "lab-2")),
)
VERBS = ("get", "describe", "delete", "edit", "scale", "label", "annotate")
PRINTERS = PRESENTATION_FLAGS["kubectl"]
names = st.from_regex(r"[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4})?", fullmatch=True)


@dataclass(frozen=True)
class KubectlSpec:
    """One kubectl command: verb, resource type (plural), names, namespace and flags ((name, value or None))."""

    verb: str
    kind: str
    resource_names: tuple[str, ...]
    namespace: str | None
    flags: tuple[tuple[str, str | None], ...]


@st.composite
def kubectl_specs(draw) -> KubectlSpec:
    chosen = draw(st.lists(st.sampled_from(FLAGS), max_size=4, unique_by=lambda flag: flag[0]))
    flags = tuple((name, draw(st.sampled_from(values)) if values else None) for name, _, values in chosen)
    return KubectlSpec(
        verb=draw(st.sampled_from(VERBS)),
        kind=draw(st.sampled_from(sorted(TYPES))),
        resource_names=tuple(draw(st.lists(names, min_size=1, max_size=2, unique=True))),
        namespace=draw(st.none() | names),
        flags=flags,
    )


def canonical_kubectl(spec: KubectlSpec) -> str:
    """The accepted form: plural type, TYPE NAME, long flags with "=", in the order given."""
    words = ["kubectl", spec.verb, spec.kind, *spec.resource_names]
    if spec.namespace:
        words.append(f"--namespace={spec.namespace}")
    words += [f"--{name}" if value is None else f"--{name}={value}" for name, value in spec.flags]
    return shlex.join(words)


def quoted(draw, value: str) -> str:
    style = draw(st.sampled_from(("single", "double", "plain")))
    if style == "plain" and shlex.quote(value) == value:
        return value
    if style == "double" and not any(c in value for c in '"\\$`'):
        return f'"{value}"'
    return shlex.quote(value)


def write_flag(draw, long: str, short: str, value: str | None) -> list[str]:
    """One flag written in one of its equivalent spellings."""
    use_short = bool(short) and draw(st.booleans())
    if value is None:
        spelling = draw(st.sampled_from(("plain", "true")))
        name = f"-{short}" if use_short else f"--{long}"
        return [name] if spelling == "plain" else [f"{name}=true"]
    written = quoted(draw, value)
    if use_short:
        how = draw(st.sampled_from(("space", "attached", "equals")))
        if how == "space":
            return [f"-{short}", written]
        return [f"-{short}{written}"] if how == "attached" else [f"-{short}={written}"]
    how = draw(st.sampled_from(("space", "equals")))
    return [f"--{long}", written] if how == "space" else [f"--{long}={written}"]


@st.composite
def written_kubectl(draw, spec: KubectlSpec) -> str:
    """``spec`` written in a random equivalent way."""
    shorts = {name: short for name, short, _ in FLAGS}
    options = [write_flag(draw, name, shorts[name], value) for name, value in spec.flags]
    if spec.namespace:
        options.append(write_flag(draw, "namespace", "n", spec.namespace))
    options = draw(st.permutations(options))
    type_word = draw(st.sampled_from(TYPES[spec.kind]))
    if draw(st.booleans()):
        resources = [f"{type_word}/{name}" for name in spec.resource_names]
    else:
        resources = [type_word, *spec.resource_names]
    before = draw(st.integers(0, len(options)))  # flags may come before the verb, between or after the resources
    words = [draw(st.sampled_from(("kubectl", "k", "$ kubectl")))]
    words += [w for option in options[:before] for w in option] + [spec.verb]
    middle = draw(st.integers(0, len(options) - before))
    words += [w for option in options[before : before + middle] for w in option] + resources
    words += [w for option in options[before + middle :] for w in option]
    return " ".join(words)


@PROPERTY
@given(data=st.data(), spec=kubectl_specs())
def test_equivalent_kubectl_commands_pass(data, spec: KubectlSpec) -> None:
    answer = data.draw(written_kubectl(spec))
    assert passes("kubectl", canonical_kubectl(spec), answer), answer


def near_miss(draw, spec: KubectlSpec) -> KubectlSpec:
    """``spec`` changed in exactly one part that changes what the command does."""
    part = draw(st.sampled_from(("verb", "kind", "name", "namespace", "drop", "add", "value")))
    if part == "verb":
        return replace(spec, verb=draw(st.sampled_from([v for v in VERBS if v != spec.verb])))
    if part == "kind":
        return replace(spec, kind=draw(st.sampled_from([k for k in TYPES if k != spec.kind])))
    if part == "name":
        index = draw(st.integers(0, len(spec.resource_names) - 1))
        changed = list(spec.resource_names)
        changed[index] = draw(names.filter(lambda n: n not in spec.resource_names))
        return replace(spec, resource_names=tuple(changed))
    if part == "namespace":
        return replace(spec, namespace=draw(names.filter(lambda n: n != spec.namespace)))
    if part == "drop" and spec.flags:
        index = draw(st.integers(0, len(spec.flags) - 1))
        return replace(spec, flags=spec.flags[:index] + spec.flags[index + 1 :])
    if part == "value" and any(value is not None for _, value in spec.flags):
        index = draw(st.sampled_from([i for i, (_, value) in enumerate(spec.flags) if value is not None]))
        name, value = spec.flags[index]
        values = next(values for long, _, values in FLAGS if long == name)
        other = draw(st.sampled_from([v for v in values if v != value] or [value + "x"]))
        return replace(spec, flags=(*spec.flags[:index], (name, other), *spec.flags[index + 1 :]))
    # a printer added to a command that sets none, printed on the terminal, is no near miss (the command does the
    # same: questions.command_lines.printer_flags)
    prints = any(name in PRINTERS for name, _ in spec.flags)
    unused = [flag for flag in FLAGS if flag[0] not in dict(spec.flags) and (prints or flag[0] not in PRINTERS)]
    name, _, values = draw(st.sampled_from(unused))
    return replace(spec, flags=(*spec.flags, (name, draw(st.sampled_from(values)) if values else None)))


@PROPERTY
@given(data=st.data(), spec=kubectl_specs())
def test_kubectl_near_misses_fail(data, spec: KubectlSpec) -> None:
    wrong = near_miss(data.draw, spec)
    assume(wrong != spec)
    answer = data.draw(written_kubectl(wrong))
    assert not passes("kubectl", canonical_kubectl(spec), answer), (canonical_kubectl(spec), answer)


@PROPERTY
@given(
    data=st.data(),
    pod=names,
    container=st.none() | names,
    tail=st.lists(st.sampled_from(["sh", "-c", "echo hi; ls /", "cat", "/etc/hosts", "--", "-x"]), min_size=1),
)
def test_exec_keeps_what_follows_the_separator(data, pod: str, container: str | None, tail: list[str]) -> None:
    accepted = f"kubectl exec -it pod/{pod}" + (f" -c {container}" if container else "") + " -- " + shlex.join(tail)
    options = [["-i"], ["-t"]] if data.draw(st.booleans()) else [["-it"]] if data.draw(st.booleans()) else [["-ti"]]
    if container:
        options.append(data.draw(st.sampled_from([["-c", container], [f"--container={container}"]])))
    options = data.draw(st.permutations(options))
    target = data.draw(st.sampled_from([pod, f"pod/{pod}", f"po/{pod}", f"pods/{pod}"]))
    written = " ".join(["kubectl", "exec", *[w for o in options for w in o], target, "--", *map(quoted_tail, tail)])
    assert passes("kubectl", accepted, written), written
    if len(set(tail)) > 1:
        shuffled = data.draw(st.permutations(tail))
        assume(shuffled != tail)
        assert not passes("kubectl", accepted, f"kubectl exec -it {pod} -c {container} -- {shlex.join(shuffled)}")


def quoted_tail(word: str) -> str:
    return shlex.quote(word)


@pytest.mark.parametrize(
    ("accepted", "answer"),
    [
        (
            "kubectl get pods -o jsonpath='{.items[*].metadata.name}'",
            'k get po -o "jsonpath={.items[*].metadata.name}"',
        ),
        ("kubectl logs web -c app --previous", "kubectl logs pod/web --container=app --previous"),
        ("kubectl rollout undo deployment/web --to-revision=2", "kubectl rollout undo deploy web --to-revision 2"),
        ("kubectl set image deployment/web nginx=nginx:1.27", "kubectl set image deploy web nginx=nginx:1.27"),
        ("kubectl create deployment web --image=nginx --replicas=3", "kubectl create deploy web --image nginx -r 3"),
        ("kubectl delete pod web --force", "kubectl delete po/web --force=true"),
        ("kubectl get all -A", "kubectl get all --all-namespaces"),
        ("kubectl apply -k overlays/prod", "kubectl apply --kustomize=overlays/prod"),
        ("kubectl apply -f web.yaml", "kubectl apply --filename web.yaml"),
        (
            "kubectl run tmp --image=busybox --rm -it --restart=Never -- sh",
            "kubectl run tmp --rm -ti --image busybox --restart Never -- sh",
        ),
        (
            "kubectl run web --image=nginx --dry-run=client -o yaml > pod.yaml",
            "kubectl run web --image=nginx -oyaml --dry-run=client >pod.yaml",
        ),
        (
            "kubectl auth can-i create deployments -n dev --as=jane",
            "kubectl auth can-i create deploy --namespace dev --as jane",
        ),
        ("kubectl taint nodes node-1 gpu=true:NoSchedule", "kubectl taint node node-1 gpu=true:NoSchedule"),
        ("kubectl top pods -n kube-system", "kubectl top pod --namespace=kube-system"),
        ("kubectl config use-context lab", "kubectl config use lab"),
        ("kubectl explain deployment.spec.strategy", "kubectl explain deploy.spec.strategy"),
        (
            "kubectl drain node-1 --ignore-daemonsets --delete-emptydir-data",
            "kubectl drain --delete-emptydir-data node-1 --ignore-daemonsets",
        ),
        ("kubectl get deploy,svc web", "kubectl get deployment/web service/web"),
    ],
)
def test_kubectl_equivalents(accepted: str, answer: str) -> None:
    assert passes("kubectl", accepted, answer)


@pytest.mark.parametrize(
    ("accepted", "answer"),
    [
        ("kubectl logs -f web", "kubectl logs --filename web"),  # -f is --follow for logs
        ("kubectl logs web -p", "kubectl logs web"),
        ("kubectl run web --image=nginx --dry-run=client", "kubectl run web --image=nginx --dry-run client"),
        ("kubectl logs web app", "kubectl logs app web"),  # positional order is kept
        ("kubectl get pods -n dev", "kubectl get pods -n Dev"),  # names are case-sensitive
        ("kubectl scale deployment web --replicas=3", "kubectl scale deployment web --replicas=03x"),
        ("kubectl get pods", "kubectl get pods web"),
        ("kubectl delete pod web", "kubectl delete pod web --force"),
        ("kubectl get pods", "kubectl pods get"),
        ("kubectl exec web -- ls /tmp", "kubectl exec web -- ls /var"),
    ],
)
def test_kubectl_near_misses(accepted: str, answer: str) -> None:
    assert not passes("kubectl", accepted, answer)


# --- Terraform ----------------------------------------------------------------------------------------------------

TF_FLAGS = (
    ("auto-approve", ()),
    ("refresh-only", ()),
    ("var", ("region=eu-west-1", 'tags={team="ops"}', "count=3")),
    ("var-file", ("prod.tfvars", "envs/dev.tfvars")),
    ("target", ("aws_instance.web", 'module.vpc.aws_subnet.private["a"]')),
    ("replace", ("aws_instance.web[0]", "aws_instance.db")),
    ("out", ("tfplan", "plan.out")),
    ("parallelism", ("5", "20")),
    ("refresh", ("false",)),
)
TF_COMMANDS = ("plan", "apply", "destroy")


@dataclass(frozen=True)
class TerraformSpec:
    command: str
    flags: tuple[tuple[str, str | None], ...]
    plan_file: str | None


@st.composite
def terraform_specs(draw) -> TerraformSpec:
    chosen = draw(st.lists(st.sampled_from(TF_FLAGS), max_size=4, unique_by=lambda flag: flag[0]))
    flags = tuple((name, draw(st.sampled_from(values)) if values else None) for name, values in chosen)
    command = draw(st.sampled_from(TF_COMMANDS))
    return TerraformSpec(command, flags, draw(st.none() | st.just("tfplan")) if command == "apply" else None)


def canonical_terraform(spec: TerraformSpec) -> str:
    words = ["terraform", spec.command, *(f"-{n}" if v is None else f"-{n}={v}" for n, v in spec.flags)]
    return shlex.join(words + ([spec.plan_file] if spec.plan_file else []))


@st.composite
def written_terraform(draw, spec: TerraformSpec) -> str:
    options = []
    for name, value in spec.flags:
        dash = draw(st.sampled_from(("-", "--")))
        if value is None:
            options.append([f"{dash}{name}" + draw(st.sampled_from(("", "=true", "=1", "=T")))])
        elif name == "refresh":  # a boolean flag: its value only after "=" (strconv.ParseBool spellings)
            options.append([f"{dash}{name}=" + draw(st.sampled_from(("false", "0", "f", "FALSE", "False")))])
        elif draw(st.booleans()):
            options.append([f"{dash}{name}", quoted(draw, value)])
        else:
            options.append([f"{dash}{name}={quoted(draw, value)}"])
    options = draw(st.permutations(options))
    words = ["terraform", spec.command, *[w for o in options for w in o]]
    return " ".join(words + ([spec.plan_file] if spec.plan_file else []))


@PROPERTY
@given(data=st.data(), spec=terraform_specs())
def test_equivalent_terraform_commands_pass(data, spec: TerraformSpec) -> None:
    answer = data.draw(written_terraform(spec))
    assert passes("terraform", canonical_terraform(spec), answer), answer


@PROPERTY
@given(data=st.data(), spec=terraform_specs())
def test_terraform_near_misses_fail(data, spec: TerraformSpec) -> None:
    part = data.draw(st.sampled_from(("command", "drop", "add", "value")))
    wrong = spec
    if part == "command":
        wrong = replace(spec, command=data.draw(st.sampled_from([c for c in TF_COMMANDS if c != spec.command])))
        wrong = replace(wrong, plan_file=None) if wrong.command != "apply" else wrong
    elif part == "drop" and spec.flags:
        wrong = replace(spec, flags=spec.flags[1:])
    elif part == "value" and any(v is not None and n != "refresh" for n, v in spec.flags):
        index = next(i for i, (n, v) in enumerate(spec.flags) if v is not None and n != "refresh")
        name, value = spec.flags[index]
        wrong = replace(spec, flags=(*spec.flags[:index], (name, value + "1"), *spec.flags[index + 1 :]))
    else:
        # plan's -out only saves the same plan as well (questions.command_lines.CONTEXT_FLAGS): no near miss
        harmless = {"out"} if spec.command == "plan" else set()
        unused = [flag for flag in TF_FLAGS if flag[0] not in dict(spec.flags) and flag[0] not in harmless]
        name, values = data.draw(st.sampled_from(unused))
        wrong = replace(spec, flags=(*spec.flags, (name, values[0] if values else None)))
    assume(wrong != spec)
    answer = data.draw(written_terraform(wrong))
    assert not passes("terraform", canonical_terraform(spec), answer), (canonical_terraform(spec), answer)


@pytest.mark.parametrize(
    ("accepted", "answer", "right"),
    [
        ("terraform plan -var='a=b'", "terraform plan -var 'a=b'", True),
        ("terraform plan -var='a=b'", "terraform plan -var=a=b", True),
        ("terraform plan -var='a=b'", "terraform plan --var a=b", True),
        ("terraform state mv aws_instance.a aws_instance.b", "terraform state mv aws_instance.b aws_instance.a", False),
        ("terraform apply -auto-approve tfplan", "terraform apply tfplan -auto-approve", False),  # flags stop there
        ("terraform apply -refresh=false", "terraform apply -refresh false", False),  # a boolean needs "="
        ("terraform -chdir=infra init -upgrade", "terraform -chdir=infra init --upgrade=true", True),
        ("terraform version", "terraform -version", True),
        ("terraform workspace select prod", "terraform workspace select dev", False),
        ("terraform import aws_instance.web i-0abc", "terraform import aws_instance.web i-0abd", False),
    ],
)
def test_terraform_cases(accepted: str, answer: str, right: bool) -> None:
    assert passes("terraform", accepted, answer) is right


# --- other tools --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "accepted", "answer", "right"),
    [
        (
            "helm",
            "helm upgrade --install web ./chart -n prod -f values.yaml",
            "helm upgrade -i web ./chart --namespace=prod --values values.yaml",
            True,
        ),
        ("helm", "helm rollback web 2 -n prod", "helm rollback web 3 -n prod", False),
        ("helm", "helm uninstall web", "helm delete web", True),
        ("helm", "helm list -A", "helm ls --all-namespaces", True),
        ("helm", "helm install web ./chart --set image.tag=1.2", "helm install web ./chart --set image.tag=1.3", False),
        (
            "etcdctl",
            "ETCDCTL_API=3 etcdctl snapshot save /backup/etcd.db --endpoints=https://127.0.0.1:2379 --cacert=/ca.crt",
            "etcdctl --cacert /ca.crt snapshot save /backup/etcd.db --endpoints https://127.0.0.1:2379",
            True,
        ),
        ("etcdctl", "etcdctl snapshot save /backup/etcd.db", "etcdctl snapshot save /backup/etcd2.db", False),
        (
            "etcdctl",
            "etcdutl snapshot restore /backup/etcd.db --data-dir=/var/lib/etcd-restore",
            "etcdutl snapshot restore /backup/etcd.db --data-dir /var/lib/etcd-restore",
            True,
        ),
        ("kubeadm", "kubeadm upgrade apply v1.35.0 -y", "sudo kubeadm upgrade apply --yes v1.35.0", True),
        ("kubeadm", "kubeadm upgrade apply v1.35.0", "kubeadm upgrade apply v1.34.0", False),
        (
            "kubeadm",
            "kubeadm token create --print-join-command",
            "kubeadm token create --print-join-command=true",
            True,
        ),
        ("command", "systemctl restart kubelet", "systemctl  restart   kubelet", True),
        ("command", "systemctl restart kubelet", "systemctl stop kubelet", False),
        ("command", "ls -la /etc/kubernetes/manifests", "ls -al /etc/kubernetes/manifests", True),
        ("command", "journalctl -u kubelet --since=today", "journalctl -u kubelet --since today", True),
    ],
)
def test_other_tools(form: str, accepted: str, answer: str, right: bool) -> None:
    assert passes(form, accepted, answer) is right


# --- field paths and values ---------------------------------------------------------------------------------------

segments = st.from_regex(r"[a-z][a-zA-Z]{0,9}", fullmatch=True)


@st.composite
def field_paths(draw) -> list[tuple[str, bool]]:
    """A field path as (name, is a list) pairs."""
    return draw(st.lists(st.tuples(segments, st.booleans()), min_size=2, max_size=7))


def write_path(draw, path: list[tuple[str, bool]], canonical: bool = False) -> str:
    parts = []
    for name, is_list in path:
        marker = "[]" if canonical else draw(st.sampled_from(("[]", "[0]", "[*]", "", "[ ]")))
        parts.append(name + (marker if is_list else ""))
    text = ".".join(parts)
    if canonical:
        return text
    return draw(st.sampled_from(("", ".", " ."))) + text.replace(".", draw(st.sampled_from((".", ". ", " ."))))


@PROPERTY
@given(data=st.data(), path=field_paths())
def test_equivalent_field_paths_pass(data, path) -> None:
    assert passes("field_path", write_path(data.draw, path, canonical=True), write_path(data.draw, path))


@PROPERTY
@given(data=st.data(), path=field_paths())
def test_field_path_near_misses_fail(data, path) -> None:
    index = data.draw(st.integers(0, len(path) - 1))
    name, is_list = path[index]
    other = data.draw(
        st.sampled_from([name.upper() if name.upper() != name else name + "s", name + "x", name[:-1] or "zz"])
    )
    assume(other != name)
    wrong = [*path[:index], (other, is_list), *path[index + 1 :]]
    assert not passes("field_path", write_path(data.draw, path, canonical=True), write_path(data.draw, wrong))


def test_the_readiness_probe_path() -> None:
    accepted = "spec.template.spec.containers[].readinessProbe.httpGet.path"
    for answer in (
        ".spec.template.spec.containers[0].readinessProbe.httpGet.path",
        "spec.template.spec.containers[*].readinessProbe.httpGet.path",
        "spec.template.spec.containers.readinessProbe.httpGet.path",
        "{.spec.template.spec.containers[*].readinessProbe.httpGet.path}",
    ):
        assert passes("field_path", accepted, answer), answer
    for answer in (
        "spec.template.spec.containers[].livenessProbe.httpGet.path",
        "spec.template.spec.containers[].readinessprobe.httpGet.path",
        "spec.containers[].readinessProbe.httpGet.path",
    ):
        assert not passes("field_path", accepted, answer), answer


@pytest.mark.parametrize(
    ("accepted", "answer", "right"),
    [
        ("3", "3.0", True),
        ("3", '"3"', True),
        ("0.5", ".50", True),
        ("3", "4", False),
        ("IfNotPresent", " IfNotPresent ", True),
        ("IfNotPresent", "ifnotpresent", False),
        ("true", "True", True),
        ("128Mi", "128M", False),
        ("128Mi", "'128Mi'", True),
    ],
)
def test_values(accepted: str, answer: str, right: bool) -> None:
    assert passes("value", accepted, answer) is right


# --- general properties ---------------------------------------------------------------------------------------------


@PROPERTY
@given(form=st.sampled_from(sorted(FORMS)), text=st.text())
def test_normalising_is_idempotent_and_grading_never_raises(form: str, text: str) -> None:
    once = normalise(form, text).text
    assert normalise(form, once).text == once
    verdict = grade_response(Response(form, accepted=("kubectl get pods", "terraform plan")), text)
    assert verdict.score in (0.0, 1.0) and verdict.results == ()


@PROPERTY
@given(data=st.data(), spec=kubectl_specs())
def test_normalising_written_commands_is_idempotent(data, spec: KubectlSpec) -> None:
    once = normalise("kubectl", data.draw(written_kubectl(spec))).text
    assert normalise("kubectl", once).text == once


def test_an_unclosed_quote_is_reported_and_never_accepted() -> None:
    verdict = grade_response(
        Response("kubectl", accepted=("kubectl get pods -l app=web",)), "kubectl get pods -l 'app=web"
    )
    assert not verdict.correct
    assert any("Unclosed quote" in problem for problem in verdict.problems)


def test_empty_answers_are_asked_for() -> None:
    verdict = grade_response(Response("value", accepted=("3",)), "   ")
    assert not verdict.correct and verdict.problems == ("Type an answer.",)


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        ("kubectl scale deployment web --replicas=4", "check the value of `--replicas`"),
        ("kubectl scale deployment api --replicas=3", "check the name in `deployments/api`"),
        ("kubectl scale statefulset web --replicas=3", "check the resource type in `statefulsets/web`"),
        ("kubectl scale deployment web --replicas=3 -n prod", "`--namespace=prod` is not part of the answer"),
        ("kubectl scale deployment web", "one flag is missing"),
        ("kubectl get deployment web --replicas=3", "check the command `get`"),
    ],
)
def test_a_near_miss_gets_a_hint_naming_its_own_part(answer: str, hint: str) -> None:
    accepted = "kubectl scale deployment web --replicas=3"
    verdict = grade_response(Response("kubectl", accepted=(accepted,)), answer)
    assert not verdict.correct
    assert verdict.problems == (f"Almost: {hint}.",)
    assert verdict.expected == (accepted,)  # the answer is shown only through expected, after grading


def test_answers_far_off_get_no_hint() -> None:
    verdict = grade_response(
        Response("kubectl", accepted=("kubectl get pods",)), "kubectl delete deployment web --force"
    )
    assert verdict.problems == ()


def test_verdicts_round_trip_through_json() -> None:
    verdict = grade_response(Response("kubectl", accepted=("kubectl get pods",), model_answer="m"), "kubectl get po -x")
    assert Verdict.from_dict(json.loads(json.dumps(verdict.to_dict()))) == verdict


def test_an_unknown_form_is_a_fault_of_the_item() -> None:
    with pytest.raises(ValueError, match="Unknown"):
        grade_response(Response("powershell", accepted=("Get-Item",)), "Get-Item")
