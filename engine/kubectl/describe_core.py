"""`kubectl describe` for services, endpoints, namespaces, config maps, secrets, service accounts,
and kubectl's generic describer for every other kind."""
from __future__ import annotations

import base64
import binascii
import re

from engine.cluster import Cluster
from engine.kubectl.describe_writer import Writer, format_labels, go_value


def _header(w: Writer, obj: dict, *, namespaced: bool = True) -> None:
    md = obj["metadata"]
    w.write(0, f"Name:\t{md['name']}\n")
    if namespaced:
        w.write(0, f"Namespace:\t{md.get('namespace', '')}\n")
    w.labels("Labels", md.get("labels"))
    w.annotations("Annotations", md.get("annotations"))


def describe_service(cluster: Cluster, svc: dict, events: list[dict] | None) -> str:
    spec, st = svc["spec"], svc.get("status") or {}
    ep = cluster.get("Endpoints", svc["metadata"].get("namespace", ""), svc["metadata"]["name"]) or {}
    w = Writer(cluster.now)
    _header(w, svc)
    w.write(0, f"Selector:\t{format_labels(spec.get('selector'))}\n")
    w.write(0, f"Type:\t{spec.get('type', '')}\n")
    if spec.get("ipFamilyPolicy"):
        w.write(0, f"IP Family Policy:\t{spec['ipFamilyPolicy']}\n")
    w.write(0, f"IP Families:\t{','.join(spec.get('ipFamilies') or ()) or '<none>'}\n")
    w.write(0, f"IP:\t{spec.get('clusterIP', '')}\n")
    w.write(0, f"IPs:\t{','.join(spec.get('clusterIPs') or ()) or '<none>'}\n")
    if spec.get("externalIPs"):
        w.write(0, f"External IPs:\t{','.join(spec['externalIPs'])}\n")
    if spec.get("loadBalancerIP"):
        w.write(0, f"IP:\t{spec['loadBalancerIP']}\n")
    if spec.get("externalName"):
        w.write(0, f"External Name:\t{spec['externalName']}\n")
    ingress = (st.get("loadBalancer") or {}).get("ingress") or []
    if ingress:
        w.write(0, f"LoadBalancer Ingress:\t{', '.join(i.get('ip') or i.get('hostname', '') for i in ingress)}\n")
    for p in spec.get("ports") or ():
        name = p.get("name") or "<unset>"
        proto = p.get("protocol", "TCP")
        w.write(0, f"Port:\t{name}\t{p['port']}/{proto}\n")
        w.write(0, f"TargetPort:\t{p.get('targetPort', p['port'])}/{proto}\n")
        if p.get("nodePort"):
            w.write(0, f"NodePort:\t{name}\t{p['nodePort']}/{proto}\n")
        w.write(0, f"Endpoints:\t{format_endpoints(ep, p.get('name', ''))}\n")
    w.write(0, f"Session Affinity:\t{spec.get('sessionAffinity', 'None')}\n")
    if spec.get("externalTrafficPolicy"):
        w.write(0, f"External Traffic Policy:\t{spec['externalTrafficPolicy']}\n")
    if spec.get("healthCheckNodePort"):
        w.write(0, f"HealthCheck NodePort:\t{spec['healthCheckNodePort']}\n")
    if spec.get("loadBalancerSourceRanges"):
        w.write(0, f"LoadBalancer Source Ranges:\t{','.join(spec['loadBalancerSourceRanges'])}\n")
    w.events(events)
    return w.text()


def format_endpoints(ep: dict, port_name: str) -> str:
    """formatEndpoints: ip:port for the service port's name, at most 3, then `+ N more...`."""
    subsets = ep.get("subsets") or []
    if not subsets:
        return "<none>"
    found: list[str] = []
    for ss in subsets:
        addresses = [a["ip"] for a in ss.get("addresses") or ()]
        if not ss.get("ports"):
            found.extend(addresses)
            continue
        for port in ss["ports"]:
            if port.get("name", "") == port_name:
                found.extend(f"[{ip}]:{port['port']}" if ":" in ip else f"{ip}:{port['port']}" for ip in addresses)
    text = ",".join(found[:3])
    return f"{text} + {len(found) - 3} more..." if len(found) > 3 else text


def describe_endpoints(cluster: Cluster, ep: dict, events: list[dict] | None) -> str:
    w = Writer(cluster.now)
    _header(w, ep)
    w.write(0, "Subsets:\n")
    for ss in ep.get("subsets") or ():
        w.write(1, f"Addresses:\t{','.join(a['ip'] for a in ss.get('addresses') or ()) or '<none>'}\n")
        w.write(1, f"NotReadyAddresses:\t{','.join(a['ip'] for a in ss.get('notReadyAddresses') or ()) or '<none>'}\n")
        if ss.get("ports"):
            w.write(1, "Ports:\n")
            w.write(2, "Name\tPort\tProtocol\n")
            w.write(2, "----\t----\t--------\n")
            for p in ss["ports"]:
                w.write(2, f"{p.get('name') or '<unset>'}\t{p['port']}\t{p.get('protocol', 'TCP')}\n")
        w.write(0, "\n")
    w.events(events)
    return w.text()


def describe_namespace(cluster: Cluster, ns: dict, events: list[dict] | None) -> str:
    w = Writer(cluster.now)
    _header(w, ns, namespaced=False)
    w.write(0, f"Status:\t{(ns.get('status') or {}).get('phase', '')}\n")
    # ResourceQuota and LimitRange are not stored by the sandbox: a namespace never has any.
    w.write(0, "\nNo resource quota.\n")
    w.write(0, "\nNo LimitRange resource.\n")
    return w.text()


def describe_configmap(cluster: Cluster, cm: dict, events: list[dict] | None) -> str:
    w = Writer(cluster.now)
    _header(w, cm)
    w.write(0, "\nData\n====\n")
    data = cm.get("data") or {}
    for key in sorted(data):          # kubectl ranges over a Go map; sorted keeps it deterministic
        w.write(0, f"{key}:\n----\n")
        w.write(0, f"{data[key]}\n")
    w.events(events)
    return w.text()


def describe_secret(cluster: Cluster, secret: dict, events: list[dict] | None) -> str:
    w = Writer(cluster.now)
    _header(w, secret)
    kind = secret.get("type", "Opaque")
    w.write(0, f"\nType:\t{kind}\n")
    w.write(0, "\nData\n====\n")
    data = secret.get("data") or {}
    for key in sorted(data):
        raw = _decode(data[key])
        if key == "token" and kind == "kubernetes.io/service-account-token":
            w.write(0, f"{key}:\t{raw.decode('utf-8', 'replace')}\n")
        else:
            w.write(0, f"{key}:\t{len(raw)} bytes\n")
    return w.text()


def _decode(value) -> bytes:
    try:
        return base64.b64decode(str(value or ""), validate=True)
    except (binascii.Error, ValueError):
        return str(value).encode()


def describe_serviceaccount(cluster: Cluster, sa: dict, events: list[dict] | None) -> str:
    md = sa["metadata"]
    w = Writer(cluster.now)
    _header(w, sa)
    tokens = [s["metadata"]["name"] for s in cluster.list("Secret", md.get("namespace"))
              if s.get("type") == "kubernetes.io/service-account-token"
              and (s["metadata"].get("annotations") or {}).get("kubernetes.io/service-account.name") == md["name"]]
    rows = (("Image pull secrets:", [s["name"] for s in sa.get("imagePullSecrets") or ()]),
            ("Mountable secrets: ", [s["name"] for s in sa.get("secrets") or ()]),
            ("Tokens:            ", tokens))
    for header, names in rows:
        if not names:
            w.write(0, f"{header}\t<none>\n")
        for i, name in enumerate(names):
            missing = cluster.get("Secret", md.get("namespace", ""), name) is None and header != rows[2][0]
            w.write(0, f"{header if i == 0 else ' ' * 19}\t{name}{' (not found)' if missing else ''}\n")
    w.events(events)
    return w.text()


# -- the generic describer (kinds kubectl 1.20 has no describer for) ------------------------------------

SKIP = {".metadata.managedFields", ".metadata.name", ".metadata.namespace", ".metadata.labels",
        ".metadata.annotations"}
ACRONYMS = {"API", "URL", "UID", "OSB", "GUID"}


def describe_generic(cluster: Cluster, obj: dict, events: list[dict] | None) -> str:
    w = Writer(cluster.now)
    md = obj["metadata"]
    w.write(0, f"Name:\t{md['name']}\n")
    w.write(0, f"Namespace:\t{md.get('namespace', '')}\n")
    w.labels("Labels", md.get("labels"))
    w.annotations("Annotations", md.get("annotations"))
    _unstructured(w, 0, obj, "")
    w.events(events)
    return w.text()


def _unstructured(w: Writer, level: int, content: dict, prefix: str) -> None:
    for field in sorted(content):
        value = content[field]
        path = f"{prefix}.{field}"
        if path in SKIP:
            continue
        if isinstance(value, dict):
            w.write(level, f"{smart_label(field)}:\n")
            _unstructured(w, level + 1, value, path)
        elif isinstance(value, list):
            w.write(level, f"{smart_label(field)}:\n")
            for child in value:
                if isinstance(child, dict):
                    _unstructured(w, level + 1, child, path)
                else:
                    w.write(level + 1, f"{go_value(child)}\n")
        else:
            w.write(level, f"{smart_label(field)}:\t{go_value(value)}\n")


def smart_label(field: str) -> str:
    """`apiVersion` -> `API Version`, `creationTimestamp` -> `Creation Timestamp` (camelcase.Split)."""
    if re.search(r"[^A-Za-z-]", field):
        return field
    parts = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|-", field)
    return " ".join(p.upper() if p.upper() in ACRONYMS else p[:1].upper() + p[1:] for p in parts)


# -- persistent volumes and claims ----------------------------------------------------------------

def _finalizers(obj: dict) -> str:
    """Go's %v of a []string: `[a b]`."""
    return "[" + " ".join(obj["metadata"].get("finalizers") or ()) + "]"


def _volume_status(w: Writer, obj: dict) -> None:
    from engine.kubectl.describe_writer import since
    if obj["metadata"].get("deletionTimestamp"):
        w.write(0, f"Status:\tTerminating (lasts {since(w.now, obj['metadata']['deletionTimestamp'])})\n")
    else:
        w.write(0, f"Status:\t{(obj.get('status') or {}).get('phase', '')}\n")


def describe_persistentvolume(cluster: Cluster, pv: dict, events: list[dict] | None) -> str:
    from engine.controllers.pvbinder import access_modes
    spec, md = pv["spec"], pv["metadata"]
    w = Writer(cluster.now)
    w.write(0, f"Name:\t{md['name']}\n")
    w.labels("Labels", md.get("labels"))
    w.annotations("Annotations", md.get("annotations"))
    w.write(0, f"Finalizers:\t{_finalizers(pv)}\n")
    w.write(0, f"StorageClass:\t{spec.get('storageClassName', '')}\n")
    _volume_status(w, pv)
    ref = spec.get("claimRef")
    w.write(0, f"Claim:\t{ref.get('namespace', '') + '/' + ref.get('name', '') if ref else ''}\n")
    w.write(0, f"Reclaim Policy:\t{spec.get('persistentVolumeReclaimPolicy', '')}\n")
    w.write(0, f"Access Modes:\t{access_modes(spec.get('accessModes'))}\n")
    if spec.get("volumeMode"):
        w.write(0, f"VolumeMode:\t{spec['volumeMode']}\n")
    w.write(0, f"Capacity:\t{(spec.get('capacity') or {}).get('storage', '0')}\n")
    w.write(0, "Node Affinity:\t<none>\n")
    w.write(0, f"Message:\t{(pv.get('status') or {}).get('message', '')}\n")
    w.write(0, "Source:\n")
    if spec.get("nfs"):
        nfs = spec["nfs"]
        w.write(2, "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n")
        w.write(2, f"Server:\t{nfs.get('server', '')}\n")
        w.write(2, f"Path:\t{nfs.get('path', '')}\n")
        w.write(2, f"ReadOnly:\t{go_value(bool(nfs.get('readOnly')))}\n")
    elif spec.get("hostPath"):
        hp = spec["hostPath"]
        w.write(2, "Type:\tHostPath (bare host directory volume)\n")
        w.write(2, f"Path:\t{hp.get('path', '')}\n")
        w.write(2, f"HostPathType:\t{hp.get('type', '')}\n")
    w.events(events)
    return w.text()


def describe_persistentvolumeclaim(cluster: Cluster, pvc: dict, events: list[dict] | None) -> str:
    from engine.controllers.pvbinder import access_modes
    spec, md, st = pvc["spec"], pvc["metadata"], pvc.get("status") or {}
    w = Writer(cluster.now)
    w.write(0, f"Name:\t{md['name']}\n")
    w.write(0, f"Namespace:\t{md.get('namespace', '')}\n")
    w.write(0, f"StorageClass:\t{spec.get('storageClassName', '')}\n")
    _volume_status(w, pvc)
    w.write(0, f"Volume:\t{spec.get('volumeName', '')}\n")
    w.labels("Labels", md.get("labels"))
    w.annotations("Annotations", md.get("annotations"))
    w.write(0, f"Finalizers:\t{_finalizers(pvc)}\n")
    bound = bool(spec.get("volumeName"))
    w.write(0, f"Capacity:\t{(st.get('capacity') or {}).get('storage', '') if bound else ''}\n")
    w.write(0, f"Access Modes:\t{access_modes(st.get('accessModes')) if bound else ''}\n")
    if spec.get("volumeMode"):
        w.write(0, f"VolumeMode:\t{spec['volumeMode']}\n")
    users = sorted(p["metadata"]["name"] for p in cluster.list("Pod", md.get("namespace", ""))
                   if any((v.get("persistentVolumeClaim") or {}).get("claimName") == md["name"]
                          for v in p["spec"].get("volumes") or ()))
    w.multiline("Mounted By", users)
    w.events(events)
    return w.text()
