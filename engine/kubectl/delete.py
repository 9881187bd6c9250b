"""kubectl delete TYPE NAME… | TYPE/NAME | -l | --all | -f: one line per object, kubectl's words."""
from __future__ import annotations

from engine.apiserver import errors as status, server
from engine.apiserver.errors import StatusError
from engine.kubectl import selectors
from engine.kubectl.context import Ctx
from engine.kubectl.errors import KubectlError, from_status, not_found
from engine.kubectl.flags import Flag, parse
from engine.kubectl.get import read, targets, warnings
from engine.kubectl.resources import Resource

FLAGS = (Flag("all", "bool", default=False), Flag("selector", short="l", default=""),
         Flag("force", "bool", default=False), Flag("grace-period", "int", default=-1),
         Flag("now", "bool", default=False), Flag("wait", "bool", default=True),
         Flag("filename", "list", short="f"), Flag("recursive", "bool", short="R", default=False),
         Flag("all-namespaces", "bool", short="A", default=False), Flag("ignore-not-found", "bool", default=False),
         Flag("output", short="o", default=""), Flag("cascade", default="background"),
         Flag("timeout", default="0s"), Flag("field-selector", default=""), Flag("dry-run", default="none"),
         Flag("kustomize", short="k", default=""), Flag("raw", default=""))
NO_ARGS = ("error: You must provide one or more resources by argument or filename.\nExample resource "
           "specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n"
           "   '<resource>'")
FORCE_WARNING = ("warning: Immediate deletion does not wait for confirmation that the running resource has been "
                 "terminated. The resource may continue to run on the cluster indefinitely.")


def run(ctx: Ctx, argv: list[str]) -> str:
    p = parse("delete", argv, FLAGS)
    if p["filename"]:
        from engine.kubectl import apply
        return apply.run_delete(ctx, p)
    if not p.args:
        raise KubectlError(NO_ARGS)
    wanted = targets(p.args)
    ns = ctx.namespace(p)
    force = p["force"] and p["grace-period"] in (0, -1) or p["grace-period"] == 0 and p["force"]
    lines, errors, found = [], [], 0
    if p["force"] and p["grace-period"] == 0:
        lines.append(FORCE_WARNING)
    for res, names in wanted:
        if not names and not p["all"] and not p["selector"]:
            raise KubectlError("error: resource(s) were provided, but no name, label selector, or --all flag specified")
        scope = "" if not res.namespaced else ns
        if read(ctx, res) is not None:          # computed on read (ComponentStatus): nothing to delete
            raise KubectlError("\n".join(warnings([res]) + [from_status(status.method_not_allowed()).text]))
        if names:
            objs = []
            for name in names:
                obj = ctx.cluster.get(res.kind, scope, name) if res.supported else None
                if obj is None:
                    if not p["ignore-not-found"]:
                        errors.append(not_found(res.qualified, name))
                else:
                    objs.append(obj)
        else:
            objs = ctx.cluster.list(res.kind, scope if res.namespaced else None) if res.supported else []
            if p["selector"]:
                match = selectors.parse(p["selector"])
                objs = [o for o in objs if match(o["metadata"].get("labels"))]
        found += len(objs)
        for obj in objs:
            lines.append(delete_object(ctx, res, obj, force=p["force"] and p["grace-period"] == 0,
                                       grace=p["grace-period"] if p["grace-period"] >= 0 else None,
                                       wait=p["wait"]))
    del force
    if not found and not errors and not p["ignore-not-found"]:
        # DeleteResult: nothing matched the selector (or --all): said plainly, and not a failure
        return "\n".join(lines + ["No resources found"])
    if errors and not lines:
        raise KubectlError("\n".join(errors))
    return "\n".join(lines + errors)


def delete_object(ctx: Ctx, res: Resource, obj: dict, *, force: bool = False, grace: int | None = None,
                  wait: bool = True) -> str:
    name = obj["metadata"]["name"]
    label = f'{res.label} "{name}"'
    if obj["kind"] == "Namespace" and not any(tok in ("--wait=false", "--wait=0", "--wait=f", "--wait=False")
                                              for tok in ctx.command_line.split()):
        wait = True             # delete ns waits unless told not to (delete.py's --wait is read off the line)
    try:
        took = server.delete(ctx.cluster, obj, grace=grace, force=force)
    except StatusError as err:
        raise from_status(err)
    if took and wait:
        ctx.wait = max(ctx.wait, took)
    return f"{label} force deleted" if force and obj["kind"] == "Pod" else f"{label} deleted"
