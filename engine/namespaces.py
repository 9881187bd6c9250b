"""Namespace deletion as the namespace controller does it.

`kubectl delete namespace dev`: the namespace turns Terminating (deletionTimestamp, phase
Terminating), everything in it is deleted — pods gracefully, the rest at once — and when the
last pod is gone the `kubernetes` finalizer is removed and the namespace disappears. kubectl
waits for that (its default --wait=true), so the student usually sees only the final line.
"""
from __future__ import annotations

from engine import images, netplan, podops
from engine.apiserver import registry
from engine.cluster import Cluster
from engine.timefmt import parse_rfc3339

PROTECTED = ("default", "kube-system", "kube-public", "kube-node-lease")
SWEEP_DELAY = 1.0         # the namespace controller notices the deletion
FINALIZE_DELAY = 2.0      # and looks again this long after the last pod began terminating
STUCK_RECHECK = 30.0      # a pod on a dead node keeps the namespace Terminating; look rarely


def begin_termination(cluster: Cluster, ns: dict) -> float:
    """Mark Terminating; the namespace controller empties it a moment later (so a `delete -f`
    that names the namespace first still finds the objects after it). Returns about how long
    until the namespace is gone, for kubectl's wait."""
    md = ns["metadata"]
    name = md["name"]
    if not md.get("deletionTimestamp"):
        md["deletionTimestamp"] = cluster.stamp()
        ns.setdefault("status", {})["phase"] = "Terminating"
        cluster.update(ns)
        cluster.schedule(SWEEP_DELAY, "namespace.finalize", name)
    pods = [p for p in cluster.list("Pod", name) if (p.get("status") or {}).get("phase") == "Running"]
    return SWEEP_DELAY + max([images.stop_seconds(p) for p in pods] or [0.0]) + FINALIZE_DELAY


def finalize(cluster: Cluster, name: str) -> None:
    """Timer: remove the namespace once nothing is left in it; look again later otherwise."""
    ns = cluster.get("Namespace", "", name)
    if ns is None or not ns["metadata"].get("deletionTimestamp"):
        return
    remaining = 0.0
    for kind, objs in list(cluster.by_kind.items()):
        if kind == "Event" or not registry.namespaced(kind):       # events expire on their own
            continue
        for (obj_ns, _), obj in list(objs.items()):
            if obj_ns != name:
                continue
            if kind == "Pod":
                took = podops.delete_pod(cluster, obj) if not obj["metadata"].get("deletionTimestamp") else None
                if cluster.get("Pod", name, obj["metadata"]["name"]) is obj:
                    remaining = max(remaining, took or _until_gone(cluster, obj))
            else:
                if kind == "Service":
                    netplan.release_service(cluster, obj)
                cluster.remove(obj)
    if remaining:
        cluster.schedule(max(remaining, FINALIZE_DELAY) + 0.1, "namespace.finalize", name)
        return
    for ev in list(cluster.iter("Event")):
        if ev["metadata"].get("namespace") == name:
            cluster.remove(ev)
    cluster.remove(ns)


def _until_gone(cluster: Cluster, pod: dict) -> float:
    """A terminating pod goes about when its grace period ends; long after that its node is silent: look rarely."""
    left = parse_rfc3339(pod["metadata"]["deletionTimestamp"]) - cluster.now
    return FINALIZE_DELAY if left > -10 else STUCK_RECHECK

