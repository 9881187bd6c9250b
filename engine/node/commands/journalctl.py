"""`journalctl [-u kubelet|docker] [-n N] [-f]` in CentOS 7's journald format.

The journal holds systemd's own lines for each unit (engine/node/services.py keeps them) and,
while the kubelet runs on a node whose docker is stopped, what the kubelet 1.20 logs every sync
cycle (5 s): the runtime is not ready, pod synchronization is skipped (the runtime-error list
grows as in control-plane.md: `container runtime is down` after 30 s, PLEG after 3 min).
Lines are generated from the node's facts when asked, so the journal costs nothing to keep.
"""
from __future__ import annotations

from datetime import datetime, timezone

from engine.node import services
from engine.node.command import Call, Result, fail, ok, options
from engine.timefmt import parse_rfc3339

SYNC_PERIOD = 5.0
MAX_LINES = 1000             # a journal read without -n stops here (a pager would scroll)
DOCKER_DOWN = "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?"
RUNTIME_NOT_READY = ("Container runtime not ready: RuntimeReady=false reason:DockerDaemonNotReady message:docker: "
                     "failed to get docker version: " + DOCKER_DOWN)


def _klog(at: float, pid: int, level: str, where: str, message: str) -> str:
    t = datetime.fromtimestamp(at, tz=timezone.utc)
    return f"{level}{t:%m%d %H:%M:%S}.{t.microsecond:06d}    {pid} {where}] {message}"


def _runtime_errors(down_for: float) -> str:
    errors = []
    if down_for >= 30:
        errors.append("container runtime is down")
    if down_for >= 180:
        pleg = down_for + 0.5                       # the last relist finished just after docker went
        errors.append(f"PLEG is not healthy: pleg was last seen active {int(pleg // 60)}m{pleg % 60:.1f}s ago; "
                      "threshold is 3m0s")
    errors.append(RUNTIME_NOT_READY)
    return errors[0] if len(errors) == 1 else "[" + ", ".join(errors) + "]"


def _kubelet_runtime_lines(cluster, node: str, limit: int) -> list[tuple[float, str, str]]:
    """(time, process, text) for the sync cycles since docker stopped under a running kubelet."""
    host = cluster.host(node)
    if not host.get("kubelet") or host.get("docker"):
        return []
    since = max(host.get("docker_changed", cluster.now), host.get("kubelet_changed", 0.0) or 0.0)
    pid = services.unit_state(cluster, node, "kubelet")["pid"]
    cycles = int((cluster.now - since) // SYNC_PERIOD)
    first = max(1, cycles - limit)
    out = []
    for k in range(first, cycles + 1):
        at = since + k * SYNC_PERIOD + 0.000321 * (k % 7)
        out.append((at, f"kubelet[{pid}]", _klog(at, pid, "E", "kubelet.go:2184", RUNTIME_NOT_READY)))
        out.append((at, f"kubelet[{pid}]", _klog(at + 0.0004, pid, "E", "kubelet.go:1888",
                                                  "skipping pod synchronization - " + _runtime_errors(at - since))))
    return out


def _dockerd(at: float, pid: int) -> list[tuple[float, str, str]]:
    """What dockerd 19.03 logs between systemd's Stopping and Stopped lines."""
    stamp = f"{datetime.fromtimestamp(at, tz=timezone.utc):%Y-%m-%dT%H:%M:%S.%f}000Z"
    return [(at, f"dockerd[{pid}]", f'time="{stamp}" level=info msg="{msg}"')
            for msg in ("Processing signal 'terminated'", "Daemon shutdown complete")]


def _entries(cluster, node: str, unit: str, limit: int) -> list[tuple[float, str, str]]:
    state = services.unit_state(cluster, node, unit)
    out = []
    for at, text in state["journal"]:
        out.append((at, "systemd[1]", text))
        if unit == "docker" and text.startswith("Stopping"):
            out += _dockerd(at, state["exit"] or state["pid"])
    if unit == "kubelet":
        out += _kubelet_runtime_lines(cluster, node, limit)
    return sorted(out, key=lambda e: e[0])          # stable: same-second lines keep their order


def _boot(cluster, node: str) -> float:
    node_obj = cluster.get("Node", "", node)
    return (parse_rfc3339(node_obj["metadata"]["creationTimestamp"]) if node_obj else cluster.now) - 45.0


def journalctl(call: Call) -> Result:
    opts, _ = options(call, "u:n:fxeaq", ["unit=", "lines=", "follow", "no-pager", "since=", "until="],
                     "")
    units = [v for o, v in opts if o in ("-u", "--unit")]
    limit = MAX_LINES
    follow = any(o in ("-f", "--follow") for o, _ in opts)
    if follow:
        limit = 10
        call.sandbox.notes.append(("shell_follow", {}))
    for o, v in opts:
        if o in ("-n", "--lines"):
            if not v.isdigit():
                return fail(f'Failed to parse lines \'{v}\'.')
            limit = min(int(v), MAX_LINES)
    if any(o == "-e" for o, _ in opts) and not any(o in ("-n", "--lines") for o, _ in opts):
        limit = min(limit, 1000)
    cluster, node = call.cluster, call.node
    wanted = []
    for unit in units or ["docker", "kubelet"]:
        base = unit[:-len(".service")] if unit.endswith(".service") else unit
        if base in services.UNITS:
            wanted.append(base)
    entries = sorted((e for unit in wanted for e in _entries(cluster, node, unit, limit)), key=lambda e: e[0])
    entries = entries[-limit:] if limit else []
    head = (f"-- Logs begin at {services.timestamp(_boot(cluster, node))}, "
            f"end at {services.timestamp(cluster.now)}. --")
    if not entries:
        return ok(head + "\n-- No entries --")
    lines = [f"{services.journal_stamp(at)} {node} {proc}: {text}" for at, proc, text in entries]
    return ok("\n".join([head] + lines))
