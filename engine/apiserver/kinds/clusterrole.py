"""ClusterRole (rbac.authorization.k8s.io/v1, cluster-scoped)."""
from engine.apiserver.kind import Kind


KIND = Kind("ClusterRole",
            "clusterroles",
            "clusterrole",
            group="rbac.authorization.k8s.io",
            namespaced=False,
            schema="io.k8s.api.rbac.v1.ClusterRole",
            name_rule='path',
            also_served=(('v1beta1', 'Warning: rbac.authorization.k8s.io/v1beta1 ClusterRole is deprecated in v1.17+, unavailable in v1.22+; use rbac.authorization.k8s.io/v1 ClusterRole'),))
