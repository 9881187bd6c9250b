"""`kubectl describe node`: conditions, capacity, system info, the pods on it and what they ask for."""
from __future__ import annotations

from engine.cluster import Cluster
from engine.kubectl.columns import node_roles
from engine.kubectl.describe_pod import quantity_value, pod_requests_and_limits
from engine.kubectl.describe_writer import Writer, since, taints, when
from engine.timefmt import parse_rfc3339, rfc3339

LEASE_RENEW = 10.0          # the kubelet renews its node lease every 10 s
_BINARY = (("Ei", 2**60), ("Pi", 2**50), ("Ti", 2**40), ("Gi", 2**30), ("Mi", 2**20), ("Ki", 2**10))
_DECIMAL = (("E", 10**18), ("P", 10**15), ("T", 10**12), ("G", 10**9), ("M", 10**6), ("k", 10**3))


def describe_node(cluster: Cluster, node: dict, events: list[dict] | None) -> str:
    md, spec, st = node["metadata"], node.get("spec") or {}, node.get("status") or {}
    name = md["name"]
    w = Writer(cluster.now)
    w.write(0, f"Name:\t{name}\n")
    w.write(0, f"Roles:\t{node_roles(node)}\n")
    w.labels("Labels", md.get("labels"))
    w.annotations("Annotations", md.get("annotations"))
    w.write(0, f"CreationTimestamp:\t{when(md.get('creationTimestamp'))}\n")
    w.multiline("Taints", taints(spec.get("taints")))
    w.write(0, f"Unschedulable:\t{'true' if spec.get('unschedulable') else 'false'}\n")
    w.write(0, "Lease:\n")
    w.write(1, f"HolderIdentity:\t{name}\n")
    w.write(1, "AcquireTime:\t<unset>\n")
    w.write(1, f"RenewTime:\t{when(_lease_renewed(cluster, node))}\n")
    if st.get("conditions"):
        w.write(0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n")
        w.write(1, "----\t------\t-----------------\t------------------\t------\t-------\n")
        for c in st["conditions"]:
            w.write(1, f"{c['type']} \t{c['status']} \t{when(c.get('lastHeartbeatTime'))} \t"
                       f"{when(c.get('lastTransitionTime'))} \t{c.get('reason', '')} \t{c.get('message', '')}\n")
    w.write(0, "Addresses:\n")
    for a in st.get("addresses") or ():
        w.write(1, f"{a['type']}:\t{a['address']}\n")
    for title, key in (("Capacity", "capacity"), ("Allocatable", "allocatable")):
        if st.get(key):
            w.write(0, f"{title}:\n")
            for res in sorted(st[key]):
                w.write(0, f"  {res}:\t{st[key][res]}\n")
    info = st.get("nodeInfo") or {}
    w.write(0, "System Info:\n")
    for title, key in (("Machine ID", "machineID"), ("System UUID", "systemUUID"), ("Boot ID", "bootID"),
                       ("Kernel Version", "kernelVersion"), ("OS Image", "osImage"),
                       ("Operating System", "operatingSystem"), ("Architecture", "architecture"),
                       ("Container Runtime Version", "containerRuntimeVersion"),
                       ("Kubelet Version", "kubeletVersion"), ("Kube-Proxy Version", "kubeProxyVersion")):
        w.write(0, f"  {title}:\t{info.get(key, '')}\n")
    if spec.get("podCIDR"):
        w.write(0, f"PodCIDR:\t{spec['podCIDR']}\n")
    if spec.get("podCIDRs"):
        w.write(0, f"PodCIDRs:\t{','.join(spec['podCIDRs'])}\n")
    if spec.get("providerID"):
        w.write(0, f"ProviderID:\t{spec['providerID']}\n")
    _resources(w, cluster, node)
    w.events(events)
    return w.text()


def _lease_renewed(cluster: Cluster, node: dict) -> str | None:
    """No Lease objects are stored: a running kubelet renewed within the last 10 s, a stopped one
    when its last heartbeat was."""
    name = node["metadata"]["name"]
    host = cluster.meta["hosts"].get(name) or {}
    if host.get("kubelet"):
        born = parse_rfc3339(node["metadata"]["creationTimestamp"])
        return rfc3339(cluster.now - (cluster.now - born) % LEASE_RENEW)
    ready = next((c for c in node.get("status", {}).get("conditions") or () if c["type"] == "Ready"), {})
    return ready.get("lastHeartbeatTime")


def _resources(w: Writer, cluster: Cluster, node: dict) -> None:
    """describeNodeResource: the node's non-terminated pods and their requests against allocatable."""
    name = node["metadata"]["name"]
    pods = [p for p in cluster.list("Pod") if p["spec"].get("nodeName") == name
            and (p.get("status") or {}).get("phase") not in ("Succeeded", "Failed")]
    pods.sort(key=lambda p: (p["metadata"].get("namespace", ""), p["metadata"]["name"]))
    st = node.get("status") or {}
    alloc = st.get("allocatable") or st.get("capacity") or {}
    w.write(0, f"Non-terminated Pods:\t({len(pods)} in total)\n")
    w.write(1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAGE\n")
    w.write(1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n")
    total_req: dict[str, float] = {}
    total_lim: dict[str, float] = {}
    for pod in pods:
        req, lim = pod_requests_and_limits(pod["spec"])
        for src, dst in ((req, total_req), (lim, total_lim)):
            for k, v in src.items():
                dst[k] = dst.get(k, 0.0) + v
        cells = [_cell(vals, res, alloc) for res in ("cpu", "memory") for vals in (req, lim)]
        w.write(1, f"{pod['metadata'].get('namespace', '')}\t{pod['metadata']['name']}\t\t{cells[0]}\t{cells[1]}\t"
                   f"{cells[2]}\t{cells[3]}\t{since(cluster.now, pod['metadata'].get('creationTimestamp'))}\n")
    w.write(0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n")
    w.write(1, "Resource\tRequests\tLimits\n")
    w.write(1, "--------\t--------\t------\n")
    huge = sorted(r for r in alloc if r.startswith("hugepages-"))
    for res in ("cpu", "memory", "ephemeral-storage", *huge):
        w.write(1, f"{res}\t{_cell(total_req, res, alloc)}\t{_cell(total_lim, res, alloc)}\n")


def _cell(values: dict[str, float], res: str, alloc: dict) -> str:
    """`100m (5%)`: the quantity and its share of allocatable, truncated like Go's int64()."""
    value = values.get(res, 0.0)
    total = quantity_value(alloc[res]) if res in alloc else 0.0
    pct = int(value / total * 100) if total else 0
    return f"{format_quantity(value, res)} ({pct}%)"


def format_quantity(value: float, res: str) -> str:
    """Quantity.String() for sums: CPU in cores or millicores, bytes with the largest exact suffix."""
    if value == 0:
        return "0"
    if res == "cpu":
        milli = round(value * 1000)
        return str(milli // 1000) if milli % 1000 == 0 else f"{milli}m"
    whole = round(value)
    for suffix, size in _BINARY:
        if whole % size == 0:
            return f"{whole // size}{suffix}"
    for suffix, size in _DECIMAL:
        if whole % size == 0:
            return f"{whole // size}{suffix}"
    return str(whole)
