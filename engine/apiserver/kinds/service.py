"""Service (v1, namespaced)."""
from engine.apiserver.kind import Kind

KIND = Kind("Service",
            "services",
            "service",
            shorts=('svc',),
            categories=('all',),
            schema="io.k8s.api.core.v1.Service",
            describer='describe_service',
            name_rule='dns1035',
            immutable=('spec.clusterIP',))
