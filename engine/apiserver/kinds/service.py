"""Service (v1, namespaced)."""
from engine.apiserver import validate
from engine.apiserver.kind import Kind


def defaults(cluster, obj: dict) -> None:
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        return
    for port in spec.get("ports") or ():
        port.setdefault("protocol", "TCP")
        port.setdefault("targetPort", port.get("port"))
    spec.setdefault("type", "ClusterIP")
    spec.setdefault("sessionAffinity", "None")


def prepare_update(live: dict, new: dict) -> None:
    """1.20 keeps an unset clusterIP, and the NodePorts of ports that still want one."""
    spec, live_spec = new["spec"], live.get("spec") or {}
    for key in ("clusterIP", "clusterIPs"):
        if key in live_spec:
            spec.setdefault(key, live_spec[key])
    for port, old in zip(spec.get("ports") or (), live_spec.get("ports") or ()):
        if "nodePort" in old and spec.get("type") in ("NodePort", "LoadBalancer"):
            port.setdefault("nodePort", old["nodePort"])


def store(cluster, obj: dict) -> dict:
    """The allocators: a ClusterIP (unless headless or ExternalName) and NodePorts, checked first."""
    from engine import netplan
    from engine.apiserver.errors import invalid
    from engine.cluster import TooManyObjects
    spec, name = obj["spec"], obj["metadata"]["name"]
    svc_type = spec.get("type", "ClusterIP")
    lo, hi = netplan.NODEPORT_RANGE
    for i, port in enumerate(spec.get("ports") or ()):
        np = port.get("nodePort")
        if np is not None and not lo <= np <= hi:
            raise invalid("Service", name, [f"spec.ports[{i}].nodePort: Invalid value: {np}: provided port is not in "
                                            f"the valid range. The range of valid ports is {lo}-{hi}"])
        if np is not None and np in cluster.meta["nodeports"]:
            raise invalid("Service", name, [f"spec.ports[{i}].nodePort: Invalid value: {np}: provided port is "
                                            "already allocated"])
    if svc_type == "ExternalName":
        spec.pop("sessionAffinity", None)
    else:
        ip = "None" if spec.get("clusterIP") == "None" else netplan.allocate_cluster_ip(cluster)
        spec["clusterIP"], spec["clusterIPs"] = ip, [ip]
    if svc_type in ("NodePort", "LoadBalancer"):
        spec.setdefault("externalTrafficPolicy", "Cluster")
        for port in spec.get("ports") or ():
            port["nodePort"] = netplan.allocate_node_port(cluster, port.get("nodePort"))
    obj["status"] = {"loadBalancer": {}}
    try:
        cluster.create(obj)
    except TooManyObjects:
        netplan.release_service(cluster, obj)
        raise
    return obj


def delete(cluster, obj: dict, grace, force) -> float:
    """Its ClusterIP and NodePorts are free again."""
    from engine import netplan
    netplan.release_service(cluster, obj)
    cluster.remove(obj)
    return 0.0


KIND = Kind("Service",
            "services",
            "service",
            shorts=('svc',),
            categories=('all',),
            schema="io.k8s.api.core.v1.Service",
            describer="engine.kubectl.describe_core:describe_service",
            name_rule='dns1035',
            immutable=('spec.clusterIP',),
            defaults=defaults,
            store=store,
            prepare_update=prepare_update,
            delete=delete,
            validate=validate.service)
