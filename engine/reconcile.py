"""Catching a sandbox up to now: fire due timers in time order, letting the controllers
react after each, then settle. An idle sandbox costs nothing; `!wait 24h` costs only the
timers inside those 24 hours."""
from __future__ import annotations

from engine.cluster import Cluster
from engine.controllers import daemonset, deployment, endpoints, gc, kubelet, replicaset, scheduler

CONTROLLERS = (gc.sync, deployment.sync, replicaset.sync, daemonset.sync, scheduler.sync, endpoints.sync)
TIMERS = {
    "kubelet.sync": kubelet.sync,
    "kubelet.started": kubelet.started,
    "kubelet.kill": kubelet.kill,
}
MAX_PASSES = 12


def register_timer(name: str, fn) -> None:
    TIMERS[name] = fn


def settle(cluster: Cluster) -> None:
    """Run the controllers until nothing changes (bounded: each pass is level-triggered)."""
    for _ in range(MAX_PASSES):
        before = cluster.mutations
        for controller in CONTROLLERS:
            controller(cluster)
        if cluster.mutations == before:
            return


def advance(cluster: Cluster, target: float) -> None:
    """Move the sandbox's clock to `target`, replaying everything due on the way."""
    settle(cluster)
    while (due := cluster.next_due()) is not None and due <= target:
        due, action, args = cluster.pop_timer()
        cluster.now = max(cluster.now, due)
        TIMERS[action](cluster, *args)
        settle(cluster)
    cluster.now = max(cluster.now, target)
    settle(cluster)
    cluster.expire_events()
