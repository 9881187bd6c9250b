"""RoleBinding (rbac.authorization.k8s.io/v1, namespaced)."""
from engine.apiserver.kind import Kind


KIND = Kind("RoleBinding",
            "rolebindings",
            "rolebinding",
            group="rbac.authorization.k8s.io",
            schema="io.k8s.api.rbac.v1.RoleBinding",
            name_rule='path',
            also_served=(('v1beta1', 'Warning: rbac.authorization.k8s.io/v1beta1 RoleBinding is deprecated in v1.17+, unavailable in v1.22+; use rbac.authorization.k8s.io/v1 RoleBinding'),))
