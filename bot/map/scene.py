"""The cluster as a scene: plain data that says what `!map` draws, computed from the sandbox alone.

    scene(cluster, previous) -> {"nodes": [...], "unscheduled": [...], "services": [...], "gone": [...]}

Nodes carry their STATUS as `kubectl get nodes` prints it and their taints; each pod sits in its
node with its STATUS as `kubectl get pods` prints it, a colour class (`phase_class`) and what
changed since the previous scene (`new`, `moved`, `evicted`); services list their external IP and
endpoint pods. `snapshot(scene)` is what is kept for the next comparison. Tests compare scenes
(golden data); the renderer (bot/map/render.py) only draws them.
"""
from __future__ import annotations

from engine.cluster import Cluster
from engine.kubectl.columns import node_status, pod_status, service_external_ip

HIDDEN_NAMESPACES = ("kube-system",)          # the control plane's pods: shown with `!map -A`
PHASE_CLASSES = {
    "running": ("Running",),
    "waiting": ("Pending", "ContainerCreating", "PodInitializing"),
    "ending": ("Terminating",),
    "failing": ("CrashLoopBackOff", "Error", "ErrImagePull", "ImagePullBackOff", "InvalidImageName",
                "CreateContainerConfigError", "OOMKilled", "Evicted", "Unknown"),
    "done": ("Completed", "Succeeded"),
}


def phase_class(status: str) -> str:
    for name, statuses in PHASE_CLASSES.items():
        if status in statuses or status.startswith(tuple(f"{s}:" for s in statuses)):
            return name
    return "waiting" if status.startswith("Init:") else "failing"


def _pod_key(pod: dict) -> str:
    return f"{pod['metadata'].get('namespace', 'default')}/{pod['metadata']['name']}"


def _taints(node: dict) -> list[str]:
    return [f"{t['key']}{'=' + t['value'] if t.get('value') else ''}:{t['effect']}"
            for t in (node.get("spec") or {}).get("taints") or ()]


def _endpoints(cluster: Cluster, svc: dict) -> list[str]:
    ep = cluster.get("Endpoints", svc["metadata"].get("namespace", "default"), svc["metadata"]["name"]) or {}
    return sorted(f"{a['targetRef'].get('namespace', 'default')}/{a['targetRef']['name']}"
                  for subset in ep.get("subsets") or () for a in subset.get("addresses") or ()
                  if (a.get("targetRef") or {}).get("kind") == "Pod")


def _change(key: str, node: str | None, status: str, previous: dict | None) -> str | None:
    if previous is None:
        return None
    before = previous.get(key)
    if before is None:
        return "new"
    if status == "Terminating" and before["status"] != "Terminating":
        return "evicted"
    if node and before["node"] and node != before["node"]:
        return "moved"
    return None


def scene(cluster: Cluster, previous: dict | None = None, *, all_namespaces: bool = False) -> dict:
    """What `!map` shows; `previous` is the snapshot of the student's last map (None: nothing to compare)."""
    shown = [p for p in cluster.iter("Pod")
             if all_namespaces or p["metadata"].get("namespace", "default") not in HIDDEN_NAMESPACES]
    shown.sort(key=_pod_key)
    pods_by_node: dict[str | None, list[dict]] = {}
    for pod in shown:
        node, status = pod["spec"].get("nodeName"), pod_status(pod)
        key = _pod_key(pod)
        pods_by_node.setdefault(node, []).append(
            {"key": key, "name": pod["metadata"]["name"], "status": status, "class": phase_class(status),
             "change": _change(key, node, status, previous)})
    nodes = [{"name": n["metadata"]["name"], "status": node_status(n), "taints": _taints(n),
              "pods": pods_by_node.get(n["metadata"]["name"], [])}
             for n in sorted(cluster.iter("Node"), key=lambda n: n["metadata"]["name"])]
    services = []
    for svc in sorted(cluster.iter("Service"), key=lambda s: (s["metadata"].get("namespace", ""), s["metadata"]["name"])):
        ns = svc["metadata"].get("namespace", "default")
        if not all_namespaces and (ns in HIDDEN_NAMESPACES or svc["metadata"]["name"] == "kubernetes"):
            continue
        spec = svc["spec"]
        services.append({"key": f"{ns}/{svc['metadata']['name']}", "name": svc["metadata"]["name"],
                         "type": spec.get("type", "ClusterIP"), "cluster_ip": spec.get("clusterIP", ""),
                         "external_ip": service_external_ip(svc, True),
                         "node_ports": [p["nodePort"] for p in spec.get("ports") or () if p.get("nodePort")],
                         "endpoints": _endpoints(cluster, svc)})
    current = {p["key"] for pods in pods_by_node.values() for p in pods}
    gone = sorted(k for k in (previous or {}) if k not in current)
    return {"nodes": nodes, "unscheduled": pods_by_node.get(None, []), "services": services, "gone": gone}


def snapshot(view: dict) -> dict:
    """{pod key: {node, status}}: what the next `!map` compares with."""
    out = {p["key"]: {"node": n["name"], "status": p["status"]} for n in view["nodes"] for p in n["pods"]}
    out.update({p["key"]: {"node": None, "status": p["status"]} for p in view["unscheduled"]})
    return out


def changes(view: dict) -> dict[str, list[str]]:
    """{"new": [...], "moved": [...], "evicted": [...], "gone": [...]} of pod names."""
    out: dict[str, list[str]] = {"new": [], "moved": [], "evicted": [], "gone": [k.split("/", 1)[1] for k in view["gone"]]}
    for pods in [n["pods"] for n in view["nodes"]] + [view["unscheduled"]]:
        for p in pods:
            if p["change"]:
                out[p["change"]].append(p["name"])
    return out
