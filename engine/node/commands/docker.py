"""`docker ps [-a] [-q]`, `docker images`, `docker version` on a node (docker-ce 19.03.14).

The containers are the node's pods as dockershim made them: a pause container `k8s_POD_…` per
pod and one `k8s_<container>_<pod>_<ns>_<uid>_<restarts>` per running container, whose IMAGE
column is the image ID (dockershim creates containers by ID). 19.03 lays out columns with a
tabwriter of minimum width 20 and padding 3. With docker stopped the CLI cannot reach the daemon.
"""
from __future__ import annotations

import hashlib

from engine import images
from engine.node.command import Call, Result, fail, ok
from engine.timefmt import parse_rfc3339

DOCKER_DOWN = "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?"
PAUSE = "k8s.gcr.io/pause:3.2"
COMMANDS = {"nginx": "/docker-entrypoint.sh nginx -g 'daemon off;'", "k8s.gcr.io/pause": "/pause",
            "k8s.gcr.io/kube-proxy": "/usr/local/bin/kube-proxy --config=/var/lib/kube-proxy/config.conf",
            "k8s.gcr.io/etcd": "etcd --advertise-client-urls=https://192.168.1.10:2379",
            "k8s.gcr.io/kube-apiserver": "kube-apiserver --advertise-address=192.168.1.10",
            "k8s.gcr.io/kube-controller-manager": "kube-controller-manager --allocate-node-cidrs=true",
            "k8s.gcr.io/kube-scheduler": "kube-scheduler --authentication-kubeconfig=/etc/kubernetes/scheduler.conf",
            "k8s.gcr.io/coredns": "/coredns -conf /etc/coredns/Corefile", "calico/node": "start_runit",
            "calico/kube-controllers": "/usr/bin/kube-controllers"}
USAGE = ("\nUsage:\tdocker [OPTIONS] COMMAND\n\nA self-sufficient runtime for containers\n\n"
         "Run 'docker COMMAND --help' for more information on a command.")


def _id(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def human(seconds: float) -> str:
    """go-units HumanDuration, as `docker ps` prints CREATED and STATUS."""
    s = int(seconds)
    if s < 1:
        return "Less than a second"
    if s == 1:
        return "1 second"
    if s < 60:
        return f"{s} seconds"
    minutes = s // 60
    if minutes == 1:
        return "About a minute"
    if minutes < 60:
        return f"{minutes} minutes"
    hours = round(s / 3600)
    if hours == 1:
        return "About an hour"
    if hours < 48:
        return f"{hours} hours"
    if hours < 24 * 7 * 2:
        return f"{hours // 24} days"
    if hours < 24 * 30 * 2:
        return f"{hours // 24 // 7} weeks"
    if hours < 24 * 365 * 2:
        return f"{hours // 24 // 30} months"
    return f"{hours // 24 // 365} years"


def _table(rows: list[list[str]]) -> str:
    widths = [max(20, max(len(r[i]) for r in rows) + 3) for i in range(len(rows[0]))]
    return "\n".join("".join(c.ljust(w) for c, w in zip(r[:-1], widths)) + r[-1] for r in rows)


def _command(image: str) -> str:
    repo, _ = images.split(image)
    text = COMMANDS.get(repo, "/bin/sh -c 'exec \"$@\"'")
    return '"' + (text if len(text) <= 20 else text[:19] + "…") + '"'


def containers(cluster, node: str) -> list[list[str]]:
    rows = []
    for pod in cluster.iter("Pod"):
        if pod["spec"].get("nodeName") != node or pod["status"].get("phase") not in ("Running", "Pending"):
            continue
        meta = pod["metadata"]
        suffix = f"{meta['name']}_{meta['namespace']}_{meta['uid']}"
        started = pod["status"].get("startTime")
        if not started:
            continue
        created = parse_rfc3339(started)
        age = human(cluster.now - created)
        for cs in pod["status"].get("containerStatuses") or ():
            running = (cs.get("state") or {}).get("running")
            if not running:
                continue
            since = human(cluster.now - parse_rfc3339(running.get("startedAt", started)))
            cid = cs.get("containerID", "").replace("docker://", "")[:12] or _id(meta["uid"] + cs["name"])
            rows.append((created, [cid, _id(images.normalise(cs.get("image", ""))), _command(cs.get("image", "")),
                                   f"{since} ago", f"Up {since}", "",
                                   f"k8s_{cs['name']}_{suffix}_{cs.get('restartCount', 0)}"]))
        rows.append((created - 0.5, [_id(meta["uid"]), PAUSE, '"/pause"', f"{age} ago", f"Up {age}", "",
                                     f"k8s_POD_{suffix}_0"]))
    return [r for _, r in sorted(rows, key=lambda x: -x[0])]


def docker(call: Call) -> Result:
    args = [a for a in call.args if a not in ("--no-trunc",)]
    if not args:
        return ok(USAGE)
    verb, rest = args[0], args[1:]
    if verb in ("version", "--version", "-v"):
        return ok("Docker version 19.03.14, build 5eb3275d40")
    if verb not in ("ps", "images", "container", "image", "info", "start", "stop", "restart", "rm", "rmi",
                    "pull", "logs", "inspect", "exec", "run"):
        return fail(f"docker: '{verb}' is not a docker command.\nSee 'docker --help'")
    if not call.cluster.host(call.node).get("docker"):
        return fail(DOCKER_DOWN)
    if verb in ("container", "image") and rest[:1] == ["ls"]:
        verb, rest = ("ps" if verb == "container" else "images"), rest[1:]
    if verb == "ps":
        rows = containers(call.cluster, call.node)
        if "-q" in rest or "--quiet" in rest:
            return ok("\n".join(r[0] for r in rows))
        header = ["CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"]
        return ok(_table([header] + rows))
    if verb == "images":
        header = ["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"]
        rows = []
        for image in call.cluster.host(call.node).get("images", []):
            repo, tag = images.split(image)
            size = (images.entry(image) or {}).get("size_mb", 20) * 2.6
            rows.append([repo, tag, _id(images.normalise(image)), "2 months ago", f"{size:.1f}MB"])
        return ok(_table([header] + sorted(rows)))
    # Everything else would change containers behind the kubelet's back: the lab does it with kubectl.
    call.sandbox.notes.append(("shell_docker_readonly", {"verb": verb}))
    return Result(rc=1)


def kubelet(call: Call) -> Result:
    """`kubelet --version` (the binary yum installed); anything else would start a second kubelet."""
    from engine import upgrade
    if any(a in ("--version", "-version") for a in call.args):
        return ok("Kubernetes v" + upgrade.packages(call.cluster, call.node)["kubelet"])
    call.sandbox.notes.append(("shell_kubelet_binary", {}))
    return Result(rc=1)
