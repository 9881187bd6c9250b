"""kubeadm's ConfigMaps: in every new sandbox, and added once to a sandbox stored before them."""
from __future__ import annotations

from engine import bootstrap
from engine.sandbox import SandboxManager
from engine.store import Store

NOW = 1795000000.0
KUBE_SYSTEM = {"calico-config": 4, "coredns": 1, "extension-apiserver-authentication": 6, "kube-proxy": 2,
               "kube-root-ca.crt": 1, "kubeadm-config": 2, "kubelet-config-1.20": 1}


def _data_counts(cluster, ns: str) -> dict[str, int]:
    return {c["metadata"]["name"]: len(c.get("data") or {}) for c in cluster.list("ConfigMap", ns)}


async def test_a_stored_sandbox_gets_them_once_and_as_old_as_the_cluster(tmp_path):
    store = await Store.open(tmp_path / "t.db")
    manager = SandboxManager(store, wall=lambda: NOW)
    async with manager.open("s", "u") as sb:
        assert _data_counts(sb.cluster, "kube-system") == KUBE_SYSTEM
        # as a sandbox saved before this change: none of them, no mark
        for cm in list(sb.cluster.list("ConfigMap")):
            if cm["metadata"]["name"] != "kube-root-ca.crt":
                sb.cluster.remove(cm)
        del sb.cluster.meta["kubeadm_configmaps"]
    later = SandboxManager(store, wall=lambda: NOW + 3600)       # another process, an hour later
    async with later.open("s", "u") as sb:
        assert _data_counts(sb.cluster, "kube-system") == KUBE_SYSTEM
        out, _ = sb.kubectl("get cm kubeadm-config -n kube-system")
        assert out.split("\n")[1].split() == ["kubeadm-config", "2", "18h"]
        sb.kubectl("delete cm coredns -n kube-system")         # a student's deletion sticks
    async with SandboxManager(store, wall=lambda: NOW + 7200).open("s", "u") as sb:
        assert sb.cluster.get("ConfigMap", "kube-system", "coredns") is None
    await store.close()


def test_their_uids_do_not_take_the_sandboxes_random_draws():
    from engine.cluster import Cluster
    metas = [bootstrap.new_meta(7, NOW) for _ in range(2)]
    clusters = [Cluster(m, {}, lambda: NOW) for m in metas]
    bootstrap.kubeadm_configmaps(clusters[0], NOW)
    assert clusters[0].rng.state == clusters[1].rng.state
