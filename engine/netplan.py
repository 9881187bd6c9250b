"""Addresses: Calico's per-node pod blocks, the service CIDR and the NodePort range.

Calico hands each node a /26 block out of 172.16.0.0/16 and gives pods the next free address
in it; the lab's blocks are the ones the course's outputs show (w3 172.16.132.x, …).
"""
from __future__ import annotations

import ipaddress

CALICO_BLOCKS = {"m-k8s": "172.16.171.64", "w1-k8s": "172.16.221.128", "w2-k8s": "172.16.103.128",
                 "w3-k8s": "172.16.132.0"}
POD_CIDRS = {"m-k8s": "172.16.0.0/24", "w1-k8s": "172.16.1.0/24", "w2-k8s": "172.16.2.0/24",
             "w3-k8s": "172.16.3.0/24"}
SERVICE_NET = ipaddress.ip_network("10.96.0.0/12")
NODEPORT_RANGE = (30000, 32767)
_PER_BLOCK = 63                    # the block's first address is the IPIP tunnel's
_BLOCKS = 2                        # two /26 blocks cover the 110-pod limit


def pod_cidr(node: str) -> str:
    return POD_CIDRS.get(node, "172.16.9.0/24")


def tunnel_ip(node: str) -> str:
    return CALICO_BLOCKS.get(node, "172.16.9.0")


def _candidate(node: str, n: int) -> str:
    base = int(ipaddress.ip_address(CALICO_BLOCKS.get(node, "172.16.9.0")))
    block, off = divmod(n % (_PER_BLOCK * _BLOCKS), _PER_BLOCK)
    return str(ipaddress.ip_address(base + block * 64 + off + 1))


def next_pod_ip(cluster, node: str) -> str:
    """The next free address of the node's block, in order, as Calico IPAM hands them out."""
    host = cluster.host(node)
    used = {p["status"].get("podIP") for p in cluster.iter("Pod")
            if p["spec"].get("nodeName") == node and not p["spec"].get("hostNetwork")}
    for step in range(_PER_BLOCK * _BLOCKS):
        n = host["ip_next"] + step
        ip = _candidate(node, n)
        if ip not in used:
            host["ip_next"] = n + 1
            return ip
    raise RuntimeError(f"no pod address left on {node}")


def allocate_cluster_ip(cluster) -> str:
    """A random offset in 10.96.0.0/12, then the next free address (the apiserver's allocator)."""
    used = set(cluster.meta["clusterips"])
    size = SERVICE_NET.num_addresses
    start = cluster.rng.below(size - 2) + 1
    base = int(SERVICE_NET.network_address)
    for step in range(size - 2):
        ip = str(ipaddress.ip_address(base + 1 + (start - 1 + step) % (size - 2)))
        if ip not in used:
            cluster.meta["clusterips"].append(ip)
            return ip
    raise RuntimeError("service range exhausted")


def allocate_node_port(cluster, wanted: int | None = None) -> int | None:
    used = set(cluster.meta["nodeports"])
    lo, hi = NODEPORT_RANGE
    if wanted is not None:
        if wanted in used:
            return None
        cluster.meta["nodeports"].append(wanted)
        return wanted
    span = hi - lo + 1
    start = cluster.rng.below(span)
    for step in range(span):
        port = lo + (start + step) % span
        if port not in used:
            cluster.meta["nodeports"].append(port)
            return port
    return None


def release_service(cluster, svc: dict) -> None:
    ip = svc["spec"].get("clusterIP")
    if ip in cluster.meta["clusterips"]:
        cluster.meta["clusterips"].remove(ip)
    for p in svc["spec"].get("ports") or ():
        if p.get("nodePort") in cluster.meta["nodeports"]:
            cluster.meta["nodeports"].remove(p["nodePort"])
