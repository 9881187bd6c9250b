"""kubectl scale {deployment|replicaset} (NAME | --all | -l selector) --replicas=N."""
from __future__ import annotations

from engine.apiserver import server
from engine.apiserver.errors import StatusError
from engine.kubectl import get, selectors
from engine.kubectl.context import Ctx
from engine.kubectl.errors import KubectlError, from_status, not_found
from engine.kubectl.flags import Flag, parse, require

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
    if not p.args:
        raise KubectlError("error: You must provide one or more resources by argument or filename.\nExample resource "
                           "specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   "
                           "'<resource> <name>'\n   '<resource>'")
    ns = ctx.namespace(p)
    targets = []
    for res, names in get.targets(p.args):          # the same resource/name forms as get
        if names:
            targets += [(res, name) for name in names]
        elif p["all"] or p["selector"]:
            match = selectors.parse(p["selector"]) if p["selector"] else None
            targets += [(res, o["metadata"]["name"]) for o in ctx.cluster.list(res.kind, ns)
                        if match is None or match(o["metadata"].get("labels"))] if res.supported else []
        else:
            raise KubectlError("error: resource(s) were provided, but no name was specified")
    if not targets:
        raise KubectlError("error: no objects passed to scale")
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
            errors.append(too_many_replicas())
            continue
        try:                        # the server bumps the generation when the spec changes
            server.change(ctx.cluster, obj, lambda new: new["spec"].__setitem__("replicas", p["replicas"]))
        except StatusError as err:
            errors.append(from_status(err).text)
            continue
        out.append(f"{res.label}/{name} scaled")
    if errors:                      # what could be scaled was; the exit status still reports the rest
        raise KubectlError("\n".join(out + errors))
    return "\n".join(out)


def too_many_replicas() -> str:
    """The sandbox's own bound (no kubectl text exists: a real cluster would accept and leave pods Pending)."""
    return f"error: this sandbox allows at most {MAX_REPLICAS} replicas (each node holds 110 pods)"
