"""Secret (v1, namespaced)."""
from engine.apiserver.kind import Kind

KIND = Kind("Secret",
            "secrets",
            "secret",
            schema="io.k8s.api.core.v1.Secret",
            describer='describe_secret')
