"""The upgrade lab (course 6.2, control-plane.md §9): kubeadm/kubelet/kubectl as yum packages per
node, and what `kubeadm upgrade apply` changes in the cluster.

Package facts live in cluster.meta["hosts"][node]["packages"] ({"kubeadm": "1.20.2", …}); the
running kubelet's version in ["kubelet_version"] (changes only when the kubelet restarts); the
control plane's in meta["control_plane_version"], kubectl's (m-k8s) in meta["kubectl_version"].

The yum repository is a snapshot of Google's kubernetes-el7 repo from January 2022, when the
study notes ran `kubeadm upgrade plan` (latest v1.23.2, stable-1.20 = v1.20.15). There is no
1.20.3 (it was never published).
"""
from __future__ import annotations

import hashlib

from engine import podops
from engine.controllers import kubelet

PACKAGES = ("kubeadm", "kubelet", "kubectl")
INSTALLED = "1.20.2"
SERIES = {"1.20": [0, 1, 2] + list(range(4, 16)), "1.21": list(range(0, 10)), "1.22": list(range(0, 7)),
          "1.23": [0, 1, 2]}
REPO_VERSIONS = [f"{minor}.{patch}" for minor, patches in SERIES.items() for patch in patches]
LATEST = "v1.23.2"
STABLE_FALLBACK = "v1.20.15"
PACKAGE_MB = {"kubeadm": 8.3, "kubelet": 20.0, "kubectl": 8.5}
ETCD, COREDNS = "3.4.13-0", "1.7.0"
UPGRADED_COMPONENTS = ("kube-apiserver", "kube-controller-manager", "kube-scheduler")


def packages(cluster, node: str) -> dict[str, str]:
    return cluster.host(node).setdefault("packages", {p: INSTALLED for p in PACKAGES})


def control_plane_version(cluster) -> str:
    return cluster.meta.get("control_plane_version", "v" + INSTALLED)


def parse_version(text: str) -> str | None:
    """`1.20.4`, `v1.20.4` -> "1.20.4"; anything else None."""
    core = text[1:] if text.startswith("v") else text
    parts = core.split(".")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    return core


def key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.lstrip("v").split("."))


def minor(version: str) -> int:
    return key(version)[1]


def latest_in_series(version: str) -> str:
    series = ".".join(version.lstrip("v").split(".")[:2])
    return f"{series}.{SERIES[series][-1]}" if series in SERIES else version.lstrip("v")


def kubelet_restarted(cluster, node: str) -> None:
    """A (re)started kubelet runs the installed package's binary."""
    cluster.host(node)["kubelet_version"] = "v" + packages(cluster, node)["kubelet"]


def publish_kubelet_version(cluster, node_obj: dict) -> None:
    """The kubelet reports its version in the node status it posts."""
    running = cluster.host(node_obj["metadata"]["name"]).get("kubelet_version")
    info = node_obj["status"].setdefault("nodeInfo", {})
    if running and info.get("kubeletVersion") != running:
        info["kubeletVersion"] = running
        cluster.update(node_obj)


def static_image(component: str, version: str) -> str:
    return f"k8s.gcr.io/{component}:{version}"


def apply(cluster, target: str) -> dict[str, tuple[str, str]]:
    """`kubeadm upgrade apply`: new static pod manifests (the kubelet re-creates the mirror pods),
    kube-proxy's DaemonSet rolled to the new image. Returns the static pods' old/new config hashes."""
    cluster.meta["control_plane_version"] = target
    hashes = {}
    for pod in cluster.list("Pod", "kube-system"):
        component = (pod["metadata"].get("labels") or {}).get("component")
        if component not in UPGRADED_COMPONENTS or not kubelet.is_mirror(pod):
            continue
        old = pod["metadata"]["annotations"]["kubernetes.io/config.hash"]
        node = pod["spec"]["nodeName"]
        cluster.remove(pod)
        fresh = kubelet.static_pod(cluster, component, node, cluster.now)
        cluster.create(fresh)
        hashes[component] = (old, fresh["metadata"]["annotations"]["kubernetes.io/config.hash"])
    ds = cluster.get("DaemonSet", "kube-system", "kube-proxy")
    if ds is not None:
        container = ds["spec"]["template"]["spec"]["containers"][0]
        if container["image"] != static_image("kube-proxy", target):
            container["image"] = static_image("kube-proxy", target)
            ds["metadata"]["generation"] = ds["metadata"].get("generation", 1) + 1
            cluster.update(ds)
            for pod in [p for p in cluster.list("Pod", "kube-system")
                        if (p["metadata"].get("labels") or {}).get("k8s-app") == "kube-proxy"]:
                _roll(cluster, pod)
    for node_obj in cluster.list("Node"):
        node_obj["status"].setdefault("nodeInfo", {})["kubeProxyVersion"] = target
        cluster.update(node_obj)
    return hashes


def _roll(cluster, pod: dict) -> None:
    """The DaemonSet controller replaces an out-of-date daemon pod (delete; a new one follows)."""
    if not pod["metadata"].get("deletionTimestamp"):
        podops.delete_pod(cluster, pod)


def rpm_digest(name: str) -> str:
    """yum prints the cached file's name with a checksum prefix; stable per package build."""
    return hashlib.sha256(name.encode()).hexdigest()
