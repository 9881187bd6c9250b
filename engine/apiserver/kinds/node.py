"""Node (v1, cluster-scoped)."""
from engine.apiserver.kind import Kind


KIND = Kind("Node",
            "nodes",
            "node",
            namespaced=False,
            shorts=('no',),
            schema="io.k8s.api.core.v1.Node",
            describer="engine.kubectl.describe_node:describe_node")
