"""kubectl get -w: the list as it is, then a line per change, for a bounded span of sandbox time.

As kubectl 1.20's watch prints it: the headers once (with the first rows printed), and every
change flushed on its own, so an event's row is aligned only with itself (the familiar ragged
columns). The span is --request-timeout, else 30 s; then a tutor note says the watch stopped.
"""
from __future__ import annotations

import re

from engine.kubectl import output, selectors
from engine.kubectl.context import Ctx
from engine.kubectl.errors import KubectlError, not_found
from engine.kubectl.resources import Resource
from engine.kubectl.waiting import block, observing
from engine.timefmt import human_duration

DEFAULT_SPAN = 30.0
MAX_EVENTS = 2000           # a reply's worth: the watch stops early rather than grow without bound
_TIMEOUT = re.compile(r"^(\d+)(s|m|h)?$")


def request_timeout(text: str) -> float:
    """kubectl's --request-timeout: `0`, `30`, `1s`, `2m`, `3h`."""
    m = _TIMEOUT.match(text.strip())
    if not m:
        raise KubectlError("error: Invalid timeout value. Timeout must be a single integer in seconds, or an integer "
                           "followed by a corresponding time unit (e.g. 1s | 2m | 3h)")
    return int(m.group(1)) * {"s": 1, "m": 60, "h": 3600, None: 1}[m.group(2)]


def run(ctx: Ctx, p, wanted: list[tuple[Resource, list[str]]]) -> str:
    from engine.kubectl.get import list_objects, named, table_for
    span = request_timeout(p["request-timeout"]) or DEFAULT_SPAN
    if len(wanted) > 1:
        raise KubectlError("error: watch is only supported on individual resources and resource collections - more "
                           "than 1 resource was found")
    res, names = wanted[0]
    all_ns = p["all-namespaces"] and res.namespaced
    ns = None if p["all-namespaces"] else ctx.namespace(p)
    match = selectors.parse(p["selector"]) if p["selector"] else None
    if names:
        items = []
        for name in names:
            obj = named(ctx, res, ns, name)
            if obj is None:
                raise KubectlError(not_found(res.qualified, name))
            items.append(obj)
    else:
        items = list_objects(ctx, res, ns, match)
    fmt = p["output"]
    if fmt not in ("", "wide", "name", "yaml", "json"):
        raise KubectlError(f'error: output format "{fmt}" with --watch is not part of this course\'s sandbox')
    chunks: list[str] = []
    headed = [False]

    def show(objs: list[dict]) -> None:
        if len(chunks) >= MAX_EVENTS:
            return
        if fmt == "name":
            chunks.extend(output.name_of(o) for o in objs)
        elif fmt in ("yaml", "json"):
            chunks.extend(("---\n" if chunks else "") + output.to_yaml(o) if fmt == "yaml" else output.to_json(o)
                          for o in objs)
        elif objs:
            chunks.append(table_for(ctx, res, objs, wide=fmt == "wide", show_labels=p["show-labels"], all_ns=all_ns,
                                    no_headers=p["no-headers"] or headed[0], label_columns=p["label-columns"]))
            headed[0] = True

    def wanted_obj(obj: dict) -> bool:
        md = obj["metadata"]
        return (obj.get("kind") == res.kind and (ns is None or not res.namespaced or md.get("namespace") == ns)
                and (not names or md["name"] in names) and (match is None or match(md.get("labels"))))

    if not p["watch-only"]:
        show(items)
    start = ctx.cluster.now
    with observing(ctx.cluster, lambda obj, deleted: show([obj]) if wanted_obj(obj) else None):
        block(ctx, lambda: True if len(chunks) >= MAX_EVENTS else None, span)
    ctx.notes.append(("watch_stopped", {"span": human_duration(ctx.cluster.now - start)}))
    return "\n".join(chunks)
