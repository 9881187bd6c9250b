"""The deployment controller's progress deadline: a timer, not the clock, turns a stalled rollout's
Progressing condition False (ProgressDeadlineExceeded); describe and rollout status both read it."""
from __future__ import annotations

import pytest

from engine.controllers.deployment import DEADLINE

DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: rollout-nginx
spec:
  replicas: 3
  {deadline}
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


def k(sb, line: str, stdin: str | None = None) -> str:
    out, rc = sb.kubectl(line, stdin)
    sb.wait(0)
    return out if rc == 0 else f"{out}\n[rc={rc}]"


def progressing(sb) -> dict:
    dep = sb.cluster.get("Deployment", "default", "rollout-nginx")
    return next(c for c in dep["status"]["conditions"] if c["type"] == "Progressing")


def conditions_block(sb) -> list[str]:
    out = k(sb, "describe deployment rollout-nginx")
    return out.split("Conditions:\n")[1].split("OldReplicaSets:")[0].splitlines()


@pytest.fixture
def stalled(sb):
    k(sb, "apply -f -", DEPLOY.format(deadline=""))
    sb.wait(30)
    assert k(sb, "set image deployment rollout-nginx nginx=nginx:1.17.23") == \
        "deployment.apps/rollout-nginx image updated"
    return sb


def test_stalled_rollout_times_out_at_the_deadline(stalled):
    sb = stalled
    rs = progressing(sb)["message"].split('"')[1]
    assert progressing(sb)["reason"] == "ReplicaSetUpdated"
    assert any(sb.cluster.clock.pending(DEADLINE))
    sb.wait(590)
    assert progressing(sb)["reason"] == "ReplicaSetUpdated"
    assert k(sb, "rollout status deployment rollout-nginx --watch=false").startswith("Waiting for deployment")
    sb.wait(15)
    cond = progressing(sb)
    assert (cond["status"], cond["reason"], cond["message"]) == (
        "False", "ProgressDeadlineExceeded", f'ReplicaSet "{rs}" has timed out progressing.')
    assert conditions_block(sb) == [
        "  Type           Status  Reason",
        "  ----           ------  ------",
        "  Available      True    MinimumReplicasAvailable",
        "  Progressing    False   ProgressDeadlineExceeded"]
    assert k(sb, "rollout status deployment rollout-nginx") == (
        'error: deployment "rollout-nginx" exceeded its progress deadline\n[rc=1]')


def test_undo_after_the_deadline_completes_again(stalled):
    sb = stalled
    sb.wait(700)
    assert progressing(sb)["reason"] == "ProgressDeadlineExceeded"
    assert k(sb, "rollout undo deployment rollout-nginx") == "deployment.apps/rollout-nginx rolled back"
    sb.wait(60)
    assert progressing(sb)["reason"] == "NewReplicaSetAvailable"
    assert k(sb, "rollout status deployment rollout-nginx") == 'deployment "rollout-nginx" successfully rolled out'


def test_a_healthy_rollout_never_times_out(sb):
    k(sb, "apply -f -", DEPLOY.format(deadline=""))
    sb.wait(30)
    k(sb, "set image deployment rollout-nginx nginx=nginx:1.16.0")
    sb.wait(3600)
    assert progressing(sb)["reason"] == "NewReplicaSetAvailable"


def test_custom_deadline(sb):
    k(sb, "apply -f -", DEPLOY.format(deadline="progressDeadlineSeconds: 20"))
    sb.wait(30)
    k(sb, "set image deployment rollout-nginx nginx=nginx:1.17.23")
    sb.wait(25)
    assert progressing(sb)["reason"] == "ProgressDeadlineExceeded"
