"""Chapter 4.2 of the study notes, "워커 노드의 구성 요소에 문제가 발생하는 경우", replayed through the
chat router as golden transcripts (format: tests/golden_runner.py), with `!wait` where the notes
wait. What the notes show and these transcripts pin:
- kubelet stopped on w1-k8s: NotReady after 40 s; about 6 minutes later the w1 pod is Terminating
  (AGE 6m20s in the notes) next to its replacement (14s) on another worker; `systemctl start
  kubelet` brings w1 back and the Terminating row goes;
- docker stopped on w1-k8s: NotReady within 10 s; `scale --replicas=6` places nothing on w1; the
  old w1 pod is Terminating after ~5 minutes and stays so while docker is down (14m in the notes);
  after `systemctl start docker`, scaling to 9 places the new pods mostly on the emptied w1.
"""
from __future__ import annotations

import pytest

import golden_runner
from engine.sandbox import SandboxManager
from engine.store import Store

NODES_W1_NOT_READY = """\
NAME     STATUS     ROLES                  AGE   VERSION
m-k8s    Ready      control-plane,master   17h   v1.20.2
w1-k8s   NotReady   <none>                 17h   v1.20.2
w2-k8s   Ready      <none>                 17h   v1.20.2
w3-k8s   Ready      <none>                 17h   v1.20.2"""
NODES_READY = """\
NAME     STATUS   ROLES                  AGE   VERSION
m-k8s    Ready    control-plane,master   17h   v1.20.2
w1-k8s   Ready    <none>                 17h   v1.20.2
w2-k8s   Ready    <none>                 17h   v1.20.2
w3-k8s   Ready    <none>                 17h   v1.20.2"""
WIDE = "~NAME                          READY   STATUS    RESTARTS   AGE   IP               NODE     NOMINATED NODE   READINESS GATES"
WIDE_TERMINATING = ("~NAME                          READY   STATUS        RESTARTS   AGE     IP               NODE     "
                    "NOMINATED NODE   READINESS GATES")
POD = "%~del-deploy-57f68b56f7-"

KUBELET_DRILL = f"""\
> !k apply -f ~/_Lecture_k8s_starter.kit/ch4/4.1/del-deploy.yaml
deployment.apps/del-deploy created

> !wait 26s
⏩ 26s 뒤… (샌드박스 시계를 앞으로 돌렸어요)

> !k get pods -o wide
{WIDE}
{POD}{{{{suffix:w1pod}}}}   1/1   Running   0   26s   {{{{ip}}}}   w1-k8s   <none>   <none>
{POD}{{{{suffix:w2pod}}}}   1/1   Running   0   26s   {{{{ip}}}}   w2-k8s   <none>   <none>
{POD}{{{{suffix:w3pod}}}}   1/1   Running   0   26s   {{{{ip}}}}   w3-k8s   <none>   <none>

> !ssh w1-k8s systemctl stop kubelet

> !wait 39s
⏩ 39s 뒤… (샌드박스 시계를 앞으로 돌렸어요)

> !k get nodes
{NODES_READY}

> !wait 1s
⏩ 1s 뒤… (샌드박스 시계를 앞으로 돌렸어요)

> !k get nodes
{NODES_W1_NOT_READY}

## the pods' Ready condition is False (READY 2/3 below), yet they still print 1/1 Running
> !k get pods
NAME                          READY   STATUS    RESTARTS   AGE
{POD}{{{{w1pod}}}}   1/1   Running   0   66s
{POD}{{{{w2pod}}}}   1/1   Running   0   66s
{POD}{{{{w3pod}}}}   1/1   Running   0   66s

> !k get deployment del-deploy
NAME         READY   UP-TO-DATE   AVAILABLE   AGE
del-deploy   2/3     3            2           66s

> !wait 5m14s
⏩ 5m14s 뒤… (샌드박스 시계를 앞으로 돌렸어요)

> !k get pod -o wide
{WIDE_TERMINATING}
{POD}{{{{suffix:fresh}}}}   1/1   Running   0   14s   {{{{ip}}}}   {{{{node}}}}   <none>   <none>
{POD}{{{{w1pod}}}}   1/1   Terminating   0   6m20s   {{{{ip}}}}   w1-k8s   <none>   <none>
{POD}{{{{w2pod}}}}   1/1   Running   0   6m20s   {{{{ip}}}}   w2-k8s   <none>   <none>
{POD}{{{{w3pod}}}}   1/1   Running   0   6m20s   {{{{ip}}}}   w3-k8s   <none>   <none>

> !wait 30m
⏩ 30m 뒤… (샌드박스 시계를 앞으로 돌렸어요)

> !k get pod del-deploy-57f68b56f7-{{{{w1pod}}}}
NAME                          READY   STATUS        RESTARTS   AGE
del-deploy-57f68b56f7-{{{{w1pod}}}}   1/1     Terminating   0          36m

> !ssh w1-k8s systemctl start kubelet

> !wait 15s
⏩ 15s 뒤… (샌드박스 시계를 앞으로 돌렸어요)

> !k get nodes
{NODES_READY.replace("17h", "18h")}

## the Terminating pod is gone; nothing moves back to w1
> !k get pods -o wide
{WIDE}
{POD}{{{{fresh}}}}   1/1   Running   0   30m   {{{{ip}}}}   {{{{node}}}}   <none>   <none>
{POD}{{{{w2pod}}}}   1/1   Running   0   36m   {{{{ip}}}}   w2-k8s   <none>   <none>
{POD}{{{{w3pod}}}}   1/1   Running   0   36m   {{{{ip}}}}   w3-k8s   <none>   <none>
"""

DOCKER_DRILL = f"""\
> !k apply -f ~/_Lecture_k8s_starter.kit/ch4/4.1/del-deploy.yaml
deployment.apps/del-deploy created

> !wait 1m
⏩ 60s 뒤… (샌드박스 시계를 앞으로 돌렸어요)

> !k get pods -o wide
{WIDE}
{POD}{{{{suffix:w1pod}}}}   1/1   Running   0   60s   {{{{ip}}}}   w1-k8s   <none>   <none>
{POD}{{{{suffix:w2pod}}}}   1/1   Running   0   60s   {{{{ip}}}}   w2-k8s   <none>   <none>
{POD}{{{{suffix:w3pod}}}}   1/1   Running   0   60s   {{{{ip}}}}   w3-k8s   <none>   <none>

> !ssh w1-k8s systemctl stop docker
Warning: Stopping docker.service, but it can still be activated by:
  docker.socket

> !ssh w1-k8s systemctl is-active docker
inactive
[rc=3]

> !wait 10s
⏩ 10s 뒤… (샌드박스 시계를 앞으로 돌렸어요)

> !k get nodes
{NODES_W1_NOT_READY}

> !k scale deployment del-deploy --replicas=6
deployment.apps/del-deploy scaled

> !wait 1m
⏩ 60s 뒤… (샌드박스 시계를 앞으로 돌렸어요)

## three new pods, on w2 and w3 only: w1's not-ready taint keeps the scheduler away
> !k get pods -o wide
{WIDE}
{POD}{{{{w1pod}}}}   1/1   Running   0   2m10s   {{{{ip}}}}   w1-k8s   <none>   <none>
{POD}{{{{w2pod}}}}   1/1   Running   0   2m10s   {{{{ip}}}}   w2-k8s   <none>   <none>
{POD}{{{{w3pod}}}}   1/1   Running   0   2m10s   {{{{ip}}}}   w3-k8s   <none>   <none>
{POD}{{{{suffix}}}}   1/1   Running   0   60s   {{{{ip}}}}   w2-k8s   <none>   <none>
{POD}{{{{suffix}}}}   1/1   Running   0   60s   {{{{ip}}}}   w3-k8s   <none>   <none>
{POD}{{{{suffix}}}}   1/1   Running   0   60s   {{{{ip}}}}   {{{{node}}}}   <none>   <none>

> !wait 12m
⏩ 12m 뒤… (샌드박스 시계를 앞으로 돌렸어요)

> !k get pod del-deploy-57f68b56f7-{{{{w1pod}}}} -o wide
~NAME                          READY   STATUS        RESTARTS   AGE   IP               NODE     NOMINATED NODE   READINESS GATES
~del-deploy-57f68b56f7-{{{{w1pod}}}}   1/1   Terminating   0   14m   {{{{ip}}}}   w1-k8s   <none>   <none>

> !ssh w1-k8s systemctl start docker

> !wait 15s
⏩ 15s 뒤… (샌드박스 시계를 앞으로 돌렸어요)

> !k get nodes
{NODES_READY}

> !k get pod del-deploy-57f68b56f7-{{{{w1pod}}}}
Error from server (NotFound): pods "del-deploy-57f68b56f7-{{{{w1pod}}}}" not found
[rc=1]
"""


async def replay(text: str, tmp_path) -> None:
    path = tmp_path / "drill.txt"
    path.write_text(text, encoding="utf-8")
    failure = await golden_runner.replay(path, tmp_path / "g.db")
    if failure:
        pytest.fail(failure, pytrace=False)


async def test_worker_kubelet_drill(tmp_path):
    await replay(KUBELET_DRILL, tmp_path)


async def test_worker_docker_drill(tmp_path):
    await replay(DOCKER_DRILL, tmp_path)


async def test_rescale_after_docker_returns_fills_w1(tmp_path):
    """Scaling 6 -> 9 after w1's docker is back: w1 is the emptiest worker, so it gets the most."""
    store = await Store.open(tmp_path / "t.db")
    mgr = SandboxManager(store, wall=lambda: golden_runner.FROZEN_NOW)
    async with mgr.open("s", "u") as sb:
        sb.kubectl("apply -f ~/_Lecture_k8s_starter.kit/ch4/4.1/del-deploy.yaml")
        sb.wait(60)
        sb.shell("ssh w1-k8s systemctl stop docker")
        sb.wait(10)
        sb.kubectl("scale deployment del-deploy --replicas=6")
        sb.wait(900)
        sb.shell("ssh w1-k8s systemctl start docker")
        sb.wait(30)

        def per_node() -> dict[str, int]:
            counts: dict[str, int] = {}
            for p in sb.cluster.list("Pod", "default"):
                counts[p["spec"]["nodeName"]] = counts.get(p["spec"]["nodeName"], 0) + 1
            return counts
        assert per_node().get("w1-k8s", 0) == 0
        sb.kubectl("scale deployment del-deploy --replicas=9")
        sb.wait(60)
        counts = per_node()
        assert sum(counts.values()) == 9
        assert counts["w1-k8s"] >= 2
    await store.close()
