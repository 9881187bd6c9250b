"""DaemonSet controller: one pod per eligible node (calico-node, kube-proxy, MetalLB's speaker)."""
from __future__ import annotations

import copy

from engine.cluster import Cluster, TooManyObjects, owner_ref
from engine.controllers.replicaset import is_active, is_ready, owned_pods, pods_by_owner
from engine.controllers.scheduler import tolerates
from engine import podops

SYSTEM_DAEMONSETS = ("calico-node", "kube-proxy")
# Tolerations the DaemonSet controller adds to every daemon pod (1.20 util.AddOrUpdateDaemonPodTolerations).
DAEMON_TOLERATIONS = [
    {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists"},
    {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists"},
    {"effect": "NoSchedule", "key": "node.kubernetes.io/disk-pressure", "operator": "Exists"},
    {"effect": "NoSchedule", "key": "node.kubernetes.io/memory-pressure", "operator": "Exists"},
    {"effect": "NoSchedule", "key": "node.kubernetes.io/pid-pressure", "operator": "Exists"},
    {"effect": "NoSchedule", "key": "node.kubernetes.io/unschedulable", "operator": "Exists"},
]


def daemonset_object(name: str) -> dict:
    """The kube-system DaemonSets of a kubeadm + Calico 3.17 cluster (trimmed to what students see)."""
    if name == "kube-proxy":
        labels = {"k8s-app": "kube-proxy"}
        container = {"command": ["/usr/local/bin/kube-proxy", "--config=/var/lib/kube-proxy/config.conf",
                                 "--hostname-override=$(NODE_NAME)"],
                     "env": [{"name": "NODE_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1",
                                                                             "fieldPath": "spec.nodeName"}}}],
                     "image": "k8s.gcr.io/kube-proxy:v1.20.2", "imagePullPolicy": "IfNotPresent",
                     "name": "kube-proxy", "resources": {}, "securityContext": {"privileged": True},
                     "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"}
        extra = {"serviceAccount": "kube-proxy", "serviceAccountName": "kube-proxy",
                 "priorityClassName": "system-node-critical", "nodeSelector": {"kubernetes.io/os": "linux"}}
    else:
        labels = {"k8s-app": "calico-node"}
        container = {"env": [{"name": "DATASTORE_TYPE", "value": "kubernetes"},
                             {"name": "CALICO_IPV4POOL_CIDR", "value": "172.16.0.0/16"},
                             {"name": "CALICO_IPV4POOL_IPIP", "value": "Always"}],
                     "image": "docker.io/calico/node:v3.17.1", "imagePullPolicy": "IfNotPresent",
                     "name": "calico-node", "resources": {"requests": {"cpu": "250m"}},
                     "securityContext": {"privileged": True},
                     "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"}
        extra = {"serviceAccount": "calico-node", "serviceAccountName": "calico-node",
                 "priorityClassName": "system-node-critical", "nodeSelector": {"kubernetes.io/os": "linux"}}
    spec = {"containers": [container], "dnsPolicy": "ClusterFirst", "hostNetwork": True, "restartPolicy": "Always",
            "schedulerName": "default-scheduler", "securityContext": {}, "terminationGracePeriodSeconds": 30,
            "tolerations": [{"operator": "Exists"}], **extra}
    return {"apiVersion": "apps/v1", "kind": "DaemonSet",
            "metadata": {"name": name, "namespace": "kube-system", "labels": dict(labels), "generation": 1,
                         "annotations": {"deprecated.daemonset.template.generation": "1"}},
            "spec": {"revisionHistoryLimit": 10, "selector": {"matchLabels": dict(labels)},
                     "template": {"metadata": {"creationTimestamp": None, "labels": dict(labels)}, "spec": spec},
                     "updateStrategy": {"rollingUpdate": {"maxUnavailable": 1}, "type": "RollingUpdate"}},
            "status": {}}


def eligible(ds: dict, node: dict) -> bool:
    spec = ds["spec"]["template"]["spec"]
    tolerations = list(spec.get("tolerations") or ()) + DAEMON_TOLERATIONS
    labels = node["metadata"].get("labels") or {}
    if any(labels.get(k) != v for k, v in (spec.get("nodeSelector") or {}).items()):
        return False
    return all(tolerates(tolerations, t) for t in node["spec"].get("taints") or ()
               if t["effect"] in ("NoSchedule", "NoExecute") and not t["key"].startswith("node.kubernetes.io/"))


def sync(cluster: Cluster) -> None:
    nodes = cluster.list("Node")
    index = pods_by_owner(cluster)
    for ds in cluster.iter("DaemonSet"):
        if not ds["metadata"].get("deletionTimestamp"):
            sync_one(cluster, ds, nodes, index)


def sync_one(cluster: Cluster, ds: dict, nodes: list[dict], index: dict | None = None) -> None:
    before = cluster.mutations
    pods = [p for p in owned_pods(cluster, ds, index) if is_active(p)]
    by_node: dict[str, list[dict]] = {}
    for p in pods:
        by_node.setdefault(p["spec"].get("nodeName", ""), []).append(p)
    wanted = [n for n in nodes if eligible(ds, n)]
    for node in wanted:
        name = node["metadata"]["name"]
        if by_node.get(name):
            continue
        template = copy.deepcopy(ds["spec"]["template"])
        tspec = template["spec"]
        tspec["nodeName"] = name
        tspec["tolerations"] = list(tspec.get("tolerations") or ()) + [
            t for t in DAEMON_TOLERATIONS if t not in (tspec.get("tolerations") or ())]
        try:
            pod = podops.create_from_template(cluster, template, ds["metadata"]["namespace"],
                                              ds["metadata"]["name"] + "-", owner_ref(ds))
        except TooManyObjects:
            return
        cluster.event(ds, "SuccessfulCreate", f"Created pod: {pod['metadata']['name']}", "daemonset-controller")
        by_node[name] = [pod]
    wanted_names = {n["metadata"]["name"] for n in wanted}
    for node_name, extra in by_node.items():
        for pod in extra if node_name not in wanted_names else extra[1:]:
            podops.delete_pod(cluster, pod)
            cluster.event(ds, "SuccessfulDelete", f"Deleted pod: {pod['metadata']['name']}", "daemonset-controller")
    active = pods if cluster.mutations == before else [p for p in owned_pods(cluster, ds) if is_active(p)]
    ready = sum(1 for p in active if is_ready(p))
    status = {"currentNumberScheduled": len(active), "desiredNumberScheduled": len(wanted),
              "numberAvailable": ready, "numberMisscheduled": 0, "numberReady": ready,
              "observedGeneration": ds["metadata"].get("generation", 1), "updatedNumberScheduled": len(active)}
    if len(wanted) - ready > 0:
        status["numberUnavailable"] = len(wanted) - ready
    if ds.get("status") != status:
        ds["status"] = status
        cluster.touch(ds)
