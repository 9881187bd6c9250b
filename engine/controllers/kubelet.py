"""The kubelet of each node: pod start-up (pull, create, start), termination, static pods.

Time-driven steps are timers on the sandbox clock: `kubelet.sync` (the kubelet sees a pod bound
to it), `kubelet.pulled` (image pulled, container started), `kubelet.kill` (a deleted pod's
containers stopped, object removed).
"""
from __future__ import annotations

from engine.cluster import Cluster, controller_of
from engine import images, netplan

SYNC_DELAY = 0.4          # bind -> kubelet notices the pod (ContainerCreating)
START_DELAY = 1.0         # image present -> container running


def _host_up(cluster: Cluster, node: str | None) -> bool:
    if not node or node not in cluster.meta["hosts"]:
        return False
    host = cluster.host(node)
    return host["kubelet"] and host["docker"]


def find_pod(cluster: Cluster, ns: str, name: str, uid: str) -> dict | None:
    pod = cluster.get("Pod", ns, name)
    return pod if pod is not None and pod["metadata"]["uid"] == uid else None


def pod_ref(pod: dict) -> tuple[str, str, str]:
    md = pod["metadata"]
    return md["namespace"], md["name"], md["uid"]


def bound(cluster: Cluster, pod: dict) -> None:
    """Called when a pod gets a node: the kubelet there will start it."""
    if _host_up(cluster, pod["spec"]["nodeName"]):
        cluster.schedule(SYNC_DELAY, "kubelet.sync", *pod_ref(pod))


def sync(cluster: Cluster, ns: str, name: str, uid: str) -> None:
    pod = find_pod(cluster, ns, name, uid)
    if pod is None or pod["metadata"].get("deletionTimestamp") or pod["status"].get("containerStatuses"):
        return
    node = pod["spec"]["nodeName"]
    if not _host_up(cluster, node):
        return
    host = cluster.host(node)
    st = pod["status"]
    st.update(phase="Pending", hostIP=host["ip"], startTime=st.get("startTime") or cluster.stamp(), qosClass=qos_class(pod))
    st["conditions"] = _conditions(cluster, ready=False)
    st["containerStatuses"] = [
        {"image": c["image"], "imageID": "", "lastState": {}, "name": c["name"], "ready": False,
         "restartCount": 0, "started": False, "state": {"waiting": {"reason": "ContainerCreating"}}}
        for c in pod["spec"]["containers"]]
    cluster.update(pod)
    delay = START_DELAY
    for c in pod["spec"]["containers"]:
        cached = c["image"] in host["images"] or images.normalise(c["image"]) in host["images"]
        path = f"spec.containers{{{c['name']}}}"
        if cached and c.get("imagePullPolicy") != "Always":
            cluster.event(pod, "Pulled", f'Container image "{c["image"]}" already present on machine', "kubelet",
                          host=node, field_path=path)
        else:
            cluster.event(pod, "Pulling", f'Pulling image "{c["image"]}"', "kubelet", host=node, field_path=path)
            delay = max(delay, images.pull_seconds(cluster, c["image"], cached))
    cluster.schedule(delay, "kubelet.started", ns, name, uid)


def started(cluster: Cluster, ns: str, name: str, uid: str) -> None:
    pod = find_pod(cluster, ns, name, uid)
    if pod is None or pod["metadata"].get("deletionTimestamp"):
        return
    node = pod["spec"]["nodeName"]
    if not _host_up(cluster, node):
        return
    host = cluster.host(node)
    for c in pod["spec"]["containers"]:
        path = f"spec.containers{{{c['name']}}}"
        img = images.normalise(c["image"])
        if img not in host["images"]:
            took = images.pull_seconds(cluster, c["image"], False) + cluster.rng.uniform(0, 0.999999)
            cluster.event(pod, "Pulled", f'Successfully pulled image "{c["image"]}" in {took:.9f}s', "kubelet",
                          host=node, field_path=path)
            host["images"].append(img)
        elif c.get("imagePullPolicy") == "Always":
            took = cluster.rng.uniform(1.2, 2.9)
            cluster.event(pod, "Pulled", f'Successfully pulled image "{c["image"]}" in {took:.9f}s', "kubelet",
                          host=node, field_path=path)
        cluster.event(pod, "Created", f"Created container {c['name']}", "kubelet", host=node, field_path=path)
        cluster.event(pod, "Started", f"Started container {c['name']}", "kubelet", host=node, field_path=path)
    ip = host["ip"] if pod["spec"].get("hostNetwork") else netplan.next_pod_ip(cluster, node)
    running_status(cluster, pod, node, ip, cluster.now)
    cluster.update(pod)


def running_status(cluster: Cluster, pod: dict, node: str, ip: str, at: float) -> None:
    host = cluster.host(node)
    stamp = cluster.stamp(at)
    restarts = {cs["name"]: cs.get("restartCount", 0) for cs in pod.get("status", {}).get("containerStatuses") or ()}
    pod["status"] = {
        "conditions": _conditions(cluster, ready=True, at=at),
        "containerStatuses": [
            {"containerID": "docker://" + cluster.rng.hex(64), "image": images.normalise(c["image"]),
             "imageID": images.image_id(c["image"]), "lastState": {}, "name": c["name"], "ready": True,
             "restartCount": restarts.get(c["name"], 0), "started": True,
             "state": {"running": {"startedAt": stamp}}} for c in pod["spec"]["containers"]],
        "hostIP": host["ip"], "phase": "Running", "podIP": ip, "podIPs": [{"ip": ip}],
        "qosClass": qos_class(pod), "startTime": pod.get("status", {}).get("startTime") or stamp,
    }


def _conditions(cluster: Cluster, *, ready: bool, at: float | None = None) -> list[dict]:
    stamp = cluster.stamp(at)
    flag = "True" if ready else "False"
    out = [{"lastProbeTime": None, "lastTransitionTime": stamp, "status": "True", "type": "Initialized"},
           {"lastProbeTime": None, "lastTransitionTime": stamp, "status": flag, "type": "Ready"},
           {"lastProbeTime": None, "lastTransitionTime": stamp, "status": flag, "type": "ContainersReady"},
           {"lastProbeTime": None, "lastTransitionTime": stamp, "status": "True", "type": "PodScheduled"}]
    if not ready:
        for c in out[1:3]:
            c["reason"] = "ContainersNotReady"
    return out


def qos_class(pod: dict) -> str:
    reqs = [c.get("resources") or {} for c in pod["spec"]["containers"]]
    if not any(r.get("requests") or r.get("limits") for r in reqs):
        return "BestEffort"
    if all(r.get("limits") and set(r["limits"]) >= {"cpu", "memory"} and
           all(r.get("requests", r["limits"]).get(k) == r["limits"][k] for k in ("cpu", "memory")) for r in reqs):
        return "Guaranteed"
    return "Burstable"


# -- termination ---------------------------------------------------------------------------------

def terminate(cluster: Cluster, pod: dict) -> float | None:
    """A pod got a deletionTimestamp. Returns how long until it is gone, or None if nobody will
    confirm (its node's kubelet or runtime is down): then it stays Terminating."""
    node = pod["spec"].get("nodeName")
    if not node:
        cluster.remove(pod)                     # never scheduled: the API server deletes it at once
        return 0.0
    if not _host_up(cluster, node):
        return None
    running = pod["status"].get("phase") == "Running"
    for c in pod["spec"]["containers"] if running else ():
        cluster.event(pod, "Killing", f"Stopping container {c['name']}", "kubelet", host=node,
                      field_path=f"spec.containers{{{c['name']}}}")
    delay = images.stop_seconds(pod) if running else 0.5
    cluster.schedule(delay, "kubelet.kill", *pod_ref(pod))
    return delay


def kill(cluster: Cluster, ns: str, name: str, uid: str) -> None:
    pod = find_pod(cluster, ns, name, uid)
    if pod is not None and pod["metadata"].get("deletionTimestamp") and _host_up(cluster, pod["spec"].get("nodeName")):
        cluster.remove(pod)


# -- static pods -------------------------------------------------------------------------------------

def is_mirror(pod: dict) -> bool:
    return "kubernetes.io/config.mirror" in (pod["metadata"].get("annotations") or {})


def static_pod(cluster: Cluster, component: str, node: str, at: float) -> dict:
    """The mirror pod the kubelet publishes for /etc/kubernetes/manifests/<component>.yaml."""
    from engine.bootstrap import STATIC_IMAGES
    node_obj = cluster.get("Node", "", node)
    image = STATIC_IMAGES[component]
    ip = cluster.host(node)["ip"]
    stamp = cluster.stamp(at)
    config_hash = cluster.rng.hex(32)
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {
        "name": f"{component}-{node}", "namespace": "kube-system", "creationTimestamp": stamp,
        "labels": {"component": component, "tier": "control-plane"},
        "annotations": {"kubernetes.io/config.hash": config_hash, "kubernetes.io/config.mirror": config_hash,
                        "kubernetes.io/config.seen": stamp.replace("Z", ".000000000Z"),
                        "kubernetes.io/config.source": "file"},
        "ownerReferences": [{"apiVersion": "v1", "controller": True, "kind": "Node", "name": node,
                             "uid": node_obj["metadata"]["uid"] if node_obj else ""}]},
        "spec": {"containers": [{"command": [component], "image": image, "imagePullPolicy": "IfNotPresent",
                                 "name": component, "resources": {"requests": {"cpu": "250m"}} if component != "etcd"
                                 else {"requests": {"cpu": "100m", "ephemeral-storage": "100Mi", "memory": "100Mi"}},
                                 "terminationMessagePath": "/dev/termination-log",
                                 "terminationMessagePolicy": "File"}],
                 "dnsPolicy": "ClusterFirst", "enableServiceLinks": True, "hostNetwork": True, "nodeName": node,
                 "preemptionPolicy": "PreemptLowerPriority", "priority": 2000001000,
                 "priorityClassName": "system-node-critical", "restartPolicy": "Always",
                 "schedulerName": "default-scheduler", "securityContext": {}, "terminationGracePeriodSeconds": 30,
                 "tolerations": [{"effect": "NoExecute", "operator": "Exists"}]},
        "status": {}}
    running_status(cluster, pod, node, ip, at)
    return pod


def recreate_mirror(cluster: Cluster, pod: dict) -> None:
    """The kubelet replaces a deleted mirror pod at once: same name, new UID, new AGE."""
    node = pod["spec"]["nodeName"]
    component = pod["metadata"]["labels"]["component"]
    restarts = pod["status"].get("containerStatuses", [{}])[0].get("restartCount", 0)
    cluster.remove(pod)
    fresh = static_pod(cluster, component, node, cluster.now)
    fresh["status"]["containerStatuses"][0]["restartCount"] = restarts
    cluster.create(fresh)


def owned_by_node(pod: dict) -> bool:
    ref = controller_of(pod)
    return bool(ref and ref["kind"] == "Node")
