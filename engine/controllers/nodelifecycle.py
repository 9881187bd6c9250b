"""Node health on the sandbox clock: what the kubelets post, what kube-controller-manager's node
lifecycle controller concludes, and its taint manager's evictions (1.20 defaults).

Level-triggered: from the machine facts in cluster.meta["hosts"] (kubelet/docker running and
since when) and the clock, `sync` derives each node's Ready condition, its not-ready /
unreachable taints and the pods to evict, and books a `nodelifecycle.wake` timer for the next
moment something is due. Timings (decided, see control-plane.md §1-§2):
- kubelet stopped: Ready=Unknown exactly GRACE (40 s) after the stop (the stop is taken as the
  last heartbeat; the real 5 s monitor period and 10 s renew interval add up to 15 s we leave out);
- docker stopped, kubelet up: Ready=False at the kubelet's next status post, RUNTIME_CYCLE (10 s);
- NoExecute taint -> pods evicted after their toleration (300 s by default) -> Terminating until
  the node's kubelet and runtime are both back;
- kubelet (re)started: first status post after KUBELET_FIRST_POST (5 s): Ready, taints removed,
  Terminating pods there finished, pods ready again.
Nothing happens while the API server is down (the controllers run on m-k8s).
"""
from __future__ import annotations

from engine.cluster import Cluster
from engine.controllers import kubelet
from engine.controllers.scheduler import tolerates
from engine.timefmt import parse_rfc3339
from engine import podops, upgrade

GRACE = 40.0                 # --node-monitor-grace-period
KUBELET_FIRST_POST = 5.0     # kubelet start -> node status posted
RUNTIME_CYCLE = 10.0         # runtime change -> the kubelet's next status post
RUNTIME_DOWN_AFTER = 30.0    # no successful runtime check for 30 s -> "container runtime is down"
PLEG_AFTER = 190.0           # first status post past the 3m0s PLEG threshold
REPORT_EVERY = 300.0         # nodeStatusReportFrequency: an unchanged status is re-posted every 5 min
UNREACHABLE = "node.kubernetes.io/unreachable"
NOT_READY = "node.kubernetes.io/not-ready"
UNSCHEDULABLE = "node.kubernetes.io/unschedulable"       # TaintNodesByCondition mirrors spec.unschedulable
PRESSURE = (("MemoryPressure", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
            ("DiskPressure", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
            ("PIDPressure", "KubeletHasSufficientPID", "kubelet has sufficient PID available"))
STOPPED_POSTING = "Kubelet stopped posting node status."
RUNTIME_NOT_READY = ("Container runtime not ready: RuntimeReady=false reason:DockerDaemonNotReady message:docker: "
                     "failed to get docker version: Cannot connect to the Docker daemon at "
                     "unix:///var/run/docker.sock. Is the docker daemon running?")
EPSILON = 1e-6
WAKE = "nodelifecycle.wake"


def wake(cluster: Cluster) -> None:
    """Timer action: nothing to do here, the settle after every timer runs sync()."""


def _due(cluster: Cluster, at: float) -> bool:
    return cluster.now >= at - EPSILON


def _wake_at(cluster: Cluster, at: float) -> None:
    if at <= cluster.now + EPSILON:
        return
    if any(abs(t.due - at) < EPSILON for t in cluster.clock.pending(WAKE)):
        return
    cluster.schedule(at - cluster.now, WAKE)


# -- what the API should say about each node ------------------------------------------------------

def desired_ready(cluster: Cluster, node: str) -> tuple[str, str, str] | None:
    """(status, reason, message) of the node's Ready condition now, or None: nothing new posted."""
    host = cluster.host(node)
    if not host["kubelet"]:
        since = max(host.get("kubelet_changed", 0.0), cluster.meta.get("api_up_since", 0.0))
        if _due(cluster, since + GRACE):
            return "Unknown", "NodeStatusUnknown", STOPPED_POSTING
        _wake_at(cluster, since + GRACE)
        return None
    started = host.get("kubelet_changed", 0.0)
    if not _due(cluster, started + KUBELET_FIRST_POST):
        _wake_at(cluster, started + KUBELET_FIRST_POST)
        return None
    if not host["docker"]:
        down = max(host.get("docker_changed", 0.0), started)
        for stage in (RUNTIME_CYCLE, RUNTIME_DOWN_AFTER, PLEG_AFTER):
            if not _due(cluster, down + stage):
                _wake_at(cluster, down + stage)
                break
        else:
            stage = None
        elapsed = cluster.now - down
        if elapsed < RUNTIME_CYCLE - EPSILON:
            return None
        errors = []
        if elapsed >= RUNTIME_DOWN_AFTER - EPSILON:
            errors.append("container runtime is down")
        if elapsed >= PLEG_AFTER - EPSILON:
            errors.append(f"PLEG is not healthy: pleg was last seen active {_go_duration(PLEG_AFTER)} ago; "
                          "threshold is 3m0s")
        errors.append(RUNTIME_NOT_READY)
        return "False", "KubeletNotReady", errors[0] if len(errors) == 1 else "[" + ", ".join(errors) + "]"
    back = host.get("docker_changed", 0.0) + RUNTIME_CYCLE
    if not _due(cluster, back):
        _wake_at(cluster, back)
        return None
    return "True", "KubeletReady", "kubelet is posting ready status"


def _go_duration(seconds: float) -> str:
    m, s = divmod(int(seconds), 60)
    return f"{m}m{s}s" if m else f"{s}s"


def _condition(node_obj: dict, kind: str) -> dict:
    for c in node_obj["status"].setdefault("conditions", []):
        if c["type"] == kind:
            return c
    c = {"type": kind, "status": "Unknown"}
    node_obj["status"]["conditions"].append(c)
    return c


def _set(cond: dict, status: str, reason: str, message: str, stamp: str, heartbeat: bool) -> None:
    if cond.get("status") != status:
        cond["lastTransitionTime"] = stamp
    if heartbeat:
        cond["lastHeartbeatTime"] = stamp
    cond.update(status=status, reason=reason, message=message)


def post_ready(cluster: Cluster, node_obj: dict, want: tuple[str, str, str]) -> None:
    """Write the Ready condition (and its siblings) as the controller or the kubelet would."""
    name = node_obj["metadata"]["name"]
    ready = _condition(node_obj, "Ready")
    was_ready = ready.get("status") == "True"
    stamp = cluster.stamp()
    status, reason, message = want
    if status == "Unknown":                    # the controller speaks for a silent kubelet
        last_post = _last_post(cluster, ready, name)
        for kind in ("Ready",) + tuple(p[0] for p in PRESSURE):
            cond = _condition(node_obj, kind)
            _set(cond, "Unknown", "NodeStatusUnknown", STOPPED_POSTING, stamp, False)
            cond["lastHeartbeatTime"] = last_post
    else:                                      # the kubelet posts its own status
        for kind, ok_reason, ok_message in PRESSURE:
            _set(_condition(node_obj, kind), "False", ok_reason, ok_message, stamp, True)
        _set(ready, status, reason, message, stamp, True)
    cluster.update(node_obj)
    if was_ready and status != "True":
        if status == "False":
            cluster.event(node_obj, "NodeNotReady", f"Node {name} status is now: NodeNotReady", "kubelet", host=name)
        cluster.event(node_obj, "NodeNotReady", f"Node {name} status is now: NodeNotReady", "node-controller")
        _mark_pods_not_ready(cluster, name)


def _last_post(cluster: Cluster, ready: dict, node: str) -> str:
    """The kubelet's last status post before it went silent: with nothing changing it posts
    every 5 minutes (nodeStatusReportFrequency) counted from its last recorded heartbeat."""
    stopped = cluster.host(node).get("kubelet_changed", cluster.now)
    seen = parse_rfc3339(ready["lastHeartbeatTime"]) if ready.get("lastHeartbeatTime") else stopped
    return cluster.stamp(seen + max(0.0, stopped - seen) // REPORT_EVERY * REPORT_EVERY)


def _mark_pods_not_ready(cluster: Cluster, node: str) -> None:
    for pod in _pods_on(cluster, node):
        for cond in pod["status"].get("conditions") or ():
            if cond["type"] == "Ready" and cond["status"] == "True":
                cond.update(status="False", lastTransitionTime=cluster.stamp())
                cluster.update(pod)
                cluster.event(pod, "NodeNotReady", "Node is not ready", "node-controller", type_="Warning")


def _pods_on(cluster: Cluster, node: str) -> list[dict]:
    return [p for p in cluster.iter("Pod") if p["spec"].get("nodeName") == node]


def _kubelet_started(cluster: Cluster, node_obj: dict) -> None:
    """The events a (re)started kubelet records on its node."""
    name = node_obj["metadata"]["name"]
    ev = lambda reason, message: cluster.event(node_obj, reason, message, "kubelet", host=name)  # noqa: E731
    ev("Starting", "Starting kubelet.")
    for status in ("NodeHasSufficientMemory", "NodeHasNoDiskPressure", "NodeHasSufficientPID"):
        ev(status, f"Node {name} status is now: {status}")
    ev("NodeAllocatableEnforced", "Updated Node Allocatable limit across pods")


# -- taints and the taint manager -------------------------------------------------------------------

def zone_state(cluster: Cluster) -> str:
    """The one zone of the lab (no zone labels; m-k8s counts too): Normal, PartialDisruption or
    FullDisruption (1.20 ComputeZoneState with unhealthy-zone-threshold 0.55)."""
    nodes = cluster.list("Node")
    not_ready = sum(1 for n in nodes if _condition(n, "Ready").get("status") != "True")
    if nodes and not_ready == len(nodes):
        return "FullDisruption"
    if not_ready > 2 and not_ready / len(nodes) >= 0.55:
        return "PartialDisruption"
    return "Normal"


def _sync_taints(cluster: Cluster, node_obj: dict, ready_status: str, zone: str) -> None:
    """NoSchedule taints follow the Ready condition; NoExecute taints are added only in a Normal
    zone (a partially disrupted small cluster gets eviction rate 0) and all lifted in a fully
    disrupted one ("master disruption mode")."""
    key = {"True": None, "False": NOT_READY, "Unknown": UNREACHABLE}[ready_status]
    taints = node_obj["spec"].get("taints") or []
    old_exec = next((t for t in taints if t["key"] in (NOT_READY, UNREACHABLE) and t["effect"] == "NoExecute"), None)
    kept = [t for t in taints if t["key"] not in (NOT_READY, UNREACHABLE) or t["key"] == key]
    if zone == "FullDisruption":
        kept = [t for t in kept if not (t["key"] in (NOT_READY, UNREACHABLE) and t["effect"] == "NoExecute")]
    if key:
        if zone == "Normal" and not any(t["key"] == key and t["effect"] == "NoExecute" for t in kept):
            # swapping not-ready <-> unreachable keeps the eviction clock running
            added = old_exec["timeAdded"] if old_exec else cluster.stamp()
            kept.append({"effect": "NoExecute", "key": key, "timeAdded": added})
        if not any(t["key"] == key and t["effect"] == "NoSchedule" for t in kept):
            kept.append({"effect": "NoSchedule", "key": key})
    cordoned = bool(node_obj["spec"].get("unschedulable"))
    has = any(t["key"] == UNSCHEDULABLE for t in kept)
    if cordoned and not has:
        kept.append({"effect": "NoSchedule", "key": UNSCHEDULABLE, "timeAdded": cluster.stamp()})
    elif has and not cordoned:
        kept = [t for t in kept if t["key"] != UNSCHEDULABLE]
    if kept != taints:
        if kept:
            node_obj["spec"]["taints"] = kept
        else:
            node_obj["spec"].pop("taints", None)
        cluster.update(node_obj)


def eviction_time(pod: dict, taints: list[dict]) -> float | None:
    """When the taint manager deletes this pod, or None if it tolerates the NoExecute taints forever."""
    tolerations = pod["spec"].get("tolerations") or []
    created = parse_rfc3339(pod["metadata"]["creationTimestamp"])
    due = None
    for taint in taints:
        if taint["effect"] != "NoExecute":
            continue
        start = max(parse_rfc3339(taint["timeAdded"]), created) if taint.get("timeAdded") else created
        used = [t for t in tolerations if tolerates([t], taint)]
        if used and any(t.get("tolerationSeconds") is None for t in used):
            continue
        at = start + min((t["tolerationSeconds"] for t in used), default=0)
        due = at if due is None else min(due, at)
    return due


def _taint_manager(cluster: Cluster, node_obj: dict, pods: list[dict]) -> None:
    name = node_obj["metadata"]["name"]
    host = cluster.host(name)
    taints = [t for t in node_obj["spec"].get("taints") or () if t["effect"] == "NoExecute"]
    pending = set(host.get("evictions") or ())
    if not taints and not pending:
        return                                         # a healthy node: nothing to evict or cancel
    now_pending = set()
    for pod in pods:
        md = pod["metadata"]
        if md.get("deletionTimestamp"):
            continue
        at = eviction_time(pod, taints) if taints else None
        if at is None:
            if md["uid"] in pending:
                cluster.event(pod, "TaintManagerEviction",
                              f"Cancelling deletion of Pod {md['namespace']}/{md['name']}", "taint-controller")
            continue
        if _due(cluster, at):
            cluster.event(pod, "TaintManagerEviction", f"Marking for deletion Pod {md['namespace']}/{md['name']}",
                          "taint-controller")
            podops.delete_pod(cluster, pod)
        else:
            now_pending.add(md["uid"])
            _wake_at(cluster, at)
    if now_pending:
        host["evictions"] = sorted(now_pending)
    else:
        host.pop("evictions", None)


# -- the loop -------------------------------------------------------------------------------------------

def sync(cluster: Cluster) -> None:
    if not kubelet.api_up(cluster):
        return
    nodes = [n for n in cluster.list("Node") if n["metadata"]["name"] in cluster.meta["hosts"]]
    for node_obj in nodes:
        _post(cluster, node_obj)
    zone = zone_state(cluster)
    by_node: dict[str, list[dict]] = {n["metadata"]["name"]: [] for n in nodes}
    for pod in cluster.iter("Pod"):                    # one pass over the pods, not one per node
        if pod["spec"].get("nodeName") in by_node:
            by_node[pod["spec"]["nodeName"]].append(pod)
    for node_obj in nodes:
        _sync_taints(cluster, node_obj, _condition(node_obj, "Ready").get("status", "Unknown"), zone)
        _taint_manager(cluster, node_obj, by_node[node_obj["metadata"]["name"]])


def _post(cluster: Cluster, node_obj: dict) -> None:
    """The node's status as its kubelet posts it, or as the controller marks it when it went silent."""
    name = node_obj["metadata"]["name"]
    host = cluster.host(name)
    want = desired_ready(cluster, name)
    current = _condition(node_obj, "Ready")
    if want is not None and host["kubelet"] and host.get("posted", 0.0) < host.get("kubelet_changed", 0.0):
        host["posted"] = host["kubelet_changed"]
        _kubelet_started(cluster, node_obj)
        upgrade.publish_kubelet_version(cluster, node_obj)
    if want is not None and (current.get("status"), current.get("reason"), current.get("message")) != want:
        post_ready(cluster, node_obj, want)
        if want[0] == "True":
            cluster.event(node_obj, "NodeReady", f"Node {name} status is now: NodeReady", "kubelet", host=name)
    if want is not None and want[0] == "True":
        back = max(host.get("kubelet_changed", 0.0), host.get("docker_changed", 0.0))
        if host.get("resumed", 0.0) < back:
            host["resumed"] = back
            kubelet.resume(cluster, name)
