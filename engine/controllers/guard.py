"""Controllers never break a sandbox: one that fails on an object records a Warning event on it
and skips it until it changes; the other objects and controllers carry on. The failure is a bug
in the sandbox (the API server should have refused the object), so it is also logged."""
from __future__ import annotations

import logging
from typing import Callable

from engine.cluster import Cluster

log = logging.getLogger(__name__)


def run(cluster: Cluster, name: str, step: Callable[..., None], *args) -> None:
    try:
        step(cluster, *args)
    except Exception as exc:    # noqa: BLE001 - the point is that nothing escapes into the student's command
        obj = _timer_object(cluster, args) if args else _handled(cluster, exc.__traceback__)
        log.exception("controller %s failed on %s", name, _describe(obj))
        if obj is not None and obj.get("metadata", {}).get("uid"):
            skip(cluster, obj, name)


def skip(cluster: Cluster, obj: dict, controller: str) -> None:
    md = obj["metadata"]
    cluster.meta.setdefault("skipped", {})[md["uid"]] = md.get("resourceVersion")
    cluster.event(obj, "FailedSync", f"{controller} cannot handle this {obj.get('kind', 'object')} and skips it "
                  "until it changes", controller, type_="Warning")


def _handled(cluster: Cluster, tb) -> dict | None:
    """The stored object the failing controller was handling: the innermost one its frames hold
    (found only after a failure, so the normal path costs nothing)."""
    found = None
    while tb is not None:
        for value in tb.tb_frame.f_locals.values():
            if isinstance(value, dict) and isinstance(value.get("metadata"), dict) and "kind" in value:
                md = value["metadata"]
                if cluster.get(value["kind"], md.get("namespace", ""), md.get("name", "")) is value:
                    found = value
        tb = tb.tb_next
    return found


def _timer_object(cluster: Cluster, args: tuple) -> dict | None:
    """Timers name their object as (namespace, name, ...) of a pod, or a node name."""
    if len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
        return cluster.get("Pod", args[0], args[1])
    if args and isinstance(args[0], str):
        return cluster.get("Node", "", args[0])
    return None


def _describe(obj: dict | None) -> str:
    if obj is None:
        return "an unknown object"
    md = obj.get("metadata") or {}
    return f"{obj.get('kind')} {md.get('namespace', '')}/{md.get('name')}"
