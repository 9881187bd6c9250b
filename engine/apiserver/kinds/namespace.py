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


def delete(cluster, obj: dict, grace, force) -> float:
    """Terminating first; the namespace controller empties it, then it goes."""
    from engine.apiserver.errors import forbidden
    from engine.namespaces import PROTECTED, begin_termination
    if obj["metadata"]["name"] in PROTECTED:
        raise forbidden("namespaces", obj["metadata"]["name"], "this namespace may not be deleted")
    return begin_termination(cluster, obj)


KIND = Kind("Namespace",
            "namespaces",
            "namespace",
            namespaced=False,
            shorts=('ns',),
            schema="io.k8s.api.core.v1.Namespace",
            describer="engine.kubectl.describe_core:describe_namespace",
            name_rule='label',
            store=store,
            delete=delete)
