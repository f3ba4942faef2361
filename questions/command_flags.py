"""Flag and name tables of the command-line tools whose typed answers are graded (see questions.command_lines).

Where each table comes from:

- kubectl flags: ``kubernetes/kubectl`` branch ``release-1.35`` (commit a74a9196b05f9627f49222effd2de9123ca2a83b),
  ``pkg/cmd/**`` ``cmd.Flags().*Var*`` calls, and the global flags of ``kubernetes/cli-runtime`` ``release-1.35``
  (commit 4918eec8317c7f25d5b16c12a1dc21b9c9fa6215) ``pkg/genericclioptions/config_flags.go``, and for ``kubectl
  kustomize`` the build flags of ``sigs.k8s.io/kustomize/kustomize/v5`` v5.7.1 (the version kubectl's ``go.mod``
  requires: ``kustomize/commands/build/flag*.go``, such as ``flagenablehelm.go``); documented at
  https://kubernetes.io/docs/reference/kubectl/generated/ . Flags declared with a ``NoOptDefVal`` (``--dry-run``,
  ``--validate``, ``--cascade``) take a value only after ``=``.
- kubectl resource types, short names and API groups: the "Resource types" table of
  https://kubernetes.io/docs/reference/kubectl/ (the output of ``kubectl api-resources``; the page states it was
  taken from v1.25.0 and its short names are unchanged in v1.35, except PodSecurityPolicy, removed in v1.25 and
  left out here). How a type is read: ``ParseResourceArg`` of ``kubernetes/apimachinery`` ``release-1.35`` (commit
  3e341b59324be42ccd4734b225ffc551e74af747) ``pkg/runtime/schema/group_version.go`` splits ``TYPE.GROUP`` at its
  first dot, the shortcut expander of ``kubernetes/client-go`` ``release-1.35`` (commit
  c9748d3a34c91bde68ec2d38e296a362d2045802) ``restmapper/shortcut.go`` expands a short name of that group
  (``cj.batch``), and the REST mapper matches the plural or singular name in any case.
- Terraform: ``hashicorp/terraform`` tag ``v1.12.2`` (commit ce0baf874af938310a4cb03ad2d71150d474fa70),
  ``internal/command/**`` flag sets (Go's ``flag`` package: https://pkg.go.dev/flag — one or two dashes are
  equivalent, a boolean flag takes a value only after ``=``, parsing stops at the first non-flag argument) and the
  nested commands of ``commands.go``; documented at https://developer.hashicorp.com/terraform/cli/commands .
- Helm: ``helm/helm`` tags ``v4.2.4`` (commit 3900f434fd3ef2b84065dc04508df48f288dba00) and ``v3.21.4``
  (commit 813176c51bb5c181dbbd7901298ddcc104cd3417), ``pkg/cmd`` and ``cmd/helm``; https://helm.sh/docs/helm/ .
  One-letter flags differ by command, as kubectl's do by verb (:func:`helm_table`).
- Docker and Podman image commands (:func:`container_table`): the Docker CLI reference (docker/cli, docker/buildx)
  and ``containers/podman`` tag ``v5.8.2`` (commit 5b263b5f5b48004a87caac44e67349a8266d9ef4).
- etcdctl and etcdutl: ``etcd-io/etcd`` tag ``v3.6.14`` (commit fc04cf702b0a46c2fd85547a2be05705b100a496);
  https://etcd.io/docs/v3.6/ . Its ``etcdctl/README.md`` says ``ETCDCTL_API=3`` is only needed before v3.4.
- kubeadm: the generated reference pages under https://kubernetes.io/docs/reference/setup-tools/kubeadm/generated/ .
- Flag defaults (:class:`FlagDefaults`): the graph's ``ops:defaultValue`` of each command's flags, read through
  :func:`questions.hands_on_facts.read_hands_on`; :data:`GIVEN_DEFAULT_DIFFERS` lists the flags whose default the
  tool does not apply when the flag is given, with the source that shows it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .hands_on_facts import HandsOn


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


@dataclass(frozen=True)
class FlagTable:
    """What a tool's flags are: boolean, taking a value, or taking a value only after ``=`` (``optional``).

    ``optional`` maps each such flag to aliases of its values (``""`` is the flag given without a value);
    ``shorts`` maps one-letter flags to their long names.
    """

    bools: frozenset[str]
    values: frozenset[str]
    shorts: Mapping[str, str] = field(default_factory=dict)
    optional: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def kind(self, name: str, learned: frozenset[str] = frozenset()) -> str:
        """``"bool"``, ``"value"``, ``"optional"`` or ``"unknown"`` (``learned`` names unknown value flags)."""
        if name in self.optional:
            return "optional"
        if name in self.bools:
            return "bool"
        if name in self.values or name in learned:
            return "value"
        return "unknown"

    def with_changes(self, shorts: Mapping[str, str], kinds: Mapping[str, str]) -> FlagTable:
        """This table with some short letters and flag kinds overridden (for one subcommand)."""
        bools = {name for name, kind in kinds.items() if kind == "bool"}
        values = {name for name, kind in kinds.items() if kind == "value"}
        return FlagTable(
            bools=(self.bools - values) | bools,
            values=(self.values - bools) | values,
            shorts=MappingProxyType({**self.shorts, **shorts}),
            optional=self.optional,
        )


# --- kubectl ----------------------------------------------------------------------------------------------------

_KUBECTL_BOOLS = _words("""
    all all-containers all-namespaces all-pods allow-missing-template-keys append-hash append-server-path
    arguments-only as-current-user attach cached client create-annotation current delete-emptydir-data
    disable-compression disable-eviction disable-filter edit enable-alpha-plugins enable-helm
    enable-managedby-label expose flatten follow force force-conflicts global-default help helm-debug
    ignore-daemonsets ignore-errors ignore-not-found insecure-skip-tls-verify insecure-skip-tls-verify-backend
    interactive keep-annotations keep-init-containers keep-labels keep-liveness keep-readiness keep-startup
    leave-stdin-open list local match-server-version minify name-only namespaced network no-headers no-preserve now
    openapi-patch output-patch output-watch-events overwrite prefix previous privileged prune quiet record recursive
    remove-extra-permissions remove-extra-subjects replace resolve rm same-node save-config server-print server-side
    share-processes show-capacity show-events show-kind show-labels show-managed-fields show-swap stdin sum
    timestamps tty use-protocol-buffers wait warnings-as-errors watch watch-only windows-line-endings
""")
_KUBECTL_VALUES = _words("""
    accept-hosts accept-paths address aggregation-rule annotation annotations api-group api-prefix api-version
    appendarg applyset as as-group as-uid as-user-extra audience bound-object-kind bound-object-name bound-object-uid
    cache-dir categories cert certificate-authority chunk-size class client-certificate client-key cluster
    cluster-ip clusterip clusterrole command concurrency container containers context copy-to cpu cpu-percent
    current-replicas custom default-backend description docker-email docker-password docker-server docker-username
    duration env external-ip external-name field-manager field-selector filename for from from-env-file from-file
    from-literal grace-period group hard helm-api-versions helm-command helm-kube-version image image-pull-policy
    keepalive key keys kubeconfig kuberc kustomize label-columns labels limit-bytes limits load-balancer-ip
    load-restrictor log-flush-frequency max max-log-requests max-unavailable memory min min-available mount name
    namespace namespaces network-name node-port non-resource-url option output output-directory
    overrides password patch patch-file pod-running-timeout pod-selector port preemption-policy prependarg profile
    profile-output protocol prune-allowlist raw reject-methods reject-paths replicas request-timeout requests resource
    resource-name resource-version restart retries revision role rule schedule scopes section selector server
    serviceaccount session-affinity set-image since since-time skip-wait-for-delete-timeout sort-by subresource tail
    target target-port tcp template timeout tls-server-name to-revision token type types unix-socket user username
    v value verb verbs vmodule www www-prefix
""")
_KUBECTL_OPTIONAL = MappingProxyType(
    {
        # kubectl 1.35 GetDryRunStrategy: no value and "true" mean client (deprecated spellings), "false" none
        "dry-run": MappingProxyType({"": "client", "unchanged": "client", "true": "client", "false": "none"}),
        # AddValidateFlags: "true" is strict, "false" is ignore; no value is strict
        "validate": MappingProxyType({"": "strict", "true": "strict", "false": "ignore"}),
        # GetCascadingStrategy: no value and "true" are background, "false" orphan
        "cascade": MappingProxyType({"": "background", "true": "background", "false": "orphan"}),
    }
)
KUBECTL = FlagTable(
    bools=_KUBECTL_BOOLS,
    values=_KUBECTL_VALUES,
    shorts=MappingProxyType(
        {
            "A": "all-namespaces",
            "c": "container",
            "e": "env",
            "f": "filename",
            "h": "help",
            "i": "stdin",
            "k": "kustomize",
            "L": "label-columns",
            "l": "selector",
            "n": "namespace",
            "o": "output",
            "q": "quiet",
            "R": "recursive",
            "r": "replicas",
            "s": "server",
            "t": "tty",
            "v": "v",
            "w": "watch",
        }
    ),
    optional=_KUBECTL_OPTIONAL,
)
# one-letter flags and flag kinds that differ by command
_KUBECTL_SHORTS = {
    "logs": {"f": "follow", "p": "previous"},
    "delete": {"i": "interactive"},
    "set": {"c": "containers"},
    "run": {"l": "labels"},
    "expose": {"l": "labels"},
    "patch": {"p": "patch"},
    "proxy": {"p": "port", "w": "www", "P": "www-prefix", "u": "unix-socket"},
}
_KUBECTL_KINDS = {
    "run": {"command": "bool"},
    "top": {"containers": "bool"},
    "set": {"prefix": "value"},
    "config": {"raw": "bool"},
}


@cache
def kubectl_table(verb: str) -> FlagTable:
    """The kubectl flag table of one verb (``logs``: ``-f`` is ``--follow``, elsewhere ``--filename``)."""
    return KUBECTL.with_changes(_KUBECTL_SHORTS.get(verb, {}), _KUBECTL_KINDS.get(verb, {}))


# plural name, Kind, short names, API group ("-": the core group) —
# https://kubernetes.io/docs/reference/kubectl/#resource-types
_RESOURCE_TABLE = """
    bindings Binding - -; componentstatuses ComponentStatus cs -; configmaps ConfigMap cm -; endpoints Endpoints ep -;
    events Event ev -; limitranges LimitRange limits -; namespaces Namespace ns -; nodes Node no -;
    persistentvolumeclaims PersistentVolumeClaim pvc -; persistentvolumes PersistentVolume pv -; pods Pod po -;
    podtemplates PodTemplate - -; replicationcontrollers ReplicationController rc -;
    resourcequotas ResourceQuota quota -; secrets Secret - -; serviceaccounts ServiceAccount sa -;
    services Service svc -;
    mutatingwebhookconfigurations MutatingWebhookConfiguration - admissionregistration.k8s.io;
    validatingwebhookconfigurations ValidatingWebhookConfiguration - admissionregistration.k8s.io;
    customresourcedefinitions CustomResourceDefinition crd,crds apiextensions.k8s.io;
    apiservices APIService - apiregistration.k8s.io; controllerrevisions ControllerRevision - apps;
    daemonsets DaemonSet ds apps; deployments Deployment deploy apps; replicasets ReplicaSet rs apps;
    statefulsets StatefulSet sts apps; tokenreviews TokenReview - authentication.k8s.io;
    localsubjectaccessreviews LocalSubjectAccessReview - authorization.k8s.io;
    selfsubjectaccessreviews SelfSubjectAccessReview - authorization.k8s.io;
    selfsubjectrulesreviews SelfSubjectRulesReview - authorization.k8s.io;
    subjectaccessreviews SubjectAccessReview - authorization.k8s.io;
    horizontalpodautoscalers HorizontalPodAutoscaler hpa autoscaling; cronjobs CronJob cj batch; jobs Job - batch;
    certificatesigningrequests CertificateSigningRequest csr certificates.k8s.io;
    leases Lease - coordination.k8s.io; endpointslices EndpointSlice - discovery.k8s.io;
    flowschemas FlowSchema - flowcontrol.apiserver.k8s.io;
    prioritylevelconfigurations PriorityLevelConfiguration - flowcontrol.apiserver.k8s.io;
    ingressclasses IngressClass - networking.k8s.io; ingresses Ingress ing networking.k8s.io;
    networkpolicies NetworkPolicy netpol networking.k8s.io; runtimeclasses RuntimeClass - node.k8s.io;
    poddisruptionbudgets PodDisruptionBudget pdb policy;
    clusterrolebindings ClusterRoleBinding - rbac.authorization.k8s.io;
    clusterroles ClusterRole - rbac.authorization.k8s.io; rolebindings RoleBinding - rbac.authorization.k8s.io;
    roles Role - rbac.authorization.k8s.io; priorityclasses PriorityClass pc scheduling.k8s.io;
    csidrivers CSIDriver - storage.k8s.io; csinodes CSINode - storage.k8s.io;
    csistoragecapacities CSIStorageCapacity - storage.k8s.io; storageclasses StorageClass sc storage.k8s.io;
    volumeattachments VolumeAttachment - storage.k8s.io
"""


def _resource_rows() -> list[tuple[str, str, tuple[str, ...], str]]:
    rows = []
    for row in _RESOURCE_TABLE.split(";"):
        plural, kind, shorts, group = row.split()
        rows.append((plural, kind, () if shorts == "-" else tuple(shorts.split(",")), "" if group == "-" else group))
    return rows


def _resource_types() -> Mapping[str, str]:
    names: dict[str, str] = {}
    for plural, kind, shorts, _ in _resource_rows():
        for alias in (plural, kind.lower(), *shorts):
            names[alias] = plural
    return MappingProxyType(names)


#: every singular, plural and short name of a kubectl resource type → its plural name
RESOURCE_TYPES = _resource_types()
#: the API group of each resource type (by plural name; "" is the core group)
RESOURCE_GROUPS = MappingProxyType({plural: group for plural, _, _, group in _resource_rows()})

#: verbs whose arguments are ``TYPE NAME...`` or ``TYPE/NAME...``
KUBECTL_RESOURCE_VERBS = _words("get describe delete edit label annotate scale patch wait autoscale expose taint")
#: verbs whose first argument is a pod name or ``TYPE/NAME`` (a bare name means a pod)
KUBECTL_POD_VERBS = _words("logs exec attach port-forward")
#: subcommand aliases (cobra ``Aliases``) of kubectl create, set, top and config
KUBECTL_CREATE_ALIASES = MappingProxyType(
    {
        "cm": "configmap",
        "cj": "cronjob",
        "deploy": "deployment",
        "ing": "ingress",
        "ns": "namespace",
        "pdb": "poddisruptionbudget",
        "pc": "priorityclass",
        "resourcequota": "quota",
        "sa": "serviceaccount",
        "svc": "service",
    }
)
KUBECTL_SET_ALIASES = MappingProxyType({"sa": "serviceaccount"})
KUBECTL_TOP_ALIASES = MappingProxyType({"pods": "pod", "po": "pod", "nodes": "node", "no": "node"})
KUBECTL_CONFIG_ALIASES = MappingProxyType({"use": "use-context"})

# --- Terraform --------------------------------------------------------------------------------------------------

TERRAFORM = FlagTable(
    bools=_words("""
        allow-deferral allow-missing auto-approve backend check cloud compact-warnings destroy detailed-exitcode diff
        draw-cycles dry-run force force-copy get h help ignore-remote-version input json list lock lock-file
        migrate-state no-color no-tests or-create raw reconfigure recursive refresh refresh-only update upgrade
        verbose write
    """),
    values=_words("""
        backend-config backup backup-out chdir cloud-run config filter from-module fs-mirror generate-config-out
        junit-xml lock-timeout lockfile module-depth net-mirror out parallelism plan platform plugin-dir replace
        state state-out target test-directory type var var-file
    """),
)
TERRAFORM_CONSOLE = TERRAFORM.with_changes({}, {"plan": "bool"})
#: commands that take a subcommand word (``terraform state mv``)
TERRAFORM_GROUPS = _words("state workspace providers metadata env")

# --- Helm, etcd, kubeadm ----------------------------------------------------------------------------------------

HELM = FlagTable(
    bools=_words("""
        all all-namespaces allow-deprecated-repos atomic cleanup-on-fail create-namespace date debug dependency-update
        deployed devel disable-openapi-validation enable-dns fail-on-no-result failed force force-conflicts
        force-replace force-update generate-headers generate-name help hide-notes hide-secret ignore-not-found
        include-crds insecure insecure-skip-tls-verify install is-upgrade json keep-history list-repo-url logs
        no-headers no-hooks pass-credentials password-stdin pending plain-http prov quiet regexp release-name
        render-subchart-notes replace reset-then-reuse-values reset-values reuse-values reverse rollback-on-failure
        short sign skip-crds skip-refresh skip-schema-validation skip-tests strict superseded take-ownership
        uninstalled uninstalling untar validate verify versions wait-for-jobs with-subcharts
    """),
    values=_words("""
        api-versions app-version ca-file cert-file description destination filter history-max jsonpath key-file
        keyring kube-apiserver kube-context kube-version kubeconfig labels max max-col-width name-template namespace
        offset output output-dir password post-renderer post-renderer-args repo revision selector set set-file
        set-json set-literal set-string show-only starter template time-format timeout untardir username values
        version
    """),
    # the one-letter flags that mean the same wherever they are defined: the global -n (``pkg/cli/environment.go``),
    # -h, and -o of ``bindOutputFlag`` (``pkg/cmd/flags.go``); the others differ by command (:data:`_HELM_SHORTS`)
    shorts=MappingProxyType({"h": "help", "n": "namespace", "o": "output"}),
    optional=MappingProxyType(
        {
            # Helm 3.13+ and 4: no value (or "true") means client
            "dry-run": MappingProxyType({"": "client", "unset": "client", "true": "client", "false": "none"}),
            # Helm 4: --wait alone is the watcher strategy (Helm 3: a boolean)
            "wait": MappingProxyType({"": "watcher", "true": "watcher"}),
        }
    ),
)
#: Helm's one-letter flags by command (its words after ``helm``, aliases resolved): the ``VarP`` calls of
#: ``pkg/cmd/*.go`` (v4.2.4) and ``cmd/helm/*.go`` (v3.21.4). helm list's are its own: ``-f`` is --filter (a
#: release-name pattern), not install's --values, ``-d`` --date, ``-r`` --reverse, ``-m`` --max, ``-l``
#: --selector, ``-q`` --short and ``-a`` --all (Helm 3; Helm 4 has no --all), as https://helm.sh/docs/helm/helm_list/
#: lists them; install, upgrade and template share the values flags (``-f`` --values, ``addValueOptionsFlags``)
#: and ``-l`` --labels.
_HELM_VALUES_SHORTS = {"f": "values", "l": "labels"}
_HELM_SHORTS: Mapping[tuple[str, ...], Mapping[str, str]] = MappingProxyType(
    {
        ("list",): {
            "A": "all-namespaces",
            "a": "all",
            "d": "date",
            "f": "filter",
            "l": "selector",
            "m": "max",
            "q": "short",
            "r": "reverse",
        },
        ("install",): {**_HELM_VALUES_SHORTS, "g": "generate-name"},
        ("upgrade",): {**_HELM_VALUES_SHORTS, "i": "install"},
        ("template",): {**_HELM_VALUES_SHORTS, "g": "generate-name", "a": "api-versions", "s": "show-only"},
        ("lint",): {"f": "values"},
        ("get", "values"): {"a": "all"},
        ("search", "repo"): {"r": "regexp", "l": "versions"},
        ("package",): {"d": "destination", "u": "dependency-update"},
        ("pull",): {"d": "destination"},
        ("plugin", "package"): {"d": "destination"},
        ("registry", "login"): {"u": "username", "p": "password"},
        ("create",): {"p": "starter"},
        ("version",): {"c": "client"},  # Helm 3 only
    }
)
_HELM_KINDS = {("version",): {"client": "bool"}}
#: Helm commands that take a subcommand word (``helm get values``), for :data:`_HELM_SHORTS`
HELM_COMMAND_GROUPS = _words("get show search registry repo dependency plugin")


@cache
def helm_table(command: tuple[str, ...]) -> FlagTable:
    """The Helm flag table of one command (``("list",)``, ``("get", "values")``): ``helm list -f web`` is
    ``--filter web``, ``helm install -f v.yaml`` is ``--values v.yaml``."""
    return HELM.with_changes(_HELM_SHORTS.get(command, {}), _HELM_KINDS.get(command, {}))


HELM_ALIASES = MappingProxyType(
    {
        "un": "uninstall",
        "del": "uninstall",
        "delete": "uninstall",
        "ls": "list",
        "hist": "history",
        "fetch": "pull",
        "inspect": "show",
        "dep": "dependency",
        "dependencies": "dependency",
    }
)
HELM_GROUPS = _words("repo dependency plugin")
HELM_SUB_ALIASES = MappingProxyType({"ls": "list", "rm": "remove", "up": "update"})

ETCD = FlagTable(
    bools=_words("""
        auto-compact auto-defrag cluster count-only debug dest-insecure-transport detail force from-key help hex
        ignore-lease ignore-value insecure-discovery insecure-skip-tls-verify insecure-transport interactive keys
        keys-only learner mark-compacted no-dest-prefix no-password once physical prefix prev-kv print-value-only
        progress-notify range skip-hash-check
    """),
    values=_words("""
        bump-amount bump-revision cacert cert command-timeout consistency data-dir dest-cacert dest-cert dest-key
        dest-password dest-prefix dest-user dial-timeout discovery-srv discovery-srv-name endpoints
        initial-advertise-peer-urls initial-cluster initial-cluster-token initial-memory-map-size keepalive-time
        keepalive-timeout key latest-revision lease limit load max-create-rev max-mod-rev max-recv-bytes
        max-request-bytes max-txn-ops min-create-rev min-mod-rev name new-latest-revision new-user-password order
        password path peer-urls rev revision snap-dir sort-by storage-version target-version ttl user wal-dir write-out
    """),
    shorts=MappingProxyType({"w": "write-out", "d": "discovery-srv", "h": "help"}),
)

KUBEADM = FlagTable(
    bools=_words("""
        allow-experimental-upgrades allow-missing-template-keys allow-release-candidate-upgrades certificate-renewal
        control-plane discovery-token-unsafe-skip-ca-verification dry-run etcd-upgrade force help print-config
        print-join-command show-managed-fields skip-certificate-key-print skip-token-print upload-certs yes
    """),
    values=_words("""
        apiserver-advertise-address apiserver-bind-port apiserver-cert-extra-sans cert-dir certificate-key config
        control-plane-endpoint cri-socket csr-dir description discovery-file discovery-token
        discovery-token-ca-cert-hash feature-gates groups ignore-preflight-errors image-repository kubeconfig
        kubernetes-version node-name output patches pod-network-cidr rootfs service-cidr service-dns-domain
        skip-phases tls-bootstrap-token token token-ttl ttl usages v
    """),
    shorts=MappingProxyType({"f": "force", "y": "yes", "h": "help", "o": "output", "v": "v"}),
)

#: a tool with no table: flags are compared as written, ``--name=value`` and ``--name value`` only when learned
GENERIC = FlagTable(bools=frozenset(), values=frozenset())

# --- Docker and Podman ------------------------------------------------------------------------------------------

#: the image commands of the Docker and Podman clients (both parse flags with spf13/pflag), by program and
#: command: their boolean flags, flags taking a value and one-letter flags. Docker: the CLI reference generated
#: from docker/cli (``docs/reference/commandline/image_*.md``) and docker/buildx (``docs/reference/buildx_build.md``);
#: Podman v5.8.2: ``cmd/podman/images/{push,save,load,list}.go`` and the build flags of buildah's
#: ``pkg/cli/common.go`` that it vendors. A flag not listed is compared as written.
_CONTAINER_FLAGS: Mapping[tuple[str, str], tuple[str, str, Mapping[str, str]]] = MappingProxyType(
    {
        ("docker", "build"): (
            "no-cache pull load push quiet",
            "tag file target build-arg platform output progress network label",
            {"t": "tag", "f": "file", "q": "quiet", "o": "output"},
        ),
        ("docker", "push"): ("all-tags quiet disable-content-trust", "platform", {"a": "all-tags", "q": "quiet"}),
        ("docker", "save"): ("", "output platform", {"o": "output"}),
        ("docker", "load"): ("quiet", "input platform", {"i": "input", "q": "quiet"}),
        ("docker", "images"): (
            "all quiet digests no-trunc tree",
            "filter format",
            {"a": "all", "q": "quiet", "f": "filter"},
        ),
        ("podman", "build"): (
            "no-cache quiet layers squash squash-all",
            "tag file target build-arg platform output format volume memory cpu-shares label network",
            {"t": "tag", "f": "file", "q": "quiet", "o": "output", "v": "volume", "m": "memory", "c": "cpu-shares"},
        ),
        ("podman", "push"): ("quiet remove-signatures", "format creds digestfile", {"f": "format", "q": "quiet"}),
        ("podman", "save"): (
            "quiet multi-image-archive compress uncompressed",
            "output format",
            {"o": "output", "q": "quiet", "m": "multi-image-archive"},
        ),
        ("podman", "load"): ("quiet", "input", {"i": "input", "q": "quiet"}),
        ("podman", "images"): (
            "all quiet noheading no-trunc digests history",
            "filter format sort",
            {"a": "all", "q": "quiet", "f": "filter", "n": "noheading"},
        ),
    }
)
#: other names of those commands (cobra ``Aliases`` and the ``docker image``/``podman image`` management
#: commands; ``docker build`` is ``docker buildx build``), by program: the words after the program → the command
CONTAINER_ALIASES: Mapping[str, Mapping[tuple[str, ...], str]] = MappingProxyType(
    {
        program: MappingProxyType(
            {
                ("image", "build"): "build",
                ("image", "tag"): "tag",
                ("image", "push"): "push",
                ("image", "save"): "save",
                ("image", "load"): "load",
                ("image", "ls"): "images",
                ("image", "list"): "images",
                **({("buildx", "build"): "build"} if program == "docker" else {}),
            }
        )
        for program in ("docker", "podman")
    }
)


@cache
def container_table(program: str, command: str) -> FlagTable:
    """The flag table of one Docker or Podman image command (``GENERIC`` for a command not described)."""
    found = _CONTAINER_FLAGS.get((program, command))
    if found is None:
        return GENERIC
    bools, values, shorts = found
    return FlagTable(
        bools=_words(bools) | {"help"}, values=_words(values), shorts=MappingProxyType({"h": "help", **shorts})
    )


TOOLS: Mapping[str, FlagTable] = MappingProxyType(
    {"kubectl": KUBECTL, "helm": HELM, "etcdctl": ETCD, "etcdutl": ETCD, "kubeadm": KUBEADM}
)
PROGRAM_ALIASES = MappingProxyType({"k": "kubectl"})
#: container clients whose image commands have tables (:func:`container_table`)
CONTAINER_PROGRAMS = frozenset({"docker", "podman"})

# --- defaults -----------------------------------------------------------------------------------------------------

#: (command, flag) pairs whose graph default is not what the command does when the flag is left out, or that act
#: differently once given even with that value; such a flag is never left out as a default
GIVEN_DEFAULT_DIFFERS = frozenset(
    {
        # kubectl release-1.35 pkg/cmd/apiresources/apiresources.go: a given --namespaced filters (nsChanged)
        ("kubectl api-resources", "namespaced"),
        # pkg/cmd/delete/delete.go: with --all, -l or --field-selector, --ignore-not-found is true unless given
        ("kubectl delete", "ignore-not-found"),
        # pkg/cmd/logs/logs.go: with a selector, --tail is 10 unless given (TailSpecified)
        ("kubectl logs", "tail"),
        # terraform v1.12.2 internal/command/arguments/output.go, state_list.go, state_show.go: -state defaults
        # to "", the configured backend's state, which is terraform.tfstate only for the default local backend
        ("terraform output", "state"),
        ("terraform state list", "state"),
        ("terraform state show", "state"),
    }
)


@dataclass(frozen=True)
class FlagDefaults:
    """What each command's flags are when they are not given: a flag given once with its default does the same
    as leaving it out, so :func:`questions.command_lines.parse_command` leaves it out.

    ``commands`` maps a command's words (``("kubectl", "set", "resources")``) to the defaults of its flags by long
    name without dashes (``{"all": "false", "dry-run": "none"}``), as the graph writes them; a command also has
    its tool's own flags (kubectl's ``--request-timeout``), but not those of the commands in between (``kubectl
    create``'s ``--edit`` is no flag of ``kubectl create deployment``).
    """

    commands: Mapping[tuple[str, ...], Mapping[str, str]] = field(default_factory=dict)

    @classmethod
    def from_hands_on(cls, hands: HandsOn) -> FlagDefaults:
        """The defaults the graph states (``ops:defaultValue``), less :data:`GIVEN_DEFAULT_DIFFERS`."""
        stated: dict[str, dict[str, str]] = {}
        for flag in hands.flags.values():
            if flag.default and flag.name:
                stated.setdefault(flag.command, {})[flag.name.lstrip("-")] = flag.default
        commands: dict[tuple[str, ...], Mapping[str, str]] = {}
        for command in hands.commands.values():
            root, seen = command, {command.iri}
            while root.parent in hands.commands and root.parent not in seen:
                seen.add(root.parent)
                root = hands.commands[root.parent]
            merged = {**(stated.get(root.iri, {}) if root is not command else {}), **stated.get(command.iri, {})}
            kept = {name: value for name, value in merged.items() if (command.label, name) not in GIVEN_DEFAULT_DIFFERS}
            if command.label.split():
                commands[tuple(command.label.split())] = MappingProxyType(kept)
        return cls(MappingProxyType(commands))

    def of(self, words: Sequence[str]) -> Mapping[str, str]:
        """The defaults of the longest command that ``words`` (program, subcommands, arguments) starts with."""
        for end in range(len(words), 0, -1):
            found = self.commands.get(tuple(words[:end]))
            if found is not None:
                return found
        return MappingProxyType({})


@cache
def shipped_flag_defaults() -> FlagDefaults:
    """The flag defaults of the shipped graph, read once per process."""
    from opsprep.graph.store import default_graph

    from .hands_on_facts import read_hands_on

    return FlagDefaults.from_hands_on(read_hands_on(default_graph()))
