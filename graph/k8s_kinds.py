"""The Kubernetes API kinds the graph describes, with the pages that state their facts.

The kinds are those the CKA and CKAD curricula work with. Endpoints is left out: its v1.35 schema marks it
deprecated in favour of EndpointSlice. Lease is left out too: no curriculum competency asks for it.

For each kind:

* ``page``: its Kubernetes API reference page for v1.35, as the reference generator lays the site out
  (kubernetes-sigs/reference-docs ``gen-resourcesdocs/config/v1.35/toc.yaml``, commit 76972d42): the part
  ("workload-resources") and the chapter file ("deployment-v1"). That page also states ``plural`` and
  ``namespaced``: its HTTP requests address the kind as ``.../namespaces/{namespace}/<plural>`` when it is
  namespaced and as ``.../<plural>`` otherwise.
* ``concept``: the kubernetes.io concept page that the own-words ``definition`` was checked against.
* ``topic``: the graph's concept topic that is plainly the same thing, if there is one.
"""

from __future__ import annotations

from dataclasses import dataclass

REFERENCE = "https://kubernetes.io/docs/reference/kubernetes-api/"
DOCS = "https://kubernetes.io/docs/"


@dataclass(frozen=True)
class Kind:
    """One API kind as the graph records it."""

    kind: str
    group: str  # "" for the core group
    version: str
    plural: str
    namespaced: bool
    page: str  # reference page below REFERENCE, e.g. "workload-resources/deployment-v1"
    concept: str  # concept page below DOCS
    definition: str
    topic: str | None = None  # slug of the same concept's topic node

    @property
    def api_version(self) -> str:
        """What a manifest writes in ``apiVersion``: ``apps/v1``, or ``v1`` for the core group."""
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def slug(self) -> str:
        """The local name of the kind's IRI: group (``core`` for the core group), version and kind.

        ``apps-v1-Deployment``, ``core-v1-Pod``, ``rbac.authorization.k8s.io-v1-Role``.
        """
        return f"{self.group or 'core'}-{self.version}-{self.kind}"

    @property
    def reference_url(self) -> str:
        """The kind's API reference page."""
        return f"{REFERENCE}{self.page}/"

    @property
    def concept_url(self) -> str:
        """The concept page its definition was checked against."""
        return f"{DOCS}{self.concept}"


_RBAC = "reference/access-authn-authz/rbac/"
_STORAGE = "concepts/storage/persistent-volumes/"
_WEBHOOKS = "reference/access-authn-authz/extensible-admission-controllers/"
_VAP = "reference/access-authn-authz/validating-admission-policy/"

KINDS: tuple[Kind, ...] = (
    Kind(
        kind="Pod",
        group="",
        version="v1",
        plural="pods",
        namespaced=True,
        page="workload-resources/pod-v1",
        concept="concepts/workloads/pods/",
        definition=(
            "The API object for the smallest unit Kubernetes deploys: one or more containers that are always "
            "scheduled together onto one node and share its network and storage; usually a workload resource "
            "creates Pods for you."
        ),
        topic="pod",
    ),
    Kind(
        kind="Deployment",
        group="apps",
        version="v1",
        plural="deployments",
        namespaced=True,
        page="workload-resources/deployment-v1",
        concept="concepts/workloads/controllers/deployment/",
        definition=(
            "The workload API object for applications that keep no state: it holds the desired Pod template and "
            "replica count, and its controller rolls changes out at a controlled rate through new ReplicaSets, "
            "with rollback."
        ),
        topic="deployment-k8s",
    ),
    Kind(
        kind="ReplicaSet",
        group="apps",
        version="v1",
        plural="replicasets",
        namespaced=True,
        page="workload-resources/replica-set-v1",
        concept="concepts/workloads/controllers/replicaset/",
        definition=(
            "The API object whose controller keeps a stated number of identical Pods, found by its selector, "
            "running at any time; Deployments create and own ReplicaSets, so they are seldom written by hand."
        ),
        topic="replicaset",
    ),
    Kind(
        kind="StatefulSet",
        group="apps",
        version="v1",
        plural="statefulsets",
        namespaced=True,
        page="workload-resources/stateful-set-v1",
        concept="concepts/workloads/controllers/statefulset/",
        definition=(
            "The workload API object for stateful applications: each of its Pods keeps a stable ordinal name, "
            "network identity and persistent storage, and the Pods are created, scaled and updated in order."
        ),
        topic="statefulset",
    ),
    Kind(
        kind="DaemonSet",
        group="apps",
        version="v1",
        plural="daemonsets",
        namespaced=True,
        page="workload-resources/daemon-set-v1",
        concept="concepts/workloads/controllers/daemonset/",
        definition=(
            "The workload API object that runs one copy of a Pod on every node, or on a chosen subset of nodes, "
            "adding the Pod as nodes join the cluster and cleaning it up as they leave."
        ),
        topic="daemonset",
    ),
    Kind(
        kind="Job",
        group="batch",
        version="v1",
        plural="jobs",
        namespaced=True,
        page="workload-resources/job-v1",
        concept="concepts/workloads/controllers/job/",
        definition=(
            "The workload API object for work that runs to completion: it creates Pods and retries them until a "
            "stated number have finished successfully, and then the Job is complete."
        ),
        topic="job",
    ),
    Kind(
        kind="CronJob",
        group="batch",
        version="v1",
        plural="cronjobs",
        namespaced=True,
        page="workload-resources/cron-job-v1",
        concept="concepts/workloads/controllers/cron-jobs/",
        definition=(
            "The API object that creates Jobs on a repeating schedule written in cron format, for recurring work "
            "such as backups or report generation."
        ),
        topic="cronjob",
    ),
    Kind(
        kind="Service",
        group="",
        version="v1",
        plural="services",
        namespaced=True,
        page="service-resources/service-v1",
        concept="concepts/services-networking/service/",
        definition=(
            "The API object that puts a set of Pods, chosen by a label selector, behind one stable network "
            "endpoint, so that clients keep reaching the application while individual Pods come and go."
        ),
        topic="k8s-service",
    ),
    Kind(
        kind="EndpointSlice",
        group="discovery.k8s.io",
        version="v1",
        plural="endpointslices",
        namespaced=True,
        page="service-resources/endpoint-slice-v1",
        concept="concepts/services-networking/endpoint-slices/",
        definition=(
            "The API object listing a share of the network endpoints behind a Service, with their addresses, "
            "ports and readiness; the control plane creates them for every Service that has a selector."
        ),
        topic="endpointslice",
    ),
    Kind(
        kind="Ingress",
        group="networking.k8s.io",
        version="v1",
        plural="ingresses",
        namespaced=True,
        page="service-resources/ingress-v1",
        concept="concepts/services-networking/ingress/",
        definition=(
            "The API object with host and path rules that route HTTP and HTTPS traffic from outside the cluster "
            "to Services; the rules only take effect when an ingress controller runs in the cluster."
        ),
        topic="ingress",
    ),
    Kind(
        kind="IngressClass",
        group="networking.k8s.io",
        version="v1",
        plural="ingressclasses",
        namespaced=False,
        page="service-resources/ingress-class-v1",
        concept="concepts/services-networking/ingress/",
        definition=(
            "The API object an Ingress refers to by its ingressClassName field: it names the controller that "
            "should implement Ingresses of that class and can point to further configuration for it."
        ),
        topic="ingress-class",
    ),
    Kind(
        kind="NetworkPolicy",
        group="networking.k8s.io",
        version="v1",
        plural="networkpolicies",
        namespaced=True,
        page="policy-resources/network-policy-v1",
        concept="concepts/services-networking/network-policies/",
        definition=(
            "The API object stating which traffic the Pods it selects may receive and send, by Pod, namespace or "
            "IP block and port (OSI layer 3 or 4); it has no effect unless the network plugin enforces it."
        ),
        topic="network-policy",
    ),
    Kind(
        kind="ConfigMap",
        group="",
        version="v1",
        plural="configmaps",
        namespaced=True,
        page="config-and-storage-resources/config-map-v1",
        concept="concepts/configuration/configmap/",
        definition=(
            "The API object for configuration that is not confidential, stored as key-value pairs, which Pods "
            "consume as environment variables, command-line arguments or files in a volume."
        ),
        topic="configmap",
    ),
    Kind(
        kind="Secret",
        group="",
        version="v1",
        plural="secrets",
        namespaced=True,
        page="config-and-storage-resources/secret-v1",
        concept="concepts/configuration/secret/",
        definition=(
            "The API object for a small amount of sensitive data such as a password, a token or a key, kept out "
            "of Pod specifications and handed to Pods as files or environment variables."
        ),
        topic="k8s-secret",
    ),
    Kind(
        kind="ServiceAccount",
        group="",
        version="v1",
        plural="serviceaccounts",
        namespaced=True,
        page="authentication-resources/service-account-v1",
        concept="concepts/security/service-accounts/",
        definition=(
            "The API object for a non-human identity in the cluster: Pods, system components and outside tools "
            "use its credentials to identify themselves as that ServiceAccount, for example to the API server."
        ),
        topic="service-account",
    ),
    Kind(
        kind="Role",
        group="rbac.authorization.k8s.io",
        version="v1",
        plural="roles",
        namespaced=True,
        page="authorization-resources/role-v1",
        concept=_RBAC,
        definition=(
            "The RBAC API object holding a set of permissions, as verbs allowed on resources, that always applies"
            " within one namespace; permissions only add up, as there are no deny rules."
        ),
        topic="role",
    ),
    Kind(
        kind="ClusterRole",
        group="rbac.authorization.k8s.io",
        version="v1",
        plural="clusterroles",
        namespaced=False,
        page="authorization-resources/cluster-role-v1",
        concept=_RBAC,
        definition=(
            "The RBAC API object holding a set of permissions that belongs to no namespace, so it can cover "
            "cluster-scoped resources, non-resource endpoints, or namespaced resources in every namespace."
        ),
        topic="clusterrole",
    ),
    Kind(
        kind="RoleBinding",
        group="rbac.authorization.k8s.io",
        version="v1",
        plural="rolebindings",
        namespaced=True,
        page="authorization-resources/role-binding-v1",
        concept=_RBAC,
        definition=(
            "The RBAC API object that grants the permissions of a Role, or of a ClusterRole, to a list of "
            "subjects (users, groups or service accounts) within one namespace."
        ),
        topic="rolebinding",
    ),
    Kind(
        kind="ClusterRoleBinding",
        group="rbac.authorization.k8s.io",
        version="v1",
        plural="clusterrolebindings",
        namespaced=False,
        page="authorization-resources/cluster-role-binding-v1",
        concept=_RBAC,
        definition=(
            "The RBAC API object that grants the permissions of a ClusterRole to users, groups or service "
            "accounts across the whole cluster."
        ),
        topic="clusterrolebinding",
    ),
    Kind(
        kind="PersistentVolume",
        group="",
        version="v1",
        plural="persistentvolumes",
        namespaced=False,
        page="config-and-storage-resources/persistent-volume-v1",
        concept=_STORAGE,
        definition=(
            "The API object for a piece of storage in the cluster, provisioned by an administrator or dynamically"
            " through a StorageClass, whose lifecycle does not depend on any Pod that uses it."
        ),
        topic="persistent-volume",
    ),
    Kind(
        kind="PersistentVolumeClaim",
        group="",
        version="v1",
        plural="persistentvolumeclaims",
        namespaced=True,
        page="config-and-storage-resources/persistent-volume-claim-v1",
        concept=_STORAGE,
        definition=(
            "The API object in which a user asks for storage of a given size and access modes, optionally naming "
            "a StorageClass; it is bound to a matching PersistentVolume, which Pods then mount through the claim."
        ),
        topic="persistent-volume-claim",
    ),
    Kind(
        kind="StorageClass",
        group="storage.k8s.io",
        version="v1",
        plural="storageclasses",
        namespaced=False,
        page="config-and-storage-resources/storage-class-v1",
        concept="concepts/storage/storage-classes/",
        definition=(
            "The API object with which administrators describe a class of storage they offer, naming the "
            "provisioner and the parameters used when PersistentVolumes of that class are created on demand."
        ),
        topic="storage-class",
    ),
    Kind(
        kind="Namespace",
        group="",
        version="v1",
        plural="namespaces",
        namespaced=False,
        page="cluster-resources/namespace-v1",
        concept="concepts/overview/working-with-objects/namespaces/",
        definition=(
            "The API object that divides one cluster into named groups of resources: names of namespaced objects "
            "must be unique only within their namespace, and quotas and access rules can be scoped to one."
        ),
        topic="namespace",
    ),
    Kind(
        kind="Node",
        group="",
        version="v1",
        plural="nodes",
        namespaced=False,
        page="cluster-resources/node-v1",
        concept="concepts/architecture/nodes/",
        definition=(
            "The API object for a virtual or physical machine on which Pods run; the kubelet on the machine "
            "usually registers it with the control plane, which then watches its health."
        ),
    ),
    Kind(
        kind="ResourceQuota",
        group="",
        version="v1",
        plural="resourcequotas",
        namespaced=True,
        page="policy-resources/resource-quota-v1",
        concept="concepts/policy/resource-quotas/",
        definition=(
            "The API object that caps what everything in one namespace may consume together, such as CPU, memory "
            "and storage, and how many objects of each type may be created there."
        ),
        topic="resource-quota",
    ),
    Kind(
        kind="LimitRange",
        group="",
        version="v1",
        plural="limitranges",
        namespaced=True,
        page="policy-resources/limit-range-v1",
        concept="concepts/policy/limit-range/",
        definition=(
            "The API object that constrains, within one namespace, the requests and limits each Pod, container or"
            " PersistentVolumeClaim may set, and can give containers default requests and limits."
        ),
        topic="limit-range",
    ),
    Kind(
        kind="HorizontalPodAutoscaler",
        group="autoscaling",
        version="v2",
        plural="horizontalpodautoscalers",
        namespaced=True,
        page="workload-resources/horizontal-pod-autoscaler-v2",
        concept="tasks/run-application/horizontal-pod-autoscale/",
        definition=(
            "The API object that automatically changes the replica count of a scalable workload, such as a "
            "Deployment or StatefulSet, to match demand as shown by observed metrics like CPU use."
        ),
        topic="hpa",
    ),
    Kind(
        kind="PodDisruptionBudget",
        group="policy",
        version="v1",
        plural="poddisruptionbudgets",
        namespaced=True,
        page="policy-resources/pod-disruption-budget-v1",
        concept="concepts/workloads/pods/disruptions/",
        definition=(
            "The API object that limits how many Pods of a replicated application may be down at once through "
            "voluntary disruptions such as node drains, stated as minAvailable or maxUnavailable."
        ),
        topic="pod-disruption-budget",
    ),
    Kind(
        kind="PriorityClass",
        group="scheduling.k8s.io",
        version="v1",
        plural="priorityclasses",
        namespaced=False,
        page="workload-resources/priority-class-v1",
        concept="concepts/scheduling-eviction/pod-priority-preemption/",
        definition=(
            "The API object, in no namespace, that maps a priority class name to an integer priority; Pods name "
            "it in priorityClassName, and a higher value means a higher priority."
        ),
        topic="priority-class",
    ),
    Kind(
        kind="CustomResourceDefinition",
        group="apiextensions.k8s.io",
        version="v1",
        plural="customresourcedefinitions",
        namespaced=False,
        page="extend-resources/custom-resource-definition-v1",
        concept="concepts/extend-kubernetes/api-extension/custom-resources/",
        definition=(
            "The API object that defines a custom resource with the name and schema you give it, after which the "
            "API server stores and serves objects of that new kind."
        ),
        topic="crd",
    ),
    Kind(
        kind="ValidatingAdmissionPolicy",
        group="admissionregistration.k8s.io",
        version="v1",
        plural="validatingadmissionpolicies",
        namespaced=False,
        page="policy-resources/validating-admission-policy-v1",
        concept=_VAP,
        definition=(
            "The API object holding the logic of a validating admission policy: CEL expressions the API server "
            "itself evaluates to accept or reject requests, a declarative alternative to validating webhooks."
        ),
    ),
    Kind(
        kind="ValidatingAdmissionPolicyBinding",
        group="admissionregistration.k8s.io",
        version="v1",
        plural="validatingadmissionpolicybindings",
        namespaced=False,
        page="policy-resources/validating-admission-policy-binding-v1",
        concept=_VAP,
        definition=(
            "The API object that links a ValidatingAdmissionPolicy to its parameters, if any, and scopes it to "
            "the resources it should check; a policy has no effect without a binding."
        ),
    ),
    Kind(
        kind="ValidatingWebhookConfiguration",
        group="admissionregistration.k8s.io",
        version="v1",
        plural="validatingwebhookconfigurations",
        namespaced=False,
        page="extend-resources/validating-webhook-configuration-v1",
        concept=_WEBHOOKS,
        definition=(
            "The API object that registers validating admission webhooks: HTTP callbacks the API server calls for"
            " the requests they match, which can reject those requests to enforce custom policies."
        ),
    ),
    Kind(
        kind="MutatingWebhookConfiguration",
        group="admissionregistration.k8s.io",
        version="v1",
        plural="mutatingwebhookconfigurations",
        namespaced=False,
        page="extend-resources/mutating-webhook-configuration-v1",
        concept=_WEBHOOKS,
        definition=(
            "The API object that registers mutating admission webhooks: HTTP callbacks the API server calls first"
            " for the requests they match, which can change the objects, for example to set custom defaults."
        ),
    ),
)

#: the v1.35 reference pages on which types other than the kinds themselves have a section of their own, by
#: definition name; every other type is documented inline on the pages of the types that use it
TYPE_PAGES: dict[str, str] = {
    "io.k8s.api.apps.v1.DaemonSetSpec": "workload-resources/daemon-set-v1",
    "io.k8s.api.apps.v1.DeploymentSpec": "workload-resources/deployment-v1",
    "io.k8s.api.apps.v1.ReplicaSetSpec": "workload-resources/replica-set-v1",
    "io.k8s.api.apps.v1.StatefulSetSpec": "workload-resources/stateful-set-v1",
    "io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec": "workload-resources/horizontal-pod-autoscaler-v2",
    "io.k8s.api.batch.v1.CronJobSpec": "workload-resources/cron-job-v1",
    "io.k8s.api.batch.v1.JobSpec": "workload-resources/job-v1",
    "io.k8s.api.core.v1.Container": "workload-resources/pod-v1",
    "io.k8s.api.core.v1.DownwardAPIVolumeFile": "config-and-storage-resources/volume",
    "io.k8s.api.core.v1.EphemeralContainer": "workload-resources/pod-v1",
    "io.k8s.api.core.v1.KeyToPath": "config-and-storage-resources/volume",
    "io.k8s.api.core.v1.LifecycleHandler": "workload-resources/pod-v1",
    "io.k8s.api.core.v1.LimitRangeSpec": "policy-resources/limit-range-v1",
    "io.k8s.api.core.v1.LocalObjectReference": "common-definitions/local-object-reference",
    "io.k8s.api.core.v1.NamespaceSpec": "cluster-resources/namespace-v1",
    "io.k8s.api.core.v1.NodeAffinity": "workload-resources/pod-v1",
    "io.k8s.api.core.v1.NodeSelectorRequirement": "common-definitions/node-selector-requirement",
    "io.k8s.api.core.v1.NodeSpec": "cluster-resources/node-v1",
    "io.k8s.api.core.v1.ObjectFieldSelector": "common-definitions/object-field-selector",
    "io.k8s.api.core.v1.ObjectReference": "common-definitions/object-reference",
    "io.k8s.api.core.v1.PersistentVolumeClaimSpec": "config-and-storage-resources/persistent-volume-claim-v1",
    "io.k8s.api.core.v1.PersistentVolumeSpec": "config-and-storage-resources/persistent-volume-v1",
    "io.k8s.api.core.v1.PodAffinity": "workload-resources/pod-v1",
    "io.k8s.api.core.v1.PodAntiAffinity": "workload-resources/pod-v1",
    "io.k8s.api.core.v1.PodSpec": "workload-resources/pod-v1",
    "io.k8s.api.core.v1.PodTemplateSpec": "workload-resources/pod-template-v1",
    "io.k8s.api.core.v1.Probe": "workload-resources/pod-v1",
    "io.k8s.api.core.v1.ResourceFieldSelector": "common-definitions/resource-field-selector",
    "io.k8s.api.core.v1.ResourceQuotaSpec": "policy-resources/resource-quota-v1",
    "io.k8s.api.core.v1.ServiceSpec": "service-resources/service-v1",
    "io.k8s.api.core.v1.TypedLocalObjectReference": "common-definitions/typed-local-object-reference",
    "io.k8s.api.core.v1.Volume": "config-and-storage-resources/volume",
    "io.k8s.api.networking.v1.IngressBackend": "service-resources/ingress-v1",
    "io.k8s.api.networking.v1.IngressClassSpec": "service-resources/ingress-class-v1",
    "io.k8s.api.networking.v1.IngressSpec": "service-resources/ingress-v1",
    "io.k8s.api.networking.v1.NetworkPolicySpec": "policy-resources/network-policy-v1",
    "io.k8s.api.policy.v1.PodDisruptionBudgetSpec": "policy-resources/pod-disruption-budget-v1",
    "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionSpec": (
        "extend-resources/custom-resource-definition-v1"
    ),
    "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps": (
        "extend-resources/custom-resource-definition-v1"
    ),
    "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector": "common-definitions/label-selector",
    "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta": "common-definitions/object-meta",
}
