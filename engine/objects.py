"""Object builders and the defaults the 1.20 API server fills in."""
from __future__ import annotations

import copy
import re
from typing import Any

Obj = dict[str, Any]

DEFAULT_TOLERATIONS = [
    {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300},
    {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists", "tolerationSeconds": 300},
]
SA_MOUNT = "/var/run/secrets/kubernetes.io/serviceaccount"


def pull_policy(image: str) -> str:
    """`:latest` or no tag -> Always, any other tag -> IfNotPresent (digests count as tags)."""
    last = image.rsplit("/", 1)[-1]
    if "@" in last:
        return "IfNotPresent"
    tag = last.split(":", 1)[1] if ":" in last else ""
    return "Always" if tag in ("", "latest") else "IfNotPresent"


def image_base(image: str) -> str:
    """Container name kubectl derives from an image: `sysnet4admin/chk-hn:v1` -> `chk-hn`."""
    last = image.rsplit("/", 1)[-1]
    return re.split(r"[:@]", last, maxsplit=1)[0]


def default_container(c: dict) -> dict:
    c.setdefault("imagePullPolicy", pull_policy(c.get("image", "")))
    c.setdefault("resources", {})
    c.setdefault("terminationMessagePath", "/dev/termination-log")
    c.setdefault("terminationMessagePolicy", "File")
    for p in c.get("ports") or ():
        p.setdefault("protocol", "TCP")
    return c


def default_pod_template_spec(spec: dict) -> dict:
    """Defaults of a PodSpec inside a workload template (no SA volume, no tolerations yet)."""
    for c in spec.get("containers") or ():
        default_container(c)
    spec.setdefault("dnsPolicy", "ClusterFirst")
    spec.setdefault("restartPolicy", "Always")
    spec.setdefault("schedulerName", "default-scheduler")
    spec.setdefault("securityContext", {})
    spec.setdefault("terminationGracePeriodSeconds", 30)
    if "serviceAccountName" in spec:
        spec.setdefault("serviceAccount", spec["serviceAccountName"])
    return spec


def default_pod_spec(spec: dict, token_secret: str) -> dict:
    """What admission adds to a pod: SA token volume, default tolerations, priority."""
    default_pod_template_spec(spec)
    sa = spec.get("serviceAccountName") or spec.get("serviceAccount") or "default"
    spec["serviceAccountName"] = sa
    spec["serviceAccount"] = sa
    spec.setdefault("enableServiceLinks", True)
    spec.setdefault("preemptionPolicy", "PreemptLowerPriority")
    spec.setdefault("priority", 2000000000 if spec.get("priorityClassName") == "system-cluster-critical"
                    else 2000001000 if spec.get("priorityClassName") == "system-node-critical" else 0)
    tolerations = spec.setdefault("tolerations", [])
    for t in DEFAULT_TOLERATIONS:
        if not any(x.get("key") == t["key"] and x.get("effect") in (t["effect"], None) for x in tolerations):
            tolerations.append(dict(t))
    volumes = spec.setdefault("volumes", [])
    if not any(v.get("name") == token_secret for v in volumes):
        volumes.append({"name": token_secret, "secret": {"defaultMode": 420, "secretName": token_secret}})
    for c in spec.get("containers") or ():
        mounts = c.setdefault("volumeMounts", [])
        if not any(m.get("mountPath") == SA_MOUNT for m in mounts):
            mounts.append({"mountPath": SA_MOUNT, "name": token_secret, "readOnly": True})
    return spec


def new_pod_object(name: str, namespace: str, image: str, labels: dict[str, str], port: int | None = None) -> Obj:
    """`kubectl run NAME --image=IMG` before the server adds anything."""
    container: dict[str, Any] = {"image": image, "name": name, "resources": {}}
    if port is not None:
        container["ports"] = [{"containerPort": port}]
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"labels": dict(labels), "name": name, "namespace": namespace},
            "spec": {"containers": [container], "dnsPolicy": "ClusterFirst", "restartPolicy": "Always"},
            "status": {}}


def pod_from_template(template: dict, namespace: str, labels_extra: dict | None = None) -> Obj:
    tmpl = copy.deepcopy(template)
    md = tmpl.get("metadata") or {}
    labels = dict(md.get("labels") or {})
    labels.update(labels_extra or {})
    pod_md: dict[str, Any] = {"labels": labels, "namespace": namespace}
    if md.get("annotations"):
        pod_md["annotations"] = dict(md["annotations"])
    return {"apiVersion": "v1", "kind": "Pod", "metadata": pod_md, "spec": tmpl.get("spec") or {}, "status": {}}


def new_service_object(name: str, namespace: str, *, svc_type: str, ports: list[dict],
                       selector: dict | None, labels: dict | None) -> Obj:
    spec: dict[str, Any] = {"ports": ports, "sessionAffinity": "None", "type": svc_type}
    if selector:
        spec["selector"] = dict(selector)
    if svc_type in ("NodePort", "LoadBalancer"):
        spec["externalTrafficPolicy"] = "Cluster"
    md: dict[str, Any] = {"name": name, "namespace": namespace}
    if labels:
        md["labels"] = dict(labels)
    return {"apiVersion": "v1", "kind": "Service", "metadata": md, "spec": spec,
            "status": {"loadBalancer": {}}}


def default_template(obj: Obj) -> Obj:
    """A workload's pod template as the server stores it, and its first generation."""
    template = obj["spec"].setdefault("template", {})
    default_pod_template_spec(template.setdefault("spec", {}))
    template.setdefault("metadata", {}).setdefault("creationTimestamp", None)
    obj["metadata"].setdefault("generation", 1)
    return obj


def deployment_defaults(dep: Obj) -> Obj:
    spec = dep.setdefault("spec", {})
    spec.setdefault("replicas", 1)
    spec.setdefault("progressDeadlineSeconds", 600)
    spec.setdefault("revisionHistoryLimit", 10)
    strategy = spec.get("strategy") or {}
    strategy.setdefault("type", "RollingUpdate")      # SetDefaults_Deployment, field by field
    if strategy["type"] == "RollingUpdate":
        rolling = strategy.get("rollingUpdate") or {}
        rolling.setdefault("maxUnavailable", "25%")
        rolling.setdefault("maxSurge", "25%")
        strategy["rollingUpdate"] = rolling
    spec["strategy"] = strategy
    default_pod_template_spec(spec["template"].setdefault("spec", {}))
    spec["template"].setdefault("metadata", {}).setdefault("creationTimestamp", None)
    dep["metadata"].setdefault("generation", 1)
    return dep
