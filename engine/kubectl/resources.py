"""The API resources kubectl knows: names, short names, groups, scope (api-resources)."""
from __future__ import annotations

from dataclasses import dataclass, replace

from engine.apiserver import registry
from engine.apiserver.kind import Names
from engine.kubectl.errors import unknown_type


@dataclass(frozen=True)
class Resource(Names):
    plural: str
    singular: str
    kind: str
    group: str = ""              # "" = core
    version: str = "v1"
    namespaced: bool = True
    shorts: tuple[str, ...] = ()
    supported: bool = True       # stored and printed by the sandbox (others list as empty)


R = Resource
# What discovery lists but the sandbox does not store (it lists them as empty). The kinds it stores
# come from the API server's kind registry (engine/apiserver/kinds/), one module each.
_NOT_STORED: tuple[Resource, ...] = (
    R("bindings", "binding", "Binding"),
    R("limitranges", "limitrange", "LimitRange", shorts=("limits",)),
    R("podtemplates", "podtemplate", "PodTemplate"),
    R("replicationcontrollers", "replicationcontroller", "ReplicationController", shorts=("rc",)),
    R("resourcequotas", "resourcequota", "ResourceQuota", shorts=("quota",)),
    R("mutatingwebhookconfigurations", "mutatingwebhookconfiguration", "MutatingWebhookConfiguration",
      "admissionregistration.k8s.io", namespaced=False),
    R("validatingwebhookconfigurations", "validatingwebhookconfiguration", "ValidatingWebhookConfiguration",
      "admissionregistration.k8s.io", namespaced=False),
    R("customresourcedefinitions", "customresourcedefinition", "CustomResourceDefinition",
      "apiextensions.k8s.io", namespaced=False, shorts=("crd", "crds")),
    R("apiservices", "apiservice", "APIService", "apiregistration.k8s.io", namespaced=False),
    R("controllerrevisions", "controllerrevision", "ControllerRevision", "apps"),
    R("statefulsets", "statefulset", "StatefulSet", "apps", shorts=("sts",)),
    R("tokenreviews", "tokenreview", "TokenReview", "authentication.k8s.io", namespaced=False),
    R("localsubjectaccessreviews", "localsubjectaccessreview", "LocalSubjectAccessReview", "authorization.k8s.io"),
    R("selfsubjectaccessreviews", "selfsubjectaccessreview", "SelfSubjectAccessReview",
      "authorization.k8s.io", namespaced=False),
    R("selfsubjectrulesreviews", "selfsubjectrulesreview", "SelfSubjectRulesReview",
      "authorization.k8s.io", namespaced=False),
    R("subjectaccessreviews", "subjectaccessreview", "SubjectAccessReview", "authorization.k8s.io", namespaced=False),
    R("horizontalpodautoscalers", "horizontalpodautoscaler", "HorizontalPodAutoscaler",
      "autoscaling", shorts=("hpa",)),
    R("certificatesigningrequests", "certificatesigningrequest", "CertificateSigningRequest",
      "certificates.k8s.io", namespaced=False, shorts=("csr",)),
    R("leases", "lease", "Lease", "coordination.k8s.io"),
    R("endpointslices", "endpointslice", "EndpointSlice", "discovery.k8s.io", "v1beta1"),
    R("events", "event", "Event", "events.k8s.io", shorts=("ev",)),
    R("ingresses", "ingress", "Ingress", "extensions", "v1beta1", shorts=("ing",)),
    R("flowschemas", "flowschema", "FlowSchema", "flowcontrol.apiserver.k8s.io", "v1beta1", namespaced=False),
    R("prioritylevelconfigurations", "prioritylevelconfiguration", "PriorityLevelConfiguration",
      "flowcontrol.apiserver.k8s.io", "v1beta1", namespaced=False),
    R("ingressclasses", "ingressclass", "IngressClass", "networking.k8s.io", namespaced=False),
    R("ingresses", "ingress", "Ingress", "networking.k8s.io", shorts=("ing",)),
    R("networkpolicies", "networkpolicy", "NetworkPolicy", "networking.k8s.io", shorts=("netpol",)),
    R("runtimeclasses", "runtimeclass", "RuntimeClass", "node.k8s.io", namespaced=False),
    R("poddisruptionbudgets", "poddisruptionbudget", "PodDisruptionBudget", "policy", "v1beta1", shorts=("pdb",)),
    R("priorityclasses", "priorityclass", "PriorityClass", "scheduling.k8s.io", namespaced=False, shorts=("pc",)),
    R("csidrivers", "csidriver", "CSIDriver", "storage.k8s.io", namespaced=False),
    R("csinodes", "csinode", "CSINode", "storage.k8s.io", namespaced=False),
    R("storageclasses", "storageclass", "StorageClass", "storage.k8s.io", namespaced=False, shorts=("sc",)),
    R("volumeattachments", "volumeattachment", "VolumeAttachment", "storage.k8s.io", namespaced=False),
)
_STORED = tuple(Resource(k.plural, k.singular, k.kind, k.group, k.version, k.namespaced, k.shorts)
                for k in registry.KINDS.values() if k.stored or k.read)
# api-resources order: core first, then groups alphabetically, rows alphabetical.
RESOURCES: tuple[Resource, ...] = tuple(sorted(_STORED + tuple(replace(r, supported=False) for r in _NOT_STORED),
                                               key=lambda r: (r.group != "", r.group, r.plural)))

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
