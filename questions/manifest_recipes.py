"""Kubernetes tasks as data: what the learner is asked to build, the model manifest that does it, and the
requirements a manifest is checked against.

Each recipe is a function of a few concrete names (a Deployment called ``web`` in namespace ``shop`` …) that
returns a :class:`Recipe`. :mod:`.manifest_tasks` turns recipes into task and code-reading items, resolving
every requirement's path against the official API schema (a recipe whose path the schema lacks is dropped).

A recipe's :class:`Fault` s are the mistakes its fix and reading items show: each changes the field a need
is about so that the manifest stays valid but behaves differently (an enum value with another meaning, a
probe of the wrong kind, a volume that does not outlive the Pod), and says why, as the API reference and
concept pages state it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

T = "https://w3id.org/opsprep/id/topic/"


@dataclass(frozen=True)
class Need:
    """One requirement of a recipe: a sentence and the check that proves it."""

    text: str
    document: str  # "Deployment/web"
    path: str
    op: str = "equals"
    value: object = None


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


#: an :class:`Edit` value: remove the key
DROP = _Marker("DROP")
#: an :class:`Edit` value: keep the key's value (a rename)
KEEP = _Marker("KEEP")


@dataclass(frozen=True)
class Edit:
    """One change to a model manifest, in the document ``document`` ("Deployment/web"): set the key at
    ``path`` to ``value`` (added when its parent exists), remove it (``value`` :data:`DROP`), or rename it
    to ``to`` where it stands (keeping its value unless another is given)."""

    document: str
    path: str
    value: object = KEEP
    to: str = ""


@dataclass(frozen=True)
class Fault:
    """A way to get a task wrong that takes knowing Kubernetes to see: after the ``edits`` the manifest is
    valid but does something other than the brief asks (or, with ``schema``, the API refuses it because a
    field the brief is about is in the wrong place or version). ``breaks`` are the paths of the needs the
    result fails, in the document of the first edit, the need the fault is about first; ``why`` says why,
    in the exam's terms.

    ``shows`` are statements of what the faulted manifest does instead, true of it and not contradicting the
    brief (a liveness probe restarts the container): a reading item offers them beside the need it fails.
    ``moot`` are the paths of needs whose check still passes but whose sentence no longer holds (a rule's
    verbs when the rule names no real API group); they are never offered as true."""

    edits: tuple[Edit, ...]
    breaks: tuple[str, ...]
    why: str
    schema: bool = False
    shows: tuple[Need, ...] = ()
    moot: tuple[str, ...] = ()


@dataclass(frozen=True)
class Recipe:
    """A task: the situation, the model manifests, the requirements, what it is about and how it is
    typically got wrong."""

    key: str
    situation: str
    docs: tuple[dict, ...]
    needs: tuple[Need, ...]
    about: tuple[str, ...]
    explanation: str
    kinds: tuple[str, ...] = ()  # kind names whose API reference pages are the sources
    faults: tuple[Fault, ...] = ()

    @property
    def names(self) -> str:
        """The documents' kind/name pairs, for ids."""
        return ",".join(f"{d['kind']}/{d['metadata']['name']}" for d in self.docs)


def _meta(name: str, namespace: str | None = None, labels: dict | None = None) -> dict:
    meta: dict = {"name": name}
    if namespace:
        meta["namespace"] = namespace
    if labels:
        meta["labels"] = labels
    return meta


def _kind_needs(doc: dict, what: str) -> list[Need]:
    """Requirements every task states: the kind and name, and the namespace when there is one."""
    ref = f"{doc['kind']}/{doc['metadata']['name']}"
    needs = [Need(f"It is a {doc['kind']} named {doc['metadata']['name']}{what}.", ref, "kind", "equals", doc["kind"])]
    if doc["metadata"].get("namespace"):
        ns = doc["metadata"]["namespace"]
        needs.append(Need(f"It lives in the namespace {ns}.", ref, "metadata.namespace", "equals", ns))
    return needs


def _api_need(doc: dict) -> Need:
    """The need the sentence "It uses an API version that Kubernetes v1.35 serves" states: the apiVersion is one
    of those the release serves for the kind (autoscaling/v1 and autoscaling/v2 for a HorizontalPodAutoscaler),
    as the schemas of the release record them."""
    from opsprep.graph.k8s_api import _served_versions

    ref = f"{doc['kind']}/{doc['metadata']['name']}"
    served = sorted({doc["apiVersion"], *_served_versions(doc["kind"])})
    return Need(
        f"It uses an API version that Kubernetes v1.35 serves for {doc['kind']}.",
        ref,
        "apiVersion",
        "equals" if served == [doc["apiVersion"]] else "one_of",
        doc["apiVersion"] if served == [doc["apiVersion"]] else served,
    )


def _deployment(name: str, ns: str, image: str, replicas: int, pod: dict | None = None, **spec) -> dict:
    container = {"name": name, "image": image}
    pod_spec = {"containers": [container]}
    if pod:
        pod_spec.update(pod)
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": _meta(name, ns),
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {"metadata": {"labels": {"app": name}}, "spec": pod_spec},
            **spec,
        },
    }


def _deployment_needs(doc: dict) -> list[Need]:
    name = doc["metadata"]["name"]
    ref = f"Deployment/{name}"
    image = doc["spec"]["template"]["spec"]["containers"][0]["image"]
    return [
        *_kind_needs(doc, ""),
        _api_need(doc),
        Need(
            f"It keeps {doc['spec']['replicas']} replica{'s' * (doc['spec']['replicas'] != 1)} running.",
            ref,
            "spec.replicas",
            "equals",
            doc["spec"]["replicas"],
        ),
        Need(f"Its Pods carry the label app={name}.", ref, "spec.template.metadata.labels.app", "equals", name),
        Need(f"It selects its Pods by the label app={name}.", ref, "spec.selector", "selects", {"app": name}),
        Need(
            f"A container named {name} runs the image {image}.",
            ref,
            f"spec.template.spec.containers[name={name}].image",
            "equals",
            image,
        ),
    ]


def _pod(name: str, ns: str, containers: list[dict], labels: dict | None = None, **spec) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": _meta(name, ns, labels),
        "spec": {"containers": containers, **spec},
    }


def _c(name: str, image: str, **fields) -> dict:
    return {"name": name, "image": image, **fields}


# ---------------------------------------------------------------- workloads


def deployment_basic(name: str, ns: str, image: str, replicas: int) -> Recipe:
    """A Deployment with a replica count, labels and selector."""
    doc = _deployment(name, ns, image, replicas)
    ref = f"Deployment/{name}"
    misplaced = Fault(
        (Edit(ref, "spec.replicas", DROP), Edit(ref, "spec.template.spec.replicas", replicas)),
        ("spec.replicas",),
        "The replica count belongs to the Deployment's own spec; it was written into the Pod template's spec, "
        "where a Pod has no such field, so the API refuses the manifest.",
        schema=True,
    )
    return Recipe(
        "deployment",
        f"The team needs the web front end {name} running in the cluster with room for load.",
        (doc,),
        tuple(_deployment_needs(doc)),
        (T + "deployment-k8s", T + "replicaset"),
        "A Deployment's spec.replicas sets how many Pods its ReplicaSet keeps; spec.selector.matchLabels must "
        "match the Pod template's labels, or the API server rejects the Deployment.",
        ("Deployment",),
        (misplaced,),
    )


def deployment_rolling(name: str, ns: str, image: str, replicas: int, surge: int, unavailable: int) -> Recipe:
    """A rolling-update strategy with maxSurge and maxUnavailable."""
    doc = _deployment(
        name,
        ns,
        image,
        replicas,
        strategy={"type": "RollingUpdate", "rollingUpdate": {"maxSurge": surge, "maxUnavailable": unavailable}},
    )
    ref = f"Deployment/{name}"
    needs = [
        *_deployment_needs(doc),
        Need(
            f"During an update it may add {surge} Pod(s) above the desired count, and no more.",
            ref,
            "spec.strategy.rollingUpdate.maxSurge",
            "equals",
            surge,
        ),
        Need(
            "During an update none of the desired Pods may be unavailable."
            if unavailable == 0
            else f"During an update at most {_count(unavailable)} of the desired Pods may be unavailable.",
            ref,
            "spec.strategy.rollingUpdate.maxUnavailable",
            "equals" if unavailable == 0 else "at_most",  # at most one: 0 and 1 both keep to it
            unavailable,
        ),
    ]
    share = next(p for p in (25, 50, 75) if replicas * p // 100 > unavailable)
    allowed = "none" if unavailable == 0 else f"at most {_count(unavailable)}"
    shared = Fault(
        (Edit(ref, "spec.strategy.rollingUpdate.maxUnavailable", f"{share}%"),),
        ("spec.strategy.rollingUpdate.maxUnavailable",),
        f"maxUnavailable {share}% is a share of the {replicas} desired Pods, rounded down: "
        f"{replicas * share // 100} Pod(s) may be unavailable during an update, not {allowed}.",
        shows=(
            Need(
                "Old and new Pods run side by side during an update.",
                ref,
                "spec.strategy.type",
                "equals",
                "RollingUpdate",
            ),
        ),
    )
    kept = (
        "must never drop below the capacity the team agreed"
        if unavailable == 0
        else f"may take at most {_count(unavailable)} of its Pods out of service at a time"
    )
    return Recipe(
        "deployment-rolling",
        f"Updates of {name} {kept}, and may add only a little extra capacity while they run.",
        (doc,),
        tuple(needs),
        (T + "deployment-k8s", T + "rolling-deployment", T + "max-surge", T + "max-unavailable"),
        "spec.strategy.rollingUpdate.maxSurge caps the Pods created above the desired count during a rollout, "
        "and maxUnavailable caps how many of the desired Pods may be unavailable; both take a number or a "
        "percentage of the desired Pods (maxSurge rounded up, maxUnavailable rounded down).",
        ("Deployment",),
        (shared,),
    )


def _count(n: int) -> str:
    """A small count in words, as a brief says it."""
    return ("none", "one", "two", "three", "four", "five")[n] if n <= 5 else str(n)


def deployment_recreate(name: str, ns: str, image: str, replicas: int) -> Recipe:
    """The Recreate strategy: old Pods go before new ones start."""
    doc = _deployment(name, ns, image, replicas, strategy={"type": "Recreate"})
    ref = f"Deployment/{name}"
    needs = [
        *_deployment_needs(doc),
        Need(
            "On an update all old Pods are stopped before any new Pod starts.",
            ref,
            "spec.strategy.type",
            "equals",
            "Recreate",
        ),
    ]
    return Recipe(
        "deployment-recreate",
        f"{name} holds an exclusive lock on its data, so two versions must never run at the same time.",
        (doc,),
        tuple(needs),
        (T + "deployment-k8s", T + "recreate-deployment"),
        "With spec.strategy.type Recreate a Deployment terminates every existing Pod before creating the new "
        "ones; the default, RollingUpdate, runs old and new Pods side by side.",
        ("Deployment",),
        (
            Fault(
                (Edit(ref, "spec.strategy.type", "RollingUpdate"),),
                ("spec.strategy.type",),
                "RollingUpdate starts Pods of the new version while old ones still run, so two versions hold "
                "the data at once during every update; only Recreate stops all old Pods first.",
            ),
        ),
    )


def deployment_resources(name: str, ns: str, image: str, cpu: str, memory: str, limit: str) -> Recipe:
    """Requests and limits on a Deployment's container."""
    resources = {"requests": {"cpu": cpu, "memory": memory}, "limits": {"memory": limit}}
    doc = _deployment(name, ns, image, 2)
    doc["spec"]["template"]["spec"]["containers"][0]["resources"] = resources
    ref = f"Deployment/{name}"
    base = f"spec.template.spec.containers[name={name}].resources"
    needs = [
        *_deployment_needs(doc),
        Need(
            f"The scheduler reserves {_CPU_WORDS[cpu]} for the container.", ref, f"{base}.requests.cpu", "equals", cpu
        ),
        Need(
            f"The scheduler reserves {memory} of memory for the container.",
            ref,
            f"{base}.requests.memory",
            "equals",
            memory,
        ),
        # "may use up to" as well as "never more": a lower limit would keep the container from memory it may use
        Need(
            f"The container may use up to {limit} of memory, and never more.",
            ref,
            f"{base}.limits.memory",
            "equals",
            limit,
        ),
    ]
    return Recipe(
        "deployment-resources",
        f"Nodes running {name} keep running out of memory; give the scheduler what it needs to place the Pods "
        "and cap their memory.",
        (doc,),
        tuple(needs),
        (T + "deployment-k8s", T + "resource-limits"),
        "resources.requests is what the scheduler reserves on a node for the container; resources.limits is "
        "the most the container may use (above its memory limit it is killed).",
        ("Deployment",),
        (_cpu_fault(ref, f"{base}.requests.cpu", cpu),),
    )


#: CPU quantities as a brief says them
_CPU_WORDS = {"250m": "a quarter of a CPU", "500m": "half a CPU", "1": "one whole CPU"}


def _cpu_fault(ref: str, path: str, cpu: str) -> Fault:
    """The CPU request written in the wrong unit: millicores as whole CPUs, or the reverse."""
    wrong = cpu[:-1] if cpu.endswith("m") else f"{cpu}m"
    said = (
        f"{wrong} whole CPUs"
        if cpu.endswith("m")
        else ("a thousandth" if cpu == "1" else f"{cpu} thousandths") + " of a CPU"
    )
    return Fault(
        (Edit(ref, path, wrong),),
        (path,),
        f"cpu: {wrong} asks for {said}: a CPU quantity without a suffix counts whole CPUs and the suffix m "
        f"thousandths of one, so {_CPU_WORDS[cpu]} is {cpu}.",
    )


def deployment_readiness(name: str, ns: str, image: str, path: str, port: int, period: int) -> Recipe:
    """An HTTP readiness probe."""
    probe = {"httpGet": {"path": path, "port": port}, "periodSeconds": period}
    doc = _deployment(name, ns, image, 3)
    doc["spec"]["template"]["spec"]["containers"][0]["ports"] = [{"containerPort": port}]
    doc["spec"]["template"]["spec"]["containers"][0]["readinessProbe"] = probe
    ref = f"Deployment/{name}"
    base = f"spec.template.spec.containers[name={name}].readinessProbe"
    needs = [
        *_deployment_needs(doc),
        Need(
            f"A Pod receives Service traffic only while an HTTP GET of {path} on port {port} succeeds.",
            ref,
            f"{base}.httpGet.path",
            "equals",
            path,
        ),
        Need(f"The check targets port {port}, given by number.", ref, f"{base}.httpGet.port", "equals", port),
        Need(f"The check runs every {period} seconds.", ref, f"{base}.periodSeconds", "equals", period),
    ]
    return Recipe(
        "deployment-readiness",
        f"Users hit errors while new {name} Pods warm up: traffic must reach a Pod only once it answers on "
        "its health endpoint.",
        (doc,),
        tuple(needs),
        (T + "deployment-k8s", T + "readiness-probe", T + "http-get-probe", T + "probe-period"),
        "A failing readiness probe removes the Pod from its Services' endpoints without restarting it; "
        "httpGet succeeds on a status from 200 to 399, and periodSeconds sets how often it runs.",
        ("Deployment",),
        (
            Fault(
                (Edit(ref, f"spec.template.spec.containers[name={name}].readinessProbe", to="livenessProbe"),),
                (f"{base}.httpGet.path", f"{base}.httpGet.port", f"{base}.periodSeconds"),
                "A livenessProbe restarts the container when its check fails but never takes the Pod out of its "
                "Services' endpoints, so Pods that are still warming up get traffic; only a readinessProbe "
                "holds traffic back until the check succeeds.",
                shows=(
                    Need(
                        f"The kubelet restarts the container when its HTTP check on port {port} keeps failing.",
                        ref,
                        f"spec.template.spec.containers[name={name}].livenessProbe.httpGet.port",
                        "equals",
                        port,
                    ),
                ),
            ),
        ),
    )


def pod_liveness_exec(name: str, ns: str, image: str, file: str, delay: int) -> Recipe:
    """A liveness probe running a command."""
    container = _c(
        name,
        image,
        command=["sh", "-c", f"touch {file} && sleep 3600"],
        livenessProbe={"exec": {"command": ["cat", file]}, "initialDelaySeconds": delay, "periodSeconds": 5},
    )
    doc = _pod(name, ns, [container])
    ref = f"Pod/{name}"
    base = f"spec.containers[name={name}].livenessProbe"
    needs = [
        *_kind_needs(doc, " with a container of the same name"),
        Need(f"The container runs the image {image}.", ref, f"spec.containers[name={name}].image", "equals", image),
        Need(
            f"The kubelet restarts the container when `cat {file}` fails inside it.",
            ref,
            f"{base}.exec",
            "runs",
            ["cat", file],
        ),
        Need(
            f"The first check waits {delay} seconds after the container starts.",
            ref,
            f"{base}.initialDelaySeconds",
            "equals",
            delay,
        ),
    ]
    return Recipe(
        "pod-liveness-exec",
        f"The process in {name} sometimes hangs without exiting; the kubelet should restart it when its marker "
        "file is gone.",
        (doc,),
        tuple(needs),
        (T + "pod", T + "liveness-probe", T + "exec-probe", T + "probe-initial-delay"),
        "An exec liveness probe runs the command in the container and counts a non-zero exit as a failure; "
        "after failureThreshold failures the kubelet restarts the container. initialDelaySeconds delays the "
        "first check.",
        ("Pod",),
        (
            Fault(
                (Edit(ref, f"spec.containers[name={name}].livenessProbe", to="readinessProbe"),),
                (f"{base}.exec", f"{base}.initialDelaySeconds"),
                "A failing readinessProbe only takes the Pod out of its Services' endpoints; the kubelet never "
                "restarts the container for it, so a hung process stays hung. Only a livenessProbe restarts it.",
                shows=(
                    Need(
                        f"The Pod is taken out of its Services' endpoints while `cat {file}` fails.",
                        ref,
                        f"spec.containers[name={name}].readinessProbe.exec",
                        "runs",
                        ["cat", file],
                    ),
                ),
            ),
        ),
    )


def pod_startup_tcp(name: str, ns: str, image: str, port: int, failures: int) -> Recipe:
    """A startup probe on a TCP port."""
    container = _c(
        name,
        image,
        ports=[{"containerPort": port}],
        startupProbe={"tcpSocket": {"port": port}, "failureThreshold": failures, "periodSeconds": 10},
    )
    doc = _pod(name, ns, [container])
    ref = f"Pod/{name}"
    base = f"spec.containers[name={name}].startupProbe"
    needs = [
        *_kind_needs(doc, " with a container of the same name"),
        Need(f"The container runs the image {image}.", ref, f"spec.containers[name={name}].image", "equals", image),
        Need(
            f"Until a TCP connection to port {port} succeeds, the kubelet runs no liveness or readiness probe.",
            ref,
            f"{base}.tcpSocket.port",
            "equals",
            port,
        ),
        Need(
            f"The container gets {failures} failed checks to start…",
            ref,
            f"{base}.failureThreshold",
            "equals",
            failures,
        ),
        Need("…run 10 seconds apart.", ref, f"{base}.periodSeconds", "equals", 10),
    ]
    return Recipe(
        "pod-startup-tcp",
        f"{name} takes minutes to start on a cold cache, and its liveness checks kill it before it is up.",
        (doc,),
        tuple(needs),
        (T + "pod", T + "startup-probe", T + "tcp-socket-probe", T + "probe-failure-threshold"),
        "While a startup probe has not succeeded, the kubelet runs no liveness or readiness probe; the "
        "container has failureThreshold × periodSeconds to start.",
        ("Pod",),
        (
            Fault(
                (Edit(ref, f"spec.containers[name={name}].startupProbe", to="readinessProbe"),),
                (f"{base}.tcpSocket.port", f"{base}.failureThreshold", f"{base}.periodSeconds"),
                "A readinessProbe runs alongside the other probes and only decides whether the Pod gets Service "
                "traffic; only a startupProbe holds every other probe back until it succeeds.",
                shows=(
                    Need(
                        f"The Pod gets Service traffic only once a TCP connection to port {port} succeeds.",
                        ref,
                        f"spec.containers[name={name}].readinessProbe.tcpSocket.port",
                        "equals",
                        port,
                    ),
                ),
            ),
        ),
    )


def pod_env_configmap(name: str, ns: str, image: str, var: str, cm: str, key: str) -> Recipe:
    """An environment variable from a ConfigMap key."""
    env = [{"name": var, "valueFrom": {"configMapKeyRef": {"name": cm, "key": key}}}]
    doc = _pod(name, ns, [_c(name, image, env=env)])
    ref = f"Pod/{name}"
    base = f"spec.containers[name={name}].env[name={var}].valueFrom.configMapKeyRef"
    needs = [
        *_kind_needs(doc, " with a container of the same name"),
        Need(f"The container runs the image {image}.", ref, f"spec.containers[name={name}].image", "equals", image),
        Need(f"The variable {var} is set from the key {key} of the ConfigMap {cm}.", ref, f"{base}.name", "equals", cm),
        Need(f"It reads exactly that key, {key}.", ref, f"{base}.key", "equals", key),
    ]
    return Recipe(
        "pod-env-configmap",
        f"{name} reads its settings from environment variables; the value is kept in a ConfigMap so it can be "
        "changed without rebuilding the image.",
        (doc,),
        tuple(needs),
        (T + "pod", T + "configmap"),
        "env[].valueFrom.configMapKeyRef sets one variable from one key of a ConfigMap in the Pod's namespace; "
        "envFrom would import every key.",
        ("Pod",),
        (
            Fault(
                (Edit(ref, f"spec.containers[name={name}].env", [{"configMapRef": {"name": cm}}], to="envFrom"),),
                (f"{base}.name", f"{base}.key"),
                f"envFrom imports every key of the ConfigMap as a variable named after the key, so the container "
                f"gets a variable {key}, not {var}; one variable of a chosen name from one key is "
                "env[].valueFrom.configMapKeyRef.",
                shows=(
                    Need(
                        f"Every key of the ConfigMap {cm} becomes an environment variable of the container.",
                        ref,
                        f"spec.containers[name={name}].envFrom[*].configMapRef.name",
                        "equals",
                        cm,
                    ),
                ),
            ),
        ),
    )


def pod_envfrom_secret(name: str, ns: str, image: str, secret: str) -> Recipe:
    """Every key of a Secret as environment variables."""
    doc = _pod(name, ns, [_c(name, image, envFrom=[{"secretRef": {"name": secret}}])])
    ref = f"Pod/{name}"
    needs = [
        *_kind_needs(doc, " with a container of the same name"),
        Need(f"The container runs the image {image}.", ref, f"spec.containers[name={name}].image", "equals", image),
        Need(
            f"Every key of the Secret {secret} becomes an environment variable of the container.",
            ref,
            f"spec.containers[name={name}].envFrom[*].secretRef.name",
            "equals",
            secret,
        ),
    ]
    return Recipe(
        "pod-envfrom-secret",
        f"{name} expects its database credentials as environment variables; they are all keys of one Secret.",
        (doc,),
        tuple(needs),
        (T + "pod", T + "k8s-secret", T + "opaque-secret"),
        "envFrom[].secretRef turns every key of the Secret into a variable of the same name; "
        "env[].valueFrom.secretKeyRef sets just one.",
        ("Pod",),
        (
            Fault(
                (
                    Edit(ref, f"spec.containers[name={name}].envFrom", DROP),
                    Edit(
                        ref,
                        f"spec.containers[name={name}].volumeMounts",
                        [{"name": "credentials", "mountPath": "/etc/credentials", "readOnly": True}],
                    ),
                    Edit(ref, "spec.volumes", [{"name": "credentials", "secret": {"secretName": secret}}]),
                ),
                (f"spec.containers[name={name}].envFrom[*].secretRef.name",),
                "A secret volume puts each key of the Secret in a file under its mount path; the process sees "
                "no environment variable from it. Only envFrom[].secretRef makes every key a variable.",
                shows=(
                    Need(
                        f"The container can read each key of the Secret {secret} as a file.",
                        ref,
                        "spec.volumes[name=credentials].secret.secretName",
                        "equals",
                        secret,
                    ),
                ),
            ),
        ),
    )


def pod_configmap_volume(name: str, ns: str, image: str, cm: str, path: str) -> Recipe:
    """A ConfigMap mounted as files."""
    doc = _pod(
        name,
        ns,
        [_c(name, image, volumeMounts=[{"name": "config", "mountPath": path, "readOnly": True}])],
        volumes=[{"name": "config", "configMap": {"name": cm}}],
    )
    ref = f"Pod/{name}"
    needs = [
        *_kind_needs(doc, " with a container of the same name"),
        Need(f"The container runs the image {image}.", ref, f"spec.containers[name={name}].image", "equals", image),
        Need(
            f"A volume named config holds the keys of the ConfigMap {cm} as files.",
            ref,
            "spec.volumes[name=config].configMap.name",
            "equals",
            cm,
        ),
        Need(
            f"The container sees the files of the ConfigMap {cm} under {path}.",
            ref,
            f"spec.containers[name={name}].volumeMounts[name=config].mountPath",
            "equals",
            path,
        ),
        Need(
            f"The container cannot write under {path}.",
            ref,
            f"spec.containers[name={name}].volumeMounts[name=config].readOnly",
            "equals",
            True,
        ),
        Need(
            f"Whatever keys the ConfigMap {cm} holds, each appears under {path} as a file named after the key.",
            ref,
            "spec.volumes[name=config].configMap.items",
            "absent",
        ),
    ]
    only = f"{name}.conf"
    return Recipe(
        "pod-configmap-volume",
        f"{name} reads its configuration files from a directory; the files are kept in a ConfigMap.",
        (doc,),
        tuple(needs),
        (T + "pod", T + "configmap", T + "volume-mounts"),
        "A configMap volume exposes each key as a file; volumeMounts[].mountPath puts the volume in the "
        "container's file system, and a configMap volume is always mounted read-only (readOnly: true only says "
        "so).",
        ("Pod",),
        (
            Fault(
                (Edit(ref, "spec.volumes[name=config].configMap.items", [{"key": only, "path": only}]),),
                ("spec.volumes[name=config].configMap.items",),
                f"With items, a configMap volume holds only the keys listed, here {only}, and the ConfigMap's other "
                "keys do not appear; without items every key becomes a file named after it.",
            ),
        ),
    )


def pod_sidecar_logs(name: str, ns: str, image: str, path: str) -> Recipe:
    """Two containers sharing an emptyDir volume."""
    mount = [{"name": "logs", "mountPath": path}]
    doc = _pod(
        name,
        ns,
        [
            _c(name, image, volumeMounts=mount),
            _c("log-shipper", "busybox:1.37", command=["sh", "-c", f"tail -F {path}/app.log"], volumeMounts=mount),
        ],
        volumes=[{"name": "logs", "emptyDir": {}}],
    )
    ref = f"Pod/{name}"
    needs = [
        *_kind_needs(doc, ""),
        Need(
            f"A container named {name} runs the image {image}.",
            ref,
            f"spec.containers[name={name}].image",
            "equals",
            image,
        ),
        Need(
            "A second app container named log-shipper runs the image busybox:1.37.",
            ref,
            "spec.containers[name=log-shipper].image",
            "equals",
            "busybox:1.37",
        ),
        Need(
            "A volume named logs lives as long as the Pod and starts empty.",
            ref,
            "spec.volumes[name=logs].emptyDir",
            "exists",
        ),
        # one need per container, so that each of the two is checked (a need on both would pass on either)
        Need(
            f"The {name} container mounts it at {path}.",
            ref,
            f"spec.containers[name={name}].volumeMounts[name=logs].mountPath",
            "equals",
            path,
        ),
        Need(
            f"The log-shipper container mounts it at {path} too.",
            ref,
            "spec.containers[name=log-shipper].volumeMounts[name=logs].mountPath",
            "equals",
            path,
        ),
        # the brief says the helper must read the files: a busybox container left to its image's command (sh)
        # exits at once and reads nothing
        Need(
            "The log-shipper container reads the log: it runs a file reader such as tail -F or cat on a file "
            f"under {path}.",
            ref,
            "spec.containers[name=log-shipper]",
            "runs",
            {"reads": path},
        ),
    ]
    return Recipe(
        "pod-sidecar-emptydir",
        # app containers are those under containers (an init container, even a sidecar, is not one), so the
        # brief names one place for the helper
        f"{name} writes its log to files only; a second app container in the same Pod must read them.",
        (doc,),
        tuple(needs),
        (T + "pod", T + "multi-container-pod", T + "sidecar-container", T + "emptydir-volume"),
        "Containers of one Pod share volumes: an emptyDir volume is created empty when the Pod is placed on a "
        "node and removed with the Pod, so both containers see the same files.",
        ("Pod",),
        (
            Fault(
                (Edit(ref, "spec.volumes[name=logs].emptyDir", {"path": path}, to="hostPath"),),
                ("spec.volumes[name=logs].emptyDir",),
                f"A hostPath volume is the node's own directory {path}: it exists before the Pod, holds what "
                "earlier Pods on that node wrote and stays after the Pod is gone; an emptyDir volume starts empty "
                "and shares the Pod's lifetime.",
                shows=(
                    Need(
                        "Both containers see the same files there.",
                        ref,
                        "spec.containers[name=log-shipper].volumeMounts[name=logs].name",
                        "equals",
                        "logs",
                    ),
                ),
            ),
        ),
    )


#: how a shell script asks the resolver for a name, by the command's name: ``nslookup`` (a BusyBox applet),
#: ``getent hosts`` (glibc and musl) and ``host`` (BIND's tools) exit non-zero when the name does not resolve, so a
#: loop on them waits. ``dig`` is not one: it exits 0 whenever a DNS server answers, NXDOMAIN included (the dig
#: manual, "Return Codes"), so ``until dig NAME`` stops at once.
RESOLVER_COMMANDS = {
    "nslookup": r"nslookup",
    "getent": r"getent\s+(?:hosts|ahosts|ahostsv4|ahostsv6)",
    "host": r"host",
}
#: the resolver commands an image has, by image name: BusyBox builds nslookup but has no getent, host or dig
#: applet (https://busybox.net/downloads/BusyBox.html, the list of commands), so in the busybox image only an
#: nslookup loop ever ends; an image not listed is read as having every command of :data:`RESOLVER_COMMANDS`
IMAGE_RESOLVERS = {"busybox": ("nslookup",)}
#: how a container names its own namespace without stating it: the file the service account volume puts in every
#: container that mounts it (https://kubernetes.io/docs/tasks/run-application/access-api-from-pod/#directly-accessing-the-rest-api)
_OWN_NAMESPACE = r"(?:\$\(\s*cat\s+|`\s*cat\s+)/var/run/secrets/kubernetes\.io/serviceaccount/namespace\s*(?:\)|`)"


def resolvers_in(image: str) -> tuple[str, ...]:
    """The resolver commands (keys of :data:`RESOLVER_COMMANDS`) an image has (:data:`IMAGE_RESOLVERS`)."""
    repository = image.rsplit("/", 1)[-1].split("@", 1)[0].split(":", 1)[0]
    return IMAGE_RESOLVERS.get(repository, tuple(RESOLVER_COMMANDS))


def service_names(name: str, namespace: str = "") -> str:
    """A pattern for the names a Pod of ``namespace`` resolves to the Service ``name``: ``name``, ``name.ns``,
    ``name.ns.svc`` and ``name.ns.svc.cluster.local`` (a trailing dot allowed), the namespace also written as
    ``$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace)``; each maybe in double quotes. A Service
    is ``<service>.<namespace>.svc.cluster.local``, and a Pod's resolv.conf searches ``<namespace>.svc.cluster.local
    svc.cluster.local cluster.local`` (https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/),
    so the shorter names resolve by the search list. Another namespace's name is another Service."""
    service = re.escape(name)
    if namespace:
        own = rf"(?:{re.escape(namespace)}|{_OWN_NAMESPACE})"
        service = rf"{service}(?:\.{own}(?:\.svc(?:\.cluster\.local\.?)?)?)?"
    return rf'(?:"{service}"|{service})'


def until_resolves(name: str, namespace: str = "", resolvers: tuple[str, ...] = ("nslookup",)) -> str:
    """A pattern for a shell script that loops until the Service ``name`` resolves: ``until LOOKUP`` (or
    ``while ! LOOKUP``), where LOOKUP is one of the ``resolvers`` (:data:`RESOLVER_COMMANDS`) given one of the
    Service's names (:func:`service_names`), its output maybe sent to /dev/null, then any loop body, with ``;`` or
    new lines between the parts. The body (how long it sleeps, what it prints) is not part of the requirement."""
    quiet = r"(?:\s+(?:[12]?>>?\s*/dev/null|2>&1|&>\s*/dev/null))*"
    lookup = "|".join(RESOLVER_COMMANDS[resolver] for resolver in resolvers)
    condition = rf"(?:{lookup})\s+{service_names(name, namespace)}{quiet}"
    between = r"\s*(?:;|\n)\s*"
    return rf"(?:until\s+{condition}|while\s+!\s*{condition}){between}do\s+.+?{between}done\s*;?"


def pod_init_wait(name: str, ns: str, image: str, service: str) -> Recipe:
    """An init container that waits for a Service's DNS name."""
    # the full name, as the Init Containers page's example writes it: BusyBox's nslookup may not apply the
    # Pod's DNS search domains, so a short name is not a safe model answer
    full = f"{service}.{ns}.svc.cluster.local"
    waiter = _c("wait-for-db", "busybox:1.37", command=["sh", "-c", f"until nslookup {full}; do sleep 2; done"])
    doc = _pod(name, ns, [_c(name, image)], initContainers=[waiter])
    ref = f"Pod/{name}"
    needs = [
        *_kind_needs(doc, ""),
        Need(
            f"The app container {name} runs the image {image}.",
            ref,
            f"spec.containers[name={name}].image",
            "equals",
            image,
        ),
        Need(
            "A container named wait-for-db (image busybox:1.37) runs before the app container starts.",
            ref,
            "spec.initContainers[name=wait-for-db].image",
            "equals",
            "busybox:1.37",
        ),
        Need(
            "The app container starts only once wait-for-db has run to completion.",
            ref,
            "spec.initContainers[name=wait-for-db].restartPolicy",
            "not_equals",
            "Always",
        ),
        Need(
            f"That container runs a shell loop until the name {service} resolves.",
            ref,
            "spec.initContainers[name=wait-for-db]",
            "runs",
            {"shell": until_resolves(service, ns, resolvers_in("busybox:1.37"))},
        ),
    ]
    together = Fault(
        (Edit(ref, "spec.initContainers", DROP), Edit(ref, "spec.containers", [_c(name, image), waiter])),
        ("spec.initContainers[name=wait-for-db].image", "spec.initContainers[name=wait-for-db]"),
        "The containers listed under containers all start together, so the app starts while wait-for-db is "
        "still waiting; only initContainers run, each to completion, before the app containers start.",
        moot=("spec.initContainers[name=wait-for-db].restartPolicy",),
    )
    sidecar = Fault(
        (Edit(ref, "spec.initContainers[name=wait-for-db].restartPolicy", "Always"),),
        ("spec.initContainers[name=wait-for-db].restartPolicy",),
        "With restartPolicy: Always, wait-for-db is a sidecar: the app container starts as soon as it has "
        "started, not once it has finished, and the kubelet restarts it whenever it exits.",
    )
    return Recipe(
        "pod-init-container",
        f"{name} crashes when it starts before its database Service {service} exists.",
        (doc,),
        tuple(needs),
        (T + "pod", T + "init-container", T + "multi-container-pod"),
        "Init containers run one after another, each to completion, before the app containers start; a "
        "failing one is retried according to the Pod's restartPolicy.",
        ("Pod",),
        (together, sidecar),
    )


def pod_native_sidecar(name: str, ns: str, image: str) -> Recipe:
    """A sidecar as an init container with restartPolicy Always."""
    doc = _pod(
        name,
        ns,
        [_c(name, image)],
        initContainers=[_c("proxy", "envoyproxy/envoy:v1.33.0", restartPolicy="Always")],
    )
    ref = f"Pod/{name}"
    needs = [
        *_kind_needs(doc, ""),
        Need(
            f"The app container {name} runs the image {image}.",
            ref,
            f"spec.containers[name={name}].image",
            "equals",
            image,
        ),
        Need(
            "A container named proxy (image envoyproxy/envoy:v1.33.0) starts before the app container.",
            ref,
            "spec.initContainers[name=proxy].image",
            "equals",
            "envoyproxy/envoy:v1.33.0",
        ),
        Need(
            "The proxy keeps running beside the app for the Pod's whole life.",
            ref,
            "spec.initContainers[name=proxy].restartPolicy",
            "equals",
            "Always",
        ),
    ]
    proxy = _c("proxy", "envoyproxy/envoy:v1.33.0")
    faults = (
        Fault(
            (Edit(ref, "spec.initContainers[name=proxy].restartPolicy", DROP),),
            ("spec.initContainers[name=proxy].restartPolicy",),
            "Without restartPolicy: Always the proxy is an ordinary init container, which must exit before the "
            "app starts; a proxy does not exit, so the app never starts.",
        ),
        Fault(
            (Edit(ref, "spec.initContainers", DROP), Edit(ref, "spec.containers", [_c(name, image), proxy])),
            ("spec.initContainers[name=proxy].image", "spec.initContainers[name=proxy].restartPolicy"),
            "Listed under containers, the proxy starts together with the app, not before it; an init container "
            "with restartPolicy: Always starts first and then keeps running.",
        ),
    )
    return Recipe(
        "pod-native-sidecar",
        f"The proxy of {name} must be up before the app starts and must keep running next to it.",
        (doc,),
        tuple(needs),
        (T + "pod", T + "sidecar-container", T + "init-container"),
        "An init container with restartPolicy: Always is a sidecar: it starts in order before the app "
        "containers and, unlike an ordinary init container, keeps running (Kubernetes v1.33 made this stable).",
        ("Pod",),
        faults,
    )


def pod_security(name: str, ns: str, image: str, uid: int) -> Recipe:
    """Pod and container security contexts."""
    doc = _pod(
        name,
        ns,
        [
            _c(
                name,
                image,
                securityContext={
                    "allowPrivilegeEscalation": False,
                    "readOnlyRootFilesystem": True,
                    "capabilities": {"drop": ["ALL"]},
                },
            )
        ],
        securityContext={"runAsNonRoot": True, "runAsUser": uid},
    )
    ref = f"Pod/{name}"
    base = f"spec.containers[name={name}].securityContext"
    needs = [
        *_kind_needs(doc, " with a container of the same name"),
        Need(f"The container runs the image {image}.", ref, f"spec.containers[name={name}].image", "equals", image),
        Need(
            f"Every container of the Pod runs as user ID {uid}.", ref, "spec.securityContext.runAsUser", "equals", uid
        ),
        Need(
            "The kubelet refuses to start any of its containers that would run as root.",
            ref,
            "spec.securityContext.runAsNonRoot",
            "equals",
            True,
        ),
        Need(
            "The process cannot gain more privileges than its parent.",
            ref,
            f"{base}.allowPrivilegeEscalation",
            "equals",
            False,
        ),
        Need("Its root file system is read-only.", ref, f"{base}.readOnlyRootFilesystem", "equals", True),
        Need("It holds no Linux capabilities.", ref, f"{base}.capabilities.drop", "contains", "ALL"),
    ]
    return Recipe(
        "pod-security-context",
        f"A security review of {name} asks for the least privilege the container can run with.",
        (doc,),
        tuple(needs),
        (
            T + "pod",
            T + "security-context",
            T + "run-as-user",
            T + "run-as-non-root",
            T + "allow-privilege-escalation",
            T + "read-only-root-filesystem",
            T + "linux-capabilities",
        ),
        "runAsUser and runAsNonRoot in the Pod's securityContext apply to every container; "
        "allowPrivilegeEscalation, readOnlyRootFilesystem and capabilities are set per container.",
        ("Pod",),
        (
            Fault(
                (Edit(ref, "spec.securityContext.runAsNonRoot", DROP),),
                ("spec.securityContext.runAsNonRoot",),
                "runAsUser only sets the user the containers start as; without runAsNonRoot: true the kubelet does "
                "not check that a container runs as a non-root user, so one that sets runAsUser: 0 starts as root.",
            ),
            Fault(
                (
                    Edit(ref, f"{base}.allowPrivilegeEscalation", DROP),
                    Edit(ref, "spec.securityContext.allowPrivilegeEscalation", False),
                ),
                (f"{base}.allowPrivilegeEscalation",),
                "allowPrivilegeEscalation is set in each container's securityContext; it was written into the "
                "Pod's securityContext, which has no such field, so the API refuses the manifest.",
                schema=True,
            ),
        ),
    )


def pod_node_selector(name: str, ns: str, image: str, key: str, value: str) -> Recipe:
    """A nodeSelector."""
    doc = _pod(name, ns, [_c(name, image)], nodeSelector={key: value})
    ref = f"Pod/{name}"
    needs = [
        *_kind_needs(doc, " with a container of the same name"),
        Need(f"The container runs the image {image}.", ref, f"spec.containers[name={name}].image", "equals", image),
        Need(
            f"It may be scheduled only on nodes labelled {key}={value}.",
            ref,
            f'spec.nodeSelector."{key}"',
            "equals",
            value,
        ),
    ]
    toleration = {"key": key, "operator": "Equal", "value": value, "effect": "NoSchedule"}
    tolerated = Fault(
        (Edit(ref, "spec.nodeSelector", [toleration], to="tolerations"),),
        (f'spec.nodeSelector."{key}"',),
        f"A toleration only lets the Pod onto nodes tainted {key}={value}:NoSchedule; it does not keep it off "
        "the other nodes, so the scheduler may place it on a node without the label. Only a nodeSelector (or "
        "node affinity) restricts where it runs.",
        shows=(
            Need(
                f"It may be scheduled onto nodes tainted {key}={value}:NoSchedule.",
                ref,
                "spec.tolerations",
                "tolerates",
                {"key": key, "value": value, "effect": "NoSchedule"},
            ),
        ),
    )
    return Recipe(
        "pod-node-selector",
        f"{name} needs the hardware that only some nodes have; those nodes carry the label {key}={value}.",
        (doc,),
        tuple(needs),
        (T + "pod", T + "node-selector"),
        "spec.nodeSelector lists labels a node must all carry for the Pod to be scheduled there; node "
        "affinity expresses richer rules.",
        ("Pod",),
        (tolerated,),
    )


def pod_toleration(name: str, ns: str, image: str, key: str, value: str, effect: str) -> Recipe:
    """A toleration of a node taint."""
    toleration = {"key": key, "operator": "Equal", "value": value, "effect": effect}
    doc = _pod(name, ns, [_c(name, image)], tolerations=[toleration])
    ref = f"Pod/{name}"
    needs = [
        *_kind_needs(doc, " with a container of the same name"),
        Need(f"The container runs the image {image}.", ref, f"spec.containers[name={name}].image", "equals", image),
        # checked as the scheduler matches a toleration to the taint (task_checks.tolerates): Exists or the
        # value, the effect or none, the key or none with Exists
        Need(
            f"It may be scheduled onto the nodes tainted {key}={value}:{effect}.",
            ref,
            "spec.tolerations",
            "tolerates",
            {"key": key, "value": value, "effect": effect},
        ),
    ]
    return Recipe(
        "pod-toleration",
        f"The nodes reserved for {name} were tainted {key}={value}:{effect} to keep other workloads away.",
        (doc,),
        tuple(needs),
        (T + "pod", T + "taints-tolerations"),
        "A toleration lets a Pod be scheduled onto nodes with a matching taint (the same key, and the same "
        "value with operator Equal or any value with Exists; the same effect, or any effect when it sets none); "
        "it does not attract the Pod there — that needs a node selector or affinity.",
        ("Pod",),
        (
            Fault(
                (Edit(ref, "spec.tolerations", {key: value}, to="nodeSelector"),),
                ("spec.tolerations",),
                f"A nodeSelector only picks nodes by their labels and tolerates no taint, so the scheduler still "
                f"keeps the Pod off the nodes tainted {key}={value}:{effect}; getting onto them takes a toleration.",
                shows=(
                    Need(
                        f"It may be scheduled only on nodes labelled {key}={value}.",
                        ref,
                        f'spec.nodeSelector."{key}"',
                        "equals",
                        value,
                    ),
                ),
            ),
        ),
    )


def pod_node_affinity(name: str, ns: str, image: str, key: str, values: list[str]) -> Recipe:
    """A required node affinity rule."""
    term = {"matchExpressions": [{"key": key, "operator": "In", "values": values}]}
    affinity = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [term]}}}
    doc = _pod(name, ns, [_c(name, image)], affinity=affinity)
    ref = f"Pod/{name}"
    base = "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[*]"
    shown = " or ".join(values)
    needs = [
        *_kind_needs(doc, " with a container of the same name"),
        Need(f"The container runs the image {image}.", ref, f"spec.containers[name={name}].image", "equals", image),
        Need(
            f"The scheduler places it only on a node whose label {key} is {shown}; with no such node it stays pending.",
            ref,
            f'{base}.matchExpressions[key="{key}"].operator',
            "equals",
            "In",
        ),
        Need(
            f"The rule lists exactly the value {values[0]}."
            if len(values) == 1
            else f"The rule lists exactly the values {', '.join(values[:-1])} and {values[-1]}.",
            ref,
            f'{base}.matchExpressions[key="{key}"].values',
            "equals",
            values,
        ),
    ]
    preferred = Fault(
        (
            Edit(
                ref,
                "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution",
                [{"weight": 100, "preference": term}],
                to="preferredDuringSchedulingIgnoredDuringExecution",
            ),
        ),
        (f'{base}.matchExpressions[key="{key}"].operator', f'{base}.matchExpressions[key="{key}"].values'),
        "preferredDuringSchedulingIgnoredDuringExecution only weighs nodes: the scheduler prefers a matching "
        "node but may choose one that does not match rather than leave the Pod pending; the hard rule is "
        "requiredDuringSchedulingIgnoredDuringExecution.",
        shows=(
            Need(
                f"The scheduler prefers nodes whose label {key} is {shown}.",
                ref,
                "spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[*].preference"
                f'.matchExpressions[key="{key}"].operator',
                "equals",
                "In",
            ),
        ),
    )
    return Recipe(
        "pod-node-affinity",
        f"{name} must run only in the zones the data lives in, and must stay pending rather than run elsewhere.",
        (doc,),
        tuple(needs),
        (T + "pod", T + "node-affinity"),
        "requiredDuringSchedulingIgnoredDuringExecution is a hard rule the scheduler must meet (preferred… "
        "only weighs nodes); operator In matches a label whose value is any of the listed values.",
        ("Pod",),
        (preferred,),
    )


def pod_service_account(name: str, ns: str, image: str, sa: str) -> Recipe:
    """A ServiceAccount without an automatically mounted token."""
    doc = _pod(name, ns, [_c(name, image)], serviceAccountName=sa, automountServiceAccountToken=False)
    ref = f"Pod/{name}"
    needs = [
        *_kind_needs(doc, " with a container of the same name"),
        Need(f"The container runs the image {image}.", ref, f"spec.containers[name={name}].image", "equals", image),
        Need(f"It runs as the ServiceAccount {sa}.", ref, "spec.serviceAccountName", "equals", sa),
        Need("No API token is mounted into it.", ref, "spec.automountServiceAccountToken", "equals", False),
    ]
    return Recipe(
        "pod-service-account",
        f"{name} gets its own identity for audit purposes but never calls the Kubernetes API.",
        (doc,),
        tuple(needs),
        (T + "pod", T + "service-account", T + "automount-sa-token"),
        "spec.serviceAccountName picks the Pod's ServiceAccount (default: default); "
        "automountServiceAccountToken: false stops the kubelet mounting an API token.",
        ("Pod",),
        (
            Fault(
                (Edit(ref, "spec.automountServiceAccountToken", DROP),),
                ("spec.automountServiceAccountToken",),
                "Unless automountServiceAccountToken is false (in the Pod, or on its ServiceAccount), an API "
                "token of the ServiceAccount is mounted into the Pod.",
            ),
        ),
    )


def job_parallel(name: str, ns: str, image: str, completions: int, parallelism: int, backoff: int) -> Recipe:
    """A Job with completions, parallelism and backoffLimit."""
    doc = {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": _meta(name, ns),
        "spec": {
            "completions": completions,
            "parallelism": parallelism,
            "backoffLimit": backoff,
            "template": {"spec": {"restartPolicy": "Never", "containers": [_c(name, image)]}},
        },
    }
    ref = f"Job/{name}"
    needs = [
        *_kind_needs(doc, ""),
        _api_need(doc),
        Need(f"It is done after {completions} Pods have succeeded…", ref, "spec.completions", "equals", completions),
        Need(f"…running at most {parallelism} at a time.", ref, "spec.parallelism", "equals", parallelism),
        Need(f"It gives up after {backoff} retries.", ref, "spec.backoffLimit", "equals", backoff),
        Need(
            "A failed container is not restarted in place; the Job creates a new Pod.",
            ref,
            "spec.template.spec.restartPolicy",
            "equals",
            "Never",
        ),
        Need(
            f"Its container runs the image {image}.",
            ref,
            "spec.template.spec.containers[*].image",
            "equals",
            image,
        ),
    ]
    return Recipe(
        "job",
        f"A batch of {completions} report shards must be processed once each; the cluster can spare "
        f"{parallelism} Pods at a time.",
        (doc,),
        tuple(needs),
        (T + "job", T + "job-completions", T + "job-parallelism", T + "job-backoff-limit", T + "restart-never"),
        "A Job counts successful Pods up to spec.completions, runs at most spec.parallelism at once and fails "
        "after spec.backoffLimit retries; a Job's Pods must use restartPolicy Never or OnFailure.",
        ("Job",),
        (
            Fault(
                (Edit(ref, "spec.template.spec.restartPolicy", "OnFailure"),),
                ("spec.template.spec.restartPolicy",),
                "With restartPolicy OnFailure the kubelet restarts a failed container inside the same Pod; only "
                "Never makes the Job replace the failed Pod with a new one.",
            ),
        ),
    )


def cronjob(name: str, ns: str, image: str, schedule: str, when: str, policy: str) -> Recipe:
    """A CronJob with a schedule and concurrency policy."""
    doc = {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": _meta(name, ns),
        "spec": {
            "schedule": schedule,
            "concurrencyPolicy": policy,
            "jobTemplate": {
                "spec": {"template": {"spec": {"restartPolicy": "OnFailure", "containers": [_c(name, image)]}}}
            },
        },
    }
    ref = f"CronJob/{name}"
    policy_text = {
        "Forbid": "A run is skipped while the previous one is still going.",
        "Replace": "A new run replaces a previous run that is still going.",
        "Allow": "Runs may overlap.",
    }[policy]
    needs = [
        *_kind_needs(doc, ""),
        _api_need(doc),
        Need(f"It starts a Job {when} (cron: {schedule}).", ref, "spec.schedule", "equals", schedule),
        Need(policy_text, ref, "spec.concurrencyPolicy", "equals", policy),
        Need(
            "A failed container is restarted in the same Pod.",
            ref,
            "spec.jobTemplate.spec.template.spec.restartPolicy",
            "equals",
            "OnFailure",
        ),
        Need(
            f"The container runs the image {image}.",
            ref,
            "spec.jobTemplate.spec.template.spec.containers[*].image",
            "equals",
            image,
        ),
    ]
    return Recipe(
        "cronjob",
        f"The {name} job must run on a schedule without anyone starting it.",
        (doc,),
        tuple(needs),
        (T + "cronjob", T + "cronjob-concurrency-policy", T + "restart-on-failure"),
        "A CronJob creates a Job from spec.jobTemplate at each time of its cron spec.schedule; "
        "spec.concurrencyPolicy (Allow, Forbid, Replace) decides what happens when runs would overlap.",
        ("CronJob",),
        (
            Fault(
                (Edit(ref, "spec.concurrencyPolicy", _OTHER_POLICY[policy]),),
                ("spec.concurrencyPolicy",),
                _POLICY_WHY[_OTHER_POLICY[policy]],
            ),
            Fault(
                (Edit(ref, "spec.jobTemplate.spec.template.spec.restartPolicy", "Never"),),
                ("spec.jobTemplate.spec.template.spec.restartPolicy",),
                "With restartPolicy Never a failed container is not restarted; the Job creates a new Pod "
                "instead. Only OnFailure restarts it in the same Pod.",
            ),
        ),
    )


#: a CronJob's concurrency policy mistaken for another, and what the other one does
_OTHER_POLICY = {"Forbid": "Replace", "Replace": "Forbid", "Allow": "Forbid"}
_POLICY_WHY = {
    "Replace": "concurrencyPolicy Replace cancels the run that is still going and starts the new one; Forbid "
    "skips the new run instead.",
    "Forbid": "concurrencyPolicy Forbid skips the new run while the previous one is still going; Replace "
    "cancels the previous run and starts the new one.",
}


def statefulset(name: str, ns: str, image: str, replicas: int, size: str, sc: str) -> Recipe:
    """A StatefulSet with a headless Service name and volume claim templates."""
    doc = {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": _meta(name, ns),
        "spec": {
            "serviceName": name,
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [_c(name, image, volumeMounts=[{"name": "data", "mountPath": "/data"}])]},
            },
            "volumeClaimTemplates": [
                {
                    "metadata": {"name": "data"},
                    "spec": {
                        "accessModes": ["ReadWriteOnce"],
                        "storageClassName": sc,
                        "resources": {"requests": {"storage": size}},
                    },
                }
            ],
        },
    }
    ref = f"StatefulSet/{name}"
    needs = [
        *_kind_needs(doc, ""),
        _api_need(doc),
        Need(f"It runs {replicas} Pods with stable names.", ref, "spec.replicas", "equals", replicas),
        Need(
            f"Their network identity comes from the headless Service {name}.", ref, "spec.serviceName", "equals", name
        ),
        Need(
            f"It selects its Pods by the label app={name}, which they carry.",
            ref,
            "spec.selector",
            "selects",
            {"app": name},
        ),
        Need(
            "Each Pod gets a PersistentVolumeClaim of its own, made from a template named data.",
            ref,
            "spec.volumeClaimTemplates[*].metadata.name",
            "equals",
            "data",
        ),
        Need(
            f"Each claim asks for {size}…",
            ref,
            "spec.volumeClaimTemplates[*].spec.resources.requests.storage",
            "equals",
            size,
        ),
        Need(f"…from the StorageClass {sc}.", ref, "spec.volumeClaimTemplates[*].spec.storageClassName", "equals", sc),
        Need(
            "A Pod's claim can be mounted read-write by one node at a time.",
            ref,
            "spec.volumeClaimTemplates[*].spec.accessModes",
            "contains",
            "ReadWriteOnce",
        ),
        Need(
            "The container mounts it at /data.",
            ref,
            "spec.template.spec.containers[*].volumeMounts[name=data].mountPath",
            "equals",
            "/data",
        ),
    ]
    shared = Fault(
        (
            Edit(ref, "spec.volumeClaimTemplates", DROP),
            Edit(ref, "spec.template.spec.volumes", [{"name": "data", "persistentVolumeClaim": {"claimName": "data"}}]),
        ),
        (
            "spec.volumeClaimTemplates[*].metadata.name",
            "spec.volumeClaimTemplates[*].spec.resources.requests.storage",
            "spec.volumeClaimTemplates[*].spec.storageClassName",
            "spec.volumeClaimTemplates[*].spec.accessModes",
        ),
        "A volume of the Pod template that names a claim names the same claim in every Pod, so all members "
        "share one disk; volumeClaimTemplates gives each Pod a claim of its own that stays with it.",
    )
    return Recipe(
        "statefulset",
        f"Each member of the {name} database cluster needs its own disk that follows it when it is rescheduled.",
        (doc,),
        tuple(needs),
        (T + "statefulset", T + "headless-service", T + "persistent-volume-claim"),
        "A StatefulSet creates one PersistentVolumeClaim per Pod from each volumeClaimTemplates entry and keeps "
        "it when the Pod moves; spec.serviceName names the headless Service that gives Pods stable DNS names.",
        ("StatefulSet",),
        (shared,),
    )


def daemonset(name: str, ns: str, image: str) -> Recipe:
    """A DaemonSet that also runs on control-plane nodes."""
    toleration = {"key": "node-role.kubernetes.io/control-plane", "operator": "Exists", "effect": "NoSchedule"}
    doc = {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": _meta(name, ns),
        "spec": {
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"tolerations": [toleration], "containers": [_c(name, image)]},
            },
        },
    }
    ref = f"DaemonSet/{name}"
    needs = [
        *_kind_needs(doc, ", so one Pod runs on every node"),
        _api_need(doc),
        Need(
            f"It selects its Pods by the label app={name}, which they carry.",
            ref,
            "spec.selector",
            "selects",
            {"app": name},
        ),
        Need(
            f"Its container runs the image {image}.",
            ref,
            "spec.template.spec.containers[*].image",
            "equals",
            image,
        ),
        # "one Pod runs on every node" holds only if the template keeps the DaemonSet from no node: a nodeSelector,
        # node affinity or nodeName limits it to the nodes that match (the DaemonSet controller's
        # NodeShouldRunDaemonPod, https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/#running-pods-on-select-nodes)
        Need(
            "Its Pods are not limited to nodes with some labels (no nodeSelector)…",
            ref,
            "spec.template.spec.nodeSelector",
            "absent",
        ),
        Need(
            "…nor by a required node affinity…",
            ref,
            "spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution",
            "absent",
        ),
        Need("…nor pinned to one node by name.", ref, "spec.template.spec.nodeName", "absent"),
        # kubeadm taints control-plane nodes node-role.kubernetes.io/control-plane:NoSchedule, with no value
        # (https://kubernetes.io/docs/reference/setup-tools/kubeadm/implementation-details/); any toleration the
        # scheduler matches to it will do (task_checks.tolerates)
        Need(
            "It also runs on control-plane nodes, which kubeadm taints node-role.kubernetes.io/control-plane:"
            "NoSchedule.",
            ref,
            "spec.template.spec.tolerations",
            "tolerates",
            {"key": "node-role.kubernetes.io/control-plane", "value": "", "effect": "NoSchedule"},
        ),
    ]
    return Recipe(
        "daemonset",
        f"The node agent {name} must run once on every node of the cluster, control-plane nodes included.",
        (doc,),
        tuple(needs),
        (T + "daemonset", T + "taints-tolerations"),
        "A DaemonSet runs one Pod per eligible node; kubeadm taints control-plane nodes "
        "node-role.kubernetes.io/control-plane:NoSchedule, so only Pods that tolerate it run there.",
        ("DaemonSet",),
        (
            Fault(
                (Edit(ref, "spec.template.spec.tolerations", DROP),),
                ("spec.template.spec.tolerations",),
                "Control-plane nodes set up by kubeadm carry the taint node-role.kubernetes.io/control-plane:"
                "NoSchedule, and a DaemonSet's Pods run there only if they tolerate it; without the toleration the "
                "agent skips those nodes.",
                moot=("kind",),
            ),
        ),
    )


def hpa(name: str, ns: str, low: int, high: int, cpu: int) -> Recipe:
    """A HorizontalPodAutoscaler on CPU utilisation (the model is autoscaling/v2; an autoscaling/v1 answer with
    targetCPUUtilizationPercentage is read in v2 terms, as the API server serves it)."""
    doc = {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": _meta(name, ns),
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": name},
            "minReplicas": low,
            "maxReplicas": high,
            "metrics": [
                {
                    "type": "Resource",
                    "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": cpu}},
                }
            ],
        },
    }
    ref = f"HorizontalPodAutoscaler/{name}"
    target = "spec.metrics[type=Resource].resource.target"
    needs = [
        *_kind_needs(doc, ""),
        _api_need(doc),
        Need(f"It scales the Deployment {name}.", ref, "spec.scaleTargetRef.name", "equals", name),
        Need("The target is a Deployment.", ref, "spec.scaleTargetRef.kind", "equals", "Deployment"),
        # without it the controller looks the kind up in the core group and never finds the Deployment
        # (FailedGetScale: no matches for kind "Deployment" in group "", kubernetes/kubernetes#86032)
        Need(
            "The reference names the Deployment's API group and version (apps/v1), so the controller can find it.",
            ref,
            "spec.scaleTargetRef.apiVersion",
            "equals",
            "apps/v1",
        ),
        Need(f"It may scale in to {low} replicas, never fewer…", ref, "spec.minReplicas", "equals", low),
        Need(f"…and out to {high}, never more.", ref, "spec.maxReplicas", "equals", high),
        Need(
            f"It aims at {cpu}% average CPU utilisation of the Pods' requests.",
            ref,
            f"{target}.averageUtilization",
            "equals",
            cpu,
        ),
        # the target's type says which of its numbers the controller reads: averageUtilization only with Utilization
        Need(
            "The target is a share of the Pods' CPU requests, not an amount of CPU.",
            ref,
            f"{target}.type",
            "equals",
            "Utilization",
        ),
    ]
    return Recipe(
        "hpa",
        f"Traffic to {name} doubles at lunchtime; the replica count should follow CPU load within agreed bounds.",
        (doc,),
        tuple(needs),
        (T + "hpa", T + "deployment-k8s"),
        "An autoscaling/v2 HorizontalPodAutoscaler adjusts the target's replicas between minReplicas and "
        "maxReplicas so the average CPU use, as a share of the Pods' CPU requests, stays near the target.",
        ("HorizontalPodAutoscaler",),
        (
            Fault(
                (
                    Edit(ref, f"{target}.type", "AverageValue"),
                    Edit(ref, f"{target}.averageUtilization", "200m", to="averageValue"),
                ),
                (f"{target}.averageUtilization", f"{target}.type"),
                "type AverageValue with averageValue 200m aims at 200 millicores of CPU per Pod, whatever the "
                "Pods request; a share of the Pods' CPU requests is type Utilization with averageUtilization.",
                shows=(
                    Need(
                        "It scales on the CPU use of the Pods.",
                        ref,
                        "spec.metrics[type=Resource].resource.name",
                        "equals",
                        "cpu",
                    ),
                ),
            ),
        ),
    )


def pdb(name: str, ns: str, available: int) -> Recipe:
    """A PodDisruptionBudget with minAvailable."""
    doc = {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": _meta(name, ns),
        "spec": {"minAvailable": available, "selector": {"matchLabels": {"app": name}}},
    }
    ref = f"PodDisruptionBudget/{name}"
    needs = [
        *_kind_needs(doc, ""),
        _api_need(doc),
        Need(f"It covers the Pods labelled app={name}.", ref, "spec.selector", "selects", {"app": name}),
        Need(
            f"Voluntary evictions (such as a node drain) must leave at least {available} of them running.",
            ref,
            "spec.minAvailable",
            "equals",
            available,
        ),
    ]
    return Recipe(
        "pod-disruption-budget",
        f"Node maintenance keeps taking down too many {name} Pods at once.",
        (doc,),
        tuple(needs),
        (T + "pod-disruption-budget", T + "node-drain"),
        "A PodDisruptionBudget limits voluntary disruptions such as `kubectl drain` evictions: an eviction that "
        "would leave fewer than minAvailable matching Pods is refused until others are ready.",
        ("PodDisruptionBudget",),
        (
            Fault(
                (Edit(ref, "spec.minAvailable", to="maxUnavailable"),),
                ("spec.minAvailable",),
                f"maxUnavailable: {available} allows evictions while up to {available} of the Pods are "
                f"unavailable, however few are left running; minAvailable: {available} refuses an eviction that "
                f"would leave fewer than {available} available.",
            ),
        ),
    )


def priority_class(name: str, value: int) -> Recipe:
    """A PriorityClass that is not the default."""
    doc = {
        "apiVersion": "scheduling.k8s.io/v1",
        "kind": "PriorityClass",
        "metadata": {"name": name},
        "value": value,
        "globalDefault": False,
        "preemptionPolicy": "Never",
    }
    ref = f"PriorityClass/{name}"
    needs = [
        *_kind_needs(doc, ""),
        _api_need(doc),
        Need(f"Its priority value is {value}.", ref, "value", "equals", value),
        Need("Pods without a priority class do not get it.", ref, "globalDefault", "equals", False),
        Need(
            "Pods using it wait for room instead of evicting lower-priority Pods.",
            ref,
            "preemptionPolicy",
            "equals",
            "Never",
        ),
    ]
    return Recipe(
        "priority-class",
        f"Batch Pods using the class {name} should be scheduled ahead of others in the queue, but must not "
        "evict running Pods.",
        (doc,),
        tuple(needs),
        (T + "priority-class",),
        "A PriorityClass maps a name to an integer priority; preemptionPolicy: Never keeps its Pods ahead in "
        "the scheduling queue without preempting others, and globalDefault: false leaves other Pods alone.",
        ("PriorityClass",),
        (
            Fault(
                (Edit(ref, "preemptionPolicy", "PreemptLowerPriority"),),
                ("preemptionPolicy",),
                "preemptionPolicy PreemptLowerPriority (the default) lets the scheduler evict lower-priority Pods "
                "to make room for these; only Never keeps them waiting in the queue instead.",
            ),
        ),
    )


# ---------------------------------------------------------------- services and networking


def service(name: str, ns: str, port: int, target: int, kind: str, node_port: int | None = None) -> Recipe:
    """A ClusterIP or NodePort Service."""
    port_spec: dict = {"port": port, "targetPort": target, "protocol": "TCP"}
    if node_port:
        port_spec["nodePort"] = node_port
    doc = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": _meta(name, ns),
        "spec": {"type": kind, "selector": {"app": name}, "ports": [port_spec]},
    }
    ref = f"Service/{name}"
    needs = [
        *_kind_needs(doc, ""),
        Need(f"It sends traffic to the Pods labelled app={name}.", ref, "spec.selector", "selects", {"app": name}),
        Need(f"Clients connect to port {port}…", ref, "spec.ports[*].port", "equals", port),
        Need(
            f"…and the Pods receive it on port {target}.", ref, f"spec.ports[port={port}].targetPort", "equals", target
        ),
    ]
    about = [T + "k8s-service", T + "service-selector", T + "service-target-port"]
    if kind == "NodePort":
        needs.append(
            Need(
                f"It is also reachable on port {node_port} of every node.",
                ref,
                f"spec.ports[port={port}].nodePort",
                "equals",
                node_port,
            )
        )
        needs.append(
            Need(
                "Its type opens that port on the nodes and asks for no cloud load balancer.",
                ref,
                "spec.type",
                "equals",
                "NodePort",
            )
        )
        about.append(T + "nodeport-service")
        situation = f"Testers outside the cluster need to reach {name} through the nodes' addresses."
    else:
        needs += [
            Need(
                "It is reachable only from inside the cluster: no port on the nodes, no cloud load balancer…",
                ref,
                "spec.type",
                "equals",
                "ClusterIP",
            ),
            Need("…and no external IPs.", ref, "spec.externalIPs", "absent"),
            # a headless Service (clusterIP: None) gets no virtual IP: its name resolves to the Pods' own addresses
            Need(
                "Clients reach it on one virtual IP (it is not headless).", ref, "spec.clusterIP", "not_equals", "None"
            ),
        ]
        about.append(T + "clusterip-service")
        situation = f"Other workloads in the cluster call {name} by a stable name and port."
    inside = Need(  # true of every type but ExternalName: NodePort and LoadBalancer build on ClusterIP
        "Pods in the cluster can reach it on a virtual IP.",
        ref,
        "spec.type",
        "one_of",
        ["ClusterIP", "NodePort", "LoadBalancer"],
    )
    if kind == "NodePort":
        fault = Fault(
            (Edit(ref, "spec.type", "ClusterIP"), Edit(ref, f"spec.ports[port={port}].nodePort", DROP)),
            ("spec.type", f"spec.ports[port={port}].nodePort"),
            "A ClusterIP Service gets only a virtual IP inside the cluster and opens no port on the nodes; "
            "reaching it through a node's address takes type NodePort.",
            shows=(inside,),
        )
    else:
        fault = Fault(
            (Edit(ref, "spec.type", "NodePort"),),
            ("spec.type",),
            "A NodePort Service also opens a port on every node, so clients outside the cluster can reach it "
            "through any node's address; ClusterIP keeps it on a virtual IP inside the cluster.",
            shows=(inside,),
        )
    return Recipe(
        f"service-{kind.lower()}",
        situation,
        (doc,),
        tuple(needs),
        tuple(about),
        "A Service routes to the Pods its spec.selector matches; ports[].port is what clients use and "
        "targetPort the container port; a NodePort Service also opens ports[].nodePort (30000–32767 by "
        "default) on every node.",
        ("Service",),
        (fault,),
    )


def ingress(name: str, ns: str, host: str, path: str, backend: str, port: int) -> Recipe:
    """An Ingress rule routing a host and path prefix to a Service."""
    doc = {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": _meta(name, ns),
        "spec": {
            "ingressClassName": "nginx",
            "rules": [
                {
                    "host": host,
                    "http": {
                        "paths": [
                            {
                                "path": path,
                                "pathType": "Prefix",
                                "backend": {"service": {"name": backend, "port": {"number": port}}},
                            }
                        ]
                    },
                }
            ],
        },
    }
    ref = f"Ingress/{name}"
    rule = f'spec.rules[host="{host}"].http.paths[path="{path}"]'
    needs = [
        *_kind_needs(doc, ""),
        _api_need(doc),
        Need(
            "The Ingress controller of the IngressClass nginx handles it.",
            ref,
            "spec.ingressClassName",
            "equals",
            "nginx",
        ),
        Need(f"It routes requests for the host {host}.", ref, "spec.rules[*].host", "equals", host),
        Need(
            f"A request matches whether its path is {path} itself or a path under it ({path}/…).",
            ref,
            f"{rule}.pathType",
            "equals",
            "Prefix",
        ),
        Need(f"Matching requests go to the Service {backend}…", ref, f"{rule}.backend.service.name", "equals", backend),
        Need(f"…on its port {port}.", ref, f"{rule}.backend.service.port.number", "equals", port),
    ]
    exact = Fault(
        (Edit(ref, f"{rule}.pathType", "Exact"),),
        (f"{rule}.pathType",),
        f"pathType Exact matches the path {path} only, so a request for a path below it is not routed; Prefix "
        f"matches {path} and every path below it, element by element.",
        shows=(
            Need(
                f"A request for the path {path} itself matches the rule.",
                ref,
                f"{rule}.pathType",
                "one_of",
                ["Exact", "Prefix"],
            ),
        ),
    )
    return Recipe(
        "ingress",
        f"The {backend} Service must be published at http://{host}{path} through the cluster's NGINX Ingress "
        "controller.",
        (doc,),
        tuple(needs),
        (T + "ingress", T + "ingress-class", T + "ingress-path-type", T + "path-type-prefix"),
        "An Ingress rule matches a host and a path; pathType Prefix matches by path elements split on /; "
        "backend.service names the Service and its port (by number or name); ingressClassName picks the "
        "controller.",
        ("Ingress",),
        (exact,),
    )


def _ingress_policy(name: str, ns: str, target: str, peer: dict, port: int) -> tuple[dict, str, list[Need]]:
    """A NetworkPolicy letting one peer reach the Pods labelled app=``target`` on one TCP port, and the
    requirements every such policy has (the kind, the API version, the Pods it selects, Ingress)."""
    doc = {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": _meta(name, ns),
        "spec": {
            "podSelector": {"matchLabels": {"app": target}},
            "policyTypes": ["Ingress"],
            "ingress": [{"from": [peer], "ports": [{"protocol": "TCP", "port": port}]}],
        },
    }
    ref = f"NetworkPolicy/{name}"
    needs = [
        *_kind_needs(doc, ""),
        _api_need(doc),
        Need(f"It applies to the Pods labelled app={target}.", ref, "spec.podSelector", "selects", {"app": target}),
        # a policy isolates its Pods for incoming traffic only when its policy types (given, or defaulted from
        # its rules: NetworkPolicySpec.policyTypes) include Ingress; otherwise its ingress rules change nothing
        Need(
            "It isolates those Pods for incoming traffic (its policy types include Ingress).",
            ref,
            "spec.policyTypes",
            "contains",
            "Ingress",
        ),
        Need("It has a single ingress rule, so what follows all holds together.", ref, "spec.ingress", "length", 1),
        Need("That rule admits one kind of peer…", ref, "spec.ingress[*].from", "length", 1),
        Need("…on one port, not a range.", ref, "spec.ingress[*].ports[*].endPort", "absent"),
        Need(f"The rule opens port {port} and no other port.", ref, "spec.ingress[*].ports", "length", 1),
    ]
    return doc, ref, needs


def network_policy_allow(name: str, ns: str, target: str, client: str, port: int) -> Recipe:
    """Allow ingress to some Pods from other Pods on one port."""
    doc, ref, needs = _ingress_policy(name, ns, target, {"podSelector": {"matchLabels": {"app": client}}}, port)
    needs += [
        Need(
            f"Only Pods labelled app={client} in the same namespace may connect…",
            ref,
            "spec.ingress[*].from[*].podSelector",
            "selects",
            {"app": client},
        ),
        Need(
            "…(the peer names no namespaces, so only the policy's own)…",
            ref,
            "spec.ingress[*].from[*].namespaceSelector",
            "absent",
        ),
        Need(f"…and only to TCP port {port}.", ref, "spec.ingress[*].ports[protocol=TCP].port", "equals", port),
    ]
    return Recipe(
        "network-policy-allow",
        f"In namespace {ns}, only the {client} Pods may talk to the {target} Pods, and only on the service port.",
        (doc,),
        tuple(needs),
        (T + "network-policy", T + "network-policy-pod-selector", T + "network-policy-types"),
        "A NetworkPolicy selects Pods with spec.podSelector; once selected for Ingress, a Pod accepts only "
        "connections some rule allows: a from entry with a podSelector alone means Pods of the policy's own "
        "namespace, and ports limits the destination ports.",
        ("NetworkPolicy",),
    )


def network_policy_deny(ns: str) -> Recipe:
    """A default-deny ingress policy for a namespace."""
    doc = {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": _meta("default-deny-ingress", ns),
        "spec": {"podSelector": {}, "policyTypes": ["Ingress"]},
    }
    ref = "NetworkPolicy/default-deny-ingress"
    needs = [
        *_kind_needs(doc, ""),
        _api_need(doc),
        Need("It selects every Pod of the namespace.", ref, "spec.podSelector", "equals", {}),
        Need(
            "It isolates them for incoming traffic (its policy types include Ingress).",
            ref,
            "spec.policyTypes",
            "contains",
            "Ingress",
        ),
        Need("It allows no incoming connection (it has no ingress rules).", ref, "spec.ingress", "absent"),
    ]
    return Recipe(
        "network-policy-default-deny",
        f"The namespace {ns} must start from zero trust: no Pod in it accepts connections unless a later "
        "policy allows them.",
        (doc,),
        tuple(needs),
        (T + "network-policy", T + "default-deny-network-policy", T + "network-policy-types"),
        "An empty podSelector selects every Pod of the namespace; with policyTypes [Ingress] and no ingress "
        "rules, nothing is allowed in. Policies are additive, so later ones can open specific paths.",
        ("NetworkPolicy",),
    )


def network_policy_namespace(name: str, ns: str, target: str, source_ns: str, port: int) -> Recipe:
    """Allow ingress from every Pod of another namespace."""
    peer = {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": source_ns}}}
    doc, ref, needs = _ingress_policy(name, ns, target, peer, port)
    needs += [
        Need(
            f"Any Pod of the namespace {source_ns} may connect (selected by the namespace's automatic name label)…",
            ref,
            'spec.ingress[*].from[*].namespaceSelector.matchLabels."kubernetes.io/metadata.name"',
            "equals",
            source_ns,
        ),
        # a podSelector beside the namespaceSelector would admit only the Pods of that namespace it selects; an
        # empty one changes nothing and is read as left out
        Need(
            "…whatever labels the Pod carries (the peer selects no Pods by label)…",
            ref,
            "spec.ingress[*].from[*].podSelector",
            "absent",
        ),
        Need(f"…to TCP port {port} only.", ref, "spec.ingress[*].ports[protocol=TCP].port", "equals", port),
    ]
    return Recipe(
        "network-policy-namespace",
        f"Prometheus in the namespace {source_ns} must scrape the {target} Pods in {ns} on TCP port {port}; nothing "
        "else changes.",
        (doc,),
        tuple(needs),
        (T + "network-policy", T + "network-policy-namespace-selector"),
        "A from entry with only a namespaceSelector admits every Pod of the matching namespaces; every "
        "namespace carries the label kubernetes.io/metadata.name set to its name. A rule's ports lists the "
        "destination ports it opens, each a single port unless endPort makes it a range; a rule without ports "
        "opens every port.",
        ("NetworkPolicy",),
    )


# ---------------------------------------------------------------- storage


def persistent_volume(name: str, size: str, path: str, policy: str) -> Recipe:
    """A hostPath PersistentVolume with a reclaim policy."""
    doc = {
        "apiVersion": "v1",
        "kind": "PersistentVolume",
        "metadata": {"name": name},
        "spec": {
            "capacity": {"storage": size},
            "accessModes": ["ReadWriteOnce"],
            "persistentVolumeReclaimPolicy": policy,
            "storageClassName": "manual",
            "hostPath": {"path": path},
        },
    }
    ref = f"PersistentVolume/{name}"
    needs = [
        *_kind_needs(doc, ""),
        Need(f"It offers {size} of storage.", ref, "spec.capacity.storage", "equals", size),
        Need("One node at a time may mount it read-write.", ref, "spec.accessModes", "contains", "ReadWriteOnce"),
        Need(
            "When its claim is deleted, the volume and its data stay for an administrator to reclaim."
            if policy == "Retain"
            else "It is deleted with its data when its claim is deleted.",
            ref,
            "spec.persistentVolumeReclaimPolicy",
            "equals",
            policy,
        ),
        Need(
            "Only claims asking for the StorageClass manual bind to it.",
            ref,
            "spec.storageClassName",
            "equals",
            "manual",
        ),
        Need(f"Its data lives in the node directory {path}.", ref, "spec.hostPath.path", "equals", path),
    ]
    return Recipe(
        "persistent-volume",
        f"A single-node test cluster needs a volume backed by the directory {path}, provisioned by hand.",
        (doc,),
        tuple(needs),
        (
            T + "persistent-volume",
            T + "static-volume-provisioning",
            T + "hostpath-volume",
            T + "access-mode-rwo",
            T + ("reclaim-retain" if policy == "Retain" else "reclaim-delete"),
        ),
        "A statically provisioned PersistentVolume states its capacity, access modes and reclaim policy; "
        "Retain keeps the volume and its data after the claim goes, for an administrator to reclaim; Delete "
        "removes them where the volume plugin supports it.",
        ("PersistentVolume",),
        (
            Fault(
                (Edit(ref, "spec.persistentVolumeReclaimPolicy", "Recycle"),),
                ("spec.persistentVolumeReclaimPolicy",),
                "persistentVolumeReclaimPolicy Recycle (deprecated; hostPath and NFS volumes support it) scrubs "
                "the volume, removing every file in it, once its claim is deleted, and offers it to the next "
                "claim; only Retain leaves the volume and its data for an administrator to reclaim.",
            ),
        )
        if policy == "Retain"
        else (),
    )


def pvc_and_pod(name: str, ns: str, image: str, size: str, sc: str, path: str) -> Recipe:
    """A claim and a Pod that mounts it."""
    claim = {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": _meta(f"{name}-data", ns),
        "spec": {
            "accessModes": ["ReadWriteOnce"],
            "storageClassName": sc,
            "resources": {"requests": {"storage": size}},
        },
    }
    pod = _pod(
        name,
        ns,
        [_c(name, image, volumeMounts=[{"name": "data", "mountPath": path}])],
        volumes=[{"name": "data", "persistentVolumeClaim": {"claimName": f"{name}-data"}}],
    )
    cref, pref = f"PersistentVolumeClaim/{name}-data", f"Pod/{name}"
    needs = [
        *_kind_needs(claim, ""),
        Need(f"The claim asks for {size}…", cref, "spec.resources.requests.storage", "equals", size),
        Need(f"…from the StorageClass {sc}.", cref, "spec.storageClassName", "equals", sc),
        Need(
            "The claim can be mounted read-write by one node at a time.",
            cref,
            "spec.accessModes",
            "contains",
            "ReadWriteOnce",
        ),
        *_kind_needs(pod, " with a container of the same name"),
        Need(f"The container runs the image {image}.", pref, f"spec.containers[name={name}].image", "equals", image),
        Need(
            f"The Pod mounts the claim {name}-data as its volume data.",
            pref,
            "spec.volumes[name=data].persistentVolumeClaim.claimName",
            "equals",
            f"{name}-data",
        ),
        Need(
            f"The container sees that volume at {path}.",
            pref,
            f"spec.containers[name={name}].volumeMounts[name=data].mountPath",
            "equals",
            path,
        ),
    ]
    template = {"spec": {k: v for k, v in claim["spec"].items()}}
    faults = (
        Fault(
            (
                Edit(
                    pref,
                    "spec.volumes[name=data].persistentVolumeClaim",
                    {"volumeClaimTemplate": template},
                    to="ephemeral",
                ),
            ),
            ("spec.volumes[name=data].persistentVolumeClaim.claimName",),
            "An ephemeral volume gets a claim of its own, made from the template for this Pod and deleted with "
            f"it, so it keeps nothing after the Pod; its claim would even be named {name}-data, clash with the "
            "claim already there and keep the Pod from starting. A persistentVolumeClaim volume mounts the "
            "existing claim.",
        ),
        Fault(
            (Edit(cref, "spec.resources", {"storage": size}, to="capacity"),),
            ("spec.resources.requests.storage",),
            "A claim asks for its size under spec.resources.requests; spec.capacity is a PersistentVolume's "
            "field, and the API refuses it in a claim.",
            schema=True,
        ),
    )
    return Recipe(
        "pvc-pod",
        f"{name} loses its uploads whenever its Pod is replaced; give it storage that outlives the Pod.",
        (claim, pod),
        tuple(needs),
        (T + "persistent-volume-claim", T + "volume-mounts", T + "storage-class", T + "access-mode-rwo"),
        "A PersistentVolumeClaim requests storage of a class and access mode; a Pod refers to it by "
        "claimName in spec.volumes and mounts it with volumeMounts.",
        ("PersistentVolumeClaim", "Pod"),
        faults,
    )


def storage_class(name: str, provisioner: str) -> Recipe:
    """A StorageClass with delayed binding, expansion and Retain."""
    doc = {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": {"name": name},
        "provisioner": provisioner,
        "reclaimPolicy": "Retain",
        "volumeBindingMode": "WaitForFirstConsumer",
        "allowVolumeExpansion": True,
    }
    ref = f"StorageClass/{name}"
    needs = [
        *_kind_needs(doc, ""),
        _api_need(doc),
        Need(f"Volumes are created by the provisioner {provisioner}.", ref, "provisioner", "equals", provisioner),
        Need("Volumes it creates survive the deletion of their claims.", ref, "reclaimPolicy", "equals", "Retain"),
        Need(
            "A volume is created only once a Pod using the claim is scheduled, in that Pod's zone.",
            ref,
            "volumeBindingMode",
            "equals",
            "WaitForFirstConsumer",
        ),
        Need("Claims of this class may be enlarged later.", ref, "allowVolumeExpansion", "equals", True),
    ]
    return Recipe(
        "storage-class",
        f"Volumes of the class {name} keep being created in a zone where the Pod cannot run, and the team wants "
        "to keep data after a claim is deleted.",
        (doc,),
        tuple(needs),
        (
            T + "storage-class",
            T + "binding-wait-for-first-consumer",
            T + "volume-binding-mode",
            T + "reclaim-retain",
            T + "pvc-expansion",
            T + "storage-class-provisioner",
        ),
        "volumeBindingMode WaitForFirstConsumer delays provisioning until a Pod using the claim is scheduled; "
        "reclaimPolicy (default Delete) applies to dynamically created volumes; allowVolumeExpansion permits "
        "resizing claims.",
        ("StorageClass",),
        (
            Fault(
                (Edit(ref, "volumeBindingMode", "Immediate"),),
                ("volumeBindingMode",),
                "volumeBindingMode Immediate provisions the volume as soon as the claim is created, before any "
                "Pod using it is scheduled, so it can land in a zone the Pod cannot run in; WaitForFirstConsumer "
                "waits for the Pod.",
            ),
            Fault(
                (Edit(ref, "reclaimPolicy", "Delete"),),
                ("reclaimPolicy",),
                "reclaimPolicy Delete (the default) deletes a volume the class created once its claim is "
                "deleted; only Retain keeps it.",
            ),
        ),
    )


# ---------------------------------------------------------------- access control and policy


def role_and_binding(ns: str, sa: str, resource: str, verbs: list[str]) -> Recipe:
    """A Role and a RoleBinding to a ServiceAccount."""
    role_name = f"{resource}-reader" if set(verbs) <= {"get", "list", "watch"} else f"{resource}-editor"
    role = {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "Role",
        "metadata": _meta(role_name, ns),
        "rules": [{"apiGroups": [""], "resources": [resource], "verbs": verbs}],
    }
    binding = {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "RoleBinding",
        "metadata": _meta(f"{sa}-{role_name}", ns),
        "subjects": [{"kind": "ServiceAccount", "name": sa, "namespace": ns}],
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": role_name},
    }
    rref, bref = f"Role/{role_name}", f"RoleBinding/{sa}-{role_name}"
    shown = ", ".join(verbs)
    needs = [
        *_kind_needs(role, ""),
        *_verb_needs(rref, resource, verbs),
        Need(
            f"Its rule for {resource} names the API group {resource} belong to.",
            rref,
            f"rules[resources={resource}].apiGroups",
            "contains",
            "",
        ),
        *_kind_needs(binding, ""),
        Need(f"The binding grants the Role {role_name}…", bref, "roleRef.name", "equals", role_name),
        Need("…(a Role, not a ClusterRole)…", bref, "roleRef.kind", "equals", "Role"),
        # a ServiceAccount subject is the account of one namespace (the binding's own when it names none), so the
        # namespace is part of who is granted: appliesToUser of pkg/registry/rbac/validation/rule.go
        Need(
            f"…to the ServiceAccount {sa} of the namespace {ns}.",
            bref,
            "subjects",
            "contains",
            {"kind": "ServiceAccount", "name": sa, "namespace": ns},
        ),
    ]
    return Recipe(
        "rbac-role-binding",
        f"The CI job running as the ServiceAccount {sa} in {ns} needs to {shown} {resource} there.",
        (role, binding),
        tuple(needs),
        (T + "rbac", T + "role", T + "rolebinding", T + "service-account"),
        "A Role grants verbs on resources inside its namespace and a RoleBinding gives it to subjects; the verbs "
        "of a rule are a set, in any order, and may be spread over several rules. Core resources such as pods "
        'have the API group "".',
        ("Role", "RoleBinding"),
        (
            _core_group_fault(
                rref,
                resource,
                Need(f"The binding names the Role {role_name}.", bref, "roleRef.name", "equals", role_name),
            ),
        ),
    )


def _core_group_fault(ref: str, resource: str, granted: Need) -> Fault:
    """A rule for a core resource that names the core group's version instead of the group; ``granted`` says
    whom the binding gives the role to, which stays true."""
    return Fault(
        (Edit(ref, f"rules[resources={resource}].apiGroups", ["v1"]),),
        (f"rules[resources={resource}].apiGroups",),
        f'The core API group, which holds {resource}, is named "" in a rule; v1 is that group\'s version, not a '
        f"group, so the rule matches no request for {resource}.",
        moot=(f"rules[resources={resource}].verbs",),
        shows=(granted,),
    )


def _verb_needs(ref: str, resource: str, verbs: list[str]) -> list[Need]:
    """One requirement per verb: some rule for the resource allows it (verbs are a set, rules may be split)."""
    return [
        Need(f"It allows {verb} on {resource}.", ref, f"rules[resources={resource}].verbs", "contains", verb)
        for verb in verbs
    ]


def _group_name(group: str) -> str:
    return group or 'core ("")'


def cluster_role_binding(user: str, resource: str, group: str, verbs: list[str]) -> Recipe:
    """A ClusterRole on a cluster-scoped resource and its binding to a user."""
    name = f"{resource}-viewer"
    role = {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRole",
        "metadata": {"name": name},
        "rules": [{"apiGroups": [group], "resources": [resource], "verbs": verbs}],
    }
    binding = {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRoleBinding",
        "metadata": {"name": f"{user}-{name}"},
        "subjects": [{"kind": "User", "name": user, "apiGroup": "rbac.authorization.k8s.io"}],
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": name},
    }
    rref, bref = f"ClusterRole/{name}", f"ClusterRoleBinding/{user}-{name}"
    shown = ", ".join(verbs)
    needs = [
        *_kind_needs(role, ""),
        *_verb_needs(rref, resource, verbs),
        Need(
            f"Its rule for {resource} names the API group {resource} belong to."
            if group == ""
            else f"A rule for {resource} is for the {_group_name(group)} API group.",
            rref,
            f"rules[resources={resource}].apiGroups",
            "contains",
            group,
        ),
        *_kind_needs(binding, ""),
        Need(
            f"The binding grants the ClusterRole {name} in every namespace and at cluster scope…",
            bref,
            "roleRef.kind",
            "equals",
            "ClusterRole",
        ),
        Need(f"…the ClusterRole {name}…", bref, "roleRef.name", "equals", name),
        Need(f"…to the user {user}.", bref, f"subjects[name={user}].kind", "equals", "User"),
    ]
    return Recipe(
        "rbac-cluster-role-binding",
        f"The on-call engineer {user} must be able to {shown} {resource}, which are not namespaced.",
        (role, binding),
        tuple(needs),
        (T + "rbac", T + "clusterrole", T + "clusterrolebinding"),
        "Cluster-scoped resources such as nodes and persistentvolumes can only be granted by a ClusterRole bound "
        "with a ClusterRoleBinding; a RoleBinding would grant it inside one namespace only.",
        ("ClusterRole", "ClusterRoleBinding"),
        (
            _core_group_fault(
                rref, resource, Need(f"The binding names the ClusterRole {name}.", bref, "roleRef.name", "equals", name)
            ),
        )
        if group == ""
        else (),
    )


def resource_quota(ns: str, pods: int, cpu: str, memory: str) -> Recipe:
    """A ResourceQuota on Pods and requests."""
    doc = {
        "apiVersion": "v1",
        "kind": "ResourceQuota",
        "metadata": _meta(f"{ns}-quota", ns),
        "spec": {"hard": {"pods": str(pods), "requests.cpu": cpu, "requests.memory": memory}},
    }
    ref = f"ResourceQuota/{ns}-quota"
    needs = [
        *_kind_needs(doc, ""),
        # a quota with scopes (or a scopeSelector) counts only the Pods that match them
        # (https://kubernetes.io/docs/concepts/policy/resource-quotas/#quota-scopes), not all of the namespace's
        Need("It counts every Pod of the namespace (it has no scopes)…", ref, "spec.scopes", "absent"),
        Need(
            "…nor only the Pods a scope selector picks (such as those of one priority class).",
            ref,
            "spec.scopeSelector",
            "absent",
        ),
        Need(f"At most {pods} Pods may exist in the namespace.", ref, "spec.hard.pods", "equals", str(pods)),
        Need(
            f"The CPU requests of all its Pods add up to at most {cpu}.", ref, 'spec.hard."requests.cpu"', "equals", cpu
        ),
        Need(
            f"The memory requests of all its Pods add up to at most {memory}.",
            ref,
            'spec.hard."requests.memory"',
            "equals",
            memory,
        ),
    ]
    return Recipe(
        "resource-quota",
        f"The team namespace {ns} must not take more than its share of the cluster.",
        (doc,),
        tuple(needs),
        (T + "resource-quota", T + "namespace"),
        "A ResourceQuota caps totals per namespace (object counts such as pods, sums of requests and limits); "
        "once requests.cpu or requests.memory is capped, a Pod that sets no such request is rejected unless a "
        "LimitRange supplies a default.",
        ("ResourceQuota",),
        (
            Fault(
                (Edit(ref, 'spec.hard."requests.cpu"', to="limits.cpu"),),
                ('spec.hard."requests.cpu"',),
                f"limits.cpu caps the sum of the Pods' CPU limits, not of their requests, so the requests may add "
                f"up to more than {cpu}; the requests are capped by requests.cpu (or cpu).",
                shows=(
                    Need(
                        f"The CPU limits of all its Pods add up to at most {cpu}.",
                        ref,
                        'spec.hard."limits.cpu"',
                        "equals",
                        cpu,
                    ),
                ),
            ),
        ),
    )


def limit_range(ns: str, cpu: str, memory: str, max_memory: str) -> Recipe:
    """A LimitRange with defaults for containers."""
    doc = {
        "apiVersion": "v1",
        "kind": "LimitRange",
        "metadata": _meta(f"{ns}-defaults", ns),
        "spec": {
            "limits": [
                {
                    "type": "Container",
                    "defaultRequest": {"cpu": cpu, "memory": memory},
                    "default": {"memory": memory},
                    "max": {"memory": max_memory},
                }
            ]
        },
    }
    ref = f"LimitRange/{ns}-defaults"
    base = "spec.limits[type=Container]"
    needs = [
        *_kind_needs(doc, ""),
        Need(
            f"A container that sets no requests or limits gets a CPU request of {cpu}…",
            ref,
            f"{base}.defaultRequest.cpu",
            "equals",
            cpu,
        ),
        Need(f"…and a memory request of {memory}.", ref, f"{base}.defaultRequest.memory", "equals", memory),
        Need(
            f"A container without a memory limit gets one of {memory}.", ref, f"{base}.default.memory", "equals", memory
        ),
        Need(
            f"No container may set a memory limit above {max_memory}.", ref, f"{base}.max.memory", "equals", max_memory
        ),
    ]
    return Recipe(
        "limit-range",
        f"Developers in {ns} often forget resource settings; give their containers sensible ones and cap the largest.",
        (doc,),
        tuple(needs),
        (T + "limit-range", T + "resource-limits", T + "admission-controller"),
        "A LimitRange's admission step fills in defaultRequest and default (limits) for containers that do not "
        "set them and rejects containers above max, at creation time; it does not change running Pods.",
        ("LimitRange",),
        (
            Fault(
                (Edit(ref, f"{base}.default", DROP),),
                (f"{base}.default.memory",),
                # SetDefaults_LimitRangeItem (kubernetes pkg/apis/core/v1/defaults.go): a Container limit's
                # missing default is filled in from max
                f"defaultRequest only fills in a missing request; the limit a container gets when it sets none "
                f"comes from default, which the manifest leaves out, so the API server fills default in from "
                f"max: such a container gets a {max_memory} memory limit, not one of {memory}.",
                shows=(
                    Need(
                        f"A container that sets no memory request or limit gets a memory request of {memory}.",
                        ref,
                        f"{base}.defaultRequest.memory",
                        "equals",
                        memory,
                    ),
                ),
            ),
        ),
    )


def namespace_pod_security(ns: str, level: str) -> Recipe:
    """A namespace labelled for Pod Security Admission."""
    doc = {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": ns, "labels": {"pod-security.kubernetes.io/enforce": level}},
    }
    ref = f"Namespace/{ns}"
    needs = [
        *_kind_needs(doc, ""),
        Need(
            f"Pod Security Admission rejects Pods there that break the {level} standard.",
            ref,
            'metadata.labels."pod-security.kubernetes.io/enforce"',
            "equals",
            level,
        ),
    ]
    return Recipe(
        "namespace-pod-security",
        f"Every Pod created in the new namespace {ns} must meet the {level} Pod Security Standard; violations are "
        "refused, not just reported.",
        (doc,),
        tuple(needs),
        (T + "namespace", T + "pod-security-admission", T + "admission-controller"),
        "The built-in Pod Security Admission controller reads namespace labels "
        "pod-security.kubernetes.io/<mode>: <level>; mode enforce rejects violating Pods, while audit and warn "
        "only record or warn.",
        ("Namespace",),
        (
            Fault(
                (
                    Edit(
                        ref,
                        'metadata.labels."pod-security.kubernetes.io/enforce"',
                        to="pod-security.kubernetes.io/warn",
                    ),
                ),
                ('metadata.labels."pod-security.kubernetes.io/enforce"',),
                "The warn mode only sends the client a warning and the Pod is still created; only the enforce mode "
                "rejects Pods that break the level.",
            ),
        ),
    )


def configmap(name: str, ns: str, data: dict[str, str]) -> Recipe:
    """A ConfigMap with keys."""
    doc = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": _meta(name, ns), "data": data}
    ref = f"ConfigMap/{name}"
    needs = [*_kind_needs(doc, "")]
    for key, value in data.items():
        needs.append(Need(f"Its key {key} holds {value}.", ref, f'data."{key}"', "equals", value))
    return Recipe(
        "configmap",
        f"The settings of {name} must live outside the image so operators can change them.",
        (doc,),
        tuple(needs),
        (T + "configmap",),
        "A ConfigMap's data holds string keys and values (binaryData holds bytes); Pods read them as "
        "environment variables or as files of a volume.",
        ("ConfigMap",),
        (
            Fault(
                (Edit(ref, "data", {"data": data}, to="spec"),),
                tuple(f'data."{key}"' for key in data),
                "A ConfigMap has no spec: its keys sit in the top-level data field (binaryData for bytes), and the "
                "API refuses a spec in a ConfigMap.",
                schema=True,
            ),
        ),
    )


RECIPES: tuple[tuple[Callable[..., Recipe], tuple[tuple, ...]], ...] = (
    (
        deployment_basic,
        (
            ("web", "shop", "nginx:1.27", 3),
            ("api", "payments", "httpd:2.4", 4),
            ("frontend", "store", "nginx:1.27-alpine", 2),
        ),
    ),
    (
        deployment_rolling,
        (
            ("web", "shop", "nginx:1.27", 4, 1, 0),
            ("api", "payments", "httpd:2.4", 6, 2, 1),
            ("catalog", "store", "nginx:1.27", 5, 1, 1),
        ),
    ),
    (deployment_recreate, (("ledger", "finance", "postgres:17", 1), ("legacy", "ops", "httpd:2.4", 2))),
    (
        deployment_resources,
        (
            ("web", "shop", "nginx:1.27", "250m", "128Mi", "256Mi"),
            ("api", "payments", "httpd:2.4", "500m", "256Mi", "512Mi"),
            ("worker", "batch", "python:3.13", "1", "1Gi", "2Gi"),
        ),
    ),
    (
        deployment_readiness,
        (
            ("web", "shop", "nginx:1.27", "/healthz", 8080, 5),
            ("api", "payments", "httpd:2.4", "/ready", 8000, 10),
            ("search", "store", "nginx:1.27", "/status", 9090, 15),
        ),
    ),
    (
        pod_liveness_exec,
        (("worker", "batch", "busybox:1.37", "/tmp/healthy", 5), ("poller", "ops", "busybox:1.37", "/tmp/alive", 10)),
    ),
    (pod_startup_tcp, (("legacy-app", "ops", "tomcat:11.0", 8080, 30), ("broker", "queue", "rabbitmq:4.1", 5672, 20))),
    (
        pod_env_configmap,
        (
            ("web", "shop", "nginx:1.27", "LOG_LEVEL", "web-config", "log.level"),
            ("api", "payments", "python:3.13", "DB_HOST", "api-settings", "database.host"),
        ),
    ),
    (
        pod_envfrom_secret,
        (("api", "payments", "python:3.13", "db-credentials"), ("billing", "finance", "node:22", "billing-secrets")),
    ),
    (
        pod_configmap_volume,
        (
            ("web", "shop", "nginx:1.27", "nginx-conf", "/etc/nginx/conf.d"),
            ("proxy", "edge", "haproxy:3.1", "haproxy-config", "/usr/local/etc/haproxy"),
        ),
    ),
    (
        pod_sidecar_logs,
        (("app", "shop", "nginx:1.27", "/var/log/app"), ("billing", "finance", "python:3.13", "/var/log/billing")),
    ),
    (pod_init_wait, (("api", "payments", "python:3.13", "postgres"), ("orders", "shop", "node:22", "orders-db"))),
    (pod_native_sidecar, (("checkout", "shop", "node:22"), ("ledger", "finance", "python:3.13"))),
    (
        pod_security,
        (
            ("api", "payments", "python:3.13", 1000),
            ("web", "shop", "nginx:1.27", 101),
            ("reports", "finance", "node:22", 2000),
        ),
    ),
    (
        pod_node_selector,
        (("trainer", "ml", "python:3.13", "accelerator", "gpu"), ("cache", "shop", "redis:7.4", "disktype", "ssd")),
    ),
    (
        pod_toleration,
        (
            ("trainer", "ml", "python:3.13", "dedicated", "gpu", "NoSchedule"),
            ("ingest", "data", "python:3.13", "workload", "batch", "NoExecute"),
        ),
    ),
    (
        pod_node_affinity,
        (
            ("reports", "finance", "python:3.13", "topology.kubernetes.io/zone", ["eu-west-1a", "eu-west-1b"]),
            ("cache", "shop", "redis:7.4", "node.kubernetes.io/instance-type", ["m7i.large"]),
        ),
    ),
    (
        pod_service_account,
        (("reports", "finance", "python:3.13", "reports-runner"), ("web", "shop", "nginx:1.27", "web-frontend")),
    ),
    (
        job_parallel,
        (("resize-images", "media", "python:3.13", 8, 2, 4), ("export-shards", "data", "python:3.13", 12, 3, 6)),
    ),
    (
        cronjob,
        (
            ("nightly-backup", "ops", "postgres:17", "0 2 * * *", "every day at 02:00", "Forbid"),
            ("cache-warmup", "shop", "curlimages/curl:8.11.1", "*/15 * * * *", "every 15 minutes", "Replace"),
        ),
    ),
    (
        statefulset,
        (
            ("db", "shop", "postgres:17", 3, "10Gi", "fast-ssd"),
            ("queue", "messaging", "rabbitmq:4.1", 3, "5Gi", "standard"),
        ),
    ),
    (
        daemonset,
        (
            ("node-exporter", "monitoring", "prom/node-exporter:v1.9.1"),
            ("log-agent", "logging", "fluent/fluent-bit:4.0"),
        ),
    ),
    (hpa, (("web", "shop", 2, 10, 70), ("api", "payments", 3, 12, 60))),
    (pdb, (("web", "shop", 2), ("db", "payments", 1))),
    (priority_class, (("batch-high", 100000), ("reports-urgent", 50000))),
    (
        service,
        (
            ("web", "shop", 80, 8080, "ClusterIP"),
            ("api", "payments", 443, 8443, "ClusterIP"),
            ("web", "staging", 80, 8080, "NodePort", 30080),
            ("grafana", "monitoring", 3000, 3000, "NodePort", 31300),
        ),
    ),
    (
        ingress,
        (
            ("shop-api", "shop", "shop.example.com", "/api", "api", 8080),
            ("docs", "web", "docs.example.com", "/v2", "docs-v2", 80),
            ("grafana", "monitoring", "ops.example.com", "/grafana", "grafana", 3000),
        ),
    ),
    (network_policy_allow, (("api-to-db", "shop", "db", "api", 5432), ("web-to-cache", "store", "cache", "web", 6379))),
    (network_policy_deny, (("payments",), ("finance",))),
    (
        network_policy_namespace,
        (
            ("allow-monitoring", "shop", "web", "monitoring", 9113),
            ("allow-ingress-nginx", "store", "frontend", "ingress-nginx", 8080),
        ),
    ),
    (persistent_volume, (("pv-data", "5Gi", "/mnt/data", "Retain"), ("pv-cache", "2Gi", "/mnt/cache", "Retain"))),
    (
        pvc_and_pod,
        (
            ("uploads", "shop", "nginx:1.27", "1Gi", "standard", "/usr/share/nginx/html/uploads"),
            ("reports", "finance", "python:3.13", "5Gi", "fast-ssd", "/srv/reports"),
        ),
    ),
    (storage_class, (("zonal-ssd", "ebs.csi.aws.com"), ("standard-retain", "pd.csi.storage.gke.io"))),
    (
        role_and_binding,
        (
            ("ci", "deployer", "pods", ["get", "list", "watch"]),
            ("shop", "config-sync", "configmaps", ["get", "list", "update", "patch"]),
            ("payments", "log-reader", "pods", ["get", "list"]),
        ),
    ),
    (
        cluster_role_binding,
        (("jane", "nodes", "", ["get", "list", "watch"]), ("omar", "persistentvolumes", "", ["get", "list"])),
    ),
    (resource_quota, (("team-a", 20, "4", "8Gi"), ("team-b", 50, "10", "32Gi"))),
    (limit_range, (("team-a", "100m", "128Mi", "1Gi"), ("team-b", "250m", "256Mi", "2Gi"))),
    (namespace_pod_security, (("payments", "restricted"), ("tools", "baseline"))),
    (
        configmap,
        (
            ("web-config", "shop", {"log.level": "info", "cache.ttl": "300"}),
            ("api-settings", "payments", {"database.host": "postgres", "database.port": "5432"}),
        ),
    ),
)


def recipes() -> Iterator[Recipe]:
    """Every recipe with every parameter set."""
    for build, params in RECIPES:
        for args in params:
            yield build(*args)
