"""Cluster DNS (chapter 7): nslookup/dig from the dnsutils pod, resolv.conf, CoreDNS pods and logs."""
from __future__ import annotations

import pytest

from engine.node import dns
from engine.sandbox import SandboxManager
from engine.store import Store

NOW = 1795000000.0
HEAD = "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n"


@pytest.fixture
async def sb(tmp_path):
    store = await Store.open(tmp_path / "t.db")
    mgr = SandboxManager(store, wall=lambda: NOW)
    async with mgr.open("s", "u") as sandbox:
        k(sandbox, "apply -f https://k8s.io/examples/admin/dns/dnsutils.yaml")
        sandbox.wait(30)
        yield sandbox
    await store.close()


def k(sb, line: str) -> str:
    out, rc = sb.kubectl(line)
    assert rc == 0, out
    return out


async def test_nslookup_kubernetes_default(sb):
    assert sb.kubectl("exec -i -t dnsutils -- nslookup kubernetes.default") == (
        HEAD + "Name:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1", 0)


async def test_service_names_short_ns_and_fqdn(sb):
    k(sb, "create service clusterip web --tcp=80:80")
    ip = sb.cluster.get("Service", "default", "web")["spec"]["clusterIP"]
    want = HEAD + f"Name:\tweb.default.svc.cluster.local\nAddress: {ip}"
    for name in ("web", "web.default", "web.default.svc", "web.default.svc.cluster.local"):
        assert sb.kubectl(f"exec dnsutils -- nslookup {name}") == (want, 0), name
    assert sb.kubectl("exec dnsutils -- nslookup kube-dns.kube-system") == (
        HEAD + "Name:\tkube-dns.kube-system.svc.cluster.local\nAddress: 10.96.0.10", 0)


async def test_pod_record(sb):
    assert sb.kubectl("exec dnsutils -- nslookup 172-16-132-7.default.pod.cluster.local") == (
        HEAD + "Name:\t172-16-132-7.default.pod.cluster.local\nAddress: 172.16.132.7", 0)


async def test_nxdomain(sb):
    assert sb.kubectl("exec dnsutils -- nslookup nothing") == (
        HEAD + "** server can't find nothing: NXDOMAIN\n\ncommand terminated with exit code 1", 1)


async def test_timeout_without_coredns(sb):
    k(sb, "scale deployment coredns -n kube-system --replicas=0")
    sb.wait(60)
    assert "coredns" not in k(sb, "get pods -n kube-system")
    assert sb.kubectl("exec -it dnsutils -- nslookup kubernetes.default") == (
        ";; connection timed out; no servers could be reached\n\ncommand terminated with exit code 1", 1)


async def test_resolv_conf_and_hosts(sb):
    assert k(sb, "exec -ti dnsutils -- cat /etc/resolv.conf") == (
        "nameserver 10.96.0.10\nsearch default.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5")
    ip = sb.cluster.get("Pod", "default", "dnsutils")["status"]["podIP"]
    assert k(sb, "exec dnsutils -- cat /etc/hosts").endswith(f"\n{ip}\tdnsutils")


async def test_coredns_pods_and_logs(sb):
    rows = k(sb, "get pods -n kube-system -l k8s-app=kube-dns").splitlines()
    assert [r.split()[0] for r in rows[1:]] == ["coredns-74ff55c5b-62tgn", "coredns-74ff55c5b-7p98b"]
    banner = "\n".join(dns.coredns_log())
    assert k(sb, "logs -n kube-system -l k8s-app=kube-dns") == banner + "\n" + banner
    assert banner == (".:53\n[INFO] plugin/reload: Running configuration MD5 = db32ca3650231d74073ff4cf814959a7\n"
                      "CoreDNS-1.7.0\nlinux/amd64, go1.14.4, f59c03d")


async def test_dig(sb):
    out = k(sb, "exec dnsutils -- dig kubernetes.default.svc.cluster.local")
    assert "status: NOERROR" in out
    assert "kubernetes.default.svc.cluster.local.\t30\tIN\tA\t10.96.0.1" in out
    assert "status: NXDOMAIN" in k(sb, "exec dnsutils -- dig kubernetes.default")      # dig ignores search
    assert k(sb, "exec dnsutils -- dig +short +search kubernetes.default") == "10.96.0.1"


async def test_busybox_nslookup(sb):
    k(sb, "run bb --image=busybox:1.28 -- sleep 3600")
    sb.wait(10)
    assert k(sb, "exec bb -- nslookup kubernetes.default") == (
        "Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\n"
        "Name:      kubernetes.default\nAddress 1: 10.96.0.1 kubernetes.default.svc.cluster.local")


async def test_curl_service_name_from_a_pod(sb):
    k(sb, "run nginx --image=nginx --expose --port=80")
    k(sb, "run web --image=sysnet4admin/chk-hn")
    sb.wait(10)
    assert k(sb, "exec web -- curl -s nginx").startswith("<!DOCTYPE html>")
    assert sb.kubectl("exec web -- curl -s nope") == (
        "curl: (6) Could not resolve host: nope\ncommand terminated with exit code 6", 6)
