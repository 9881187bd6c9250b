"""Node (v1, cluster-scoped)."""
from engine.apiserver.kind import Kind


def delete(cluster, obj: dict, grace, force) -> float:
    """The pods bound to a deleted node go with it (the pod GC)."""
    for pod in cluster.iter("Pod"):
        if pod["spec"].get("nodeName") == obj["metadata"]["name"]:
            cluster.remove(pod)
    cluster.remove(obj)
    return 0.0


KIND = Kind("Node",
            "nodes",
            "node",
            namespaced=False,
            shorts=('no',),
            schema="io.k8s.api.core.v1.Node",
            describer="engine.kubectl.describe_node:describe_node",
            delete=delete)
