"""Build content/quizzes/ch9-outputs.yaml: questions that show a real multi-line output.

Each scenario is replayed through the real chat router on a fresh sandbox with a frozen clock
(time moves only with `!wait`), the outputs named `shot` are captured, and every question
quotes one or more of them (whole, or the part that matters) and asks what it means or what
happens next. Choices that name things in the output (a pod, a node port) are read from it.

    .venv/bin/python scripts/gen_output_quizzes.py          # rewrite the file
    .venv/bin/python scripts/gen_output_quizzes.py --check  # exit 1 if the file is stale

tests/test_quiz_outputs.py fails when the committed file is not what this script produces, e.g.
after the engine's output changed: run the script and review the diff.
"""
from __future__ import annotations

import asyncio
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.app import open_app  # noqa: E402
from bot.console import render  # noqa: E402
from bot.reply import Message  # noqa: E402

OUT = ROOT / "content" / "quizzes" / "ch9-outputs.yaml"
FROZEN_NOW = 1795000000.0
KIT = "~/_Lecture_k8s_starter.kit"
PROMPT = "[root@m-k8s ~]# "

PV_YAML = """!k apply -f -
```yaml
apiVersion: v1
kind: PersistentVolume
metadata:
  name: nfs-pv
spec:
  capacity:
    storage: 100Mi
  accessModes:
    - ReadWriteMany
  persistentVolumeReclaimPolicy: Retain
  nfs:
    server: 192.168.1.10
    path: /nfs_shared
```"""
PVC_YAML = """!k apply -f -
```yaml
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: nfs-pvc
spec:
  accessModes:
    - ReadWriteMany
  resources:
    requests:
      storage: 10Mi
```"""

# scenario -> chat lines; "name=!k …" captures that command's output as shot `name`.
SCENARIOS: dict[str, list[str]] = {
    "evict": [f"!k apply -f {KIT}/ch4/4.1/del-deploy.yaml", "!wait 30s", "!ssh w1-k8s systemctl stop kubelet",
              "!wait 40s", "nodes=!k get nodes", "!wait 5m30s", "pods=!k get pods -o wide",
              "node=!k describe node w1-k8s", "!ssh w1-k8s systemctl start kubelet", "!wait 30s",
              "back=!k get pods -o wide"],
    "docker": [f"!k apply -f {KIT}/ch4/4.1/del-deploy.yaml", "!wait 30s", "!ssh w1-k8s systemctl stop docker",
               "!wait 30s", "nodes=!k get nodes", "!k scale deployment del-deploy --replicas=6", "!wait 30s",
               "pods=!k get pods -o wide"],
    "pull": ["!k create deployment web --image=nginx:1.17.23", "!wait 40s", "pods=!k get pods",
             "describe=!k describe pods", "deploy=!k get deployment web", "events=!k get events"],
    "ep": ["!k create deployment chk-hn --image=sysnet4admin/chk-hn", "!k expose deployment chk-hn --port=80",
           "!wait 30s", "ep1=!k get endpoints chk-hn", "!k scale deployment chk-hn --replicas=3", "!wait 30s",
           "ep3=!k get endpoints chk-hn", "pods=!k get pods -o wide"],
    "rollout": ["!k create deployment rollout-nginx --image=nginx:1.15.12 --replicas=3", "!wait 30s",
                "!k set image deployment rollout-nginx nginx=nginx:1.16.0 --record", "!wait 60s",
                "history=!k rollout history deployment rollout-nginx", "rs=!k get rs",
                "!k set image deployment rollout-nginx nginx=nginx:1.17.23 --record", "!wait 60s",
                "pods=!k get pods", "deploy=!k get deployment rollout-nginx",
                "!k rollout undo deployment rollout-nginx", "!wait 60s",
                "undone=!k rollout history deployment rollout-nginx"],
    "pv": [PV_YAML, PVC_YAML, "!wait 5s", "pvpvc=!k get pv,pvc"],
    "nodename": [f"!k apply -f {KIT}/ch8/014/nodename.yaml", "!wait 20s", "pods=!k get pods -o wide",
                 "describe=!k describe pod nodename"],
    "scheduler": ["!k delete pod kube-scheduler-m-k8s -n kube-system", "!wait 5s",
                  "pods=!k get pods -n kube-system"],
    "drain": [f"!k apply -f {KIT}/ch4/4.1/del-deploy.yaml", "!wait 30s", "drain=!k drain w3-k8s --ignore-daemonsets",
              "!wait 10s", "nodes=!k get nodes", "pods=!k get pods -o wide"],
    "lb": ["!k create deployment chk-hn --image=sysnet4admin/chk-hn",
           "!k expose deployment chk-hn --type=LoadBalancer --port=80", "!wait 10s", "svc=!k get services"],
}

Shots = dict[str, tuple[str, str]]          # name -> (command as typed on m-k8s, output)


async def capture() -> dict[str, Shots]:
    """Replay every scenario (each as its own student, so on its own fresh sandbox)."""
    shots: dict[str, Shots] = {}
    with tempfile.TemporaryDirectory() as tmp:
        app = await open_app(Path(tmp) / "gen.db", clock=lambda: FROZEN_NOW, rate_limit=None)
        try:
            for scenario, lines in SCENARIOS.items():
                taken: Shots = {}
                for line in lines:
                    name, sep, command = line.partition("=!")
                    if not sep or " " in name:
                        name, command = "", line
                    else:
                        command = "!" + command
                    replies = await app.router.handle(
                        Message(content=command, user=f"gen-{scenario}", server="gen", user_name="gen"))
                    text = "\n".join(render(r) for r in replies)
                    if "Traceback" in text or "내부 오류" in text:
                        raise SystemExit(f"{scenario}: `{command}` failed:\n{text}")
                    if name:
                        taken[name] = (re.sub(r"^!k ", "kubectl ", command), text.rstrip("\n"))
                shots[scenario] = taken
        finally:
            await app.close()
    return shots


# -- cutting outputs -------------------------------------------------------------------------------

def part(text: str, start: str, stop: str | None = None) -> str:
    """The lines from the one starting with `start` up to (not including) the one starting with `stop`."""
    lines = text.splitlines()
    first = next(i for i, l in enumerate(lines) if l.startswith(start))
    last = next((i for i, l in enumerate(lines) if i > first and stop and l.startswith(stop)), len(lines))
    return "\n".join(lines[first:last])


def lines_with(text: str, *words: str) -> str:
    return "\n".join(l for l in text.splitlines() if any(w in l for w in words))


def rows(text: str) -> list[list[str]]:
    """A kubectl table's data rows as columns (split on runs of 2+ spaces)."""
    return [re.split(r"\s{2,}", l.strip()) for l in text.splitlines()[1:] if l.strip()]


def block(command: str, output: str) -> str:
    return f"```\n{PROMPT}{command}\n{output}\n```"


# -- the questions ---------------------------------------------------------------------------------

@dataclass
class Q:
    id: str
    section: str
    shots: list[tuple[str, str]]               # (scenario, shot) or (scenario, shot) cut by `cut`
    ko: str
    en: str
    choices: list[tuple[str, str]] = field(default_factory=list)   # the right one first
    explain: tuple[str, str] = ("", "")
    kind: str = "single"
    accept: list = field(default_factory=list)
    cut: dict[str, Callable[[str], str]] = field(default_factory=dict)
    dynamic: Callable[[dict], list[tuple[str, str]]] | None = None  # choices read from the shots
    ask: tuple[str, str] = ("", "")            # the question, when it comes after the output


def _age_seconds(age: str) -> int:
    total = 0
    for n, unit in re.findall(r"(\d+)([dhms])", age):
        total += int(n) * {"d": 86400, "h": 3600, "m": 60, "s": 1}[unit]
    return total


def newest_pod(shots) -> list[tuple[str, str]]:
    table = rows(shots["evict"]["pods"][1])
    newest = min(table, key=lambda r: _age_seconds(r[4]))
    others = [r[0] for r in table if r is not newest]
    return [(newest[0], newest[0])] + [(n, n) for n in others]


def endpoint_owner(shots) -> list[tuple[str, str]]:
    table = rows(shots["ep"]["pods"][1])
    owner = next(r for r in table if r[5] == "172.16.221.129")
    names = [owner[0]] + [r[0] for r in table if r is not owner]
    return [(n, n) for n in names] + [("chk-hn (서비스 자신)", "chk-hn (the service itself)")]


def pod_creator(shots) -> list[tuple[str, str]]:
    events = shots["pull"]["events"][1]
    creator = next(re.split(r"\s{2,}", l.strip())[3] for l in events.splitlines() if "Created pod" in l)
    return [(creator, creator), ("deployment/web", "deployment/web"), ("kubelet (w3-k8s)", "kubelet (w3-k8s)"),
            ("default-scheduler", "default-scheduler")]


def node_port_ways(shots) -> list[tuple[str, str]]:
    svc = next(r for r in rows(shots["lb"]["svc"][1]) if r[0] == "chk-hn")
    cluster_ip, node_port = svc[2], svc[4].split(":")[1].split("/")[0]
    return [(f"노드IP:{node_port} (예: 192.168.1.101:{node_port})", f"A node's IP on port {node_port} (192.168.1.101:{node_port})"),
            ("EXTERNAL-IP가 생길 때까지 방법이 없다", "There is none until EXTERNAL-IP is set"),
            (f"{cluster_ip}:{node_port} (클러스터 IP와 노드포트)", f"{cluster_ip}:{node_port} (cluster IP, node port)"),
            ("192.168.1.10:80 (m-k8s의 80번 포트)", "192.168.1.10:80 (port 80 on m-k8s)")]


QUESTIONS: list[Q] = [
    # -- kubelet stopped on w1-k8s: NotReady, eviction, recovery --------------------------------------
    Q("out-evict-notready", "kubelet-failure-eviction", [("evict", "nodes")],
      "w1-k8s에서 `systemctl stop kubelet`을 실행하고 40초 뒤의 출력입니다.",
      "40 seconds after `systemctl stop kubelet` on w1-k8s:",
      [("kubelet이 상태를 보고하지 않아서", "Its kubelet stopped reporting its status"),
       ("w1-k8s의 파드가 모두 축출되어 비었기 때문에", "All its pods were evicted, so the node is empty"),
       ("스케줄러가 w1-k8s를 클러스터에서 빼 버렸기 때문에", "The scheduler took w1-k8s out of the cluster"),
       ("도커가 함께 멈춰 컨테이너가 하나도 없어서", "Docker stopped with it, so no containers run")],
      ("노드의 kubelet은 주기적으로 API 서버에 상태를 보고합니다. 보고가 40초 동안 끊기면 노드 수명 주기 컨트롤러가 노드를 NotReady로 바꿉니다. 파드는 아직 그대로이고 도커도 돌고 있습니다.",
       "The kubelet reports the node's status to the API server regularly; after 40 s without a report the node lifecycle controller marks the node NotReady. Its pods are still there and docker still runs."),
      ask=("w1-k8s가 NotReady인 이유는?", "Why is w1-k8s NotReady?")),
    Q("out-evict-terminating", "kubelet-failure-eviction", [("evict", "pods")],
      "w1-k8s의 kubelet을 멈추고 약 6분 뒤입니다.", "About 6 minutes after stopping the kubelet on w1-k8s:",
      [("w1의 kubelet이 삭제를 끝내지 못해서", "w1's kubelet cannot finish the deletion"),
       ("디플로이먼트가 스스로 파드를 4개로 늘렸기 때문에", "The deployment scaled itself up to 4 pods"),
       ("API 서버가 파드를 5분에 한 번씩만 지우기 때문에", "The API server deletes pods only once every 5 minutes"),
       ("새 파드가 Running이 될 때까지 기다리는 중이라서", "It waits for the new pod to be Running first")],
      ("약 5분 뒤 컨트롤러가 w1의 파드를 축출(삭제 요청)하고 레플리카셋이 다른 노드에 새 파드를 만듭니다. 하지만 삭제를 실제로 끝내는 것은 그 노드의 kubelet이라, kubelet이 다시 켜질 때까지 Terminating으로 남습니다.",
       "After about 5 minutes the controller evicts (asks to delete) w1's pod and the replicaset makes a new one elsewhere. But the node's kubelet is what finishes a deletion, so the pod stays Terminating until the kubelet is back."),
      ask=("Terminating인 파드가 목록에 계속 남아 있는 이유는?", "Why does the Terminating pod stay in the list?")),
    Q("out-evict-replacement", "kubelet-failure-eviction", [("evict", "pods")],
      "w1-k8s의 kubelet을 멈추고 약 6분 뒤입니다.", "About 6 minutes after stopping the kubelet on w1-k8s:",
      explain=("AGE가 가장 짧은 파드가 축출 뒤 레플리카셋이 새로 만든 파드입니다. 축출된 w1의 파드는 Terminating으로 보이고, 나머지 둘은 처음부터 있던 파드입니다.",
               "The pod with the shortest AGE is the one the replicaset made after the eviction. The evicted w1 pod shows Terminating; the other two were there from the start."),
      dynamic=newest_pod, ask=("축출 뒤 새로 만들어진 파드는?", "Which pod was made after the eviction?")),
    Q("out-evict-serving", "kubelet-failure-eviction", [("evict", "pods")],
      "w1-k8s의 kubelet을 멈추고 약 6분 뒤입니다. 지금 요청을 실제로 처리할 수 있는 del-deploy 파드는 몇 개인가요?",
      "About 6 minutes after stopping the kubelet on w1-k8s. How many del-deploy pods can actually serve requests now?",
      kind="number", accept=[3],
      explain=("3개입니다. Running인 파드 3개(새로 만든 파드 포함)가 일하고, Terminating인 파드는 서비스의 엔드포인트에서 빠집니다. 디플로이먼트는 replicas 3을 지켰습니다.",
               "3: the three Running pods (the new one included) serve; a Terminating pod is removed from the service's endpoints. The deployment kept its 3 replicas.")),
    Q("out-evict-taint", "kubelet-failure-eviction", [("evict", "node")],
      "kubelet을 멈춘 w1-k8s를 describe한 일부입니다. 이 노드의 파드가 약 5분 뒤 축출된 것은 무엇 때문인가요?",
      "Part of `describe node` for w1-k8s, whose kubelet is stopped. What got its pods evicted after about 5 minutes?",
      [("unreachable:NoExecute 테인트", "The unreachable:NoExecute taint"),
       ("unreachable:NoSchedule 테인트", "The unreachable:NoSchedule taint"),
       ("Ready 조건의 NodeStatusUnknown 이유", "The NodeStatusUnknown reason of Ready"),
       ("Unschedulable: false 설정", "The Unschedulable: false setting")],
      ("NoExecute 테인트는 이미 돌고 있는 파드까지 쫓아냅니다. 파드에는 이 테인트를 300초 견디는 toleration이 기본으로 붙어 있어 약 5분 뒤 축출됩니다. NoSchedule은 새 파드를 받지 않게 할 뿐입니다.",
       "A NoExecute taint drives out pods that already run. Pods get a default toleration of 300 s for it, hence eviction after about 5 minutes. NoSchedule only keeps new pods away."),
      cut={"node": lambda t: part(t, "Taints:", "Lease:")}),
    Q("out-evict-unknown", "kubelet-failure-eviction", [("evict", "node")],
      "같은 노드의 Conditions입니다. Status가 True/False가 아니라 Unknown인 것은 무엇을 뜻하나요?",
      "The same node's Conditions. What does Status Unknown (rather than True or False) mean?",
      [("kubelet 소식이 끊겨 상태를 모름", "No word from the kubelet: state unknown"),
       ("메모리, 디스크, PID가 모두 한계에 다다름", "Memory, disk and PIDs have all hit their limits"),
       ("노드가 클러스터에서 지워지는 중임", "The node is being removed from the cluster"),
       ("Calico 네트워크가 끊겨 노드에 접속할 수 없음", "Calico's network is down, so the node is unreachable")],
      ("Unknown은 '모른다'입니다. 이유(NodeStatusUnknown)와 메시지(Kubelet stopped posting node status.)가 말하듯 kubelet이 보고를 멈춰 컨트롤 플레인이 노드의 상태를 알 수 없습니다. 네트워크(Calico)는 False, 즉 문제없음으로 남아 있습니다.",
       "Unknown means nobody knows: as the reason (NodeStatusUnknown) and message (Kubelet stopped posting node status.) say, the kubelet stopped reporting. NetworkUnavailable is still False, i.e. Calico is fine."),
      cut={"node": lambda t: "\n".join(l for l in part(t, "Conditions:", "Addresses:").splitlines()
                                       if not l.lstrip().startswith("-"))}),
    Q("out-evict-recovered", "kubelet-failure-eviction", [("evict", "back")],
      "w1-k8s에서 `systemctl start kubelet`을 실행하고 30초 뒤입니다. Terminating이던 파드는 어떻게 되었나요?",
      "30 seconds after `systemctl start kubelet` on w1-k8s. What became of the Terminating pod?",
      [("돌아온 kubelet이 삭제를 끝내 목록에서 사라졌다", "The returning kubelet finished deleting it: it is gone"),
       ("w1-k8s에서 다시 Running이 되었다", "It is Running again on w1-k8s"),
       ("w2-k8s로 옮겨져 Running이 되었다", "It moved to w2-k8s and is Running"),
       ("Completed로 바뀌어 목록에 남았다", "It turned Completed and stays listed")],
      ("kubelet이 돌아오면 API 서버에 남아 있던 삭제 요청을 보고 컨테이너를 정리한 뒤 삭제를 끝냅니다. 파드는 옮겨지지 않습니다: 대신 만들어진 새 파드가 이미 w2-k8s에서 돌고 있습니다.",
       "Back, the kubelet sees the pending deletion, cleans up the container and completes it. Pods are never moved: the replacement already runs on w2-k8s.")),
    # -- docker stopped on w1-k8s ---------------------------------------------------------------------
    Q("out-docker-notready", "runtime-failure-scheduler", [("docker", "nodes")],
      "w1-k8s에서 `systemctl stop docker`를 실행하고 30초 뒤입니다. kubelet은 살아 있는데 w1-k8s가 NotReady인 이유는?",
      "30 seconds after `systemctl stop docker` on w1-k8s. Its kubelet still runs; why is w1-k8s NotReady?",
      [("kubelet이 런타임 고장을 알려서", "The kubelet reported the runtime is down"),
       ("kubelet도 도커 컨테이너로 돌아 함께 멈춰서", "The kubelet runs in docker and stopped with it"),
       ("스케줄러가 w1-k8s에 파드를 더 둘 수 없다고 표시해서", "The scheduler marked w1-k8s as unable to take pods"),
       ("etcd가 w1-k8s의 기록을 지워서", "etcd deleted w1-k8s's record")],
      ("kubelet은 systemd 서비스라 도커와 상관없이 살아 있습니다. 컨테이너 런타임이 응답하지 않자 kubelet이 노드의 Ready 조건을 False로 보고해서 NotReady가 되었습니다 (kubelet이 멈췄을 때와 달리 Unknown이 아닙니다).",
       "The kubelet is a systemd service and lives on without docker. With the container runtime not answering, the kubelet itself reports Ready False, hence NotReady (not Unknown, as when the kubelet stops).")),
    Q("out-docker-scale", "runtime-failure-scheduler", [("docker", "pods")],
      "도커를 멈춘 채 `kubectl scale deployment del-deploy --replicas=6`을 실행하고 30초 뒤입니다. 새 파드 3개가 w1-k8s에 하나도 가지 않은 이유는?",
      "Docker still stopped, `kubectl scale deployment del-deploy --replicas=6`, 30 seconds later. Why did none of the 3 new pods go to w1-k8s?",
      [("스케줄러가 NotReady 노드를 피해서", "The scheduler avoids the NotReady node"),
       ("w1-k8s가 아직 nginx 이미지를 내려받는 중이라", "w1-k8s is still busy pulling the nginx image"),
       ("디플로이먼트는 한 노드에 파드를 2개까지만 두어서", "A deployment puts at most 2 pods on one node"),
       ("w1-k8s의 파드 IP 대역(172.16.221.x)이 가득 차서", "w1-k8s's pod IP range (172.16.221.x) is full")],
      ("NotReady 노드에는 not-ready 테인트가 붙고, 스케줄러는 이 노드에 새 파드를 배치하지 않습니다. 그래서 새 파드는 모두 w2-k8s와 w3-k8s로 갔습니다.",
       "A NotReady node carries the not-ready taint and the scheduler places no new pods there, so every new pod went to w2-k8s or w3-k8s.")),
    Q("out-docker-still-running", "runtime-failure-scheduler", [("docker", "pods")],
      "같은 출력입니다. w1-k8s의 del-deploy 파드가 아직 Running으로 보이는 이유는?",
      "The same output. Why does the del-deploy pod on w1-k8s still show Running?",
      [("축출은 약 5분 뒤라서", "Eviction comes after about 5 minutes"),
       ("도커 없이도 컨테이너가 계속 돌며 실제로 응답하기 때문에", "Its container keeps running without docker and answers"),
       ("kubelet이 Running이라고 거짓으로 보고하기 때문에", "The kubelet falsely reports it as Running"),
       ("그 파드는 스태틱 파드라 축출되지 않기 때문에", "It is a static pod, so it is never evicted")],
      ("STATUS는 API 서버에 마지막으로 기록된 상태입니다. 노드가 NotReady가 되고 약 5분(toleration 300초)이 지나야 파드가 축출되어 Terminating이 되고 다른 노드에 대신할 파드가 만들어집니다.",
       "STATUS is the last state recorded in the API server. The pod is evicted (Terminating, with a replacement elsewhere) only about 5 minutes (the 300 s toleration) after the node went NotReady.")),
    # -- an image that cannot be pulled -----------------------------------------------------------------
    Q("out-pull-backoff", "pods", [("pull", "pods")],
      "`kubectl create deployment web --image=nginx:1.17.23`을 실행하고 40초 뒤입니다. ImagePullBackOff는 무엇을 뜻하나요?",
      "40 seconds after `kubectl create deployment web --image=nginx:1.17.23`. What does ImagePullBackOff mean?",
      [("이미지를 못 받아 간격을 늘려 재시도 중", "Pull failed; retrying with growing delays"),
       ("이미지를 받았지만 컨테이너가 계속 죽어 다시 시작하는 중", "The image came, but the container keeps crashing"),
       ("스케줄러가 파드를 둘 노드를 찾지 못해 기다리는 중", "The scheduler found no node for the pod and waits"),
       ("이미지를 받는 중", "The image is being pulled")],
      ("이미지를 내려받지 못하면 ErrImagePull이 되고, kubelet은 점점 긴 간격(back-off, 최대 5분)을 두고 다시 시도합니다. 그 기다리는 동안의 상태가 ImagePullBackOff입니다. 컨테이너가 죽는 경우는 CrashLoopBackOff입니다.",
       "A failed pull shows ErrImagePull and the kubelet retries after longer and longer pauses (back-off, up to 5 minutes); while it waits the status is ImagePullBackOff. A container that keeps dying shows CrashLoopBackOff instead.")),
    Q("out-pull-cause", "pods", [("pull", "describe")],
      "같은 파드를 `kubectl describe pods`로 본 이벤트입니다. 실패의 원인은?",
      "The events of the same pod from `kubectl describe pods`. What is the cause?",
      [("nginx:1.17.23 태그가 없음", "There is no nginx:1.17.23 tag"),
       ("w3-k8s가 인터넷에 연결되어 있지 않음", "w3-k8s has no internet connection"),
       ("도커 허브 로그인 정보가 없어 거부됨", "No Docker Hub login, so it was refused"),
       ("디스크가 가득 차 이미지를 저장할 수 없음", "The disk is full, so the image cannot be stored")],
      ("`manifest for nginx:1.17.23 not found: manifest unknown`: 레지스트리에 그런 태그가 없다는 뜻입니다. 이미지 이름이나 태그를 고쳐야 하며(set image, edit), 기다려서 해결되지는 않습니다.",
       "`manifest for nginx:1.17.23 not found: manifest unknown`: the registry has no such tag. Fix the image name or tag (set image, edit); waiting will not help."),
      cut={"describe": lambda t: part(t, "Events:")}),
    Q("out-pull-next", "pods", [("pull", "describe")],
      "같은 이벤트입니다. 이제 kubelet은 무엇을 하나요?", "The same events. What does the kubelet do now?",
      [("간격을 늘려 가며 다시 받아 본다", "Tries again, waiting longer each time"),
       ("파드를 지우고 다른 노드에 새로 만든다", "Deletes the pod and makes one on another node"),
       ("nginx:latest로 바꿔 받는다", "Falls back to nginx:latest"),
       ("더 시도하지 않고 파드를 Failed로 바꾼다", "Gives up and marks the pod Failed")],
      ("`(x3 over 40s)`처럼 같은 이벤트가 반복됩니다. kubelet은 back-off 간격(10초, 20초, 40초 … 최대 5분)을 두고 계속 다시 받아 봅니다. 파드를 옮기거나 이미지를 바꾸는 일은 하지 않습니다.",
       "The same events repeat, `(x3 over 40s)`: the kubelet keeps retrying with back-off (10 s, 20 s, 40 s … up to 5 minutes). It neither moves the pod nor changes the image."),
      cut={"describe": lambda t: part(t, "Events:")}),
    Q("out-pull-deploy", "deployments-scale", [("pull", "deploy")],
      "같은 때의 디플로이먼트입니다. READY 0/1, AVAILABLE 0에 대해 맞는 것은?",
      "The deployment at the same moment. What is true of READY 0/1, AVAILABLE 0?",
      [("파드는 있지만 준비된 것이 없다", "Its pod exists but is not ready"),
       ("파드가 아직 하나도 만들어지지 않았다", "No pod has been created yet"),
       ("레플리카셋이 아직 만들어지지 않았다", "No replicaset has been created yet"),
       ("디플로이먼트가 일시 정지(pause)되어 있다", "The deployment is paused")],
      ("UP-TO-DATE 1은 새 템플릿의 파드가 1개 있다는 뜻입니다. 그 파드가 이미지를 받지 못해 준비되지 않았으므로 READY 0/1, AVAILABLE 0입니다.",
       "UP-TO-DATE 1 says one pod of the current template exists; it cannot pull its image, so nothing is ready: READY 0/1, AVAILABLE 0.")),
    Q("out-pull-creator", "self-healing", [("pull", "events")],
      "`kubectl get events`입니다. 파드를 만든 것(Created pod: … 이벤트의 OBJECT)은?",
      "`kubectl get events`. Which object created the pod (the OBJECT of the Created pod: … event)?",
      explain=("디플로이먼트는 레플리카셋을 만들고(ScalingReplicaSet), 파드를 만드는 것은 레플리카셋입니다(SuccessfulCreate). 스케줄러는 노드를 정하고(Scheduled), kubelet은 이미지를 받고 실행합니다.",
               "The deployment makes the replicaset (ScalingReplicaSet); the replicaset makes the pod (SuccessfulCreate). The scheduler picks the node (Scheduled) and the kubelet pulls and runs."),
      dynamic=pod_creator),
    # -- endpoints follow the pods ------------------------------------------------------------------------
    Q("out-ep-scale", "services-nodeport", [("ep", "ep1"), ("ep", "ep3")],
      "`kubectl expose deployment chk-hn --port=80` 뒤에, 그리고 `kubectl scale deployment chk-hn --replicas=3` 30초 뒤에 본 엔드포인트입니다.",
      "The endpoints after `kubectl expose deployment chk-hn --port=80`, and 30 seconds after `kubectl scale deployment chk-hn --replicas=3`:",
      [("셀렉터에 맞는 Ready 파드가 늘어서", "More ready pods match its selector"),
       ("서비스를 다시 만들어 새 주소를 받았기 때문에", "The service was recreated with new addresses"),
       ("워커가 3대라 노드마다 주소가 하나씩 생겨서", "There are 3 workers, so each node adds an address"),
       ("kube-proxy가 80번 포트를 세 번 열어서", "kube-proxy opened port 80 three times")],
      ("엔드포인트 컨트롤러는 서비스의 셀렉터(app=chk-hn)에 맞고 Ready인 파드의 IP:포트를 ENDPOINTS에 모읍니다. 파드가 3개가 되자 주소도 3개가 되었고, 서비스로 온 요청은 이 셋으로 나뉩니다.",
       "The endpoints controller lists IP:port of every ready pod matching the service's selector (app=chk-hn). Three pods, three addresses; requests to the service are spread over them."),
      ask=("주소가 1개에서 3개가 된 이유는?", "Why did one address become three?")),
    Q("out-ep-count", "services-nodeport", [("ep", "ep3")],
      "`kubectl scale deployment chk-hn --replicas=3` 30초 뒤입니다. 서비스 chk-hn으로 보낸 요청을 받을 수 있는 파드는 몇 개인가요?",
      "30 seconds after `kubectl scale deployment chk-hn --replicas=3`. How many pods can receive requests sent to the service chk-hn?",
      kind="number", accept=[3],
      explain=("ENDPOINTS에 IP:포트가 3개 있으므로 3개입니다. 서비스는 이 주소들로만 요청을 보냅니다.",
               "3: ENDPOINTS lists three IP:port pairs, and the service sends requests only there.")),
    Q("out-ep-which-pod", "services-nodeport", [("ep", "ep3"), ("ep", "pods")],
      "엔드포인트와 파드 목록입니다. ENDPOINTS의 172.16.221.129:80으로 가는 요청을 받는 것은?",
      "The endpoints and the pods. Which receives requests sent to 172.16.221.129:80 in ENDPOINTS?",
      explain=("엔드포인트의 주소는 파드의 IP입니다. `-o wide`의 IP 열에서 172.16.221.129를 찾으면 그 파드이고, 172.16.221.x 대역은 w1-k8s의 파드 대역입니다.",
               "An endpoint address is a pod's IP: find 172.16.221.129 in the IP column of `-o wide`. The 172.16.221.x range belongs to w1-k8s."),
      dynamic=endpoint_owner),
    # -- rolling update and rollback --------------------------------------------------------------------
    Q("out-rollout-record", "deployments-scale", [("rollout", "history")],
      "nginx:1.15.12로 만든 rollout-nginx에 `kubectl set image deployment rollout-nginx nginx=nginx:1.16.0 --record`를 한 뒤입니다. 리비전 1의 CHANGE-CAUSE가 <none>인 이유는?",
      "rollout-nginx was created with nginx:1.15.12, then `kubectl set image deployment rollout-nginx nginx=nginx:1.16.0 --record`. Why is revision 1's CHANGE-CAUSE <none>?",
      [("처음 만들 때 --record가 없어서", "It was created without --record"),
       ("리비전 1로는 되돌릴 수 없어 기록이 지워졌기 때문에", "Revision 1 cannot be rolled back to, so it was cleared"),
       ("디플로이먼트를 만들 때는 이미지가 아직 정해지지 않아서", "A new deployment has no image until set image runs"),
       ("CHANGE-CAUSE는 가장 최근 리비전에만 쓰이기 때문에", "CHANGE-CAUSE is written on the latest revision only")],
      ("--record를 주면 그 명령이 kubernetes.io/change-cause 주석으로 남아 CHANGE-CAUSE에 보입니다. 리비전 1을 만든 create deployment에는 --record가 없었습니다. 리비전 1로도 얼마든지 되돌릴 수 있습니다.",
       "--record stores the command in the kubernetes.io/change-cause annotation, shown as CHANGE-CAUSE. The create deployment that made revision 1 had no --record. Revision 1 can still be rolled back to.")),
    Q("out-rollout-old-rs", "deployments-scale", [("rollout", "rs")],
      "같은 때의 `kubectl get rs`입니다. DESIRED 0인 레플리카셋이 지워지지 않고 남아 있는 이유는?",
      "`kubectl get rs` at the same moment. Why is the replicaset with DESIRED 0 kept?",
      [("되돌릴 때 다시 쓰려고", "To be reused by a rollback"),
       ("파드 3개가 모두 지워질 때까지 기다리는 중이라서", "It waits until its 3 pods are all deleted"),
       ("가비지 컬렉터가 하루에 한 번만 지우기 때문에", "The garbage collector cleans up once a day"),
       ("새 레플리카셋이 실패하면 스스로 되돌아가려고", "So the deployment can switch back by itself on failure")],
      ("옛 레플리카셋은 리비전 기록입니다(revisionHistoryLimit, 기본 10개). `kubectl rollout undo`는 이 레플리카셋의 템플릿으로 되돌리고 다시 늘립니다. 실패했다고 스스로 되돌아가지는 않습니다.",
       "An old replicaset is a revision record (revisionHistoryLimit, 10 by default). `kubectl rollout undo` goes back to its template and scales it up again. Nothing rolls back by itself on failure.")),
    Q("out-rollout-stuck", "deployments-scale", [("rollout", "pods")],
      "이어서 없는 태그 nginx:1.17.23으로 set image를 하고 60초 뒤입니다. 서비스는 어떻게 되나요?",
      "Next, set image to nginx:1.17.23 (no such tag), 60 seconds later. What happens to the service?",
      [("옛 파드 3개가 계속 응답한다", "The 3 old pods keep serving"),
       ("파드 4개가 모두 멈춰 서비스가 끊긴다", "All 4 pods stop and the service goes down"),
       ("새 파드를 기다리며 옛 파드가 하나씩 지워진다", "Old pods are deleted one by one while it waits"),
       ("디플로이먼트가 스스로 1.16.0으로 되돌린다", "The deployment rolls itself back to 1.16.0")],
      ("롤링 업데이트는 새 파드가 Ready가 되어야 옛 파드를 줄입니다(maxUnavailable 25%). 새 파드가 ImagePullBackOff에 머무니 옛 파드 3개가 그대로 일하고, 롤아웃은 멈춰 있습니다. 되돌리는 것은 사람의 몫입니다(rollout undo).",
       "A rolling update removes old pods only as new ones become ready (maxUnavailable 25%). The new pod is stuck in ImagePullBackOff, so the 3 old pods keep serving and the rollout waits. Rolling back is up to you (rollout undo).")),
    Q("out-rollout-columns", "deployments-scale", [("rollout", "deploy")],
      "같은 때의 디플로이먼트입니다. UP-TO-DATE 1, AVAILABLE 3은 무엇을 뜻하나요?",
      "The deployment at the same moment. What do UP-TO-DATE 1 and AVAILABLE 3 mean?",
      [("새 템플릿 파드 1개, 쓸 수 있는 파드 3개", "1 pod on the new template, 3 usable pods"),
       ("업데이트 1회 완료, 남은 업데이트 3회", "1 update done, 3 to go"),
       ("노드 1대가 최신, 3대가 옛 버전", "1 node current, 3 old"),
       ("1분 전 업데이트, 3분 동안 사용 가능", "Updated 1 min ago, usable 3 min")],
      ("UP-TO-DATE는 지금 템플릿(nginx:1.17.23)으로 만든 파드 수, AVAILABLE은 준비되어 요청을 받을 수 있는 파드 수입니다. 새 파드 1개는 준비되지 않았고 옛 파드 3개가 일합니다.",
       "UP-TO-DATE counts pods made from the current template (nginx:1.17.23); AVAILABLE counts pods ready to serve. The new pod is not ready; the 3 old ones serve.")),
    Q("out-rollout-undo-command", "deployments-scale", [("rollout", "pods")],
      "nginx:1.17.23으로 바꾼 롤아웃이 멈춰 있습니다. 바로 전 리비전(nginx:1.16.0)으로 되돌리는 명령을 입력하세요.",
      "The rollout to nginx:1.17.23 is stuck. Type the command that goes back to the previous revision (nginx:1.16.0).",
      kind="command", accept=["kubectl rollout undo deployment rollout-nginx"],
      explain=("`kubectl rollout undo deployment rollout-nginx` → `deployment.apps/rollout-nginx rolled back`. --to-revision 없이 쓰면 바로 전 리비전으로 돌아갑니다.",
               "`kubectl rollout undo deployment rollout-nginx` → `deployment.apps/rollout-nginx rolled back`. Without --to-revision it returns to the previous revision.")),
    Q("out-rollout-renumbered", "deployments-scale", [("rollout", "undone")],
      "`kubectl rollout undo deployment rollout-nginx` 뒤의 history입니다. 리비전 2가 사라지고 4가 생긴 이유는?",
      "The history after `kubectl rollout undo deployment rollout-nginx`. Why did revision 2 go and 4 appear?",
      [("되돌린 리비전 2가 4번이 되어서", "Revision 2 was reused as number 4"),
       ("리비전 2가 실패로 판정되어 지워지고 4가 새로 생겨서", "Revision 2 failed, so it was deleted and 4 made anew"),
       ("undo는 항상 리비전 번호를 두 개씩 건너뛰어서", "undo always skips two revision numbers"),
       ("history는 최근 3개만 보여 줘서", "history shows only the last 3")],
      ("undo는 옛 레플리카셋(리비전 2, nginx:1.16.0)을 다시 쓰고, 그 레플리카셋이 새 번호 4를 받습니다. 그래서 같은 템플릿이 두 번 보이지 않습니다. 리비전 3은 실패한 1.17.23입니다.",
       "undo reuses the old replicaset (revision 2, nginx:1.16.0) and gives it the new number 4, so the same template never appears twice. Revision 3 is the failed 1.17.23.")),
    Q("out-rollout-to-revision", "deployments-scale", [("rollout", "undone")],
      "같은 history입니다. 처음 이미지(nginx:1.15.12)인 리비전 1로 되돌리는 명령을 입력하세요.",
      "The same history. Type the command that returns to revision 1, the first image (nginx:1.15.12).",
      kind="command", accept=["kubectl rollout undo deployment rollout-nginx --to-revision=1"],
      explain=("`kubectl rollout undo deployment rollout-nginx --to-revision=1`. --to-revision 없이 undo를 한 번 더 하면 바로 전 리비전(3, 실패한 1.17.23)으로 가 버립니다.",
               "`kubectl rollout undo deployment rollout-nginx --to-revision=1`. A plain undo would go to the previous revision (3, the failed 1.17.23).")),
    # -- NFS persistent volume and claim --------------------------------------------------------------------
    Q("out-pv-capacity", "objects-spec-status", [("pv", "pvpvc")],
      "nfs-pv(용량 100Mi)와 nfs-pvc(요청 10Mi)를 apply한 뒤입니다. PVC의 CAPACITY가 10Mi가 아니라 100Mi인 이유는?",
      "After applying nfs-pv (capacity 100Mi) and nfs-pvc (request 10Mi). Why is the claim's CAPACITY 100Mi, not 10Mi?",
      [("PV 전체가 PVC에 묶여서", "The whole PV is bound to it"),
       ("PVC는 요청의 10배를 미리 잡아 두기 때문에", "A claim reserves ten times its request"),
       ("NFS 서버가 100Mi 단위로만 나눠 주기 때문에", "NFS hands out space only in 100Mi blocks"),
       ("STORAGECLASS가 비어 있어 기본 크기가 쓰여서", "STORAGECLASS is empty, so a default size applies")],
      ("PVC는 요청(10Mi) 이상인 PV 하나와 통째로 묶입니다. 묶인 PV의 용량이 PVC의 CAPACITY로 보이며, 한 PV를 여러 PVC가 나눠 쓰지는 않습니다.",
       "A claim binds to one whole PV at least as large as its request (10Mi); the bound PV's size shows as the claim's CAPACITY. A PV is never shared between claims.")),
    Q("out-pv-bound", "objects-spec-status", [("pv", "pvpvc")],
      "같은 출력입니다. STATUS가 Bound라는 것은?", "The same output. What does STATUS Bound mean?",
      [("PV와 PVC가 짝지어졌다", "The PV and the claim are paired"),
       ("NFS가 마운트되어 파드가 쓰고 있다", "NFS is mounted and a pod is writing to it"),
       ("PVC를 지울 수 없도록 잠겼다", "The claim is locked against deletion"),
       ("PV가 가득 차 더 쓸 수 없다", "The PV is full")],
      ("Bound는 PV의 CLAIM 열(default/nfs-pvc)과 PVC의 VOLUME 열(nfs-pv)처럼 둘이 서로를 가리킨다는 뜻입니다. 아직 어떤 파드도 이 PVC를 쓰지 않습니다: 파드가 volumes에 persistentVolumeClaim으로 적어야 마운트됩니다.",
       "Bound means they point at each other: the PV's CLAIM is default/nfs-pvc and the claim's VOLUME is nfs-pv. No pod uses it yet: a pod mounts it by naming the claim under volumes (persistentVolumeClaim).")),
    Q("out-pv-retain", "objects-spec-status", [("pv", "pvpvc")],
      "같은 출력입니다. RECLAIM POLICY가 Retain일 때 nfs-pvc를 지우면 어떻게 되나요?",
      "The same output. With RECLAIM POLICY Retain, what happens when nfs-pvc is deleted?",
      [("PV와 NFS의 데이터는 남는다", "The PV and the NFS data stay"),
       ("PV도 지워지고 NFS의 데이터도 함께 지워진다", "The PV goes too, and the NFS data is wiped"),
       ("PV가 곧바로 다른 PVC에 다시 묶인다", "The PV is at once bound to another claim"),
       ("PVC가 지워지지 않고 Terminating으로 남는다", "The claim stays Terminating forever")],
      ("Retain은 '남겨 둔다'입니다. PVC를 지우면 PV는 Released가 되고 데이터(/nfs_shared)는 그대로 남습니다. 다시 쓰려면 관리자가 PV를 정리해야 하며, 다른 PVC에 저절로 묶이지 않습니다.",
       "Retain keeps it: deleting the claim leaves the PV Released with its data (/nfs_shared) untouched. An administrator must clean it up before reuse; it does not bind to another claim by itself.")),
    Q("out-pv-rwx", "objects-spec-status", [("pv", "pvpvc")],
      "같은 출력입니다. ACCESS MODES의 RWX는?", "The same output. What is RWX under ACCESS MODES?",
      [("여러 노드에서 읽고 쓰기", "Read-write from many nodes"),
       ("한 노드에서만 읽고 쓰기", "Read-write from one node only"),
       ("여러 노드에서 읽기만", "Read-only from many nodes"),
       ("읽기, 쓰기, 실행 모두 가능", "Read, write and execute")],
      ("RWX는 ReadWriteMany: 여러 노드의 파드가 함께 읽고 씁니다. NFS라서 가능하며, 그래서 여러 노드에 흩어진 nfs-pvc-deploy의 파드 4개가 같은 볼륨을 씁니다. RWO는 한 노드, ROX는 여러 노드에서 읽기만입니다.",
       "RWX is ReadWriteMany: pods on many nodes read and write together. NFS allows it, which is how the 4 nfs-pvc-deploy pods on different nodes share one volume. RWO is one node, ROX read-only from many.")),
    # -- nodeName: no scheduler -------------------------------------------------------------------------------
    Q("out-nodename-no-scheduled", "runtime-failure-scheduler", [("nodename", "pods"), ("nodename", "describe")],
      "nodename.yaml(spec.nodeName: w3-k8s)을 apply한 뒤입니다. 다른 파드와 달리 이벤트에 Scheduled가 없는 이유는?",
      "After applying nodename.yaml (spec.nodeName: w3-k8s). Unlike other pods, why are there no Scheduled events?",
      [("스케줄러를 거치지 않아서", "It never went through the scheduler"),
       ("w3-k8s의 kubelet이 Scheduled 이벤트를 지워서", "w3-k8s's kubelet deleted the Scheduled event"),
       ("이벤트는 1시간이 지나야 기록되기 때문에", "Events are recorded only after an hour"),
       ("스케줄러가 이벤트를 kube-system 쪽에 남겨서", "The scheduler logged it in kube-system instead")],
      ("nodeName이 이미 정해진 파드는 스케줄러가 건너뜁니다. Scheduled 이벤트는 스케줄러가 노드를 정할 때 남기는 것이라 없고, w3-k8s의 kubelet이 바로 이미지를 받고 실행했습니다(Pulling, Created, Started).",
       "The scheduler skips a pod whose nodeName is already set. Scheduled is the event the scheduler writes when it picks a node, so there is none; w3-k8s's kubelet pulled and started it directly (Pulling, Created, Started)."),
      cut={"describe": lambda t: part(t, "Events:")}),
    Q("out-nodename-cordoned", "runtime-failure-scheduler", [("nodename", "pods")],
      "이 파드는 spec.nodeName: w3-k8s로 만들었습니다. 만약 w3-k8s가 cordon되어 SchedulingDisabled였다면 이 파드는?",
      "This pod was made with spec.nodeName: w3-k8s. Had w3-k8s been cordoned (SchedulingDisabled), what would happen to it?",
      [("그래도 w3-k8s에서 실행된다", "It still runs on w3-k8s"),
       ("Pending으로 남아 스케줄러를 기다린다", "It stays Pending, waiting for the scheduler"),
       ("스케줄러가 w1-k8s나 w2-k8s로 옮긴다", "The scheduler moves it to w1-k8s or w2-k8s"),
       ("API 서버가 생성을 거부한다 (Forbidden)", "The API server refuses it (Forbidden)")],
      ("cordon(SchedulingDisabled)은 스케줄러에게 '여기에 두지 말라'는 표시일 뿐입니다. nodeName을 직접 쓴 파드는 스케줄러를 거치지 않으므로 그 노드의 kubelet이 그대로 실행합니다.",
       "cordon (SchedulingDisabled) only tells the scheduler to keep away. A pod with nodeName set never meets the scheduler, so that node's kubelet runs it anyway.")),
    # -- the scheduler is a static pod --------------------------------------------------------------------------
    Q("out-static-recreated", "static-pods-control-plane", [("scheduler", "pods")],
      "`kubectl delete pod kube-scheduler-m-k8s -n kube-system`을 실행하고 5초 뒤입니다. 이름은 그대로이고 AGE만 5s인 이유는?",
      "5 seconds after `kubectl delete pod kube-scheduler-m-k8s -n kube-system`. Why is the name the same and only AGE 5s?",
      [("m-k8s의 kubelet이 스태틱 파드로 다시 만들어서", "m-k8s's kubelet recreated it as a static pod"),
       ("레플리카셋이 같은 이름으로 다시 만들어서", "A replicaset recreated it with the same name"),
       ("삭제가 거부되고 AGE만 새로 세어서", "The deletion was refused; only AGE restarted"),
       ("스케줄러가 자기 자신을 다시 배치해서", "The scheduler rescheduled itself")],
      ("kube-scheduler는 /etc/kubernetes/manifests의 파일로 m-k8s의 kubelet이 띄우는 스태틱 파드입니다. API의 파드(미러 파드)를 지워도 kubelet이 곧바로 같은 이름(이름-노드)으로 다시 만듭니다. 레플리카셋 해시가 붙지 않은 이름이 그 표시입니다.",
       "kube-scheduler is a static pod m-k8s's kubelet runs from a file in /etc/kubernetes/manifests. Delete its API copy (the mirror pod) and the kubelet recreates it at once under the same name (name-node): no replicaset hash in the name.")),
    Q("out-static-count", "static-pods-control-plane", [("scheduler", "pods")],
      "같은 출력입니다. 이 중 m-k8s의 kubelet이 /etc/kubernetes/manifests의 파일로 띄운 스태틱 파드는 몇 개인가요?",
      "The same output. How many of these are static pods that m-k8s's kubelet runs from files in /etc/kubernetes/manifests?",
      kind="number", accept=[4],
      explain=("4개: etcd-m-k8s, kube-apiserver-m-k8s, kube-controller-manager-m-k8s, kube-scheduler-m-k8s. 이름 끝이 노드 이름(-m-k8s)입니다. calico-node와 kube-proxy는 데몬셋, coredns와 calico-kube-controllers는 디플로이먼트의 파드입니다.",
               "4: etcd-m-k8s, kube-apiserver-m-k8s, kube-controller-manager-m-k8s and kube-scheduler-m-k8s, named after their node (-m-k8s). calico-node and kube-proxy belong to daemonsets; coredns and calico-kube-controllers to deployments.")),
    # -- drain ----------------------------------------------------------------------------------------------------
    Q("out-drain-daemonsets", "runtime-failure-scheduler", [("drain", "drain"), ("drain", "nodes")],
      "del-deploy를 배포한 뒤 w3-k8s를 drain했습니다. calico-node와 kube-proxy 파드는 어떻게 되었나요?",
      "With del-deploy deployed, w3-k8s was drained. What became of the calico-node and kube-proxy pods?",
      [("w3-k8s에 그대로 남았다", "They stay on w3-k8s"),
       ("다른 노드로 옮겨져 노드마다 두 개씩 돈다", "They moved to other nodes, two per node"),
       ("지워지고 w3-k8s가 NotReady가 되었다", "They were deleted and w3-k8s went NotReady"),
       ("축출되어 Pending으로 남았다", "Evicted, they stay Pending")],
      ("`--ignore-daemonsets`는 데몬셋의 파드를 '무시하고' 축출하지 않습니다. 데몬셋 파드는 노드마다 하나씩 있어야 하므로 옮길 곳도 없습니다. del-deploy 파드만 축출되어 다른 노드에 새로 만들어졌습니다.",
       "`--ignore-daemonsets` leaves daemonset pods alone rather than evicting them; they belong one per node and have nowhere to go. Only the del-deploy pod was evicted and recreated elsewhere.")),
    Q("out-drain-uncordon", "runtime-failure-scheduler", [("drain", "pods")],
      "drain 뒤의 파드입니다. 이제 `kubectl uncordon w3-k8s`를 하면 어떻게 되나요?",
      "The pods after the drain. What happens after `kubectl uncordon w3-k8s`?",
      [("새 파드부터 w3-k8s에 갈 수 있다", "New pods may go to w3-k8s again"),
       ("옮겨진 파드가 w3-k8s로 곧바로 돌아온다", "The moved pods return to w3-k8s at once"),
       ("del-deploy가 4개로 늘어 w3-k8s를 채운다", "del-deploy grows to 4 to fill w3-k8s"),
       ("w3-k8s가 재부팅되어 잠시 NotReady가 된다", "w3-k8s reboots and is NotReady a while")],
      ("uncordon은 SchedulingDisabled를 풀 뿐입니다. 쿠버네티스는 돌고 있는 파드를 옮기지 않으므로, 앞으로 만들어지는 파드(스케일, 재배포)부터 w3-k8s에 배치될 수 있습니다.",
       "uncordon only lifts SchedulingDisabled. Kubernetes does not move running pods, so only pods created from now on (scaling, a new rollout) may land on w3-k8s.")),
    # -- LoadBalancer without MetalLB --------------------------------------------------------------------------------
    Q("out-lb-pending", "loadbalancer-metallb", [("lb", "svc")],
      "MetalLB를 설치하지 않은 클러스터에서 `kubectl expose deployment chk-hn --type=LoadBalancer --port=80`을 실행하고 10초 뒤입니다. EXTERNAL-IP가 <pending>인 이유는?",
      "In a cluster without MetalLB, 10 seconds after `kubectl expose deployment chk-hn --type=LoadBalancer --port=80`. Why is EXTERNAL-IP <pending>?",
      [("외부 IP를 나눠 줄 MetalLB가 없어서", "No MetalLB to hand out external IPs"),
       ("kube-proxy가 아직 iptables 규칙을 만드는 중이라서", "kube-proxy is still writing its iptables rules"),
       ("파드가 모두 Ready가 될 때까지 IP를 미루기 때문에", "The IP waits until every pod is Ready"),
       ("노드포트가 이미 다른 서비스에 쓰이고 있어서", "Its node port is already used by another service")],
      ("LoadBalancer 타입은 외부 IP를 줄 구현(클라우드의 로드밸런서, 이 실습에서는 MetalLB)이 있어야 합니다. 없으면 영원히 <pending>입니다. 그래도 ClusterIP와 노드포트는 만들어져 있습니다.",
       "A LoadBalancer service needs something to give it an external IP (a cloud load balancer; MetalLB in this lab). Without one it stays <pending> for ever; its cluster IP and node port exist all the same.")),
    Q("out-lb-nodeport", "loadbalancer-metallb", [("lb", "svc")],
      "같은 출력입니다. 이 상태에서도 클러스터 밖에서 chk-hn에 접속하는 방법은?",
      "The same output. How can chk-hn still be reached from outside the cluster?",
      explain=("LoadBalancer 서비스는 NodePort 서비스이기도 합니다. PORT(S)의 80:노드포트/TCP에서 노드포트를 읽어 아무 노드의 IP로 접속합니다. 클러스터 IP는 클러스터 안에서만 쓰이고 노드포트와 짝이 아닙니다.",
               "A LoadBalancer service is also a NodePort service: read the node port in 80:NODEPORT/TCP under PORT(S) and use any node's IP. The cluster IP works only inside the cluster and does not go with the node port."),
      dynamic=node_port_ways),
]


# -- writing ---------------------------------------------------------------------------------------

class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def entry(q: Q, shots: dict[str, Shots]) -> dict:
    blocks = []
    for scenario, name in q.shots:
        command, output = shots[scenario][name]
        blocks.append(block(command, q.cut.get(name, lambda t: t)(output)))
    shown = "\n".join(blocks)
    item = {"id": q.id, "section": q.section, "kind": q.kind,
            "q": {"ko": f"{q.ko}\n{shown}\n{q.ask[0]}".strip(), "en": f"{q.en}\n{shown}\n{q.ask[1]}".strip()}}
    choices = q.dynamic(shots) if q.dynamic else q.choices
    if q.kind == "single":
        item["choices"] = [{"ko": ko, "en": en} if ko != en else ko for ko, en in choices]
        item["answer"] = 1
    else:
        item["accept"] = q.accept
    item["explain"] = {"ko": q.explain[0], "en": q.explain[1]}
    return item


def generate() -> str:
    shots = asyncio.run(capture())
    header = ("# GENERATED by scripts/gen_output_quizzes.py from scenarios replayed on the sandbox engine: do not edit.\n"
              "# Questions that show a real multi-line output and ask what it means or what happens next.\n")
    body = {"DESCRIPTION": "Reading real outputs: eviction, runtime failure, image pulls, endpoints, rollout, PV/PVC, "
                           "nodeName, static pods, drain, LoadBalancer",
            "QUESTIONS": [entry(q, shots) for q in QUESTIONS]}
    return header + yaml.dump(body, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)


def main(argv: list[str]) -> int:
    text = generate()
    if "--check" in argv:
        same = OUT.exists() and OUT.read_text(encoding="utf-8") == text
        print("up to date" if same else f"{OUT} is stale: run scripts/gen_output_quizzes.py")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({len(QUESTIONS)} questions)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
