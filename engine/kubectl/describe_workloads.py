"""`kubectl describe` for deployments, replica sets and daemon sets."""
from __future__ import annotations

from engine.cluster import Cluster
from engine.controllers.deployment import _owned_rs, _strip_hash
from engine.kubectl.columns import selector_string
from engine.kubectl.describe_pod import describe_template
from engine.kubectl.describe_writer import Writer, controller_string, format_labels, when


def describe_deployment(cluster: Cluster, dep: dict, events: list[dict] | None) -> str:
    md, spec, st = dep["metadata"], dep["spec"], dep.get("status") or {}
    w = Writer(cluster.now)
    w.write(0, f"Name:\t{md['name']}\n")
    w.write(0, f"Namespace:\t{md.get('namespace', '')}\n")
    w.write(0, f"CreationTimestamp:\t{when(md.get('creationTimestamp'))}\n")
    w.labels("Labels", md.get("labels"))
    w.annotations("Annotations", md.get("annotations"))
    w.write(0, f"Selector:\t{_selector(spec.get('selector'))}\n")
    w.write(0, f"Replicas:\t{spec.get('replicas', 1)} desired | {st.get('updatedReplicas', 0)} updated | "
               f"{st.get('replicas', 0)} total | {st.get('availableReplicas', 0)} available | "
               f"{st.get('unavailableReplicas', 0)} unavailable\n")
    strategy = spec.get("strategy") or {}
    w.write(0, f"StrategyType:\t{strategy.get('type', '')}\n")
    w.write(0, f"MinReadySeconds:\t{spec.get('minReadySeconds', 0)}\n")
    if strategy.get("rollingUpdate") is not None:
        ru = strategy["rollingUpdate"]
        w.write(0, f"RollingUpdateStrategy:\t{ru.get('maxUnavailable', '25%')} max unavailable, "
                   f"{ru.get('maxSurge', '25%')} max surge\n")
    describe_template(w, spec.get("template"))
    _conditions(w, st.get("conditions"))
    new, olds = _replica_sets(cluster, dep)
    if new is not None or olds:
        w.write(0, f"OldReplicaSets:\t{_rs_list(olds)}\n")
        w.write(0, f"NewReplicaSet:\t{_rs_list([new] if new else [])}\n")
    w.events(events)
    return w.text()


def _replica_sets(cluster: Cluster, dep: dict) -> tuple[dict | None, list[dict]]:
    """deploymentutil.GetAllReplicaSets: the one matching the template, and the old ones still scaled up."""
    rses = sorted(_owned_rs(cluster, dep), key=lambda rs: (rs["metadata"].get("creationTimestamp", ""),
                                                          rs["metadata"]["name"]))
    want = _strip_hash(dep["spec"]["template"])
    new = next((rs for rs in rses if _strip_hash(rs["spec"]["template"]) == want), None)
    olds = [rs for rs in rses if rs is not new and rs["spec"].get("replicas", 0) != 0]
    return new, olds


def _rs_list(rses: list[dict]) -> str:
    return ", ".join(f"{rs['metadata']['name']} ({(rs.get('status') or {}).get('replicas', 0)}/"
                     f"{rs['spec'].get('replicas', 0)} replicas created)" for rs in rses) or "<none>"


def _conditions(w: Writer, conditions: list[dict] | None) -> None:
    if not conditions:
        return
    w.write(0, "Conditions:\n  Type\tStatus\tReason\n")
    w.write(1, "----\t------\t------\n")
    for c in conditions:
        w.write(1, f"{c['type']} \t{c['status']}\t{c.get('reason', '')}\n")


def _selector(selector: dict | None) -> str:
    """LabelSelectorAsSelector(...).String(): empty for an empty selector."""
    text = selector_string(selector)
    return "" if text == "<none>" else text


def pods_status(cluster: Cluster, owner: dict) -> str:
    """getPodStatusForController: the owner's pods by phase."""
    uid = owner["metadata"]["uid"]
    counts = {"Running": 0, "Pending": 0, "Succeeded": 0, "Failed": 0}
    for pod in cluster.list("Pod", owner["metadata"].get("namespace")):
        if any(r.get("uid") == uid and r.get("controller") for r in pod["metadata"].get("ownerReferences") or ()):
            phase = (pod.get("status") or {}).get("phase")
            if phase in counts:
                counts[phase] += 1
    return (f"{counts['Running']} Running / {counts['Pending']} Waiting / {counts['Succeeded']} Succeeded / "
            f"{counts['Failed']} Failed")


def describe_replicaset(cluster: Cluster, rs: dict, events: list[dict] | None) -> str:
    md, spec, st = rs["metadata"], rs["spec"], rs.get("status") or {}
    w = Writer(cluster.now)
    w.write(0, f"Name:\t{md['name']}\n")
    w.write(0, f"Namespace:\t{md.get('namespace', '')}\n")
    w.write(0, f"Selector:\t{selector_string(spec.get('selector'))}\n")
    w.labels("Labels", md.get("labels"))
    w.annotations("Annotations", md.get("annotations"))
    if owner := controller_string(rs):
        w.write(0, f"Controlled By:\t{owner}\n")
    w.write(0, f"Replicas:\t{st.get('replicas', 0)} current / {spec.get('replicas', 1)} desired\n")
    w.write(0, f"Pods Status:\t{pods_status(cluster, rs)}\n")
    describe_template(w, spec.get("template"))
    _conditions(w, st.get("conditions"))
    w.events(events)
    return w.text()


def describe_daemonset(cluster: Cluster, ds: dict, events: list[dict] | None) -> str:
    md, spec, st = ds["metadata"], ds["spec"], ds.get("status") or {}
    w = Writer(cluster.now)
    w.write(0, f"Name:\t{md['name']}\n")
    w.write(0, f"Selector:\t{_selector(spec.get('selector'))}\n")
    node_selector = ((spec.get("template") or {}).get("spec") or {}).get("nodeSelector")
    w.write(0, f"Node-Selector:\t{format_labels(node_selector)}\n")
    w.labels("Labels", md.get("labels"))
    w.annotations("Annotations", md.get("annotations"))
    # These five lines have no tab in kubectl: they stay out of the alignment.
    w.write(0, f"Desired Number of Nodes Scheduled: {st.get('desiredNumberScheduled', 0)}\n")
    w.write(0, f"Current Number of Nodes Scheduled: {st.get('currentNumberScheduled', 0)}\n")
    w.write(0, f"Number of Nodes Scheduled with Up-to-date Pods: {st.get('updatedNumberScheduled', 0)}\n")
    w.write(0, f"Number of Nodes Scheduled with Available Pods: {st.get('numberAvailable', 0)}\n")
    w.write(0, f"Number of Nodes Misscheduled: {st.get('numberMisscheduled', 0)}\n")
    w.write(0, f"Pods Status:\t{pods_status(cluster, ds)}\n")
    describe_template(w, spec.get("template"))
    w.events(events)
    return w.text()
