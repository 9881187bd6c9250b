"""Every cheat route the instructors found must NOT pass, and the honest route still does.

Played through the real router, so the checks see both the sandbox and the lab's command log.
"""
from __future__ import annotations

import pytest

from bot.app import open_app
from bot.labs.catalogue import course, find
from bot.reply import Message

EXTENSIONS = ("bot.commands.sandbox", "bot.labs", "bot.progress", "bot.map")


@pytest.fixture
async def app(tmp_path):
    app = await open_app(tmp_path / "t.db", clock=lambda: 1795000000.0, rate_limit=None, extensions=EXTENSIONS)
    yield app
    await app.close()


async def say(app, content: str, user: str = "u") -> str:
    """One message; `!lab start` takes the offer to set the sandbox up."""
    replies = await app.router.handle(Message(content=content, user=user, server="s", reply_lang="en"))
    if content.startswith("!lab start") and replies and replies[-1].choices:
        replies += await app.router.handle(Message(content="!answer 1", user=user, server="s", reply_lang="en"))
    return "\n".join(r.text for r in replies)


async def play(app, lines: list[str]) -> str:
    return "\n".join([await say(app, line) for line in lines])


def n(lab_id: str) -> int:
    return find(course(), lab_id).number


async def finished(app, lab_id: str) -> bool:
    return lab_id in await app.router.services["labs"].sessions.finished(("s", "u"))


async def node_port(app, service: str) -> int:
    async with app.router.services["sandboxes"].open("s", "u") as sb:
        return sb.cluster.get("Service", "default", service)["spec"]["ports"][0]["nodePort"]


async def pods(app, prefix: str, namespace: str = "default") -> list[str]:
    async with app.router.services["sandboxes"].open("s", "u") as sb:
        return [p["metadata"]["name"] for p in sb.cluster.list("Pod", namespace) if p["metadata"]["name"].startswith(prefix)]


@pytest.mark.parametrize("image", ["busybox", "httpd"])
async def test_lab1_with_another_image_does_not_pass(app, image):
    out = await play(app, [f"!lab start {n('first-pod')}", f"!k run nginx --image={image}", "!wait 30s", "!lab check"])
    assert "✅" not in out and "image" in out


async def test_lab1_with_a_pod_made_before_the_lab_does_not_pass(app):
    out = await play(app, ["!k run nginx --image=nginx", "!wait 10s", f"!lab start {n('first-pod')}", "!lab check"])
    assert "✅" not in out and "was made before this lab started: delete it and make it again" in out
    out = await play(app, ["!k delete pod nginx", "!wait 30s", "!k run nginx --image=nginx", "!wait 10s"])
    assert "Lab 1 complete" in out


async def test_lab2_with_port_8080_is_refused_and_does_not_pass(app):
    await say(app, f"!lab start {n('nodeport-pod')}")
    out = await play(app, ["!k expose pod nginx --type=NodePort --port=8080", "!wait 10s"])
    assert "✅" not in out
    port = await node_port(app, "nginx")
    out = await say(app, f"!sh curl 192.168.1.101:{port}")
    assert "Connection refused" in out and "✅" not in out
    # The honest route: the right port, and a curl that nginx answers.
    out = await play(app, ["!k delete service nginx", "!k expose pod nginx --type=NodePort --port=80"])
    assert "✅ Step 1/2 done!" in out
    out = await say(app, f"!sh curl 192.168.1.102:{await node_port(app, 'nginx')}")
    assert "Welcome to nginx!" in out and "complete" in out


async def test_lab4_with_a_premade_httpd_deployment_and_no_scaling_does_not_pass(app):
    await play(app, ["!k create deployment deploy-nginx --image=httpd --replicas=3", "!wait 10s"])
    out = await play(app, [f"!lab start {n('scale-out')}", "!wait 10s", "!lab check"])
    assert "✅" not in out and "does not run the nginx image" in out


async def test_lab4_premade_nginx_at_three_still_needs_the_scaling(app):
    await play(app, ["!k create deployment deploy-nginx --image=nginx --replicas=3", "!wait 10s"])
    out = await play(app, [f"!lab start {n('scale-out')}", "!wait 10s", "!lab check"])
    assert "✅" not in out
    out = await play(app, ["!k scale deployment deploy-nginx --replicas=3", "!wait 10s"])
    assert "complete" in out


async def test_a_skipped_step_is_recorded_as_skipped_not_completed(app):
    # lab 10 (cleanup): skip step 1, do the rest.
    lab = n("cleanup")
    out = await play(app, [f"!lab start {lab}", "!lab hint", "!lab skip",
                           "!k delete service deploy-nginx", "!k delete deployment deploy-nginx",
                           "!k delete pod nginx", "!wait 1m",
                           "!k delete -f ~/_Lecture_k8s_starter.kit/ch2/2.4/metallb.yaml", "!wait 1m"])
    assert "counts as skipped, not completed" in out and "🎉" not in out
    assert not await finished(app, "cleanup")
    assert "cleanup" in await app.router.services["labs"].sessions.finished(("s", "u"), "skipped")
    assert await app.router.services["progress"].labs_done(("s", "u")) == []
    events = [e[2:] for e in await app.router.services["labs"].sessions.events("s") if e[1] == "cleanup"]
    assert events[:3] == [(1, "start"), (1, "hint"), (1, "skip")] and events[-1] == (3, "skipped")
    assert f"⏭️ {lab:>2}." in await say(app, "!lab list")


async def test_lab18_skipping_step_1_is_not_a_completed_lab(app):
    lab = n("worker-kubelet-down")
    out = await play(app, [f"!lab start {lab}", "!wait 10s", "!lab skip", "!ssh w1-k8s systemctl stop kubelet",
                           "!wait 7m", "!k get pods -o wide"])
    assert "✅ Step 2/3 done!" in out and [f.filename for f in await _files(app, "!lab")] == []
    out = await play(app, ["!ssh w1-k8s systemctl start kubelet", "!wait 1m"])
    assert "counts as skipped, not completed" in out and not await finished(app, "worker-kubelet-down")


async def _files(app, content: str) -> list:
    replies = await app.router.handle(Message(content=content, user="u", server="s", reply_lang="en"))
    return [f for r in replies for f in r.files]


async def test_a_lab_attaches_the_map_at_its_key_moment(app):
    await play(app, [f"!lab start {n('worker-kubelet-down')}", "!wait 10s", "!ssh w1-k8s systemctl stop kubelet",
                     "!wait 7m"])
    files = await _files(app, "!k get pods -o wide")
    assert [f.filename for f in files] == ["map.png", "map.txt"]


async def test_lab12_with_a_wrong_image_does_not_pass(app):
    out = await play(app, [f"!lab start {n('namespaces')}", "!k create namespace lab-ns",
                           "!k run web --image=httpd -n lab-ns", "!wait 30s", "!lab check"])
    assert "✅ Step 1/3" in out and "✅ Step 2/3" not in out and "image httpd (want nginx)" in out


async def test_lab18_eviction_is_checked(app):
    out = await play(app, [f"!lab start {n('worker-kubelet-down')}", "!wait 10s",
                           "!ssh w1-k8s systemctl stop kubelet", "!wait 1m"])
    assert "✅ Step 1/3" in out
    out = await play(app, ["!wait 2m", "!k get pods -o wide", "!lab check"])
    assert "✅ Step 2/3" not in out                    # not evicted yet
    out = await play(app, ["!wait 4m", "!lab check"])
    assert "✅ Step 2/3" not in out and "Terminating" in out     # evicted, but never looked at
    out = await say(app, "!k get pods -o wide")
    assert "Terminating" in out and "✅ Step 2/3 done!" in out


async def test_lab20_does_not_pass_without_scaling_and_lands_on_the_empty_worker(app):
    out = await play(app, [f"!lab start {n('scheduler-rebalance')}", "!wait 30s", "!lab check"])
    assert "✅" not in out
    assert not [p for p in await pods(app, "del-deploy-") if False]
    async with app.router.services["sandboxes"].open("s", "u") as sb:
        nodes = {p["spec"].get("nodeName") for p in sb.cluster.list("Pod", "default")}
    assert "w1-k8s" not in nodes                       # the setup left w1 empty
    out = await play(app, ["!k scale deployment del-deploy --replicas=9", "!wait 10s"])
    assert "complete" in out


async def test_lab27_upgrading_only_the_kubelet_does_not_pass(app):
    out = await play(app, [f"!lab start {n('upgrade')}", "!sh yum upgrade kubelet-1.20.4 -y",
                           "!sh systemctl daemon-reload", "!sh systemctl restart kubelet", "!wait 30s", "!lab check"])
    assert "✅" not in out and "control plane v1.20.2" in out


async def test_lab28_busybox_named_dnsutils_and_no_nslookup_does_not_pass(app):
    out = await play(app, [f"!lab start {n('cluster-dns')}", "!k run dnsutils --image=busybox -- sleep 3600",
                           "!wait 30s", "!lab check"])
    assert "✅" not in out
    out = await play(app, ["!k delete pod dnsutils", "!wait 1m",
                           "!k apply -f https://k8s.io/examples/admin/dns/dnsutils.yaml", "!wait 30s"])
    assert "✅ Step 1/3" in out
    out = await play(app, ["!k get svc -n kube-system", "!lab check"])
    assert "✅ Step 2/3" not in out                    # no nslookup yet
    out = await say(app, "!k exec -i -t dnsutils -- nslookup kubernetes")
    assert "✅ Step 2/3" in out


async def test_lab30_set_image_instead_of_undo_does_not_pass(app):
    await play(app, [f"!lab start {n('rollout')}", "!k set image deployment rollout-nginx nginx=nginx:1.16.0 --record",
                     "!wait 1m", "!k set image deployment rollout-nginx nginx=nginx:1.17.23 --record", "!wait 30s"])
    out = await play(app, ["!k set image deployment rollout-nginx nginx=nginx:1.16.0", "!wait 1m", "!lab check"])
    assert "✅ Step 3/4" not in out and "rollout undo" in out
    # The honest route, for another student: undo passes.
    for line in [f"!lab start {n('rollout')}", "!k set image deployment rollout-nginx nginx=nginx:1.16.0 --record",
                 "!wait 1m", "!k set image deployment rollout-nginx nginx=nginx:1.17.23 --record", "!wait 30s"]:
        await say(app, line, user="v")
    out = "\n".join([await say(app, "!k rollout undo deployment rollout-nginx", user="v"),
                     await say(app, "!wait 1m", user="v")])
    assert "✅ Step 3/4" in out


async def test_lab25_without_nfs_exporter_does_not_pass(app):
    out = await play(app, [f"!lab start {n('volume-deploy')}",
                           "!k apply -f ~/_Lecture_k8s_starter.kit/ch5/5.2/dpy-chk-log.yaml", "!wait 1m", "!lab check"])
    assert "✅" not in out and "nfs-exporter.sh" in out


async def test_lab11_does_not_pass_on_check_with_nothing_done(app):
    out = await play(app, [f"!lab start {n('components')}", "!lab check"])
    assert "✅" not in out
    out = await say(app, "!k get pods -n kube-system -o wide")
    assert "✅ Step 1/2" in out
    assert "complete" in await say(app, "!lab check")       # that output also showed kube-proxy on every node


async def test_lab9_passes_in_course_order_with_lab8s_service_holding_an_address(app):
    await play(app, ["!k apply -f ~/_Lecture_k8s_starter.kit/ch2/2.4/metallb.yaml", "!wait 1m"])
    await play(app, [f"!lab start {n('loadbalancer')}", "!wait 1m", "!k expose deployment chk-hn --type=LoadBalancer --port=80",
                     "!wait 10s"])
    assert await finished(app, "loadbalancer")
    await say(app, f"!lab start {n('lb-pool')}")
    out = ""
    for i in range(1, 10):
        out = await say(app, f"!k expose deployment chk-hn --type=LoadBalancer --port=80 --name=lb{i}")
        if "complete" in out:
            break
    if "complete" not in out:
        out = await say(app, "!wait 10s")
    assert "complete" in out and i == 9


async def test_lab16_is_not_stuck_with_del_deploy_left_at_five(app):
    await play(app, ["!k create deployment del-deploy --image=sysnet4admin/chk-hn --replicas=5", "!wait 10s"])
    await play(app, [f"!lab start {n('delete-managed-pod')}", "!wait 1m"])
    victim = (await pods(app, "del-deploy-"))[0]
    out = await play(app, [f"!k delete pod {victim}", "!wait 1m"])
    assert "complete" in out


async def test_lab31_hints_work_in_the_sandbox(app):
    lab = find(course(), "pv-pvc")
    await say(app, f"!lab start {lab.number}")
    for step in lab.steps:
        hint = step.hints[-1]["en"]
        for command in [c for c in hint.split("`") if c.startswith("!")]:
            out = await say(app, command)
            assert "error" not in out.lower(), (command, out)
        await say(app, "!wait 1m")
    assert await finished(app, "pv-pvc")


async def test_a_lab_says_what_to_do_first_when_its_precondition_is_unmet(app):
    await play(app, ["!k run nginx --image=nginx"])
    out = await say(app, f"!lab start {n('first-pod')}")
    assert "⚠️ Before you begin:\n• You already have a pod nginx" in out
