"""The course's lab cluster as it stands after chapter 1 (kubeadm 1.20.2 + Calico on CentOS 7).

Names of the kube-system pods are the ones the study notes show, so a fresh sandbox prints
the notes' listing; the cluster was "built" 17 hours before the student's first command.
"""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from engine.cluster import Cluster, owner_ref
from engine.objects import default_pod_spec, deployment_defaults, pod_from_template
from engine import netplan

CONTENT = Path(__file__).resolve().parent.parent / "content" / "cluster"
BUILT_AGO = 17 * 3600 + 25 * 60          # the notes show AGE 17h on the first `get nodes`
KUBE_VERSION = "v1.20.2"

NODES = [("m-k8s", "192.168.1.10"), ("w1-k8s", "192.168.1.101"), ("w2-k8s", "192.168.1.102"),
         ("w3-k8s", "192.168.1.103")]
NAMESPACES = ["default", "kube-node-lease", "kube-public", "kube-system"]
CALICO_NODE_PODS = {"m-k8s": "calico-node-89ql2", "w1-k8s": "calico-node-g24t2", "w2-k8s": "calico-node-rggz7",
                    "w3-k8s": "calico-node-zqg9l"}
KUBE_PROXY_PODS = {"m-k8s": "kube-proxy-nmg5m", "w1-k8s": "kube-proxy-p47fm", "w2-k8s": "kube-proxy-qqnxd",
                   "w3-k8s": "kube-proxy-ts9c6"}
REPLICASET_PODS = {"coredns": ["coredns-74ff55c5b-62tgn", "coredns-74ff55c5b-7p98b"],
                   "calico-kube-controllers": ["calico-kube-controllers-744cfdf676-vmhf6"]}
REPLICASET_HASH = {"coredns": "74ff55c5b", "calico-kube-controllers": "744cfdf676"}
STATIC_PODS = ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"]
STATIC_IMAGES = {"etcd": "k8s.gcr.io/etcd:3.4.13-0", "kube-apiserver": "k8s.gcr.io/kube-apiserver:v1.20.2",
                 "kube-controller-manager": "k8s.gcr.io/kube-controller-manager:v1.20.2",
                 "kube-scheduler": "k8s.gcr.io/kube-scheduler:v1.20.2"}
NODE_IMAGES = ["k8s.gcr.io/kube-proxy:v1.20.2", "calico/node:v3.17.1", "calico/cni:v3.17.1",
               "calico/pod2daemon-flexvol:v3.17.1", "k8s.gcr.io/pause:3.2"]
ROOT_CA = ("-----BEGIN CERTIFICATE-----\nMIIC5zCCAc+gAwIBAgIBADANBgkqhkiG9w0BAQsFADAVMRMwEQYDVQQDEwprdWJl\n"
           "cm5ldGVzMB4XDTIxMDEyMzA4MDAwMFoXDTMxMDEyMTA4MDAwMFowFTETMBEGA1UE\nAxMKa3ViZXJuZXRlczCCASIw\n"
           "-----END CERTIFICATE-----\n")
MASTER_IMAGES = NODE_IMAGES + list(STATIC_IMAGES.values()) + ["k8s.gcr.io/coredns:1.7.0",
                                                               "calico/kube-controllers:v3.17.1"]


def new_meta(seed: int, created_wall: float) -> dict[str, Any]:
    return {
        "version": 1, "created": created_wall, "offset": 0.0, "rng": seed, "rv": 1000, "clock": {"seq": 0, "timers": []},
        "hosts": {name: {"ip": ip, "kubelet": True, "docker": True, "images": list(MASTER_IMAGES if name == "m-k8s"
                                                                                   else NODE_IMAGES),
                         "kubelet_version": KUBE_VERSION, "ip_next": 0}
                  for name, ip in NODES},
        "aliases": {},
        "nodeports": [], "clusterips": [],
        # Filled in later by the shell, traffic and MetalLB; present from the start so that reading
        # them never changes a sandbox (a rejected command must leave it byte-for-byte as it was).
        "nfs": {"exports": [], "enabled": False, "files": {}}, "metallb": {"announced": {}, "failed": []},
        "written": {}, "cwd": {}, "oldcwd": {}, "podlogs": {}, "podfiles": {},
    }


def build(cluster: Cluster) -> None:
    built = cluster.now - BUILT_AGO
    for name in NAMESPACES:
        cluster.create({"apiVersion": "v1", "kind": "Namespace",
                        "metadata": {"name": name, "creationTimestamp": cluster.stamp(built),
                                     **({"labels": {}} if False else {})},
                        "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}})
        namespace_defaults(cluster, name, built)
    kubeadm_configmaps(cluster, built)
    for i, (name, ip) in enumerate(NODES):
        cluster.create(_node(cluster, name, ip, built + (0 if i == 0 else 17)))
    _services(cluster, built)
    for static in STATIC_PODS:
        _static_pod(cluster, static, built + 5)
    for dep_name in ("coredns", "calico-kube-controllers"):
        _deployment(cluster, dep_name, built + 10)
    _daemonsets(cluster, built + 10)


def namespace_defaults(cluster: Cluster, ns: str, at: float) -> None:
    """What controllers add to every namespace in 1.20: the `default` ServiceAccount with its
    token Secret, and the `kube-root-ca.crt` ConfigMap (RootCAConfigMap, beta and on)."""
    cluster.create({"apiVersion": "v1", "kind": "ConfigMap",
                    "metadata": {"name": "kube-root-ca.crt", "namespace": ns, "creationTimestamp": cluster.stamp(at)},
                    "data": {"ca.crt": ROOT_CA}})
    token = f"default-token-{cluster.rng.suffix()}"
    cluster.create({"apiVersion": "v1", "kind": "ServiceAccount",
                    "metadata": {"name": "default", "namespace": ns, "creationTimestamp": cluster.stamp(at)},
                    "secrets": [{"name": token}]})
    cluster.create({"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/service-account-token",
                    "metadata": {"name": token, "namespace": ns, "creationTimestamp": cluster.stamp(at),
                                 "annotations": {"kubernetes.io/service-account.name": "default"}},
                    "data": {"ca.crt": "", "namespace": "", "token": ""}})


def kubeadm_configmaps(cluster: Cluster, built: float) -> None:
    """kubeadm's and Calico's ConfigMaps (content/cluster/configmaps.yaml), as old as the cluster.
    Marked in the meta, so a sandbox stored before they existed gets them once (see `migrate`)."""
    from engine.rng import Rng
    # Their uids come from a side stream: the sandbox's own draws (pod names, placements) stay
    # what they were before these ConfigMaps existed.
    main, cluster.rng = cluster.rng, Rng(_side_stream(cluster.rng.state))
    try:
        for entry in _configmap_entries():
            if cluster.get("ConfigMap", entry["namespace"], entry["name"]) is not None:
                continue
            md = {"name": entry["name"], "namespace": entry["namespace"],
                  "creationTimestamp": cluster.stamp(built + entry["after"])}
            for key in ("labels", "annotations"):
                if entry.get(key):
                    md[key] = dict(entry[key])
            cluster.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": md, "data": dict(entry["data"])})
    finally:
        cluster.rng = main
    cluster.meta["kubeadm_configmaps"] = True


@lru_cache(maxsize=1)
def _configmap_entries() -> list[dict]:
    """Parsed once per process: YAML parsing would be most of a sandbox's creation time."""
    import yaml
    with open(CONTENT / "configmaps.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _side_stream(state: int) -> int:
    return int.from_bytes(hashlib.sha256(f"{state}/kubeadm-configmaps".encode()).digest()[:8], "big")


def migrate(cluster: Cluster) -> None:
    """Bring a stored sandbox up to what a new one has (cheap when there is nothing to do)."""
    if not cluster.meta.get("kubeadm_configmaps") and cluster.get("Namespace", "", "kube-system") is not None:
        kubeadm_configmaps(cluster, cluster.meta.get("created", cluster.now) - BUILT_AGO)


def token_secret(cluster: Cluster, ns: str, sa: str = "default") -> str:
    obj = cluster.get("ServiceAccount", ns, sa)
    if obj and obj.get("secrets"):
        return obj["secrets"][0]["name"]
    return f"{sa}-token-{cluster.rng.suffix()}"


def _node(cluster: Cluster, name: str, ip: str, at: float) -> dict:
    labels = {"beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
              "kubernetes.io/hostname": name, "kubernetes.io/os": "linux"}
    spec: dict[str, Any] = {"podCIDR": netplan.pod_cidr(name), "podCIDRs": [netplan.pod_cidr(name)]}
    if name == "m-k8s":
        labels["node-role.kubernetes.io/control-plane"] = ""
        labels["node-role.kubernetes.io/master"] = ""
        spec["taints"] = [{"effect": "NoSchedule", "key": "node-role.kubernetes.io/master"}]
    cpu, mem = ("2", "1774784Ki") if name == "m-k8s" else ("1", "1014804Ki")
    stamp = cluster.stamp(at)
    return {
        "apiVersion": "v1", "kind": "Node",
        "metadata": {"name": name, "labels": labels, "creationTimestamp": stamp, "annotations": {
            "kubeadm.alpha.kubernetes.io/cri-socket": "/var/run/dockershim.sock",
            "node.alpha.kubernetes.io/ttl": "0",
            "projectcalico.org/IPv4Address": f"{ip}/24",
            "projectcalico.org/IPv4IPIPTunnelAddr": netplan.tunnel_ip(name),
            "volumes.kubernetes.io/controller-managed-attach-detach": "true"}},
        "spec": spec,
        "status": {
            "addresses": [{"address": ip, "type": "InternalIP"}, {"address": name, "type": "Hostname"}],
            "allocatable": {"cpu": cpu, "ephemeral-storage": "35855017516", "hugepages-2Mi": "0", "memory": mem,
                            "pods": "110"},
            "capacity": {"cpu": cpu, "ephemeral-storage": "38905184Ki", "hugepages-2Mi": "0", "memory": mem,
                         "pods": "110"},
            "conditions": _node_conditions(stamp),
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "nodeInfo": {"architecture": "amd64", "bootID": cluster.rng.uuid(), "containerRuntimeVersion": "docker://19.3.14",
                         "kernelVersion": "3.10.0-1127.19.1.el7.x86_64", "kubeProxyVersion": KUBE_VERSION,
                         "kubeletVersion": KUBE_VERSION, "machineID": cluster.rng.hex(32),
                         "operatingSystem": "linux", "osImage": "CentOS Linux 7 (Core)",
                         "systemUUID": cluster.rng.uuid().upper()},
        },
    }


def _node_conditions(stamp: str) -> list[dict]:
    rows = [("NetworkUnavailable", "False", "CalicoIsUp", "Calico is running on this node"),
            ("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
            ("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
            ("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
            ("Ready", "True", "KubeletReady", "kubelet is posting ready status")]
    return [{"lastHeartbeatTime": stamp, "lastTransitionTime": stamp, "message": m, "reason": r, "status": s,
             "type": t} for t, s, r, m in rows]


def _services(cluster: Cluster, at: float) -> None:
    stamp = cluster.stamp(at)
    cluster.create({"apiVersion": "v1", "kind": "Service", "metadata": {
        "name": "kubernetes", "namespace": "default", "creationTimestamp": stamp,
        "labels": {"component": "apiserver", "provider": "kubernetes"}},
        "spec": {"clusterIP": "10.96.0.1", "clusterIPs": ["10.96.0.1"],
                 "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}],
                 "sessionAffinity": "None", "type": "ClusterIP"}, "status": {"loadBalancer": {}}})
    cluster.create({"apiVersion": "v1", "kind": "Endpoints", "metadata": {
        "name": "kubernetes", "namespace": "default", "creationTimestamp": stamp,
        "labels": {"endpointslice.kubernetes.io/skip-mirror": "true"}},
        "subsets": [{"addresses": [{"ip": "192.168.1.10"}],
                     "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]}]})
    cluster.create({"apiVersion": "v1", "kind": "Service", "metadata": {
        "name": "kube-dns", "namespace": "kube-system", "creationTimestamp": stamp,
        "annotations": {"prometheus.io/port": "9153", "prometheus.io/scrape": "true"},
        "labels": {"k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true", "kubernetes.io/name": "KubeDNS"}},
        "spec": {"clusterIP": "10.96.0.10", "clusterIPs": ["10.96.0.10"],
                 "ports": [{"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53},
                           {"name": "dns-tcp", "port": 53, "protocol": "TCP", "targetPort": 53},
                           {"name": "metrics", "port": 9153, "protocol": "TCP", "targetPort": 9153}],
                 "selector": {"k8s-app": "kube-dns"}, "sessionAffinity": "None", "type": "ClusterIP"},
        "status": {"loadBalancer": {}}})
    cluster.meta["clusterips"] = ["10.96.0.1", "10.96.0.10"]


def _running(cluster: Cluster, pod: dict, node: str, at: float, ip: str) -> None:
    """Mark a bootstrap pod as long running on `node`."""
    from engine.controllers.kubelet import running_status
    pod["spec"]["nodeName"] = node
    running_status(cluster, pod, node, ip, at)


def _static_pod(cluster: Cluster, component: str, at: float) -> None:
    from engine.controllers.kubelet import static_pod
    pod = static_pod(cluster, component, "m-k8s", at)
    cluster.create(pod)


def _deployment(cluster: Cluster, name: str, at: float) -> None:
    with open(CONTENT / f"{name}.deployment.json", encoding="utf-8") as fh:
        dep = json.load(fh)
    dep = deployment_defaults(dep)
    dep["metadata"]["creationTimestamp"] = cluster.stamp(at)
    cluster.create(dep)
    pod_hash = REPLICASET_HASH[name]
    from engine.controllers.deployment import new_replicaset
    rs = new_replicaset(cluster, dep, pod_hash, dep["spec"]["replicas"])
    rs["metadata"]["creationTimestamp"] = cluster.stamp(at)
    cluster.create(rs)
    for pod_name in REPLICASET_PODS[name]:
        pod = pod_from_template(rs["spec"]["template"], "kube-system")
        pod["metadata"]["name"] = pod_name
        pod["metadata"]["generateName"] = rs["metadata"]["name"] + "-"
        pod["metadata"]["ownerReferences"] = [owner_ref(rs)]
        pod["metadata"]["creationTimestamp"] = cluster.stamp(at + 20)
        default_pod_spec(pod["spec"], token_secret(cluster, "kube-system", pod["spec"].get("serviceAccountName", "default")))
        _running(cluster, pod, "m-k8s", at + 20, netplan.next_pod_ip(cluster, "m-k8s"))
        cluster.create(pod)


def _daemonsets(cluster: Cluster, at: float) -> None:
    from engine.controllers.daemonset import SYSTEM_DAEMONSETS, daemonset_object
    names = {"calico-node": CALICO_NODE_PODS, "kube-proxy": KUBE_PROXY_PODS}
    for ds_name in SYSTEM_DAEMONSETS:
        ds = daemonset_object(ds_name)
        ds["metadata"]["creationTimestamp"] = cluster.stamp(at)
        cluster.create(ds)
        for node, _ip in NODES:
            pod = pod_from_template(ds["spec"]["template"], "kube-system")
            pod["metadata"].update(name=names[ds_name][node], generateName=ds_name + "-",
                                   ownerReferences=[owner_ref(ds)], creationTimestamp=cluster.stamp(at + 15))
            pod["spec"]["affinity"] = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
                "nodeSelectorTerms": [{"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node]}]}]}}}
            default_pod_spec(pod["spec"], token_secret(cluster, "kube-system", pod["spec"].get("serviceAccountName", "default")))
            _running(cluster, pod, node, at + 15, cluster.host(node)["ip"])
            cluster.create(pod)
