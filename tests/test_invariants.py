"""Invariants after every step of random command sequences (issue 8)."""
from __future__ import annotations

import asyncio
import os

from hypothesis import HealthCheck, given, settings, strategies as st

from bot.app import open_app
from bot.reply import Message
from engine.controllers.scheduler import tolerates

NOW = 1795000000.0
EXAMPLES = int(os.environ.get("KUBETUTOR_FUZZ_EXAMPLES", "250")) // 10 or 1

NAMES = ["a", "b", "c"]
STEP = st.one_of(
    st.builds(lambda n, r: f"!k create deployment {n} --image=nginx --replicas={r}", st.sampled_from(NAMES),
              st.integers(0, 6)),
    st.builds(lambda n, r: f"!k scale deployment {n} --replicas={r}", st.sampled_from(NAMES), st.integers(0, 8)),
    st.builds(lambda n: f"!k delete deployment {n}", st.sampled_from(NAMES)),
    st.builds(lambda n, t: f"!k expose deployment {n} --port=80 --type={t}", st.sampled_from(NAMES),
              st.sampled_from(["ClusterIP", "NodePort", "LoadBalancer"])),
    st.builds(lambda n: f"!k delete svc {n}", st.sampled_from(NAMES)),
    st.builds(lambda n: f"!k run p{n} --image=nginx", st.sampled_from(NAMES)),
    st.builds(lambda n: f"!k delete pod p{n}", st.sampled_from(NAMES)),
    st.sampled_from(["!wait 5s", "!wait 1m", "!k delete pods --all"]),
)


def check_invariants(cluster) -> None:
    pods = list(cluster.iter("Pod"))
    nodes = {n["metadata"]["name"]: n for n in cluster.iter("Node")}
    uids = {o["metadata"]["uid"] for k in ("Deployment", "ReplicaSet", "DaemonSet", "Node") for o in cluster.iter(k)}
    for pod in pods:
        node = pod["spec"].get("nodeName")
        if node:
            assert node in nodes
            # never placed on a node whose NoSchedule taints it does not tolerate (static/daemon pods are bound directly)
            owner = (pod["metadata"].get("ownerReferences") or [{}])[0].get("kind")
            if owner in (None, "ReplicaSet"):
                for taint in nodes[node]["spec"].get("taints") or ():
                    if taint["effect"] == "NoSchedule" and pod["metadata"]["namespace"] == "default":
                        assert tolerates(pod["spec"].get("tolerations"), taint), pod["metadata"]["name"]
        for ref in pod["metadata"].get("ownerReferences") or ():
            if ref.get("controller") and not pod["metadata"].get("deletionTimestamp"):
                assert ref["uid"] in uids, f"orphan pod {pod['metadata']['name']}"
    services = list(cluster.iter("Service"))
    ips = [s["spec"].get("clusterIP") for s in services if s["spec"].get("clusterIP") not in (None, "None")]
    assert len(ips) == len(set(ips))
    ports = [p["nodePort"] for s in services for p in s["spec"].get("ports") or () if p.get("nodePort")]
    assert len(ports) == len(set(ports))
    lbs = [i["ip"] for s in services for i in (s.get("status") or {}).get("loadBalancer", {}).get("ingress") or ()]
    assert len(lbs) == len(set(lbs))


def test_random_sequences_keep_invariants(tmp_path):
    loop = asyncio.new_event_loop()
    app = loop.run_until_complete(open_app(tmp_path / "inv.db", clock=lambda: NOW, rate_limit=None))
    manager = app.router.services["sandboxes"]
    counter = iter(range(10**9))

    async def run(steps):
        user = f"u{next(counter)}"
        for text in steps:
            await app.router.handle(Message(content=text, user=user, server="s"))
            async with manager.open("s", user) as sb:
                check_invariants(sb.cluster)
        # convergence: after enough time every deployment has its replicas ready
        await app.router.handle(Message(content="!wait 2m", user=user, server="s"))
        async with manager.open("s", user) as sb:
            for dep in sb.cluster.iter("Deployment"):
                assert dep["status"].get("readyReplicas", 0) == dep["spec"]["replicas"], dep["metadata"]["name"]

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None,
              derandomize="KUBETUTOR_FUZZ_EXAMPLES" not in os.environ)
    @given(st.lists(STEP, min_size=1, max_size=12))
    def check(steps):
        loop.run_until_complete(run(steps))

    try:
        check()
    finally:
        loop.run_until_complete(app.close())
        loop.close()
