"""The lab nodes' systemd services: the kubelet and docker units (CentOS 7, systemd 219).

The machine facts live in cluster.meta["hosts"][node]: the booleans "kubelet"/"docker" say what
runs; "units" keeps each unit's PID, since-time and its systemd journal lines (systemctl status,
journalctl). What the cluster makes of a stopped service is engine/controllers/kubelet.py's business.
"""
from __future__ import annotations

from datetime import datetime, timezone

from engine import upgrade
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


def journal(cluster, node: str, unit: str, text: str) -> None:
    state = unit_state(cluster, node, unit)
    state["journal"] = (state["journal"] + [[cluster.now, text]])[-JOURNAL_KEEP:]


def set_running(cluster, node: str, unit: str, running: bool) -> None:
    """systemd starts or stops the unit; the node reacts through the kubelet module."""
    host = cluster.host(node)
    state = unit_state(cluster, node, unit)
    desc = UNITS[unit]["description"]
    if running:
        journal(cluster, node, unit, f"Starting {desc}...")
        state["pid"] += 17 + cluster.rng.below(400)
        journal(cluster, node, unit, f"Started {desc}.")
    else:
        journal(cluster, node, unit, f"Stopping {desc}...")
        state["exit"] = state["pid"]
        journal(cluster, node, unit, f"Stopped {desc}.")
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

def timestamp(at: float) -> str:
    return datetime.fromtimestamp(at, tz=timezone.utc).strftime("%a %Y-%m-%d %H:%M:%S UTC")


def relative(seconds: float) -> str:
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


def journal_stamp(at: float) -> str:
    return datetime.fromtimestamp(at, tz=timezone.utc).strftime("%b %d %H:%M:%S")
