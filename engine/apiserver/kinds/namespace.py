"""Namespace (v1, cluster-scoped)."""
from engine.apiserver.kind import Kind


def store(cluster, obj: dict) -> dict:
    """A namespace comes with its finalizer, its default service account and root CA ConfigMap."""
    from engine.bootstrap import namespace_defaults
    obj["spec"] = {"finalizers": ["kubernetes"]}
    obj["status"] = {"phase": "Active"}
    cluster.create(obj)
    namespace_defaults(cluster, obj["metadata"]["name"], cluster.now)
    return obj


KIND = Kind("Namespace",
            "namespaces",
            "namespace",
            namespaced=False,
            shorts=('ns',),
            schema="io.k8s.api.core.v1.Namespace",
            describer="engine.kubectl.describe_core:describe_namespace",
            name_rule='label',
            store=store)
