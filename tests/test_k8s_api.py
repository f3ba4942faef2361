"""The Kubernetes v1.35 API facts: description parsing, field paths, manifest validation and the generated Turtle."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import kubernetes_validate
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from opsprep.graph import default_graph, k8s_api, k8s_defs, k8s_schema
from opsprep.graph.k8s_api import UnknownApiKind, field_paths, kind_info, resolve_path, validate_manifest
from opsprep.graph.k8s_text import allowed_values, default_value
from opsprep.graph.store import DATA_DIR, ONTOLOGY_FILE
from opsprep.graph.validate import validate_files

OPS = "https://w3id.org/opsprep/ontology#"
K8S = "https://w3id.org/opsprep/id/k8s/"
TURTLE = DATA_DIR / "k8s-api.ttl"


def description(key: str, name: str) -> str:
    """The schema's own description of one field (so the parser is tested on the real text)."""
    return k8s_defs.definitions()[key]["properties"][name]["description"]


CORE = "io.k8s.api.core.v1."

# ---------------------------------------------------------------- what descriptions state


@pytest.mark.parametrize(
    ("key", "name", "expected"),
    [
        (CORE + "ServiceSpec", "type", ("ExternalName", "ClusterIP", "NodePort", "LoadBalancer")),
        (CORE + "Container", "imagePullPolicy", ("Always", "Never", "IfNotPresent")),
        (CORE + "PodSpec", "dnsPolicy", ("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None")),
        (CORE + "PodSpec", "restartPolicy", ("Always", "OnFailure", "Never")),
        (CORE + "Toleration", "effect", ("NoSchedule", "PreferNoSchedule", "NoExecute")),
        (CORE + "PersistentVolumeSpec", "persistentVolumeReclaimPolicy", ("Retain", "Delete", "Recycle")),
        ("io.k8s.api.apps.v1.DeploymentStrategy", "type", ("Recreate", "RollingUpdate")),
        ("io.k8s.api.batch.v1.CronJobSpec", "concurrencyPolicy", ("Allow", "Forbid", "Replace")),
        ("io.k8s.api.batch.v1.JobSpec", "completionMode", ("NonIndexed", "Indexed")),
        ("io.k8s.api.networking.v1.HTTPIngressPath", "pathType", ("Exact", "Prefix", "ImplementationSpecific")),
        # not stated plainly: a list of lists, a list that goes on after its full stop, bullets without names
        ("io.k8s.api.networking.v1.NetworkPolicySpec", "policyTypes", ()),
        (CORE + "NodeSelectorRequirement", "operator", ()),
        (CORE + "SeccompProfile", "type", ()),
        (CORE + "EmptyDirVolumeSource", "medium", ()),
        (CORE + "ServiceSpec", "clusterIP", ()),
    ],
)
def test_allowed_values_read_from_real_descriptions(key, name, expected):
    assert allowed_values(description(key, name)) == expected


@pytest.mark.parametrize(
    ("key", "name", "kind", "expected"),
    [
        ("io.k8s.api.apps.v1.DeploymentSpec", "replicas", "integer", 1),
        ("io.k8s.api.apps.v1.DeploymentSpec", "progressDeadlineSeconds", "integer", 600),
        ("io.k8s.api.apps.v1.RollingUpdateDeployment", "maxSurge", "int-or-string", "25%"),
        (CORE + "PodSpec", "terminationGracePeriodSeconds", "integer", 30),
        (CORE + "PodSpec", "restartPolicy", "string", "Always"),
        (CORE + "PodSpec", "dnsPolicy", "string", "ClusterFirst"),
        (CORE + "PodSpec", "hostNetwork", "boolean", False),
        (CORE + "Probe", "periodSeconds", "integer", 10),
        (CORE + "ContainerPort", "protocol", "string", "TCP"),
        (CORE + "ServiceSpec", "type", "string", "ClusterIP"),
        (CORE + "ServiceSpec", "internalTrafficPolicy", "string", "Cluster"),
        (CORE + "Container", "terminationMessagePath", "string", "/dev/termination-log"),
        ("io.k8s.api.batch.v1.CronJobSpec", "concurrencyPolicy", "string", "Allow"),
        # conditional, in words, disagreeing, or octal: left unknown
        (CORE + "Container", "imagePullPolicy", "string", None),
        ("io.k8s.api.batch.v1.JobSpec", "backoffLimit", "integer", None),
        ("io.k8s.api.rbac.v1.Subject", "apiGroup", "string", None),
        (CORE + "HTTPGetAction", "host", "string", None),
        (CORE + "ConfigMapVolumeSource", "defaultMode", "integer", None),
        (CORE + "ServiceAccountTokenProjection", "expirationSeconds", "integer", None),
    ],
)
def test_defaults_read_from_real_descriptions(key, name, kind, expected):
    allowed = allowed_values(description(key, name))
    assert default_value(description(key, name), kind, name, allowed) == expected


NAMES = st.from_regex(r"[A-Z][a-z]{1,8}(?:[A-Z][a-z]{1,6})?", fullmatch=True)


@given(
    values=st.lists(NAMES, min_size=2, max_size=5, unique=True), intro=st.sampled_from(["Valid values are", "One of"])
)
def test_a_plain_list_is_read_in_full_and_in_order(values, intro):
    text = f"Mode of the thing. {intro} {', '.join(values[:-1])} and {values[-1]}. More info: elsewhere."
    assert allowed_values(text) == tuple(values)


@given(value=NAMES, condition=st.sampled_from(["if the image is latest", "unless set elsewhere", "for new objects"]))
def test_a_conditional_default_is_not_read(value, condition):
    assert default_value(f"Defaults to {value}.", "string") == value
    assert default_value(f"Defaults to {value} {condition}.", "string") is None


@given(text=st.text(max_size=300), kind=st.sampled_from(k8s_defs.FIELD_TYPES))
def test_parsers_never_raise_and_fit_the_field_type(text, kind):
    allowed = allowed_values(text)
    assert all(isinstance(v, str) and v for v in allowed)
    value = default_value(text, kind, "someSeconds", allowed)
    fits = {"integer": int, "boolean": bool, "number": float, "string": str, "quantity": str}
    if value is not None:
        assert kind not in ("array", "object", "map")
        assert isinstance(value, fits.get(kind, (int, str)))
        assert not allowed or value in allowed or kind != "string"


# ---------------------------------------------------------------- kinds and field paths


def test_kinds_have_their_schema_roots_and_iris():
    for kind in k8s_api.kinds():
        root = k8s_defs.definitions()[k8s_api.root_type(kind)]
        assert {"group": kind.group, "version": kind.version, "kind": kind.kind} in root[
            "x-kubernetes-group-version-kind"
        ]
        assert re.fullmatch(r"[a-z0-9.-]+-v\d+-[A-Z][A-Za-z]+", kind.slug), kind.slug
    assert kind_info("deployment").slug == "apps-v1-Deployment"
    assert kind_info("Role").slug == "rbac.authorization.k8s.io-v1-Role"
    assert kind_info("HorizontalPodAutoscaler", "autoscaling/v2").api_version == "autoscaling/v2"
    assert {k.kind for k in k8s_api.kinds() if not k.namespaced} >= {"Node", "PersistentVolume", "ClusterRole"}


def test_unknown_kind_is_an_error_that_lists_the_kinds():
    with pytest.raises(UnknownApiKind, match="choose one of Pod, Deployment"):
        field_paths("Deployement")
    with pytest.raises(UnknownApiKind, match="in apps/v1beta1"):
        kind_info("Deployment", "apps/v1beta1")


def test_field_paths_follow_the_schema_and_the_import_rules():
    paths = {f.path: f for f in field_paths("Deployment")}
    probe = paths["spec.template.spec.containers[].readinessProbe.httpGet.path"]
    assert (probe.type, probe.owner) == ("string", "HTTPGetAction")
    assert probe.sources == ("https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/",)
    assert paths["spec.template.spec.containers"].item_type == "Container"
    assert paths["spec.template.spec.containers[].args"].item_type == "string"
    assert paths["metadata.labels"].type == "map" and paths["metadata.labels"].value_type == "string"
    assert paths["spec.template.spec.containers[].resources.limits"].value_type == "quantity"
    assert paths["spec.strategy.rollingUpdate.maxSurge"].type == "int-or-string"
    assert paths["spec.selector"].required and paths["spec.template"].required
    assert paths["spec.template.spec.containers"].required and paths["spec.template.spec.containers[].name"].required
    assert not paths["spec.replicas"].required
    assert {p.split(".")[1] for p in paths if p.startswith("metadata.")} == {
        "name",
        "namespace",
        "labels",
        "annotations",
    }
    assert not any(p == "status" or p.startswith("status.") or ".managedFields" in p for p in paths)
    assert "spec.template.spec.serviceAccount" not in paths  # deprecated alias of serviceAccountName
    assert "spec.template.spec.volumes[].gcePersistentDisk" not in paths  # deprecated in-tree plugin
    assert "spec.template.spec.serviceAccountName" in paths


def test_a_type_that_contains_itself_is_entered_once_per_path():
    paths = [f.path for f in field_paths("CustomResourceDefinition")]
    assert "spec.versions[].schema.openAPIV3Schema.type" in paths
    assert not any(p.count("openAPIV3Schema") > 1 or ".not." in p for p in paths)


@pytest.mark.parametrize(
    "written",
    [
        "spec.template.spec.containers[].readinessProbe.httpGet.path",
        "spec.template.spec.containers[0].readinessProbe.httpGet.path",
        "spec.template.spec.containers[*].readinessProbe.httpGet.path",
        ".spec.template.spec.containers.readinessProbe.httpGet.path",
        "deployment.spec.template.spec.containers.readinessProbe.httpGet.path",
    ],
)
def test_resolve_path_accepts_the_usual_spellings(written):
    found = resolve_path("Deployment", written)
    assert found is not None and found.path == "spec.template.spec.containers[].readinessProbe.httpGet.path"


@pytest.mark.parametrize("path", ["spec.replica", "spec.replicas.value", "metadata.labels.app", "metadata.uid", ""])
def test_resolve_path_answers_none_for_what_the_kind_lacks(path):
    assert resolve_path("Deployment", path) is None


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_listed_path_resolves_to_itself(data):
    kind = data.draw(st.sampled_from([k.kind for k in k8s_api.kinds()]))
    info = data.draw(st.sampled_from(field_paths(kind)))
    assert resolve_path(kind, info.path) == info
    indexed = info.path.replace("[]", "[3]")
    assert resolve_path(kind, indexed) == info


# ---------------------------------------------------------------- manifest validation

DEPLOYMENT = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "web", "labels": {"app": "web"}},
    "spec": {
        "replicas": 3,
        "selector": {"matchLabels": {"app": "web"}},
        "template": {
            "metadata": {"labels": {"app": "web"}},
            "spec": {
                "containers": [
                    {
                        "name": "web",
                        "image": "nginx:1.27",
                        "ports": [{"containerPort": 80}],
                        "readinessProbe": {"httpGet": {"path": "/healthz", "port": 80}},
                        "resources": {"limits": {"cpu": "500m", "memory": "128Mi"}},
                    }
                ]
            },
        },
        "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 0}},
    },
}


def oracle_accepts(doc) -> bool:
    """kubernetes-validate's verdict on the same strict v1.35 schema (it stops at the first error)."""
    try:
        kubernetes_validate.validate(doc, "1.35.0", strict=True)
    except kubernetes_validate.ValidationError:
        return False
    return True


def test_a_valid_manifest_has_no_problems():
    assert oracle_accepts(DEPLOYMENT)
    assert validate_manifest(DEPLOYMENT) == []


def test_every_error_is_listed_with_its_path():
    doc = copy.deepcopy(DEPLOYMENT)
    container = doc["spec"]["template"]["spec"]["containers"][0]
    container["imagee"] = container.pop("image")
    container["ports"][0]["containerPort"] = "80"
    doc["spec"]["replicas"] = "3"
    doc["spec"]["template"]["spec"]["containers"].append({"image": "busybox"})
    doc["spec"]["strategy"]["rollingUpdate"]["maxSurge"] = True
    assert not oracle_accepts(doc)
    assert validate_manifest(doc) == [  # in the order they are written (imagee was added last)
        "spec.replicas: expected an integer, found the string '3'",
        "spec.template.spec.containers[0].ports[0].containerPort: expected an integer, found the string '80'",
        "spec.template.spec.containers[0].imagee: unknown field 'imagee' (did you mean 'image'?)",
        "spec.template.spec.containers[1]: missing required field 'name'",
        "spec.strategy.rollingUpdate.maxSurge: expected a string or an integer, found true",
    ]


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        ({"apiVersion": "apps/v1beta1", "kind": "Deployment"}, "Deployment is served as apps/v1"),
        ({"apiVersion": "v1", "kind": "Deployement"}, "check the kind's spelling"),
        ({"apiVersion": "../../../etc", "kind": "Pod"}, "Pod is served as v1"),
        ({"kind": "Pod"}, "missing required field 'apiVersion'"),
        (["not", "a", "mapping"], "a manifest is an object (a mapping), found a list"),
        ({"apiVersion": "apps/v1", "kind": "deployment", "spec": DEPLOYMENT["spec"]}, "kind: must be 'Deployment'"),
    ],
)
def test_what_cannot_be_checked_says_why(doc, expected):
    problems = validate_manifest(doc)
    assert len(problems) == 1 and expected in problems[0]


def _leaves(doc, path=()):
    if isinstance(doc, dict):
        yield path, doc
        for key, value in doc.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(doc, list):
        for index, value in enumerate(doc):
            yield from _leaves(value, (*path, index))
    else:
        yield path, doc


def _set(doc, path, value):
    target = doc
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_manifests_agree_with_kubernetes_validate(data):
    doc = copy.deepcopy(DEPLOYMENT)
    places = [p for p in _leaves(doc) if p[0] and p[0][0] not in ("apiVersion", "kind")]
    path, current = data.draw(st.sampled_from(places))
    if isinstance(current, dict) and data.draw(st.booleans()):
        current[data.draw(st.from_regex(r"[a-z][A-Za-z]{2,10}", fullmatch=True))] = "x"
    else:
        _set(doc, path, data.draw(st.one_of(st.integers(), st.text(max_size=5), st.booleans(), st.just([1]))))
    problems = k8s_api.schema_problems(doc)
    assert (problems == []) == oracle_accepts(doc)
    if problems:
        try:
            kubernetes_validate.validate(doc, "1.35.0", strict=True)
        except kubernetes_validate.ValidationError as error:
            first = tuple(error.path)
            assert any(p.path[: len(first)] == first for p in problems), (first, problems)


# ---------------------------------------------------------------- the generated Turtle


def test_the_shipped_turtle_is_a_fresh_generation():
    fresh = k8s_schema.turtle()
    assert TURTLE.read_text(encoding="utf-8") == fresh, (
        "graph/data/k8s-api.ttl is stale: run  python -m opsprep.graph.k8s_schema > graph/data/k8s-api.ttl"
    )


def test_the_generated_turtle_conforms_to_the_shapes():
    report = validate_files([ONTOLOGY_FILE, TURTLE])
    assert report.conforms, "\n".join(str(v) for v in report.violations)


def test_a_broken_field_is_caught_by_the_shapes(tmp_path):
    broken = tmp_path / "k8s-api.ttl"
    text = TURTLE.read_text(encoding="utf-8")
    text = text.replace('ops:fieldName "replicas" ;\n    ops:fieldType "integer"', 'ops:fieldType "int"', 1)
    broken.write_text(text, encoding="utf-8")
    found = {(v.focus, v.path) for v in validate_files([ONTOLOGY_FILE, broken]).violations}
    assert ("k8s:type-apps-v1-DeploymentSpec.replicas", "ops:fieldName") in found
    assert ("k8s:type-apps-v1-DeploymentSpec.replicas", "ops:fieldType") in found


@pytest.fixture(scope="module")
def turtle_graph() -> Graph:
    return Graph().parse(TURTLE, format="turtle")


def test_the_graph_holds_what_the_python_api_reads(turtle_graph):
    g, ops = turtle_graph, lambda name: URIRef(OPS + name)
    for key in k8s_api.api_types():
        for field in k8s_defs.fields_of(key):
            node = URIRef(field.iri)
            assert g.value(node, ops("fieldType")) == Literal(field.type)
            assert {str(v) for v in g.objects(node, ops("allowedValue"))} == set(field.allowed)
            stated = g.value(node, ops("defaultValue"))
            assert (stated.toPython() if stated is not None else None) == field.default
            assert (g.value(node, ops("required")) is not None) == field.required
    assert len(set(g.subjects(RDF.type, ops("ApiKind")))) == len(k8s_api.kinds())


def test_every_k8s_reference_in_the_shipped_graph_is_described():
    graph = default_graph()
    described = {s for s in graph.subjects() if str(s).startswith(K8S)}
    used = {o for o in graph.objects() if isinstance(o, URIRef) and str(o).startswith(K8S)}
    assert sorted(str(o) for o in used - described) == []
    topics = {str(s) for s in graph.subjects(URIRef(OPS + "apiKind"))}
    assert all((URIRef(t), RDF.type, URIRef(OPS + "Topic")) in graph for t in topics), topics


def test_the_generator_runs_as_a_module():
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "opsprep.graph.k8s_schema"], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout == TURTLE.read_text(encoding="utf-8")
    assert Path(k8s_defs.schema_folder(), "_definitions.json").is_file()
