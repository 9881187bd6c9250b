"""`kubectl get` columns per kind, as the 1.20 server's table printers define them.

Each kind has default columns and `-o wide` columns; a cell function derives from the object
(and the cluster's clock), never fetches. Shared cell rules live in small helpers.
"""
from __future__ import annotations

from typing import Callable

from engine.apiserver import registry
from engine.timefmt import age

Cell = Callable[[dict, float], str]


def _age(obj: dict, now: float) -> str:
    return age(now, obj["metadata"].get("creationTimestamp"))


def _name(obj: dict, now: float) -> str:
    return obj["metadata"]["name"]


def join_labels(labels: dict | None) -> str:
    if not labels:
        return "<none>"
    return ",".join(f"{k}={v}" for k, v in sorted(labels.items()))


# -- pods ------------------------------------------------------------------------------------------

def pod_status(pod: dict) -> str:
    st = pod.get("status") or {}
    reason = st.get("reason") or st.get("phase") or "Pending"
    initializing = False
    for cs in st.get("initContainerStatuses") or ():
        state = cs.get("state") or {}
        term = state.get("terminated")
        if term and term.get("exitCode") == 0:
            continue
        initializing = True
        if term:
            reason = "Init:" + (term.get("reason") or f"ExitCode:{term.get('exitCode')}")
        elif (state.get("waiting") or {}).get("reason") not in (None, "PodInitializing"):
            reason = "Init:" + state["waiting"]["reason"]
        break
    if not initializing:
        has_running = False
        for cs in reversed(st.get("containerStatuses") or ()):
            state = cs.get("state") or {}
            if (state.get("waiting") or {}).get("reason"):
                reason = state["waiting"]["reason"]
            elif (state.get("terminated") or {}).get("reason"):
                reason = state["terminated"]["reason"]
            elif state.get("terminated"):
                term = state["terminated"]
                reason = f"Signal:{term['signal']}" if term.get("signal") else f"ExitCode:{term.get('exitCode')}"
            elif cs.get("ready") and state.get("running"):
                has_running = True
        if reason == "Completed" and has_running:
            ready = any(c["type"] == "Ready" and c["status"] == "True" for c in st.get("conditions") or ())
            reason = "Running" if ready else "NotReady"
    if pod["metadata"].get("deletionTimestamp"):
        reason = "Unknown" if st.get("reason") == "NodeLost" else "Terminating"
    return reason


def pod_ready(pod: dict) -> str:
    statuses = (pod.get("status") or {}).get("containerStatuses") or ()
    ready = sum(1 for cs in statuses if cs.get("ready") and (cs.get("state") or {}).get("running"))
    return f"{ready}/{len(pod['spec'].get('containers') or ())}"


def pod_restarts(pod: dict) -> str:
    return str(sum(cs.get("restartCount", 0) for cs in (pod.get("status") or {}).get("containerStatuses") or ()))


def _pod_ip(pod: dict, now: float) -> str:
    ips = (pod.get("status") or {}).get("podIPs") or ()
    return ips[0]["ip"] if ips else "<none>"


def _readiness_gates(pod: dict, now: float) -> str:
    gates = pod["spec"].get("readinessGates") or ()
    if not gates:
        return "<none>"
    conds = {c["type"]: c["status"] for c in (pod.get("status") or {}).get("conditions") or ()}
    return f"{sum(1 for g in gates if conds.get(g['conditionType']) == 'True')}/{len(gates)}"


# -- nodes -----------------------------------------------------------------------------------------

def node_status(node: dict) -> str:
    ready = next((c for c in node["status"].get("conditions") or () if c["type"] == "Ready"), None)
    status = "Unknown" if ready is None else "Ready" if ready["status"] == "True" else "NotReady"
    if node["spec"].get("unschedulable"):
        status += ",SchedulingDisabled"
    return status


def node_roles(node: dict) -> str:
    roles = set()
    for k, v in (node["metadata"].get("labels") or {}).items():
        if k.startswith("node-role.kubernetes.io/"):
            roles.add(k.split("/", 1)[1])
        elif k == "kubernetes.io/role" and v:
            roles.add(v)
    return ",".join(sorted(roles)) or "<none>"


def _address(node: dict, kind: str) -> str:
    for a in node["status"].get("addresses") or ():
        if a["type"] == kind:
            return a["address"]
    return "<none>"


def _info(field: str) -> Cell:
    return lambda n, now: n["status"].get("nodeInfo", {}).get(field) or "<unknown>"


# -- services --------------------------------------------------------------------------------------

def service_external_ip(svc: dict, wide: bool) -> str:
    spec = svc["spec"]
    t = spec.get("type", "ClusterIP")
    external = list(spec.get("externalIPs") or ())
    if t in ("ClusterIP", "NodePort"):
        return ",".join(external) or "<none>"
    if t == "ExternalName":
        return spec.get("externalName", "")
    if t == "LoadBalancer":
        ingress = [i.get("ip") or i.get("hostname") for i in (svc.get("status") or {}).get("loadBalancer", {}).get("ingress") or ()]
        ips = ingress + external
        if not ips:
            return "<pending>"
        text = ",".join(ips)
        if not wide and len(text) > 16:
            text = text[:13] + "..."
        return text
    return "<unknown>"


def service_ports(svc: dict) -> str:
    parts = []
    for p in svc["spec"].get("ports") or ():
        proto = p.get("protocol", "TCP")
        parts.append(f"{p['port']}:{p['nodePort']}/{proto}" if p.get("nodePort") else f"{p['port']}/{proto}")
    return ",".join(parts) or "<none>"


def _cluster_ip(svc: dict, now: float) -> str:
    if svc["spec"].get("type") == "ExternalName":
        return "<none>"
    ips = svc["spec"].get("clusterIPs") or ([svc["spec"]["clusterIP"]] if svc["spec"].get("clusterIP") else [])
    return ips[0] if ips else "<none>"


# -- workloads --------------------------------------------------------------------------------------

def _containers(tmpl_spec: dict) -> str:
    return ",".join(c["name"] for c in tmpl_spec.get("containers") or ())


def _images(tmpl_spec: dict) -> str:
    return ",".join(c["image"] for c in tmpl_spec.get("containers") or ())


def selector_string(selector: dict | None) -> str:
    if not selector:
        return "<none>"
    parts = [f"{k}={v}" for k, v in sorted((selector.get("matchLabels") or {}).items())]
    for expr in selector.get("matchExpressions") or ():
        op = expr["operator"]
        if op in ("In", "NotIn"):
            parts.append(f"{expr['key']} {op.lower()} ({','.join(expr.get('values') or ())})")
        elif op == "Exists":
            parts.append(expr["key"])
        else:
            parts.append("!" + expr["key"])
    return ",".join(parts) or "<none>"


def _st(obj: dict, key: str) -> str:
    return str((obj.get("status") or {}).get(key, 0))


# -- endpoints ---------------------------------------------------------------------------------------

def endpoints_cell(ep: dict) -> str:
    subsets = ep.get("subsets")
    if not subsets:
        return "<none>"
    items = []
    for s in subsets:
        for a in s.get("addresses") or ():
            for p in s.get("ports") or ():
                items.append(f"{a['ip']}:{p['port']}")
    if len(items) > 3:
        return ",".join(items[:3]) + f" + {len(items) - 3} more..."
    return ",".join(items)


# -- events ------------------------------------------------------------------------------------------

def _event_last_seen(ev: dict, now: float) -> str:
    return age(now, ev.get("lastTimestamp") or ev.get("firstTimestamp"))


def _event_object(ev: dict, now: float) -> str:
    io = ev["involvedObject"]
    return f"{io['kind'].lower()}/{io['name']}"


def _event_source(ev: dict, now: float) -> str:
    src = ev.get("source") or {}
    comp = src.get("component", "")
    return f"{comp}, {src['host']}" if src.get("host") else comp


# -- persistent volumes ----------------------------------------------------------------------------

def _volume_phase(obj: dict, now: float) -> str:
    if obj["metadata"].get("deletionTimestamp"):
        return "Terminating"
    return (obj.get("status") or {}).get("phase", "")


def _pv_claim(pv: dict, now: float) -> str:
    ref = pv["spec"].get("claimRef")
    return f"{ref.get('namespace', '')}/{ref.get('name', '')}" if ref else ""


def _pvc_bound(pvc: dict, key: str) -> str:
    """VOLUME, CAPACITY and ACCESS MODES come from the volume, so they stay blank until bound."""
    from engine.controllers.pvbinder import access_modes
    st = pvc.get("status") or {}
    if key == "volume":
        return pvc["spec"].get("volumeName", "") if st.get("phase") == "Bound" else ""
    if key == "capacity":
        return str((st.get("capacity") or {}).get("storage", ""))
    return access_modes(st.get("accessModes"))


def _volume_mode(obj: dict, now: float) -> str:
    return obj["spec"].get("volumeMode") or "<unset>"


def _pv_access(pv: dict, now: float) -> str:
    from engine.controllers.pvbinder import access_modes
    return access_modes(pv["spec"].get("accessModes"))


# -- RBAC and pod security policies ------------------------------------------------------------------

def _created_at(obj: dict, now: float) -> str:
    """Roles print their creation time (RFC 3339, UTC), not an age."""
    return obj["metadata"].get("creationTimestamp") or ""


def _subjects(kind: str) -> Cell:
    def cell(binding: dict, now: float) -> str:
        names = []
        for s in binding.get("subjects") or ():
            if s.get("kind") == kind:
                names.append(f"{s.get('namespace', '')}/{s.get('name', '')}" if kind == "ServiceAccount"
                             else s.get("name", ""))
        return ", ".join(names)
    return cell


def _role_ref(binding: dict, now: float) -> str:
    ref = binding.get("roleRef") or {}
    return f"{ref.get('kind', '')}/{ref.get('name', '')}"


def _psp(field: str) -> Cell:
    return lambda o, n: str(((o.get("spec") or {}).get(field) or {}).get("rule", ""))


def _go_bool(value) -> str:
    return "true" if value else "false"


ROLE_COLUMNS = ([("NAME", _name), ("CREATED AT", _created_at)], [])
BINDING_COLUMNS = ([("NAME", _name), ("ROLE", _role_ref), ("AGE", _age)],
                   [("USERS", _subjects("User")), ("GROUPS", _subjects("Group")),
                    ("SERVICEACCOUNTS", _subjects("ServiceAccount"))])


# -- the table ---------------------------------------------------------------------------------------

COLUMNS: dict[str, tuple[list[tuple[str, Cell]], list[tuple[str, Cell]]]] = {
    "Pod": ([("NAME", _name), ("READY", lambda p, n: pod_ready(p)), ("STATUS", lambda p, n: pod_status(p)),
             ("RESTARTS", lambda p, n: pod_restarts(p)), ("AGE", _age)],
            [("IP", _pod_ip), ("NODE", lambda p, n: p["spec"].get("nodeName") or "<none>"),
             ("NOMINATED NODE", lambda p, n: (p.get("status") or {}).get("nominatedNodeName") or "<none>"),
             ("READINESS GATES", _readiness_gates)]),
    "Node": ([("NAME", _name), ("STATUS", lambda o, n: node_status(o)), ("ROLES", lambda o, n: node_roles(o)),
              ("AGE", _age), ("VERSION", lambda o, n: o["status"]["nodeInfo"]["kubeletVersion"])],
             [("INTERNAL-IP", lambda o, n: _address(o, "InternalIP")),
              ("EXTERNAL-IP", lambda o, n: _address(o, "ExternalIP")), ("OS-IMAGE", _info("osImage")),
              ("KERNEL-VERSION", _info("kernelVersion")), ("CONTAINER-RUNTIME", _info("containerRuntimeVersion"))]),
    "Service": ([("NAME", _name), ("TYPE", lambda o, n: o["spec"].get("type", "ClusterIP")),
                 ("CLUSTER-IP", _cluster_ip), ("EXTERNAL-IP", lambda o, n: service_external_ip(o, False)),
                 ("PORT(S)", lambda o, n: service_ports(o)), ("AGE", _age)],
                [("SELECTOR", lambda o, n: join_labels(o["spec"].get("selector")))]),
    "Deployment": ([("NAME", _name),
                    ("READY", lambda o, n: f"{(o.get('status') or {}).get('readyReplicas', 0)}/{o['spec'].get('replicas', 1)}"),
                    ("UP-TO-DATE", lambda o, n: _st(o, "updatedReplicas")),
                    ("AVAILABLE", lambda o, n: _st(o, "availableReplicas")), ("AGE", _age)],
                   [("CONTAINERS", lambda o, n: _containers(o["spec"]["template"]["spec"])),
                    ("IMAGES", lambda o, n: _images(o["spec"]["template"]["spec"])),
                    ("SELECTOR", lambda o, n: selector_string(o["spec"].get("selector")))]),
    "ReplicaSet": ([("NAME", _name), ("DESIRED", lambda o, n: str(o["spec"].get("replicas", 1))),
                    ("CURRENT", lambda o, n: _st(o, "replicas")), ("READY", lambda o, n: _st(o, "readyReplicas")),
                    ("AGE", _age)],
                   [("CONTAINERS", lambda o, n: _containers(o["spec"]["template"]["spec"])),
                    ("IMAGES", lambda o, n: _images(o["spec"]["template"]["spec"])),
                    ("SELECTOR", lambda o, n: selector_string(o["spec"].get("selector")))]),
    "DaemonSet": ([("NAME", _name), ("DESIRED", lambda o, n: _st(o, "desiredNumberScheduled")),
                   ("CURRENT", lambda o, n: _st(o, "currentNumberScheduled")),
                   ("READY", lambda o, n: _st(o, "numberReady")),
                   ("UP-TO-DATE", lambda o, n: _st(o, "updatedNumberScheduled")),
                   ("AVAILABLE", lambda o, n: _st(o, "numberAvailable")),
                   ("NODE SELECTOR", lambda o, n: join_labels(o["spec"]["template"]["spec"].get("nodeSelector"))),
                   ("AGE", _age)],
                  [("CONTAINERS", lambda o, n: _containers(o["spec"]["template"]["spec"])),
                   ("IMAGES", lambda o, n: _images(o["spec"]["template"]["spec"])),
                   ("SELECTOR", lambda o, n: selector_string(o["spec"].get("selector")))]),
    "PersistentVolume": ([("NAME", _name),
                          ("CAPACITY", lambda o, n: str((o["spec"].get("capacity") or {}).get("storage", ""))),
                          ("ACCESS MODES", _pv_access),
                          ("RECLAIM POLICY", lambda o, n: o["spec"].get("persistentVolumeReclaimPolicy", "")),
                          ("STATUS", _volume_phase), ("CLAIM", _pv_claim),
                          ("STORAGECLASS", lambda o, n: o["spec"].get("storageClassName", "")),
                          ("REASON", lambda o, n: (o.get("status") or {}).get("reason", "")), ("AGE", _age)],
                         [("VOLUMEMODE", _volume_mode)]),
    "PersistentVolumeClaim": ([("NAME", _name), ("STATUS", _volume_phase),
                               ("VOLUME", lambda o, n: _pvc_bound(o, "volume")),
                               ("CAPACITY", lambda o, n: _pvc_bound(o, "capacity")),
                               ("ACCESS MODES", lambda o, n: _pvc_bound(o, "modes")),
                               ("STORAGECLASS", lambda o, n: o["spec"].get("storageClassName", "")), ("AGE", _age)],
                              [("VOLUMEMODE", _volume_mode)]),
    "Role": ROLE_COLUMNS, "ClusterRole": ROLE_COLUMNS,
    "RoleBinding": BINDING_COLUMNS, "ClusterRoleBinding": BINDING_COLUMNS,
    "PodSecurityPolicy": ([("NAME", _name), ("PRIV", lambda o, n: _go_bool((o.get("spec") or {}).get("privileged"))),
                           ("CAPS", lambda o, n: ",".join((o.get("spec") or {}).get("allowedCapabilities") or ())),
                           ("SELINUX", _psp("seLinux")), ("RUNASUSER", _psp("runAsUser")),
                           ("FSGROUP", _psp("fsGroup")), ("SUPGROUP", _psp("supplementalGroups")),
                           ("READONLYROOTFS",
                            lambda o, n: _go_bool((o.get("spec") or {}).get("readOnlyRootFilesystem"))),
                           ("VOLUMES", lambda o, n: ",".join((o.get("spec") or {}).get("volumes") or ()))], []),
    "Namespace": ([("NAME", _name), ("STATUS", lambda o, n: (o.get("status") or {}).get("phase", "Active")),
                   ("AGE", _age)], []),
    "Endpoints": ([("NAME", _name), ("ENDPOINTS", lambda o, n: endpoints_cell(o)), ("AGE", _age)], []),
    "ConfigMap": ([("NAME", _name),
                   ("DATA", lambda o, n: str(len(o.get("data") or {}) + len(o.get("binaryData") or {}))),
                   ("AGE", _age)], []),
    "Secret": ([("NAME", _name), ("TYPE", lambda o, n: o.get("type", "Opaque")),
                ("DATA", lambda o, n: str(len(o.get("data") or {}))), ("AGE", _age)], []),
    "ServiceAccount": ([("NAME", _name), ("SECRETS", lambda o, n: str(len(o.get("secrets") or ()))),
                        ("AGE", _age)], []),
    "Event": ([("LAST SEEN", _event_last_seen), ("TYPE", lambda o, n: o.get("type", "")),
               ("REASON", lambda o, n: o.get("reason", "")), ("OBJECT", _event_object),
               ("MESSAGE", lambda o, n: o.get("message", ""))], []),
}
# Events reorder rather than append in wide mode.
EVENT_WIDE = [("LAST SEEN", _event_last_seen), ("TYPE", lambda o, n: o.get("type", "")),
              ("REASON", lambda o, n: o.get("reason", "")), ("OBJECT", _event_object),
              ("SUBOBJECT", lambda o, n: o["involvedObject"].get("fieldPath", "")),
              ("SOURCE", _event_source), ("MESSAGE", lambda o, n: o.get("message", "")),
              ("FIRST SEEN", lambda o, n: age(n, o.get("firstTimestamp"))),
              ("COUNT", lambda o, n: str(o.get("count", 1))), ("NAME", _name)]
DEFAULT = ([("NAME", _name), ("AGE", _age)], [])


def row_text(cols: list[tuple[str, Cell]], obj: dict, now: float) -> list[str]:
    """One table row. An object stored before the API server validated it may hold anything: its
    bad cells print `<unknown>` rather than failing the whole listing (checked per row, cheaply)."""
    try:
        row = [cell(obj, now) for _, cell in cols]
        "".join(row)                # every cell is a string
        return row
    except Exception:       # noqa: BLE001 - a bad old object must never break `get`
        return [cell_text(cell, obj, now) for _, cell in cols]


def cell_text(cell: Cell, obj: dict, now: float) -> str:
    """One cell; an object stored before the API server validated it prints `<unknown>` there
    rather than failing the whole listing."""
    try:
        text = cell(obj, now)
    except Exception:       # noqa: BLE001 - a bad old object must never break `get`
        return "<unknown>"
    return text if isinstance(text, str) else "<unknown>"


def columns_for(kind: str, wide: bool) -> list[tuple[str, Cell]]:
    if kind == "Event" and wide:
        return EVENT_WIDE
    declared = registry.get(kind)
    if declared is not None and declared.columns:      # a kind module that brings its own table
        base, extra = registry.resolve(declared.columns)
    else:
        base, extra = COLUMNS.get(kind, DEFAULT)
    return base + extra if wide else base
