"""Validation rules of the Kubernetes API server that the OpenAPI schema does not express.

A task answer is "checked against the Kubernetes v1.35 API": the schema (:mod:`opsprep.graph.k8s_api`) catches
unknown fields and wrong types, but the API server also runs hand-written validation after defaulting, and
refuses objects the schema allows. This module implements a small set of those rules, each as the source states
it, so that a manifest ``kubectl apply`` would refuse fails its task with the rule's message:

Pod specs (a Pod's ``spec`` and every Pod template), from ``pkg/apis/core/validation/validation.go`` of
kubernetes/kubernetes:

- container names are unique across ``containers`` and ``initContainers`` (``validateContainers``,
  ``validateInitContainers``: ``field.Duplicate``);
- volume names are unique (``ValidateVolumes``), every ``volumeMounts[].name`` names a volume and a container
  mounts nothing twice at one ``mountPath`` (``ValidateVolumeMounts``: ``field.NotFound``, "must be unique");
- an init container without ``restartPolicy: Always`` (not a sidecar) may have no ``lifecycle``,
  ``livenessProbe``, ``readinessProbe`` or ``startupProbe`` (``validateInitContainers``: "may not be set for init
  containers without restartPolicy=Always"); a sidecar may have them;
- a container port's ``protocol`` (defaulted to ``TCP``) is ``TCP``, ``UDP`` or ``SCTP``, case-sensitive, and its
  port names are unique (``validateContainerPorts``, ``supportedPortProtocols``).

Workloads, from ``pkg/apis/apps/validation/validation.go`` and ``pkg/apis/batch/validation/validation.go``:

- a Deployment's, ReplicaSet's, DaemonSet's or StatefulSet's selector is not empty, and the selector of those and of
  a Job that states one matches its template's labels ("`selector` does not match template `labels`");
- the template's ``restartPolicy`` (defaulted to ``Always`` by ``SetDefaults_PodSpec``) is ``Always`` for a
  Deployment, ReplicaSet, DaemonSet or StatefulSet, and ``OnFailure`` or ``Never`` for a Job or a CronJob's job
  template; a CronJob's job template states no selector ("`selector` will be auto-generated"), and a Job states
  one only with ``manualSelector: true`` ("`selector` not auto-generated");
- a Deployment with strategy ``Recreate`` has no ``rollingUpdate``, and ``maxSurge`` and ``maxUnavailable``
  (each defaulted to 25%) are not both 0 (``ValidateDeploymentStrategy``, ``ValidateRollingUpdateDeployment``).

Services, from ``ValidateService`` and ``validateServicePort`` of ``pkg/apis/core/validation/validation.go``:

- a port's ``protocol`` (defaulted to ``TCP``) is ``TCP``, ``UDP`` or ``SCTP``; no two ports have the same
  protocol and port; with more than one port every port has a name, and names are unique;
- a ``ClusterIP`` Service (the default type) has no ``nodePort``;
- ``externalTrafficPolicy`` is set only on a Service that is externally accessible: type ``NodePort`` or
  ``LoadBalancer``, or ``ClusterIP`` with ``externalIPs`` (``validateServiceExternalTrafficPolicy``,
  ``ExternallyAccessible`` of ``pkg/api/service/util.go``).

LimitRanges, from ``ValidateLimitRange`` of ``pkg/apis/core/validation/validation.go``, after the defaulting of
``SetDefaults_LimitRangeItem``: each limit ``type`` once, no ``default`` or ``defaultRequest`` on a ``Pod`` item,
per resource min <= defaultRequest <= default <= max (and min <= max), and a ``maxLimitRequestRatio`` of at least 1.

A StatefulSet's Pod template is not validated when the StatefulSet is stored (``ValidatePodTemplateSpecForStatefulSet``
leaves it as a TODO), but every Pod the StatefulSet makes from it is: the Pod spec rules apply to it too, the claim
templates counting as volumes, and their messages say that the Pods are refused.

Left out, because the source could not be confirmed for v1.35: ``restartPolicy`` on a regular container (refused
by ``validateContainers`` before the container restart rules of KEP-5307, whose state in v1.35 is not known here),
a nodePort on an ExternalName Service (no rule was found; only ClusterIP is checked), and HorizontalPodAutoscaler
rules such as minReplicas not above maxReplicas.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from opsprep.graph.k8s_api import dotted

Path = tuple[str | int, ...]

#: where each kind keeps the Pod spec (or the Pod template's spec) that the Pod spec rules check
POD_SPEC_PATHS: dict[str, Path] = {
    "Pod": ("spec",),
    "PodTemplate": ("template", "spec"),
    "ReplicationController": ("spec", "template", "spec"),
    "Deployment": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}
#: kinds whose template must restart always, and whose selector is required and must match the template
ALWAYS_RESTARTING = ("Deployment", "ReplicaSet", "DaemonSet", "StatefulSet")
#: ``supportedPortProtocols`` of the core validation
PROTOCOLS = ("TCP", "UDP", "SCTP")
#: fields an init container may carry only as a sidecar (``restartPolicy: Always``)
SIDECAR_ONLY_FIELDS = ("lifecycle", "livenessProbe", "readinessProbe", "startupProbe")
_SIDECAR_ONLY = "may not be set for init containers without restartPolicy=Always"


@dataclass(frozen=True)
class RuleProblem:
    """One way a manifest breaks an API server rule: where (keys and list indexes from the top) and what."""

    path: Path
    message: str

    def __str__(self) -> str:
        where = dotted(self.path)
        return f"{where}: the API server refuses it: {self.message}" if where else self.message


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _at(data: Any, path: Path) -> Any:
    for step in path:
        if isinstance(step, int):
            data = data[step] if isinstance(data, list) and 0 <= step < len(data) else None
        else:
            data = data.get(step) if isinstance(data, dict) else None
    return data


def _quoted(value: Any) -> str:
    return f'"{value}"' if isinstance(value, str) else str(value)


# --- Pod specs ------------------------------------------------------------------------------------------------------


def pod_specs(kind: str, data: Any) -> Iterator[tuple[Path, dict]]:
    """The Pod spec of a document (a Pod's ``spec``, a template's ``spec``), with its path, if it has one."""
    path = POD_SPEC_PATHS.get(kind)
    spec = _at(data, path) if path else None
    if path and isinstance(spec, dict):
        yield path, spec


def _containers(spec: dict, path: Path) -> Iterator[tuple[Path, dict, bool]]:
    """Every container of a Pod spec, with its path and whether it is an init container: the regular ones first,
    in the order the API server checks their names."""
    for field, init in (("containers", False), ("initContainers", True)):
        for index, container in enumerate(_list(spec.get(field))):
            if isinstance(container, dict):
                yield (*path, field, index), container, init


def _duplicate_containers(spec: dict, path: Path) -> list[RuleProblem]:
    """Container names unique across ``containers`` and ``initContainers``: the regular ones among themselves
    (``validateContainers``), then each init container against those and the earlier init containers
    (``validateInitContainers``)."""
    found: list[RuleProblem] = []
    names: set[str] = set()
    for where, container, init in _containers(spec, path):
        name = container.get("name")
        if not isinstance(name, str) or not name:
            continue
        if name in names:
            lists = "containers and initContainers" if init else "containers"
            found.append(
                RuleProblem(
                    (*where, "name"),
                    f"Duplicate value: {_quoted(name)}: container names must be unique across {lists} of one Pod",
                )
            )
        names.add(name)
    return found


def _volume_names(spec: dict, path: Path) -> tuple[set[str], list[RuleProblem]]:
    """The Pod's volume names, and the names given twice (``ValidateVolumes``)."""
    names: set[str] = set()
    found = []
    for index, volume in enumerate(_list(spec.get("volumes"))):
        name = _dict(volume).get("name")
        if not isinstance(name, str):
            continue
        if name in names:
            found.append(
                RuleProblem(
                    (*path, "volumes", index, "name"),
                    f"Duplicate value: {_quoted(name)}: volume names must be unique within a Pod",
                )
            )
        names.add(name)
    return names, found


def _mount_problems(container: dict, path: Path, volumes: set[str]) -> list[RuleProblem]:
    """A container's mounts name volumes of the Pod, each mount path once (``ValidateVolumeMounts``)."""
    found = []
    paths: set[str] = set()
    for index, mount in enumerate(_list(container.get("volumeMounts"))):
        mount = _dict(mount)
        name, mount_path = mount.get("name"), mount.get("mountPath")
        where = (*path, "volumeMounts", index)
        if isinstance(name, str) and name not in volumes:
            found.append(
                RuleProblem((*where, "name"), f"Not found: {_quoted(name)}: the Pod has no volume of that name")
            )
        if isinstance(mount_path, str):
            if mount_path in paths:
                found.append(
                    RuleProblem(
                        (*where, "mountPath"),
                        f"Invalid value: {_quoted(mount_path)}: must be "
                        "unique (the container already mounts a volume there)",
                    )
                )
            paths.add(mount_path)
    return found


def _sidecar_only(container: dict, path: Path) -> list[RuleProblem]:
    """An init container that is not a sidecar carries no lifecycle hooks or probes (``validateInitContainers``)."""
    if container.get("restartPolicy") == "Always":
        return []
    return [
        RuleProblem(
            (*path, field),
            f"Forbidden: {_SIDECAR_ONLY} (an init container runs to completion before the "
            "app containers start, so it is never probed)",
        )
        for field in SIDECAR_ONLY_FIELDS
        if container.get(field) is not None
    ]


def _container_port_problems(container: dict, path: Path) -> list[RuleProblem]:
    """A container's ports: a supported protocol (``TCP`` when left out) and unique names
    (``validateContainerPorts``)."""
    found = []
    names: set[str] = set()
    for index, port in enumerate(_list(container.get("ports"))):
        port = _dict(port)
        where = (*path, "ports", index)
        protocol = port.get("protocol", "TCP")
        if isinstance(protocol, str) and protocol not in PROTOCOLS:
            found.append(_protocol_problem((*where, "protocol"), protocol))
        name = port.get("name")
        if isinstance(name, str) and name:
            if name in names:
                found.append(RuleProblem((*where, "name"), f"Duplicate value: {_quoted(name)}"))
            names.add(name)
    return found


def _protocol_problem(path: Path, protocol: str) -> RuleProblem:
    supported = ", ".join(f'"{p}"' for p in PROTOCOLS)
    return RuleProblem(
        path, f"Unsupported value: {_quoted(protocol)}: supported values: {supported} (the protocol is case-sensitive)"
    )


def pod_spec_problems(spec: dict, path: Path, extra_volumes: set[str] | None = None) -> list[RuleProblem]:
    """Every Pod spec rule the spec breaks (see the module docstring); ``extra_volumes`` are volume names the
    controller adds (a StatefulSet's claim templates)."""
    volumes, found = _volume_names(spec, path)
    volumes |= extra_volumes or set()
    found = _duplicate_containers(spec, path) + found
    for where, container, init in _containers(spec, path):
        found += _mount_problems(container, where, volumes)
        found += _container_port_problems(container, where)
        if init:
            found += _sidecar_only(container, where)
    return found


# --- label selectors ------------------------------------------------------------------------------------------------


def selector_problems(selector: Any, path: Path) -> list[RuleProblem]:
    """What makes a label selector invalid (``ValidateLabelSelectorRequirement`` of apimachinery): In and NotIn
    need values, Exists and DoesNotExist take none, and no other operator exists."""
    found = []
    for index, requirement in enumerate(_list(_dict(selector).get("matchExpressions"))):
        requirement = _dict(requirement)
        operator, values = requirement.get("operator"), _list(requirement.get("values"))
        where = (*path, "matchExpressions", index)
        if operator in ("In", "NotIn") and not values:
            found.append(
                RuleProblem((*where, "values"), "Required value: must be specified when `operator` is 'In' or 'NotIn'")
            )
        elif operator in ("Exists", "DoesNotExist") and values:
            found.append(
                RuleProblem(
                    (*where, "values"), "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"
                )
            )
        elif operator not in ("In", "NotIn", "Exists", "DoesNotExist"):
            found.append(
                RuleProblem(
                    (*where, "operator"),
                    f"Unsupported value: {_quoted(operator)}: supported "
                    'values: "In", "NotIn", "Exists", "DoesNotExist"',
                )
            )
    return found


def selector_matches(selector: Any, labels: Any) -> bool:
    """Whether a label selector selects an object with these labels (``LabelSelectorAsSelector``): every
    matchLabels entry is there with its value, and every matchExpressions requirement holds."""
    selector, labels = _dict(selector), _dict(labels)
    if any(labels.get(key) != value for key, value in _dict(selector.get("matchLabels")).items()):
        return False
    for requirement in _list(selector.get("matchExpressions")):
        requirement = _dict(requirement)
        key, operator, values = requirement.get("key"), requirement.get("operator"), _list(requirement.get("values"))
        present = key in labels
        holds = {
            "In": present and labels.get(key) in values,
            "NotIn": not present or labels.get(key) not in values,
            "Exists": present,
            "DoesNotExist": not present,
        }.get(operator, False)
        if not holds:
            return False
    return True


def _selector_rules(kind: str, data: dict) -> list[RuleProblem]:
    """A workload's selector: valid, not empty where the kind requires one, and matching the template's labels."""
    spec = _dict(data.get("spec"))
    selector = spec.get("selector")
    if kind not in (*ALWAYS_RESTARTING, "Job") or not isinstance(selector, dict):
        return []
    found = selector_problems(selector, ("spec", "selector"))
    empty = not _dict(selector.get("matchLabels")) and not _list(selector.get("matchExpressions"))
    if kind in ALWAYS_RESTARTING and empty:
        found.append(RuleProblem(("spec", "selector"), f"Invalid value: empty selector is invalid for {kind.lower()}"))
    labels = _dict(_dict(_dict(spec.get("template")).get("metadata")).get("labels"))
    if not found and not empty and not selector_matches(selector, labels):
        found.append(
            RuleProblem(
                ("spec", "template", "metadata", "labels"),
                "Invalid value: `selector` does not "
                f"match template `labels` (the {kind} could never find the Pods it makes)",
            )
        )
    return found


# --- workloads ------------------------------------------------------------------------------------------------------


def _restart_rules(kind: str, data: dict) -> list[RuleProblem]:
    """The template's restartPolicy (``Always`` when left out) fits the kind."""
    if kind in ALWAYS_RESTARTING:
        allowed = ("Always",)
    elif kind in ("Job", "CronJob"):
        allowed = ("OnFailure", "Never")
    else:
        return []
    found = []
    for path, spec in pod_specs(kind, data):
        policy = spec.get("restartPolicy", "Always")
        if isinstance(policy, str) and policy not in allowed:
            left_out = " (left out, it defaults to Always)" if "restartPolicy" not in spec else ""
            supported = ", ".join(f'"{p}"' for p in allowed)
            found.append(
                RuleProblem(
                    (*path, "restartPolicy"),
                    f"Unsupported value: {_quoted(policy)}{left_out}: "
                    f"supported values for a {kind}'s Pods: {supported}",
                )
            )
    return found


def _generated_selector_rules(kind: str, data: dict) -> list[RuleProblem]:
    """The Job controller generates a Job's selector: a CronJob's job template states none
    (``ValidateJobTemplateSpec``: "`selector` will be auto-generated"), and a Job states one only with
    ``manualSelector: true`` (``ValidateGeneratedSelector``: the selector must match the generated labels,
    "`selector` not auto-generated")."""
    if kind == "CronJob" and _at(data, path := ("spec", "jobTemplate", "spec", "selector")) is not None:
        return [RuleProblem(path, "Invalid value: `selector` will be auto-generated")]
    spec = _dict(data.get("spec"))
    if kind == "Job" and spec.get("selector") is not None and spec.get("manualSelector") is not True:
        return [
            RuleProblem(
                ("spec", "selector"),
                "Invalid value: `selector` not auto-generated (a Job states its own selector only with "
                "manualSelector: true)",
            )
        ]
    return []


def _percent_or_int(value: Any) -> int | None:
    """An int-or-percent value as ``getIntOrPercentValue`` reads it (``"25%"`` → 25), None if unreadable."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.endswith("%") and value[:-1].isdigit():
        return int(value[:-1])
    return None


def _strategy_rules(kind: str, data: dict) -> list[RuleProblem]:
    """A Deployment's strategy: Recreate takes no rollingUpdate; maxSurge and maxUnavailable (25% when left
    out, ``SetDefaults_Deployment``) are not both 0."""
    if kind != "Deployment":
        return []
    strategy = _dict(_dict(data.get("spec")).get("strategy"))
    path = ("spec", "strategy")
    kind_of = strategy.get("type", "RollingUpdate")
    rolling = strategy.get("rollingUpdate")
    if kind_of == "Recreate" and rolling is not None:
        return [
            RuleProblem((*path, "rollingUpdate"), "Forbidden: may not be specified when strategy `type` is 'Recreate'")
        ]
    if kind_of == "RollingUpdate" and isinstance(rolling, dict):
        surge = _percent_or_int(rolling.get("maxSurge", "25%"))
        unavailable = _percent_or_int(rolling.get("maxUnavailable", "25%"))
        if surge == 0 and unavailable == 0:
            return [
                RuleProblem(
                    (*path, "rollingUpdate", "maxUnavailable"),
                    "Invalid value: may not be 0 when `maxSurge` is 0 (an update could then never replace a Pod)",
                )
            ]
    return []


# --- Services -------------------------------------------------------------------------------------------------------


def _service_port_problems(ports: list, path: Path) -> list[RuleProblem]:
    """A Service's ports: names (required with more than one port, unique), protocols (``TCP`` when left out)
    and no (protocol, port) pair twice (``validateServicePort``, ``ValidateService``)."""
    found = []
    names: set[str] = set()
    seen: set[tuple[Any, Any]] = set()
    for index, port in enumerate(ports):
        port = _dict(port)
        where = (*path, index)
        name = port.get("name")
        if len(ports) > 1 and not name:
            found.append(
                RuleProblem(
                    (*where, "name"), "Required value: a Service with more than one port must name each of them"
                )
            )
        elif isinstance(name, str) and name:
            if name in names:
                found.append(RuleProblem((*where, "name"), f"Duplicate value: {_quoted(name)}"))
            names.add(name)
        protocol = port.get("protocol", "TCP")
        if isinstance(protocol, str) and protocol not in PROTOCOLS:
            found.append(_protocol_problem((*where, "protocol"), protocol))
        pair = (protocol, port.get("port"))
        if pair in seen:
            found.append(
                RuleProblem(
                    where, f"Duplicate value: port {_quoted(pair[1])} with protocol {_quoted(protocol)} is listed twice"
                )
            )
        seen.add(pair)
    return found


def _service_rules(kind: str, data: dict) -> list[RuleProblem]:
    """The Service rules of the module docstring."""
    if kind != "Service":
        return []
    spec = _dict(data.get("spec"))
    ports = _list(spec.get("ports"))
    kind_of = spec.get("type", "ClusterIP")
    found = _service_port_problems(ports, ("spec", "ports"))
    if kind_of == "ClusterIP":
        left_out = " (a Service left without a type is ClusterIP)" if "type" not in spec else ""
        found += [
            RuleProblem(
                ("spec", "ports", index, "nodePort"), f"Forbidden: may not be used when `type` is 'ClusterIP'{left_out}"
            )
            for index, port in enumerate(ports)
            if _dict(port).get("nodePort") not in (None, 0)
        ]
    accessible = kind_of in ("NodePort", "LoadBalancer") or (kind_of == "ClusterIP" and _list(spec.get("externalIPs")))
    if spec.get("externalTrafficPolicy") not in (None, "") and not accessible:
        found.append(
            RuleProblem(
                ("spec", "externalTrafficPolicy"),
                "Invalid value: may only be set for "
                "externally-accessible services (type NodePort or LoadBalancer, or ClusterIP with "
                "externalIPs)",
            )
        )
    return found


# --- LimitRanges -----------------------------------------------------------------------------------------------------

#: the bounds of a LimitRange item, in the order ValidateLimitRange compares them: for each resource,
#: min <= defaultRequest <= default <= max, and min <= max
LIMIT_BOUNDS = ("min", "defaultRequest", "default", "max")


def limit_range_defaults(item: dict) -> dict[str, dict]:
    """A LimitRange item's bounds after the API server's defaulting (``SetDefaults_LimitRangeItem`` of
    ``pkg/apis/core/v1/defaults.go``), for a ``Container`` item: a resource with a max and no default gets the
    max as its default, one with a default and no defaultRequest gets the default as its request, and one with a
    min and still no defaultRequest gets the min. Other types keep what they state."""
    bounds = {bound: dict(_dict(item.get(bound))) for bound in LIMIT_BOUNDS}
    if item.get("type") == "Container":
        for source, target in (("max", "default"), ("default", "defaultRequest"), ("min", "defaultRequest")):
            for name, amount in bounds[source].items():
                bounds[target].setdefault(name, amount)
    return bounds


def _limit_item_problems(item: dict, path: Path) -> list[RuleProblem]:
    """One LimitRange item's bounds in order, per resource (the messages of ``ValidateLimitRange``)."""
    from .task_checks import quantity

    problems = []
    if item.get("type") == "Pod":
        problems += [
            RuleProblem((*path, bound), "may not be specified when `type` is 'Pod'")
            for bound in ("default", "defaultRequest")
            if _dict(item.get(bound))
        ]
    bounds = limit_range_defaults(item)
    checks = (
        ("min", "max", "min", "min value {low} is greater than max value {high}"),
        ("min", "defaultRequest", "defaultRequest", "min value {low} is greater than default request value {high}"),
        ("defaultRequest", "max", "defaultRequest", "default request value {low} is greater than max value {high}"),
        (
            "defaultRequest",
            "default",
            "defaultRequest",
            "default request value {low} is greater than default limit value {high}",
        ),
        ("min", "default", "default", "min value {low} is greater than default value {high}"),
        ("default", "max", "default", "default value {low} is greater than max value {high}"),
    )
    for lower, upper, where, message in checks:
        for name, low in bounds[lower].items():
            high = bounds[upper].get(name)
            low_amount, high_amount = quantity(low), quantity(high)
            if low_amount is not None and high_amount is not None and low_amount > high_amount:
                problems.append(RuleProblem((*path, where, name), message.format(low=low, high=high)))
    for name, ratio in _dict(item.get("maxLimitRequestRatio")).items():
        amount = quantity(ratio)
        if amount is not None and amount < 1:
            problems.append(RuleProblem((*path, "maxLimitRequestRatio", name), f"ratio {ratio} is less than 1"))
    return problems


def _limit_range_rules(kind: str, data: dict) -> list[RuleProblem]:
    """A LimitRange, from ``ValidateLimitRange`` of ``pkg/apis/core/validation/validation.go``, checked after
    defaulting (:func:`limit_range_defaults`): each ``type`` once; a ``Pod`` item sets no default or
    defaultRequest; per resource min <= defaultRequest <= default <= max and min <= max; a maxLimitRequestRatio is
    at least 1. A default of 50m CPU beside a defaultRequest of 100m is refused ("default request value 100m is
    greater than default limit value 50m")."""
    if kind != "LimitRange":
        return []
    problems = []
    seen: set[Any] = set()
    for index, item in enumerate(_list(_dict(data.get("spec")).get("limits"))):
        if not isinstance(item, dict):
            continue
        path: Path = ("spec", "limits", index)
        kind_of = item.get("type")
        if isinstance(kind_of, str) and kind_of in seen:
            problems.append(RuleProblem((*path, "type"), f"Duplicate value: {_quoted(kind_of)}"))
        seen.add(kind_of)
        problems += _limit_item_problems(item, path)
    return problems


# --- all rules ------------------------------------------------------------------------------------------------------


def _pod_rules(kind: str, data: dict) -> list[RuleProblem]:
    """The Pod spec rules on the document's Pod spec; a StatefulSet's claim templates count as its volumes, and
    its problems say that the Pods, not the StatefulSet, are refused."""
    found = []
    claims = {
        name
        for claim in _list(_dict(data.get("spec")).get("volumeClaimTemplates"))
        if isinstance(name := _dict(_dict(claim).get("metadata")).get("name"), str)
    }
    for path, spec in pod_specs(kind, data):
        problems = pod_spec_problems(spec, path, claims if kind == "StatefulSet" else None)
        if kind == "StatefulSet":
            problems = [
                RuleProblem(
                    p.path, f"{p.message}; the StatefulSet is stored, but every Pod made from this template is refused"
                )
                for p in problems
            ]
        found += problems
    return found


RULES = (
    _pod_rules,
    _selector_rules,
    _restart_rules,
    _generated_selector_rules,
    _strategy_rules,
    _service_rules,
    _limit_range_rules,
)


def api_problems(data: Any) -> list[RuleProblem]:
    """Every API server rule of this module that one manifest document breaks, rule by rule; the document is
    expected to conform to the schema (values of the wrong type are skipped, never raised on)."""
    if not isinstance(data, dict) or not isinstance(data.get("kind"), str):
        return []
    kind = data["kind"]
    return [problem for rule in RULES for problem in rule(kind, data)]
