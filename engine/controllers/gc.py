"""Garbage collector: dependents whose controlling owner is gone are deleted (background propagation)."""
from __future__ import annotations

from engine.cluster import Cluster, controller_of
from engine import podops

OWNED_KINDS = ("ReplicaSet", "Job", "Pod")


def sync(cluster: Cluster) -> None:
    uids = {o["metadata"]["uid"] for kind in ("Deployment", "ReplicaSet", "DaemonSet", "CronJob", "Job", "Node")
            for o in cluster.iter(kind)}
    for kind in OWNED_KINDS:
        for obj in cluster.iter(kind):
            ref = controller_of(obj) or _cronjob_owner(obj)
            if ref is None or ref["uid"] in uids or obj["metadata"].get("deletionTimestamp"):
                continue
            if kind == "Pod":
                podops.delete_pod(cluster, obj)
            else:
                cluster.remove(obj)


def _cronjob_owner(obj: dict) -> dict | None:
    """`create job --from=cronjob/x` names the CronJob as a plain owner (no controller): it goes with it."""
    if obj.get("kind") != "Job":
        return None
    return next((r for r in obj["metadata"].get("ownerReferences") or () if r.get("kind") == "CronJob"), None)
