"""ReplicaSet (apps/v1, namespaced)."""
from engine.apiserver import validate
from engine.apiserver.kind import Kind


def defaults(cluster, obj: dict) -> None:
    from engine.objects import default_template
    if isinstance(obj.get("spec"), dict):
        default_template(obj)
        obj["spec"].setdefault("replicas", 1)


def store(cluster, obj: dict) -> dict:
    obj["status"] = {"replicas": 0}
    cluster.create(obj)
    return obj


KIND = Kind("ReplicaSet",
            "replicasets",
            "replicaset",
            group="apps",
            shorts=('rs',),
            categories=('all',),
            schema="io.k8s.api.apps.v1.ReplicaSet",
            describer="engine.kubectl.describe_workloads:describe_replicaset",
            immutable=('spec.selector',),
            validate=validate.workload,
            defaults=defaults,
            store=store)
