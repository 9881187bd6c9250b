"""Endpoints controller: ready pods behind a Service in `addresses`, unready in `notReadyAddresses`."""
from __future__ import annotations

from engine.cluster import Cluster, labels_match
from engine.controllers.replicaset import is_ready


def _target_port(port: dict, pod: dict):
    target = port.get("targetPort", port["port"])
    if isinstance(target, int):
        return target
    for c in pod["spec"]["containers"]:
        for p in c.get("ports") or ():
            if p.get("name") == target:
                return p["containerPort"]
    return None


def subsets_for(cluster: Cluster, svc: dict) -> list[dict]:
    selector = svc["spec"].get("selector")
    ns = svc["metadata"]["namespace"]
    pods = [p for p in cluster.list("Pod", ns)
            if labels_match(selector, p["metadata"].get("labels")) and p["status"].get("podIP")
            and not p["metadata"].get("deletionTimestamp")]
    groups: dict[tuple, dict] = {}
    for pod in sorted(pods, key=lambda p: p["status"]["podIP"]):
        ports = []
        for sp in svc["spec"].get("ports") or ():
            tp = _target_port(sp, pod)
            if tp is None:
                continue
            entry = {"port": tp, "protocol": sp.get("protocol", "TCP")}
            if sp.get("name"):
                entry["name"] = sp["name"]
            ports.append(entry)
        if not ports:
            continue
        key = tuple(sorted((p.get("name", ""), p["port"], p["protocol"]) for p in ports))
        group = groups.setdefault(key, {"ports": ports})
        addr = {"ip": pod["status"]["podIP"], "nodeName": pod["spec"]["nodeName"],
                "targetRef": {"kind": "Pod", "name": pod["metadata"]["name"], "namespace": ns,
                              "uid": pod["metadata"]["uid"]}}
        group.setdefault("addresses" if is_ready(pod) else "notReadyAddresses", []).append(addr)
    return list(groups.values())


def sync(cluster: Cluster) -> None:
    for svc in cluster.iter("Service"):
        if not svc["spec"].get("selector"):
            continue
        md = svc["metadata"]
        subsets = subsets_for(cluster, svc)
        ep = cluster.get("Endpoints", md["namespace"], md["name"])
        if ep is None:
            ep = {"apiVersion": "v1", "kind": "Endpoints",
                  "metadata": {"name": md["name"], "namespace": md["namespace"],
                               "labels": dict(md.get("labels") or {})}}
            if subsets:
                ep["subsets"] = subsets
            cluster.create(ep)
        elif (ep.get("subsets") or []) != subsets:
            if subsets:
                ep["subsets"] = subsets
            else:
                ep.pop("subsets", None)
            cluster.update(ep)
    for ep in cluster.iter("Endpoints"):
        md = ep["metadata"]
        if md["name"] != "kubernetes" and cluster.get("Service", md["namespace"], md["name"]) is None:
            cluster.remove(ep)
