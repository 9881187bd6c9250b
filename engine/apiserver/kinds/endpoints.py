"""Endpoints (v1, namespaced)."""
from engine.apiserver.kind import Kind


KIND = Kind("Endpoints",
            "endpoints",
            "endpoints",
            shorts=('ep',),
            schema="io.k8s.api.core.v1.Endpoints",
            describer="engine.kubectl.describe_core:describe_endpoints")
