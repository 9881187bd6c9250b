"""The lab check vocabulary: small YAML mappings judged against a sandbox's state, never the words typed.

One check is a mapping with exactly one *subject* key and some *assertions*:

    {object: deployment/chk-hn, ready_replicas: 3}
    {object: service/chk-hn, type: LoadBalancer, external_ip: true}
    {object: node/w1-k8s, status: NotReady}
    {object: pod/kube-scheduler-m-k8s, namespace: kube-system, status: Running, recreated: true}
    {absent: pod/del-pod}
    {pods: {selector: app=del-deploy}, count: 3, running: true, replaced: true}
    {host: w1-k8s, kubelet: stopped}
    {services: {type: LoadBalancer, prefix: lb, external_ip: false}, min: 1}
    {did: {run: 'exec .*dnsutils.* nslookup +kubernetes', out: 'kubernetes.default.svc'}, what: …}
    {any: [check, check, …]}

A step's `check` is one check or a list of checks that must all hold. Some assertions compare with
the state when the step began (`recreated`, `replaced`, pods `new: true`) or when the lab began
(`fresh: true`: created after `!lab start`): the session keeps those *baselines* (uids) from
`baseline(cluster)`. `did:` judges the lab's command log (bot/labs/evidence.py): what the student
ran and what it answered. A check is a pure function of (cluster state, evidence), so it can run
wherever the sandbox lives.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from bot.labs import evidence as ev
from bot.labs.check_schema import WORKERS, validate  # noqa: F401  (validate: the vocabulary's door)
from bot.labs.check_schema import ref as parse_ref
from bot.labs.evidence import Evidence
from engine import upgrade
from engine.cluster import Cluster
from engine.kubectl import selectors
from engine.kubectl.columns import node_status, pod_ready, pod_status, service_external_ip
from engine.kubectl.resources import resolve

BASELINE_KINDS = ("Pod", "Deployment", "ReplicaSet", "DaemonSet", "Service", "Namespace", "ConfigMap",
                  "PersistentVolume", "PersistentVolumeClaim")


@dataclass(frozen=True)
class Outcome:
    ok: bool
    detail: str = ""      # what is not true yet, in kubectl's words (language-neutral)
    # A sentence of our own instead: its message key (content/messages) and the values it names.
    key: str | None = None
    params: tuple[tuple[str, str], ...] = ()
    alternatives: tuple["Outcome", ...] = ()      # `any:` that failed every way: each one's detail

    def text(self, t, lang: str) -> str:
        """The detail in `lang` (`t` is bot.i18n.t)."""
        if self.alternatives:
            return " | ".join(o.text(t, lang) for o in self.alternatives)
        return t(lang, self.key, **dict(self.params)) if self.key else self.detail


def _no(detail: str, key: str, **params: Any) -> Outcome:
    """A failed check worded by the catalogue (`detail` is its English form, for logs and tests)."""
    return Outcome(False, detail, key, tuple((k, str(v)) for k, v in params.items()))


# -- baseline --------------------------------------------------------------------------------------

def baseline(cluster: Cluster) -> list[str]:
    """The uids that exist when a lab or a step begins (pods, workloads, services, storage), for
    `recreated`, `replaced`, `new` and `fresh`."""
    return sorted(o["metadata"]["uid"] for kind in BASELINE_KINDS
                  for o in cluster.iter(kind) if o["metadata"].get("uid"))


# -- evaluation ------------------------------------------------------------------------------------

def evaluate(check: Any, cluster: Cluster, evidence: Evidence | list[str] | tuple = ()) -> Outcome:
    """Judge `check`; `evidence` is an Evidence, or just the step's baseline uids."""
    if not isinstance(evidence, Evidence):
        evidence = Evidence(before=frozenset(evidence))
    if isinstance(check, list):
        for c in check:
            out = evaluate(c, cluster, evidence)
            if not out.ok:
                return out
        return Outcome(True)
    if "any" in check:
        outcomes = [evaluate(c, cluster, evidence) for c in check["any"]]
        if any(o.ok for o in outcomes):
            return Outcome(True)
        return Outcome(False, " | ".join(o.detail for o in outcomes), alternatives=tuple(outcomes))
    if "object" in check:
        return _object(check, cluster, evidence)
    if "absent" in check:
        kind, name = parse_ref(check["absent"])
        obj = _get(cluster, kind, name, check.get("namespace"))
        return Outcome(True) if obj is None else _no(f"{check['absent']} still exists", "lab_detail_still_exists", ref=check["absent"])
    if "pods" in check:
        return _pods(check, cluster, evidence)
    if "services" in check:
        return _services(check, cluster)
    if "host" in check:
        return _host(check, cluster)
    if "did" in check:
        return _did(check, evidence)
    raise ValueError(f"not a valid check: {check!r}")


def _get(cluster: Cluster, kind: str, name: str, namespace: str | None) -> dict | None:
    namespaced = resolve(kind.lower()).namespaced
    return cluster.get(kind, (namespace or "default") if namespaced else "", name)


def _image(obj: dict) -> str:
    spec = obj["spec"].get("template", {}).get("spec") if "template" in obj.get("spec", {}) else obj["spec"]
    containers = (spec or {}).get("containers") or ()
    return containers[0].get("image", "") if containers else ""


def same_image(have: str, want: str) -> bool:
    """`nginx`, `nginx:latest` and `docker.io/library/nginx` are one image; `nginx:1.16.0` is not `nginx`."""
    def norm(ref: str) -> str:
        ref = ref.strip()
        for prefix in ("docker.io/library/", "docker.io/", "library/"):
            if ref.startswith(prefix):
                ref = ref[len(prefix):]
        return ref if ":" in ref.rsplit("/", 1)[-1] or "@" in ref else ref + ":latest"
    return norm(have) == norm(want)


def _status_of(obj: dict) -> str:
    if obj["kind"] == "Pod":
        return pod_status(obj)
    if obj["kind"] == "Node":
        return node_status(obj)
    return (obj.get("status") or {}).get("phase", "")


def _want(value: Any) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _endpoint_count(cluster: Cluster, svc: dict) -> int:
    ep = cluster.get("Endpoints", svc["metadata"].get("namespace", "default"), svc["metadata"]["name"])
    return sum(len(s.get("addresses") or ()) for s in (ep or {}).get("subsets") or ())


def _first_port(spec: dict) -> dict:
    return (spec.get("ports") or [{}])[0]


def _object(check: dict, cluster: Cluster, evidence: Evidence) -> Outcome:
    ref = check["object"]
    kind, name = parse_ref(ref)
    obj = _get(cluster, kind, name, check.get("namespace"))
    if obj is None:
        return Outcome(True) if check.get("exists") is False else _no(f"{ref} not found", "lab_detail_not_found", ref=ref)
    if check.get("exists") is False:
        return _no(f"{ref} still exists", "lab_detail_still_exists", ref=ref)
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    facts: dict[str, Callable[[], Any]] = {
        "status": lambda: _status_of(obj),
        "replicas": lambda: spec.get("replicas"),
        "ready_replicas": lambda: status.get("readyReplicas", 0),
        "updated_replicas": lambda: status.get("updatedReplicas", 0),
        "available_replicas": lambda: status.get("availableReplicas", 0),
        "type": lambda: spec.get("type", "ClusterIP"),
        "cluster_ip": lambda: spec.get("clusterIP"),
        "endpoints": lambda: _endpoint_count(cluster, obj),
        "image": lambda: _image(obj),
        "port": lambda: _first_port(spec).get("port"),
        "target_port": lambda: _first_port(spec).get("targetPort", _first_port(spec).get("port")),
        "node": lambda: spec.get("nodeName"),
        "version": lambda: status.get("nodeInfo", {}).get("kubeletVersion"),
        "volume": lambda: spec.get("volumeName"),
    }
    for key, want in check.items():
        if key in ("object", "namespace", "exists"):
            continue
        if key == "external_ip":
            ip = service_external_ip(obj, True) if spec.get("type") == "LoadBalancer" else "<none>"
            has = ip not in ("<pending>", "<none>")
            ok = has == want if isinstance(want, bool) else ip == want
            if not ok:
                return Outcome(False, f"{ref}: EXTERNAL-IP {ip}")
        elif key == "node_port":
            has = any(p.get("nodePort") for p in spec.get("ports") or ())
            if has != want:
                return _no(f"{ref}: {'no' if not has else 'a'} node port", "lab_detail_node_port" if has else "lab_detail_no_node_port", ref=ref)
        elif key == "on_worker":
            node = spec.get("nodeName")
            if (node in WORKERS) != want:
                return Outcome(False, f"{ref}: NODE {node or '<none>'}")
        elif key == "recreated":
            if (obj["metadata"].get("uid") not in evidence.before) != want:
                return _no(f"{ref}: still the same object", "lab_detail_same_object", ref=ref)
        elif key == "fresh":
            if (obj["metadata"].get("uid") not in evidence.at_start) != want:
                return Outcome(False, f"{ref}: made before this lab started", "lab_detail_not_fresh", (("ref", ref),))
        elif key == "image":
            if not same_image(_image(obj), want):
                return _no(f"{ref}: image {_image(obj) or '<none>'} (want {want})", "lab_detail_want", what=f"{ref}: image", have=_image(obj) or "<none>", want=want)
        else:
            have = facts[key]()
            ok = have in _want(want) if key == "status" else have == want
            if not ok:
                return _no(f"{ref}: {key} {have if have is not None else '<none>'} (want {want})", "lab_detail_want", what=f"{ref}: {key}", have=have if have is not None else "<none>", want=want)
    return Outcome(True)


def _matching_pods(spec: dict, cluster: Cluster, evidence: Evidence) -> list[dict]:
    match = selectors.parse(spec["selector"]) if spec.get("selector") else (lambda labels: True)
    pods = []
    for pod in cluster.list("Pod", spec.get("namespace", "default")):
        md = pod["metadata"]
        if not match(md.get("labels") or {}) or not md["name"].startswith(spec.get("prefix", "")):
            continue
        if "node" in spec and pod["spec"].get("nodeName") != spec["node"]:
            continue
        if "status" in spec and pod_status(pod) not in _want(spec["status"]):
            continue
        if "new" in spec and (md.get("uid") not in evidence.before) != spec["new"]:
            continue
        if "fresh" in spec and (md.get("uid") not in evidence.at_start) != spec["fresh"]:
            continue
        if "image" in spec and not same_image(_image(pod), spec["image"]):
            continue
        pods.append(pod)
    return pods


def _running(pod: dict) -> bool:
    ready, _, total = pod_ready(pod).partition("/")
    return pod_status(pod) == "Running" and ready == total


def _counted(check: dict, n: int, what: str) -> Outcome:
    if "count" in check and n != check["count"]:
        return _no(f"{what}: {n} (want {check['count']})", "lab_detail_want", what=f"{what}:", have=n, want=check["count"])
    if "min" in check and n < check["min"]:
        return _no(f"{what}: {n} (want at least {check['min']})", "lab_detail_at_least", what=what, have=n, want=check["min"])
    if "max" in check and n > check["max"]:
        return _no(f"{what}: {n} (want at most {check['max']})", "lab_detail_at_most", what=what, have=n, want=check["max"])
    return Outcome(True)


def _pods(check: dict, cluster: Cluster, evidence: Evidence) -> Outcome:
    spec = check["pods"]
    pods = _matching_pods(spec, cluster, evidence)
    n = len(pods)
    what = "pods " + ", ".join(f"{k}={v}" for k, v in spec.items())
    if not (counted := _counted(check, n, what)).ok:
        return counted
    if check.get("running") is not None:
        not_running = [p["metadata"]["name"] for p in pods if not _running(p)]
        if check["running"] and not_running:
            return _no(f"{what}: not Running yet: {', '.join(not_running)}", "lab_detail_not_running", what=what, pods=", ".join(not_running))
        if not check["running"] and len(not_running) != n:
            return _no(f"{what}: some are Running", "lab_detail_some_running", what=what)
    nodes = [p["spec"].get("nodeName") or "<none>" for p in pods]
    if "nodes" in check and (stray := sorted(set(nodes) - set(check["nodes"]))):
        return _no(f"{what}: on {', '.join(stray)}", "lab_detail_on_nodes", what=what, nodes=", ".join(stray))
    if "spread" in check and len(set(nodes) - {"<none>"}) < check["spread"]:
        return _no(f"{what}: on {len(set(nodes) - {'<none>'})} node(s) (want {check['spread']})", "lab_detail_spread", what=what, have=len(set(nodes) - {"<none>"}), want=check["spread"])
    if "replaced" in check:
        gone = evidence.before - set(baseline(cluster))
        fresh = [p for p in pods if p["metadata"].get("uid") not in evidence.before]
        if bool(gone and fresh) != check["replaced"]:
            return _no(f"{what}: no pod was replaced yet", "lab_detail_not_replaced", what=what)
    return Outcome(True)


def _host(check: dict, cluster: Cluster) -> Outcome:
    node = check["host"]
    facts = cluster.meta["hosts"].get(node) or {}
    for service in ("kubelet", "docker"):
        if service in check:
            state = "running" if facts.get(service) else "stopped"
            if state != check[service]:
                return Outcome(False, f"{node}: {service} {state}")
    if "kubelet_version" in check and facts.get("kubelet_version") != check["kubelet_version"]:
        return Outcome(False, f"{node}: kubelet {facts.get('kubelet_version')}")
    if "control_plane" in check and (have := upgrade.control_plane_version(cluster)) != check["control_plane"]:
        return _no(f"control plane {have} (want {check['control_plane']}: kubeadm upgrade apply)", "lab_detail_want",
                   what="control plane", have=have, want=f"{check['control_plane']} (kubeadm upgrade apply)")
    return Outcome(True)


def _services(check: dict, cluster: Cluster) -> Outcome:
    spec = check["services"]
    found = []
    for svc in cluster.list("Service", spec.get("namespace", "default")):
        if not svc["metadata"]["name"].startswith(spec.get("prefix", "")):
            continue
        if "type" in spec and svc["spec"].get("type", "ClusterIP") != spec["type"]:
            continue
        if "external_ip" in spec:
            ip = service_external_ip(svc, True)
            if (ip not in ("<pending>", "<none>")) != spec["external_ip"]:
                continue
        found.append(svc)
    return _counted(check, len(found), "services " + ", ".join(f"{k}={v}" for k, v in spec.items()))


def _did(check: dict, evidence: Evidence) -> Outcome:
    since = check.get("since", "lab")
    n = len(ev.done(check["did"], evidence, since))
    want = {k: check[k] for k in ("count", "min", "max") if k in check} or {"min": 1}
    if _counted(want, n, "").ok:
        return Outcome(True)
    what = check.get("what") or " ".join(f"{k}: {v}" for k, v in check["did"].items())
    return Outcome(False, f"not seen yet: {what}", f"lab_detail_not_seen_{since}", (("what", what),))
