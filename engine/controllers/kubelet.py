"""The kubelet of each node: pod start-up (pull, create, start), termination, static pods.

Time-driven steps are timers on the sandbox clock: `kubelet.sync` (the kubelet sees a pod bound
to it), `kubelet.started` (image pulled, container started), `kubelet.kill` (a deleted pod's
containers stopped, object removed), `kubelet.control_plane_up` (m-k8s's static pods back after
docker was restarted there). While the API server is down nothing is reported; resume() catches up.
"""
from __future__ import annotations

import dataclasses

from engine.clock import Timer
from engine.cluster import Cluster, _event_key, controller_of
from engine import images, netplan
from engine.controllers import container_exit

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
    if not api_up(cluster):
        return                                  # cannot report; resume() picks it up when the API is back
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
            delay = max(delay, _pull_done_at(cluster, host, c["image"], cached) - cluster.now)
    if missing_images(pod):
        cluster.schedule(PULL_FAILS_AFTER, "kubelet.pull_failed", ns, name, uid, 1)
        return
    cluster.schedule(delay, "kubelet.started", ns, name, uid)


def _pull_done_at(cluster: Cluster, host: dict, image: str, cached: bool) -> float:
    """Pods on one node that want the same image wait for the same pull, as dockerd joins
    concurrent pulls of one reference; so a scale-up's pods start together (and cheaply)."""
    pulls = host.setdefault("pulls", {})
    done = pulls.get(image)
    if done is None or done <= cluster.now:
        done = cluster.now + images.pull_seconds(cluster, image, cached)
        pulls[image] = done
        for old in [k for k, v in pulls.items() if v <= cluster.now]:
            del pulls[old]
    return done


def started(cluster: Cluster, ns: str, name: str, uid: str) -> None:
    pod = find_pod(cluster, ns, name, uid)
    if pod is None or pod["metadata"].get("deletionTimestamp") or not api_up(cluster):
        return
    node = pod["spec"]["nodeName"]
    if not _host_up(cluster, node):
        return
    if missing_images(pod):
        pull_failed(cluster, ns, name, uid, 1)
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
    container_exit.schedule_exits(cluster, pod)
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
    running = pod["status"].get("phase") == "Running" and container_exit.running(pod)
    for c in pod["spec"]["containers"] if running else ():
        cluster.event(pod, "Killing", f"Stopping container {c['name']}", "kubelet", host=node,
                      field_path=f"spec.containers{{{c['name']}}}")
    delay = images.stop_seconds(pod) if running else 0.5
    cluster.schedule(delay, "kubelet.kill", *pod_ref(pod))
    return delay


def kill(cluster: Cluster, ns: str, name: str, uid: str) -> None:
    pod = find_pod(cluster, ns, name, uid)
    if (pod is not None and pod["metadata"].get("deletionTimestamp") and _host_up(cluster, pod["spec"].get("nodeName"))
            and api_up(cluster)):
        cluster.remove(pod)


# -- static pods -------------------------------------------------------------------------------------

def is_mirror(pod: dict) -> bool:
    return "kubernetes.io/config.mirror" in (pod["metadata"].get("annotations") or {})


def static_pod(cluster: Cluster, component: str, node: str, at: float) -> dict:
    """The mirror pod the kubelet publishes for /etc/kubernetes/manifests/<component>.yaml."""
    from engine.bootstrap import STATIC_IMAGES
    node_obj = cluster.get("Node", "", node)
    image = STATIC_IMAGES[component]
    if component != "etcd":                    # kubeadm upgrade apply rewrites these manifests
        image = image.rsplit(":", 1)[0] + ":" + cluster.meta.get("control_plane_version", "v1.20.2")
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


# -- services stopped and started (systemctl) ------------------------------------------------------

CONTROL_PLANE = "m-k8s"
API_RESTART = 40.0       # docker back on m-k8s -> kube-apiserver answers again (30-60 s on the lab VMs)
SANDBOX_CHANGED = "Pod sandbox changed, it will be killed and re-created."


def api_up(cluster: Cluster) -> bool:
    return cluster.meta.get("api_up", True)


def kubelet_switched(cluster: Cluster, node: str, running: bool) -> None:
    """The kubelet stopped or started. Stopping leaves the containers running under docker; the
    node lifecycle controller notices the silence (engine/controllers/nodelifecycle.py)."""
    if running:
        _control_plane_may_return(cluster, node)


def runtime_switched(cluster: Cluster, node: str, running: bool) -> None:
    """docker stopped or started. Stopping kills every container on the node (no live-restore);
    on m-k8s that includes the API server, so kubectl is refused from now on."""
    host = cluster.host(node)
    if running:
        _control_plane_may_return(cluster, node)
        return
    lost = {p["metadata"]["uid"] for p in cluster.iter("Pod") if p["spec"].get("nodeName") == node
            and any((cs.get("state") or {}).get("running") for cs in p["status"].get("containerStatuses") or ())}
    host["containers_lost"] = sorted(set(host.get("containers_lost") or ()) | lost)
    if node == CONTROL_PLANE:
        cluster.meta["api_up"] = False


def _control_plane_may_return(cluster: Cluster, node: str) -> None:
    """With docker and the kubelet both up on m-k8s, the kubelet restarts the static pods."""
    host = cluster.host(node)
    if node == CONTROL_PLANE and not api_up(cluster) and host["kubelet"] and host["docker"]:
        cluster.schedule(API_RESTART, "kubelet.control_plane_up", _last_switch(host))


def _last_switch(host: dict) -> float:
    return max(host.get("kubelet_changed", 0.0), host.get("docker_changed", 0.0))


def control_plane_up(cluster: Cluster, switched_at: float) -> None:
    host = cluster.host(CONTROL_PLANE)
    if api_up(cluster) or not (host["kubelet"] and host["docker"]) or _last_switch(host) != switched_at:
        return                                  # a later stop/start superseded this restart
    cluster.meta["api_up"] = True
    cluster.meta["api_up_since"] = cluster.now
    for node, facts in cluster.meta["hosts"].items():
        if facts["kubelet"] and facts["docker"]:
            resume(cluster, node)


def resume(cluster: Cluster, node: str) -> None:
    """The kubelet (re)connects with a working runtime: finish deletions it could not confirm,
    start pods bound while it was away, restart containers docker lost, report pods ready again."""
    host = cluster.host(node)
    lost = set(host.pop("containers_lost", None) or ())
    for pod in [p for p in cluster.iter("Pod") if p["spec"].get("nodeName") == node]:
        md, st = pod["metadata"], pod["status"]
        ref = pod_ref(pod)
        if md.get("deletionTimestamp"):
            if is_mirror(pod):
                recreate_mirror(cluster, pod)
            else:
                cluster.cancel("kubelet.kill", *ref)
                terminate(cluster, pod)
        elif not st.get("containerStatuses"):
            cluster.cancel("kubelet.sync", *ref)
            cluster.schedule(SYNC_DELAY, "kubelet.sync", *ref)
        elif any((cs.get("state") or {}).get("waiting", {}).get("reason") in ("ErrImagePull", "ImagePullBackOff")
                 for cs in st["containerStatuses"]):
            cluster.cancel("kubelet.pull_retry", *ref, 1)
            cluster.schedule(SYNC_DELAY, "kubelet.pull_retry", *ref, 1)    # a new kubelet forgets the back-off
        elif any((cs.get("state") or {}).get("waiting", {}).get("reason") == "ContainerCreating"
                 for cs in st["containerStatuses"]):
            cluster.cancel("kubelet.started", *ref)
            cluster.schedule(START_DELAY, "kubelet.started", *ref)
        elif md["uid"] in lost:
            _new_sandbox(cluster, pod, node)
        elif container_exit.resume(cluster, pod):
            continue
        elif not _pod_ready(pod) and all(cs.get("ready") for cs in st["containerStatuses"]):
            for cond in st.get("conditions") or ():     # the node controller had marked it not ready
                if cond["type"] in ("Ready", "ContainersReady") and cond["status"] != "True":
                    cond.update(status="True", lastTransitionTime=cluster.stamp())
                    cond.pop("reason", None)
            cluster.update(pod)


def _pod_ready(pod: dict) -> bool:
    return any(c["type"] == "Ready" and c["status"] == "True" for c in pod["status"].get("conditions") or ())


def _new_sandbox(cluster: Cluster, pod: dict, node: str) -> None:
    """docker came back: the pod's containers are re-created in a new sandbox, RESTARTS +1."""
    cluster.event(pod, "SandboxChanged", SANDBOX_CHANGED, "kubelet", host=node)
    old = {cs["name"]: cs for cs in pod["status"].get("containerStatuses") or ()}
    for c in pod["spec"]["containers"]:
        path = f"spec.containers{{{c['name']}}}"
        cluster.event(pod, "Pulled", f'Container image "{c["image"]}" already present on machine', "kubelet",
                      host=node, field_path=path)
        cluster.event(pod, "Created", f"Created container {c['name']}", "kubelet", host=node, field_path=path)
        cluster.event(pod, "Started", f"Started container {c['name']}", "kubelet", host=node, field_path=path)
    ip = cluster.host(node)["ip"] if pod["spec"].get("hostNetwork") else netplan.next_pod_ip(cluster, node)
    running_status(cluster, pod, node, ip, cluster.now)
    container_exit.schedule_exits(cluster, pod)
    for cs in pod["status"]["containerStatuses"]:
        before = old.get(cs["name"]) or {}
        cs["restartCount"] = before.get("restartCount", 0) + 1
        started = ((before.get("state") or {}).get("running") or {}).get("startedAt")
        if started:
            cs["lastState"] = {"terminated": {"containerID": before.get("containerID", ""), "exitCode": 0,
                                              "finishedAt": cluster.stamp(), "reason": "Completed",
                                              "startedAt": started}}
    cluster.update(pod)


# -- images that cannot be pulled -------------------------------------------------------------------

PULL_FAILS_AFTER = 1.5       # the registry refuses quickly
BACKOFF_NOTICE = 1.0         # the pod worker's next sync shows ImagePullBackOff
BACKOFF_FIRST, BACKOFF_MAX = 10.0, 300.0


def missing_images(pod: dict) -> list[dict]:
    """Containers whose image is not in the catalogue (content/images.yaml)."""
    return [c for c in pod["spec"]["containers"] if not images.exists(c["image"])]


def pull_error(image: str) -> str:
    """dockerd's (docker-ce 19.03) refusal, as the kubelet wraps it."""
    repo, tag = images.split(image)
    if images.entry(image) is not None:
        why = f"manifest for {repo}:{tag} not found: manifest unknown: manifest unknown"
    else:
        why = (f"pull access denied for {repo}, repository does not exist or may require 'docker login': "
               "denied: requested access to the resource is denied")
    return f"rpc error: code = Unknown desc = Error response from daemon: {why}"


def pull_backoff_seconds(attempt: int) -> float:
    return min(BACKOFF_FIRST * 2 ** (attempt - 1), BACKOFF_MAX)


def _pulling_pod(cluster: Cluster, ns: str, name: str, uid: str) -> dict | None:
    pod = find_pod(cluster, ns, name, uid)
    if pod is None or pod["metadata"].get("deletionTimestamp") or not api_up(cluster):
        return None
    return pod if _host_up(cluster, pod["spec"].get("nodeName")) else None


def _waiting(pod: dict, container: str, reason: str, message: str) -> None:
    for cs in pod["status"].get("containerStatuses") or ():
        if cs["name"] == container:
            cs["state"] = {"waiting": {"message": message, "reason": reason}}


def _report_pull(cluster: Cluster, pod: dict, state: str, step) -> None:
    """One step of a failing pull, per missing image: the kubelet's event, `Error: <state>`, and the
    container's waiting state. `step(container)` gives (reason, type, message, waiting message)."""
    node = pod["spec"]["nodeName"]
    for c in missing_images(pod):
        path = f"spec.containers{{{c['name']}}}"
        reason, type_, message, waiting = step(c)
        cluster.event(pod, reason, message, "kubelet", type_=type_, host=node, field_path=path)
        cluster.event(pod, "Failed", f"Error: {state}", "kubelet", type_="Warning", host=node, field_path=path)
        _waiting(pod, c["name"], state, waiting)
    cluster.update(pod)


def pull_failed(cluster: Cluster, ns: str, name: str, uid: str, attempt: int) -> None:
    pod = _pulling_pod(cluster, ns, name, uid)
    if pod is None:
        return

    def failed(c: dict) -> tuple[str, str, str, str]:
        error = pull_error(c["image"])
        return "Failed", "Warning", f'Failed to pull image "{c["image"]}": {error}', error
    _report_pull(cluster, pod, "ErrImagePull", failed)
    cluster.schedule(BACKOFF_NOTICE, "kubelet.pull_backoff", ns, name, uid, attempt)


def pull_backoff(cluster: Cluster, ns: str, name: str, uid: str, attempt: int) -> None:
    pod = _pulling_pod(cluster, ns, name, uid)
    if pod is None:
        return

    def backoff(c: dict) -> tuple[str, str, str, str]:
        message = f'Back-off pulling image "{c["image"]}"'
        return "BackOff", "Normal", message, message
    _report_pull(cluster, pod, "ImagePullBackOff", backoff)
    cluster.schedule(pull_backoff_seconds(attempt) - BACKOFF_NOTICE, "kubelet.pull_retry", ns, name, uid, attempt + 1)


# -- idle back-off cycles, skipped analytically ---------------------------------------------------------
# At the maximum back-off a failing pull repeats one cycle for ever: Pulling, ErrImagePull 1.5 s later,
# ImagePullBackOff 1 s after that, the next try 299 s on. Every cycle ends as it began except for the
# events' counts, so `!wait 24h` need not replay ~290 cycles per pod: whole cycles before anything
# else is due are counted at once, and only the last one runs for real (its timestamps, its state).
PULL_TIMERS = ("kubelet.pull_retry", "kubelet.pull_failed", "kubelet.pull_backoff")
BACKOFF_PERIOD = PULL_FAILS_AFTER + BACKOFF_MAX


def skip_backoff_cycles(cluster: Cluster, target: float) -> None:
    """Move every pod at the maximum back-off to its last cycle before `target` (or before the first
    other timer, which may change anything), counting the skipped cycles' events and versions."""
    steady, horizon = [], target
    for timer in cluster.clock.pending():
        if timer.event in PULL_TIMERS and pull_backoff_seconds(timer.key[3]) >= BACKOFF_MAX:
            steady.append(timer)
        else:
            horizon = min(horizon, timer.due)
    moved: dict[Timer, Timer] = {}
    booked = 0
    for timer in steady:
        skip = int((horizon - timer.due) // BACKOFF_PERIOD) - 1      # the last whole cycle runs for real
        if skip < 1:
            continue
        pod = _pulling_pod(cluster, *timer.key[:3])
        keys = _cycle_events(cluster, pod) if pod is not None else None
        if not keys:
            continue                                            # not steady after all: replay it
        for key, per_cycle in keys.items():
            event = cluster._events[key]
            event["count"] += per_cycle * skip
            cluster.touch(event)
        cluster.meta["rv"] += skip * (sum(keys.values()) + 2)  # each event repeat and pod update is a write
        booked += skip * len(PULL_TIMERS)                       # each cycle books its three timers
        ns, name, uid, attempt = timer.key
        moved[timer] = dataclasses.replace(timer, due=timer.due + skip * BACKOFF_PERIOD,
                                           key=(ns, name, uid, attempt + skip))
    cluster.clock.move(moved, booked)


def _cycle_events(cluster: Cluster, pod: dict) -> dict[tuple, int] | None:
    """The events one back-off cycle repeats for this pod (key -> repeats), if all exist already."""
    if cluster._events is None:
        cluster._events = {_event_key(e): e for e in cluster.by_kind.get("Event", {}).values()}
    uid = pod["metadata"]["uid"]
    keys: dict[tuple, int] = {}
    for c in missing_images(pod):
        for reason, message in (("Pulling", f'Pulling image "{c["image"]}"'),
                                ("Failed", f'Failed to pull image "{c["image"]}": {pull_error(c["image"])}'),
                                ("Failed", "Error: ErrImagePull"),
                                ("BackOff", f'Back-off pulling image "{c["image"]}"'),
                                ("Failed", "Error: ImagePullBackOff")):
            key = (uid, reason, message, "kubelet")
            keys[key] = keys.get(key, 0) + 1
    if not keys or any(key not in cluster._events for key in keys):
        return None
    return keys


def pull_retry(cluster: Cluster, ns: str, name: str, uid: str, attempt: int) -> None:
    pod = _pulling_pod(cluster, ns, name, uid)
    if pod is None:
        return
    node = pod["spec"]["nodeName"]
    for c in missing_images(pod):
        cluster.event(pod, "Pulling", f'Pulling image "{c["image"]}"', "kubelet", host=node,
                      field_path=f"spec.containers{{{c['name']}}}")
    cluster.schedule(PULL_FAILS_AFTER, "kubelet.pull_failed", ns, name, uid, attempt)
