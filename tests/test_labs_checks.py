"""The check vocabulary judged on hand-built cluster states: each assertion passes and fails."""
from __future__ import annotations

import pytest

from bot.i18n import Text, t
from bot.labs.checks import baseline, evaluate, validate
from engine import bootstrap
from engine.cluster import Cluster

NOW = 1795000000.0


def _cluster() -> Cluster:
    return Cluster(bootstrap.new_meta(1, NOW), {}, lambda: NOW)


def _deployment(c: Cluster, name: str, replicas: int, ready: int, image: str = "nginx") -> None:
    c.create({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name, "labels": {"app": name}},
              "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                       "template": {"spec": {"containers": [{"name": "c", "image": image}]}}},
              "status": {"replicas": replicas, "readyReplicas": ready, "updatedReplicas": replicas}})


def _pod(c: Cluster, name: str, node: str | None, *, app: str | None = None, running: bool = True,
         namespace: str = "default", waiting: str | None = None) -> dict:
    state = {"running": {"startedAt": "2026-11-18T00:00:00Z"}} if running else {"waiting": {"reason": waiting or "ContainerCreating"}}
    return c.create({"apiVersion": "v1", "kind": "Pod",
                     "metadata": {"name": name, "namespace": namespace, "labels": {"app": app} if app else {}},
                     "spec": {"nodeName": node, "containers": [{"name": "c", "image": "nginx"}]},
                     "status": {"phase": "Running" if running else "Pending",
                                "containerStatuses": [{"name": "c", "ready": running, "state": state}]}})


def _service(c: Cluster, name: str, type_: str = "ClusterIP", ingress: str | None = None,
             node_port: int | None = None) -> None:
    port = {"port": 80, "protocol": "TCP", **({"nodePort": node_port} if node_port else {})}
    c.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
              "spec": {"type": type_, "clusterIP": "10.96.0.10", "ports": [port]},
              "status": {"loadBalancer": {"ingress": [{"ip": ingress}]} if ingress else {}}})


def _node(c: Cluster, name: str, ready: bool, version: str = "v1.20.2") -> None:
    c.create({"apiVersion": "v1", "kind": "Node", "metadata": {"name": name}, "spec": {},
              "status": {"conditions": [{"type": "Ready", "status": "True" if ready else "Unknown"}],
                         "nodeInfo": {"kubeletVersion": version}}})


def ok(check, c, before=()) -> bool:
    assert validate(check) == [], validate(check)
    return evaluate(check, c, before).ok


def test_ready_replicas_counts_ready_not_wanted():
    c = _cluster()
    _deployment(c, "chk-hn", 3, 2)
    check = {"object": "deployment/chk-hn", "ready_replicas": 3}
    assert not ok(check, c)
    outcome = evaluate(check, c)
    assert outcome.text(t, "en") == "deployment/chk-hn: ready_replicas 2 (want 3)"
    assert outcome.text(t, "ko") == "deployment/chk-hn: ready_replicas 2 (기대: 3)"
    c.get("Deployment", "default", "chk-hn")["status"]["readyReplicas"] = 3
    assert ok(check, c)
    assert ok({"object": "deploy/chk-hn", "replicas": 3, "image": "nginx"}, c)     # short names work
    assert not ok({"object": "deployment/chk-hn", "image": "nginx:1.16.0"}, c)
    assert not ok({"object": "deployment/other", "ready_replicas": 3}, c)


def test_service_type_and_external_ip():
    c = _cluster()
    _service(c, "chk-hn", "LoadBalancer", node_port=30080)
    assert ok({"object": "service/chk-hn", "type": "LoadBalancer", "node_port": True}, c)
    assert not ok({"object": "service/chk-hn", "external_ip": True}, c)              # <pending>
    assert ok({"object": "svc/chk-hn", "external_ip": False}, c)
    c.get("Service", "default", "chk-hn")["status"] = {"loadBalancer": {"ingress": [{"ip": "192.168.1.11"}]}}
    assert ok({"object": "service/chk-hn", "type": "LoadBalancer", "external_ip": True}, c)
    assert ok({"object": "service/chk-hn", "external_ip": "192.168.1.11"}, c)
    assert not ok({"object": "service/chk-hn", "type": "NodePort"}, c)
    _service(c, "plain")
    assert not ok({"object": "service/plain", "node_port": True}, c)
    assert ok({"object": "service/plain", "cluster_ip": "10.96.0.10"}, c)


def test_node_status_and_version():
    c = _cluster()
    _node(c, "w1-k8s", ready=False)
    _node(c, "m-k8s", ready=True, version="v1.20.4")
    assert ok({"object": "node/w1-k8s", "status": "NotReady"}, c)
    assert not ok({"object": "node/w1-k8s", "status": "Ready"}, c)
    assert ok({"object": "no/m-k8s", "status": "Ready", "version": "v1.20.4"}, c)
    assert not ok({"object": "node/w1-k8s", "version": "v1.20.4"}, c)


def test_pod_status_and_placement():
    c = _cluster()
    _pod(c, "nginx", "w2-k8s", running=False)
    check = {"object": "pod/nginx", "status": "Running", "on_worker": True}
    assert not ok(check, c)                                          # ContainerCreating
    c.remove(c.get("Pod", "default", "nginx"))
    _pod(c, "nginx", "m-k8s")
    assert not ok(check, c)                                          # Running, but on the master
    c.remove(c.get("Pod", "default", "nginx"))
    _pod(c, "nginx", "w2-k8s")
    assert ok(check, c) and ok({"object": "pod/nginx", "node": "w2-k8s"}, c)
    assert ok({"object": "pod/nginx", "status": ["Pending", "Running"]}, c)


def test_absent_and_exists():
    c = _cluster()
    _pod(c, "del-pod", "w1-k8s")
    assert not ok({"absent": "pod/del-pod"}, c)
    assert ok({"object": "pod/del-pod", "exists": True}, c)
    c.remove(c.get("Pod", "default", "del-pod"))
    assert ok({"absent": "pod/del-pod"}, c)
    assert ok({"object": "pod/del-pod", "exists": False}, c)
    assert ok({"absent": "pod/kube-scheduler-m-k8s", "namespace": "kube-system"}, c)


def test_pods_count_running_nodes_and_spread():
    c = _cluster()
    for i, node in enumerate(("w1-k8s", "w2-k8s", "w2-k8s")):
        _pod(c, f"del-deploy-abc-{i}", node, app="del-deploy")
    _pod(c, "del-pod", "w3-k8s")
    check = {"pods": {"selector": "app=del-deploy"}, "count": 3, "running": True}
    assert ok(check, c)
    assert not ok({**check, "count": 4}, c)
    assert not ok({**check, "spread": 3}, c) and ok({**check, "spread": 2}, c)
    assert ok({**check, "nodes": ["w1-k8s", "w2-k8s"]}, c)
    assert not ok({**check, "nodes": ["w2-k8s", "w3-k8s"]}, c)
    assert ok({"pods": {"prefix": "del-"}, "count": 4}, c)
    assert ok({"pods": {"selector": "app=del-deploy", "node": "w2-k8s"}, "count": 2}, c)
    _pod(c, "del-deploy-abc-3", "w3-k8s", app="del-deploy", running=False, waiting="ImagePullBackOff")
    assert not ok({**check, "count": 4}, c)                          # one is not Running
    assert ok({"pods": {"selector": "app=del-deploy", "status": ["ErrImagePull", "ImagePullBackOff"]}, "min": 1}, c)
    assert not ok({"pods": {"selector": "app=del-deploy"}, "max": 3}, c)


def test_replaced_and_new_compare_with_the_steps_baseline():
    c = _cluster()
    for i in range(3):
        _pod(c, f"del-deploy-abc-{i}", "w1-k8s", app="del-deploy")
    before = baseline(c)
    check = {"pods": {"selector": "app=del-deploy"}, "count": 3, "running": True, "replaced": True}
    assert not ok(check, c, before)                                  # nothing happened yet
    _pod(c, "del-deploy-abc-9", "w2-k8s", app="del-deploy")
    assert not ok({**check, "count": 4}, c, before)                  # a new pod, but none was deleted
    c.remove(c.get("Pod", "default", "del-deploy-abc-0"))
    assert ok(check, c, before)
    new = {"pods": {"selector": "app=del-deploy", "new": True}, "count": 1, "nodes": ["w2-k8s", "w3-k8s"]}
    assert ok(new, c, before)


def test_recreated_object_has_a_new_uid():
    c = _cluster()
    _pod(c, "kube-scheduler-m-k8s", "m-k8s", namespace="kube-system")
    before = baseline(c)
    check = {"object": "pod/kube-scheduler-m-k8s", "namespace": "kube-system", "status": "Running", "recreated": True}
    assert not ok(check, c, before)
    c.remove(c.get("Pod", "kube-system", "kube-scheduler-m-k8s"))
    assert not ok(check, c, before)                                  # gone, not yet back
    _pod(c, "kube-scheduler-m-k8s", "m-k8s", namespace="kube-system")
    assert ok(check, c, before)


def test_host_facts():
    c = _cluster()
    assert ok({"host": "w1-k8s", "kubelet": "running", "docker": "running", "kubelet_version": "v1.20.2"}, c)
    c.meta["hosts"]["w1-k8s"]["kubelet"] = False
    assert ok({"host": "w1-k8s", "kubelet": "stopped"}, c)
    assert not ok({"host": "w1-k8s", "kubelet": "running"}, c)
    assert not ok({"host": "m-k8s", "kubelet_version": "v1.20.4"}, c)


def test_lists_need_every_check_and_any_needs_one():
    c = _cluster()
    _deployment(c, "web", 3, 3)
    assert ok([{"object": "deployment/web", "ready_replicas": 3}, {"absent": "pod/x"}], c)
    assert not ok([{"object": "deployment/web", "ready_replicas": 3}, {"object": "pod/x", "exists": True}], c)
    assert ok({"any": [{"object": "pod/x", "exists": True}, {"object": "deployment/web", "replicas": 3}]}, c)
    assert not ok({"any": [{"object": "pod/x", "exists": True}, {"object": "deployment/web", "replicas": 2}]}, c)


@pytest.mark.parametrize("check", [
    {"object": "deployment/web"},                               # asserts nothing
    {"object": "deployment/web", "ready_replicas": -1},
    {"object": "deployment/web", "ready_replicas": True},
    {"pods": {"selector": "app in (x"}, "count": 1},
    {"pods": "app=web", "count": 1},
    {"any": [{"absent": "pod/x"}]},
    {"absent": "pod/x", "object": "pod/y"},
    [],
])
def test_invalid_checks_are_reported(check):
    assert validate(check)


# -- what the student did (the lab's command log) and when objects were made -----------------------

from bot.labs.checks import same_image  # noqa: E402
from bot.labs.evidence import Evidence, entry  # noqa: E402

NSLOOKUP = {"did": {"run": r"exec\b.*\bdnsutils\b.*--\s*nslookup\s+kubernetes",
                    "out": r"^Name:\s+kubernetes\.default\.svc\.cluster\.local"}, "what": "nslookup"}


def test_did_judges_the_command_and_its_answer():
    c = _cluster()
    answered = entry(0, "kubectl exec -it dnsutils -- nslookup kubernetes", True,
                     "Server:\t\t10.96.0.10\n\nName:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1")
    assert validate(NSLOOKUP) == []
    assert evaluate(NSLOOKUP, c, Evidence(log=(answered,))).ok
    assert not evaluate(NSLOOKUP, c, Evidence()).ok
    missing = evaluate(NSLOOKUP, c, Evidence())
    assert missing.detail == "not seen yet: nslookup"
    from bot.i18n import t
    assert missing.text(t, "en") == "I have not seen you do this in this lab yet: nslookup"
    assert missing.text(t, "ko") == "이 실습에서 아직 이 명령을 실행하지 않았습니다: nslookup"
    elsewhere = dict(answered, cmd="kubectl exec -it busybox -- nslookup kubernetes")
    assert not evaluate(NSLOOKUP, c, Evidence(log=(elsewhere,))).ok
    unanswered = dict(answered, out="** server can't find kubernetes: NXDOMAIN")
    assert not evaluate(NSLOOKUP, c, Evidence(log=(unanswered,))).ok
    this_step = {**NSLOOKUP, "since": "step"}
    assert not evaluate(this_step, c, Evidence(log=(answered,), step=1)).ok
    assert evaluate(this_step, c, Evidence(log=(answered,), step=0)).ok


@pytest.mark.parametrize("check, message", [
    ({"did": {"cmd": "x"}}, "did: takes a mapping with run: and/or out:"),
    ({"did": {"run": "("}}, "did: run: not a regular expression"),
    ({"did": {"run": "x"}, "since": "yesterday"}, "bad value for since"),
    ({"services": {"colour": "red"}, "count": 1}, "unknown services filter 'colour'"),
])
def test_did_and_services_mistakes_are_named(check, message):
    assert any(message in e for e in validate(check)), validate(check)


def test_fresh_means_made_after_the_lab_started():
    c = _cluster()
    pod = _pod(c, "nginx", "w1-k8s")
    check = {"object": "pod/nginx", "fresh": True}
    assert not evaluate(check, c, Evidence(start=frozenset({pod["metadata"]["uid"]}))).ok
    assert evaluate(check, c, Evidence(start=frozenset())).ok


def test_images_compare_by_reference():
    assert same_image("nginx", "nginx") and same_image("nginx:latest", "nginx")
    assert same_image("docker.io/library/nginx", "nginx")
    assert not same_image("nginx:1.16.0", "nginx") and not same_image("httpd", "nginx")


def test_services_count_loadbalancers_with_and_without_an_address():
    c = _cluster()
    _service(c, "chk-hn", "LoadBalancer", ingress="192.168.1.11")
    _service(c, "lb1", "LoadBalancer")
    assert evaluate({"services": {"type": "LoadBalancer", "external_ip": True}, "count": 1}, c).ok
    assert evaluate({"services": {"type": "LoadBalancer", "prefix": "lb", "external_ip": False}, "min": 1}, c).ok
    assert not evaluate({"services": {"type": "LoadBalancer", "external_ip": True}, "count": 9}, c).ok
