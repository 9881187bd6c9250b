"""PersistentVolumeClaim (v1, namespaced)."""
from engine.apiserver import validate
from engine.apiserver.kind import Kind
from engine.apiserver.kinds.persistentvolume import defaults     # the same SetDefaults


KIND = Kind("PersistentVolumeClaim",
            "persistentvolumeclaims",
            "persistentvolumeclaim",
            shorts=('pvc',),
            schema="io.k8s.api.core.v1.PersistentVolumeClaim",
            describer="engine.kubectl.describe_core:describe_persistentvolumeclaim",
            validate=validate.claim,
            defaults=defaults)
