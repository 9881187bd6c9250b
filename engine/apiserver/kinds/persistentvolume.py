"""PersistentVolume (v1, cluster-scoped)."""
from engine.apiserver import validate
from engine.apiserver.kind import Kind

KIND = Kind("PersistentVolume",
            "persistentvolumes",
            "persistentvolume",
            namespaced=False,
            shorts=('pv',),
            schema="io.k8s.api.core.v1.PersistentVolume",
            describer='describe_persistentvolume',
            validate=validate.volume)
