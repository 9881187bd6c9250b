"""kubectl create deployment|namespace|service|configmap|secret|serviceaccount (job|cronjob: create_batch)."""
from __future__ import annotations

import base64

from engine import validation
from engine.kubectl import create_batch, output
from engine.kubectl.context import Ctx
from engine.apiserver import server
from engine.apiserver.errors import StatusError
from engine.kubectl.errors import KubectlError, from_status, usage_error
from engine.kubectl.flags import Flag, parse, require
from engine.kubectl.run_cmd import dry_run_mode
from engine.kubectl.scale import MAX_REPLICAS, too_many_replicas
from engine.podhash import create_deployment_template

COMMON = (Flag("dry-run", default="none"), Flag("output", short="o", default=""), Flag("save-config", "bool", default=False),
          Flag("filename", "list", short="f"), Flag("validate", "bool", default=True), Flag("record", "bool", default=False),
          Flag("edit", "bool", default=False), Flag("recursive", "bool", short="R", default=False),
          Flag("windows-line-endings", "bool", default=False), Flag("raw", default=""),
          Flag("selector", short="l", default=""))
SUBCOMMANDS = ("clusterrole", "clusterrolebinding", "configmap", "cronjob", "deployment", "ingress", "job",
               "namespace", "poddisruptionbudget", "priorityclass", "quota", "role", "rolebinding", "secret",
               "service", "serviceaccount")
ALIASES = {"deploy": "deployment", "ns": "namespace", "svc": "service", "cm": "configmap", "sa": "serviceaccount",
           "cj": "cronjob"}


def run(ctx: Ctx, argv: list[str]) -> str:
    sub = _subcommand(argv)
    if sub is None or ("-f" in argv or "--filename" in argv or any(a.startswith(("--filename=", "-f=")) for a in argv)):
        from engine.kubectl import apply
        return apply.run_create(ctx, argv)
    name = ALIASES.get(sub, sub)
    rest = list(argv)
    rest.remove(sub)
    handler = {"deployment": deployment, "namespace": namespace, "service": service, "configmap": configmap,
               "secret": secret, "serviceaccount": serviceaccount, "job": create_batch.job,
               "cronjob": create_batch.cronjob}.get(name)
    if handler is None:
        if name in SUBCOMMANDS:
            raise KubectlError(f"error: `kubectl create {name}` is not part of this course's sandbox yet")
        # create's own Run: no -f, so it complains, then refuses the words it was given (RequireNoArguments)
        words = " ".join(a for a in argv if not a.startswith("-"))
        raise KubectlError(f'Error: must specify one of -f and -k\n\nerror: unknown command "{words}"\n'
                           "See 'kubectl create -h' for help and examples")
    return handler(ctx, rest)


def _subcommand(argv: list[str]) -> str | None:
    """The first word that is not a flag or a flag's value (`create -o yaml` has none)."""
    from engine.kubectl.apply import CREATE_FLAGS
    from engine.kubectl.flags import GLOBAL
    valued = {f"--{f.name}" for f in GLOBAL + CREATE_FLAGS if f.kind != "bool"} | {
        f"-{f.short}" for f in GLOBAL + CREATE_FLAGS if f.short and f.kind != "bool"}
    skip = False
    for a in argv:
        if skip:
            skip = False
        elif a.startswith("-"):
            skip = a in valued
        else:
            return a
    return None


def _one_name(command: str, args: list[str]) -> str:
    if len(args) != 1:
        raise usage_error(command, f"exactly one NAME is required, got {len(args)}")
    return args[0]


def _emit(ctx: Ctx, p, obj: dict, dry: str) -> str:
    label = output.name_of(obj)
    if p["output"] == "yaml":
        return output.to_yaml(obj)
    if p["output"] == "json":
        return output.to_json_typed(obj)
    if p["output"] == "name":
        return label
    return f"{label} created" + (" (dry run)" if dry == "client" else " (server dry run)" if dry == "server" else "")


def _store(ctx: Ctx, obj: dict, dry: str = "none") -> None:
    """POST to the API server (with --dry-run=server: everything but the store)."""
    try:
        if dry == "server":
            server.admit(ctx.cluster, obj)
        else:
            server.create(ctx.cluster, obj)
    except StatusError as err:
        raise from_status(err)


DEPLOYMENT_FLAGS = COMMON + (Flag("image", "list"), Flag("replicas", "int", short="r", default=1),
                             Flag("port", "int", default=-1))


def deployment(ctx: Ctx, argv: list[str]) -> str:
    p = parse("create deployment", argv, DEPLOYMENT_FLAGS)
    require("create deployment", p, "image")
    name = _one_name("create deployment", p.args)
    ns = ctx.namespace(p)
    images = p["image"]
    template = create_deployment_template(name, images, p["port"] if p["port"] >= 0 else None, rng=ctx.cluster.rng)
    dep = {"apiVersion": "apps/v1", "kind": "Deployment",
           "metadata": {"creationTimestamp": None, "labels": {"app": name}, "name": name},
           "spec": {"replicas": p["replicas"], "selector": {"matchLabels": {"app": name}}, "strategy": {},
                    "template": template}, "status": {}}
    dry = dry_run_mode(p["dry-run"]) if "dry-run" in p.seen else "none"
    if dry == "client":
        dep["spec"]["template"] = _client_template(name, images, p["port"])
        return _emit(ctx, p, dep, dry)
    if p["replicas"] > MAX_REPLICAS:
        raise KubectlError(too_many_replicas())
    dep["metadata"]["namespace"] = ns
    del dep["metadata"]["creationTimestamp"]
    try:
        server.create(ctx.cluster, dep)
    except StatusError as err:      # kubectl wraps the server's error: its plain message, not the Invalid form
        raise KubectlError(f"error: failed to create deployment: {err.message}")
    return _emit(ctx, p, dep, dry)


def _client_template(name: str, images: list[str], port: int) -> dict:
    """What kubectl prints for --dry-run=client: before any server defaults."""
    from engine.objects import image_base
    containers = []
    for i, img in enumerate(images):
        c = {"image": img, "name": image_base(img), "resources": {}}
        if port >= 0 and i == 0:
            c["ports"] = [{"containerPort": port}]
        containers.append(c)
    return {"metadata": {"creationTimestamp": None, "labels": {"app": name}}, "spec": {"containers": containers}}


def namespace(ctx: Ctx, argv: list[str]) -> str:
    p = parse("create namespace", argv, COMMON)
    name = _one_name("create namespace", p.args)
    ns = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"creationTimestamp": None, "name": name},
          "spec": {}, "status": {}}
    dry = dry_run_mode(p["dry-run"]) if "dry-run" in p.seen else "none"
    if dry == "client":
        return _emit(ctx, p, ns, dry)
    del ns["metadata"]["creationTimestamp"]
    _store(ctx, ns)
    return _emit(ctx, p, ns, dry)


def service(ctx: Ctx, argv: list[str]) -> str:
    from engine.kubectl.expose import create_service
    kinds = {"clusterip": "ClusterIP", "nodeport": "NodePort", "loadbalancer": "LoadBalancer",
             "externalname": "ExternalName"}
    sub = next((a for a in argv if not a.startswith("-")), None)
    if sub not in kinds:
        # cobra runs `create service` itself: its help, or its flags (it has none of its own) and then
        # the words it does not know (`create service NodePort x`)
        from engine.kubectl import real_help
        if sub is None:
            raise KubectlError(real_help.lookup("create", ["service"]))
        words = parse("create service", argv, ()).args
        raise KubectlError(f'error: unknown command "{" ".join(words)}"\nSee \'kubectl create service -h\' for '
                           "help and examples")
    rest = list(argv)
    rest.remove(sub)
    command = f"create service {sub}"
    p = parse(command, rest, COMMON + (Flag("tcp", "list"), Flag("node-port", "int", default=0),
                                       Flag("clusterip", default=""), Flag("external-name", default="")))
    name = _one_name(command, p.args)
    ns = ctx.namespace(p)
    svc_type = kinds[sub]
    ports = []
    for spec in p["tcp"]:
        port_s, _, target_s = spec.partition(":")
        try:
            port = int(port_s)
        except ValueError:
            raise KubectlError(f'error: strconv.Atoi: parsing "{port_s}": invalid syntax')
        target: int | str = port
        if target_s:                        # a number, or the name of a container port
            target = int(target_s) if target_s.lstrip("-").isdigit() else target_s
            if isinstance(target, str) and (errs := validation.port_name(target)):
                raise KubectlError("error: " + ",".join(errs))
        entry = {"name": spec.replace(":", "-"), "port": port, "protocol": "TCP", "targetPort": target}
        if p["node-port"]:
            entry["nodePort"] = p["node-port"]
        ports.append(entry)
    if svc_type == "ExternalName":
        if not p["external-name"]:
            raise usage_error(command, "--external-name must be specified")
    elif not ports and p["clusterip"] != "None":
        raise KubectlError("error: at least one tcp port specifier must be provided")
    dry = dry_run_mode(p["dry-run"]) if "dry-run" in p.seen else "none"
    if dry == "client":                      # what kubectl's generator builds, before any server default
        spec: dict = {"ports": ports} if ports else {}
        if svc_type == "ExternalName":
            spec["externalName"] = p["external-name"]
        else:
            spec["selector"] = {"app": name}
        if p["clusterip"]:
            spec["clusterIP"] = p["clusterip"]
        spec["type"] = svc_type
        client = {"apiVersion": "v1", "kind": "Service",
                  "metadata": {"creationTimestamp": None, "labels": {"app": name}, "name": name},
                  "spec": spec, "status": {"loadBalancer": {}}}
        return _emit(ctx, p, client, dry)
    svc = create_service(ctx.cluster, name, ns, svc_type, ports, {"app": name}, {"app": name},
                         cluster_ip=p["clusterip"] or None, external_name=p["external-name"] or None,
                         dry_run="dry-run" in p.seen, wrap="failed to create " + svc_type + " service")
    return _emit(ctx, p, svc, "none")


def configmap(ctx: Ctx, argv: list[str]) -> str:
    p = parse("create configmap", argv, COMMON + (Flag("from-literal", "list"), Flag("from-file", "list"),
                                                   Flag("from-env-file", default="")))
    name = _one_name("create configmap", p.args)
    data = _literals(p["from-literal"])
    obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": ctx.namespace(p)}}
    if data:
        obj["data"] = data
    return _create_simple(ctx, p, obj, "configmaps", "ConfigMap")


def secret(ctx: Ctx, argv: list[str]) -> str:
    sub = next((a for a in argv if not a.startswith("-")), None)
    if sub != "generic":
        raise KubectlError("error: only `kubectl create secret generic` is available in this sandbox")
    rest = list(argv)
    rest.remove(sub)
    p = parse("create secret generic", rest, COMMON + (Flag("from-literal", "list"), Flag("from-file", "list"),
                                                        Flag("type", default="")))
    name = _one_name("create secret generic", p.args)
    data = {k: base64.b64encode(v.encode()).decode() for k, v in _literals(p["from-literal"]).items()}
    obj = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name, "namespace": ctx.namespace(p)}}
    if data:
        obj["data"] = data
    if p["type"]:
        obj["type"] = p["type"]
    elif "dry-run" not in p.seen:
        obj["type"] = "Opaque"              # the API server's default; kubectl's generator leaves it out
    return _create_simple(ctx, p, obj, "secrets", "Secret")


def serviceaccount(ctx: Ctx, argv: list[str]) -> str:
    p = parse("create serviceaccount", argv, COMMON)
    name = _one_name("create serviceaccount", p.args)
    ns = ctx.namespace(p)
    obj = {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": name, "namespace": ns}}
    return _create_simple(ctx, p, obj, "serviceaccounts", "ServiceAccount")     # the token comes with it


def _literals(items: list[str]) -> dict[str, str]:
    data = {}
    for item in items:
        k, eq, v = item.partition("=")
        if not eq or not k:
            raise KubectlError(f"error: invalid literal source {item}, expected key=value")
        data[k] = v
    return data


def _create_simple(ctx: Ctx, p, obj: dict, plural: str, kind: str) -> str:
    name = obj["metadata"]["name"]
    dry = dry_run_mode(p["dry-run"]) if "dry-run" in p.seen else "none"
    if dry == "client":
        obj["metadata"]["creationTimestamp"] = None
        obj["metadata"].pop("namespace", None)
        return _emit(ctx, p, obj, dry)
    _store(ctx, obj, dry)
    return _emit(ctx, p, obj, dry)
