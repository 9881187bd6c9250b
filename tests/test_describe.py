"""kubectl describe against a sandbox, compared with real kubectl 1.20.2 output.

The lab outputs below are the study notes' chapter 2 as real kubectl prints it (course lab layout).
Only what depends on time or allocation (timestamps, ages, cluster IPs, node ports, pod IPs)
is matched by pattern.
"""
from __future__ import annotations

import contextlib
import json
import re

from engine.kubectl.describe_writer import Writer, when
from engine.sandbox import SandboxManager
from engine.store import Store
from engine.timefmt import rfc3339

WALL = 1795000000.0

LAB_DEPLOYMENT = """\
Name:                   chk-hn
Namespace:              default
CreationTimestamp:      Fri, 27 Nov 2026 11:00:44 +0000
Labels:                 app=chk-hn
Annotations:            deployment.kubernetes.io/revision: 1
Selector:               app=chk-hn
Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable
StrategyType:           RollingUpdate
MinReadySeconds:        0
RollingUpdateStrategy:  25% max unavailable, 25% max surge
Pod Template:
  Labels:  app=chk-hn
  Containers:
   chk-hn:
    Image:        sysnet4admin/chk-hn
    Port:         <none>
    Host Port:    <none>
    Environment:  <none>
    Mounts:       <none>
  Volumes:        <none>
Conditions:
  Type           Status  Reason
  ----           ------  ------
  Available      True    MinimumReplicasAvailable
  Progressing    True    NewReplicaSetAvailable
OldReplicaSets:  <none>
NewReplicaSet:   chk-hn-595c5b45 (3/3 replicas created)
Events:
  Type    Reason             Age   From                   Message
  ----    ------             ----  ----                   -------
  Normal  ScalingReplicaSet  6s    deployment-controller  Scaled up replica set chk-hn-595c5b45 to 1
  Normal  ScalingReplicaSet  6s    deployment-controller  Scaled up replica set chk-hn-595c5b45 to 3"""

LAB_SERVICE = """\
Name:                     chk-hn
Namespace:                default
Labels:                   app=chk-hn
Annotations:              <none>
Selector:                 app=chk-hn
Type:                     LoadBalancer
IP Families:              <none>
IP:                       10.108.251.93
IPs:                      10.108.251.93
LoadBalancer Ingress:     192.168.1.11
Port:                     <unset>  80/TCP
TargetPort:               80/TCP
NodePort:                 <unset>  30564/TCP
Endpoints:                172.16.103.130:80,172.16.132.2:80,172.16.132.3:80
Session Affinity:         None
External Traffic Policy:  Cluster
Events:"""

# kubectl 1.20 `describe svc kubernetes` (transcript shape) with the course lab's API server address
SVC_KUBERNETES = """\
Name:              kubernetes
Namespace:         default
Labels:            component=apiserver
                   provider=kubernetes
Annotations:       <none>
Selector:          <none>
Type:              ClusterIP
IP Families:       <none>
IP:                10.96.0.1
IPs:               10.96.0.1
Port:              https  443/TCP
TargetPort:        6443/TCP
Endpoints:         192.168.1.10:6443
Session Affinity:  None
Events:            <none>"""

RFC1123 = r"\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d \+0000"
AGE = r"\d+[smhd]"
IP = r"\d+\.\d+\.\d+\.\d+"
# Lines whose value depends on the clock or on allocation: label -> pattern for the value.
VARIABLE = {"CreationTimestamp:": RFC1123, "IP:": IP, "IPs:": IP, "NodePort:": r"<unset>  \d+/TCP",
            "Endpoints:": rf"{IP}:80,{IP}:80,{IP}:80"}


class Lab:
    """A student's sandbox driven as the bot drives it: each command is one unit of work."""

    def __init__(self, mgr: SandboxManager):
        self.mgr = mgr

    async def raw(self, line: str, stdin: str | None = None) -> tuple[str, int]:
        async with self.mgr.open("s", "u") as sb:
            return sb.kubectl(line, stdin)

    async def k(self, line: str) -> str:
        out, rc = await self.raw(line)
        assert rc == 0, out
        return out

    async def wait(self, seconds: float) -> None:
        async with self.mgr.open("s", "u") as sb:
            sb.wait(seconds)


@contextlib.asynccontextmanager
async def sandbox(tmp_path):
    store = await Store.open(tmp_path / "t.db")
    try:
        yield Lab(SandboxManager(store, wall=lambda: WALL))
    finally:
        await store.close()


def pattern_for(expected_line: str) -> str:
    """An exact regex for a lab line, with the value of a VARIABLE line and event ages loosened."""
    for label, value in VARIABLE.items():
        if expected_line.startswith(label):
            key_and_pad = re.match(r"^\S+:\s+", expected_line).group(0)
            return re.escape(key_and_pad) + value + "$"
    m = re.match(r"^(  Normal  ScalingReplicaSet  )\S+(\s+)(deployment-controller.*)$", expected_line)
    if m:
        return re.escape(m.group(1)) + AGE + r"\s+" + re.escape(m.group(3)) + "$"
    return re.escape(expected_line) + "$"


def assert_lines_match(actual: str, expected: str) -> None:
    got = actual.split("\n")
    want = expected.split("\n")
    assert len(got) == len(want), actual
    for g, w in zip(got, want):
        assert re.match(pattern_for(w), g), f"{g!r} does not match lab line {w!r}"


async def _lab_chk_hn(sb):
    await sb.k("create deployment chk-hn --image=sysnet4admin/chk-hn")
    await sb.k("scale deployment chk-hn --replicas=3")
    await sb.wait(10)
    await sb.k("expose deployment chk-hn --type=LoadBalancer --port=80")


async def test_describe_deployment_matches_lab(tmp_path):
    async with sandbox(tmp_path) as sb:
        await _lab_chk_hn(sb)
        out = await sb.k("describe deployment chk-hn")
        assert_lines_match(out, LAB_DEPLOYMENT)
        assert "  Normal  ScalingReplicaSet  10s   deployment-controller  Scaled up replica set chk-hn-595c5b45 to 1" in out
        # the short name, TYPE/NAME and a name prefix describe the same object
        assert await sb.k("describe deploy/chk-hn") == out
        assert await sb.k("describe deploy chk") == out


async def test_describe_service_matches_lab_except_load_balancer(tmp_path):
    async with sandbox(tmp_path) as sb:
        await _lab_chk_hn(sb)
        out = await sb.k("describe service chk-hn")
        # MetalLB (another controller) adds the ingress line and its events: compare the rest.
        head = out.split("\nEvents:")[0] + "\nEvents:"
        head = "\n".join(l for l in head.split("\n") if not l.startswith("LoadBalancer Ingress:"))
        want = "\n".join(l for l in LAB_SERVICE.split("\n") if not l.startswith("LoadBalancer Ingress:"))
        assert_lines_match(head, want)
        svc = json.loads(await sb.k("get svc chk-hn -o json"))
        assert f"IP:                       {svc['spec']['clusterIP']}\n" in out
        assert f"NodePort:                 <unset>  {svc['spec']['ports'][0]['nodePort']}/TCP\n" in out
        ips = sorted(p["status"]["podIP"] for p in json.loads(await sb.k("get pods -o json"))["items"])
        assert f"Endpoints:                {','.join(f'{ip}:80' for ip in ips)}\n" in out


async def test_describe_svc_kubernetes_exact(tmp_path):
    async with sandbox(tmp_path) as sb:
        assert await sb.k("describe svc kubernetes") == SVC_KUBERNETES


def expected_pod(pod: dict, node_ip: str, events: str) -> str:
    cs = pod["status"]["containerStatuses"][0]
    token = pod["spec"]["volumes"][0]["name"]
    return f"""\
Name:         nginx
Namespace:    default
Priority:     0
Node:         {pod['spec']['nodeName']}/{node_ip}
Start Time:   {when(pod['status']['startTime'])}
Labels:       run=nginx
Annotations:  <none>
Status:       Running
IP:           {pod['status']['podIP']}
IPs:
  IP:  {pod['status']['podIP']}
Containers:
  nginx:
    Container ID:   {cs['containerID']}
    Image:          nginx
    Image ID:       {cs['imageID']}
    Port:           <none>
    Host Port:      <none>
    State:          Running
      Started:      {when(cs['state']['running']['startedAt'])}
    Ready:          True
    Restart Count:  0
    Environment:    <none>
    Mounts:
      /var/run/secrets/kubernetes.io/serviceaccount from {token} (ro)
Conditions:
  Type              Status
  Initialized       True 
  Ready             True 
  ContainersReady   True 
  PodScheduled      True 
Volumes:
  {token}:
    Type:        Secret (a volume populated by a Secret)
    SecretName:  {token}
    Optional:    false
QoS Class:       BestEffort
Node-Selectors:  <none>
Tolerations:     node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                 node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
{events}"""


async def test_describe_pod_nginx(tmp_path):
    async with sandbox(tmp_path) as sb:
        await sb.k("run nginx --image=nginx")
        await sb.wait(10)
        out = await sb.k("describe pod nginx")
        pod = json.loads(await sb.k("get pod nginx -o json"))
        node_ip = pod["status"]["hostIP"]
        node = pod["spec"]["nodeName"]
        head, events = out.split("\nEvents:\n")
        assert head + "\nEvents:" == expected_pod(pod, node_ip, "Events:")
        rows = events.split("\n")
        assert rows[0] == "  Type    Reason     Age   From               Message"
        assert rows[1] == "  ----    ------     ----  ----               -------"
        assert rows[2] == f"  Normal  Scheduled  10s   default-scheduler  Successfully assigned default/nginx to {node}"
        assert rows[3] == '  Normal  Pulling    10s   kubelet            Pulling image "nginx"'
        assert re.fullmatch(r'  Normal  Pulled     \d+s    kubelet            Successfully pulled image "nginx" in '
                            r'\d\.\d{9}s', rows[4])
        assert [r.split()[1] for r in rows[5:]] == ["Created", "Started"]


async def test_describe_pending_and_terminating_pod(tmp_path):
    async with sandbox(tmp_path) as sb:
        await sb.k("run web --image=nginx")
        out = await sb.k("describe pod web")
        assert "\nIP:           \nIPs:          <none>\nContainers:\n" in out
        await sb.wait(10)
        await sb.k("delete pod web --wait=false")
        out = await sb.k("describe pod web")
        # kubectl 1.20 measures "lasts" from the future deletion time: HumanDuration says <invalid>
        assert "\nStatus:                    Terminating (lasts <invalid>)\nTermination Grace Period:  30s\n" in out


async def test_describe_pod_controlled_by_and_priority(tmp_path):
    async with sandbox(tmp_path) as sb:
        out = await sb.k("describe pod -n kube-system coredns-74ff55c5b-62tgn")
        assert "Priority:             2000000000\nPriority Class Name:  system-cluster-critical\n" in out
        # after `IPs:` a new alignment run starts, narrower than the one above (real kubectl does this)
        assert re.search(rf"\nIPs:\n  IP:           {IP}\nControlled By:  ReplicaSet/coredns-74ff55c5b\n", out)
        assert "    Ports:         53/UDP, 53/TCP, 9153/TCP\n    Host Ports:    0/UDP, 0/TCP, 0/TCP\n" in out
        assert ("    Liveness:     http-get http://:8080/health delay=60s timeout=5s period=10s #success=1 "
                "#failure=5\n") in out
        assert "    Limits:\n      memory:  170Mi\n    Requests:\n      cpu:        100m\n      memory:     70Mi\n" in out
        assert "QoS Class:       Burstable\nNode-Selectors:  kubernetes.io/os=linux\n" in out


async def test_describe_node_sections_in_order(tmp_path):
    async with sandbox(tmp_path) as sb:
        await sb.k("create deployment web --image=nginx --replicas=3")
        await sb.wait(10)
        out = await sb.k("describe node w1-k8s")
        sections = ["Name:", "Roles:", "Labels:", "Annotations:", "CreationTimestamp:", "Taints:",
                    "Unschedulable:", "Lease:", "Conditions:", "Addresses:", "Capacity:", "Allocatable:",
                    "System Info:", "PodCIDR:", "PodCIDRs:", "Non-terminated Pods:", "Allocated resources:",
                    "Events:"]
        starts = [line.split(":")[0] + ":" for line in out.split("\n") if line and not line.startswith(" ")]
        assert [s for s in starts if s in sections] == sections
        assert "Roles:              <none>\n" in out
        assert "Taints:             <none>\nUnschedulable:      false\nLease:\n  HolderIdentity:  w1-k8s\n" in out
        assert "  InternalIP:  192.168.1.101\n  Hostname:    w1-k8s\n" in out
        pods = [p for p in json.loads(await sb.k("get pods -A -o json"))["items"] if p["spec"].get("nodeName") == "w1-k8s"]
        assert f"\nNon-terminated Pods:          ({len(pods)} in total)\n" in out
        assert re.search(r"\n  kube-system +calico-node-g24t2 +250m \(25%\) +0 \(0%\) +0 \(0%\) +0 \(0%\) +17h\n", out)
        assert "  cpu                250m (25%)  0 (0%)\n" in out
        assert out.endswith("\nEvents:              <none>")
        master = await sb.k("describe no m-k8s")
        assert "Roles:              control-plane,master\n" in master
        assert "Taints:             node-role.kubernetes.io/master:NoSchedule\n" in master


async def test_describe_errors(tmp_path):
    async with sandbox(tmp_path) as sb:
        assert await sb.raw("describe pod x") == ('Error from server (NotFound): pods "x" not found', 1)
        assert await sb.raw("describe deploy x") == ('Error from server (NotFound): deployments.apps "x" not found', 1)
        assert await sb.raw("describe foo") == ('error: the server doesn\'t have a resource type "foo"', 1)
        out, rc = await sb.raw("describe")
        assert rc == 1 and out.startswith("error: You must specify the type of resource to describe.")
        assert await sb.raw("describe pods") == ("No resources found in default namespace.", 0)
        assert (await sb.raw("describe pod a -l x=y"))[0] == "error: name cannot be provided when a selector is specified"


async def test_describe_several_pods_and_prefix(tmp_path):
    async with sandbox(tmp_path) as sb:
        for name in ("nginx-a", "nginx-b", "other"):
            await sb.k(f"run {name} --image=nginx")
        await sb.wait(10)
        listing = await sb.k("describe pods")
        parts = listing.split("\n\n\n")          # kubectl prints "\n\n" before each later object
        assert [p.split("\n")[0] for p in parts] == ["Name:         nginx-a", "Name:         nginx-b",
                                                     "Name:         other"]
        assert parts[0] == await sb.k("describe pod nginx-a")
        prefix = await sb.k("describe pod nginx")   # no pod "nginx": every pod whose name starts with it
        assert prefix == parts[0] + "\n\n" + parts[1]
        assert (await sb.raw("describe pod nginx-c"))[0] == 'Error from server (NotFound): pods "nginx-c" not found'
        assert (await sb.raw("describe pod/nginx"))[0] == 'Error from server (NotFound): pods "nginx" not found'
        only = await sb.k("describe po -A -l run=other")
        assert only == parts[2]


async def test_describe_replicaset(tmp_path):
    async with sandbox(tmp_path) as sb:
        await _lab_chk_hn(sb)
        out = await sb.k("describe rs chk-hn-595c5b45")
        assert out.startswith("""\
Name:           chk-hn-595c5b45
Namespace:      default
Selector:       app=chk-hn,pod-template-hash=595c5b45
Labels:         app=chk-hn
                pod-template-hash=595c5b45
Annotations:    deployment.kubernetes.io/desired-replicas: 3
                deployment.kubernetes.io/max-replicas: 4
                deployment.kubernetes.io/revision: 1
Controlled By:  Deployment/chk-hn
Replicas:       3 current / 3 desired
Pods Status:    3 Running / 0 Waiting / 0 Succeeded / 0 Failed
Pod Template:
  Labels:  app=chk-hn
           pod-template-hash=595c5b45
  Containers:
   chk-hn:
    Image:        sysnet4admin/chk-hn
    Port:         <none>
    Host Port:    <none>
    Environment:  <none>
    Mounts:       <none>
  Volumes:        <none>
Events:
  Type    Reason            Age   From                   Message
  ----    ------            ----  ----                   -------
""")
        assert out.count("  Normal  SuccessfulCreate  10s   replicaset-controller  Created pod: chk-hn-595c5b45-") == 3


async def test_describe_core_kinds(tmp_path):
    async with sandbox(tmp_path) as sb:
        assert await sb.k("describe ns default") == """\
Name:         default
Labels:       <none>
Annotations:  <none>
Status:       Active

No resource quota.

No LimitRange resource."""
        token = json.loads(await sb.k("get sa default -o json"))["secrets"][0]["name"]
        assert await sb.k("describe sa default") == f"""\
Name:                default
Namespace:           default
Labels:              <none>
Annotations:         <none>
Image pull secrets:  <none>
Mountable secrets:   {token}
Tokens:              {token}
Events:              <none>"""
        assert await sb.k("describe ep kubernetes") == """\
Name:         kubernetes
Namespace:    default
Labels:       endpointslice.kubernetes.io/skip-mirror=true
Annotations:  <none>
Subsets:
  Addresses:          192.168.1.10
  NotReadyAddresses:  <none>
  Ports:
    Name   Port  Protocol
    ----   ----  --------
    https  6443  TCP

Events:  <none>"""
        ds = await sb.k("describe ds kube-proxy -n kube-system")
        assert ds.startswith("Name:           kube-proxy\nSelector:       k8s-app=kube-proxy\n"
                             "Node-Selector:  kubernetes.io/os=linux\n")
        assert "\nDesired Number of Nodes Scheduled: 4\n" in ds
        assert "\nPods Status:  4 Running / 0 Waiting / 0 Succeeded / 0 Failed\nPod Template:\n" in ds
        assert "      NODE_NAME:         (v1:spec.nodeName)\n" in ds
        assert "  Priority Class Name:  system-node-critical\n" in ds


MANIFEST = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx
---
apiVersion: v1
kind: Service
metadata:
  name: nosvc
spec:
  ports:
  - port: 80
"""


async def test_describe_from_file(tmp_path):
    async with sandbox(tmp_path) as sb:
        await sb.k("run web --image=nginx")
        pod = await sb.k("describe pod web")
        out, rc = await sb.raw("describe -f -", MANIFEST)
        assert (out, rc) == (pod + '\nError from server (NotFound): services "nosvc" not found', 1)


def test_events_table_repeated_event_age():
    w = Writer(now=1000.0)
    w.write(0, "Name:\tx\n")
    w.events([{"type": "Warning", "reason": "BackOff", "count": 2, "firstTimestamp": rfc3339(908.0),
               "lastTimestamp": rfc3339(971.0), "source": {"component": "kubelet", "host": "w1-k8s"},
               "message": "Back-off restarting failed container"},
              {"type": "Normal", "reason": "Pulling", "count": 1, "firstTimestamp": rfc3339(990.0),
               "lastTimestamp": rfc3339(990.0), "source": {"component": "kubelet"},
               "message": 'Pulling image "busybox"'}])
    assert w.text() == """\
Name:  x
Events:
  Type     Reason   Age                From     Message
  ----     ------   ----               ----     -------
  Warning  BackOff  29s (x2 over 92s)  kubelet  Back-off restarting failed container
  Normal   Pulling  10s                kubelet  Pulling image "busybox"
"""
