"""kubectl wait --for=condition=NAME[=VALUE]|delete (TYPE NAME | TYPE/NAME | TYPE -l SEL | TYPE --all).

Each object is waited on in turn, each for up to --timeout (default 30s) of sandbox time, as
kubectl 1.20's wait command visits them.
"""
from __future__ import annotations

from engine.kubectl import output, selectors
from engine.kubectl.context import Ctx
from engine.kubectl.errors import KubectlError, not_found
from engine.kubectl.flags import Flag, parse
from engine.kubectl.get import named, targets
from engine.kubectl.waiting import block, go_duration, note_cap

FLAGS = (Flag("for", default=""), Flag("timeout", default="30s"), Flag("selector", short="l", default=""),
         Flag("all", "bool", default=False), Flag("all-namespaces", "bool", short="A", default=False),
         Flag("filename", "list", short="f"), Flag("recursive", "bool", short="R", default=False),
         Flag("field-selector", default=""), Flag("output", short="o", default=""),
         Flag("allow-missing-template-keys", "bool", default=True), Flag("template", default=""))
NO_RESOURCES = ("error: You must provide one or more resources by argument or filename.\nExample resource "
                "specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n"
                "   '<resource>'")
A_WEEK = 168 * 3600.0          # a negative --timeout means "a week" in kubectl


def condition_check(text: str):
    """--for → fn(obj or None) -> bool, as kubectl's conditionFuncFor reads it."""
    if text.lower() == "delete":
        return lambda obj: obj is None
    if text.startswith("condition="):
        name, _, value = text[len("condition="):].partition("=")
        value = value or "true"

        def met(obj) -> bool:
            conds = ((obj or {}).get("status") or {}).get("conditions") or ()
            return any(c.get("type", "").lower() == name.lower() and str(c.get("status", "")).lower() == value.lower()
                       for c in conds)
        return met
    raise KubectlError(f'error: unrecognized condition: "{text}"')


def run(ctx: Ctx, argv: list[str]) -> str:
    p = parse("wait", argv, FLAGS)
    met = condition_check(p["for"])
    timeout = go_duration("wait", "timeout", p["timeout"])
    timeout = A_WEEK if timeout < 0 else timeout
    if not p.args:
        raise KubectlError(NO_RESOURCES)
    ns = None if p["all-namespaces"] else ctx.namespace(p)
    objects, errors = [], []
    for res, names in targets(p.args):
        if names:
            for name in names:
                obj = named(ctx, res, ns, name)
                if obj is None:
                    errors.append(not_found(res.qualified, name))
                else:
                    objects.append((res, obj))
        elif p["selector"] or p["all"]:
            match = selectors.parse(p["selector"]) if p["selector"] else None
            objects += [(res, o) for o in ctx.cluster.list(res.kind, ns if res.namespaced else None)
                        if res.supported and (match is None or match(o["metadata"].get("labels")))]
        else:
            raise KubectlError("error: resource(s) were provided, but no name, label selector, or --all flag specified")
    if not objects and not errors:
        raise KubectlError("error: no matching resources found")
    lines = []
    for res, obj in objects:
        md = obj["metadata"]
        key = (res.kind, md.get("namespace", ""), md["name"])

        def current(key=key, uid=md["uid"]):
            now = ctx.cluster.get(*key)
            return now if now is not None and now["metadata"]["uid"] == uid else None
        ok, capped = block(ctx, lambda: True if met(current()) else None, timeout)
        if ok:
            lines.append(f"{output.name_of(obj)} condition met")
        else:
            if capped:
                note_cap(ctx, "wait_capped")
            errors.append(f"error: timed out waiting for the condition on {res.plural}/{md['name']}")
    if errors:
        raise KubectlError("\n".join(lines + errors))
    return "\n".join(lines)
