"""kubectl cordon | uncordon | drain NODE (kubectl 1.20 pkg/drain wording).

Cordoning sets spec.unschedulable; the node lifecycle controller adds the matching
node.kubernetes.io/unschedulable:NoSchedule taint. Drain cordons, then evicts every pod on the
node that its filters allow (DaemonSet pods only with --ignore-daemonsets, bare pods only with
--force, emptyDir pods only with --delete-emptydir-data; mirror pods are skipped silently).
"""
from __future__ import annotations

from engine.apiserver import server
from engine.apiserver.errors import StatusError
from engine.cluster import controller_of
from engine.controllers import kubelet
from engine.kubectl.context import Ctx
from engine.kubectl.errors import KubectlError, from_status, not_found
from engine.kubectl.flags import Flag, parse

FLAGS = (Flag("dry-run", default="none"), Flag("selector", short="l", default=""))
DRAIN_FLAGS = FLAGS + (
    Flag("ignore-daemonsets", "bool", default=False), Flag("force", "bool", default=False),
    Flag("delete-emptydir-data", "bool", default=False), Flag("delete-local-data", "bool", default=False),
    Flag("grace-period", "int", default=-1), Flag("timeout", default="0s"),
    Flag("pod-selector", default=""), Flag("disable-eviction", "bool", default=False),
    Flag("skip-wait-for-delete-timeout", "int", default=0), Flag("chunk-size", "int", default=500))
UNMANAGED = "Pods not managed by ReplicationController, ReplicaSet, Job, DaemonSet or StatefulSet"


def _nodes(ctx: Ctx, command: str, p) -> list[dict]:
    if not p.args:
        raise KubectlError(f"error: USAGE: {command} NODE [flags]\nSee 'kubectl {command} -h' for help and examples")
    found, errors = [], []
    for name in p.args:
        node = ctx.cluster.get("Node", "", name)
        if node is None:
            errors.append(not_found("nodes", name))
        else:
            found.append(node)
    if errors:
        raise KubectlError("\n".join(errors))
    return found


def _set_unschedulable(ctx: Ctx, node: dict, value: bool) -> str:
    """The `node/x cordoned` line (or `already cordoned`)."""
    name = node["metadata"]["name"]
    word = "cordoned" if value else "uncordoned"
    if bool(node["spec"].get("unschedulable")) == value:
        return f"node/{name} already {word}"
    def edit(new: dict) -> None:
        if value:
            new["spec"]["unschedulable"] = True
        else:
            new["spec"].pop("unschedulable", None)
    try:
        server.change(ctx.cluster, node, edit)
    except StatusError as err:
        raise from_status(err)
    return f"node/{name} {word}"


def cordon(ctx: Ctx, argv: list[str]) -> str:
    p = parse("cordon", argv, FLAGS)
    return "\n".join(_set_unschedulable(ctx, n, True) for n in _nodes(ctx, "cordon", p))


def uncordon(ctx: Ctx, argv: list[str]) -> str:
    p = parse("uncordon", argv, FLAGS)
    return "\n".join(_set_unschedulable(ctx, n, False) for n in _nodes(ctx, "uncordon", p))


def _classify(pods: list[dict], p) -> tuple[list[dict], list[str], dict[str, list[str]]]:
    """(pods to evict, warnings, errors by message) as pkg/drain's filters decide."""
    evict, warn, errs = [], {}, {}
    for pod in pods:
        md = pod["metadata"]
        ref = f"{md['namespace']}/{md['name']}"
        finished = pod["status"].get("phase") in ("Succeeded", "Failed")
        owner = controller_of(pod)
        if kubelet.is_mirror(pod):
            continue
        if owner and owner["kind"] == "DaemonSet" and not finished:
            key = "ignoring DaemonSet-managed Pods" if p["ignore-daemonsets"] else \
                "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)"
            (warn if p["ignore-daemonsets"] else errs).setdefault(key, []).append(ref)
            continue
        if owner is None and not finished:
            if not p["force"]:
                errs.setdefault(f"{UNMANAGED} (use --force to override)", []).append(ref)
                continue
            warn.setdefault(f"deleting {UNMANAGED}", []).append(ref)
        if any("emptyDir" in v for v in pod["spec"].get("volumes") or ()) and not finished:
            if not (p["delete-emptydir-data"] or p["delete-local-data"]):
                errs.setdefault("Pods with local storage (use --delete-emptydir-data to override)", []).append(ref)
                continue
            warn.setdefault("deleting Pods with local storage", []).append(ref)
        evict.append(pod)
    # kubectl joins these from a Go map (random order); the filters' order keeps ours stable
    order = ("ignoring DaemonSet", "deleting Pods with local", "deleting Pods not managed")
    warnings = [f"{k}: {', '.join(v)}" for k, v in sorted(warn.items(), key=lambda kv: _rank(order, kv[0]))]
    errs = dict(sorted(errs.items(), key=lambda kv: _rank(("DaemonSet", "Pods with local", "Pods not"), kv[0])))
    return evict, warnings, errs


def _rank(order: tuple[str, ...], message: str) -> int:
    return next((i for i, prefix in enumerate(order) if message.startswith(prefix)), len(order))


def drain(ctx: Ctx, argv: list[str]) -> str:
    p = parse("drain", argv, DRAIN_FLAGS)
    lines = []
    for node in _nodes(ctx, "drain", p):
        name = node["metadata"]["name"]
        lines.append(_set_unschedulable(ctx, node, True))
        pods = [pod for pod in ctx.cluster.list("Pod") if pod["spec"].get("nodeName") == name]
        evict, warnings, errs = _classify(pods, p)
        if errs:
            messages = [f"cannot delete {k}: {', '.join(v)}" for k, v in errs.items()]
            text = messages[0] if len(messages) == 1 else "[" + ", ".join(messages) + "]"
            lines += [f'error: unable to drain node "{name}", aborting command...', "",
                      "There are pending nodes to be drained:", f" {name}", f"error: {text}"]
            raise KubectlError("\n".join(lines))
        if warnings:
            lines.append("WARNING: " + "; ".join(warnings))
        grace = p["grace-period"] if p["grace-period"] >= 0 else None
        waited = 0.0
        for pod in evict:
            lines.append(f"evicting pod {pod['metadata']['namespace']}/{pod['metadata']['name']}")
        for pod in evict:
            took = server.delete(ctx.cluster, pod, grace=grace)
            waited = max(waited, took or 0.0)
            lines.append(f"pod/{pod['metadata']['name']} evicted")
        ctx.wait = max(ctx.wait, waited)
        lines.append(f"node/{name} drained")
    return "\n".join(lines)
