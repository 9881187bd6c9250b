"""Catching a sandbox up to now: fire due timers in time order, letting the controllers
react after each, then settle. An idle sandbox costs nothing; `!wait 24h` costs only the
timers inside those 24 hours."""
from __future__ import annotations

import logging
from typing import Callable, Mapping

from engine.clock import Timer
from engine.cluster import Cluster
from engine.controllers import daemonset, deployment, endpoints, gc, kubelet, nodelifecycle, replicaset, scheduler
from engine.controllers import cronjob, guard, job, metallb, pvbinder

CONTROLLERS = (gc.sync, nodelifecycle.sync, deployment.sync, replicaset.sync, daemonset.sync, cronjob.sync, job.sync,
               scheduler.sync,
               endpoints.sync, metallb.sync, pvbinder.sync)
# Controllers whose decisions depend on the clock (they book wake-up timers for due moments).
TIME_DRIVEN = (nodelifecycle.sync,)
MAX_PASSES = 12
log = logging.getLogger(__name__)


def settle(cluster: Cluster, force: bool = False) -> None:
    """Run the controllers until nothing changes (bounded: each pass is level-triggered).

    Controllers react to state; whatever is due at a later moment books a timer. So when nothing
    was written since the last settle and no timer fired, there is nothing to do: a `get` on a
    1,000-pod sandbox costs only its printing."""
    mark = _state_mark(cluster)
    if not force and cluster.cache.get("settled") == mark:
        return
    if not kubelet.api_up(cluster):
        return                      # docker stopped on m-k8s: no API server, no controllers, no scheduler
    for _ in range(MAX_PASSES):
        before = cluster.mutations
        for controller in CONTROLLERS:
            guard.run(cluster, controller.__module__.rsplit(".", 1)[-1], controller)
        if cluster.mutations == before:
            break
    cluster.cache["settled"] = _state_mark(cluster)


def _state_mark(cluster: Cluster) -> tuple:
    """What the controllers read: the objects (via the write counter) and the machines' facts
    (a shell command stopping the kubelet writes no object but must wake the node controller)."""
    hosts = tuple((name, tuple(sorted((k, v) for k, v in h.items() if not isinstance(v, (list, dict)))))
                  for name, h in sorted(cluster.meta["hosts"].items()))
    return cluster.mutations, hosts, cluster.meta.get("api_up", True)


def advance(cluster: Cluster, target: float, timers: Mapping[str, Callable[..., None]]) -> None:
    """Move the sandbox's clock to `target`, replaying everything due on the way; `timers`
    maps each event name to its handler (engine/wiring.py)."""
    settle(cluster)
    replay = _Replay(cluster, target, timers)
    cluster.clock.run_until(target, replay.fire, replay.after_instant)
    settle(cluster)
    cluster.expire_events()


def _fire(cluster: Cluster, timers: Mapping[str, Callable[..., None]], timer: Timer) -> None:
    handler = timers.get(timer.event)
    if handler is None:         # saved by an older version that had this event; nothing handles it now
        log.warning("dropping timer %r: no such event is wired", timer)
        return
    guard.run(cluster, timer.event, handler, *timer.key)


class _Replay:
    """One `advance`: fire each timer; after the timers of one instant, the controllers that read
    the clock, then the rest. Two shortcuts keep crash-looping pods cheap, both giving exactly the
    state a full replay gives (tests/test_backoff_skip.py):
    - an instant that only retried failing pulls on a settled sandbox rewrote only container
      waiting reasons and events, which no controller reads: it stays settled without a pass;
    - once per back-off period, whole idle back-off cycles are skipped (kubelet.skip_backoff_cycles)."""

    def __init__(self, cluster: Cluster, target: float, timers: Mapping[str, Callable[..., None]]):
        self.cluster, self.target, self.timers = cluster, target, timers
        self.opening = True                 # the next timer is the first of its instant
        self.settled = self.pulls_only = False
        kubelet.skip_backoff_cycles(cluster, target)
        self.next_skip = cluster.now + kubelet.BACKOFF_PERIOD

    def fire(self, timer: Timer) -> None:
        if self.opening:
            self.opening = False
            self.settled = self.cluster.cache.get("settled") == _state_mark(self.cluster)
            self.pulls_only = True
        self.pulls_only = self.pulls_only and timer.event in kubelet.PULL_TIMERS
        _fire(self.cluster, self.timers, timer)

    def after_instant(self) -> None:
        cluster = self.cluster
        self.opening = True
        written = cluster.mutations
        if kubelet.api_up(cluster):
            for controller in TIME_DRIVEN:
                guard.run(cluster, controller.__module__.rsplit(".", 1)[-1], controller)
        if self.settled and self.pulls_only and cluster.mutations == written:
            cluster.cache["settled"] = _state_mark(cluster)
        else:
            settle(cluster)
        if cluster.now >= self.next_skip:
            kubelet.skip_backoff_cycles(cluster, self.target)
            self.next_skip = cluster.now + kubelet.BACKOFF_PERIOD
