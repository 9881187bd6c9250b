"""Chapter 4.3 of the study notes, "마스터 노드의 구성 요소에 문제가 발생하는 경우", replayed through the
chat router as a golden transcript (format: tests/golden_runner.py):
- the deleted scheduler pod comes back at once with a new AGE (17s in the notes);
- with the kubelet stopped on m-k8s the deleted scheduler pod stays Terminating (2m35s in the
  notes) while deployments still schedule and run; `systemctl start kubelet` brings it back;
- with docker stopped on m-k8s every kubectl is refused, also during the ~40 s the control plane
  needs after `systemctl start docker`; then m-k8s's pods show RESTARTS 1.
"""
from __future__ import annotations

import pytest

import golden_runner

SYSTEM_PODS = [
    ("calico-kube-controllers-744cfdf676-vmhf6", "m"), ("calico-node-89ql2", "m"), ("calico-node-g24t2", "w"),
    ("calico-node-rggz7", "w"), ("calico-node-zqg9l", "w"), ("coredns-74ff55c5b-62tgn", "m"),
    ("coredns-74ff55c5b-7p98b", "m"), ("etcd-m-k8s", "m"), ("kube-apiserver-m-k8s", "m"),
    ("kube-controller-manager-m-k8s", "m"), ("kube-proxy-nmg5m", "m"), ("kube-proxy-p47fm", "w"),
    ("kube-proxy-qqnxd", "w"), ("kube-proxy-ts9c6", "w")]
REFUSED = "The connection to the server 192.168.1.10:6443 was refused - did you specify the right host or port?"


def kube_system(scheduler_status: str, scheduler_age: str, m_restarts: int = 0) -> str:
    """`kubectl get pods -n kube-system` of the lab; the scheduler row and m-k8s's restarts vary."""
    status_width = max(len("Running"), len(scheduler_status)) + 3
    rows = [f"{'NAME':<43}{'READY':<8}{'STATUS':<{status_width}}{'RESTARTS':<11}AGE"]
    for name, where in SYSTEM_PODS:
        restarts = m_restarts if where == "m" else 0
        rows.append(f"{name:<43}{'1/1':<8}{'Running':<{status_width}}{restarts:<11}17h")
    rows.append(f"{'kube-scheduler-m-k8s':<43}{'1/1':<8}{scheduler_status:<{status_width}}{m_restarts:<11}"
                f"{scheduler_age}")
    return "\n".join(rows)


CONTROL_PLANE_DRILL = f"""\
> !k delete pod kube-scheduler-m-k8s -n kube-system
pod "kube-scheduler-m-k8s" deleted

> !wait 17s
⏩ 17s 뒤… (샌드박스 시계를 앞으로 돌렸어요)

> !k get pods -n kube-system
{kube_system("Running", "17s")}

> !sh systemctl stop kubelet

> !wait 2m18s
⏩ 2m18s 뒤… (샌드박스 시계를 앞으로 돌렸어요)

> !k delete pod kube-scheduler-m-k8s -n kube-system
pod "kube-scheduler-m-k8s" deleted

> !k get pods -n kube-system
{kube_system("Terminating", "2m35s")}

## the scheduler and the controllers still run (in docker): deployments work
> !k create deployment nginx --image=nginx
deployment.apps/nginx created

> !k scale deployment nginx --replicas=3
deployment.apps/nginx scaled

> !wait 1m
⏩ 60s 뒤… (샌드박스 시계를 앞으로 돌렸어요)

> !k get pods
NAME                     READY   STATUS    RESTARTS   AGE
nginx-6799fc88d8-{{{{suffix}}}}   1/1     Running   0          60s
nginx-6799fc88d8-{{{{suffix}}}}   1/1     Running   0          60s
nginx-6799fc88d8-{{{{suffix}}}}   1/1     Running   0          60s

> !k get nodes
NAME     STATUS     ROLES                  AGE   VERSION
m-k8s    NotReady   control-plane,master   17h   v1.20.2
w1-k8s   Ready      <none>                 17h   v1.20.2
w2-k8s   Ready      <none>                 17h   v1.20.2
w3-k8s   Ready      <none>                 17h   v1.20.2

> !sh systemctl start kubelet

> !wait 5s
⏩ 5s 뒤… (샌드박스 시계를 앞으로 돌렸어요)

> !k get pods -n kube-system
{kube_system("Running", "0s")}

> !sh systemctl stop docker
Warning: Stopping docker.service, but it can still be activated by:
  docker.socket

> !k get pods
{REFUSED}
[rc=1]

> !k get pods -n kube-system
{REFUSED}
[rc=1]

> !sh kubectl get nodes
{REFUSED}
[rc=1]

> !sh systemctl start docker

> !wait 39s
⏩ 39s 뒤… (샌드박스 시계를 앞으로 돌렸어요)

> !k get pods
{REFUSED}
[rc=1]

> !wait 1s
⏩ 1s 뒤… (샌드박스 시계를 앞으로 돌렸어요)

> !k get pods -n kube-system
{kube_system("Running", "40s", m_restarts=1)}

> !k delete deployment nginx
deployment.apps "nginx" deleted
"""


async def test_control_plane_drill(tmp_path):
    path = tmp_path / "drill.txt"
    path.write_text(CONTROL_PLANE_DRILL, encoding="utf-8")
    failure = await golden_runner.replay(path, tmp_path / "g.db")
    if failure:
        pytest.fail(failure, pytrace=False)


def test_table_helper_matches_kubectl_widths():
    assert kube_system("Running", "17h").splitlines()[1] == (
        "calico-kube-controllers-744cfdf676-vmhf6   1/1     Running   0          17h")
    assert kube_system("Terminating", "2m35s").splitlines()[-1] == (
        "kube-scheduler-m-k8s                       1/1     Terminating   0          2m35s")
