"""kubectl describe (1.20.2): which objects, in which order, and the NAME_PREFIX fallback.

Each kind's layout lives in describe_<group>.py; kinds without a describer use kubectl's
generic one. Objects are separated as kubectl separates them (`\\n\\n` before each later one,
one blank line between prefix matches).
"""
from __future__ import annotations

from engine.kubectl import selectors
from engine.kubectl.context import Ctx
from engine.apiserver import registry
from engine.kubectl.describe_core import describe_generic
from engine.kubectl.errors import KubectlError, not_found
from engine.kubectl.flags import Flag, parse
from engine.kubectl.get import named as named_object, read, targets
from engine.kubectl.resources import Resource

FLAGS = (Flag("all-namespaces", "bool", short="A", default=False), Flag("selector", short="l", default=""),
         Flag("show-events", "bool", default=True), Flag("chunk-size", "int", default=500),
         Flag("recursive", "bool", short="R", default=False), Flag("filename", "list", short="f"))

NO_TYPE = ('error: You must specify the type of resource to describe. Use "kubectl api-resources" for a '
           "complete list of supported resources.")


def describe_one(ctx: Ctx, obj: dict, show_events: bool = True) -> str:
    """One object's description, without the final newline."""
    declared = registry.get(obj["kind"])
    fn = registry.resolve(declared.describer) if declared and declared.describer else describe_generic
    events = ctx.cluster.events_for(obj) if show_events else None
    try:
        return fn(ctx.cluster, obj, events).rstrip("\n")
    except Exception:       # noqa: BLE001 - an object stored before validation: the generic layout
        return describe_generic(ctx.cluster, obj, events).rstrip("\n")


def run(ctx: Ctx, argv: list[str]) -> str:
    p = parse("describe", argv, FLAGS)
    if p["filename"]:
        return _from_files(ctx, p)
    if not p.args:
        raise KubectlError(NO_TYPE)
    wanted = targets(p.args)
    all_ns = p["all-namespaces"]
    ns = ctx.namespace(p)
    named = any(names for _, names in wanted)
    if named and p["selector"]:
        raise KubectlError("error: name cannot be provided when a selector is specified")
    if named and all_ns:
        raise KubectlError("error: a resource cannot be retrieved by name across all namespaces")
    selector = selectors.parse(p["selector"]) if p["selector"] else None
    found: list[dict] = []
    errors: list[str] = []
    for res, names in wanted:
        if not names:
            found.extend(_list(ctx, res, None if all_ns else ns, selector))
            continue
        for name in names:
            obj = named_object(ctx, res, ns, name)
            if obj is None:
                errors.append(not_found(res.qualified, name))
            else:
                found.append(obj)
    show = p["show-events"]
    if errors and not found and len(p.args) == 2 and "/" not in p.args[0]:
        return _matching_prefix(ctx, wanted[0][0], ns, p.args[1], errors[0], show)
    body = "\n\n\n".join(describe_one(ctx, o, show) for o in found)
    if errors:
        raise KubectlError("\n".join(x for x in (body, *errors) if x))
    if not found:
        return "No resources found" if all_ns else f"No resources found in {ns} namespace."
    return body


def _from_files(ctx: Ctx, p) -> str:
    """`describe -f FILE`: the live objects the manifests name."""
    from engine.kubectl.apply import finish, read_items
    items, errors = read_items(ctx, p, validate=False)
    found = []
    for item in items:
        obj = ctx.cluster.get(item.kind, item.namespace, item.name)
        if obj is None:
            errors.append(not_found(item.plural, item.name))
        else:
            found.append(obj)
    body = "\n\n\n".join(describe_one(ctx, o, p["show-events"]) for o in found)
    return finish([body] if body else [], errors)


def _list(ctx: Ctx, res: Resource, ns: str | None, selector) -> list[dict]:
    if not res.supported:
        return []
    items = read(ctx, res)
    if items is None:
        items = ctx.cluster.list(res.kind, ns if res.namespaced else None)
    if selector is not None:
        items = [o for o in items if selector(o["metadata"].get("labels"))]
    return sorted(items, key=lambda o: (o["metadata"].get("namespace", ""), o["metadata"]["name"]))


def _matching_prefix(ctx: Ctx, res: Resource, ns: str, prefix: str, error: str, show: bool) -> str:
    """DescribeMatchingResources: `describe pod nginx` finds nginx-xxx when there is no `nginx`."""
    matches = [o for o in _list(ctx, res, ns, None) if o["metadata"]["name"].startswith(prefix)]
    if not matches:
        raise KubectlError(error)
    return "\n\n".join(describe_one(ctx, o, show) for o in matches)
