"""MetalLB v0.8 in layer-2 mode: the controller hands LoadBalancer Services an address from the
pool in ConfigMap metallb-system/config; a speaker announces each address from one node.

Level-triggered like the rest: each pass recomputes what is in use from the Services' own
status, so a deleted Service frees its address with no bookkeeping.

Choices (the real thing does the same where it matters):
- Nothing happens unless the `controller` pod is Ready and the ConfigMap parses: Services then
  stay `<pending>` (the real controller logs "no MetalLB configuration in cluster").
- Removing MetalLB (`delete -f metallb.yaml`) leaves addresses in the Services' status, as in
  real life: nobody is left to clear them. Without a speaker nobody answers ARP for them, so
  traffic to them fails (engine/node/traffic.py asks `announcer`).
- The announcing node is the first, by sha256(node + "#" + "ns/name"), of the nodes that run a
  Ready speaker and hold a ready endpoint of the Service (v0.8 layer2 ShouldAnnounce).
"""
from __future__ import annotations

import hashlib
import ipaddress

import yaml

from engine.cluster import Cluster
from engine.controllers.replicaset import is_ready

NAMESPACE = "metallb-system"
ANNOUNCE_DELAY = 2.0          # the speaker sees the new address a moment after the controller
MAX_POOL = 4096               # a /20 is plenty for a lab; bigger ranges are cut (bounded sandbox)


def _state(cluster: Cluster) -> dict:
    return cluster.meta.setdefault("metallb", {"announced": {}, "failed": []})


def pools(cluster: Cluster) -> list[str] | None:
    """Addresses of the layer2 pools in order, or None when there is no usable config."""
    cm = cluster.get("ConfigMap", NAMESPACE, "config")
    if cm is None:
        return None
    try:
        config = yaml.safe_load((cm.get("data") or {}).get("config") or "")
    except yaml.YAMLError:
        return None
    if not isinstance(config, dict) or not isinstance(config.get("address-pools"), list):
        return None
    out: list[str] = []
    for pool in config["address-pools"]:
        if not isinstance(pool, dict) or pool.get("protocol") != "layer2":
            continue
        for spec in pool.get("addresses") or ():
            out.extend(_expand(str(spec), MAX_POOL - len(out)))
    return out


def _expand(spec: str, room: int) -> list[str]:
    try:
        if "-" in spec:
            lo, hi = (ipaddress.ip_address(s.strip()) for s in spec.split("-", 1))
            return [str(ipaddress.ip_address(i)) for i in range(int(lo), min(int(hi), int(lo) + room - 1) + 1)]
        net = ipaddress.ip_network(spec.strip(), strict=False)
        return [str(ip) for _, ip in zip(range(room), net)]
    except ValueError:
        return []


def _pods(cluster: Cluster, component: str) -> list[dict]:
    return [p for p in cluster.list("Pod", NAMESPACE)
            if (p["metadata"].get("labels") or {}).get("component") == component and is_ready(p)
            and not p["metadata"].get("deletionTimestamp")]


def controller_ready(cluster: Cluster) -> bool:
    return bool(_pods(cluster, "controller"))


def speaker_nodes(cluster: Cluster) -> set[str]:
    return {p["spec"].get("nodeName") for p in _pods(cluster, "speaker")}


def ingress_ip(svc: dict) -> str | None:
    for ing in (svc.get("status") or {}).get("loadBalancer", {}).get("ingress") or ():
        if ing.get("ip"):
            return ing["ip"]
    return None


def _key(svc: dict) -> str:
    return f"{svc['metadata']['namespace']}/{svc['metadata']['name']}"


def _set_ingress(cluster: Cluster, svc: dict, ip: str | None) -> None:
    svc.setdefault("status", {})["loadBalancer"] = {"ingress": [{"ip": ip}]} if ip else {}
    cluster.update(svc)


def sync(cluster: Cluster) -> None:
    if controller_ready(cluster):
        pool = pools(cluster)
        if pool is not None:
            _allocate(cluster, pool)
    _announce(cluster)


def _allocate(cluster: Cluster, pool: list[str]) -> None:
    state = _state(cluster)
    # the order the controller's informer saw them: creation time, then resourceVersion
    services = sorted(cluster.iter("Service"), key=lambda s: (s["metadata"].get("creationTimestamp", ""),
                                                              int(s["metadata"].get("resourceVersion") or 0)))
    in_pool = set(pool)
    used: set[str] = set()
    pending = []
    for svc in services:
        ip = ingress_ip(svc)
        if svc["spec"].get("type") != "LoadBalancer":
            if ip:
                _set_ingress(cluster, svc, None)
            continue
        wanted = svc["spec"].get("loadBalancerIP")
        if ip and ip in in_pool and ip not in used and (not wanted or wanted == ip):
            used.add(ip)
        else:
            pending.append(svc)
    for svc in pending:
        wanted = svc["spec"].get("loadBalancerIP")
        if wanted:
            ip = wanted if wanted in in_pool and wanted not in used else None
        else:
            ip = next((a for a in pool if a not in used), None)
        uid = svc["metadata"]["uid"]
        if ip is None:
            if ingress_ip(svc):
                _set_ingress(cluster, svc, None)
            if uid not in state["failed"]:
                state["failed"].append(uid)
                cluster.event(svc, "AllocationFailed", f'Failed to allocate IP for "{_key(svc)}": no available IPs',
                              "metallb-controller", type_="Warning")
            continue
        used.add(ip)
        if uid in state["failed"]:
            state["failed"].remove(uid)
        _set_ingress(cluster, svc, ip)
        cluster.event(svc, "IPAllocated", f'Assigned IP "{ip}"', "metallb-controller")
        state["announced"].pop(uid, None)
        state.setdefault("due", {})[uid] = cluster.now + ANNOUNCE_DELAY
        cluster.schedule(ANNOUNCE_DELAY, "metallb.announce")
    live = {s["metadata"]["uid"] for s in services}
    state["failed"] = [u for u in state["failed"] if u in live]


def announcer(cluster: Cluster, svc: dict) -> str | None:
    """The node answering ARP for the Service's address right now, if any."""
    return _state(cluster)["announced"].get(svc["metadata"]["uid"])


def _candidates(cluster: Cluster, svc: dict, speakers: set[str]) -> list[str]:
    ep = cluster.get("Endpoints", svc["metadata"]["namespace"], svc["metadata"]["name"])
    nodes = {a.get("nodeName") for s in (ep or {}).get("subsets") or () for a in s.get("addresses") or ()}
    usable = sorted(n for n in nodes & speakers if n)
    return sorted(usable, key=lambda n: hashlib.sha256(f"{n}#{_key(svc)}".encode()).digest())


def _announce(cluster: Cluster) -> None:
    state = _state(cluster)
    due = state.setdefault("due", {})
    speakers = speaker_nodes(cluster)
    live = set()
    for svc in cluster.iter("Service"):
        uid = svc["metadata"]["uid"]
        ip = ingress_ip(svc)
        if svc["spec"].get("type") != "LoadBalancer" or not ip:
            continue
        live.add(uid)
        if due.get(uid, 0.0) > cluster.now:
            continue
        current = state["announced"].get(uid)
        choices = _candidates(cluster, svc, speakers)
        node = choices[0] if choices else None
        if current == node or (current in choices):
            continue
        if node is None:
            state["announced"].pop(uid, None)
            continue
        state["announced"][uid] = node
        cluster.event(svc, "nodeAssigned", f'announcing from node "{node}"', "metallb-speaker")
    state["announced"] = {u: n for u, n in state["announced"].items() if u in live}
    state["due"] = {u: t for u, t in due.items() if u in live and t > cluster.now}


def announce_timer(cluster: Cluster) -> None:
    """Wake-up only: the next settle pass announces whatever is due."""
    _announce(cluster)
