"""ConfigMap (v1, namespaced)."""
from engine.apiserver.kind import Kind


KIND = Kind("ConfigMap",
            "configmaps",
            "configmap",
            shorts=('cm',),
            schema="io.k8s.api.core.v1.ConfigMap",
            describer="engine.kubectl.describe_core:describe_configmap")
