"""Service (v1, namespaced)."""
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
    """ClusterIP and NodePorts are allocated as the Service is stored."""
    from engine.kubectl.expose import create_service
    spec = obj.get("spec") or {}
    md = obj["metadata"]
    svc = create_service(cluster, md["name"], md["namespace"], spec.get("type", "ClusterIP"),
                         [dict(p) for p in spec.get("ports") or ()], spec.get("selector"), md.get("labels"),
                         cluster_ip=spec.get("clusterIP") or None, external_name=spec.get("externalName"))
    if md.get("annotations"):
        svc["metadata"]["annotations"] = md["annotations"]
    for key, value in spec.items():
        if key not in ("ports", "selector", "type", "clusterIP", "clusterIPs"):
            svc["spec"][key] = value
    cluster.touch(svc)
    return svc


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
            delete=delete)
