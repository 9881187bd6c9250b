"""kube-scheduler 1.20 for the lab: filters in the real order with the real reasons, then
LeastAllocated + BalancedAllocation scoring (pods without requests count 100m / 200Mi),
ties broken at random."""
from __future__ import annotations

from engine.cluster import Cluster
from engine.controllers import kubelet
from engine import quantity

MAX_PODS = 110
NONZERO_CPU_MILLI = 100
NONZERO_MEM = 200 * 1024 * 1024


def tolerates(tolerations: list[dict], taint: dict) -> bool:
    for t in tolerations or ():
        if t.get("effect") and t["effect"] != taint["effect"]:
            continue
        op = t.get("operator", "Equal")
        if op == "Exists" and (not t.get("key") or t["key"] == taint["key"]):
            return True
        if op == "Equal" and t.get("key") == taint["key"] and (t.get("value") or "") == (taint.get("value") or ""):
            return True
    return False


def node_pods(cluster: Cluster, node: str) -> list[dict]:
    return [p for p in cluster.iter("Pod") if p["spec"].get("nodeName") == node
            and p["status"].get("phase") not in ("Succeeded", "Failed")]


def pods_by_node(cluster: Cluster, nodes: list[dict]) -> dict[str, list[dict]]:
    """node_pods for every node in one pass over the pods (a pass per node cost 4x at 2,000 pods)."""
    on: dict[str, list[dict]] = {n["metadata"]["name"]: [] for n in nodes}
    for p in cluster.iter("Pod"):
        node = p["spec"].get("nodeName")
        if node in on and p["status"].get("phase") not in ("Succeeded", "Failed"):
            on[node].append(p)
    return on


def _requests(pod: dict) -> tuple[int, int]:
    cpu = mem = 0
    for c in pod["spec"]["containers"]:
        req = (c.get("resources") or {}).get("requests") or {}
        cpu += quantity.milli(req["cpu"]) if "cpu" in req else NONZERO_CPU_MILLI
        mem += quantity.value(req["memory"]) if "memory" in req else NONZERO_MEM
    return cpu, mem


def _filter(cluster: Cluster, pod: dict, node: dict, pods_on: dict[str, list]) -> str | None:
    """None if the pod fits, else the scheduler's reason string for this node."""
    name = node["metadata"]["name"]
    if node["spec"].get("unschedulable") and not tolerates(pod["spec"].get("tolerations"),
                                                          {"key": "node.kubernetes.io/unschedulable",
                                                           "effect": "NoSchedule"}):
        return "node(s) were unschedulable"
    if len(pods_on[name]) + 1 > int(node["status"]["allocatable"].get("pods", MAX_PODS)):
        return "Too many pods"
    selector = pod["spec"].get("nodeSelector") or {}
    labels = node["metadata"].get("labels") or {}
    if any(labels.get(k) != v for k, v in selector.items()):
        return "node(s) didn't match node selector"
    for taint in node["spec"].get("taints") or ():
        if taint["effect"] in ("NoSchedule", "NoExecute") and not tolerates(pod["spec"].get("tolerations"), taint):
            return f"node(s) had taint {{{taint['key']}: {taint.get('value', '')}}}, that the pod didn't tolerate"
    return None


def _score(cluster: Cluster, pod: dict, node: dict, pods_on: dict[str, list]) -> int:
    cap_cpu = quantity.milli(node["status"]["allocatable"]["cpu"])
    cap_mem = quantity.value(node["status"]["allocatable"]["memory"])
    cpu, mem = _requests(pod)
    for p in pods_on[node["metadata"]["name"]]:
        c, m = _requests(p)
        cpu += c
        mem += m
    least = ((max(0, cap_cpu - cpu) * 100 // cap_cpu) + (max(0, cap_mem - mem) * 100 // cap_mem)) // 2
    cpu_frac, mem_frac = cpu / cap_cpu, mem / cap_mem
    # BalancedAllocation gives 0 once any resource is fully requested (1.20 balanced_allocation.go);
    # capping the fraction instead would favour the fullest node.
    balanced = 0 if cpu_frac >= 1 or mem_frac >= 1 else int(100 - abs(cpu_frac - mem_frac) * 100)
    return least + balanced


def sync(cluster: Cluster) -> None:
    pending = [p for p in cluster.iter("Pod") if not p["spec"].get("nodeName")
               and not p["metadata"].get("deletionTimestamp")
               and p["spec"].get("schedulerName", "default-scheduler") == "default-scheduler"]
    if not pending:
        return
    pending.sort(key=lambda p: (-p["spec"].get("priority", 0), p["metadata"]["creationTimestamp"],
                                int(p["metadata"]["resourceVersion"])))
    nodes = cluster.list("Node")
    pods_on = pods_by_node(cluster, nodes)
    # A pod already found unschedulable is retried only when the nodes changed (as the real
    # scheduler's unschedulable queue waits for a cluster event), which keeps 1,000 Pending pods cheap.
    unchanged = cluster.cache.get("scheduler.nodes") == _signature(nodes, pods_on)
    for pod in pending:
        if unchanged and _marked_unschedulable(pod):
            continue
        schedule_one(cluster, pod, nodes, pods_on)
    cluster.cache["scheduler.nodes"] = _signature(nodes, pods_on)


def _signature(nodes: list[dict], pods_on: dict[str, list]) -> tuple:
    return tuple((n["metadata"]["name"], n["metadata"].get("resourceVersion"), len(pods_on[n["metadata"]["name"]]))
                 for n in nodes)


def _marked_unschedulable(pod: dict) -> bool:
    return any(c["type"] == "PodScheduled" and c.get("reason") == "Unschedulable"
               for c in pod["status"].get("conditions") or ())


def schedule_one(cluster: Cluster, pod: dict, nodes: list[dict], pods_on: dict[str, list]) -> None:
    reasons: dict[str, int] = {}
    fits = []
    for node in nodes:
        why = _filter(cluster, pod, node, pods_on)
        if why is None:
            fits.append(node)
        else:
            reasons[why] = reasons.get(why, 0) + 1
    if not fits:
        parts = sorted(f"{n} {r}" for r, n in reasons.items())
        message = f"0/{len(nodes)} nodes are available: {', '.join(parts)}."
        _unschedulable(cluster, pod, message)
        return
    scored = [(_score(cluster, pod, n, pods_on), n) for n in fits]
    best = max(s for s, _ in scored)
    node = cluster.rng.choice([n for s, n in scored if s == best])
    name = node["metadata"]["name"]
    pod["spec"]["nodeName"] = name
    conds = [c for c in pod["status"].get("conditions") or () if c["type"] != "PodScheduled"]
    conds.append({"lastProbeTime": None, "lastTransitionTime": cluster.stamp(), "status": "True", "type": "PodScheduled"})
    pod["status"]["conditions"] = conds
    cluster.update(pod)
    pods_on[name].append(pod)
    md = pod["metadata"]
    cluster.event(pod, "Scheduled", f"Successfully assigned {md['namespace']}/{md['name']} to {name}",
                  "default-scheduler")
    kubelet.bound(cluster, pod)


def _unschedulable(cluster: Cluster, pod: dict, message: str) -> None:
    conds = pod["status"].setdefault("conditions", [])
    for c in conds:
        if c["type"] == "PodScheduled" and c.get("message") == message:
            return                                   # already told; retried when the cluster changes
    pod["status"]["conditions"] = [c for c in conds if c["type"] != "PodScheduled"] + [
        {"lastProbeTime": None, "lastTransitionTime": cluster.stamp(), "message": message,
         "reason": "Unschedulable", "status": "False", "type": "PodScheduled"}]
    cluster.update(pod)
    cluster.event(pod, "FailedScheduling", message, "default-scheduler", type_="Warning")
