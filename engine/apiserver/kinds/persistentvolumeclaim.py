"""PersistentVolumeClaim (v1, namespaced)."""
from engine.apiserver import validate
from engine.apiserver.kind import Kind

KIND = Kind("PersistentVolumeClaim",
            "persistentvolumeclaims",
            "persistentvolumeclaim",
            shorts=('pvc',),
            schema="io.k8s.api.core.v1.PersistentVolumeClaim",
            describer='describe_persistentvolumeclaim',
            validate=validate.claim)
