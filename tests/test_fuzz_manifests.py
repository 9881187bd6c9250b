"""Manifest fuzz (issue 12): every field of every kind the sandbox serves, and the kit's own files,
type-confused one at a time and applied through the chat router.

Whatever happens, no reply is the internal-error apology; a refused manifest leaves the stored
sandbox byte-for-byte unchanged; and whatever *was* accepted can be listed, described, waited on
and deleted afterwards. `make test` replays a fixed sample; `make fuzz` explores anew
(KUBETUTOR_FUZZ_EXAMPLES)."""
from __future__ import annotations

import copy
import os
from pathlib import Path

import yaml
from hypothesis import given, strategies as st

from tests.test_fuzz import APOLOGIES, _snapshot, chat, fuzz_settings

EXAMPLES = int(os.environ.get("KUBETUTOR_FUZZ_EXAMPLES", "40"))
KIT = Path(__file__).resolve().parent.parent / "content" / "kit"
META = {"name": "f1", "labels": {"app": "f1"}}
TEMPLATE = {"metadata": {"labels": {"app": "f1"}},
            "spec": {"containers": [{"name": "c", "image": "nginx", "ports": [{"containerPort": 80}],
                                     "resources": {"requests": {"cpu": "100m", "memory": "64Mi"},
                                                   "limits": {"cpu": "1", "memory": "128Mi"}},
                                     "env": [{"name": "A", "value": "b"}],
                                     "volumeMounts": [{"name": "v", "mountPath": "/v"}]}],
                     "volumes": [{"name": "v", "emptyDir": {}}], "nodeSelector": {"a": "b"},
                     "tolerations": [{"key": "k", "operator": "Exists", "effect": "NoSchedule"}]}}
SELECTOR = {"matchLabels": {"app": "f1"}}
JOB_TEMPLATE = {"metadata": TEMPLATE["metadata"], "spec": {**TEMPLATE["spec"], "restartPolicy": "Never"}}
SEEDS = [
    {"apiVersion": "v1", "kind": "Pod", "metadata": META, "spec": TEMPLATE["spec"]},
    {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": META,
     "spec": {"replicas": 2, "selector": SELECTOR, "template": TEMPLATE,
              "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": "25%"}}}},
    {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": META,
     "spec": {"replicas": 1, "selector": SELECTOR, "template": TEMPLATE}},
    {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": META,
     "spec": {"selector": SELECTOR, "template": TEMPLATE,
              "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}}}},
    {"apiVersion": "v1", "kind": "Service", "metadata": META,
     "spec": {"type": "NodePort", "selector": {"app": "f1"},
              "ports": [{"name": "http", "port": 80, "targetPort": 8080, "protocol": "TCP"}]}},
    {"apiVersion": "v1", "kind": "ConfigMap", "metadata": META, "data": {"a": "b"}},
    {"apiVersion": "v1", "kind": "Secret", "metadata": META, "type": "Opaque", "stringData": {"a": "b"}},
    {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": META},
    {"apiVersion": "v1", "kind": "Namespace", "metadata": META},
    {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": META,
     "spec": {"accessModes": ["ReadWriteMany"], "resources": {"requests": {"storage": "1Gi"}}}},
    {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": META,
     "spec": {"accessModes": ["ReadWriteMany"], "capacity": {"storage": "1Gi"},
              "nfs": {"server": "192.168.1.10", "path": "/nfs"}, "persistentVolumeReclaimPolicy": "Retain"}},
    {"apiVersion": "policy/v1beta1", "kind": "PodSecurityPolicy", "metadata": META,
     "spec": {"privileged": False, "seLinux": {"rule": "RunAsAny"}, "runAsUser": {"rule": "RunAsAny"},
              "supplementalGroups": {"rule": "RunAsAny"}, "fsGroup": {"rule": "RunAsAny"}, "volumes": ["*"]}},
    {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": META,
     "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"]}]},
    {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": META,
     "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "f1"},
     "subjects": [{"kind": "ServiceAccount", "name": "default", "namespace": "default"}]},
    {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": META,
     "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}]},
    {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": META,
     "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "f1"},
     "subjects": [{"kind": "User", "name": "u"}]},
    {"apiVersion": "v1", "kind": "Endpoints", "metadata": META,
     "subsets": [{"addresses": [{"ip": "10.0.0.1"}], "ports": [{"port": 80}]}]},
    {"apiVersion": "batch/v1", "kind": "Job", "metadata": META,
     "spec": {"completions": 2, "parallelism": 1, "backoffLimit": 1, "activeDeadlineSeconds": 60,
              "template": JOB_TEMPLATE}},
    {"apiVersion": "batch/v1beta1", "kind": "CronJob", "metadata": META,
     "spec": {"schedule": "*/1 * * * *", "concurrencyPolicy": "Forbid", "startingDeadlineSeconds": 30,
              "successfulJobsHistoryLimit": 1, "jobTemplate": {"spec": {"template": JOB_TEMPLATE}}}},
]


def _kit_documents() -> list[dict]:
    docs = []
    for path in sorted(KIT.rglob("*")):
        if path.suffix in (".yaml", ".yml") and path.name != "urls.yaml":
            docs.extend(d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if isinstance(d, dict))
    return docs


DOCUMENTS = SEEDS + _kit_documents()
ODD = st.one_of(st.sampled_from([None, 0, -1, 1.5, 70000, 2**40, True, "", "x", "64MB", "0.5cores", "128 Mi", "-1",
                                 "Bad_Name", "25%", "abc%", "\u00e9", [], [1, 2], {}, {"a": 1}, [None], {"x": None}]),
                st.text(max_size=8), st.integers())


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, prefix + (i,))


def _mutate(doc: dict, path: tuple, op: str, odd) -> dict:
    doc = copy.deepcopy(doc)
    if not path:
        return doc
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if op == "delete" and isinstance(parent, dict):
        del parent[last]
    elif op == "unknown" and isinstance(parent, dict):
        parent["x" + str(last)] = odd
    else:
        parent[last] = odd
    return doc


@st.composite
def manifests(draw):
    doc = draw(st.sampled_from(DOCUMENTS))
    paths = [p for p in _paths(doc) if p[:1] not in (("apiVersion",), ("kind",))]
    changes = draw(st.integers(1, 3))
    for _ in range(changes):
        doc = _mutate(doc, draw(st.sampled_from(paths)), draw(st.sampled_from(["set", "set", "delete", "unknown"])),
                      draw(ODD))
        paths = [p for p in _paths(doc) if p[:1] not in (("apiVersion",), ("kind",))]
    return doc, draw(st.sampled_from(["apply", "create", "apply --validate=false"]))


def test_fuzz_manifests(tmp_path):
    with chat(tmp_path) as (send, db):
        _manifest_fuzz(send, db)


def _manifest_fuzz(send, db) -> None:
    def check(text: str) -> list:
        replies = send(text)
        for r in replies:
            assert r.text not in APOLOGIES, f"internal error for {text!r}"
        return replies

    check("!k create deployment web --image=nginx")
    check("!wait 1m")

    @fuzz_settings(EXAMPLES)
    @given(manifests())
    def one(case):
        doc, verb = case
        body = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
        before = _snapshot(db)
        replies = check(f"!k {verb} -f -\n```yaml\n{body}```")
        if replies and all(not r.ok for r in replies):
            assert _snapshot(db) == before, f"refused manifest changed the sandbox:\n{body}"
        kind = str(doc.get("kind", "pod")).lower()
        for line in (f"!k get {kind} -o wide", "!k get all -A", f"!k describe {kind}", "!wait 20s",
                     f"!k get {kind} -o yaml"):
            check(line)
        name = (doc.get("metadata") or {}).get("name") if isinstance(doc.get("metadata"), dict) else None
        if isinstance(name, str) and name and name not in ("default", "kube-system") and "\n" not in name:
            stored_before = _snapshot(db)
            for r in check(f"!k delete {kind} {name!r}"):
                assert r.ok or "not found" in r.text or "doesn't have a resource type" in r.text \
                    or _snapshot(db) == stored_before, r.text
        check("!k delete all --all")

    one()
