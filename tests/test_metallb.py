"""MetalLB (layer 2) from the course kit: pool 192.168.1.11-19, lowest free address first."""
from __future__ import annotations

import re


from engine.controllers import metallb

NOW = 1795000000.0
METALLB = "~/_Lecture_k8s_starter.kit/ch2/2.4/metallb.yaml"




def k(sb, line: str) -> str:
    out, rc = sb.kubectl(line)
    assert rc == 0, out
    return out


def external_ips(sb) -> dict[str, str]:
    rows = k(sb, "get svc").splitlines()[1:]
    return {r.split()[0]: r.split()[3] for r in rows}


def install(sb) -> None:
    k(sb, f"apply -f {METALLB}")
    sb.wait(30)


def lb(sb, name: str) -> None:
    k(sb, f"create deployment {name} --image=sysnet4admin/chk-hn")
    k(sb, f"expose deployment {name} --type=LoadBalancer --port=80")


async def test_apply_creates_controller_and_a_speaker_per_node(sb):
    install(sb)
    rows = [r.split() for r in k(sb, "get pods -n metallb-system -o wide").splitlines()[1:]]
    speakers = sorted(r[6] for r in rows if r[0].startswith("speaker-"))
    controllers = [r for r in rows if r[0].startswith("controller-")]
    assert speakers == ["m-k8s", "w1-k8s", "w2-k8s", "w3-k8s"]
    assert all(r[2] == "Running" for r in rows)
    assert len(controllers) == 1 and controllers[0][6] != "m-k8s"
    assert {r[5] for r in rows if r[0].startswith("speaker-")} == {
        "192.168.1.10", "192.168.1.101", "192.168.1.102", "192.168.1.103"}      # hostNetwork


async def test_lowest_free_address_kept_and_released(sb):
    install(sb)
    for name in ("one", "two", "three"):
        lb(sb, name)
    sb.wait(5)
    assert external_ips(sb) == {"kubernetes": "<none>", "one": "192.168.1.11", "two": "192.168.1.12",
                                "three": "192.168.1.13"}
    k(sb, "delete service two")
    sb.wait(1)
    assert external_ips(sb)["three"] == "192.168.1.13"               # kept
    lb(sb, "four")
    sb.wait(1)
    assert external_ips(sb)["four"] == "192.168.1.12"                # the freed one


async def test_pending_without_metallb_then_assigned(sb):
    lb(sb, "chk-hn")
    sb.wait(5)
    assert external_ips(sb)["chk-hn"] == "<pending>"
    install(sb)
    assert external_ips(sb)["chk-hn"] == "192.168.1.11"


async def test_empty_pool_stays_pending_with_warning(sb):
    install(sb)
    for i in range(10):
        lb(sb, f"s{i}")
    sb.wait(5)
    ips = external_ips(sb)
    assert sorted(v for n, v in ips.items() if n != "kubernetes") == [f"192.168.1.{i}" for i in range(11, 20)] + ["<pending>"]
    pending = next(n for n, v in ips.items() if v == "<pending>")
    out = k(sb, f"describe svc {pending}")
    assert re.search(r'Warning  AllocationFailed  \S+\s+metallb-controller  Failed to allocate IP for '
                     rf'"default/{pending}": no available IPs', out), out
    assert out.count("AllocationFailed") == 1


async def test_describe_events(sb):
    install(sb)
    k(sb, "create deployment chk-hn --image=sysnet4admin/chk-hn")
    k(sb, "scale deployment chk-hn --replicas=3")
    k(sb, "expose deployment chk-hn --type=LoadBalancer --port=80")
    sb.wait(5)
    out = k(sb, "describe service chk-hn")
    assert "LoadBalancer Ingress:     192.168.1.11\n" in out
    events = out.split("Events:\n", 1)[1].splitlines()
    assert events[0] == "  Type    Reason        Age   From                Message"
    assert events[2] == '  Normal  IPAllocated   5s    metallb-controller  Assigned IP "192.168.1.11"'
    m = re.fullmatch(r'  Normal  nodeAssigned  3s    metallb-speaker     announcing from node "(w[123]-k8s)"', events[3])
    assert m, events
    # the announcing node holds one of the service's ready endpoints
    nodes = {r.split()[6] for r in k(sb, "get pods -o wide -l app=chk-hn").splitlines()[1:]}
    assert m.group(1) in nodes


async def test_delete_metallb_keeps_status_but_nobody_announces(sb):
    install(sb)
    lb(sb, "chk-hn")
    sb.wait(5)
    svc = sb.cluster.get("Service", "default", "chk-hn")
    assert metallb.announcer(sb.cluster, svc) is not None
    out = k(sb, f"delete -f {METALLB}")
    assert out.splitlines()[0] == 'namespace "metallb-system" deleted'
    sb.wait(60)
    assert k(sb, "get ns").count("metallb-system") == 0
    assert external_ips(sb)["chk-hn"] == "192.168.1.11"               # status stays, as in real life
    assert metallb.announcer(sb.cluster, svc) is None


async def test_type_change_clears_address(sb):
    install(sb)
    lb(sb, "chk-hn")
    sb.wait(5)
    svc = sb.cluster.get("Service", "default", "chk-hn")
    svc["spec"]["type"] = "NodePort"
    sb.cluster.update(svc)
    sb.wait(1)
    assert svc["status"]["loadBalancer"] == {}


def test_pool_parsing():
    assert metallb._expand("192.168.1.11-192.168.1.13", 100) == ["192.168.1.11", "192.168.1.12", "192.168.1.13"]
    assert metallb._expand("10.0.0.0/30", 100) == ["10.0.0.0", "10.0.0.1", "10.0.0.2", "10.0.0.3"]
    assert metallb._expand("bogus", 100) == []
    assert len(metallb._expand("10.0.0.0/8", 4096)) == 4096


async def test_chapter_2_4_and_2_5_transcript(sb):
    """The notes' 2.4 (MetalLB + chk-hn) and 2.5 (clean-up) in order, with their outputs."""
    assert k(sb, "run nginx --image=nginx") == "pod/nginx created"
    assert k(sb, "expose pod nginx --type=NodePort --port=80") == "service/nginx exposed"
    assert k(sb, "create deployment deploy-nginx --image=nginx") == "deployment.apps/deploy-nginx created"
    assert k(sb, "scale deployment deploy-nginx --replicas=3") == "deployment.apps/deploy-nginx scaled"
    assert k(sb, "expose deployment deploy-nginx --type=NodePort --port=80") == "service/deploy-nginx exposed"
    assert k(sb, f"apply -f {METALLB}").splitlines()[0] == "namespace/metallb-system created"
    assert k(sb, "create deployment chk-hn --image=sysnet4admin/chk-hn") == "deployment.apps/chk-hn created"
    assert k(sb, "scale deployment chk-hn --replicas=3") == "deployment.apps/chk-hn scaled"
    assert k(sb, "expose deployment chk-hn --type=LoadBalancer --port=80") == "service/chk-hn exposed"
    sb.wait(10)
    row = next(r for r in k(sb, "get services").splitlines() if r.startswith("chk-hn "))
    assert re.fullmatch(r"chk-hn\s+LoadBalancer\s+10\.\d+\.\d+\.\d+\s+192\.168\.1\.11\s+80:3\d{4}/TCP\s+10s", row), row
    names = {sb.shell("curl 192.168.1.11")[0] for _ in range(10)}
    assert len(names) > 1 and all(n.startswith("chk-hn-") for n in names)
    for line, said in (("delete service chk-hn", 'service "chk-hn" deleted'),
                       ("delete service deploy-nginx", 'service "deploy-nginx" deleted'),
                       ("delete service nginx", 'service "nginx" deleted'),
                       ("delete deployment chk-hn", 'deployment.apps "chk-hn" deleted'),
                       ("delete deployment deploy-nginx", 'deployment.apps "deploy-nginx" deleted'),
                       ("delete pod nginx", 'pod "nginx" deleted')):
        assert k(sb, line) == said
    k(sb, f"delete -f {METALLB}")
    sb.wait(60)
    assert k(sb, "get svc").splitlines()[1:] == [
        next(r for r in k(sb, "get svc").splitlines() if r.startswith("kubernetes "))]
    assert "metallb-system" not in k(sb, "get ns")
    assert sb.shell("curl 192.168.1.11") == ("curl: (7) Failed connect to 192.168.1.11:80; No route to host", 7)
