"""PersistentVolume (v1, cluster-scoped)."""
from engine.apiserver import validate
from engine.apiserver.kind import Kind


def defaults(cluster, obj: dict) -> None:
    """volumeMode, reclaim policy, protection finalizer, phase Pending (claims too)."""
    from engine.controllers.pvbinder import volume_defaults
    if isinstance(obj.get("spec"), dict) and obj["spec"]:
        volume_defaults(obj)


KIND = Kind("PersistentVolume",
            "persistentvolumes",
            "persistentvolume",
            namespaced=False,
            shorts=('pv',),
            schema="io.k8s.api.core.v1.PersistentVolume",
            describer="engine.kubectl.describe_core:describe_persistentvolume",
            validate=validate.volume,
            defaults=defaults)
