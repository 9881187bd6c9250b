"""`!wait` skips idle image-pull back-off cycles and the settles they would cost (engine/reconcile.py,
engine/controllers/kubelet.py); the result must be exactly what replaying every cycle gives."""
from __future__ import annotations

import json

from engine.controllers import kubelet
from engine.sandbox import SandboxManager
from engine.store import Store

NOW = 1795000000.0


async def _after(tmp_path, name: str, hours: float, monkeypatch, fast: bool):
    if not fast:
        monkeypatch.setattr(kubelet, "PULL_TIMERS", ())       # no timer counts as an idle pull: replay all
    store = await Store.open(tmp_path / f"{name}.db")
    try:
        async with SandboxManager(store, wall=lambda: NOW).open("s", "u") as sb:
            sb.kubectl("create deployment bad --image=nginx:nope --replicas=12")
            sb.kubectl("create deployment ok --image=nginx --replicas=20")
            sb.wait(20)
            sb.kubectl("run two --image=nosuch/x")
            sb.shell("ssh w2-k8s systemctl stop kubelet", "m-k8s")
            sb.wait(45)
            sb.wait(hours * 3600)
            objects = {"/".join(key): obj for key, obj in ((sb.cluster.key_of(o), o) for kind in
                                                           sb.cluster.by_kind.values() for o in kind.values())}
            sb.cluster.sync_meta()
            meta = json.loads(json.dumps(sb.cluster.meta))
            # the timers in firing order (their sequence numbers only break ties)
            meta["clock"]["timers"] = [(due, event, key) for due, _, event, key in sorted(meta["clock"]["timers"])]
            return objects, meta, sb.kubectl("describe pod two")[0]
    finally:
        monkeypatch.undo()
        await store.close()


async def test_skipping_idle_backoff_cycles_gives_exactly_the_replayed_state(tmp_path, monkeypatch):
    fast = await _after(tmp_path, "fast", 3, monkeypatch, fast=True)
    replayed = await _after(tmp_path, "replay", 3, monkeypatch, fast=False)
    assert fast[0] == replayed[0]            # every object: states, event counts and times, versions
    assert fast[1] == replayed[1]            # clock, RNG, versions, and the timers in firing order
    assert "(x40 over 3h)" in fast[2] and "Back-off pulling image \"nosuch/x\"" in fast[2]
