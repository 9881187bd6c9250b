"""Traffic: curl to pod IPs, ClusterIPs, NodePorts on every node, MetalLB addresses; logs and exec."""
from __future__ import annotations

import re


from engine.node import traffic

NOW = 1795000000.0
KIT = "~/_Lecture_k8s_starter.kit"
NODE_IPS = ("192.168.1.10", "192.168.1.101", "192.168.1.102", "192.168.1.103")
ACCESS = re.compile(r'^\S+ - - \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d \+0000\] "GET / HTTP/1\.1" 200 612 "-" "curl/7\.29\.0" "-"$')




def k(sb, line: str) -> str:
    out, rc = sb.kubectl(line)
    assert rc == 0, out
    return out


def sh(sb, line: str) -> tuple[str, int]:
    return sb.shell(line, "m-k8s")


def pod_ip(sb, name: str) -> str:
    return sb.cluster.get("Pod", "default", name)["status"]["podIP"]


def svc(sb, name: str) -> dict:
    return sb.cluster.get("Service", "default", name)


async def test_nginx_pod_and_nodeport_on_every_node(sb):
    k(sb, "run nginx --image=nginx")
    k(sb, "expose pod nginx --type=NodePort --port=80")
    sb.wait(10)
    page = traffic.NGINX_PAGE.rstrip("\n")
    assert len(traffic.NGINX_PAGE.encode()) == 612
    assert sh(sb, f"curl {pod_ip(sb, 'nginx')}") == (page, 0)
    node_port = svc(sb, "nginx")["spec"]["ports"][0]["nodePort"]
    for ip in NODE_IPS:
        assert sh(sb, f"curl {ip}:{node_port}") == (page, 0)
    assert sh(sb, f"curl http://w2-k8s:{node_port}/") == (page, 0)
    assert sh(sb, f"curl {svc(sb, 'nginx')['spec']['clusterIP']}") == (page, 0)
    logs = k(sb, "logs nginx").splitlines()
    assert logs[0] == "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration"
    assert logs[6] == "/docker-entrypoint.sh: Configuration complete; ready for start up"
    assert len(logs) == 7 + 7 and all(ACCESS.match(line) for line in logs[7:]), logs
    assert k(sb, "logs nginx --tail=1") == logs[-1]


async def test_curl_head_shows_the_nginx_version(sb):
    k(sb, "run old --image=nginx:1.16.0")
    sb.wait(30)
    out, rc = sh(sb, f"curl -I --silent {pod_ip(sb, 'old')}")
    assert rc == 0
    assert out.splitlines()[:2] == ["HTTP/1.1 200 OK", "Server: nginx/1.16.0"]


async def test_loadbalancer_spreads_over_chk_hn_pods(sb):
    k(sb, f"apply -f {KIT}/ch2/2.4/metallb.yaml")
    k(sb, "create deployment chk-hn --image=sysnet4admin/chk-hn")
    k(sb, "scale deployment chk-hn --replicas=3")
    k(sb, "expose deployment chk-hn --type=LoadBalancer --port=80")
    sb.wait(30)
    pods = {p["metadata"]["name"] for p in sb.cluster.list("Pod", "default")}
    answers = [sh(sb, "curl 192.168.1.11") for _ in range(12)]
    assert all(rc == 0 and out in pods for out, rc in answers), answers
    assert len({out for out, _ in answers}) > 1
    # the same pods answer through the NodePort of the LoadBalancer service
    node_port = svc(sb, "chk-hn")["spec"]["ports"][0]["nodePort"]
    assert sh(sb, f"curl 192.168.1.10:{node_port}")[0] in pods
    assert sh(sb, "curl 192.168.1.11:8080") == ("curl: (7) Failed connect to 192.168.1.11:8080; Connection refused", 7)


async def test_failures_as_curl_7_29_prints_them(sb):
    k(sb, "create service clusterip empty --tcp=80:80")
    ip = svc(sb, "empty")["spec"]["clusterIP"]
    assert sh(sb, f"curl {ip}") == (f"curl: (7) Failed connect to {ip}:80; Connection refused", 7)
    assert sh(sb, f"curl {ip}:81") == (f"curl: (7) Failed connect to {ip}:81; Connection timed out", 7)
    assert sh(sb, "curl 10.0.0.1") == ("curl: (7) Failed connect to 10.0.0.1:80; Connection timed out", 7)
    assert sh(sb, "curl 192.168.1.50") == ("curl: (7) Failed connect to 192.168.1.50:80; No route to host", 7)
    assert sh(sb, "curl 192.168.1.11") == ("curl: (7) Failed connect to 192.168.1.11:80; No route to host", 7)
    assert sh(sb, "curl 192.168.1.101:8080") == ("curl: (7) Failed connect to 192.168.1.101:8080; Connection refused", 7)
    assert sh(sb, "curl nginx") == ("curl: (6) Could not resolve host: nginx; Name or service not known", 6)
    assert sh(sb, "curl http://") == ("curl: (3) <url> malformed", 3)
    assert sh(sb, "curl") == ("curl: try 'curl --help' or 'curl --manual' for more information", 2)
    assert sh(sb, "curl 192.168.1.10:70000") == ("curl: (3) Port number too large: 70000", 3)


async def test_docker_down_node_serves_nothing(sb):
    k(sb, "run nginx --image=nginx")
    sb.wait(10)
    pod = sb.cluster.get("Pod", "default", "nginx")
    node = pod["spec"]["nodeName"]
    sb.cluster.meta["hosts"][node]["docker"] = False
    ip = pod_ip(sb, "nginx")
    assert sh(sb, f"curl {ip}") == (f"curl: (7) Failed connect to {ip}:80; Connection timed out", 7)


async def test_pod_without_web_server_refuses(sb):
    k(sb, "run bb --image=busybox -- sleep 3600")
    sb.wait(10)
    ip = pod_ip(sb, "bb")
    assert sh(sb, f"curl {ip}") == (f"curl: (7) Failed connect to {ip}:80; Connection refused", 7)


async def test_exec(sb):
    k(sb, "run nginx --image=nginx")
    sb.wait(10)
    k(sb, "run broken --image=nginx")                # not started yet
    assert k(sb, "exec nginx -- hostname") == "nginx"
    assert k(sb, "exec nginx -- curl -s localhost") == traffic.NGINX_PAGE.rstrip("\n")
    assert sb.kubectl("exec nginx -- nslookup kubernetes") == (
        'OCI runtime exec failed: exec failed: container_linux.go:349: starting container process caused '
        '"exec: \\"nslookup\\": executable file not found in $PATH": unknown\ncommand terminated with exit code 126', 126)
    assert sb.kubectl("exec nope -- ls") == ('Error from server (NotFound): pods "nope" not found', 1)
    assert sb.kubectl("exec nginx") == ("error: you must specify at least one command for the container", 1)
    assert sb.kubectl("exec broken -- ls") == ('error: unable to upgrade connection: container not found ("broken")', 1)
    assert sb.kubectl("exec nginx -- cat /nope") == (
        "cat: /nope: No such file or directory\ncommand terminated with exit code 1", 1)
    assert k(sb, "exec nginx hostname") == (
        "kubectl exec [POD] [COMMAND] is DEPRECATED and will be removed in a future version. "
        "Use kubectl exec [POD] -- [COMMAND] instead.\nnginx")
    assert k(sb, "exec nginx -- sh -c 'hostname; echo hi'") == "nginx\nhi"


async def test_logs_errors(sb):
    k(sb, "run broken --image=nginx")
    assert sb.kubectl("logs nope") == ('Error from server (NotFound): pods "nope" not found', 1)
    assert sb.kubectl("logs")[0].startswith("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.")
    sb.wait(1)
    assert sb.kubectl("logs broken") == ('Error from server (BadRequest): container "broken" in pod "broken" is '
                                         'waiting to start: ContainerCreating', 1)
    assert k(sb, "logs -l app=none") == "No resources found in default namespace."


async def test_volume_lab_5_2(sb):
    assert sh(sb, f"{KIT}/ch5/5.2/nfs-exporter.sh log")[1] == 0
    k(sb, f"apply -f {KIT}/ch5/5.2/dpy-chk-log.yaml")
    sb.wait(30)
    pods = sorted(p["metadata"]["name"] for p in sb.cluster.list("Pod", "default"))
    assert len(pods) == 3
    first = pods[0]
    assert sh(sb, f"curl {pod_ip(sb, first)}") == (first, 0)
    sh(sb, f"curl {pod_ip(sb, first)}")
    listing = k(sb, f"exec {pods[1]} -- ls /audit")
    assert listing == f"audit_{first}.log"
    lines = k(sb, f"exec {first} -- cat /audit/audit_{first}.log").splitlines()
    assert len(lines) == 2
    assert re.fullmatch(r"\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d \+0900  172\.16\.\d+\.\d+  GET", lines[0]), lines
    k(sb, f"delete pod {first}")
    sb.wait(30)
    survivor = sorted(p["metadata"]["name"] for p in sb.cluster.list("Pod", "default"))[0]
    assert f"audit_{first}.log" in k(sb, f"exec {survivor} -- ls /audit")
    assert sh(sb, f"cat /nfs_shared/log/audit_{first}.log")[0].splitlines() == lines


async def test_logs_are_bounded(sb, monkeypatch):
    monkeypatch.setattr(traffic, "MAX_LOGGED_PODS", 2)
    k(sb, "create deployment web --image=nginx --replicas=3")
    sb.wait(10)
    for pod in sb.cluster.list("Pod", "default"):
        for _ in range(traffic.MAX_LOG_LINES + 5):
            traffic.append_log(sb.cluster, pod, "x")
    logs = sb.cluster.meta["podlogs"]
    assert len(logs) == 2 and all(len(v) == traffic.MAX_LOG_LINES for v in logs.values())
