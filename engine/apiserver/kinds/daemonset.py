"""DaemonSet (apps/v1, namespaced)."""
from engine.apiserver import validate
from engine.apiserver.kind import Kind


def defaults(cluster, obj: dict) -> None:
    from engine.objects import default_template
    spec = obj.get("spec")
    if isinstance(spec, dict):
        default_template(obj)
        spec.setdefault("revisionHistoryLimit", 10)
        spec.setdefault("updateStrategy", {"rollingUpdate": {"maxUnavailable": 1}, "type": "RollingUpdate"})


def store(cluster, obj: dict) -> dict:
    obj["status"] = {}
    obj["metadata"].setdefault("annotations", {})["deprecated.daemonset.template.generation"] = "1"
    cluster.create(obj)
    return obj


KIND = Kind("DaemonSet",
            "daemonsets",
            "daemonset",
            group="apps",
            shorts=('ds',),
            categories=('all',),
            schema="io.k8s.api.apps.v1.DaemonSet",
            describer="engine.kubectl.describe_workloads:describe_daemonset",
            immutable=('spec.selector',),
            validate=validate.workload,
            defaults=defaults,
            store=store)
