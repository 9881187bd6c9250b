"""Namespace lifecycle: create, objects inside, delete (Terminating, contents gone), protected ones."""
from __future__ import annotations

import pytest


NOW = 1795000000.0




def k(sb, line: str, stdin: str | None = None) -> str:
    out, rc = sb.kubectl(line, stdin)
    return out if rc == 0 else f"{out}\n[rc={rc}]"


@pytest.mark.parametrize("name", ["default", "kube-system", "kube-public", "kube-node-lease"])
def test_protected_namespaces(sb, name):
    assert k(sb, f"delete namespace {name}") == (
        f'Error from server (Forbidden): namespaces "{name}" is forbidden: this namespace may not be deleted\n[rc=1]')
    assert sb.cluster.get("Namespace", "", name) is not None


def test_delete_waits_until_the_namespace_and_its_contents_are_gone(sb):
    assert k(sb, "create namespace dev") == "namespace/dev created"
    k(sb, "create deployment web --image=nginx --replicas=2 -n dev")
    k(sb, "run solo --image=nginx -n dev")
    k(sb, "expose pod solo --port=80 -n dev")
    sb.wait(20)
    assert len(sb.cluster.list("Pod", "dev")) == 3
    ports_before = list(sb.cluster.meta["clusterips"])
    assert k(sb, "delete namespace dev") == 'namespace "dev" deleted'
    assert sb.cluster.get("Namespace", "", "dev") is None
    for kind in ("Pod", "Deployment", "ReplicaSet", "Service", "ServiceAccount", "Secret"):
        assert sb.cluster.list(kind, "dev") == [], kind
    assert len(sb.cluster.meta["clusterips"]) == len(ports_before) - 1
    assert k(sb, "get pods -n dev") == "No resources found in dev namespace."


def test_terminating_is_visible_without_wait_and_refuses_new_content(sb):
    k(sb, "create namespace dev")
    k(sb, "run solo --image=nginx -n dev")
    sb.wait(20)
    assert k(sb, "delete ns dev --wait=false") == 'namespace "dev" deleted'
    ns = sb.cluster.get("Namespace", "", "dev")
    assert ns["status"]["phase"] == "Terminating"
    assert "\ndev               Terminating   20s\n" in k(sb, "get ns")
    pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx\n"
    assert k(sb, "apply -f - -n dev", pod) == (
        'Error from server (Forbidden): error when creating "STDIN": pods "p" is forbidden: unable to create new '
        "content in namespace dev because it is being terminated\n[rc=1]")
    sb.wait(60)
    assert sb.cluster.get("Namespace", "", "dev") is None
    assert k(sb, "create namespace dev") == "namespace/dev created"


def test_pod_on_dead_node_keeps_namespace_terminating(sb):
    k(sb, "create namespace dev")
    k(sb, "run solo --image=nginx -n dev")
    sb.wait(20)
    node = sb.cluster.get("Pod", "dev", "solo")["spec"]["nodeName"]
    sb.shell(f"ssh {node} systemctl stop kubelet")
    sb.wait(60)
    k(sb, "delete ns dev --wait=false")
    sb.wait(600)
    assert sb.cluster.get("Namespace", "", "dev")["status"]["phase"] == "Terminating"
    sb.shell(f"ssh {node} systemctl start kubelet")
    sb.wait(120)
    assert sb.cluster.get("Namespace", "", "dev") is None
