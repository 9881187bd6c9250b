"""Deployment controller: the ReplicaSet for the current template, rolling updates, status.

The new ReplicaSet is found by comparing templates (ignoring the hash label), as the real
controller does, and only a missing one is named by the pod-template-hash.
"""
from __future__ import annotations

import copy
import math

from engine.cluster import Cluster, owner_ref
from engine.podhash import pod_template_hash
from engine.timefmt import parse_rfc3339

REVISION = "deployment.kubernetes.io/revision"
HASH = "pod-template-hash"


def _owned_rs(cluster: Cluster, dep: dict) -> list[dict]:
    uid = dep["metadata"]["uid"]
    ns = dep["metadata"]["namespace"]
    return [rs for rs in cluster.list("ReplicaSet", ns)
            if any(r.get("uid") == uid and r.get("controller") for r in rs["metadata"].get("ownerReferences") or ())]


def _strip_hash(template: dict) -> dict:
    """The template without its pod-template-hash label (shallow copies: only labels differ)."""
    md = template.get("metadata") or {}
    labels = md.get("labels")
    if not labels or HASH not in labels:
        return template
    return {**template, "metadata": {**md, "labels": {k: v for k, v in labels.items() if k != HASH}}}


def _resolve(value, replicas: int, round_up: bool) -> int:
    if isinstance(value, str) and value.endswith("%"):
        frac = int(value[:-1]) * replicas / 100
        return math.ceil(frac) if round_up else math.floor(frac)
    return int(value or 0)


def surge_and_unavailable(dep: dict) -> tuple[int, int]:
    spec = dep["spec"]
    if spec["strategy"].get("type") == "Recreate":
        return 0, spec["replicas"]
    ru = spec["strategy"].get("rollingUpdate") or {}
    surge = _resolve(ru.get("maxSurge", "25%"), spec["replicas"], True)
    unavailable = _resolve(ru.get("maxUnavailable", "25%"), spec["replicas"], False)
    if surge == 0 and unavailable == 0:
        unavailable = 1
    return surge, unavailable


def revision_of(obj: dict) -> int:
    try:
        return int((obj["metadata"].get("annotations") or {}).get(REVISION, "0"))
    except ValueError:
        return 0


def new_replicaset(cluster: Cluster, dep: dict, pod_hash: str, replicas: int) -> dict:
    template = copy.deepcopy(dep["spec"]["template"])
    template.setdefault("metadata", {}).setdefault("labels", {})[HASH] = pod_hash
    selector = copy.deepcopy(dep["spec"]["selector"])
    selector.setdefault("matchLabels", {})[HASH] = pod_hash
    labels = dict(dep["spec"]["template"]["metadata"].get("labels") or {})
    labels[HASH] = pod_hash
    surge, _ = surge_and_unavailable(dep)
    rs = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {
        "name": f"{dep['metadata']['name']}-{pod_hash}", "namespace": dep["metadata"]["namespace"],
        "labels": labels, "ownerReferences": [owner_ref(dep)], "generation": 1,
        "annotations": {"deployment.kubernetes.io/desired-replicas": str(dep["spec"]["replicas"]),
                        "deployment.kubernetes.io/max-replicas": str(dep["spec"]["replicas"] + surge),
                        REVISION: "1"}},
        "spec": {"replicas": replicas, "selector": selector, "template": template},
        "status": {"replicas": 0}}
    return rs


def sync(cluster: Cluster) -> None:
    for dep in cluster.iter("Deployment"):
        if dep["metadata"].get("deletionTimestamp"):
            continue
        sync_one(cluster, dep)


def sync_one(cluster: Cluster, dep: dict) -> None:
    rses = _owned_rs(cluster, dep)
    want = _strip_hash(dep["spec"]["template"])
    new = next((rs for rs in rses if _strip_hash(rs["spec"]["template"]) == want), None)
    olds = [rs for rs in rses if rs is not new]
    replicas = dep["spec"]["replicas"]
    paused = dep["spec"].get("paused", False)
    max_rev = max([revision_of(rs) for rs in rses] or [0])
    if new is None:
        if paused:
            _update_status(cluster, dep, None, olds)
            return
        pod_hash = pod_template_hash(dep["spec"]["template"], (dep.get("status") or {}).get("collisionCount"))
        active_old = sum(rs["spec"]["replicas"] for rs in olds)
        start = replicas if not active_old else 0
        new = new_replicaset(cluster, dep, pod_hash, start)
        new["metadata"]["annotations"][REVISION] = str(max_rev + 1)
        if cause := (dep["metadata"].get("annotations") or {}).get("kubernetes.io/change-cause"):
            new["metadata"]["annotations"]["kubernetes.io/change-cause"] = cause
        cluster.create(new)
        _set_condition(cluster, dep, "Progressing", "True", "NewReplicaSetCreated",
                       f'Created new replica set "{new["metadata"]["name"]}"')
        if start:
            _scaled(cluster, dep, new, 0, start)
    elif revision_of(new) < max_rev and olds:
        # A rollback or re-applied old template: the old ReplicaSet becomes the newest revision.
        ann = new["metadata"].setdefault("annotations", {})
        ann[REVISION] = str(max_rev + 1)
        cluster.update(new)
    ann = dep["metadata"].setdefault("annotations", {})
    if ann.get(REVISION) != new["metadata"]["annotations"].get(REVISION):
        ann[REVISION] = new["metadata"]["annotations"][REVISION]
        cluster.touch(dep)
    if not paused:
        if dep["spec"]["strategy"].get("type") == "Recreate":
            _recreate(cluster, dep, new, olds)
        else:
            _rolling(cluster, dep, new, olds)
    _sync_rs_annotations(cluster, dep, new)
    _cleanup_history(cluster, dep, olds)
    _update_status(cluster, dep, new, olds)


def _scale(cluster: Cluster, dep: dict, rs: dict, to: int) -> None:
    before = rs["spec"]["replicas"]
    if before == to:
        return
    rs["spec"]["replicas"] = to
    cluster.update(rs)
    _scaled(cluster, dep, rs, before, to)


def _scaled(cluster: Cluster, dep: dict, rs: dict, before: int, to: int) -> None:
    verb = "up" if to > before else "down"
    cluster.event(dep, "ScalingReplicaSet", f"Scaled {verb} replica set {rs['metadata']['name']} to {to}",
                  "deployment-controller")


def _available(rs: dict) -> int:
    return (rs.get("status") or {}).get("availableReplicas", 0)


def _rolling(cluster: Cluster, dep: dict, new: dict, olds: list[dict]) -> None:
    replicas = dep["spec"]["replicas"]
    active_olds = [rs for rs in olds if rs["spec"]["replicas"] > 0]
    if not active_olds:
        _scale(cluster, dep, new, replicas)
        return
    surge, unavailable = surge_and_unavailable(dep)
    all_rs = [new] + active_olds
    total = sum(rs["spec"]["replicas"] for rs in all_rs)
    room = replicas + surge - total                      # scale the new ReplicaSet up within maxSurge
    if room > 0 and new["spec"]["replicas"] < replicas:
        _scale(cluster, dep, new, min(replicas, new["spec"]["replicas"] + room))
    min_available = replicas - unavailable
    oldest_first = sorted(active_olds, key=lambda r: r["metadata"]["creationTimestamp"])
    # Old pods that are unavailable anyway go first (cleanupUnhealthyReplicas) ...
    total = sum(rs["spec"]["replicas"] for rs in all_rs)
    budget = total - min_available - (new["spec"]["replicas"] - _available(new))
    for rs in oldest_first:
        drop = min(rs["spec"]["replicas"] - _available(rs), budget)
        if drop > 0:
            _scale(cluster, dep, rs, rs["spec"]["replicas"] - drop)
            budget -= drop
    # ... then available old pods, as far as maxUnavailable allows.
    budget = sum(min(_available(rs), rs["spec"]["replicas"]) for rs in all_rs) - min_available
    for rs in oldest_first:
        drop = min(rs["spec"]["replicas"], budget)
        if drop > 0:
            _scale(cluster, dep, rs, rs["spec"]["replicas"] - drop)
            budget -= drop


def _recreate(cluster: Cluster, dep: dict, new: dict, olds: list[dict]) -> None:
    for rs in olds:
        _scale(cluster, dep, rs, 0)
    still_running = any((rs.get("status") or {}).get("replicas", 0) for rs in olds)
    if not still_running:
        _scale(cluster, dep, new, dep["spec"]["replicas"])


def _sync_rs_annotations(cluster: Cluster, dep: dict, new: dict) -> None:
    surge, _ = surge_and_unavailable(dep)
    ann = new["metadata"].setdefault("annotations", {})
    want = {"deployment.kubernetes.io/desired-replicas": str(dep["spec"]["replicas"]),
            "deployment.kubernetes.io/max-replicas": str(dep["spec"]["replicas"] + surge)}
    if any(ann.get(k) != v for k, v in want.items()):
        ann.update(want)
        cluster.update(new)


def _cleanup_history(cluster: Cluster, dep: dict, olds: list[dict]) -> None:
    limit = dep["spec"].get("revisionHistoryLimit", 10)
    idle = [rs for rs in olds if rs["spec"]["replicas"] == 0 and not (rs.get("status") or {}).get("replicas")]
    idle.sort(key=revision_of)
    for rs in idle[:max(0, len(idle) - limit)]:
        cluster.remove(rs)


def _set_condition(cluster: Cluster, dep: dict, ctype: str, status: str, reason: str, message: str,
                   refresh: bool = False) -> bool:
    """Set a condition; an unchanged one keeps its times unless `refresh` (progress was made)."""
    conds = dep.setdefault("status", {}).setdefault("conditions", [])
    stamp = cluster.stamp()
    for c in conds:
        if c["type"] == ctype:
            if (c["status"], c["reason"], c["message"]) == (status, reason, message):
                if not refresh or c["lastUpdateTime"] == stamp:
                    return False
                c["lastUpdateTime"] = stamp
                return True
            if c["status"] != status:
                c["lastTransitionTime"] = stamp
            c.update(status=status, reason=reason, message=message, lastUpdateTime=stamp)
            return True
    conds.append({"lastTransitionTime": stamp, "lastUpdateTime": stamp, "message": message, "reason": reason,
                  "status": status, "type": ctype})
    return True


def _update_status(cluster: Cluster, dep: dict, new: dict | None, olds: list[dict]) -> None:
    all_rs = ([new] if new else []) + olds
    st = lambda rs, k: (rs.get("status") or {}).get(k, 0)  # noqa: E731
    replicas = dep["spec"]["replicas"]
    status = dep.setdefault("status", {})
    before = copy.deepcopy(status)
    total = sum(st(rs, "replicas") for rs in all_rs)
    available = sum(st(rs, "availableReplicas") for rs in all_rs)
    fields = {"observedGeneration": dep["metadata"].get("generation", 1), "replicas": total,
              "updatedReplicas": st(new, "replicas") if new else 0,
              "readyReplicas": sum(st(rs, "readyReplicas") for rs in all_rs), "availableReplicas": available,
              "unavailableReplicas": max(0, replicas - available) if total or replicas else 0}
    for k, v in fields.items():
        if v or k in ("observedGeneration",):
            status[k] = v
        else:
            status.pop(k, None)
    _, max_unavailable = surge_and_unavailable(dep)
    if available >= replicas - max_unavailable:
        _set_condition(cluster, dep, "Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.")
    else:
        _set_condition(cluster, dep, "Available", "False", "MinimumReplicasUnavailable",
                       "Deployment does not have minimum availability.")
    _order_available_first(status)
    if new is not None:
        name = new["metadata"]["name"]
        complete = (st(new, "replicas") == replicas and st(new, "availableReplicas") == replicas
                    and total == replicas)
        if complete:
            _set_condition(cluster, dep, "Progressing", "True", "NewReplicaSetAvailable",
                           f'ReplicaSet "{name}" has successfully progressed.')
        else:
            _track_progress(cluster, dep, name, before, status)
    if status != before:
        cluster.touch(dep)


def _order_available_first(status: dict) -> None:
    conds = status.get("conditions", [])
    conds.sort(key=lambda c: 0 if c["type"] == "Available" else 1)


# -- progress deadline (DeploymentProgressing / DeploymentTimedOut) ---------------------------------

DEADLINE = "deployment.progress_deadline"
PROGRESS_FIELDS = ("updatedReplicas", "readyReplicas", "availableReplicas")


def _progressing_condition(dep: dict) -> dict | None:
    return next((c for c in (dep.get("status") or {}).get("conditions") or () if c["type"] == "Progressing"), None)


def _made_progress(before: dict, after: dict) -> bool:
    """More updated/ready/available pods, or fewer old ones, than at the last look."""
    if any(after.get(k, 0) > before.get(k, 0) for k in PROGRESS_FIELDS):
        return True
    old = lambda st: st.get("replicas", 0) - st.get("updatedReplicas", 0)  # noqa: E731
    return old(after) < old(before)


def _track_progress(cluster: Cluster, dep: dict, rs_name: str, before: dict, status: dict) -> None:
    """A rollout under way: refresh Progressing on progress (or a new rollout) and book a look at the
    deadline; the timer, not this pass, decides a timeout, so the controller never reads the clock."""
    message = f'ReplicaSet "{rs_name}" is progressing.'
    cond = _progressing_condition(dep)
    # A new rollout (a new or rolled-back-to ReplicaSet, or a scale-up after completion) starts the clock.
    fresh = cond is None or cond["reason"] in ("NewReplicaSetCreated", "NewReplicaSetAvailable") or \
        f'"{rs_name}"' not in cond["message"]
    if fresh or _made_progress(before, status):
        changed = _set_condition(cluster, dep, "Progressing", "True", "ReplicaSetUpdated", message, refresh=True)
        if changed and not dep["spec"].get("paused"):
            md = dep["metadata"]
            cluster.cancel(DEADLINE, md["namespace"], md["name"])
            cluster.schedule(dep["spec"].get("progressDeadlineSeconds", 600), DEADLINE, md["namespace"], md["name"])


def progress_deadline(cluster: Cluster, namespace: str, name: str) -> None:
    """Timer action: still no progress since the last Progressing update -> ProgressDeadlineExceeded."""
    dep = cluster.get("Deployment", namespace, name)
    if dep is None or dep["spec"].get("paused") or dep["metadata"].get("deletionTimestamp"):
        return
    cond = _progressing_condition(dep)
    if cond is None or cond["status"] != "True" or cond["reason"] != "ReplicaSetUpdated":
        return
    deadline = dep["spec"].get("progressDeadlineSeconds", 600)
    if cluster.now + 1e-6 < parse_rfc3339(cond["lastUpdateTime"]) + deadline:
        return                  # progress was made since this timer was booked; a later one is due
    rs_name = cond["message"].split('"')[1]
    _set_condition(cluster, dep, "Progressing", "False", "ProgressDeadlineExceeded",
                   f'ReplicaSet "{rs_name}" has timed out progressing.')
    cluster.touch(dep)
