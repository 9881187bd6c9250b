"""PersistentVolumeClaim (v1, namespaced)."""
from engine.apiserver import validate
from engine.apiserver.kind import Kind


def defaults(cluster, obj: dict) -> None:
    from engine.controllers.pvbinder import volume_defaults
    if isinstance(obj.get("spec"), dict) and obj["spec"]:
        volume_defaults(obj)


KIND = Kind("PersistentVolumeClaim",
            "persistentvolumeclaims",
            "persistentvolumeclaim",
            shorts=('pvc',),
            schema="io.k8s.api.core.v1.PersistentVolumeClaim",
            describer="engine.kubectl.describe_core:describe_persistentvolumeclaim",
            validate=validate.claim,
            defaults=defaults)
