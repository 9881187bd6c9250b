"""Namespace (v1, cluster-scoped)."""
from engine.apiserver.kind import Kind

KIND = Kind("Namespace",
            "namespaces",
            "namespace",
            namespaced=False,
            shorts=('ns',),
            schema="io.k8s.api.core.v1.Namespace",
            describer='describe_namespace',
            name_rule='label')
