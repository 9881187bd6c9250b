"""The scheduler's choices: spreading, the master taint, the 110-pod limit and its message."""
from __future__ import annotations

import collections

import pytest

from engine.sandbox import SandboxManager
from engine.store import Store

NOW = 1795000000.0


@pytest.fixture
async def manager(tmp_path):
    store = await Store.open(tmp_path / "sched.db")
    yield SandboxManager(store, wall=lambda: NOW)
    await store.close()


def _placement(sb, prefix: str) -> collections.Counter:
    return collections.Counter(p["spec"].get("nodeName") for p in sb.cluster.iter("Pod")
                               if p["metadata"]["name"].startswith(prefix))


async def test_replicas_spread_evenly_over_idle_workers(manager):
    async with manager.open("s", "u") as sb:
        sb.kubectl("create deployment d --image=nginx --replicas=9")
        sb.wait(10)
        assert _placement(sb, "d-") == {"w1-k8s": 3, "w2-k8s": 3, "w3-k8s": 3}


async def test_scale_up_one_at_a_time_prefers_the_emptier_node(manager):
    async with manager.open("s", "u") as sb:
        sb.kubectl("create deployment d --image=nginx")
        for replicas in (2, 3):
            sb.wait(5)
            sb.kubectl(f"scale deployment d --replicas={replicas}")
        sb.wait(5)
        assert sorted(_placement(sb, "d-").values()) == [1, 1, 1]


async def test_ordinary_pods_never_land_on_the_control_plane(manager):
    async with manager.open("s", "u") as sb:
        sb.kubectl("create deployment d --image=nginx --replicas=30")
        sb.wait(10)
        assert "m-k8s" not in _placement(sb, "d-")


async def test_full_nodes_leave_pods_pending_with_the_schedulers_message(manager):
    async with manager.open("s", "u") as sb:
        sb.kubectl("create deployment big --image=nginx --replicas=340")
        sb.wait(30)
        placed = _placement(sb, "big-")
        assert placed[None] == 340 - sum(v for k, v in placed.items() if k)
        # 110 pods per node, minus the two daemon pods (calico-node, kube-proxy) on each worker
        assert {k: v for k, v in placed.items() if k} == {"w1-k8s": 108, "w2-k8s": 108, "w3-k8s": 108}
        out, _ = sb.kubectl("get pods --field-selector=status.phase=Pending -o name")
        pending = next(p for p in sb.cluster.iter("Pod") if p["metadata"]["name"].startswith("big-")
                       and not p["spec"].get("nodeName"))
        cond = next(c for c in pending["status"]["conditions"] if c["type"] == "PodScheduled")
        assert cond["message"] == ("0/4 nodes are available: 1 node(s) had taint {node-role.kubernetes.io/master: }, "
                                   "that the pod didn't tolerate, 3 Too many pods.")
        out, _ = sb.kubectl(f"get pod {pending['metadata']['name']}")
        assert "0/1     Pending" in out


async def test_a_sandbox_at_its_object_cap_still_answers_quickly(manager):
    """3,000 replicas hit the 2,000-object cap; replaying the minute after must not freeze the bot."""
    import time
    async with manager.open("s", "u") as sb:
        sb.kubectl("create deployment big --image=nginx --replicas=3000")
        t = time.perf_counter()
        sb.wait(60)
        assert time.perf_counter() - t < 15
        out, _ = sb.kubectl("get deploy big")
        assert out.splitlines()[1].split()[1].endswith("/3000")
