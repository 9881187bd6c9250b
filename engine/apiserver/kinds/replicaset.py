"""ReplicaSet (apps/v1, namespaced)."""
from engine.apiserver import validate
from engine.apiserver.kind import Kind

KIND = Kind("ReplicaSet",
            "replicasets",
            "replicaset",
            group="apps",
            shorts=('rs',),
            categories=('all',),
            schema="io.k8s.api.apps.v1.ReplicaSet",
            describer='describe_replicaset',
            immutable=('spec.selector',),
            validate=validate.workload)
