"""Pod (v1, namespaced)."""
from engine.apiserver import validate
import copy

from engine.apiserver.kind import Kind


def defaults(cluster, obj: dict) -> None:
    """Admission: the service account's token volume, default tolerations, priority."""
    from engine.bootstrap import token_secret
    from engine.objects import default_pod_spec
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        return
    sa = spec.get("serviceAccountName") or spec.get("serviceAccount") or "default"
    existing = next((v["name"] for v in spec.get("volumes") or () if isinstance(v, dict)
                     and str(v.get("name", "")).startswith(f"{sa}-token-")), None)
    default_pod_spec(spec, existing or token_secret(cluster, obj["metadata"]["namespace"], sa))


def store(cluster, obj: dict) -> dict:
    from engine import podops
    return podops.create_pod(cluster, obj)


def prepare_update(live: dict, new: dict) -> None:
    """What the scheduler and admission set stays when a PUT leaves it out."""
    spec, live_spec = new["spec"], live.get("spec") or {}
    for key in ("nodeName", "volumes", "serviceAccountName", "serviceAccount", "tolerations", "priority",
                "enableServiceLinks", "preemptionPolicy"):
        if key in live_spec:
            spec.setdefault(key, copy.deepcopy(live_spec[key]))
    old = {c["name"]: c for c in live_spec.get("containers") or ()}
    for c in spec.get("containers") or ():
        if isinstance(c, dict) and "volumeMounts" in old.get(c.get("name"), {}):
            c.setdefault("volumeMounts", copy.deepcopy(old[c["name"]]["volumeMounts"]))


def validate_update(live: dict, new: dict) -> list[str]:
    """Only images, activeDeadlineSeconds and tolerations of a pod may change."""
    before, after = copy.deepcopy(live.get("spec") or {}), copy.deepcopy(new.get("spec") or {})
    for spec in (before, after):
        for c in spec.get("containers") or ():
            c.pop("image", None)
        spec.pop("activeDeadlineSeconds", None)
        spec.pop("tolerations", None)
    if before == after:
        return []
    return ["spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`, "
            "`spec.initContainers[*].image`, `spec.activeDeadlineSeconds` or `spec.tolerations` "
            "(only additions to existing tolerations)"]


def delete(cluster, obj: dict, grace, force) -> float | None:
    """Graceful: Terminating for the grace period while the kubelet stops the containers."""
    from engine import podops
    return podops.delete_pod(cluster, obj, grace=grace, force=force)


KIND = Kind("Pod",
            "pods",
            "pod",
            shorts=('po',),
            categories=('all',),
            schema="io.k8s.api.core.v1.Pod",
            describer="engine.kubectl.describe_pod:describe_pod",
            validate=validate.pod,
            defaults=defaults,
            store=store,
            validate_update=validate_update,
            prepare_update=prepare_update,
            delete=delete)
