"""Deployment (apps/v1, namespaced)."""
from engine.apiserver import validate
from engine.apiserver.kind import Kind


def defaults(cluster, obj: dict) -> None:
    from engine.objects import deployment_defaults
    spec = obj.get("spec")
    if isinstance(spec, dict) and isinstance(spec.get("template"), dict):
        deployment_defaults(obj)


def store(cluster, obj: dict) -> dict:
    obj["status"] = {}
    cluster.create(obj)
    return obj


KIND = Kind("Deployment",
            "deployments",
            "deployment",
            group="apps",
            shorts=('deploy',),
            categories=('all',),
            schema="io.k8s.api.apps.v1.Deployment",
            describer="engine.kubectl.describe_workloads:describe_deployment",
            immutable=('spec.selector',),
            validate=validate.workload,
            defaults=defaults,
            store=store)
