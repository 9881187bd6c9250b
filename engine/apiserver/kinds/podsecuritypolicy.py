"""PodSecurityPolicy (policy/v1beta1, cluster-scoped)."""
from engine.apiserver.kind import Kind


KIND = Kind("PodSecurityPolicy",
            "podsecuritypolicies",
            "podsecuritypolicy",
            group="policy",
            version="v1beta1",
            namespaced=False,
            shorts=('psp',),
            schema="io.k8s.api.policy.v1beta1.PodSecurityPolicy")
