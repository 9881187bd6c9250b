"""kubectl cordon / uncordon / drain (kubectl 1.20 pkg/drain wording) and what the cluster makes
of a cordoned node: SchedulingDisabled, the unschedulable taint, the scheduler's reason."""
from __future__ import annotations

import pytest

from engine.bootstrap import CALICO_NODE_PODS, KUBE_PROXY_PODS
from engine.sandbox import SandboxManager
from engine.store import Store

NOW = 1795000000.0
DS_PODS = "kube-system/calico-node-g24t2, kube-system/kube-proxy-p47fm"


@pytest.fixture
async def sb(tmp_path):
    store = await Store.open(tmp_path / "t.db")
    mgr = SandboxManager(store, wall=lambda: NOW)
    async with mgr.open("s", "u") as sandbox:
        sandbox.kubectl("apply -f ~/_Lecture_k8s_starter.kit/ch4/4.1/del-deploy.yaml")
        sandbox.wait(60)
        yield sandbox
    await store.close()


def pods_on(sb, node: str) -> list[str]:
    return [p["metadata"]["name"] for p in sb.cluster.list("Pod", "default") if p["spec"].get("nodeName") == node]


async def test_cordon_and_uncordon(sb):
    assert sb.kubectl("cordon w1-k8s") == ("node/w1-k8s cordoned", 0)
    assert sb.kubectl("cordon w1-k8s") == ("node/w1-k8s already cordoned", 0)
    assert "w1-k8s   Ready,SchedulingDisabled   <none>" in sb.kubectl("get nodes")[0]
    sb.wait(1)                                                      # the node lifecycle controller's turn
    taints = sb.cluster.get("Node", "", "w1-k8s")["spec"]["taints"]
    assert [(t["key"], t["effect"]) for t in taints] == [("node.kubernetes.io/unschedulable", "NoSchedule")]
    assert sb.kubectl("uncordon w1-k8s") == ("node/w1-k8s uncordoned", 0)
    assert sb.kubectl("uncordon w1-k8s") == ("node/w1-k8s already uncordoned", 0)
    sb.wait(1)
    assert "taints" not in sb.cluster.get("Node", "", "w1-k8s")["spec"]


async def test_usage_and_not_found(sb):
    assert sb.kubectl("cordon") == ("error: USAGE: cordon NODE [flags]\nSee 'kubectl cordon -h' for help and examples", 1)
    assert sb.kubectl("drain foo") == ('Error from server (NotFound): nodes "foo" not found', 1)


async def test_drain_needs_ignore_daemonsets(sb):
    out, rc = sb.kubectl("drain w1-k8s")
    assert rc == 1
    assert out == ("node/w1-k8s cordoned\n"
                   'error: unable to drain node "w1-k8s", aborting command...\n\n'
                   "There are pending nodes to be drained:\n w1-k8s\n"
                   f"error: cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): {DS_PODS}")
    assert len(pods_on(sb, "w1-k8s")) == 1                          # nothing evicted, but cordoned
    assert sb.cluster.get("Node", "", "w1-k8s")["spec"]["unschedulable"] is True


async def test_drain_evicts_and_replacements_go_elsewhere(sb):
    [victim] = pods_on(sb, "w1-k8s")
    out, rc = sb.kubectl("drain w1-k8s --ignore-daemonsets")
    assert (out, rc) == ("node/w1-k8s cordoned\n"
                         f"WARNING: ignoring DaemonSet-managed Pods: {DS_PODS}\n"
                         f"evicting pod default/{victim}\npod/{victim} evicted\nnode/w1-k8s drained", 0)
    sb.wait(30)
    assert pods_on(sb, "w1-k8s") == []
    assert len(sb.cluster.list("Pod", "default")) == 3
    sb.kubectl("scale deployment del-deploy --replicas=6")
    sb.wait(30)
    assert pods_on(sb, "w1-k8s") == []
    sb.kubectl("uncordon w1-k8s")
    sb.kubectl("scale deployment del-deploy --replicas=8")
    sb.wait(30)
    assert len(pods_on(sb, "w1-k8s")) == 2                          # the emptiest node takes the new ones


async def test_drain_refuses_bare_pods_without_force(sb):
    sb.kubectl("run del-pod --image=nginx")
    sb.wait(5)
    node = sb.cluster.get("Pod", "default", "del-pod")["spec"]["nodeName"]
    daemons = f"kube-system/{CALICO_NODE_PODS[node]}, kube-system/{KUBE_PROXY_PODS[node]}"
    out, rc = sb.kubectl(f"drain {node} --ignore-daemonsets")
    assert rc == 1 and out.endswith(
        "error: cannot delete Pods not managed by ReplicationController, ReplicaSet, Job, DaemonSet or "
        "StatefulSet (use --force to override): default/del-pod")
    assert sb.cluster.get("Pod", "default", "del-pod") is not None
    out, rc = sb.kubectl(f"drain {node} --ignore-daemonsets --force")
    assert rc == 0
    assert out.splitlines()[1] == (
        f"WARNING: ignoring DaemonSet-managed Pods: {daemons}; "
        "deleting Pods not managed by ReplicationController, ReplicaSet, Job, DaemonSet or StatefulSet: default/del-pod")
    assert sb.cluster.get("Pod", "default", "del-pod") is None      # a bare pod is gone for good


async def test_all_workers_cordoned_message(sb):
    for node in ("w1-k8s", "w2-k8s", "w3-k8s"):
        sb.kubectl(f"cordon {node}")
    sb.kubectl("run lonely --image=nginx")
    sb.wait(5)
    pod = sb.cluster.get("Pod", "default", "lonely")
    [cond] = [c for c in pod["status"]["conditions"] if c["type"] == "PodScheduled"]
    assert cond["message"] == ("0/4 nodes are available: 1 node(s) had taint {node-role.kubernetes.io/master: }, "
                               "that the pod didn't tolerate, 3 node(s) were unschedulable.")
