"""Manifest tasks checked as the API server reads them: its validation rules beyond the schema
(:mod:`questions.api_rules`), and the views requirements read (equal label selectors, Ingress Prefix paths, an
autoscaling/v1 HorizontalPodAutoscaler, what every container's security context gets)."""

from __future__ import annotations

import pytest
import yaml

from opsprep.graph.store import default_graph
from opsprep.questions import QuestionType, build_bank, grade_response
from opsprep.questions.api_rules import api_problems, selector_matches
from opsprep.questions.manifest_recipes import network_policy_namespace
from opsprep.questions.task_checks import checked_view, mount_path, pinned_labels, prefix_path, selects_everything
from opsprep.questions.task_documents import read_manifest


@pytest.fixture(scope="module")
def bank():
    return build_bank(default_graph())


def _task(bank, template: str, needle: str):
    """The task item of a template whose stem mentions ``needle``."""
    found = [i for i in bank.items if i.template == template and needle in i.stem]
    assert found, (template, needle)
    return found[0]


def _grade(item, text: str):
    return grade_response(item.response, text)


def _unmet(verdict) -> list[str]:
    return [r.text for r in verdict.results if not r.met]


def _problems(text: str) -> list[str]:
    return [str(p) for p in api_problems(yaml.safe_load(text))]


# --- every shipped model answer meets the API rules -------------------------------------------------------------


def test_every_task_model_answer_passes_schema_api_rules_and_requirements(bank):
    tasks = [i for i in bank.items if i.type == QuestionType.TASK and i.response.form in ("manifest", "hcl")]
    assert len(tasks) > 50
    for item in tasks:
        verdict = _grade(item, item.response.model_answer)
        assert verdict.correct, (item.template, verdict.problems, _unmet(verdict))
        if item.response.form == "manifest":
            for document in yaml.safe_load_all(item.response.model_answer):
                assert api_problems(document) == [], item.template


# --- 1. label selectors: matchLabels is a single-value In ------------------------------------------------------

PDB = """\
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: db
  namespace: payments
spec:
  minAvailable: 1
  selector:
    matchLabels:
      app: db
"""
PDB_EXPRESSION = PDB.replace(
    "    matchLabels:\n      app: db\n",
    '    matchExpressions:\n    - key: app\n      operator: In\n      values: ["db"]\n',
)


def test_a_single_value_in_expression_is_the_matchlabels_entry(bank):
    item = _task(bank, "k8s-task/pod-disruption-budget", "too many db Pods")
    assert _grade(item, PDB).correct
    assert _grade(item, PDB_EXPRESSION).correct  # review 12b, CKA 5: refused with "has no matchLabels"


@pytest.mark.parametrize(
    "wrong",
    [
        PDB_EXPRESSION.replace('["db"]', '["database"]'),  # another label value
        PDB_EXPRESSION.replace('["db"]', '["db", "cache"]'),  # also selects app=cache: not pinned to db
        PDB_EXPRESSION.replace("operator: In", "operator: NotIn"),  # everything but db
        PDB.replace(
            "      app: db\n", "      app: db\n    matchExpressions:\n    - {key: app, operator: In, values: [x]}\n"
        ),
    ],
)
def test_a_selector_that_does_not_pin_the_label_still_fails(bank, wrong):
    item = _task(bank, "k8s-task/pod-disruption-budget", "too many db Pods")
    assert "It covers the Pods labelled app=db." in _unmet(_grade(item, wrong))


def test_pinned_labels_intersects_every_requirement():
    assert pinned_labels({"matchExpressions": [{"key": "app", "operator": "In", "values": ["db"]}]}) == {"app": "db"}
    assert pinned_labels({"matchExpressions": [{"key": "app", "operator": "In", "values": ["db", "x"]}]}) == {}
    both = [
        {"key": "app", "operator": "In", "values": ["db", "x"]},
        {"key": "app", "operator": "NotIn", "values": ["x"]},
    ]
    assert pinned_labels({"matchExpressions": both}) == {"app": "db"}
    assert (
        pinned_labels({"matchLabels": {"app": "db"}, "matchExpressions": [{"key": "app", "operator": "DoesNotExist"}]})
        is None
    )
    # the learner's text is not rewritten: only the view has the entry
    written = {"spec": {"selector": {"matchExpressions": [{"key": "app", "operator": "In", "values": ["db"]}]}}}
    assert checked_view("PodDisruptionBudget", written)["spec"]["selector"]["matchLabels"] == {"app": "db"}
    assert "matchLabels" not in written["spec"]["selector"]


STATEFULSET = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: queue
  namespace: messaging
spec:
  serviceName: queue
  replicas: 3
  selector:
    matchExpressions:
    - key: app
      operator: In
      values: [queue]
  template:
    metadata:
      labels:
        app: queue
    spec:
      containers:
      - name: queue
        image: redis:7
        volumeMounts:
        - name: data
          mountPath: /data
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: ["ReadWriteOnce"]
      storageClassName: standard
      resources:
        requests:
          storage: 5Gi
"""


def test_a_statefulset_selected_by_expression_passes_and_one_its_pods_do_not_carry_fails(bank):
    item = _task(bank, "k8s-task/statefulset", "queue")
    image = yaml.safe_load(item.response.model_answer)["spec"]["template"]["spec"]["containers"][0]["image"]
    answer = STATEFULSET.replace("redis:7", image)
    assert _grade(item, answer).correct, _unmet(_grade(item, answer))  # review 14b, CKA 10
    # review 14b, CKA 10: template labels app=rabbit passed although the API refuses it
    rabbit = _grade(item, answer.replace("        app: queue\n", "        app: rabbit\n"))
    assert not rabbit.correct
    assert any("`selector` does not match template `labels`" in p for p in rabbit.problems)


# --- 2. Ingress Prefix paths ignore a trailing slash ------------------------------------------------------------

INGRESS = """\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop-api
  namespace: shop
spec:
  ingressClassName: nginx
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /api
        pathType: Prefix
        backend:
          service:
            name: api
            port:
              number: 8080
"""
BACKEND = "        backend:\n          service:\n            name: api\n            port:\n              number: 8080\n"


def test_a_prefix_path_with_a_trailing_slash_matches_the_same_requests(bank):
    item = _task(bank, "k8s-task/ingress", "http://shop.example.com/api ")
    assert _grade(item, INGRESS).correct
    assert _grade(item, INGRESS.replace("path: /api\n", "path: /api/\n")).correct  # review 12b, CKAD 3
    both = INGRESS.replace(
        "      - path: /api\n", f"      - path: /api\n        pathType: Exact\n{BACKEND}      - path: /api/\n"
    )
    assert _grade(item, both).correct  # review 14b, CKAD 2: Exact /api beside Prefix /api/


@pytest.mark.parametrize(
    "wrong",
    [
        INGRESS.replace("path: /api\n", "path: /api/\n").replace("Prefix", "Exact"),  # Exact /api/ is another path
        INGRESS.replace("path: /api\n", "path: /api/v1\n"),
        INGRESS.replace("path: /api\n", "path: /ap\n"),
    ],
)
def test_other_paths_still_fail(bank, wrong):
    item = _task(bank, "k8s-task/ingress", "http://shop.example.com/api ")
    assert not _grade(item, wrong).correct


def test_prefix_paths_read_by_their_elements():
    assert prefix_path("/api/") == prefix_path("/api//") == "/api"
    assert prefix_path("/") == "/"
    doc = yaml.safe_load(INGRESS.replace("path: /api\n", "path: /api/\n"))
    assert checked_view("Ingress", doc)["spec"]["rules"][0]["http"]["paths"][0]["path"] == "/api"
    exact = yaml.safe_load(INGRESS.replace("path: /api\n", "path: /api/\n").replace("Prefix", "Exact"))
    assert checked_view("Ingress", exact)["spec"]["rules"][0]["http"]["paths"][0]["path"] == "/api/"


# --- 3. API server rules ----------------------------------------------------------------------------------------

INIT_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: api
  namespace: payments
spec:
  initContainers:
  - name: wait-for-db
    image: busybox:1.37
    command: ["sh", "-c", "until nslookup postgres; do sleep 2; done"]
  containers:
  - name: api
    image: python:3.13
"""
WAITER = """  - name: wait-for-db
    image: busybox:1.37
    command: ["sh", "-c", "until nslookup postgres; do sleep 2; done"]
"""


def test_a_container_listed_in_both_lists_is_refused(bank):
    item = _task(bank, "k8s-task/pod-init-container", "postgres")
    assert _grade(item, INIT_POD).correct
    both = _grade(item, INIT_POD + WAITER)  # review 14b, CKA 9: the classic slip passed 1.00
    assert not both.correct
    assert any("spec.initContainers[0].name" in p and 'Duplicate value: "wait-for-db"' in p for p in both.problems)
    assert any("line 8:" in p for p in both.problems)  # the init container's name
    twice = INIT_POD + "  - name: api\n    image: python:3.13\n"
    assert any("spec.containers[1].name" in p for p in _grade(item, twice).problems)


def test_a_probe_on_an_init_container_is_refused_unless_it_is_a_sidecar(bank):
    item = _task(bank, "k8s-task/pod-init-container", "postgres")
    probe = '    readinessProbe:\n      exec:\n        command: ["true"]\n'
    marker = '    command: ["sh", "-c", "until nslookup postgres; do sleep 2; done"]\n  containers:'
    probed = INIT_POD.replace(marker, marker.replace("  containers:", probe + "  containers:"))
    verdict = _grade(item, probed)  # review 14b, CKA 9
    assert not verdict.correct
    assert any("readinessProbe" in p and "restartPolicy=Always" in p for p in verdict.problems)
    for field in ("livenessProbe", "startupProbe"):
        assert any(field in p for p in _problems(probed.replace("readinessProbe", field)))
    sidecar = probed.replace("  - name: wait-for-db\n", "  - name: wait-for-db\n    restartPolicy: Always\n")
    assert _problems(sidecar) == []


def test_volumes_and_mounts_follow_the_api_rules():
    pod = """\
apiVersion: v1
kind: Pod
metadata: {name: billing, namespace: finance}
spec:
  volumes:
  - {name: logs, emptyDir: {}}
  containers:
  - name: billing
    image: python:3.13
    volumeMounts:
    - {name: logs, mountPath: /var/log/billing}
"""
    assert _problems(pod) == []
    twice = pod.replace(
        "  - {name: logs, emptyDir: {}}\n", "  - {name: logs, emptyDir: {}}\n  - {name: logs, emptyDir: {}}\n"
    )
    assert any("volumes[1].name" in p and "Duplicate" in p for p in _problems(twice))  # review 14b, CKAD 7
    same_path = pod + "    - {name: logs, mountPath: /var/log/billing}\n"
    assert any("volumeMounts[1].mountPath" in p and "must be unique" in p for p in _problems(same_path))
    elsewhere = pod + "    - {name: logs, mountPath: /var/log/archive}\n"
    assert _problems(elsewhere) == []  # one volume at two paths is allowed
    assert any(
        'Not found: "cache"' in p for p in _problems(pod.replace("{name: logs, mountPath", "{name: cache, mountPath"))
    )


SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: payments
spec:
  type: ClusterIP
  selector:
    app: api
  ports:
  - port: 443
    targetPort: 8443
"""


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            ("    targetPort: 8443\n", "    targetPort: 8443\n    nodePort: 30443\n"),
            "nodePort: the API server refuses it",
        ),
        (("    targetPort: 8443\n", "    targetPort: 8443\n    protocol: tcp\n"), 'Unsupported value: "tcp"'),
        (("  ports:\n", "  externalTrafficPolicy: Local\n  ports:\n"), "externally-accessible"),
        (("    targetPort: 8443\n", "    targetPort: 8443\n  - port: 443\n    targetPort: 8443\n"), "listed twice"),
        (("    targetPort: 8443\n", "    targetPort: 8443\n  - port: 80\n    targetPort: 8080\n"), "must name each"),
    ],
)
def test_service_rules_refuse_what_the_api_refuses(bank, edit, message):
    item = _task(bank, "k8s-fix/service-clusterip", "")
    wrong = SERVICE.replace(*edit)
    verdict = _grade(item, wrong)  # review 14b, D-API: each passed 1.00
    assert not verdict.correct
    assert any(message in p for p in verdict.problems), verdict.problems


@pytest.mark.parametrize(
    "right",
    [
        SERVICE.replace("type: ClusterIP", "type: NodePort").replace(
            "targetPort: 8443\n", "targetPort: 8443\n    nodePort: 30443\n"
        ),
        SERVICE.replace("  ports:\n", "  externalTrafficPolicy: Local\n  ports:\n").replace("ClusterIP", "NodePort"),
        SERVICE.replace("  ports:\n", "  externalIPs: [203.0.113.7]\n  externalTrafficPolicy: Local\n  ports:\n"),
        SERVICE.replace(
            "    targetPort: 8443\n", "    targetPort: 8443\n    protocol: UDP\n  - port: 443\n    targetPort: 8443\n"
        )
        .replace(
            "  - port: 443\n    targetPort: 8443\n    protocol",
            "  - name: udp\n    port: 443\n    targetPort: 8443\n    protocol",
        )
        .replace("  - port: 443\n    targetPort: 8443\n", "  - name: tcp\n    port: 443\n    targetPort: 8443\n"),
        SERVICE.replace("    targetPort: 8443\n", "    targetPort: 8443\n    protocol: SCTP\n"),
    ],
)
def test_services_the_api_accepts_break_no_rule(right):
    assert _problems(right) == []


DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - {name: web, image: nginx:1.27}
"""


def test_workload_rules():
    assert _problems(DEPLOYMENT) == []
    assert any(
        "does not match template" in p
        for p in _problems(DEPLOYMENT.replace("labels: {app: web}", "labels: {app: api}"))
    )
    assert any(
        "empty selector" in p for p in _problems(DEPLOYMENT.replace("matchLabels: {app: web}", "matchLabels: {}"))
    )
    assert any(
        '"Never"' in p
        for p in _problems(DEPLOYMENT.replace("      containers:", "      restartPolicy: Never\n      containers:"))
    )
    recreate = DEPLOYMENT.replace(
        "  replicas: 2\n", "  replicas: 2\n  strategy: {type: Recreate, rollingUpdate: {maxSurge: 1}}\n"
    )
    assert any("'Recreate'" in p for p in _problems(recreate))
    frozen = DEPLOYMENT.replace(
        "  replicas: 2\n", "  replicas: 2\n  strategy: {rollingUpdate: {maxSurge: 0, maxUnavailable: 0}}\n"
    )
    assert any("may not be 0" in p for p in _problems(frozen))
    assert _problems(frozen.replace("maxSurge: 0", "maxSurge: 1")) == []
    assert (
        _problems(DEPLOYMENT.replace("  replicas: 2\n", "  replicas: 2\n  strategy: {rollingUpdate: {maxSurge: 0}}\n"))
        == []
    )
    job = """\
apiVersion: batch/v1
kind: Job
metadata: {name: report}
spec:
  template:
    spec:
      containers:
      - {name: report, image: busybox:1.37}
"""
    assert any("left out, it defaults to Always" in p for p in _problems(job))
    assert _problems(job.replace("    spec:\n", "    spec:\n      restartPolicy: Never\n")) == []
    chosen = job.replace("spec:\n  template:\n", "spec:\n  selector: {matchLabels: {app: report}}\n  template:\n")
    chosen = chosen.replace(
        "    spec:\n", "    metadata: {labels: {app: report}}\n    spec:\n      restartPolicy: Never\n"
    )
    assert any("not auto-generated" in p for p in _problems(chosen))
    assert _problems(chosen.replace("spec:\n  selector", "spec:\n  manualSelector: true\n  selector")) == []
    mismatch = chosen.replace("spec:\n  selector", "spec:\n  manualSelector: true\n  selector").replace(
        "app: report}}\n  t", "app: x}}\n  t"
    )
    assert any("does not match template" in p for p in _problems(mismatch))
    cron = """\
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec:
  schedule: "0 2 * * *"
  jobTemplate:
    spec:
      selector: {matchLabels: {app: nightly}}
      template:
        metadata: {labels: {app: nightly}}
        spec:
          restartPolicy: OnFailure
          containers:
          - {name: backup, image: postgres:17}
"""
    assert any("auto-generated" in p for p in _problems(cron))


def test_selector_matching_follows_every_operator():
    labels = {"app": "web", "tier": "front"}
    assert selector_matches({"matchLabels": {"app": "web"}}, labels)
    assert not selector_matches({"matchLabels": {"app": "api"}}, labels)
    assert selector_matches({"matchExpressions": [{"key": "tier", "operator": "In", "values": ["front", "x"]}]}, labels)
    assert not selector_matches({"matchExpressions": [{"key": "app", "operator": "NotIn", "values": ["web"]}]}, labels)
    assert selector_matches({"matchExpressions": [{"key": "zone", "operator": "DoesNotExist"}]}, labels)
    assert not selector_matches({"matchExpressions": [{"key": "zone", "operator": "Exists"}]}, labels)


def test_a_statefulsets_claim_templates_count_as_volumes_and_its_pods_are_named_refused():
    doc = yaml.safe_load(STATEFULSET)
    assert api_problems(doc) == []
    doc["spec"]["template"]["spec"]["containers"][0]["volumeMounts"][0]["name"] = "store"
    (problem,) = api_problems(doc)
    assert 'Not found: "store"' in str(problem) and "every Pod made from this template is refused" in str(problem)


def test_rules_run_only_on_documents_the_schema_accepts():
    node_port = SERVICE.replace("  - port: 443\n", "  - port: 443\n    nodePort: 30443\n")
    assert any("nodePort" in p for p in read_manifest(node_port).problems)
    answer = read_manifest(node_port.replace("  type: ClusterIP\n", "  type: ClusterIP\n  bogus: 1\n"))
    assert answer.problems and all("unknown field" in p for p in answer.problems)  # as the API server decodes first
    assert api_problems("not a mapping") == [] and api_problems({"kind": "Pod", "spec": {"containers": "x"}}) == []


# --- 4. HorizontalPodAutoscaler: autoscaling/v1 is served, the target needs its group -----------------------------

HPA_V1 = """\
apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata:
  name: api
  namespace: payments
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: api
  minReplicas: 3
  maxReplicas: 12
  targetCPUUtilizationPercentage: 60
"""


def _hpa_item(bank):
    item = _task(bank, "k8s-task/hpa", "Traffic to api ")
    model = yaml.safe_load(item.response.model_answer)
    assert (model["spec"]["minReplicas"], model["spec"]["maxReplicas"]) == (3, 12)
    return item


def test_an_autoscaling_v1_autoscaler_is_served_and_read_in_v2_terms(bank):
    item = _hpa_item(bank)
    verdict = _grade(item, HPA_V1)  # review 14b, CKAD 1: refused as "not served"
    assert verdict.correct, _unmet(verdict)
    assert not _grade(item, HPA_V1.replace("60", "70")).correct
    assert not _grade(item, HPA_V1.replace("  targetCPUUtilizationPercentage: 60\n", "")).correct  # 80% by default
    assert not _grade(item, HPA_V1.replace("autoscaling/v1", "autoscaling/v2beta2")).correct


def test_a_scale_target_without_its_api_group_fails(bank):
    item = _hpa_item(bank)
    verdict = _grade(item, HPA_V1.replace("    apiVersion: apps/v1\n", ""))  # review 14b, CKAD 1: passed 1.00
    assert not verdict.correct
    assert any("apps/v1" in text for text in _unmet(verdict))


def test_a_target_of_another_type_fails(bank):
    item = _hpa_item(bank)
    v2 = item.response.model_answer
    assert _grade(item, v2).correct
    verdict = _grade(item, v2.replace("type: Utilization", "type: Value"))  # review 14b, CKAD 1, not counted
    assert not verdict.correct


def test_replica_bounds_are_worded_as_checked(bank):
    texts = [r.text for r in _hpa_item(bank).response.requirements]
    assert "It may scale in to 3 replicas, never fewer…" in texts
    assert "…and out to 12, never more." in texts


# --- 5. requirements check what their words say -------------------------------------------------------------------


def test_each_sidecar_container_is_required_to_mount_the_log_volume(bank):
    item = _task(bank, "k8s-task/pod-sidecar-emptydir", "billing")
    texts = [r.text for r in item.response.requirements]
    assert not any(text.startswith("Both containers") for text in texts)  # review 14b, CKAD 7: checked one
    assert "The billing container mounts it at /var/log/billing." in texts
    model = item.response.model_answer
    assert _grade(item, model).correct
    for container in ("billing", "log-shipper"):
        doc = yaml.safe_load(model)
        mine = next(c for c in doc["spec"]["containers"] if c["name"] == container)
        del mine["volumeMounts"]
        assert not _grade(item, yaml.safe_dump(doc)).correct, container


def test_every_container_is_checked_for_the_user_it_runs_as(bank):
    item = _task(bank, "k8s-task/pod-security-context", "")
    model = yaml.safe_load(item.response.model_answer)
    uid = model["spec"]["securityContext"]["runAsUser"]
    assert _grade(item, yaml.safe_dump(model)).correct
    per_container = yaml.safe_load(item.response.model_answer)
    for field in ("runAsUser", "runAsNonRoot"):
        per_container["spec"]["containers"][0]["securityContext"][field] = per_container["spec"]["securityContext"].pop(
            field
        )
    assert _grade(item, yaml.safe_dump(per_container)).correct  # set on the one container: every container has it
    root = yaml.safe_load(item.response.model_answer)
    root["spec"]["containers"][0]["securityContext"]["runAsUser"] = 0
    assert f"Every container of the Pod runs as user ID {uid}." in _unmet(_grade(item, yaml.safe_dump(root)))
    helper = yaml.safe_load(item.response.model_answer)
    helper["spec"]["initContainers"] = [
        {"name": "setup", "image": "busybox:1.37", "securityContext": {"runAsNonRoot": False}}
    ]
    unmet = _unmet(_grade(item, yaml.safe_dump(helper)))
    assert "The kubelet refuses to start any of its containers that would run as root." in unmet


def test_memory_limit_wording_pins_the_limit(bank):
    item = _task(bank, "k8s-task/deployment-resources", "")
    texts = [r.text for r in item.response.requirements]
    assert not any("may never use more than" in text for text in texts)
    assert any(text.startswith("The container may use up to") and text.endswith("and never more.") for text in texts)


# --- round 2: equivalent manifests, and requirements that check what their words say ------------------------------


def _edited(item, edit) -> str:
    """The item's model answer with ``edit`` applied to its one document."""
    doc = yaml.safe_load(item.response.model_answer)
    edit(doc)
    return yaml.safe_dump(doc)


def _container(doc: dict, name: str) -> dict:
    spec = doc["spec"]
    return next(c for c in spec["containers"] if c["name"] == name)


def test_a_mount_path_with_a_trailing_slash_is_the_same_directory(bank):
    item = _task(bank, "k8s-task/pod-sidecar-emptydir", "billing")

    def slash(doc):  # review 14b, CKAD 7: refused as "/var/log/billing/"
        for container in doc["spec"]["containers"]:
            container["volumeMounts"][0]["mountPath"] = "/var/log/billing/"

    def deeper(doc):
        _container(doc, "billing")["volumeMounts"][0]["mountPath"] = "/var/log/billing/app"

    assert _grade(item, _edited(item, slash)).correct
    assert "The billing container mounts it at /var/log/billing." in _unmet(_grade(item, _edited(item, deeper)))
    assert mount_path("/var/log/billing//") == "/var/log/billing"
    assert mount_path("/") == "/"


SHIPPER = "The log-shipper container reads the log: it runs a file reader such as tail -F or cat on a file under"


@pytest.mark.parametrize(
    ("command", "reads"),
    [
        (None, False),  # review 14b, CKAD 7: busybox with no command runs sh, which exits at once
        (["sleep", "3600"], False),
        (["sh", "-c", "echo /var/log/billing/app.log"], False),
        (["sh", "-c", "tail -F /var/log/billing/app.log"], True),
        (["tail", "-f", "/var/log/billing/app.log"], True),
        (["sh", "-c", "while true; do cat /var/log/billing/*.log; sleep 10; done"], True),
    ],
)
def test_the_log_shipper_must_read_the_log(bank, command, reads):
    item = _task(bank, "k8s-task/pod-sidecar-emptydir", "billing")

    def run(doc):
        shipper = _container(doc, "log-shipper")
        shipper.pop("command", None)
        if command is not None:
            shipper["command"] = command

    verdict = _grade(item, _edited(item, run))
    assert verdict.correct is reads
    assert any(text.startswith(SHIPPER) for text in _unmet(verdict)) is not reads


def test_every_pod_is_selected_by_any_empty_selector_or_none(bank):
    item = _task(bank, "k8s-task/network-policy-default-deny", "")
    model = item.response.model_answer
    assert "podSelector: {}" in model
    for same in ("podSelector:\n    matchLabels: {}", "podSelector:\n    matchExpressions: []"):
        assert _grade(item, model.replace("podSelector: {}", same)).correct, same
    assert _grade(item, model.replace("  podSelector: {}\n", "")).correct  # "defaults to an empty selector"
    for narrower in (
        "podSelector:\n    matchLabels: {app: web}",
        "podSelector:\n    matchExpressions: [{key: app, operator: Exists}]",
    ):
        assert "It selects every Pod of the namespace." in _unmet(
            _grade(item, model.replace("podSelector: {}", narrower))
        )


NAMESPACE_PEER = "    - namespaceSelector:\n        matchLabels:\n          kubernetes.io/metadata.name: monitoring\n"
EVERY_LABEL = "…whatever labels the Pod carries (the peer selects no Pods by label)…"


def test_any_pod_of_the_namespace_means_no_pod_selector_beside_it(bank):
    item = _task(bank, "k8s-task/network-policy-namespace", "monitoring")
    model = item.response.model_answer
    assert NAMESPACE_PEER in model
    assert _grade(item, model.replace(NAMESPACE_PEER, NAMESPACE_PEER + "      podSelector: {}\n")).correct
    only_prometheus = NAMESPACE_PEER + "      podSelector:\n        matchLabels: {app: prometheus}\n"
    assert EVERY_LABEL in _unmet(_grade(item, model.replace(NAMESPACE_PEER, only_prometheus)))  # accepted before
    assert EVERY_LABEL in _unmet(_grade(item, model.replace(NAMESPACE_PEER, "    - podSelector: {}\n")))


@pytest.mark.parametrize(
    ("field", "value", "unmet"),
    [
        ("nodeSelector", {"disktype": "ssd"}, "Its Pods are not limited to nodes with some labels (no nodeSelector)…"),
        ("nodeName", "worker-1", "…nor pinned to one node by name."),
        (
            "affinity",
            {
                "nodeAffinity": {
                    "requiredDuringSchedulingIgnoredDuringExecution": {
                        "nodeSelectorTerms": [{"matchExpressions": [{"key": "gpu", "operator": "Exists"}]}]
                    }
                }
            },
            "…nor by a required node affinity…",
        ),
        (
            "affinity",  # a preference limits no node
            {
                "nodeAffinity": {
                    "preferredDuringSchedulingIgnoredDuringExecution": [
                        {"weight": 1, "preference": {"matchExpressions": [{"key": "gpu", "operator": "Exists"}]}}
                    ]
                }
            },
            None,
        ),
    ],
)
def test_a_daemonset_on_every_node_is_limited_to_none(bank, field, value, unmet):
    item = _task(bank, "k8s-task/daemonset", "")
    verdict = _grade(item, _edited(item, lambda doc: doc["spec"]["template"]["spec"].__setitem__(field, value)))
    assert verdict.correct is (unmet is None)
    if unmet:
        assert unmet in _unmet(verdict)


@pytest.mark.parametrize(
    ("field", "value", "unmet"),
    [
        ("scopes", ["Terminating"], "It counts every Pod of the namespace (it has no scopes)…"),
        (
            "scopeSelector",
            {"matchExpressions": [{"scopeName": "PriorityClass", "operator": "In", "values": ["high"]}]},
            "…nor only the Pods a scope selector picks (such as those of one priority class).",
        ),
    ],
)
def test_a_quota_on_all_its_pods_has_no_scopes(bank, field, value, unmet):
    item = _task(bank, "k8s-task/resource-quota", "")
    assert _grade(item, item.response.model_answer).correct
    verdict = _grade(item, _edited(item, lambda doc: doc["spec"].__setitem__(field, value)))
    assert unmet in _unmet(verdict)


def _unavailable(value):
    def edit(doc):
        doc["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] = value

    return edit


def test_no_percent_of_the_pods_is_none(bank):
    none = _task(bank, "k8s-task/deployment-rolling", "never drop")
    some = next(i for i in bank.items if i.template == "k8s-task/deployment-rolling" and "never drop" not in i.stem)
    assert _grade(none, _edited(none, _unavailable("0%"))).correct
    assert _grade(some, _edited(some, _unavailable("0%"))).correct  # at most one: none is fewer
    replicas = none.response.model_answer.count("replicas: 4")
    assert replicas, "the never-drop item keeps 4 replicas"
    # 10% of 4 Pods rounds down to 0, as the Deployment controller resolves it; 25% of 4 is 1 Pod
    assert _grade(none, _edited(none, _unavailable("10%"))).correct
    for wrong in ("0", "25%"):
        assert not _grade(none, _edited(none, _unavailable(wrong))).correct, wrong


def test_views_read_the_api_defaults_without_rewriting_the_answer():
    written = {
        "kind": "NetworkPolicy",
        "spec": {
            "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"team": "a"}}, "podSelector": {}}]}],
        },
    }
    viewed = checked_view("NetworkPolicy", written)
    assert viewed["spec"]["podSelector"] == {}
    assert viewed["spec"]["ingress"][0]["from"][0] == {"namespaceSelector": {"matchLabels": {"team": "a"}}}
    assert "podSelector" not in written["spec"]
    assert selects_everything({}) and selects_everything({"matchLabels": {}, "matchExpressions": []})
    assert not selects_everything({"matchExpressions": [{"key": "a", "operator": "Exists"}]})
    pdb = checked_view("PodDisruptionBudget", {"spec": {"maxUnavailable": "0%", "minAvailable": "50%"}})
    assert pdb["spec"] == {"maxUnavailable": 0, "minAvailable": "50%"}


CONTROL_PLANE_KEY = "node-role.kubernetes.io/control-plane"


def _tolerations(*tolerations):
    def edit(doc):
        doc["spec"]["template"]["spec"]["tolerations"] = list(tolerations)

    return edit


@pytest.mark.parametrize(
    ("tolerations", "correct"),
    [
        # review 14c, CKA 7: right answers refused (the node-exporter chart's default, the catch-all)
        ([{"effect": "NoSchedule", "operator": "Exists"}], True),
        ([{"operator": "Exists"}], True),
        ([{"key": CONTROL_PLANE_KEY, "operator": "Exists", "effect": "NoSchedule"}], True),
        ([{"key": CONTROL_PLANE_KEY, "effect": "NoSchedule"}], True),  # Equal to the taint's empty value
        # review 14c, CKA 7: wrong answers accepted (another effect does not tolerate NoSchedule)
        ([{"key": CONTROL_PLANE_KEY, "operator": "Exists", "effect": "NoExecute"}], False),
        ([{"key": CONTROL_PLANE_KEY, "operator": "Exists", "effect": "PreferNoSchedule"}], False),
        ([{"key": "node-role.kubernetes.io/master", "operator": "Exists", "effect": "NoSchedule"}], False),
        ([{"key": CONTROL_PLANE_KEY, "operator": "Equal", "value": "true", "effect": "NoSchedule"}], False),
    ],
)
def test_a_daemonset_tolerates_the_control_plane_taint_as_the_scheduler_matches(bank, tolerations, correct):
    item = _task(bank, "k8s-task/daemonset", "")
    verdict = _grade(item, _edited(item, _tolerations(*tolerations)))
    assert verdict.correct is correct, _unmet(verdict)


def test_a_pod_toleration_of_another_effect_fails(bank):
    item = _task(bank, "k8s-task/pod-toleration", "dedicated=gpu:NoSchedule")

    def toleration(**fields):
        return lambda doc: doc["spec"].__setitem__("tolerations", [fields])

    assert _grade(item, _edited(item, toleration(key="dedicated", operator="Exists", effect="NoSchedule"))).correct
    assert _grade(item, _edited(item, toleration(key="dedicated", value="gpu"))).correct  # every effect
    unmet = "It may be scheduled onto the nodes tainted dedicated=gpu:NoSchedule."
    for wrong in (
        {"key": "dedicated", "operator": "Equal", "value": "gpu", "effect": "NoExecute"},
        {"key": "dedicated", "operator": "Equal", "value": "cpu", "effect": "NoSchedule"},
    ):
        assert _unmet(_grade(item, _edited(item, toleration(**wrong)))) == [unmet], wrong


def _affinity(*terms):
    def edit(doc):
        del doc["spec"]["nodeSelector"]
        doc["spec"]["affinity"] = {
            "nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": list(terms)}}
        }

    return edit


def test_a_node_selector_is_met_by_the_required_node_affinity_that_pins_the_label(bank):
    item = _task(bank, "k8s-task/pod-node-selector", "disktype=ssd")
    ssd = {"key": "disktype", "operator": "In", "values": ["ssd"]}
    # review 14c, CKA 11: refused
    assert _grade(item, _edited(item, _affinity({"matchExpressions": [ssd]}))).correct
    both = [{"matchExpressions": [ssd, {"key": "zone", "operator": "Exists"}]}, {"matchExpressions": [ssd]}]
    assert _grade(item, _edited(item, _affinity(*both))).correct  # every term pins disktype=ssd
    unmet = ["It may be scheduled only on nodes labelled disktype=ssd."]
    wider = {"key": "disktype", "operator": "In", "values": ["ssd", "nvme"]}
    assert _unmet(_grade(item, _edited(item, _affinity({"matchExpressions": [wider]})))) == unmet
    one_term = [{"matchExpressions": [ssd]}, {"matchExpressions": [{"key": "zone", "operator": "Exists"}]}]
    assert _unmet(_grade(item, _edited(item, _affinity(*one_term)))) == unmet  # terms are ORed
    preferred = {
        "preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 1, "preference": {"matchExpressions": [ssd]}}]
    }

    def prefer(doc):
        del doc["spec"]["nodeSelector"]
        doc["spec"]["affinity"] = {"nodeAffinity": preferred}

    assert _unmet(_grade(item, _edited(item, prefer))) == unmet


def test_a_configmap_volume_is_read_only_without_saying_so(bank):
    item = _task(bank, "k8s-task/pod-configmap-volume", "web reads")

    def mount(**fields):
        def edit(doc):
            _container(doc, "web")["volumeMounts"][0].pop("readOnly")
            _container(doc, "web")["volumeMounts"][0].update(fields)

        return edit

    # review 14c, CKAD 10: refused without readOnly, and with the trailing slash
    assert _grade(item, _edited(item, mount())).correct
    assert _grade(item, _edited(item, mount(mountPath="/etc/nginx/conf.d/"))).correct
    assert _grade(item, _edited(item, mount(readOnly=False))).correct  # the kubelet mounts it read-only anyway

    def empty_dir(doc):  # a near miss: an emptyDir volume is writable unless the mount says readOnly
        mount()(doc)
        doc["spec"]["volumes"][0] = {"name": "config", "emptyDir": {}}

    assert "The container cannot write under /etc/nginx/conf.d." in _unmet(_grade(item, _edited(item, empty_dir)))
    for source in ("secret", "downwardAPI", "projected", "configMap"):
        pod = {"spec": {"volumes": [{"name": "v", source: {}}], "containers": [{"volumeMounts": [{"name": "v"}]}]}}
        assert checked_view("Pod", pod)["spec"]["containers"][0]["volumeMounts"][0]["readOnly"] is True, source
    pod = {"spec": {"volumes": [{"name": "v", "emptyDir": {}}], "containers": [{"volumeMounts": [{"name": "v"}]}]}}
    assert "readOnly" not in checked_view("Pod", pod)["spec"]["containers"][0]["volumeMounts"][0]


LIMITS = """\
apiVersion: v1
kind: LimitRange
metadata: {name: d, namespace: team-a}
spec:
  limits:
  - type: Container
"""


@pytest.mark.parametrize(
    ("bounds", "problem"),
    [
        # review 14c, q-57ad27c7ae3e213d: accepted, but ValidateLimitRange refuses it
        (
            "    default: {cpu: 50m, memory: 128Mi}\n    defaultRequest: {cpu: 100m}\n",
            "spec.limits[0].defaultRequest.cpu: the API server refuses it: default request value 100m is greater "
            "than default limit value 50m",
        ),
        (
            "    default: {memory: 2Gi}\n    max: {memory: 1Gi}\n",
            "spec.limits[0].default.memory: the API server refuses it: default value 2Gi is greater than max value 1Gi",
        ),
        (
            "    min: {cpu: 200m}\n    defaultRequest: {cpu: 100m}\n",
            "spec.limits[0].defaultRequest.cpu: the API server refuses it: min value 200m is greater than default "
            "request value 100m",
        ),
        (  # default comes from max (SetDefaults_LimitRangeItem), and the request exceeds it
            "    defaultRequest: {memory: 2Gi}\n    max: {memory: 1Gi}\n",
            "spec.limits[0].defaultRequest.memory: the API server refuses it: default request value 2Gi is greater "
            "than max value 1Gi",
        ),
        (
            "    maxLimitRequestRatio: {cpu: 500m}\n",
            "spec.limits[0].maxLimitRequestRatio.cpu: the API server refuses it: ratio 500m is less than 1",
        ),
    ],
)
def test_a_limit_range_keeps_its_bounds_in_order(bounds, problem):
    assert problem in _problems(LIMITS + bounds)


def test_a_limit_range_with_ordered_bounds_passes(bank):
    ordered = "    min: {cpu: 50m}\n    defaultRequest: {cpu: 100m}\n    default: {cpu: 0.1}\n    max: {cpu: '1'}\n"
    assert _problems(LIMITS + ordered) == []
    assert _problems(LIMITS + "    default: {cpu: 100m}\n    defaultRequest: {cpu: 100m}\n") == []
    pod = LIMITS.replace("type: Container", "type: Pod") + "    default: {cpu: 1}\n    max: {cpu: 2}\n"
    assert "spec.limits[0].default: the API server refuses it: may not be specified when `type` is 'Pod'" in _problems(
        pod
    )
    item = _task(bank, "k8s-task/limit-range", "team-a")
    assert _grade(item, item.response.model_answer).correct

    def low_default(doc):
        doc["spec"]["limits"][0]["default"]["cpu"] = "50m"

    assert not _grade(item, _edited(item, low_default)).correct


def test_the_network_policy_port_requirement_names_its_port(bank):
    """Review 12c, CKAD 3: "that one port" pointed to nothing in the stem, and the Why spoke only of namespaces."""
    recipe = network_policy_namespace("allow-ingress-nginx", "store", "frontend", "ingress-nginx", 8080)
    ports = next(n for n in recipe.needs if n.path == "spec.ingress[*].ports")
    assert ports.text == "The rule opens port 8080 and no other port."
    assert "on TCP port 8080" in recipe.situation
    assert "ports lists the destination ports" in recipe.explanation
    items = [
        i for i in bank.items if i.template.startswith("k8s-") and i.template.endswith("/network-policy-namespace")
    ]
    assert items
    assert not [i.stem for i in items if "that one port" in i.stem]


def test_configmap_statements_stand_on_their_own(bank):
    """Review 12c, CKA 4: "those files" and "there" referred to a sentence the option does not follow."""
    items = [i for i in bank.items if i.template.endswith("/pod-configmap-volume")]
    texts = [r.text for i in items if i.response for r in i.response.requirements]
    texts += [c.text for i in items for c in (*i.answers, *i.distractors)] + [i.stem for i in items]
    assert texts
    assert not [t for t in texts if "those files" in t or "write there" in t or "appears there" in t]
