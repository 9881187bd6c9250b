"""kubectl scale {deployment|replicaset} NAME --replicas=N."""
from __future__ import annotations

from engine.kubectl.context import Ctx
from engine.kubectl.errors import KubectlError, not_found
from engine.kubectl.flags import Flag, parse, require
from engine.kubectl.resources import resolve

FLAGS = (Flag("replicas", "int", default=-1), Flag("current-replicas", "int", default=-1),
         Flag("resource-version", default=""), Flag("all", "bool", default=False),
         Flag("selector", short="l", default=""), Flag("filename", "list", short="f"),
         Flag("output", short="o", default=""), Flag("record", "bool", default=False),
         Flag("timeout", default="0s"), Flag("dry-run", default="none"))
MAX_REPLICAS = 10_000


def run(ctx: Ctx, argv: list[str]) -> str:
    p = parse("scale", argv, FLAGS)
    require("scale", p, "replicas")
    if p["replicas"] < 0:
        raise KubectlError("error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0")
    targets = []
    args = p.args
    if not args:
        raise KubectlError("error: You must provide one or more resources by argument or filename.\nExample resource "
                           "specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   "
                           "'<resource> <name>'\n   '<resource>'")
    if all("/" in a for a in args):
        for a in args:
            kind, _, name = a.partition("/")
            targets.append((resolve(kind), name))
    else:
        res = resolve(args[0])
        if len(args) == 1:
            raise KubectlError("error: resource(s) were provided, but no name was specified")
        targets = [(res, name) for name in args[1:]]
    ns = ctx.namespace(p)
    out, errors = [], []
    for res, name in targets:
        if res.kind not in ("Deployment", "ReplicaSet", "StatefulSet", "ReplicationController"):
            errors.append(f'error: no scaler has been implemented for {{"{res.group}" "{res.kind}"}}')
            continue
        obj = ctx.cluster.get(res.kind, ns, name)
        if obj is None:
            errors.append(not_found(res.qualified, name))
            continue
        if p["current-replicas"] >= 0 and obj["spec"]["replicas"] != p["current-replicas"]:
            errors.append(f"error: Expected replicas to be {p['current-replicas']}, was {obj['spec']['replicas']}")
            continue
        if p["replicas"] > MAX_REPLICAS:
            errors.append(f"error: this sandbox allows at most {MAX_REPLICAS} replicas (each node holds 110 pods)")
            continue
        if obj["spec"]["replicas"] != p["replicas"]:
            obj["spec"]["replicas"] = p["replicas"]
            obj["metadata"]["generation"] = obj["metadata"].get("generation", 1) + 1
            ctx.cluster.update(obj)
        out.append(f"{res.label}/{name} scaled")
    if errors and not out:
        raise KubectlError("\n".join(errors))
    return "\n".join(out + errors)
