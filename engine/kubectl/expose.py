"""kubectl expose, and the Service creation it shares with `create service` and `run --expose`."""
from __future__ import annotations

from engine.apiserver import server
from engine.apiserver.errors import StatusError
from engine.kubectl.context import Ctx
from engine.kubectl.errors import KubectlError, from_status, not_found
from engine.kubectl.flags import Flag, parse
from engine.kubectl.resources import resolve
from engine.objects import new_service_object

FLAGS = (Flag("port", default=""), Flag("target-port", default=""), Flag("type", default=""),
         Flag("name", default=""), Flag("protocol", default=""), Flag("selector", default=""),
         Flag("external-ip", default=""), Flag("labels", short="l", default=""), Flag("dry-run", default="none"),
         Flag("output", short="o", default=""), Flag("cluster-ip", default=""), Flag("filename", "list", short="f"),
         Flag("record", "bool", default=False), Flag("session-affinity", default=""),
         Flag("load-balancer-ip", default=""), Flag("overrides", default=""))
NO_ARGS = ("error: You must provide one or more resources by argument or filename.\nExample resource "
           "specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n"
           "   '<resource>'\nSee 'kubectl expose -h' for help and examples")
TYPES = {"clusterip": "ClusterIP", "nodeport": "NodePort", "loadbalancer": "LoadBalancer",
         "externalname": "ExternalName"}


def create_service(cluster, name: str, ns: str, svc_type: str, ports: list[dict], selector: dict | None,
                   labels: dict | None, *, cluster_ip: str | None = None, external_name: str | None = None,
                   dry_run: bool = False, wrap: str | None = None) -> dict:
    """POST the Service a verb builds from its flags (expose, create service, run --expose): the API
    server validates it and allocates its ClusterIP and NodePorts. `wrap`: the verb's error prefix."""
    svc = new_service_object(name, ns, svc_type=svc_type, ports=ports, selector=selector, labels=labels)
    if svc_type == "ExternalName":
        svc["spec"]["externalName"] = external_name
    if cluster_ip:
        svc["spec"]["clusterIP"] = cluster_ip
    try:
        if dry_run:
            server.admit(cluster, svc)
            return svc
        return server.create(cluster, svc)
    except StatusError as err:
        if wrap:
            raise KubectlError(f"error: {wrap}: {err.message}")
        raise from_status(err)


def run(ctx: Ctx, argv: list[str]) -> str:
    p = parse("expose", argv, FLAGS)
    args = p.args
    if not args:
        raise KubectlError(NO_ARGS)
    if "/" in args[0]:
        kind, _, obj_name = args[0].partition("/")
        args = [kind, obj_name] + args[1:]
    if len(args) < 2:
        raise KubectlError("error: resource(s) were provided, but no name was specified")
    res = resolve(args[0])
    obj_name = args[1]
    ns = ctx.namespace(p)
    if res.kind not in ("Pod", "Deployment", "ReplicaSet", "Service", "ReplicationController"):
        raise KubectlError(f"error: cannot expose a {res.kind}")
    obj = ctx.cluster.get(res.kind, ns, obj_name)
    if obj is None:
        raise KubectlError(not_found(res.qualified, obj_name))
    selector = _selector_of(obj, p["selector"])
    name = p["name"] or obj_name
    # kubectl sends --type as typed: the API server refuses `nodeport` (its enum is case-sensitive).
    svc_type = (p["type"] if p["type"] in TYPES.values() else None) if p["type"] else "ClusterIP"
    if svc_type is None:
        raise KubectlError(f'The Service "{name}" is invalid: spec.type: Unsupported value: "{p["type"]}": '
                           'supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"')
    ports = _ports(obj, p)
    labels = dict(obj["metadata"].get("labels") or {}) if not p["labels"] else dict(
        kv.split("=", 1) for kv in p["labels"].split(","))
    svc = create_service(ctx.cluster, name, ns, svc_type, ports, selector, labels,
                         cluster_ip=p["cluster-ip"] or None, dry_run="dry-run" in p.seen)
    if p["external-ip"]:
        svc["spec"]["externalIPs"] = p["external-ip"].split(",")
    return f"service/{name} exposed" + (" (dry run)" if "dry-run" in p.seen else "")


def _selector_of(obj: dict, override: str) -> dict:
    if override:
        return dict(kv.split("=", 1) for kv in override.split(","))
    kind = obj["kind"]
    if kind == "Pod":
        labels = obj["metadata"].get("labels")
        if not labels:
            raise KubectlError("error: couldn't retrieve selectors via --selector flag or introspection: the pod has "
                               "no labels and cannot be exposed\nSee 'kubectl expose -h' for help and examples")
        return dict(labels)
    if kind == "Service":
        if not obj["spec"].get("selector"):
            raise KubectlError("error: couldn't retrieve selectors via --selector flag or introspection: the "
                               "service has no pod selector set\nSee 'kubectl expose -h' for help and examples")
        return dict(obj["spec"]["selector"])
    sel = obj["spec"].get("selector") or {}
    if sel.get("matchExpressions"):
        raise KubectlError("error: couldn't retrieve selectors via --selector flag or introspection: "
                           "couldn't convert expressions - \"...\" to map-based selector format\n"
                           "See 'kubectl expose -h' for help and examples")
    return dict(sel.get("matchLabels") or {})


def _ports(obj: dict, p) -> list[dict]:
    protocol = p["protocol"] or "TCP"
    if p["port"]:
        try:
            numbers = [int(x) for x in p["port"].split(",")]
        except ValueError:
            raise KubectlError(f'error: strconv.Atoi: parsing "{p["port"]}": invalid syntax')
        names = []
    else:
        numbers, names = _introspect(obj)
        if not numbers:
            raise KubectlError("error: couldn't find port via --port flag or introspection\n"
                               "See 'kubectl expose -h' for help and examples")
    ports = []
    for i, number in enumerate(numbers):
        target: int | str = number
        if p["target-port"]:
            target = int(p["target-port"]) if p["target-port"].isdigit() else p["target-port"]
            target = target or number             # the API server defaults a zero targetPort to the port
        entry = {"port": number, "protocol": protocol, "targetPort": target}
        if len(numbers) > 1:
            entry["name"] = names[i] if i < len(names) and names[i] else f"port-{i + 1}"
        ports.append(entry)
    return ports


def _introspect(obj: dict) -> tuple[list[int], list[str]]:
    if obj["kind"] == "Service":
        return [p["port"] for p in obj["spec"].get("ports") or ()], [p.get("name", "") for p in obj["spec"].get("ports") or ()]
    spec = obj["spec"] if obj["kind"] == "Pod" else obj["spec"]["template"]["spec"]
    numbers, names = [], []
    for c in spec.get("containers") or ():
        for port in c.get("ports") or ():
            numbers.append(port["containerPort"])
            names.append(port.get("name", ""))
    return numbers, names
