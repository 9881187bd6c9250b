"""Pod (v1, namespaced)."""
from engine.apiserver import validate
from engine.apiserver.kind import Kind

KIND = Kind("Pod",
            "pods",
            "pod",
            shorts=('po',),
            categories=('all',),
            schema="io.k8s.api.core.v1.Pod",
            describer='describe_pod',
            validate=validate.pod)
