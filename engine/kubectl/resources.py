"""The API resources kubectl knows: names, short names, groups, scope (api-resources)."""
from __future__ import annotations

from dataclasses import dataclass

from engine.kubectl.errors import unknown_type


@dataclass(frozen=True)
class Resource:
    plural: str
    singular: str
    kind: str
    group: str = ""              # "" = core
    version: str = "v1"
    namespaced: bool = True
    shorts: tuple[str, ...] = ()
    supported: bool = True       # stored and printed by the sandbox (others list as empty)

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def qualified(self) -> str:
        """`pods`, `deployments.apps` — how the server names it in errors."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    @property
    def label(self) -> str:
        """`pod`, `deployment.apps` — how kubectl names objects in messages and `-o name`."""
        kind = self.kind.lower()
        return f"{kind}.{self.group}" if self.group else kind


R = Resource
# Order matters for api-resources: core first, then groups alphabetically, rows alphabetical.
RESOURCES: tuple[Resource, ...] = (
    R("bindings", "binding", "Binding", supported=False),
    R("componentstatuses", "componentstatus", "ComponentStatus", namespaced=False, shorts=("cs",), supported=False),
    R("configmaps", "configmap", "ConfigMap", shorts=("cm",)),
    R("endpoints", "endpoints", "Endpoints", shorts=("ep",)),
    R("events", "event", "Event", shorts=("ev",)),
    R("limitranges", "limitrange", "LimitRange", shorts=("limits",), supported=False),
    R("namespaces", "namespace", "Namespace", namespaced=False, shorts=("ns",)),
    R("nodes", "node", "Node", namespaced=False, shorts=("no",)),
    R("persistentvolumeclaims", "persistentvolumeclaim", "PersistentVolumeClaim", shorts=("pvc",)),
    R("persistentvolumes", "persistentvolume", "PersistentVolume", namespaced=False, shorts=("pv",)),
    R("pods", "pod", "Pod", shorts=("po",)),
    R("podtemplates", "podtemplate", "PodTemplate", supported=False),
    R("replicationcontrollers", "replicationcontroller", "ReplicationController", shorts=("rc",), supported=False),
    R("resourcequotas", "resourcequota", "ResourceQuota", shorts=("quota",), supported=False),
    R("secrets", "secret", "Secret"),
    R("serviceaccounts", "serviceaccount", "ServiceAccount", shorts=("sa",)),
    R("services", "service", "Service", shorts=("svc",)),
    R("mutatingwebhookconfigurations", "mutatingwebhookconfiguration", "MutatingWebhookConfiguration",
      "admissionregistration.k8s.io", namespaced=False, supported=False),
    R("validatingwebhookconfigurations", "validatingwebhookconfiguration", "ValidatingWebhookConfiguration",
      "admissionregistration.k8s.io", namespaced=False, supported=False),
    R("customresourcedefinitions", "customresourcedefinition", "CustomResourceDefinition", "apiextensions.k8s.io",
      namespaced=False, shorts=("crd", "crds"), supported=False),
    R("apiservices", "apiservice", "APIService", "apiregistration.k8s.io", namespaced=False, supported=False),
    R("controllerrevisions", "controllerrevision", "ControllerRevision", "apps", supported=False),
    R("daemonsets", "daemonset", "DaemonSet", "apps", shorts=("ds",)),
    R("deployments", "deployment", "Deployment", "apps", shorts=("deploy",)),
    R("replicasets", "replicaset", "ReplicaSet", "apps", shorts=("rs",)),
    R("statefulsets", "statefulset", "StatefulSet", "apps", shorts=("sts",), supported=False),
    R("tokenreviews", "tokenreview", "TokenReview", "authentication.k8s.io", namespaced=False, supported=False),
    R("localsubjectaccessreviews", "localsubjectaccessreview", "LocalSubjectAccessReview", "authorization.k8s.io",
      supported=False),
    R("selfsubjectaccessreviews", "selfsubjectaccessreview", "SelfSubjectAccessReview", "authorization.k8s.io",
      namespaced=False, supported=False),
    R("selfsubjectrulesreviews", "selfsubjectrulesreview", "SelfSubjectRulesReview", "authorization.k8s.io",
      namespaced=False, supported=False),
    R("subjectaccessreviews", "subjectaccessreview", "SubjectAccessReview", "authorization.k8s.io",
      namespaced=False, supported=False),
    R("horizontalpodautoscalers", "horizontalpodautoscaler", "HorizontalPodAutoscaler", "autoscaling",
      shorts=("hpa",), supported=False),
    R("cronjobs", "cronjob", "CronJob", "batch", "v1beta1", shorts=("cj",), supported=False),
    R("jobs", "job", "Job", "batch", supported=False),
    R("certificatesigningrequests", "certificatesigningrequest", "CertificateSigningRequest", "certificates.k8s.io",
      namespaced=False, shorts=("csr",), supported=False),
    R("leases", "lease", "Lease", "coordination.k8s.io", supported=False),
    R("endpointslices", "endpointslice", "EndpointSlice", "discovery.k8s.io", "v1beta1", supported=False),
    R("events", "event", "Event", "events.k8s.io", shorts=("ev",), supported=False),
    R("ingresses", "ingress", "Ingress", "extensions", "v1beta1", shorts=("ing",), supported=False),
    R("flowschemas", "flowschema", "FlowSchema", "flowcontrol.apiserver.k8s.io", "v1beta1", namespaced=False,
      supported=False),
    R("prioritylevelconfigurations", "prioritylevelconfiguration", "PriorityLevelConfiguration",
      "flowcontrol.apiserver.k8s.io", "v1beta1", namespaced=False, supported=False),
    R("ingressclasses", "ingressclass", "IngressClass", "networking.k8s.io", namespaced=False, supported=False),
    R("ingresses", "ingress", "Ingress", "networking.k8s.io", shorts=("ing",), supported=False),
    R("networkpolicies", "networkpolicy", "NetworkPolicy", "networking.k8s.io", shorts=("netpol",), supported=False),
    R("runtimeclasses", "runtimeclass", "RuntimeClass", "node.k8s.io", namespaced=False, supported=False),
    R("poddisruptionbudgets", "poddisruptionbudget", "PodDisruptionBudget", "policy", "v1beta1", shorts=("pdb",),
      supported=False),
    R("podsecuritypolicies", "podsecuritypolicy", "PodSecurityPolicy", "policy", "v1beta1", namespaced=False,
      shorts=("psp",)),
    R("clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", "rbac.authorization.k8s.io",
      namespaced=False),
    R("clusterroles", "clusterrole", "ClusterRole", "rbac.authorization.k8s.io", namespaced=False),
    R("rolebindings", "rolebinding", "RoleBinding", "rbac.authorization.k8s.io"),
    R("roles", "role", "Role", "rbac.authorization.k8s.io"),
    R("priorityclasses", "priorityclass", "PriorityClass", "scheduling.k8s.io", namespaced=False, shorts=("pc",),
      supported=False),
    R("csidrivers", "csidriver", "CSIDriver", "storage.k8s.io", namespaced=False, supported=False),
    R("csinodes", "csinode", "CSINode", "storage.k8s.io", namespaced=False, supported=False),
    R("storageclasses", "storageclass", "StorageClass", "storage.k8s.io", namespaced=False, shorts=("sc",),
      supported=False),
    R("volumeattachments", "volumeattachment", "VolumeAttachment", "storage.k8s.io", namespaced=False,
      supported=False),
)

_INDEX: dict[str, Resource] = {}
for _r in RESOURCES:
    # The first registration of a name wins: `events` is core v1, `ingresses` extensions.
    for _n in (_r.plural, _r.singular, *_r.shorts, _r.kind.lower()):
        _INDEX.setdefault(_n, _r)
    _INDEX.setdefault(f"{_r.plural}.{_r.group}" if _r.group else _r.plural, _r)
    _INDEX.setdefault(f"{_r.singular}.{_r.group}" if _r.group else _r.singular, _r)
    _INDEX.setdefault(f"{_r.plural}.{_r.version}.{_r.group}" if _r.group else _r.plural, _r)

BY_KIND: dict[str, Resource] = {}
for _r in RESOURCES:
    BY_KIND.setdefault(_r.kind, _r)


def resolve(name: str) -> Resource:
    """`po`, `Pods`, `deployments.apps`, `deploy` -> the Resource; kubectl's error otherwise."""
    r = _INDEX.get(name.lower())
    if r is None:
        raise unknown_type(name)
    return r


def for_kind(kind: str) -> Resource:
    return BY_KIND[kind]
