"""PersistentVolume binder (kube-controller-manager's persistentvolume-controller, static volumes only).

A Pending claim binds to the smallest Available volume that has its access modes, its storage class
and at least the storage it asks for; the claim then shows the volume's whole capacity (a 10Mi claim on
a 100Mi volume shows 100Mi). When the claim goes, the volume is Released (Retain), made Available
again (Recycle) or, for Delete, removed — NFS has no deleter, so an NFS volume is Failed instead.
There is no dynamic provisioning: the lab has no StorageClass.
"""
from __future__ import annotations

from engine.cluster import Cluster
from engine.quantity import parse as parse_quantity

MODES = ("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany")
SHORT = {"ReadWriteOnce": "RWO", "ReadOnlyMany": "ROX", "ReadWriteMany": "RWX"}
SOURCE = "persistentvolume-controller"


def volume_defaults(obj: dict) -> dict:
    """What the API server fills in on PersistentVolumes and claims (idempotent)."""
    spec = obj["spec"]
    spec.setdefault("volumeMode", "Filesystem")
    if obj["kind"] == "PersistentVolume":
        spec.setdefault("persistentVolumeReclaimPolicy", "Retain")
        obj["metadata"].setdefault("finalizers", ["kubernetes.io/pv-protection"])
    else:
        obj["metadata"].setdefault("finalizers", ["kubernetes.io/pvc-protection"])
    obj.setdefault("status", {"phase": "Pending"})
    return obj


def access_modes(modes) -> str:
    """`RWO,RWX` in kubectl's fixed order, whatever order the manifest used."""
    have = set(modes or ())
    return ",".join(SHORT[m] for m in MODES if m in have)


def _storage(obj: dict, *path: str) -> float:
    cur = obj
    for key in path:
        cur = (cur or {}).get(key) or {}
    try:
        return float(parse_quantity(str(cur.get("storage", "0")))) if isinstance(cur, dict) else 0.0
    except (ValueError, TypeError):
        return 0.0


def _phase(obj: dict) -> str:
    return (obj.get("status") or {}).get("phase", "")


def _fits(pv: dict, pvc: dict) -> bool:
    spec, want = pv["spec"], pvc["spec"]
    if not set(want.get("accessModes") or ()) <= set(spec.get("accessModes") or ()):
        return False
    if (spec.get("storageClassName") or "") != (want.get("storageClassName") or ""):
        return False
    if spec.get("volumeMode", "Filesystem") != want.get("volumeMode", "Filesystem"):
        return False
    return _storage(pv, "spec", "capacity") >= _storage(pvc, "spec", "resources", "requests")


def _claim_ref(pvc: dict) -> dict:
    md = pvc["metadata"]
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "name": md["name"], "namespace": md["namespace"],
            "resourceVersion": md.get("resourceVersion", ""), "uid": md["uid"]}


def _reserved_for(pv: dict, pvc: dict) -> bool:
    ref = pv["spec"].get("claimRef") or {}
    md = pvc["metadata"]
    return (ref.get("name"), ref.get("namespace")) == (md["name"], md["namespace"]) and \
        ref.get("uid") in (None, "", md["uid"])


def _bind(cluster: Cluster, pv: dict, pvc: dict) -> None:
    if not pv["spec"].get("claimRef"):
        pv["metadata"].setdefault("annotations", {})["pv.kubernetes.io/bound-by-controller"] = "yes"
    pv["spec"]["claimRef"] = _claim_ref(pvc)          # a pre-bound reference gets the claim's uid
    pv["status"] = {"phase": "Bound"}
    cluster.update(pv)
    ann = pvc["metadata"].setdefault("annotations", {})
    ann["pv.kubernetes.io/bind-completed"] = "yes"
    if not pvc["spec"].get("volumeName"):
        ann["pv.kubernetes.io/bound-by-controller"] = "yes"
        pvc["spec"]["volumeName"] = pv["metadata"]["name"]
    pvc["status"] = {"phase": "Bound", "accessModes": list(pv["spec"].get("accessModes") or ()),
                     "capacity": dict(pv["spec"].get("capacity") or {})}
    cluster.update(pvc)


def _claim_of(cluster: Cluster, pv: dict) -> dict | None:
    ref = pv["spec"].get("claimRef") or {}
    pvc = cluster.get("PersistentVolumeClaim", ref.get("namespace", ""), ref.get("name", ""))
    if pvc is None or (ref.get("uid") and pvc["metadata"]["uid"] != ref["uid"]):
        return None
    return pvc


def _reclaim(cluster: Cluster, pv: dict) -> None:
    """The claim is gone: the reclaim policy decides what happens to the volume."""
    policy = pv["spec"].get("persistentVolumeReclaimPolicy", "Retain")
    name = pv["metadata"]["name"]
    if policy == "Recycle":
        pv["spec"].pop("claimRef", None)
        pv["status"] = {"phase": "Available"}
        cluster.update(pv)
        cluster.event(pv, "VolumeRecycled", "Volume recycled", SOURCE)
    elif policy == "Delete" and not pv["spec"].get("nfs"):
        cluster.remove(pv)
    elif policy == "Delete":
        message = f'error getting deleter volume plugin for volume "{name}": no deletable volume plugin matched'
        pv["status"] = {"phase": "Failed", "message": message}
        cluster.update(pv)
        cluster.event(pv, "VolumeFailedDelete", message, SOURCE, type_="Warning")
    else:
        pv["status"] = {"phase": "Released"}
        cluster.update(pv)


def sync(cluster: Cluster) -> None:
    if "PersistentVolume" not in cluster.by_kind and "PersistentVolumeClaim" not in cluster.by_kind:
        return
    pvs = [pv for pv in cluster.list("PersistentVolume") if not pv["metadata"].get("deletionTimestamp")]
    for pv in pvs:
        phase = _phase(pv)
        if pv["spec"].get("claimRef") and not pv["spec"]["claimRef"].get("uid"):
            if phase in ("", "Pending"):          # pre-bound by its author: kept for that claim
                pv["status"] = {"phase": "Available"}
                cluster.update(pv)
        elif pv["spec"].get("claimRef"):
            claim = _claim_of(cluster, pv)
            if claim is None and phase in ("Bound", "Pending", "Available", ""):
                _reclaim(cluster, pv)
        elif phase in ("", "Pending"):
            pv["status"] = {"phase": "Available"}
            cluster.update(pv)
    for pvc in cluster.list("PersistentVolumeClaim"):
        phase = _phase(pvc)
        wanted = pvc["spec"].get("volumeName")
        if phase == "Bound":
            if cluster.get("PersistentVolume", "", wanted or "") is None:
                pvc["status"] = {"phase": "Lost"}
                cluster.update(pvc)
                cluster.event(pvc, "ClaimLost", "Bound claim has lost its PersistentVolume. Data on the volume "
                              "is lost!", SOURCE, type_="Warning")
            continue
        if phase not in ("", "Pending"):
            continue
        if wanted:
            pv = cluster.get("PersistentVolume", "", wanted)
            ref = (pv or {}).get("spec", {}).get("claimRef") or {}
            if pv is not None and (not ref or ref.get("uid") == pvc["metadata"]["uid"]) and _fits(pv, pvc):
                _bind(cluster, pv, pvc)
            continue
        free = [pv for pv in pvs if _phase(pv) == "Available" and not pv["spec"].get("claimRef") and _fits(pv, pvc)]
        reserved = [pv for pv in pvs if _reserved_for(pv, pvc) and _phase(pv) == "Available"]
        choice = reserved or sorted(free, key=lambda v: (_storage(v, "spec", "capacity"), v["metadata"]["name"]))
        if choice:
            _bind(cluster, choice[0], pvc)
        else:
            _no_match(cluster, pvc)


NO_VOLUME = "no persistent volumes available for this claim and no storage class is set"


def _no_match(cluster: Cluster, pvc: dict) -> None:
    """FailedBinding, once: the real controller repeats it every 15 s resync, which a sandbox
    that only wakes on changes does not replay (kubectl shows it without a count)."""
    if pvc["spec"].get("storageClassName"):
        reason, message, kind = ("ProvisioningFailed", f'storageclass.storage.k8s.io '
                                 f'"{pvc["spec"]["storageClassName"]}" not found', "Warning")
    else:
        reason, message, kind = "FailedBinding", NO_VOLUME, "Normal"
    if not any(e.get("reason") == reason for e in cluster.events_for(pvc)):
        cluster.event(pvc, reason, message, SOURCE, type_=kind)


def nfs_source(cluster: Cluster, pod: dict, volume: dict) -> dict | None:
    """The NFS export behind a pod's volume: inline `nfs:` or a claim bound to an NFS volume."""
    if volume.get("nfs"):
        return volume["nfs"]
    claim = (volume.get("persistentVolumeClaim") or {}).get("claimName")
    if not claim:
        return None
    pvc = cluster.get("PersistentVolumeClaim", pod["metadata"].get("namespace", "default"), claim)
    if pvc is None or _phase(pvc) != "Bound":
        return None
    pv = cluster.get("PersistentVolume", "", pvc["spec"].get("volumeName", ""))
    return (pv or {}).get("spec", {}).get("nfs")
