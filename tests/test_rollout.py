"""Rollouts (the book's rollout-nginx lab), set image, --record, label and annotate."""
from __future__ import annotations

import pytest


NOW = 1795000000.0
ROLLOUT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: rollout-nginx
spec:
  replicas: 3
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.15.12
"""
W = 'Waiting for deployment "rollout-nginx" rollout to finish: '




def k(sb, line: str, stdin: str | None = None) -> str:
    out, rc = sb.kubectl(line, stdin)
    sb.wait(0)              # in chat the next message starts with the controllers caught up
    return out if rc == 0 else f"{out}\n[rc={rc}]"


def images(sb) -> set[str]:
    return {p["spec"]["containers"][0]["image"] for p in sb.cluster.list("Pod", "default")
            if not p["metadata"].get("deletionTimestamp")}


@pytest.fixture
def deployed(sb):
    assert k(sb, "apply -f - --record", ROLLOUT) == "deployment.apps/rollout-nginx created"
    sb.wait(30)
    return sb


def test_rollout_lab_set_image_status_history_undo(deployed):
    sb = deployed
    assert k(sb, "rollout status deployment rollout-nginx") == 'deployment "rollout-nginx" successfully rolled out'
    assert k(sb, "set image deployment rollout-nginx nginx=nginx:1.16.0 --record") == \
        "deployment.apps/rollout-nginx image updated"
    assert k(sb, "rollout status deployment/rollout-nginx --watch=false") == W + "1 out of 3 new replicas have been updated..."
    sb.wait(60)
    assert k(sb, "rollout status deployment rollout-nginx") == 'deployment "rollout-nginx" successfully rolled out'
    assert images(sb) == {"nginx:1.16.0"}
    assert k(sb, "rollout history deployment rollout-nginx") == (
        "deployment.apps/rollout-nginx \nREVISION  CHANGE-CAUSE\n"
        "1         kubectl apply --filename=- --record=true\n"
        "2         kubectl set image deployment rollout-nginx nginx=nginx:1.16.0 --record=true\n")
    assert k(sb, "rollout undo deployment rollout-nginx") == "deployment.apps/rollout-nginx rolled back"
    sb.wait(60)
    assert images(sb) == {"nginx:1.15.12"}
    assert k(sb, "rollout history deployment rollout-nginx") == (
        "deployment.apps/rollout-nginx \nREVISION  CHANGE-CAUSE\n"
        "2         kubectl set image deployment rollout-nginx nginx=nginx:1.16.0 --record=true\n"
        "3         kubectl apply --filename=- --record=true\n")
    assert k(sb, "rollout undo deployment rollout-nginx --to-revision=2") == "deployment.apps/rollout-nginx rolled back"
    sb.wait(60)
    assert images(sb) == {"nginx:1.16.0"}
    assert k(sb, "rollout undo deployment rollout-nginx --to-revision=9") == (
        "error: unable to find specified revision 9 in history\n[rc=1]")
    assert k(sb, "rollout undo deployment rollout-nginx --to-revision=4") == (
        "deployment.apps/rollout-nginx skipped rollback (current template already matches revision 4)")


def test_missing_image_stalls_until_the_progress_deadline(deployed):
    sb = deployed
    assert k(sb, "set image deployment rollout-nginx nginx=nginx:0.0.404") == "deployment.apps/rollout-nginx image updated"
    sb.wait(60)
    assert k(sb, "rollout status deployment rollout-nginx -w=false") == W + "1 out of 3 new replicas have been updated..."
    assert images(sb) == {"nginx:1.15.12", "nginx:0.0.404"}
    assert len([p for p in sb.cluster.list("Pod", "default") if p["spec"]["containers"][0]["image"] == "nginx:1.15.12"]) == 3
    sb.wait(600)
    assert k(sb, "rollout status deployment rollout-nginx") == (
        'error: deployment "rollout-nginx" exceeded its progress deadline\n[rc=1]')
    assert k(sb, "rollout undo deployment rollout-nginx") == "deployment.apps/rollout-nginx rolled back"
    sb.wait(60)
    assert images(sb) == {"nginx:1.15.12"}
    assert k(sb, "rollout status deployment rollout-nginx") == 'deployment "rollout-nginx" successfully rolled out'


def test_pause_resume_restart(deployed):
    sb = deployed
    assert k(sb, "rollout pause deployment rollout-nginx") == "deployment.apps/rollout-nginx paused"
    assert k(sb, "rollout pause deployment rollout-nginx") == (
        'error: deployments.apps "rollout-nginx" is already paused\n[rc=1]')
    k(sb, "set image deployment rollout-nginx nginx=nginx:1.16.0")
    sb.wait(60)
    assert images(sb) == {"nginx:1.15.12"}
    assert k(sb, "rollout undo deployment rollout-nginx") == (
        "error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume "
        "deployment/rollout-nginx' and try again\n[rc=1]")
    assert k(sb, "rollout resume deployment rollout-nginx") == "deployment.apps/rollout-nginx resumed"
    assert k(sb, "rollout resume deployment rollout-nginx") == (
        'error: deployments.apps "rollout-nginx" is not paused\n[rc=1]')
    sb.wait(60)
    assert images(sb) == {"nginx:1.16.0"}
    before = {p["metadata"]["name"] for p in sb.cluster.list("Pod", "default")}
    assert k(sb, "rollout restart deployment rollout-nginx") == "deployment.apps/rollout-nginx restarted"
    sb.wait(60)
    after = {p["metadata"]["name"] for p in sb.cluster.list("Pod", "default")}
    assert len(after) == 3 and not before & after


def test_set_image_errors_and_no_change(deployed):
    sb = deployed
    assert k(sb, "set image deployment/rollout-nginx web=nginx:1.16.0") == (
        'error: unable to find container named "web"\n[rc=1]')
    assert k(sb, "set image deployment/nope nginx=nginx:1.16.0") == (
        'Error from server (NotFound): deployments.apps "nope" not found\n[rc=1]')
    assert k(sb, "set image deployment/rollout-nginx nginx=nginx:1.15.12") == ""
    assert k(sb, "set image deployment/rollout-nginx '*=nginx:1.16.0'") == "deployment.apps/rollout-nginx image updated"
    assert k(sb, "set foo") == ('error: unknown command "foo" for "kubectl set"\n'
                                "See 'kubectl set -h' for help and examples\n[rc=1]")
    assert k(sb, "rollout history deployment rollout-nginx --revision=1").startswith(
        "deployment.apps/rollout-nginx with revision #1\nPod Template:\n  Labels:")


def test_label_and_annotate_messages(sb):
    k(sb, "run nginx --image=nginx")
    assert k(sb, "label pod nginx tier=web") == "pod/nginx labeled"
    assert k(sb, "label pod nginx tier=db") == "error: 'tier' already has a value (web), and --overwrite is false\n[rc=1]"
    assert k(sb, "label pod nginx tier=db --overwrite") == "pod/nginx labeled"
    assert sb.cluster.get("Pod", "default", "nginx")["metadata"]["labels"] == {"run": "nginx", "tier": "db"}
    assert k(sb, "label pod nginx tier-") == "pod/nginx labeled"
    assert k(sb, "label pod nginx tier-") == 'label "tier" not found.\npod/nginx not labeled'
    assert k(sb, "annotate pod nginx note=hi") == "pod/nginx annotated"
    assert k(sb, "annotate pod nginx note=ho") == (
        "error: --overwrite is false but found the following declared annotation(s): 'note' already has a value "
        "(hi)\n[rc=1]")
    assert k(sb, "annotate pod nginx note-") == "pod/nginx annotated"
    assert k(sb, "label pod nginx") == ("error: at least one label update is required\n"
                                        "See 'kubectl label -h' for help and examples\n[rc=1]")
    assert k(sb, "label pod nope a=b") == 'Error from server (NotFound): pods "nope" not found\n[rc=1]'
    assert k(sb, "label node w1-k8s disk=ssd") == "node/w1-k8s labeled"
    assert k(sb, "get pods -l run=nginx -o name") == "pod/nginx"


def test_set_image_dry_run_changes_nothing(deployed):
    sb = deployed
    assert k(sb, "set image deployment/rollout-nginx nginx=nginx:1.16.0 --dry-run=client") == (
        "deployment.apps/rollout-nginx image updated (dry run)")
    assert sb.cluster.get("Deployment", "default", "rollout-nginx")["spec"]["template"]["spec"]["containers"][0][
        "image"] == "nginx:1.15.12"
