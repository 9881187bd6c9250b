"""`systemctl` on a lab node (CentOS 7, systemd 219): the kubelet and docker units.

The machine facts live in cluster.meta["hosts"][node]: the booleans "kubelet"/"docker" say what
runs; "units" keeps each unit's PID, since-time and its systemd journal lines for `status`.
What the cluster makes of a stopped service is engine/controllers/kubelet.py's business.
"""
from __future__ import annotations

from datetime import datetime, timezone

from engine import shell, upgrade
from engine.controllers import kubelet
from engine.timefmt import parse_rfc3339

KUBELET_EXEC = ("/usr/bin/kubelet --bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf "
                "--kubeconfig=/etc/kubernetes/kubelet.conf --config=/var/lib/kubelet/config.yaml "
                "--network-plugin=cni --pod-infra-container-image=k8s.gcr.io/pause:3.2")
DOCKER_EXEC = "/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock"
UNITS = {
    "kubelet": {"description": "kubelet: The Kubernetes Node Agent", "docs": "https://kubernetes.io/docs/",
                "exec": KUBELET_EXEC, "exec_start": ("/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS "
                                                     "$KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS"),
                "dropin": "10-kubeadm.conf", "tasks": 15, "memory": "63.2M", "base_pid": 1052, "boot_offset": 0.0},
    "docker": {"description": "Docker Application Container Engine", "docs": "https://docs.docker.com",
               "exec": DOCKER_EXEC, "exec_start": DOCKER_EXEC, "dropin": None, "tasks": 22, "memory": "101.4M",
               "base_pid": 1021, "boot_offset": -30.0},
}
# docker-ce 19.03 ships docker.socket. The simulation keeps docker down after a stop, as the
# study notes observed (nothing socket-activates it again), but prints systemd's real warning.
DOCKER_SOCKET_WARNING = "Warning: Stopping docker.service, but it can still be activated by:\n  docker.socket"
JOURNAL_KEEP = 10


def _unit_name(arg: str) -> tuple[str, str]:
    """('kubelet', 'kubelet.service') for kubelet / kubelet.service; unknown units keep their name."""
    base = arg[:-len(".service")] if arg.endswith(".service") else arg
    return base, (arg if "." in arg else arg + ".service")


def unit_state(cluster, node: str, unit: str) -> dict:
    """PID, since-time and journal of a unit, created on first use from the node's boot time."""
    units = cluster.host(node).setdefault("units", {})
    if unit not in units:
        node_obj = cluster.get("Node", "", node)
        booted = parse_rfc3339(node_obj["metadata"]["creationTimestamp"]) if node_obj else cluster.now
        spec = UNITS[unit]
        units[unit] = {"pid": spec["base_pid"] + (sum(map(ord, node)) % 40), "since": booted + spec["boot_offset"],
                       "exit": None, "journal": []}
    return units[unit]


def _journal(cluster, node: str, unit: str, text: str) -> None:
    state = unit_state(cluster, node, unit)
    state["journal"] = (state["journal"] + [[cluster.now, text]])[-JOURNAL_KEEP:]


def set_running(cluster, node: str, unit: str, running: bool) -> None:
    """systemd starts or stops the unit; the node reacts through the kubelet module."""
    host = cluster.host(node)
    state = unit_state(cluster, node, unit)
    desc = UNITS[unit]["description"]
    if running:
        _journal(cluster, node, unit, f"Starting {desc}...")
        state["pid"] += 17 + cluster.rng.below(400)
        _journal(cluster, node, unit, f"Started {desc}.")
    else:
        _journal(cluster, node, unit, f"Stopping {desc}...")
        state["exit"] = state["pid"]
        _journal(cluster, node, unit, f"Stopped {desc}.")
    state["since"] = cluster.now
    host[unit] = running
    host[f"{unit}_changed"] = cluster.now
    if unit == "kubelet":
        if running:
            upgrade.kubelet_restarted(cluster, node)
        kubelet.kubelet_switched(cluster, node, running)
    else:
        kubelet.runtime_switched(cluster, node, running)


# -- systemd's time formats -------------------------------------------------------------------------

def _timestamp(at: float) -> str:
    return datetime.fromtimestamp(at, tz=timezone.utc).strftime("%a %Y-%m-%d %H:%M:%S UTC")


def _relative(seconds: float) -> str:
    """systemd 219 format_timestamp_relative."""
    s = int(seconds)
    minute, hour, day = 60, 3600, 86400
    week, month, year = 7 * day, 2629800, 31557600
    if s >= year:
        return f"{s // year} years {(s % year) // month} months ago"
    if s >= month:
        return f"{s // month} months {(s % month) // day} days ago"
    if s >= week:
        return f"{s // week} weeks {(s % week) // day} days ago"
    if s >= 2 * day:
        return f"{s // day} days ago"
    if s >= 25 * hour:
        return f"1 day {(s - day) // hour}h ago"
    if s >= 6 * hour:
        return f"{s // hour}h ago"
    if s >= hour:
        return f"{s // hour}h {(s % hour) // minute}min ago"
    if s >= 5 * minute:
        return f"{s // minute}min ago"
    if s >= minute:
        return f"{s // minute}min {s % minute}s ago"
    if s >= 1:
        return f"{s}s ago"
    return "now"


def _journal_stamp(at: float) -> str:
    return datetime.fromtimestamp(at, tz=timezone.utc).strftime("%b %d %H:%M:%S")


def status_text(cluster, node: str, unit: str) -> tuple[str, int]:
    spec = UNITS[unit]
    state = unit_state(cluster, node, unit)
    running = cluster.host(node)[unit]
    lines = [f"● {unit}.service - {spec['description']}",
             f"   Loaded: loaded (/usr/lib/systemd/system/{unit}.service; enabled; vendor preset: disabled)"]
    if spec["dropin"]:
        lines += [f"  Drop-In: /usr/lib/systemd/system/{unit}.service.d", f"           └─{spec['dropin']}"]
    since = f"since {_timestamp(state['since'])}; {_relative(cluster.now - state['since'])}"
    if running:
        lines += [f"   Active: active (running) {since}", f"     Docs: {spec['docs']}",
                  f" Main PID: {state['pid']} ({unit if unit == 'kubelet' else 'dockerd'})",
                  f"    Tasks: {spec['tasks']}", f"   Memory: {spec['memory']}",
                  f"   CGroup: /system.slice/{unit}.service", f"           └─{state['pid']} {spec['exec']}"]
    else:
        pid = state.get("exit") or state["pid"]
        lines += [f"   Active: inactive (dead) {since}", f"     Docs: {spec['docs']}",
                  f"  Process: {pid} ExecStart={spec['exec_start']} (code=exited, status=0/SUCCESS)",
                  f" Main PID: {pid} (code=exited, status=0/SUCCESS)"]
    if state["journal"]:
        lines.append("")
        lines += [f"{_journal_stamp(at)} {node} systemd[1]: {text}" for at, text in state["journal"]]
    return "\n".join(lines), 0 if running else 3


# -- the command ---------------------------------------------------------------------------------------

def _not_found(verb: str, full: str) -> tuple[str, int]:
    if verb == "status":
        return f"Unit {full} could not be found.", 4
    if verb == "stop":
        return f"Failed to stop {full}: Unit {full} not loaded.", 5
    return f"Failed to {verb} {full}: Unit not found.", 5


def systemctl(sandbox, node, args, line, stdin):
    cluster = sandbox.cluster
    words = [a for a in args if not a.startswith("-")]
    if not words:
        return ("(the full unit list is long: ask about one unit, e.g. `systemctl status kubelet`)", 0)
    verb, names = words[0], words[1:]
    if verb == "daemon-reload":
        cluster.host(node).pop("units_changed_on_disk", None)
        return "", 0
    if verb not in ("start", "stop", "restart", "status", "is-active", "is-enabled", "enable"):
        return f"Unknown operation '{verb}'.", 1
    if not names:
        return "Too few arguments.", 1
    outputs, rc = [], 0
    for arg in names:
        unit, full = _unit_name(arg)
        if unit not in UNITS or not full.endswith(".service"):
            if verb == "is-active":
                outputs.append("unknown")
                rc = 3
                continue
            if verb == "is-enabled":
                outputs.append(f"Failed to get unit file state for {full}: No such file or directory")
                rc = 1
                continue
            text, rc = _not_found(verb, full)
            outputs.append(text)
            if verb != "status":
                break
            continue
        running = cluster.host(node)[unit]
        if verb == "status":
            text, code = status_text(cluster, node, unit)
            outputs.append(text)
            rc = max(rc, code)
        elif verb == "is-active":
            outputs.append("active" if running else "inactive")
            rc = max(rc, 0 if running else 3)
        elif verb == "is-enabled":
            outputs.append("enabled")
        elif verb == "enable":
            pass                                           # already enabled: systemd prints nothing
        else:
            if unit in cluster.host(node).get("units_changed_on_disk", ()):
                outputs.append(f"Warning: {full} changed on disk. Run 'systemctl daemon-reload' to reload units.")
            if verb in ("stop", "restart") and running:
                if unit == "docker" and verb == "stop":
                    outputs.append(DOCKER_SOCKET_WARNING)
                set_running(cluster, node, unit, False)
            if verb in ("start", "restart") and not cluster.host(node)[unit]:
                set_running(cluster, node, unit, True)
    from engine import reconcile
    reconcile.settle(cluster)
    return "\n".join(outputs), rc


shell.register("systemctl", systemctl)
