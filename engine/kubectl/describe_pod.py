"""`kubectl describe pod`, and the container / volume / pod-template blocks other kinds share."""
from __future__ import annotations

from engine.cluster import Cluster
from engine.kubectl.describe_writer import Writer, controller_string, go_value, since, tolerations, when
from engine.quantity import parse as parse_quantity

RESOURCE_ORDER = ("cpu", "memory", "ephemeral-storage")


def describe_pod(cluster: Cluster, pod: dict, events: list[dict] | None) -> str:
    md, spec, st = pod["metadata"], pod["spec"], pod.get("status") or {}
    w = Writer(cluster.now)
    w.write(0, f"Name:\t{md['name']}\n")
    w.write(0, f"Namespace:\t{md.get('namespace', '')}\n")
    if spec.get("priority") is not None:
        w.write(0, f"Priority:\t{spec['priority']}\n")
    if spec.get("priorityClassName"):
        w.write(0, f"Priority Class Name:\t{spec['priorityClassName']}\n")
    node = spec.get("nodeName")
    w.write(0, f"Node:\t{node}/{st.get('hostIP', '')}\n" if node else "Node:\t<none>\n")
    if st.get("startTime"):
        w.write(0, f"Start Time:\t{when(st['startTime'])}\n")
    w.labels("Labels", md.get("labels"))
    w.annotations("Annotations", md.get("annotations"))
    if md.get("deletionTimestamp"):
        w.write(0, f"Status:\tTerminating (lasts {since(cluster.now, md['deletionTimestamp'])})\n")
        w.write(0, f"Termination Grace Period:\t{md.get('deletionGracePeriodSeconds', 30)}s\n")
    else:
        w.write(0, f"Status:\t{st.get('phase', '')}\n")
    if st.get("reason"):
        w.write(0, f"Reason:\t{st['reason']}\n")
    if st.get("message"):
        w.write(0, f"Message:\t{st['message']}\n")
    w.write(0, f"IP:\t{st.get('podIP', '')}\n")
    if st.get("podIPs"):
        w.write(0, "IPs:\n")
        for ip in st["podIPs"]:
            w.write(1, f"IP:\t{ip['ip']}\n")
    else:
        w.write(0, "IPs:\t<none>\n")
    if owner := controller_string(pod):
        w.write(0, f"Controlled By:\t{owner}\n")
    if st.get("nominatedNodeName"):
        w.write(0, f"NominatedNodeName:\t{st['nominatedNodeName']}\n")
    if spec.get("initContainers"):
        containers(w, "Init Containers", spec["initContainers"], st.get("initContainerStatuses") or [], "", pod)
    containers(w, "Containers", spec.get("containers") or [], st.get("containerStatuses") or [], "", pod)
    if st.get("conditions"):
        w.write(0, "Conditions:\n  Type\tStatus\n")
        for c in st["conditions"]:
            w.write(1, f"{c['type']} \t{c['status']} \n")
    volumes(w, spec.get("volumes") or [], "")
    w.write(0, f"QoS Class:\t{st.get('qosClass') or qos_class(spec)}\n")
    w.labels("Node-Selectors", spec.get("nodeSelector"))
    w.multiline("Tolerations", tolerations(spec.get("tolerations")))
    w.events(events)
    return w.text()


def describe_template(w: Writer, template: dict | None) -> None:
    """DescribePodTemplate, as deployments, replica sets and daemon sets show it."""
    w.write(0, "Pod Template:\n")
    if template is None:
        w.write(1, "<unset>")
        return
    md, spec = template.get("metadata") or {}, template.get("spec") or {}
    w.labels("  Labels", md.get("labels"))
    if md.get("annotations"):
        w.annotations("  Annotations", md["annotations"])
    if spec.get("serviceAccountName"):
        w.write(1, f"Service Account:\t{spec['serviceAccountName']}\n")
    if spec.get("initContainers"):
        containers(w, "Init Containers", spec["initContainers"], None, "  ", None)
    containers(w, "Containers", spec.get("containers") or [], None, "  ", None)
    volumes(w, spec.get("volumes") or [], "  ")
    if spec.get("priorityClassName"):
        w.write(1, f"Priority Class Name:\t{spec['priorityClassName']}\n")


# -- containers --------------------------------------------------------------------------------------

def containers(w: Writer, label: str, items: list[dict], statuses: list[dict] | None, space: str,
               pod: dict | None) -> None:
    by_name = {s["name"]: s for s in statuses or ()}
    w.write(0, f"{space}{label}:{'' if items else ' <none>'}\n")
    name_indent = " " if space else ""
    for c in items:
        status = by_name.get(c["name"])
        w.write(1, f"{name_indent}{c['name']}:\n")
        if status is not None:
            w.write(2, f"Container ID:\t{status.get('containerID', '')}\n")
        w.write(2, f"Image:\t{c.get('image', '')}\n")
        if status is not None:
            w.write(2, f"Image ID:\t{status.get('imageID', '')}\n")
        ports = c.get("ports") or ()
        port_text = ", ".join(f"{p['containerPort']}/{p.get('protocol', 'TCP')}" for p in ports)
        host_text = ", ".join(f"{p.get('hostPort', 0)}/{p.get('protocol', 'TCP')}" for p in ports)
        w.write(2, f"Ports:\t{port_text}\n" if "," in port_text else f"Port:\t{port_text or '<none>'}\n")
        w.write(2, f"Host Ports:\t{host_text}\n" if "," in host_text else f"Host Port:\t{host_text or '<none>'}\n")
        for key, title in (("command", "Command"), ("args", "Args")):
            if c.get(key):
                w.write(2, f"{title}:\n")
                for arg in c[key]:
                    for line in str(arg).split("\n"):
                        w.write(3, f"{line}\n")
        if status is not None:
            _state(w, "State", status.get("state") or {})
            if (status.get("lastState") or {}).get("terminated"):
                _state(w, "Last State", status["lastState"])
            w.write(2, f"Ready:\t{'True' if status.get('ready') else 'False'}\n")
            w.write(2, f"Restart Count:\t{status.get('restartCount', 0)}\n")
        _resources(w, c.get("resources") or {})
        for key, title in (("livenessProbe", "Liveness"), ("readinessProbe", "Readiness"),
                           ("startupProbe", "Startup")):
            if c.get(key):
                w.write(2, f"{title}:\t{probe_string(c[key])}\n")
        if c.get("envFrom"):
            _env_from(w, c["envFrom"])
        _env(w, c, pod)
        _mounts(w, c.get("volumeMounts") or [])


def _state(w: Writer, title: str, state: dict) -> None:
    if "running" in state:
        w.write(2, f"{title}:\tRunning\n")
        w.write(3, f"Started:\t{when(state['running'].get('startedAt'))}\n")
    elif "terminated" in state:
        t = state["terminated"]
        w.write(2, f"{title}:\tTerminated\n")
        if t.get("reason"):
            w.write(3, f"Reason:\t{t['reason']}\n")
        if t.get("message"):
            w.write(3, f"Message:\t{t['message']}\n")
        w.write(3, f"Exit Code:\t{t.get('exitCode', 0)}\n")
        if t.get("signal"):
            w.write(3, f"Signal:\t{t['signal']}\n")
        w.write(3, f"Started:\t{when(t.get('startedAt'))}\n")
        w.write(3, f"Finished:\t{when(t.get('finishedAt'))}\n")
    else:
        w.write(2, f"{title}:\tWaiting\n")
        reason = (state.get("waiting") or {}).get("reason")
        if reason:
            w.write(3, f"Reason:\t{reason}\n")


def _resources(w: Writer, resources: dict) -> None:
    for key, title in (("limits", "Limits"), ("requests", "Requests")):
        values = resources.get(key) or {}
        if values:
            w.write(2, f"{title}:\n")
        for name in sorted_resource_names(values):
            w.write(3, f"{name}:\t{values[name]}\n")


def sorted_resource_names(values: dict) -> list[str]:
    """SortedResourceNames: cpu, memory, ephemeral-storage first, then alphabetical."""
    return sorted(values, key=lambda n: (RESOURCE_ORDER.index(n) if n in RESOURCE_ORDER else len(RESOURCE_ORDER), n))


def probe_string(probe: dict) -> str:
    attrs = (f"delay={probe.get('initialDelaySeconds', 0)}s timeout={probe.get('timeoutSeconds', 1)}s "
             f"period={probe.get('periodSeconds', 10)}s #success={probe.get('successThreshold', 1)} "
             f"#failure={probe.get('failureThreshold', 3)}")
    if "exec" in probe:
        return f"exec [{' '.join(probe['exec'].get('command') or ())}] {attrs}"
    if "httpGet" in probe:
        h = probe["httpGet"]
        host, port = h.get("host", ""), str(h.get("port", ""))
        netloc = f"[{host}]:{port}" if ":" in host else f"{host}:{port}" if port else host
        return f"http-get {h.get('scheme', 'HTTP').lower()}://{netloc}{h.get('path', '')} {attrs}"
    if "tcpSocket" in probe:
        t = probe["tcpSocket"]
        return f"tcp-socket {t.get('host', '')}:{t.get('port', '')} {attrs}"
    return f"unknown {attrs}"


def _env_from(w: Writer, sources: list[dict]) -> None:
    w.write(2, "Environment Variables from:\n")
    for e in sources:
        ref, kind = (e["configMapRef"], "ConfigMap") if "configMapRef" in e else (e.get("secretRef") or {}, "Secret")
        optional = go_value(bool(ref.get("optional")))
        if e.get("prefix"):
            w.write(3, f"{ref.get('name', '')}\t{kind} with prefix '{e['prefix']}'\tOptional: {optional}\n")
        else:
            w.write(3, f"{ref.get('name', '')}\t{kind}\tOptional: {optional}\n")


def _env(w: Writer, c: dict, pod: dict | None) -> None:
    env = c.get("env") or []
    w.write(2, "Environment:\n" if env else "Environment:\t<none>\n")
    for e in env:
        src = e.get("valueFrom")
        if src is None:
            for i, line in enumerate(str(e.get("value", "")).split("\n")):
                w.write(3, f"{e['name']}:\t{line}\n" if i == 0 else f"\t{line}\n")
        elif "fieldRef" in src:
            ref = src["fieldRef"]
            value = field_value(pod, ref.get("fieldPath", "")) if pod else ""
            w.write(3, f"{e['name']}:\t{value} ({ref.get('apiVersion', 'v1')}:{ref.get('fieldPath', '')})\n")
        elif "resourceFieldRef" in src:
            ref = src["resourceFieldRef"]
            w.write(3, f"{e['name']}:\t{_resource_field(c, ref.get('resource', ''))} ({ref.get('resource', '')})\n")
        elif "secretKeyRef" in src:
            ref = src["secretKeyRef"]
            w.write(3, f"{e['name']}:\t<set to the key '{ref.get('key', '')}' in secret '{ref.get('name', '')}'>\t"
                       f"Optional: {go_value(bool(ref.get('optional')))}\n")
        elif "configMapKeyRef" in src:
            ref = src["configMapKeyRef"]
            w.write(3, f"{e['name']}:\t<set to the key '{ref.get('key', '')}' of config map '{ref.get('name', '')}'>\t"
                       f"Optional: {go_value(bool(ref.get('optional')))}\n")


def field_value(pod: dict, path: str) -> str:
    """EnvValueRetriever: the downward-API fields kubectl resolves from the pod."""
    md, spec, st = pod["metadata"], pod["spec"], pod.get("status") or {}
    simple = {"metadata.name": md.get("name"), "metadata.namespace": md.get("namespace"),
              "metadata.uid": md.get("uid"), "spec.nodeName": spec.get("nodeName"),
              "spec.serviceAccountName": spec.get("serviceAccountName"), "status.hostIP": st.get("hostIP"),
              "status.podIP": st.get("podIP")}
    return str(simple.get(path) or "")


def _resource_field(c: dict, resource: str) -> str:
    kind, _, name = resource.partition(".")
    value = ((c.get("resources") or {}).get(kind) or {}).get(name)
    if value is None:
        return "node allocatable" if resource in ("limits.cpu", "limits.memory") else "0"
    return str(value)


def _mounts(w: Writer, mounts: list[dict]) -> None:
    w.write(2, "Mounts:\n" if mounts else "Mounts:\t<none>\n")
    for m in sorted(mounts, key=lambda m: m.get("mountPath", "")):
        flags = ["ro" if m.get("readOnly") else "rw"]
        if m.get("subPath"):
            flags.append(f'path="{m["subPath"]}"')
        w.write(3, f"{m.get('mountPath', '')} from {m.get('name', '')} ({','.join(flags)})\n")


# -- volumes -------------------------------------------------------------------------------------------

def volumes(w: Writer, items: list[dict], space: str) -> None:
    if not items:
        w.write(0, f"{space}Volumes:\t<none>\n")
        return
    w.write(0, f"{space}Volumes:\n")
    name_indent = " " if space else ""
    for v in items:
        w.write(1, f"{name_indent}{v['name']}:\n")
        w.write(2, _volume_source(v))


def _volume_source(v: dict) -> str:
    def lines(kind: str, *fields: tuple[str, object]) -> str:
        return f"Type:\t{kind}\n" + "".join(f"    {k}:\t{go_value(val)}\n" for k, val in fields)

    if "hostPath" in v:
        hp = v["hostPath"]
        return lines("HostPath (bare host directory volume)", ("Path", hp.get("path", "")),
                     ("HostPathType", hp.get("type") or "<none>"))
    if "emptyDir" in v:
        ed = v["emptyDir"] or {}
        return lines("EmptyDir (a temporary directory that shares a pod's lifetime)", ("Medium", ed.get("medium", "")),
                     ("SizeLimit", ed.get("sizeLimit") or "<unset>"))
    if "secret" in v:
        s = v["secret"]
        return lines("Secret (a volume populated by a Secret)", ("SecretName", s.get("secretName", "")),
                     ("Optional", bool(s.get("optional"))))
    if "configMap" in v:
        cm = v["configMap"]
        return lines("ConfigMap (a volume populated by a ConfigMap)", ("Name", cm.get("name", "")),
                     ("Optional", bool(cm.get("optional"))))
    if "persistentVolumeClaim" in v:
        pvc = v["persistentVolumeClaim"]
        return lines("PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)",
                     ("ClaimName", pvc.get("claimName", "")), ("ReadOnly", bool(pvc.get("readOnly"))))
    if "nfs" in v:
        nfs = v["nfs"]
        return lines("NFS (an NFS mount that lasts the lifetime of a pod)", ("Server", nfs.get("server", "")),
                     ("Path", nfs.get("path", "")), ("ReadOnly", bool(nfs.get("readOnly"))))
    if "downwardAPI" in v:
        out = "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n"
        for item in v["downwardAPI"].get("items") or ():
            ref = item.get("fieldRef") or {}
            res = item.get("resourceFieldRef") or {}
            out += f"      {ref.get('fieldPath') or res.get('resource', '')} -> {item.get('path', '')}\n"
        return out
    if "projected" in v:
        out = "Type:\tProjected (a volume that contains injected data from multiple sources)\n"
        for src in v["projected"].get("sources") or ():
            if "secret" in src:
                out += f"    SecretName:\t{src['secret'].get('name', '')}\n    SecretOptionalName:\t<nil>\n"
            elif "downwardAPI" in src:
                out += "    DownwardAPI:\ttrue\n"
            elif "configMap" in src:
                out += f"    ConfigMapName:\t{src['configMap'].get('name', '')}\n    ConfigMapOptional:\t<nil>\n"
            elif "serviceAccountToken" in src:
                out += f"    TokenExpirationSeconds:\t{src['serviceAccountToken'].get('expirationSeconds', 3607)}\n"
        return out
    return "<unknown>\n"


# -- resources -------------------------------------------------------------------------------------------

def container_requests(c: dict) -> dict:
    """The API server defaults a missing request to the limit."""
    res = c.get("resources") or {}
    out = dict(res.get("limits") or {})
    out.update(res.get("requests") or {})
    return out


def quantity_value(q) -> float:
    """A stored quantity as a number; one the API server would have refused counts as 0."""
    try:
        return parse_quantity(q)
    except ValueError:
        return 0.0


def pod_requests_and_limits(spec: dict) -> tuple[dict[str, float], dict[str, float]]:
    """resourcehelper.PodRequestsAndLimits: containers summed, init containers as a floor."""
    reqs: dict[str, float] = {}
    limits: dict[str, float] = {}
    for c in spec.get("containers") or ():
        for name, q in container_requests(c).items():
            reqs[name] = reqs.get(name, 0.0) + quantity_value(q)
        for name, q in ((c.get("resources") or {}).get("limits") or {}).items():
            limits[name] = limits.get(name, 0.0) + quantity_value(q)
    for c in spec.get("initContainers") or ():
        for name, q in container_requests(c).items():
            reqs[name] = max(reqs.get(name, 0.0), quantity_value(q))
        for name, q in ((c.get("resources") or {}).get("limits") or {}).items():
            limits[name] = max(limits.get(name, 0.0), quantity_value(q))
    return reqs, limits


def qos_class(spec: dict) -> str:
    from engine.controllers.kubelet import qos_class as kubelet_qos
    return kubelet_qos({"spec": spec})
