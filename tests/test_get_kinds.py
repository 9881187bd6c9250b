"""`get` for the kinds apply stores beyond workloads: RBAC (CREATED AT / ROLE columns) and
PodSecurityPolicy; and describe service's `<none>` endpoints."""
from __future__ import annotations

RBAC = """apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: reader
rules:
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: read-all
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: reader
subjects:
- kind: ServiceAccount
  name: default
  namespace: default
- kind: User
  name: jane
  apiGroup: rbac.authorization.k8s.io
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: pod-reader
rules: []
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: rb
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: pod-reader
subjects:
- kind: Group
  name: devs
  apiGroup: rbac.authorization.k8s.io
"""
PSP = """apiVersion: policy/v1beta1
kind: PodSecurityPolicy
metadata:
  name: restricted
spec:
  privileged: false
  seLinux: {rule: RunAsAny}
  runAsUser: {rule: MustRunAsNonRoot}
  fsGroup: {rule: RunAsAny}
  supplementalGroups: {rule: RunAsAny}
  volumes: ["configMap", "secret"]
"""


def k(sb, line: str, stdin: str | None = None) -> str:
    out, rc = sb.kubectl(line, stdin)
    return out if rc == 0 else f"{out}\n[rc={rc}]"


def test_roles_print_created_at_and_bindings_their_role(sb):
    k(sb, "apply -f -", RBAC)
    created = sb.cluster.get("ClusterRole", "", "reader")["metadata"]["creationTimestamp"]
    assert created.endswith("Z") and "T" in created
    assert k(sb, "get clusterrole") == f"NAME     CREATED AT\nreader   {created}"
    assert k(sb, "get clusterrolebinding -o wide") == (
        "NAME       ROLE                 AGE   USERS   GROUPS   SERVICEACCOUNTS\n"
        "read-all   ClusterRole/reader   0s    jane             default/default")
    assert k(sb, "get role,rolebinding") == (
        "NAME                                        CREATED AT\n"
        f"role.rbac.authorization.k8s.io/pod-reader   {created}\n\n"
        "NAME                                       ROLE              AGE\n"
        "rolebinding.rbac.authorization.k8s.io/rb   Role/pod-reader   0s")
    assert k(sb, "get rolebindings -n kube-system") == "No resources found in kube-system namespace."


def test_deleted_clusterrole_is_gone(sb):
    k(sb, "apply -f -", RBAC)
    assert k(sb, "delete clusterrole reader") == 'clusterrole.rbac.authorization.k8s.io "reader" deleted'
    assert k(sb, "get clusterrole reader") == (
        'Error from server (NotFound): clusterroles.rbac.authorization.k8s.io "reader" not found\n[rc=1]')


def test_psp_columns(sb):
    assert k(sb, "apply -f -", PSP) == "podsecuritypolicy.policy/restricted created"
    assert k(sb, "get psp") == (
        "NAME         PRIV    CAPS   SELINUX    RUNASUSER          FSGROUP    SUPGROUP   READONLYROOTFS   VOLUMES\n"
        "restricted   false          RunAsAny   MustRunAsNonRoot   RunAsAny   RunAsAny   false            "
        "configMap,secret")


def test_describe_service_without_pods_says_none(sb):
    k(sb, "create service clusterip empty --tcp=80:80")
    sb.wait(1)
    lines = [ln for ln in k(sb, "describe svc empty").splitlines() if ln.startswith("Endpoints:")]
    assert lines == ["Endpoints:         <none>"]
