"""root's ~/.kube/config on m-k8s (kubeadm's admin.conf), as the student has changed it.

Only what differs from kubeadm's file is kept in the sandbox meta (`kubeconfig`): the contexts and
the current one. Clusters and users stay kubeadm's. `kubectl config …` edits it; every other verb
reads the current context's namespace from it, and talks to the lab only while the current
context points at the lab's cluster.
"""
from __future__ import annotations

import base64
import hashlib

CLUSTER, USER = "kubernetes", "kubernetes-admin"
CONTEXT = f"{USER}@{CLUSTER}"
SERVER = "https://192.168.1.10:6443"
PATH = "/root/.kube/config"
REFUSED = "The connection to the server localhost:8080 was refused - did you specify the right host or port?"


KUBEADM = {"current": CONTEXT, "contexts": {CONTEXT: {"cluster": CLUSTER, "user": USER}}}


def state(cluster) -> dict:
    """{"current": name, "contexts": {name: {"cluster", "user", "namespace"?}}} (kubeadm's when untouched)."""
    return cluster.meta.get("kubeconfig") or KUBEADM


def save(cluster, st: dict) -> None:
    cluster.meta["kubeconfig"] = st


def current(cluster, name: str | None = None) -> dict | None:
    """The current context (or the one `--context` names)."""
    st = state(cluster)
    return st["contexts"].get(name or st["current"])


def namespace(cluster, context: str | None = None) -> str:
    return (current(cluster, context) or {}).get("namespace") or "default"


def reaches_lab(cluster, context: str | None = None) -> bool:
    """Without a context naming the lab's cluster kubectl has no server: it tries localhost:8080."""
    ctx = current(cluster, context)
    return ctx is not None and ctx.get("cluster") == CLUSTER


def _pem(cluster, what: str) -> str:
    """Stable stand-in key material: base64 of a PEM block, as kubeadm writes `*-data`."""
    seed = f"{cluster.meta.get('created')}/{cluster.meta.get('generation', 0)}/{what}".encode()
    body = b"".join(hashlib.sha512(seed + bytes([i])).digest() for i in range(12))
    b64 = base64.b64encode(body).decode()
    lines = "\n".join(b64[i:i + 64] for i in range(0, len(b64), 64))
    label = "RSA PRIVATE KEY" if what == "key" else "CERTIFICATE"
    return base64.b64encode(f"-----BEGIN {label}-----\n{lines}\n-----END {label}-----\n".encode()).decode()


def document(cluster, *, raw: bool = False, minify: bool = False) -> dict:
    """The kubeconfig as `kubectl config view` builds it (data redacted unless raw)."""
    st = state(cluster)
    contexts = st["contexts"]
    if minify:
        contexts = {st["current"]: contexts[st["current"]]}
    ca = _pem(cluster, "ca") if raw else "DATA+OMITTED"
    cert, key = (_pem(cluster, "cert"), _pem(cluster, "key")) if raw else ("REDACTED", "REDACTED")
    return {
        "apiVersion": "v1",
        "clusters": [{"cluster": {"certificate-authority-data": ca, "server": SERVER}, "name": CLUSTER}],
        "contexts": [{"context": {"cluster": c.get("cluster", ""), **({"namespace": c["namespace"]} if c.get("namespace")
                                                                else {}), "user": c.get("user", "")}, "name": name}
                     for name, c in sorted(contexts.items())],
        "current-context": st["current"],
        "kind": "Config",
        "preferences": {},
        "users": [{"name": USER, "user": {"client-certificate-data": cert, "client-key-data": key}}],
    }


def as_json(doc: dict) -> dict:
    """The same document in the field order of kubectl's JSON printer (Go struct order)."""
    def ctx(c: dict) -> dict:
        return {"cluster": c["cluster"], "user": c["user"], **({"namespace": c["namespace"]} if "namespace" in c else {})}
    return {"kind": doc["kind"], "apiVersion": doc["apiVersion"], "preferences": {},
            "clusters": doc["clusters"] and [{"name": c["name"], "cluster": {
                "server": c["cluster"]["server"], "certificate-authority-data": c["cluster"]["certificate-authority-data"]}}
                for c in doc["clusters"]],
            "users": doc["users"],
            "contexts": [{"name": c["name"], "context": ctx(c["context"])} for c in doc["contexts"]],
            "current-context": doc["current-context"]}


def file_text(cluster) -> str:
    """The file itself, for `cat ~/.kube/config` on m-k8s."""
    from engine.kubectl.output import to_yaml
    return to_yaml(document(cluster, raw=True)) + "\n"
