"""kubectl set image TYPE NAME CONTAINER=IMAGE… (`*=IMAGE` for every container), --record."""
from __future__ import annotations

import copy

from engine.kubectl.apply import CHANGE_CAUSE, change_cause, commit_update
from engine.kubectl.context import Ctx
from engine.kubectl.errors import KubectlError, not_found
from engine.kubectl.flags import Flag, parse
from engine.kubectl.get import targets
from engine.kubectl.resources import Resource
from engine.kubectl.run_cmd import dry_run_mode

FLAGS = (Flag("all", "bool", default=False), Flag("selector", short="l", default=""),
         Flag("record", "bool", default=False), Flag("local", "bool", default=False),
         Flag("dry-run", default="none"), Flag("output", short="o", default=""),
         Flag("filename", "list", short="f"), Flag("recursive", "bool", short="R", default=False),
         Flag("field-manager", default=""))
SUBCOMMANDS = ("env", "image", "resources", "selector", "serviceaccount", "subject")
WITH_TEMPLATE = ("Deployment", "ReplicaSet", "DaemonSet")


def run(ctx: Ctx, argv: list[str]) -> str:
    sub = next((a for a in argv if not a.startswith("-")), None)
    if sub is None:
        raise KubectlError('error: Required resource not specified.\nSee \'kubectl set -h\' for help and examples')
    if sub not in SUBCOMMANDS:
        raise KubectlError(f'error: unknown command "{sub}" for "kubectl set"\nSee \'kubectl set -h\' for help and examples')
    if sub != "image":
        raise KubectlError(f"error: `kubectl set {sub}` is not part of this course's sandbox yet")
    rest = list(argv)
    rest.remove(sub)
    return set_image(ctx, rest)


def _split(args: list[str]) -> tuple[list[str], dict[str, str]]:
    resources, images = [], {}
    for a in args:
        if "=" in a:
            name, _, image = a.partition("=")
            if not name or not image:
                raise KubectlError(f"error: invalid image {a}")
            images[name] = image
        elif images:
            raise KubectlError("error: all resources must be specified before image changes: " + a)
        else:
            resources.append(a)
    return resources, images


def set_image(ctx: Ctx, argv: list[str]) -> str:
    p = parse("set image", argv, FLAGS)
    resources, images = _split(p.args)
    if not resources or not images:
        raise KubectlError("error: at least one image update is required\n"
                           "See 'kubectl set image -h' for help and examples" if resources else
                           "error: one or more resources must be specified as <resource> <name> or <resource>/<name>"
                           "\nSee 'kubectl set image -h' for help and examples")
    ns = ctx.namespace(p)
    lines, errors = [], []
    cause = change_cause(ctx) if p["record"] else None
    for res, names in targets(resources):
        for name in names:
            obj = ctx.cluster.get(res.kind, ns if res.namespaced else "", name) if res.supported else None
            if obj is None:
                errors.append(not_found(res.qualified, name))
                continue
            dry = dry_run_mode(p["dry-run"]) if "dry-run" in p.seen else "none"
            try:
                changed = _update(ctx, res, obj, images, cause, commit=dry == "none")
            except KubectlError as err:
                errors.append(err.text)
                continue
            if changed:
                suffix = " (dry run)" if dry == "client" else " (server dry run)" if dry == "server" else ""
                lines.append(f"{res.label}/{name} image updated{suffix}")
    if errors:
        raise KubectlError("\n".join(lines + errors))
    return "\n".join(lines)


def _update(ctx: Ctx, res: Resource, obj: dict, images: dict[str, str], cause: str | None, *,
            commit: bool = True) -> bool:
    if res.kind not in WITH_TEMPLATE + ("Pod",):
        raise KubectlError(f"error: {res.label}/{obj['metadata']['name']} the object is not a pod or does not have "
                           "a pod template: *v1.{res.kind}")
    new = copy.deepcopy(obj)
    spec = new["spec"] if res.kind == "Pod" else new["spec"]["template"]["spec"]
    containers = list(spec.get("containers") or ()) + list(spec.get("initContainers") or ())
    for cname, image in images.items():
        hits = [c for c in containers if cname == "*" or c.get("name") == cname]
        if not hits:
            raise KubectlError(f'error: unable to find container named "{cname}"')
        for c in hits:
            c["image"] = image
    if cause is not None:
        new["metadata"].setdefault("annotations", {})[CHANGE_CAUSE] = cause
    if new == obj:
        return False
    if commit:
        commit_update(ctx, obj, new)
    return True
