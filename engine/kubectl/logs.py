"""kubectl logs (POD | TYPE/NAME | -l SELECTOR) [-c CONTAINER] [--tail=N] [-p]

A container's log is what its image prints at start (nginx 1.19's docker-entrypoint lines,
CoreDNS 1.7.0's banner) followed by the access-log lines of the requests it answered
(engine/node/traffic.py keeps them, bounded). `-f` prints what is there: chat cannot stream.
"""
from __future__ import annotations

import re

from engine import images
from engine.node import dns, traffic
from engine.cluster import labels_match
from engine.controllers import container_exit
from engine.controllers.replicaset import is_ready
from engine.kubectl import selectors
from engine.kubectl.context import Ctx
from engine.apiserver.errors import bad_request, internal
from engine.kubectl.errors import KubectlError, from_status, not_found
from engine.kubectl.flags import Flag, parse
from engine.kubectl.resources import resolve

FLAGS = (Flag("container", short="c", default=""), Flag("tail", "int", default=-1),
         Flag("selector", short="l", default=""), Flag("follow", "bool", short="f", default=False),
         Flag("previous", "bool", short="p", default=False), Flag("timestamps", "bool", default=False),
         Flag("all-containers", "bool", default=False), Flag("since", default="0s"),
         Flag("since-time", default=""), Flag("limit-bytes", "int", default=0), Flag("prefix", "bool", default=False),
         Flag("max-log-requests", "int", default=5), Flag("pod-running-timeout", default="20s"),
         Flag("insecure-skip-tls-verify-backend", "bool", default=False), Flag("ignore-errors", "bool", default=False))
USAGE = ("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\n"
         "POD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples")
SELECTOR_TAIL = 10            # kubectl's default --tail when -l is used
NGINX_START = [
    "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
    "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/",
    "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
    "10-listen-on-ipv6-by-default.sh: Getting the checksum of /etc/nginx/conf.d/default.conf",
    "10-listen-on-ipv6-by-default.sh: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf",
    "/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh",
    "/docker-entrypoint.sh: Configuration complete; ready for start up",
]
WAITING = {"ImagePullBackOff": "trying and failing to pull image", "ErrImagePull": "image can't be pulled"}


def run(ctx: Ctx, argv: list[str]) -> str:
    p = parse("logs", argv, FLAGS)
    ns = ctx.namespace(p)
    if p["selector"]:
        if p.args:
            raise KubectlError("error: only a selector (-l) or a POD name is allowed\n"
                               "See 'kubectl logs -h' for help and examples")
        match = selectors.parse(p["selector"])
        pods = [pod for pod in ctx.cluster.list("Pod", ns) if match(pod["metadata"].get("labels"))]
        if not pods:
            return f"No resources found in {ns} namespace."
        tail = p["tail"] if "tail" in p.seen else SELECTOR_TAIL
        return "\n".join(t for t in (_pod_log(ctx, pod, p, tail) for pod in pods) if t)
    if not p.args:
        raise KubectlError(USAGE)
    if len(p.args) > 2:
        raise KubectlError(USAGE)
    target = p.args[0]
    container = p.args[1] if len(p.args) == 2 else p["container"]
    note = ""
    if "/" in target:
        kind, _, name = target.partition("/")
        if resolve(kind).kind == "Pod":
            pod = _pod(ctx, ns, name)
        else:
            pod = pod_for_owner(ctx, ns, kind, name)
            count = len(_owned(ctx, ns, kind, name))
            if count > 1:
                note = f"Found {count} pods, using pod/{pod['metadata']['name']}\n"
    else:
        pod = _pod(ctx, ns, target)
    if container:
        p.values["container"] = container
    return note + _pod_log(ctx, pod, p, p["tail"])


def _pod(ctx: Ctx, ns: str, name: str) -> dict:
    pod = ctx.cluster.get("Pod", ns, name)
    if pod is None:
        raise KubectlError(not_found("pods", name))
    return pod


def _owned(ctx: Ctx, ns: str, kind: str, name: str) -> list[dict]:
    res = resolve(kind)
    owner = ctx.cluster.get(res.kind, ns, name)
    if owner is None:
        raise KubectlError(not_found(res.qualified, name))
    selector = (owner.get("spec") or {}).get("selector") or {}
    if res.kind == "Service":
        labels = selector
    else:
        labels = selector.get("matchLabels") or {}
    return [p for p in ctx.cluster.list("Pod", ns) if labels_match(labels, p["metadata"].get("labels"))]


def pod_for_owner(ctx: Ctx, ns: str, kind: str, name: str) -> dict:
    """The pod kubectl picks for `deployment/x`: ready and running ones first, then by name."""
    pods = _owned(ctx, ns, kind, name)
    if not pods:
        res = resolve(kind)
        raise KubectlError(f"error: cannot attach to {res.kind}: selector for {res.kind.lower()} has no pods")
    return sorted(pods, key=lambda pd: (not is_ready(pd), pd["status"].get("phase") != "Running",
                                        pd["metadata"]["name"]))[0]


def _pod_log(ctx: Ctx, pod: dict, p, tail: int) -> str:
    name = pod["metadata"]["name"]
    containers = pod["spec"]["containers"]
    wanted = p["container"]
    if wanted:
        container = next((c for c in containers if c["name"] == wanted), None)
        if container is None:
            raise KubectlError(f"error: container {wanted} is not valid for pod {name}")
    elif len(containers) > 1 and not p["all-containers"]:
        names = " ".join(c["name"] for c in containers)
        raise KubectlError(f"error: a container name must be specified for pod {name}, choose one of: [{names}]")
    else:
        container = containers[0]
    status = next((cs for cs in pod["status"].get("containerStatuses") or () if cs["name"] == container["name"]), None)
    ran_before = bool(((status or {}).get("lastState") or {}).get("terminated"))
    if p["previous"] and not ran_before:
        raise from_status(bad_request(f'previous terminated container "{container["name"]}" in pod "{name}" '
                                      "not found"))
    state = (status or {}).get("state") or {}
    if "running" not in state and "terminated" not in state and not ran_before:   # a crash loop shows the last run
        reason = (state.get("waiting") or {}).get("reason", "ContainerCreating")
        raise from_status(bad_request(f'container "{container["name"]}" in pod "{name}" is waiting to start: '
                                      f"{WAITING.get(reason, reason)}"))
    node = pod["spec"].get("nodeName", "")
    host = ctx.cluster.meta["hosts"].get(node, {})
    if not host.get("kubelet", True):
        ip = host.get("ip")
        raise from_status(internal(f'Get "https://{ip}:10250/containerLogs/{pod["metadata"]["namespace"]}/{name}/'
                                   f'{container["name"]}": dial tcp {ip}:10250: connect: connection refused'))
    lines = container_log(ctx.cluster, pod, container)
    if tail >= 0:
        lines = lines[len(lines) - tail:] if tail else []
    return "\n".join(lines)


def container_log(cluster, pod: dict, container: dict) -> list[str]:
    image = container["image"]
    repo, _ = images.split(image)
    lines: list[str] = []
    if repo.endswith("coredns"):
        lines = dns.coredns_log()
    elif images.serves(image) in ("nginx", "hostname", "hostname-log", "ip") and _has_entrypoint(image):
        lines = list(NGINX_START)
    if images.serves(image) != "none" and container is _web_container(pod):
        lines += traffic.access_log(cluster, pod)
    return lines + container_exit.printed(container)


def _has_entrypoint(image: str) -> bool:
    """nginx images gained /docker-entrypoint.d in 1.19 (and the rebuilt 1.18 stable)."""
    version = traffic.nginx_version(image)
    m = re.match(r"(\d+)\.(\d+)", version)
    return bool(m) and (int(m.group(1)), int(m.group(2))) >= (1, 18)


def _web_container(pod: dict) -> dict | None:
    return next((c for c in pod["spec"]["containers"] if images.serves(c["image"]) != "none"), None)
