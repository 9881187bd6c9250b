"""Pod creation and deletion as the API server does them (admission defaults, graceful delete)."""
from __future__ import annotations

from engine.cluster import Cluster
from engine.controllers import kubelet
from engine.objects import default_pod_spec, pod_from_template


def admit(cluster: Cluster, pod: dict) -> dict:
    """Admission: service-account token volume, default tolerations, status Pending."""
    from engine.bootstrap import token_secret
    ns = pod["metadata"].setdefault("namespace", "default")
    default_pod_spec(pod["spec"], token_secret(cluster, ns, pod["spec"].get("serviceAccountName") or "default"))
    pod["status"] = {"phase": "Pending", "qosClass": kubelet.qos_class(pod)}
    return pod


def create_from_template(cluster: Cluster, template: dict, namespace: str, generate_name: str, owner: dict) -> dict:
    pod = pod_from_template(template, namespace)
    pod["metadata"]["generateName"] = generate_name
    pod["metadata"]["ownerReferences"] = [owner]
    admit(cluster, pod)
    cluster.create(pod, generate=True)
    if pod["spec"].get("nodeName"):
        kubelet.bound(cluster, pod)
    return pod


def create_pod(cluster: Cluster, pod: dict) -> dict:
    admit(cluster, pod)
    cluster.create(pod)
    if pod["spec"].get("nodeName"):
        kubelet.bound(cluster, pod)
    return pod


def delete_pod(cluster: Cluster, pod: dict, *, grace: int | None = None, force: bool = False) -> float | None:
    """Graceful delete. Returns seconds until the pod is gone (kubectl waits that long), or None
    when it will stay Terminating because its node cannot confirm."""
    md = pod["metadata"]
    if force:
        cluster.remove(pod)
        return 0.0
    if md.get("deletionTimestamp"):
        return None if not kubelet._host_up(cluster, pod["spec"].get("nodeName")) else 0.0
    if kubelet.is_mirror(pod) and kubelet._host_up(cluster, pod["spec"].get("nodeName")):
        kubelet.recreate_mirror(cluster, pod)
        return 0.0
    period = pod["spec"].get("terminationGracePeriodSeconds", 30) if grace is None else grace
    md["deletionTimestamp"] = cluster.stamp(cluster.now + period)
    md["deletionGracePeriodSeconds"] = period
    cluster.update(pod)
    return kubelet.terminate(cluster, pod)
