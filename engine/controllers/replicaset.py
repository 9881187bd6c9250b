"""ReplicaSet controller: keep `spec.replicas` pods; pick scale-down victims as 1.20 does."""
from __future__ import annotations

import copy

from engine.cluster import Cluster, owner_ref
from engine import podops
from engine.cluster import TooManyObjects


FAILED_CREATE = "Error creating: the sandbox holds too many objects"


def pods_by_owner(cluster: Cluster) -> dict[str, list[dict]]:
    """Pods grouped by their controller's uid, in name order (one pass instead of one per owner)."""
    index: dict[str, list[dict]] = {}
    for pod in cluster.list("Pod"):
        for ref in pod["metadata"].get("ownerReferences") or ():
            if ref.get("controller"):
                index.setdefault(ref.get("uid"), []).append(pod)
    return index


def owned_pods(cluster: Cluster, owner: dict, index: dict[str, list[dict]] | None = None) -> list[dict]:
    if index is None:
        index = pods_by_owner(cluster)
    return list(index.get(owner["metadata"]["uid"], ()))


def is_active(pod: dict) -> bool:
    return not pod["metadata"].get("deletionTimestamp") and pod["status"].get("phase") not in ("Succeeded", "Failed")


def is_ready(pod: dict) -> bool:
    return any(c["type"] == "Ready" and c["status"] == "True" for c in pod["status"].get("conditions") or ())


def sync(cluster: Cluster) -> None:
    index = pods_by_owner(cluster)
    for rs in cluster.iter("ReplicaSet"):
        if not rs["metadata"].get("deletionTimestamp"):
            sync_one(cluster, rs, index)


def sync_one(cluster: Cluster, rs: dict, index: dict[str, list[dict]] | None = None) -> None:
    pods = owned_pods(cluster, rs, index)
    active = [p for p in pods if is_active(p)]
    diff = rs["spec"]["replicas"] - len(active)
    failure = None
    if diff > 0:
        for _ in range(diff):
            try:
                pod = podops.create_from_template(cluster, rs["spec"]["template"], rs["metadata"]["namespace"],
                                                  rs["metadata"]["name"] + "-", owner_ref(rs))
            except TooManyObjects:
                failure = FAILED_CREATE
                break
            cluster.event(rs, "SuccessfulCreate", f"Created pod: {pod['metadata']['name']}", "replicaset-controller")
            active.append(pod)
        if failure and _failure_condition(rs) is None:
            # Told once, as the ReplicaFailure condition records: repeating the event on every pass
            # would count as a change and keep the controllers from settling (a 3000-replica scale
            # at the object cap took minutes).
            cluster.event(rs, "FailedCreate", failure, "replicaset-controller", type_="Warning")
    elif diff < 0:
        for pod in victims(active, -diff):
            podops.delete_pod(cluster, pod)
            cluster.event(rs, "SuccessfulDelete", f"Deleted pod: {pod['metadata']['name']}", "replicaset-controller")
            active.remove(pod)
    _status(cluster, rs, active, failure)


def victims(pods: list[dict], count: int) -> list[dict]:
    """controller.ActivePods ordering (1.20): the first `count` are deleted."""
    ready_per_node: dict[str, int] = {}
    for p in pods:
        if is_ready(p) and p["spec"].get("nodeName"):
            ready_per_node[p["spec"]["nodeName"]] = ready_per_node.get(p["spec"]["nodeName"], 0) + 1
    phase_rank = {"Pending": 0, "Unknown": 1, "Running": 2}

    def ready_since(p: dict) -> str:
        for c in p["status"].get("conditions") or ():
            if c["type"] == "Ready" and c["status"] == "True":
                return c.get("lastTransitionTime") or ""
        return ""

    def key(p: dict):
        node = p["spec"].get("nodeName")
        restarts = sum(cs.get("restartCount", 0) for cs in p["status"].get("containerStatuses") or ())
        return (1 if node else 0,
                phase_rank.get(p["status"].get("phase", "Pending"), 0),
                1 if is_ready(p) else 0,
                -ready_per_node.get(node, 0) if node else 0,
                _neg(ready_since(p)),
                -restarts,
                _neg(p["metadata"].get("creationTimestamp", "")))
    return sorted(pods, key=key)[:count]


def _neg(stamp: str) -> tuple:
    """Later timestamps sort first."""
    return tuple(-ord(ch) for ch in stamp)


def _failure_condition(rs: dict) -> dict | None:
    for c in (rs.get("status") or {}).get("conditions") or ():
        if c["type"] == "ReplicaFailure":
            return c
    return None


def _status(cluster: Cluster, rs: dict, active: list[dict], failure: str | None = None) -> None:
    ready = [p for p in active if is_ready(p)]
    labels = rs["spec"]["template"]["metadata"].get("labels") or {}
    fully = [p for p in active if all((p["metadata"].get("labels") or {}).get(k) == v for k, v in labels.items())]
    new = {"replicas": len(active), "fullyLabeledReplicas": len(fully), "readyReplicas": len(ready),
           "availableReplicas": len(ready), "observedGeneration": rs["metadata"].get("generation", 1)}
    new = {k: v for k, v in new.items() if v or k in ("replicas", "observedGeneration")}
    if failure:
        old = _failure_condition(rs)
        new["conditions"] = [{"lastTransitionTime": old["lastTransitionTime"] if old else cluster.stamp(),
                              "message": failure, "reason": "FailedCreate", "status": "True",
                              "type": "ReplicaFailure"}]
    if rs.get("status") != new:
        rs["status"] = copy.deepcopy(new)
        cluster.touch(rs)
