"""PersistentVolumes and claims: the book's NFS lab (3.4.3), the binder's choices, reclaim, describe."""
from __future__ import annotations

from engine.node import nfs, traffic

BOOK = "https://raw.githubusercontent.com/sysnet4admin/_Book_k8sInfra/main/ch3/3.4.3"
PV = """apiVersion: v1
kind: PersistentVolume
metadata:
  name: {name}
spec:
  capacity:
    storage: {size}
  accessModes: [{modes}]
  persistentVolumeReclaimPolicy: {policy}
  nfs:
    server: 192.168.1.10
    path: /nfs_shared
"""
PVC = """apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: {name}
spec:
  accessModes: [{modes}]
  resources:
    requests:
      storage: {size}
"""


def k(sb, line: str, stdin: str | None = None) -> str:
    out, rc = sb.kubectl(line, stdin)
    return out if rc == 0 else f"{out}\n[rc={rc}]"


def pv(sb, name="pv-log", size="100Mi", modes="ReadWriteMany", policy="Retain") -> str:
    return k(sb, "apply -f -", PV.format(name=name, size=size, modes=modes, policy=policy))


def pvc(sb, name="claim-log-1", size="10Mi", modes="ReadWriteMany") -> str:
    return k(sb, "apply -f -", PVC.format(name=name, size=size, modes=modes))


def test_book_lab_binds_the_whole_volume(sb):
    assert k(sb, f"apply -f {BOOK}/nfs-pv.yaml") == "persistentvolume/nfs-pv created"
    sb.wait(0)                   # the next chat message catches the sandbox up (controllers run)
    assert k(sb, "get pv") == (
        "NAME     CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS      CLAIM   STORAGECLASS   REASON   AGE\n"
        "nfs-pv   100Mi      RWX            Retain           Available                                   0s")
    assert k(sb, f"apply -f {BOOK}/nfs-pvc.yaml") == "persistentvolumeclaim/nfs-pvc created"
    sb.wait(1)
    assert k(sb, "get pv,pvc") == (
        "NAME                      CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS   CLAIM             "
        "STORAGECLASS   REASON   AGE\n"
        "persistentvolume/nfs-pv   100Mi      RWX            Retain           Bound    default/nfs-pvc   "
        "                        1s\n\n"
        "NAME                            STATUS   VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS   AGE\n"
        "persistentvolumeclaim/nfs-pvc   Bound    nfs-pv   100Mi      RWX                           1s")
    assert k(sb, f"apply -f {BOOK}/nfs-pvc-deploy.yaml") == "deployment.apps/nfs-pvc-deploy created"
    sb.wait(5)
    assert len(sb.cluster.list("Pod", "default")) == 4
    mounted = k(sb, "describe pvc nfs-pvc").split("Mounted By:")[1].split("Events:")[0].split()
    assert len(mounted) == 4 and all(m.startswith("nfs-pvc-deploy-") for m in mounted)


def test_pending_claim_prints_blank_cells_like_the_transcript(sb):
    pv(sb)
    pvc(sb)
    pvc(sb, "claim-pending", "200Mi")
    sb.wait(1)
    assert k(sb, "get pv -o wide") == (
        "NAME     CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS   CLAIM                 STORAGECLASS   REASON   "
        "AGE   VOLUMEMODE\n"
        "pv-log   100Mi      RWX            Retain           Bound    default/claim-log-1                           "
        "1s    Filesystem")
    assert k(sb, "get pvc") == (
        "NAME            STATUS    VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS   AGE\n"
        "claim-log-1     Bound     pv-log   100Mi      RWX                           1s\n"
        "claim-pending   Pending                                                     1s")
    assert k(sb, "get pvc -o wide").splitlines()[2] == (
        "claim-pending   Pending                                                     1s    Filesystem")


def test_binder_picks_the_smallest_volume_that_fits_modes_and_size(sb):
    pv(sb, "big", "1Gi")
    pv(sb, "small", "50Mi")
    pv(sb, "rwo", "20Mi", modes="ReadWriteOnce")
    pvc(sb, "c", "30Mi")
    sb.wait(1)
    assert sb.cluster.get("PersistentVolumeClaim", "default", "c")["spec"]["volumeName"] == "small"
    ref = sb.cluster.get("PersistentVolume", "", "small")["spec"]["claimRef"]
    assert (ref["namespace"], ref["name"], ref["kind"]) == ("default", "c", "PersistentVolumeClaim")
    assert sb.cluster.get("PersistentVolume", "", "rwo")["status"]["phase"] == "Available"


def test_access_mode_mismatch_stays_pending(sb):
    pv(sb, modes="ReadWriteOnce")
    pvc(sb, modes="ReadWriteMany")
    sb.wait(30)
    assert sb.cluster.get("PersistentVolumeClaim", "default", "claim-log-1")["status"]["phase"] == "Pending"
    assert sb.cluster.get("PersistentVolume", "", "pv-log")["status"]["phase"] == "Available"


def test_deleting_the_claim_releases_a_retained_volume_and_it_does_not_rebind(sb):
    pv(sb)
    pvc(sb)
    sb.wait(1)
    assert k(sb, "delete pvc claim-log-1") == 'persistentvolumeclaim "claim-log-1" deleted'
    sb.wait(0)
    assert k(sb, "get pv").splitlines()[1].split() == ["pv-log", "100Mi", "RWX", "Retain", "Released",
                                                        "default/claim-log-1", "1s"]
    pvc(sb)                      # a new claim with the same name is another claim: Retain keeps the data safe
    sb.wait(5)
    assert sb.cluster.get("PersistentVolumeClaim", "default", "claim-log-1")["status"]["phase"] == "Pending"


def test_delete_policy_on_nfs_fails_as_there_is_no_deleter(sb):
    pv(sb, policy="Delete")
    pvc(sb)
    sb.wait(1)
    k(sb, "delete pvc claim-log-1")
    sb.wait(0)
    out = k(sb, "describe pv pv-log")
    assert "Status:          Failed\n" in out
    assert 'error getting deleter volume plugin for volume "pv-log": no deletable volume plugin matched' in out


def test_describe_pv_and_pvc(sb):
    pv(sb)
    pvc(sb)
    sb.wait(1)
    assert k(sb, "describe pv pv-log") == (
        "Name:            pv-log\n"
        "Labels:          <none>\n"
        "Annotations:     pv.kubernetes.io/bound-by-controller: yes\n"
        "Finalizers:      [kubernetes.io/pv-protection]\n"
        "StorageClass:    \n"
        "Status:          Bound\n"
        "Claim:           default/claim-log-1\n"
        "Reclaim Policy:  Retain\n"
        "Access Modes:    RWX\n"
        "VolumeMode:      Filesystem\n"
        "Capacity:        100Mi\n"
        "Node Affinity:   <none>\n"
        "Message:         \n"
        "Source:\n"
        "    Type:      NFS (an NFS mount that lasts the lifetime of a pod)\n"
        "    Server:    192.168.1.10\n"
        "    Path:      /nfs_shared\n"
        "    ReadOnly:  false\n"
        "Events:        <none>")
    assert k(sb, "describe pvc claim-log-1") == (
        "Name:          claim-log-1\n"
        "Namespace:     default\n"
        "StorageClass:  \n"
        "Status:        Bound\n"
        "Volume:        pv-log\n"
        "Labels:        <none>\n"
        "Annotations:   pv.kubernetes.io/bind-completed: yes\n"
        "               pv.kubernetes.io/bound-by-controller: yes\n"
        "Finalizers:    [kubernetes.io/pvc-protection]\n"
        "Capacity:      100Mi\n"
        "Access Modes:  RWX\n"
        "VolumeMode:    Filesystem\n"
        "Mounted By:    <none>\n"
        "Events:        <none>")


def test_pod_writes_audit_through_the_claim_to_the_nfs_share(sb):
    pv(sb)
    pvc(sb)
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "audit", "namespace": "default", "uid": "u1"},
           "spec": {"containers": [{"name": "c", "image": "x", "volumeMounts": [{"name": "v", "mountPath": "/audit"}]}],
                    "volumes": [{"name": "v", "persistentVolumeClaim": {"claimName": "claim-log-1"}}]}}
    sb.wait(1)
    traffic._audit(sb.cluster, pod, "line 1")
    assert nfs.state(sb.cluster)["files"]["/nfs_shared/audit_audit.log"] == ["line 1"]


def test_unmatched_claim_reports_failed_binding_once(sb):
    pvc(sb, "claim-pending", "200Mi")
    sb.wait(5)
    out = k(sb, "describe pvc claim-pending")
    assert "Status:        Pending\n" in out and "Volume:        \n" in out and "Capacity:      \n" in out
    assert out.endswith("Events:\n"
                        "  Type    Reason         Age   From                         Message\n"
                        "  ----    ------         ----  ----                         -------\n"
                        "  Normal  FailedBinding  5s    persistentvolume-controller  no persistent volumes available "
                        "for this claim and no storage class is set")
    pv(sb, "late", "1Gi")        # a volume that fits arrives: the claim binds to it
    sb.wait(1)
    assert sb.cluster.get("PersistentVolumeClaim", "default", "claim-pending")["spec"]["volumeName"] == "late"


def test_volume_pre_bound_to_a_claim_waits_for_it_and_is_released_after(sb):
    k(sb, "apply -f -", PV.format(name="reserved", size="1Gi", modes="ReadWriteMany", policy="Retain")
      + "  claimRef:\n    namespace: default\n    name: mine\n")
    pvc(sb, "other")
    sb.wait(1)
    assert sb.cluster.get("PersistentVolumeClaim", "default", "other")["status"]["phase"] == "Pending"
    pvc(sb, "mine")
    sb.wait(1)
    pv_obj = sb.cluster.get("PersistentVolume", "", "reserved")
    assert pv_obj["status"]["phase"] == "Bound"
    assert pv_obj["spec"]["claimRef"]["uid"] == sb.cluster.get("PersistentVolumeClaim", "default", "mine")[
        "metadata"]["uid"]
    k(sb, "delete pvc mine")
    sb.wait(0)
    assert sb.cluster.get("PersistentVolume", "", "reserved")["status"]["phase"] == "Released"
