"""Checking a task answer (a manifest or a Terraform configuration) requirement by requirement.

A :class:`~questions.model.Requirement` names a ``document``, a ``path`` into it, an ``op`` and a ``value`` (JSON).

Documents. In a manifest, ``"Kind"`` picks every object of that kind and ``"Kind/name"`` the one with that
``metadata.name``; ``""`` picks every object. In a configuration, the document is a block address:
``resource.aws_instance.web``, ``data.aws_ami.ubuntu``, ``variable.region``, ``module.vpc``, ``output.ip``,
``provider.aws``, ``terraform``, ``terraform.backend.s3``, ``locals``, ``moved``; a block that repeats gives several
documents. A requirement whose document is missing is unmet.

Paths. Dotted names (``spec.template.spec.containers``); ``[*]`` (or ``[]``) is any element of a list or value of
a mapping, ``[2]`` an index, ``[name=web]`` the list elements whose ``name`` is ``web`` (in a manifest, an element
that leaves the key out is read with the schema's default: ``ports[protocol=TCP]`` also picks a port without a
protocol, which defaults to TCP); a name applied to a list applies to each element (so HCL's nested blocks, lists
of bodies, read naturally: ``lifecycle.prevent_destroy``);
a name with dots or other characters is quoted: ``metadata.labels."app.kubernetes.io/name"``. The empty path is
the document itself. A path can match several values; a requirement is met when one of them passes (``absent``:
when none is there), in one of the picked documents (``absent``: in all of them).

Values are compared by type: YAML's ``3`` is an integer and does not equal the string ``"3"`` (a quoted number where
the schema wants an integer is a schema problem anyway); integers and floats compare as numbers; booleans equal only
booleans. In a manifest, what the API reads the same is the same: a quantity field by amount (``10000m`` is ``10``),
a list the API reads as a set (:data:`SET_LIKE_FIELDS`) in any order, a field left out as its default when the
schema states one (``spec.replicas`` is then 1), and a ResourceQuota's ``cpu`` as ``requests.cpu``
(:data:`QUOTA_SAME_NAMES`). Requirements read each object through :func:`checked_view`, never a rewrite of what
was written: a label selector's matchLabels holds every label it pins, so a single-value ``In`` expression is the
matchLabels entry; an Ingress Prefix path reads without trailing slashes; an autoscaling/v1
HorizontalPodAutoscaler reads in autoscaling/v2 terms; a Pod's ``securityContext.runAsUser`` (``runAsGroup``,
``runAsNonRoot``) is what every container gets, its own setting or else the Pod's; a mount of a configMap,
secret, downwardAPI or projected volume is read-only; a Pod's ``nodeSelector`` holds the labels its required
node affinity pins; a RoleBinding's ServiceAccount subject without a namespace has the binding's; a NetworkPolicy's
policyTypes left out read as their default; a Deployment's maxSurge and maxUnavailable read as the numbers of Pods
they allow. A selector is checked by what it selects (``selects``). Tolerations are checked as the scheduler matches
them against a taint (``tolerates``). A
container's command is
checked by what it runs (``runs``): its ``command`` followed by its ``args``, ``sh`` as ``/bin/sh``, a shell script
by a pattern, a container that must read some files by the file readers it runs on them. In HCL an expression such
as ``var.region`` is an
:class:`~questions.task_documents.Expression`: a plain string operand matches a literal string or an expression with
that text; an operand written ``"${...}"`` matches only an expression (so a quoted ``"var.region"`` literal does not
pass for the expression).

Verdict. ``score`` is the share of requirements met. ``correct`` needs every requirement met and no problem: a
manifest that breaks the schema or a rule of the API server (:mod:`questions.api_rules`), or a configuration with an
unknown block type, still scores the requirements it meets but is never correct. An answer that cannot be parsed
scores 0, every requirement unmet.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, replace
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from .model import Requirement, Response
from .responses import RequirementResult, Verdict
from .task_documents import Answer, Document, Expression, read_configuration, read_manifest

#: the forms of task answers
TASK_FORMS = frozenset({"manifest", "hcl"})

#: requirement operators; ``value`` is the operand (JSON)
OPS = (
    "equals",  # a value found equals the operand
    "exists",  # something (not null) is at the path; operand ignored
    "absent",  # nothing (or null) is at the path; operand ignored
    "contains",  # a list has an element equal to the operand (a mapping operand: an element having those
    #              entries); a string contains the operand; a mapping has the operand as a key
    "matches",  # a string fully matches the operand, a regular expression
    "one_of",  # a value found equals one of the operand's elements (a list)
    "length",  # a list, mapping or string has exactly the operand's number of elements or characters
    "at_least",  # a number is >= the operand (a list or mapping: its length)
    "at_most",  # a number is <= the operand (a list or mapping: its length)
    "subset",  # every entry of the operand is in the value found: the operand's keys with equal values
    #            (mappings, such as labels) or its elements (lists)
    "not_equals",  # no value found equals the operand (nothing there also passes)
    "runs",  # a container (or an exec action) runs what the operand says: its command followed by its args
    #          equal the operand (a list), or are a shell running a script that fully matches the operand's
    #          "shell" pattern, or run a program that reads files under the operand's "reads" directory (a
    #          mapping); see :func:`runs`
    "selects",  # a label selector (a LabelSelector, or a Service's plain map) selects exactly the objects that carry
    #             the operand's labels, a mapping: no key more, no key less; see :func:`selects_exactly`
    "tolerates",  # a list of tolerations (or one toleration) tolerates the operand, a taint {"key", "value",
    #               "effect"}, as the scheduler matches them; see :func:`tolerates`
)

_NAME = r"[^.\[\]\"]+"
_STEP = re.compile(rf'\.?(?:(?P<name>{_NAME})|"(?P<quoted>(?:[^"\\]|\\.)*)"|\[(?P<selector>[^\]]*)\])')


@dataclass(frozen=True)
class Step:
    """One step of a path: a ``key``, ``any`` element, an ``index`` or a ``select`` (``key=value``).

    ``default``: for a ``select``, the value of ``key`` in an element that leaves it out (the schema's default).
    """

    kind: str
    key: str = ""
    value: str = ""
    index: int = 0
    default: Any = None

    def text(self) -> str:
        """How the step is written."""
        if self.kind == "key":
            return self.key if re.fullmatch(_NAME, self.key) else json.dumps(self.key)
        if self.kind == "any":
            return "[*]"
        return f"[{self.index}]" if self.kind == "index" else f"[{self.key}={self.value}]"


def parse_path(path: str) -> tuple[Step, ...]:
    """Parse a requirement path; raises ``ValueError`` with the position of a syntax error."""
    steps: list[Step] = []
    position = 0
    while position < len(path):
        match = _STEP.match(path, position)
        if match is None or (position == 0 and path.startswith(".")) or match.end() == position:
            raise ValueError(f"Cannot read the path {path!r} at character {position + 1}.")
        if match.group("name") is not None:
            steps.append(Step("key", match.group("name")))
        elif match.group("quoted") is not None:
            steps.append(Step("key", re.sub(r"\\(.)", r"\1", match.group("quoted"))))
        else:
            steps.append(_selector(match.group("selector"), path))
        position = match.end()
    return tuple(steps)


def _selector(text: str, path: str) -> Step:
    text = text.strip()
    if text in ("", "*"):
        return Step("any")
    if text.isdigit():
        return Step("index", index=int(text))
    key, eq, value = text.partition("=")
    if not eq or not key.strip():
        raise ValueError(f"Cannot read the selector [{text}] in the path {path!r}: use [*], [N] or [key=value].")
    return Step("select", key.strip(), value.strip().strip("'\""))


def path_text(steps: tuple[Step, ...]) -> str:
    """A path written back from its steps."""
    text = ""
    for step in steps:
        part = step.text()
        text += part if part.startswith("[") or not text else f".{part}"
    return text


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "null" if value is None else str(value)


def _step(value: Any, step: Step) -> list[Any]:
    if isinstance(value, list) and step.kind == "key":
        return [item for element in value for item in _step(element, step)]
    if step.kind == "key":
        return [value[step.key]] if isinstance(value, dict) and step.key in value else []
    if step.kind == "any":
        return list(value) if isinstance(value, list) else list(value.values()) if isinstance(value, dict) else []
    if step.kind == "index":
        return [value[step.index]] if isinstance(value, list) and step.index < len(value) else []
    if isinstance(value, list):  # select: an element whose key is the value, or a list holding it
        return [e for e in value if isinstance(e, dict) and _selected(e, step)]
    return []


def _selected(element: dict, step: Step) -> bool:
    found = element.get(step.key)
    if found is None and step.default is not None:  # left out (or null): the API server fills in the default
        return _selects(step.default, step.value)
    return step.key in element and _selects(found, step.value)


def _selects(found: Any, value: str) -> bool:
    if isinstance(found, list):
        return any(_scalar_text(f) == value for f in found if not isinstance(f, dict | list))
    return _scalar_text(found) == value


def resolve(document: Any, steps: tuple[Step, ...]) -> tuple[list[Any], int]:
    """The values at a path, and how many steps matched before nothing was left (``len(steps)`` if found)."""
    current = [document]
    for number, step in enumerate(steps):
        current = [item for value in current for item in _step(value, step)]
        if not current:
            return [], number
    return current, len(steps)


# --- comparing values --------------------------------------------------------------------------------------------


def _operand(value: Any) -> Any:
    """A JSON operand as compared: ``"${...}"`` strings become HCL expressions."""
    if isinstance(value, str):
        whole = re.fullmatch(r"\$\{(.*)\}", value, re.S)
        return Expression(whole.group(1).strip()) if whole else value
    if isinstance(value, list):
        return [_operand(v) for v in value]
    if isinstance(value, dict):
        return {k: _operand(v) for k, v in value.items()}
    return value


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def same(found: Any, wanted: Any) -> bool:
    """Whether a value found equals the operand, by type (see the module docstring)."""
    if isinstance(found, bool) or isinstance(wanted, bool):
        return isinstance(found, bool) and isinstance(wanted, bool) and found == wanted
    if isinstance(wanted, Amount):  # a quantity field: 10 = "10" = "10000m", "32Gi" = "32768Mi"
        return quantity(found) == wanted.amount
    if isinstance(wanted, Unordered):  # a list the API reads as a set: the same elements in any order
        return (
            isinstance(found, list)
            and all(any(same(f, w) for w in wanted.elements) for f in found)
            and all(any(same(f, w) for f in found) for w in wanted.elements)
        )
    if _number(found) or _number(wanted):
        return _number(found) and _number(wanted) and found == wanted
    if isinstance(wanted, Expression):
        return isinstance(found, Expression) and found.canonical() == wanted.canonical()
    if isinstance(found, Expression) and isinstance(wanted, str):
        return found.canonical() == Expression(wanted).canonical()
    if isinstance(found, str) or isinstance(wanted, str):
        return isinstance(found, str) and isinstance(wanted, str) and found == wanted
    if isinstance(found, list) and isinstance(wanted, list):
        return len(found) == len(wanted) and all(same(f, w) for f, w in zip(found, wanted, strict=True))
    if isinstance(found, dict) and isinstance(wanted, dict):
        return found.keys() == wanted.keys() and all(same(found[k], wanted[k]) for k in wanted)
    return found is None and wanted is None


_QUANTITY = re.compile(r"([+-]?\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?")
_SUFFIX = {
    None: 1,
    "m": Decimal("0.001"),
    "k": 10**3,
    "M": 10**6,
    "G": 10**9,
    "T": 10**12,
    "P": 10**15,
    "E": 10**18,
    "Ki": 2**10,
    "Mi": 2**20,
    "Gi": 2**30,
    "Ti": 2**40,
    "Pi": 2**50,
    "Ei": 2**60,
}


@dataclass(frozen=True)
class Amount:
    """An operand compared as a Kubernetes quantity, whatever its spelling."""

    amount: Decimal


@dataclass(frozen=True)
class Unordered:
    """A list operand compared as a set: the field lists values whose order means nothing."""

    elements: tuple[Any, ...]


#: manifest fields (the last name of a path) whose list the API reads as a set, so the order is not compared:
#: the values of a label or node selector requirement (``In``/``NotIn`` match any of them), a volume's access
#: modes, the verbs, API groups, resources and names of an RBAC rule, a NetworkPolicy's policy types, and the
#: capabilities a container adds or drops
SET_LIKE_FIELDS = frozenset(
    {"values", "accessModes", "verbs", "apiGroups", "resources", "resourceNames", "nonResourceURLs", "policyTypes"}
)
SET_LIKE_PATHS = ("capabilities.add", "capabilities.drop")


def _set_like(path: str) -> bool:
    plain = re.sub(r"\[[^\]]*\]", "", path)
    return plain.rsplit(".", 1)[-1] in SET_LIKE_FIELDS or plain.endswith(SET_LIKE_PATHS)


#: ResourceQuota names that cap one sum: the Pod quota evaluator charges a Pod's requests of CPU, memory,
#: ephemeral storage and huge pages to both names (``podComputeUsageHelper`` of kubernetes/kubernetes
#: ``pkg/quota/v1/evaluator/core/pods.go``; the compute resource table of
#: https://kubernetes.io/docs/concepts/policy/resource-quotas/)
QUOTA_SAME_NAMES = MappingProxyType(
    {"cpu": "requests.cpu", "memory": "requests.memory", "ephemeral-storage": "requests.ephemeral-storage"}
)


def quota_name(name: str) -> str:
    """The ``requests.`` name of a ResourceQuota resource name that caps the same sum (``cpu`` → ``requests.cpu``,
    ``hugepages-2Mi`` → ``requests.hugepages-2Mi``); other names as given."""
    if name.startswith("hugepages-"):
        return f"requests.{name}"
    return QUOTA_SAME_NAMES.get(name, name)


def quota_names(amounts: dict[str, Any]) -> dict[str, Any]:
    """A ResourceQuota's ``hard`` map with each name in its ``requests.`` form (see :func:`quota_name`); as given
    when both forms of one name are there with different amounts (each caps the sum on its own)."""
    merged: dict[str, Any] = {}
    for name, amount in amounts.items():
        canonical = quota_name(name)
        if canonical in merged and quantity(merged[canonical]) != quantity(amount):
            return dict(amounts)
        merged[canonical] = amount
    return merged


def _quota_twin(name: str) -> str:
    """The other name of a ResourceQuota resource that has two (``cpu`` ↔ ``requests.cpu``), or ``""``."""
    canonical = quota_name(name)
    if canonical != name:
        return canonical
    short = name.removeprefix("requests.")
    return short if short != name and quota_name(short) == name else ""


def _quota_view(data: Any) -> Any:
    """A ResourceQuota as checked: its ``spec.hard`` also carries the other name of a resource that has two
    (``cpu: 10`` reads as ``requests.cpu: 10`` too), so a requirement on either spelling finds the cap."""
    spec = data.get("spec") if isinstance(data, dict) else None
    hard = spec.get("hard") if isinstance(spec, dict) else None
    if not isinstance(hard, dict):
        return data
    twins = {twin: amount for name, amount in hard.items() if (twin := _quota_twin(name)) and twin not in hard}
    return {**data, "spec": {**spec, "hard": {**hard, **twins}}} if twins else data


# --- views: a manifest as the API reads it -------------------------------------------------------------------------
#
# A requirement reads a view of each object, never a rewrite of what the learner wrote: the object with what the API
# reads the same written the way the requirement looks for it, so that equivalent spellings pass.

#: fields that hold a LabelSelector (``matchLabels`` and ``matchExpressions``); a Service's ``spec.selector`` is a
#: plain map and has neither, and a node selector term (``nodeSelectorTerms[]``, ``preference``) sits elsewhere
LABEL_SELECTOR_FIELDS = frozenset({"selector", "podSelector", "namespaceSelector", "labelSelector", "objectSelector"})


def _hashable(value: Any) -> bool:
    return isinstance(value, str | int | float | bool) or value is None


def pinned_labels(selector: dict) -> dict[str, Any] | None:
    """The labels a label selector pins to one value each, or None when no object can match it.

    A matchLabels entry is the same as a matchExpressions requirement with operator In and that single value
    (https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/label-selector/: "matchLabels is a
    map of {key,value} pairs. A single {key,value} in the matchLabels map is equivalent to an element of
    matchExpressions, whose key field is "key", the operator is "In", and the values array contains only
    "value""); all requirements are ANDed, so a key is pinned when the values every requirement on it allows
    come down to one. ``{matchExpressions: [{key: app, operator: In, values: [db]}]}`` pins ``app: db``."""
    allowed: dict[Any, set[Any]] = {}
    excluded: dict[Any, set[Any]] = {}
    required: set[Any] = set()
    missing: set[Any] = set()
    entries = selector.get("matchLabels") if isinstance(selector.get("matchLabels"), dict) else {}
    constraints = [(key, "In", [value]) for key, value in entries.items()]
    for expression in selector.get("matchExpressions") or []:
        if isinstance(expression, dict) and isinstance(expression.get("values") or [], list):
            constraints.append((expression.get("key"), expression.get("operator"), expression.get("values") or []))
    for key, operator, values in constraints:
        if not _hashable(key) or not all(_hashable(v) for v in values):
            continue
        if operator == "In":
            allowed[key] = allowed[key] & set(values) if key in allowed else set(values)
        elif operator == "NotIn":
            excluded.setdefault(key, set()).update(values)
        elif operator == "Exists":
            required.add(key)
        elif operator == "DoesNotExist":
            missing.add(key)
    if required & missing:
        return None
    pinned = {}
    for key, values in allowed.items():
        left = values - excluded.get(key, set())
        if not left or key in missing:
            return None
        if len(left) == 1:
            pinned[key] = next(iter(left))
    return pinned


def selects_everything(selector: Any) -> bool:
    """Whether a label selector has no requirement at all, so that it matches every object (the empty selector
    ``{}``, also written ``{matchLabels: {}}`` or ``{matchExpressions: []}``): "An empty label selector matches all
    objects" (https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/label-selector/)."""
    return (
        isinstance(selector, dict)
        and set(selector) <= {"matchLabels", "matchExpressions"}
        and all(selector.get(key) in (None, {}, []) for key in ("matchLabels", "matchExpressions"))
    )


def selects_exactly(selector: Any, labels: dict) -> bool:
    """Whether a label selector selects exactly the objects that carry ``labels``: a selector is the AND of its
    requirements (https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors: "the
    comma separator acts as a logical AND (&&) operator"; a Service "routes to Pods whose labels match all of the
    keys and values in the selector"), so a key more (``app: web, tier: frontend``) narrows the selection and
    leaves out Pods labelled only app=web. A LabelSelector (``matchLabels``/``matchExpressions``) passes when the
    labels it pins (:func:`pinned_labels`) are ``labels`` and it has no requirement on another key; a plain map
    (a Service's ``spec.selector``) when it equals ``labels``. An empty ``labels`` is never met this way."""
    if not isinstance(selector, dict) or not labels:
        return False
    if not set(selector) <= {"matchLabels", "matchExpressions"}:
        return same(selector, {key: str(value) for key, value in labels.items()}) or same(selector, labels)
    expressions = selector.get("matchExpressions") or []
    entries = selector.get("matchLabels") or {}
    if not isinstance(expressions, list) or not isinstance(entries, dict):
        return False
    keys = set(entries) | {e.get("key") if isinstance(e, dict) else None for e in expressions}
    pinned = pinned_labels(selector)
    return pinned is not None and keys == set(labels) and same(pinned, labels)


def _selector_view(value: Any, field: str = "") -> Any:
    """Every LabelSelector under ``value`` (see :data:`LABEL_SELECTOR_FIELDS`) with matchLabels holding the labels
    it pins (:func:`pinned_labels`); a selector without matchExpressions reads as written, one no object can
    match reads with no matchLabels at all, and one with no requirement reads as the empty selector ``{}``
    (:func:`selects_everything`)."""
    if isinstance(value, list):
        return [_selector_view(item) for item in value]
    if not isinstance(value, dict):
        return value
    if field in LABEL_SELECTOR_FIELDS and selects_everything(value):
        return {}
    viewed = {key: _selector_view(item, key) for key, item in value.items()}
    if field in LABEL_SELECTOR_FIELDS and isinstance(value.get("matchExpressions"), list) and value["matchExpressions"]:
        pinned = pinned_labels(value)
        viewed.pop("matchLabels", None)
        if pinned is not None:
            viewed["matchLabels"] = pinned
    return viewed


def prefix_path(path: str) -> str:
    """An Ingress path of pathType Prefix as it matches: by its elements, so trailing slashes make no difference
    (https://kubernetes.io/docs/concepts/services-networking/ingress/#examples: Prefix ``/aaa/bbb/`` matches the
    request ``/aaa/bbb``, "ignores trailing slash"); ``/api/`` reads as ``/api``, ``/`` stays ``/``."""
    return path.rstrip("/") or "/"


def _ingress_view(data: Any) -> Any:
    """An Ingress whose Prefix paths read as :func:`prefix_path` writes them (Exact and ImplementationSpecific
    paths as written)."""
    spec = data.get("spec") if isinstance(data, dict) else None
    if not isinstance(spec, dict) or not isinstance(spec.get("rules"), list):
        return data

    def path_view(entry: Any) -> Any:
        prefix = isinstance(entry, dict) and entry.get("pathType") == "Prefix" and isinstance(entry.get("path"), str)
        return {**entry, "path": prefix_path(entry["path"])} if prefix else entry

    def rule_view(rule: Any) -> Any:
        http = rule.get("http") if isinstance(rule, dict) else None
        if not isinstance(http, dict) or not isinstance(http.get("paths"), list):
            return rule
        return {**rule, "http": {**http, "paths": [path_view(entry) for entry in http["paths"]]}}

    return {**data, "spec": {**spec, "rules": [rule_view(rule) for rule in spec["rules"]]}}


def _network_policy_view(data: Any) -> Any:
    """A NetworkPolicy read by the Pods it selects (https://kubernetes.io/docs/reference/kubernetes-api/
    policy-resources/network-policy-v1/): a ``spec.podSelector`` left out is the empty selector ("This field is
    optional. If it is not specified, it defaults to an empty selector", which "matches all pods in the policy's
    namespace"), and a peer's empty ``podSelector`` beside a ``namespaceSelector`` is left out, as it changes
    nothing (NetworkPolicyPeer: with both, the peer "selects the pods matching podSelector in the Namespaces
    selected by NamespaceSelector"; without podSelector it "selects all Pods in the Namespaces selected by
    NamespaceSelector"). An empty podSelector alone means the policy's own namespace and stays."""
    spec = data.get("spec") if isinstance(data, dict) else None
    if not isinstance(spec, dict):
        return data

    def peer_view(peer: Any) -> Any:
        if isinstance(peer, dict) and "namespaceSelector" in peer and selects_everything(peer.get("podSelector")):
            return {key: value for key, value in peer.items() if key != "podSelector"}
        return peer

    def rule_view(rule: Any, peers: str) -> Any:
        if not isinstance(rule, dict) or not isinstance(rule.get(peers), list):
            return rule
        return {**rule, peers: [peer_view(peer) for peer in rule[peers]]}

    viewed = {**spec, "podSelector": {}} if spec.get("podSelector") is None else dict(spec)
    viewed["policyTypes"] = policy_types(spec)
    for rules, peers in (("ingress", "from"), ("egress", "to")):
        if isinstance(spec.get(rules), list):
            viewed[rules] = [rule_view(rule, peers) for rule in spec[rules]]
    return {**data, "spec": viewed}


def _binding_view(kind: str, data: Any) -> Any:
    """A RoleBinding whose ServiceAccount subjects without a namespace read with the binding's own: the RBAC
    authorizer matches such a subject in the binding's namespace (``appliesToUser`` of kubernetes/kubernetes
    ``pkg/registry/rbac/validation/rule.go``: ``saNamespace := namespace; if len(subject.Namespace) > 0
    {saNamespace = subject.Namespace}``), so a ServiceAccount subject is the account of one namespace and a binding
    to ``log-reader`` in ``default`` grants nothing to ``log-reader`` in ``payments``. A ClusterRoleBinding's
    ServiceAccount subject must name its namespace (``ValidateRoleBindingSubject``) and reads as written."""
    subjects = data.get("subjects") if isinstance(data, dict) else None
    metadata = data.get("metadata") if isinstance(data, dict) else None
    namespace = metadata.get("namespace") if isinstance(metadata, dict) else None
    if kind != "RoleBinding" or not isinstance(subjects, list) or not isinstance(namespace, str):
        return data

    def subject_view(subject: Any) -> Any:
        if isinstance(subject, dict) and subject.get("kind") == "ServiceAccount" and not subject.get("namespace"):
            return {**subject, "namespace": namespace}
        return subject

    return {**data, "subjects": [subject_view(subject) for subject in subjects]}


def policy_types(spec: dict) -> list[str]:
    """The directions a NetworkPolicy isolates its Pods for: ``spec.policyTypes`` as written, or when it is left
    out "Ingress", plus "Egress" when the policy has egress rules (NetworkPolicySpec.policyTypes,
    https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/: "If this field is not
    specified, it will default based on the existence of ingress or egress rules; policies that contain an egress
    section are assumed to affect egress, and all policies (whether or not they contain an ingress section) are
    assumed to affect ingress"). A policy whose types leave Ingress out does not isolate its Pods for incoming
    traffic, so its ingress rules change nothing."""
    written = spec.get("policyTypes")
    if written is not None:
        return written
    return ["Ingress", "Egress"] if spec.get("egress") else ["Ingress"]


def mount_path(path: str) -> str:
    """A volumeMount's mountPath as the container runtime mounts it: the same directory with or without trailing
    slashes (``/var/log/billing/`` is ``/var/log/billing``). runc resolves a mount's destination in the container's
    root with ``securejoin.SecureJoin`` (``libcontainer/rootfs_linux.go``), which returns the cleaned path, and a
    pathname that ends in slashes names the directory before them (POSIX.1-2017, 4.13 Pathname Resolution).
    ``/`` stays ``/``."""
    return path.rstrip("/") or "/"


#: volume sources the kubelet always mounts read-only, whatever a volumeMount's ``readOnly`` says: their volume
#: plugins report ``ReadOnly: true`` in ``GetAttributes`` (kubernetes/kubernetes ``pkg/volume/configmap``,
#: ``secret``, ``downwardapi`` and ``projected``), and the kubelet's ``makeMounts`` mounts a volume read-only when
#: ``mount.ReadOnly || mustMountRO``; the Volumes page says "A ConfigMap is always mounted as readOnly" and "A
#: Secret is always mounted as readOnly" (https://kubernetes.io/docs/concepts/storage/volumes/)
READ_ONLY_SOURCES = ("configMap", "secret", "downwardAPI", "projected")


def _read_only_volumes(spec: dict) -> set[str]:
    """The names of a Pod spec's volumes whose source is always mounted read-only (:data:`READ_ONLY_SOURCES`)."""
    return {
        volume["name"]
        for volume in spec.get("volumes") or []
        if isinstance(volume, dict)
        and isinstance(volume.get("name"), str)
        and any(isinstance(volume.get(source), dict) for source in READ_ONLY_SOURCES)
    }


def _mount_view(kind: str, data: Any) -> Any:
    """A Pod spec whose containers' mountPaths read as :func:`mount_path` writes them, and whose mounts of a
    volume that is always read-only (:data:`READ_ONLY_SOURCES`) read ``readOnly: true``."""
    from .api_rules import pod_specs

    for path, spec in pod_specs(kind, data):
        viewed = dict(spec)
        read_only = _read_only_volumes(spec)
        for field in ("initContainers", "containers", "ephemeralContainers"):
            if isinstance(spec.get(field), list):
                viewed[field] = [_container_mounts(container, read_only) for container in spec[field]]
        if viewed != spec:
            data = _replace_at(data, path, viewed)
    return data


def _container_mounts(container: Any, read_only: set[str]) -> Any:
    mounts = container.get("volumeMounts") if isinstance(container, dict) else None
    if not isinstance(mounts, list):
        return container

    def mount_view(mount: Any) -> Any:
        if not isinstance(mount, dict):
            return mount
        viewed = dict(mount)
        if isinstance(mount.get("mountPath"), str):
            viewed["mountPath"] = mount_path(mount["mountPath"])
        if mount.get("name") in read_only:
            viewed["readOnly"] = True
        return viewed

    return {**container, "volumeMounts": [mount_view(mount) for mount in mounts]}


#: where a Pod spec keeps the terms of its required node affinity
REQUIRED_NODE_TERMS = (
    "affinity",
    "nodeAffinity",
    "requiredDuringSchedulingIgnoredDuringExecution",
    "nodeSelectorTerms",
)


def required_node_labels(spec: dict) -> dict[str, Any]:
    """The node labels a Pod spec's required node affinity pins to one value: the terms are ORed and the
    expressions of a term ANDed (https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#node-affinity:
    "If you specify multiple terms in nodeSelectorTerms associated with nodeAffinity types, then the Pod can be
    scheduled onto a node if one of the specified terms can be satisfied (terms are ORed)"; "If you specify
    multiple expressions in a single matchExpressions field associated with a term in nodeSelectorTerms, then the
    Pod can be scheduled onto a node only if all the expressions are satisfied"), so a label is pinned when every
    term that some node can meet pins it to the same value (a term's In with one value, read as
    :func:`pinned_labels` reads a label selector; Gt and Lt only narrow a term further). ``{}`` when none is."""
    terms: Any = spec
    for key in REQUIRED_NODE_TERMS:
        terms = terms.get(key) if isinstance(terms, dict) else None
    pins = []
    for term in terms if isinstance(terms, list) else []:
        expressions = term.get("matchExpressions") if isinstance(term, dict) else None
        pinned = pinned_labels({"matchExpressions": expressions if isinstance(expressions, list) else []})
        if pinned is not None:  # a term no node can meet adds no node
            pins.append(pinned)
    if not pins:
        return {}
    return {key: value for key, value in pins[0].items() if all(key in p and p[key] == value for p in pins[1:])}


def _node_selector_view(kind: str, data: Any) -> Any:
    """A Pod spec whose ``nodeSelector`` also holds the labels its required node affinity pins
    (:func:`required_node_labels`): a nodeSelector entry ``K: V`` and a required affinity whose every term has
    ``K In [V]`` let the Pod onto the same nodes. A label the nodeSelector sets reads as written."""
    from .api_rules import pod_specs

    for path, spec in pod_specs(kind, data):
        pinned = required_node_labels(spec)
        written = spec.get("nodeSelector")
        if pinned and (written is None or isinstance(written, dict)):
            data = _replace_at(data, (*path, "nodeSelector"), {**pinned, **(written or {})})
    return data


#: where each kind keeps the int-or-percent counts of Pods that :func:`_rollout_view` reads: the rolling-update
#: limits of Deployments, DaemonSets and StatefulSets and a PodDisruptionBudget's bounds
ROLLOUT_COUNTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Deployment": (("spec", "strategy", "rollingUpdate"), ("maxSurge", "maxUnavailable")),
    "DaemonSet": (("spec", "updateStrategy", "rollingUpdate"), ("maxSurge", "maxUnavailable")),
    "StatefulSet": (("spec", "updateStrategy", "rollingUpdate"), ("maxUnavailable",)),
    "PodDisruptionBudget": (("spec",), ("minAvailable", "maxUnavailable")),
}
_NO_PERCENT = re.compile(r"0+%")


def _rollout_view(kind: str, data: Any) -> Any:
    """An int-or-percent count of Pods written ``"0%"`` read as the number 0: the controllers scale a percentage
    by the desired Pods (``GetScaledValueFromIntOrPercent`` of apimachinery ``pkg/util/intstr``, rounding up or
    down), and 0% of any count is 0, so ``maxUnavailable: "0%"`` lets no Pod be unavailable, as 0 does. A
    Deployment's rolling-update limits read as the numbers of Pods they allow (:func:`deployment_fenceposts`);
    any other percentage (a PodDisruptionBudget's ``"25%"``) stays a percentage."""
    where = ROLLOUT_COUNTS.get(kind)
    if where is None or not isinstance(data, dict):
        return data
    if kind == "Deployment":
        data = _deployment_rollout_view(data)
    path, fields = where
    holder: Any = data
    for key in path:
        holder = holder.get(key) if isinstance(holder, dict) else None
    if not isinstance(holder, dict):
        return data
    zero = {field: 0 for field in fields if isinstance(holder.get(field), str) and _NO_PERCENT.fullmatch(holder[field])}
    return _replace_at(data, path, {**holder, **zero}) if zero else data


#: what a Deployment's rolling update allows when a limit is left out: "Defaults to 25%" for both maxSurge and
#: maxUnavailable (https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/deployment-v1/,
#: RollingUpdateDeployment; ``SetDefaults_Deployment`` of kubernetes/kubernetes ``pkg/apis/apps/v1/defaults.go``)
DEFAULT_ROLLING_LIMIT = "25%"
_PERCENT = re.compile(r"(\d+)%")


def scaled_count(value: Any, total: int, round_up: bool) -> int | None:
    """An int-or-percent count resolved against ``total`` as ``GetScaledValueFromIntOrPercent`` of apimachinery
    ``pkg/util/intstr`` does: an integer as it is, ``"N%"`` as N% of ``total`` rounded up or down; None when the
    value is neither."""
    if _number(value) and isinstance(value, int):
        return value
    match = _PERCENT.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        return None
    scaled = int(match.group(1)) * total
    return -(-scaled // 100) if round_up else scaled // 100


def deployment_fenceposts(surge: Any, unavailable: Any, replicas: int) -> tuple[int, int] | None:
    """The numbers of Pods a Deployment's rolling update may add and take away, as the Deployment controller
    resolves them (``ResolveFenceposts`` of kubernetes/kubernetes ``pkg/controller/deployment/util/
    deployment_util.go``): maxSurge scaled by the desired replicas rounding up, maxUnavailable rounding down
    ("Absolute number is calculated from percentage by rounding down", "by rounding up" for maxSurge: the
    RollingUpdateDeployment reference), a limit left out as 25%, and when both come to 0, maxUnavailable 1.
    None when a limit is neither a number nor a percentage."""
    surge_count = scaled_count(DEFAULT_ROLLING_LIMIT if surge is None else surge, replicas, True)
    unavailable_count = scaled_count(DEFAULT_ROLLING_LIMIT if unavailable is None else unavailable, replicas, False)
    if surge_count is None or unavailable_count is None:
        return None
    if surge_count == 0 and unavailable_count == 0:
        return 0, 1
    return surge_count, unavailable_count


def _deployment_rollout_view(data: dict) -> dict:
    """A Deployment whose rolling update (strategy RollingUpdate, the default type) reads ``maxSurge`` and
    ``maxUnavailable`` as the numbers of Pods they allow against ``spec.replicas`` (1 when left out), limits left
    out included (:func:`deployment_fenceposts`): with 5 replicas ``20%`` is 1 Pod either way, and a
    maxUnavailable left out is 25% of 5 rounded down, 1. A Recreate Deployment, or a limit that is neither a number
    nor a percentage, reads as written."""
    spec = data.get("spec")
    strategy = spec.get("strategy") if isinstance(spec, dict) else None
    strategy = {} if strategy is None else strategy
    if not isinstance(spec, dict) or not isinstance(strategy, dict):
        return data
    if strategy.get("type", "RollingUpdate") != "RollingUpdate":
        return data
    rolling = strategy.get("rollingUpdate")
    rolling = {} if rolling is None else rolling
    replicas = spec.get("replicas", 1)
    if not isinstance(rolling, dict) or not isinstance(replicas, int) or isinstance(replicas, bool):
        return data
    counts = deployment_fenceposts(rolling.get("maxSurge"), rolling.get("maxUnavailable"), replicas)
    if counts is None:
        return data
    resolved = {**rolling, "maxSurge": counts[0], "maxUnavailable": counts[1]}
    return _replace_at(data, ("spec", "strategy"), {**strategy, "rollingUpdate": resolved})


#: the CPU utilisation an autoscaling/v1 HorizontalPodAutoscaler without a target aims at
#: (``autoscaling.DefaultCPUUtilization``, applied when kubernetes/kubernetes ``pkg/apis/autoscaling/v1/conversion.go``
#: converts such an object)
DEFAULT_CPU_UTILIZATION = 80


def _hpa_view(data: Any) -> Any:
    """An autoscaling/v1 HorizontalPodAutoscaler read as autoscaling/v2, as the API server serves the one stored
    object in both versions: ``targetCPUUtilizationPercentage: N`` is the metric ``{type: Resource, resource:
    {name: cpu, target: {type: Utilization, averageUtilization: N}}}``
    (``Convert_v1_HorizontalPodAutoscalerSpec_To_autoscaling_HorizontalPodAutoscalerSpec``). The apiVersion
    reads as written."""
    spec = data.get("spec") if isinstance(data, dict) else None
    if data.get("apiVersion") != "autoscaling/v1" or not isinstance(spec, dict):
        return data
    target = spec.get("targetCPUUtilizationPercentage", DEFAULT_CPU_UTILIZATION)
    metric = {
        "type": "Resource",
        "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": target}},
    }
    rest = {key: value for key, value in spec.items() if key != "targetCPUUtilizationPercentage"}
    return {**data, "spec": {**rest, "metrics": [metric]}}


#: Pod security context fields that a container's own securityContext overrides
#: (https://kubernetes.io/docs/tasks/configure-pod-container/security-context/: the settings given for a Container
#: "apply only to the individual Container, and they override settings made at the Pod level when there is overlap")
INHERITED_SECURITY_FIELDS = ("runAsUser", "runAsGroup", "runAsNonRoot")


def _security_view(kind: str, data: Any) -> Any:
    """A Pod spec whose ``securityContext`` says what every container runs with: for :data:`INHERITED_SECURITY_FIELDS`,
    the value every container (init containers too) gets, its own or else the Pod's; when the containers differ,
    a text saying so, which equals no requirement's value. A field no container and not the Pod sets reads as
    left out."""
    from .api_rules import pod_specs

    for path, spec in pod_specs(kind, data):
        containers = [
            c for field in ("initContainers", "containers") for c in spec.get(field) or [] if isinstance(c, dict)
        ]
        pod = spec.get("securityContext") if isinstance(spec.get("securityContext"), dict) else {}
        viewed = dict(pod)
        for field in INHERITED_SECURITY_FIELDS:
            own = [c.get("securityContext") if isinstance(c.get("securityContext"), dict) else {} for c in containers]
            values = [context.get(field, pod.get(field)) for context in own]
            if not containers or all(value is None for value in values):
                continue
            if all(_same_value(value, values[0]) for value in values):
                viewed[field] = values[0]
            else:
                each = ", ".join(
                    f"{_render(value)} for {c.get('name')}" for c, value in zip(containers, values, strict=True)
                )
                viewed[field] = f"not the same for every container ({each})"
        if viewed != pod:
            data = _replace_at(data, (*path, "securityContext"), viewed)
    return data


def _same_value(found: Any, first: Any) -> bool:
    return type(found) is type(first) and found == first


def _replace_at(data: Any, path: tuple, value: Any) -> Any:
    """A copy of ``data`` with the value at ``path`` (keys of mappings) replaced, sharing everything else."""
    if not path:
        return value
    return {**data, path[0]: _replace_at(data.get(path[0]), path[1:], value)} if isinstance(data, dict) else data


def checked_view(kind: str, data: Any) -> Any:
    """The view of one manifest object that requirements read: label selectors by the labels they pin (a selector
    with no requirement as ``{}``), a NetworkPolicy by the Pods it selects, Ingress Prefix paths by their
    elements, mountPaths without trailing slashes and mounts of configMap, secret, downwardAPI and projected
    volumes as read-only, a nodeSelector holding the labels a required node affinity pins, a count of Pods of
    ``"0%"`` as 0, an autoscaling/v1 HorizontalPodAutoscaler in autoscaling/v2 terms, a Pod's security context
    by what every container gets, and a ResourceQuota's caps under both of their names."""
    if not isinstance(data, dict):
        return data
    data = _selector_view(data)
    if kind == "NetworkPolicy":
        data = _network_policy_view(data)
    data = _binding_view(kind, data)
    if kind == "Ingress":
        data = _ingress_view(data)
    data = _rollout_view(kind, _node_selector_view(kind, _mount_view(kind, data)))
    if kind == "HorizontalPodAutoscaler":
        data = _hpa_view(data)
    if kind == "ResourceQuota":
        data = _quota_view(data)
    if kind == "Service":
        data = _service_ports_view(data)
    return _security_view(kind, data)


def _service_ports_view(data: dict) -> dict:
    """A Service port that leaves targetPort out sends to the port it serves: the API server defaults
    ``targetPort`` to ``port`` (``SetDefaults_Service``, kubernetes pkg/apis/core/v1/defaults.go)."""
    spec = data.get("spec")
    ports = spec.get("ports") if isinstance(spec, dict) else None
    if not isinstance(ports, list) or not any(isinstance(p, dict) and "targetPort" not in p for p in ports):
        return data
    filled = [
        {**p, "targetPort": p["port"]} if isinstance(p, dict) and "targetPort" not in p and "port" in p else p
        for p in ports
    ]
    return {**data, "spec": {**spec, "ports": filled}}


#: fields the schema states no default for whose Go type is a plain value, so that an object that leaves them out
#: has their zero value: kubernetes/api release-1.35 ``scheduling/v1/types.go`` (``GlobalDefault bool``)
ZERO_VALUE_DEFAULTS = MappingProxyType({("PriorityClass", "globalDefault"): False})


def _omitted_default(requirement: Requirement) -> Any:
    """What the API server reads for the field at the requirement's path when a manifest leaves it out: the
    schema's default (``spec.replicas`` is 1), or the zero value of :data:`ZERO_VALUE_DEFAULTS`; None if unknown."""
    kind = requirement.document.split("/", 1)[0]
    plain = re.sub(r"\[[^\]]*\]", "[]", requirement.path)
    if not kind or not requirement.path:
        return None
    if (kind, plain) in ZERO_VALUE_DEFAULTS:
        return ZERO_VALUE_DEFAULTS[kind, plain]
    info = _schema_field(kind, requirement.path)
    return None if info is None else info.default


def _left_out(data: Any, steps: tuple[Step, ...]) -> bool:
    """Whether the path's last key is missing (or null) in a mapping that the rest of the path reaches."""
    if not steps or steps[-1].kind != "key":
        return False
    parents, _ = resolve(data, steps[:-1])
    key = steps[-1].key
    return any(isinstance(p, dict) and p.get(key) is None for p in parents)


def _schema_field(kind: str, path: str) -> Any:
    """The schema's field at a path of a kind (a :class:`~opsprep.graph.k8s_api.FieldInfo`), or None when the
    kind or the field is not described."""
    from opsprep.graph.k8s_api import UnknownApiKind, resolve_path

    try:
        return resolve_path(kind, re.sub(r"\[[^\]]*\]", "[]", path))  # selectors ([name=web]) as plain list steps
    except UnknownApiKind:
        return None


def _quantity_field(requirement: Requirement) -> bool:
    """Whether the schema types the field at the requirement's path (or the map holding it) as a quantity."""
    kind = requirement.document.split("/", 1)[0]
    path = requirement.path
    while path:
        info = _schema_field(kind, path)
        if info is not None:
            return "quantity" in (info.type, info.value_type)
        path = path.rpartition(".")[0]  # a key of a map (spec.hard.pods): ask about the map
    return False


def _with_schema_defaults(kind: str, steps: tuple[Step, ...]) -> tuple[Step, ...]:
    """The steps, each selector carrying the schema's default of the key it selects on (if any)."""
    out = []
    for number, step in enumerate(steps):
        if step.kind == "select":
            element = "".join(f".{s.key}" if s.kind == "key" else "[]" for s in steps[:number]).lstrip(".")
            info = _schema_field(kind, f"{element}[].{step.key}")
            if info is not None and info.default is not None:
                step = Step(step.kind, step.key, step.value, step.index, info.default)
        out.append(step)
    return tuple(out)


def quantity(value: Any) -> Decimal | None:
    """A Kubernetes resource quantity's amount (``"500m"`` → 0.5, ``"1Gi"`` → 1073741824), or None."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    match = _QUANTITY.fullmatch(str(value).strip())
    if match is None:
        return None
    return Decimal(match.group(1)) * _SUFFIX[match.group(2)]


#: how a container names the POSIX shell: the container runtime looks a command without a slash up on the PATH of
#: the container's environment, and in the images the tasks run (busybox, Debian- and Alpine-based ones) the first
#: ``sh`` on it is ``/bin/sh``
SHELLS = frozenset({"sh", "/bin/sh"})
_PLAIN_WORDS = re.compile(r"[\w./=:@%+,-]+(?:[ \t]+[\w./=:@%+,-]+)*")


#: the ENTRYPOINT and CMD of images whose official builds set no ENTRYPOINT, by repository (any tag): a container of
#: such an image that sets ``args`` and no ``command`` runs its args as the command line ("If you supply only args
#: for a Container, the default Entrypoint defined in the Docker image is run with the args that you supplied",
#: https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/#notes; with no
#: Entrypoint that is the args alone). Sources: docker-library/busybox ``latest/*/amd64/image-config.json``
#: (``"Cmd": ["sh"]``, no Entrypoint) and alpinelinux/docker-alpine ``*/Dockerfile`` (``FROM scratch``,
#: ``CMD ["/bin/sh"]``, no ENTRYPOINT). Other images' entrypoints are not known here, so args alone say nothing.
IMAGE_ENTRYPOINTS: MappingProxyType[str, tuple[tuple[str, ...], tuple[str, ...]]] = MappingProxyType(
    {"busybox": ((), ("sh",)), "alpine": ((), ("/bin/sh",))}
)


def _image_repository(image: Any) -> str:
    """An image reference's repository without registry, tag or digest (``docker.io/library/busybox:1.37`` →
    ``busybox``); ``""`` when it is not a string."""
    if not isinstance(image, str):
        return ""
    name = image.split("@", 1)[0]
    last = name.rsplit("/", 1)
    if ":" in last[-1]:
        name = name.rsplit(":", 1)[0]
    for prefix in ("docker.io/library/", "docker.io/", "library/", "index.docker.io/library/"):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _argv(found: Any) -> list[str] | None:
    """What a container or an exec action runs: its command followed by its args; a container without a command
    runs its image's ENTRYPOINT with its args (or the image's CMD without them), known for the images of
    :data:`IMAGE_ENTRYPOINTS`; None when that is not known (the manifest does not show the entrypoint)."""
    if isinstance(found, dict):
        command, args = found.get("command"), found.get("args")
        if command is None and (args is None or isinstance(args, list)):
            image = IMAGE_ENTRYPOINTS.get(_image_repository(found.get("image")))
            if image is None:
                return None
            entrypoint, cmd = image
            command, args = list(entrypoint), list(cmd) if args is None else args
        args = args or []
        if not isinstance(command, list) or not isinstance(args, list) or not [*command, *args]:
            return None
        found = [*command, *args]
    if not isinstance(found, list) or not found or not all(isinstance(word, str) for word in found):
        return None
    return found


def _program(argv: list[str]) -> list[str]:
    """A command line as the program it runs: ``sh -c 'cat /tmp/ok'`` runs ``cat /tmp/ok`` (a script of plain words
    only: no quoting, expansions or operators), and ``sh`` is ``/bin/sh``."""
    if len(argv) == 3 and argv[0] in SHELLS and argv[1] == "-c" and _PLAIN_WORDS.fullmatch(argv[2].strip()):
        return argv[2].split()
    return ["/bin/sh", *argv[1:]] if argv and argv[0] in SHELLS else list(argv)


#: the BusyBox applets that read the files they are given (the images of the tasks' helper containers are
#: busybox): a container that must read files runs one of them on a path there
FILE_READERS = frozenset(
    {"cat", "tac", "tail", "head", "more", "less", "grep", "egrep", "fgrep", "zcat", "zgrep", "awk", "sed"}
    | {"cut", "sort", "uniq", "wc", "nl", "od", "hexdump", "strings"}
)
_SHELL_BREAKS = frozenset({";", "&&", "||", "|", "&", "(", ")", "do", "then", "else", "{", "}"})
#: an output redirection written apart from its target (``cat x > /var/log/app/copy``): the target is written
_REDIRECT_OUT = re.compile(r"\d*>>?|\d*>\||\d*>&")
#: a shell given a script: ``-c`` alone or with other one-letter options (``sh -ec``)
_SCRIPT_OPTION = re.compile(r"-[a-z]*c[a-z]*")


def _shell_words(script: str) -> list[str] | None:
    """A shell script's words, with ``;``, ``&&``, ``|``, new lines (as ``;``) and the like as words of their own;
    None when it cannot be read (an unclosed quote)."""
    lexer = shlex.shlex(script.replace("\n", " ; "), posix=True, punctuation_chars=";&|()")
    lexer.whitespace_split = True
    try:
        return list(lexer)
    except ValueError:
        return None


def reads(argv: list[str], directory: str) -> bool:
    """Whether a command line runs a file reader (:data:`FILE_READERS`) on a path below ``directory`` (``tail -F
    /var/log/app/app.log``, ``cat /var/log/app/*.log``; the directory itself is no file to read), itself or in a
    shell script (``sh -c 'while true; do cat /var/log/app/app.log; sleep 5; done'``). The target of an output
    redirection is written, not read; a path given relative to a ``cd`` or through a variable is not followed, so
    such a command does not count."""
    below = (directory.rstrip("/") or "") + "/"
    script = len(argv) == 3 and argv[0] in SHELLS and _SCRIPT_OPTION.fullmatch(argv[1]) is not None
    words = _shell_words(argv[2]) if script else list(argv)
    if words is None:
        return False
    reader = skip = False
    for word in words:
        if skip:
            skip = False
        elif word in _SHELL_BREAKS:
            reader = False
        elif _REDIRECT_OUT.fullmatch(word):
            skip = True
        elif not reader:
            reader = word.rsplit("/", 1)[-1] in FILE_READERS
        elif word.startswith(below) and len(word) > len(below):
            return True
    return False


def runs(found: Any, wanted: Any) -> bool:
    """Whether a container (a mapping with ``command`` and ``args``), an exec action or a command list runs what
    ``wanted`` says: a list is a command line, equal once both are read as the program they run
    (:func:`_program`); a mapping ``{"shell": pattern}`` is a shell (``sh`` or ``/bin/sh``) given ``-c`` and a
    script that fully matches the regular expression (surrounding white space ignored); a mapping ``{"reads":
    directory}`` is a command line that runs a file reader on a path there (:func:`reads`)."""
    argv = _argv(found)
    if argv is None:
        return False
    if isinstance(wanted, dict) and "reads" in wanted:
        return isinstance(wanted["reads"], str) and reads(argv, wanted["reads"])
    if isinstance(wanted, dict):
        pattern = wanted.get("shell")
        shell = len(argv) == 3 and argv[0] in SHELLS and argv[1] == "-c"
        return shell and isinstance(pattern, str) and re.fullmatch(pattern, argv[2].strip(), re.S) is not None
    return isinstance(wanted, list) and _program(argv) == _program([str(w) for w in wanted])


def tolerates(toleration: Any, taint: dict) -> bool:
    """Whether a toleration tolerates a taint, as the scheduler matches them (``ToleratesTaint`` of
    k8s.io/api ``core/v1/toleration.go``; https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/):
    a toleration that sets an effect matches only a taint with that effect (an empty effect matches every effect),
    one that sets a key only a taint with that key (an empty key, which the API allows only with Exists, matches
    every key); then ``Exists`` matches any value and ``Equal`` (the default operator) only the taint's value,
    an empty value equal to a taint without one. Any other operator tolerates nothing here (the alpha ``Lt``
    and ``Gt`` of v1.35 are behind a feature gate that is off by default)."""
    if not isinstance(toleration, dict) or not isinstance(taint, dict):
        return False
    effect = toleration.get("effect") or ""
    if effect and effect != taint.get("effect"):
        return False
    key = toleration.get("key") or ""
    if key and key != taint.get("key"):
        return False
    operator = toleration.get("operator") or "Equal"
    if operator == "Exists":
        return True
    return operator == "Equal" and (toleration.get("value") or "") == (taint.get("value") or "")


def _tolerated(found: Any, taint: Any) -> bool:
    """Whether a list of tolerations (or a single one) tolerates the taint (:func:`tolerates`)."""
    if not isinstance(taint, dict):
        return False
    return any(tolerates(t, taint) for t in found) if isinstance(found, list) else tolerates(found, taint)


def _has_entries(found: Any, wanted: dict) -> bool:
    return isinstance(found, dict) and all(k in found and same(found[k], v) for k, v in wanted.items())


def _size(value: Any) -> int | None:
    return len(value) if isinstance(value, list | dict | str) else None


def _passes(op: str, found: Any, operand: Any) -> bool:
    if op == "equals":
        return same(found, operand)
    if op == "contains":
        if isinstance(found, list):
            return any(_has_entries(e, operand) if isinstance(operand, dict) else same(e, operand) for e in found)
        if isinstance(found, dict):
            return _has_entries(found, operand) if isinstance(operand, dict) else operand in found
        return isinstance(found, str) and isinstance(operand, str) and operand in found
    if op == "matches":
        return isinstance(found, str) and isinstance(operand, str) and re.fullmatch(operand, found) is not None
    if op == "one_of":
        return isinstance(operand, list) and any(same(found, option) for option in operand)
    if op == "length":
        return _size(found) is not None and _number(operand) and _size(found) == operand
    if op in ("at_least", "at_most"):
        measure = found if _number(found) else _size(found) if isinstance(found, list | dict) else None
        if measure is None or not _number(operand):
            return False
        return measure >= operand if op == "at_least" else measure <= operand
    if op == "subset":
        if isinstance(operand, dict):
            return _has_entries(found, operand)
        return (
            isinstance(found, list)
            and isinstance(operand, list)
            and all(any(same(f, w) for f in found) for w in operand)
        )
    if op == "not_equals":
        return not same(found, operand)
    if op == "runs":
        return runs(found, operand)
    if op == "tolerates":
        return _tolerated(found, operand)
    if op == "selects":
        return isinstance(operand, dict) and selects_exactly(found, operand)
    raise ValueError(f"Unknown requirement op {op!r}; expected one of {OPS}.")


# --- requirements -------------------------------------------------------------------------------------------------


def requirement_problems(requirement: Requirement) -> list[str]:
    """What is wrong with a requirement itself (an unknown op, a bad path, a value that is not JSON)."""
    problems = []
    if requirement.op not in OPS:
        problems.append(f"{requirement.id}: unknown op {requirement.op!r}; expected one of {', '.join(OPS)}.")
    try:
        parse_path(requirement.path)
    except ValueError as error:
        problems.append(f"{requirement.id}: {error}")
    try:
        operand = json.loads(requirement.value)
    except ValueError:
        problems.append(f"{requirement.id}: the value {requirement.value!r} is not JSON.")
        return problems
    pattern = operand
    if requirement.op == "runs":
        command = isinstance(operand, list) and all(isinstance(word, str) for word in operand)
        pattern = operand.get("shell") if isinstance(operand, dict) else None
        directory = operand.get("reads") if isinstance(operand, dict) else None
        if not command and not isinstance(pattern, str) and not isinstance(directory, str):
            problems.append(
                f'{requirement.id}: runs needs a command list, {{"shell": pattern}} or {{"reads": directory}}, '
                f"not {operand!r}."
            )
    if requirement.op == "tolerates" and not _taint_operand(operand):
        problems.append(
            f'{requirement.id}: tolerates needs a taint {{"key": ..., "value": ..., "effect": ...}} of strings, '
            f"with a key and an effect, not {operand!r}."
        )
    if requirement.op in ("matches", "runs") and isinstance(pattern, str):
        try:
            re.compile(pattern)
        except re.error as error:
            problems.append(f"{requirement.id}: the pattern {pattern!r} is not a regular expression: {error}.")
    return problems


def _taint_operand(operand: Any) -> bool:
    """Whether a ``tolerates`` operand is a taint: a key and an effect, maybe a value, all strings."""
    return (
        isinstance(operand, dict)
        and set(operand) <= {"key", "value", "effect"}
        and all(isinstance(operand.get(field), str) and operand[field] for field in ("key", "effect"))
        and isinstance(operand.get("value", ""), str)
    )


def _render(value: Any) -> str:
    """A value as feedback shows it: JSON, except that HCL expressions appear as written (unquoted)."""
    if isinstance(value, Expression):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_render(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k, ensure_ascii=False)}: {_render(v)}" for k, v in value.items()) + "}"
    return json.dumps(value, default=str, ensure_ascii=False)


def _show(value: Any) -> str:
    text = _render(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _found_text(label: str, steps: tuple[Step, ...], values: list[Any]) -> str:
    where = f"{label}: {path_text(steps)}" if steps else label
    shown = ", ".join(_show(v) for v in values[:3]) + (", ..." if len(values) > 3 else "")
    return f"{where} is {shown}" if len(values) == 1 else f"{where} has the values {shown}"


def _missing_text(label: str, steps: tuple[Step, ...], matched: int) -> str:
    step = steps[matched]
    what = step.text() if step.kind == "key" else f"element {step.text()}"
    return f"{label}: {path_text(steps[:matched])} has no {what}" if matched else f"{label} has no {what}"


#: ops that hold where nothing is found, and must hold in every picked document
_NEGATIVE_OPS = ("absent", "not_equals")
#: ops that read a field left out as its default (``absent`` and ``exists`` are about what is written)
_DEFAULTED_OPS = ("equals", "one_of", "not_equals")


def _check(document: Document, steps: tuple[Step, ...], op: str, operand: Any, default: Any = None) -> tuple[bool, str]:
    """Whether one document passes, and what was found there (``default``: what the API reads for the field when
    it is left out, if known)."""
    values, matched = resolve(document.data, steps)
    present = [v for v in values if v is not None]
    where = f"{document.label}: {path_text(steps)}" if steps else document.label
    if not present and default is not None and _left_out(document.data, steps):
        shown = f"{where} is left out, so it has its default {_show(default)}"
        return _passes(op, default, operand), shown
    if not present:
        found = f"{where} is null" if values else _missing_text(document.label, steps, matched)
        return op in _NEGATIVE_OPS, found
    if op == "absent":
        return False, _found_text(document.label, steps, present)
    if op == "not_equals":
        return all(_passes(op, value, operand) for value in present), _found_text(document.label, steps, present)
    met = op == "exists" or any(_passes(op, value, operand) for value in present)
    if op in ("length", "at_least", "at_most") and all(isinstance(v, list | dict) for v in present):
        return met, f"{where} has {', '.join(str(_size(v)) for v in present[:3])} element(s)"
    if op == "runs":
        argv = _argv(present[0])
        ran = "has no command, so it runs its image's entrypoint" if argv is None else f"runs {shlex.join(argv)}"
        return met, _show_text(f"{where} {ran}")
    return met, _found_text(document.label, steps, present)


def _show_text(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _documents(answer: Answer, form: str, address: str) -> tuple[list[Document], str]:
    """The documents a requirement is about, and how to say that none is there."""
    if form == "hcl":
        steps = parse_path(address) if address else ()
        bodies, _ = resolve(answer.config, steps)
        blocks = [b for body in bodies for b in (body if isinstance(body, list) else [body]) if isinstance(b, dict)]
        label = address or "the configuration"
        return [Document(label, block) for block in blocks], f"no {address} block in the configuration"
    kind, _, name = address.partition("/")
    picked = [d for d in answer.documents if (not kind or d.kind == kind) and (not name or d.name == name)]
    picked = [replace(d, data=checked_view(d.kind, d.data)) for d in picked]
    if not kind:
        return picked, "no object in the manifest"
    return picked, f"no {kind} named {name} in the manifest" if name else f"no {kind} in the manifest"


def check_requirement(answer: Answer, form: str, requirement: Requirement) -> RequirementResult:
    """Whether a parsed answer meets one requirement, with what was found."""

    def result(met: bool, detail: str) -> RequirementResult:
        return RequirementResult(requirement.id, requirement.text, met, detail)

    faults = requirement_problems(requirement)
    if faults:
        return result(False, "This requirement cannot be checked: " + " ".join(faults))
    if not answer.readable:
        return result(False, f"The {'configuration' if form == 'hcl' else 'manifest'} could not be read.")
    steps, operand = parse_path(requirement.path), _operand(json.loads(requirement.value))
    if form == "manifest" and requirement.op in ("equals", "not_equals") and _quantity_field(requirement):
        amount = quantity(operand)
        operand = Amount(amount) if amount is not None else operand
    if form == "manifest" and requirement.op == "equals" and isinstance(operand, list) and _set_like(requirement.path):
        operand = Unordered(tuple(operand))
    if form == "manifest" and any(step.kind == "select" for step in steps):
        steps = _with_schema_defaults(requirement.document.split("/", 1)[0], steps)
    default = _omitted_default(requirement) if form == "manifest" and requirement.op in _DEFAULTED_OPS else None
    try:
        documents, missing = _documents(answer, form, requirement.document)
    except ValueError as error:
        return result(False, f"This requirement cannot be checked: {error}")
    if not documents:
        return result(False, missing[0].upper() + missing[1:] + ".")
    checks = [_check(document, steps, requirement.op, operand, default) for document in documents]
    if requirement.op in _NEGATIVE_OPS:
        failing = [detail for met, detail in checks if not met]
        return result(not failing, (failing or [checks[0][1]])[0] + ".")
    passing = [detail for met, detail in checks if met]
    return result(bool(passing), (passing or [checks[0][1]])[0] + ".")


def grade_task(response: Response, text: str) -> Verdict:
    """Parse the learner's manifest or configuration and check every requirement; never raises on learner text."""
    if response.form not in TASK_FORMS:
        raise ValueError(f"Unknown task form {response.form!r}; expected one of {sorted(TASK_FORMS)}.")
    answer = read_configuration(text) if response.form == "hcl" else read_manifest(text)
    results = tuple(check_requirement(answer, response.form, r) for r in response.requirements)
    met = sum(r.met for r in results)
    score = met / len(results) if results else (1.0 if answer.readable and not answer.problems else 0.0)
    correct = answer.readable and not answer.problems and met == len(results)
    return Verdict(correct, score if answer.readable else 0.0, results, answer.problems, (), response.model_answer)
