"""ServiceAccount (v1, namespaced)."""
from engine.apiserver.kind import Kind

KIND = Kind("ServiceAccount",
            "serviceaccounts",
            "serviceaccount",
            shorts=('sa',),
            schema="io.k8s.api.core.v1.ServiceAccount",
            describer='describe_serviceaccount')
