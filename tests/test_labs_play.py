"""Labs played through the real router, in-process: the step checks follow the sandbox's state."""
from __future__ import annotations

import pytest

from bot.app import open_app
from bot.labs.catalogue import course, find
from bot.reply import Message

EXTENSIONS = ("bot.commands.sandbox", "bot.commands.help", "bot.labs")


@pytest.fixture
async def app(tmp_path):
    app = await open_app(tmp_path / "t.db", clock=lambda: 1795000000.0, rate_limit=None,
                         extensions=EXTENSIONS + ("bot.progress",))
    yield app
    await app.close()


async def say(app, content: str, user: str = "u", lang: str = "en") -> str:
    """One message; `!lab start` takes the offer to set the sandbox up."""
    replies = await app.router.handle(Message(content=content, user=user, server="s", reply_lang=lang))
    if content.startswith("!lab start") and replies and replies[-1].choices:
        replies += await app.router.handle(Message(content="!answer 1", user=user, server="s", reply_lang=lang))
    return "\n".join(r.text for r in replies)


def number(lab_id: str) -> int:
    return find(course(), lab_id).number


async def test_chk_hn_lab_passes_only_on_three_ready_replicas(app):
    n = number("chk-hn")
    out = await say(app, f"!lab start {n}")
    assert out.startswith(f"🧪 Lab {n}: Deploy the chk-hn app (2.4)\n")
    assert f"📍 Lab {n} · step 1/2: Create a deployment chk-hn from the image sysnet4admin/chk-hn." in out

    assert (await say(app, "!lab check")).startswith("⏳ Not yet: deployment/chk-hn not found")
    out = await say(app, "!k create deployment chk-hn --image=sysnet4admin/chk-hn")
    assert out.splitlines()[0] == "deployment.apps/chk-hn created"
    assert "✅ Step 1/2 done! `deployment.apps/chk-hn created`: a deployment starts with 1 replica." in out
    assert "step 2/2: Scale chk-hn to 3 and get all 3 ready." in out

    # The wrong state: two replicas, however long we wait, never passes.
    assert await say(app, "!k scale deployment chk-hn --replicas=2") == "deployment.apps/chk-hn scaled"
    assert "✅" not in await say(app, "!wait 30s")
    assert (await say(app, "!lab check")).startswith("⏳ Not yet: deployment/chk-hn: replicas 2 (want 3)")

    # Three wanted but not ready yet: still not done.
    assert await say(app, "!k scale deployment chk-hn --replicas=3") == "deployment.apps/chk-hn scaled"
    out = await say(app, "!lab check")
    assert out.startswith("⏳ Not yet: deployment/chk-hn: ready_replicas 2 (want 3)"), out

    out = await say(app, "!wait 10s")
    assert "✅ Step 2/2 done!" in out
    assert f"🎉 Lab {n} complete: Deploy the chk-hn app (2.4). Well done!" in out
    assert "👉 Next: `!lab start 1` — Your first pod (2.1)" in out
    assert (await say(app, "!lab")).startswith("You are not in a lab right now.")
    assert f"✅ {n:>2}. Deploy the chk-hn app (2.4) (2)" in await say(app, "!lab list")

    progress = app.router.services["progress"]
    assert await progress.labs_done(("s", "u")) == ["chk-hn"]
    rows = await app.store.fetchall("SELECT step, completed FROM progress_labs WHERE lab_id = 'chk-hn' ORDER BY step")
    assert rows == [("1", 0), ("2", 1)]


async def test_deleting_a_managed_pod_is_checked_by_replacement(app):
    n = number("delete-managed-pod")
    out = await say(app, f"!lab start {n}")
    assert "step 1/1" in out
    assert "✅" not in await say(app, "!wait 10s")                   # three Running pods, none replaced yet
    async with app.router.services["sandboxes"].open("s", "u") as sb:
        pods = [p["metadata"]["name"] for p in sb.cluster.list("Pod", "default")]
    assert len(pods) == 3 and all(p.startswith("del-deploy-") for p in pods)

    out = await say(app, f"!k delete pod {pods[0]}")
    assert out.startswith(f'pod "{pods[0]}" deleted')
    if "✅" not in out:
        out = await say(app, "!wait 10s")
    assert "✅ Step 1/1 done! The new pod has a new name" in out
    assert f"🎉 Lab {n} complete" in out


async def test_first_pod_in_korean_with_hints(app):
    out = await say(app, "!lab start 1", lang="ko")
    assert out.startswith("🧪 실습 1: 첫 파드 만들기 (2.1)\n🎯 ")
    assert (await say(app, "!lab hint", lang="ko")).startswith("💡 힌트 1/3: 파드는")
    await say(app, "!lab hint", lang="ko")
    assert await say(app, "!lab hint", lang="ko") == "💡 힌트 3/3: `!k run nginx --image=nginx`"
    assert (await say(app, "!lab hint", lang="ko")).startswith("이 단계의 힌트를 모두 보았습니다.")
    out = await say(app, "!k run nginx --image=nginx", lang="ko")
    assert "✅ 1/2단계 통과!" in out and "📍 실습 1 · 2/2단계" in out
    assert (await say(app, "!lab hint", lang="ko")).startswith("💡 힌트 1/3")      # hints restart per step
    out = await say(app, "!wait 10s", lang="ko")
    assert "✅ 2/2단계 통과!" in out and "🎉 실습 1 완료: 첫 파드 만들기 (2.1). 잘하셨습니다!" in out


async def test_skip_stop_and_unknown(app):
    assert (await say(app, "!lab start 99")).startswith("There is no lab '99'.")
    assert (await say(app, "!lab dance")).startswith("Usage: `!lab`")
    assert await say(app, "!lab check") == "You are not in a lab right now."
    await say(app, "!lab start chk-hn")
    out = await say(app, "!lab skip")
    assert out.startswith("⏭️ Step 1 skipped (no points).") and "step 2/2" in out
    assert (await say(app, "!lab")).startswith(f"📍 Lab {number('chk-hn')} · step 2/2")
    assert await say(app, "!lab stop") == "Lab 'Deploy the chk-hn app (2.4)' stopped. Your sandbox stays as it is."
    # Out of a lab, commands get no lab replies.
    out = await say(app, "!k create deployment chk-hn --image=sysnet4admin/chk-hn")
    assert out == "deployment.apps/chk-hn created"
    assert await app.store.fetchall("SELECT * FROM progress_labs") == []


async def test_setup_prepares_the_sandbox_and_a_lab_is_per_user(app):
    n = number("scale-out")
    await say(app, f"!lab start {n}")
    assert "deploy-nginx" in await say(app, "!k get deployments")
    # Another student is not in the lab; their commands are not checked.
    assert await say(app, "!k get deployments", user="v") == "No resources found in default namespace."
    assert (await say(app, "!lab", user="v")).startswith("You are not in a lab right now.")
    await say(app, "!k scale deployment deploy-nginx --replicas=3")
    assert "🎉" in await say(app, "!wait 10s")


async def test_a_lab_survives_a_restart(tmp_path):
    app = await open_app(tmp_path / "t.db", clock=lambda: 1795000000.0, rate_limit=None, extensions=EXTENSIONS)
    await say(app, "!lab start 1")
    await say(app, "!k run nginx --image=nginx")
    await app.close()
    app = await open_app(tmp_path / "t.db", clock=lambda: 1795000000.0, rate_limit=None, extensions=EXTENSIONS)
    try:
        assert (await say(app, "!lab")).startswith("📍 Lab 1 · step 2/2")
        assert "🎉 Lab 1 complete" in await say(app, "!wait 10s")     # no progress service: still fine
    finally:
        await app.close()


async def test_worker_kubelet_lab_waits_for_notready(app):
    """A node fault: stopping kubelet is not enough, the node must have turned NotReady (about 40 s)."""
    n = number("worker-kubelet-down")
    await say(app, f"!lab start {n}")
    await say(app, "!ssh w1-k8s systemctl stop kubelet")
    assert "✅" not in await say(app, "!wait 10s")
    assert (await say(app, "!lab check")).startswith("⏳ Not yet: node/w1-k8s: status Ready (want NotReady)")
    out = await say(app, "!wait 1m")
    assert "✅ Step 1/3 done!" in out and "step 2/3" in out
    await say(app, "!wait 5m")
    out = await say(app, "!k get pods -o wide")
    assert "✅ Step 2/3 done!" in out
    await say(app, "!ssh w1-k8s systemctl start kubelet")
    assert f"🎉 Lab {n} complete" in await say(app, "!wait 20s")


async def test_start_offers_to_set_the_sandbox_up(app):
    n = number("scale-out")
    [offer] = await app.router.handle(Message(content=f"!lab start {n}", user="u", server="s", reply_lang="en"))
    assert "`kubectl create deployment deploy-nginx --image=nginx`" in offer.text
    assert offer.choices == ("Set up my sandbox and start", "Start as my sandbox is", "Cancel")
    assert offer.choice_key == f"lab:u:scale-out"
    # Another student cannot press it; cancelling changes nothing.
    assert "another student" in await say(app, f"!answer {offer.choice_key} 1", user="v")
    for typed in ("lab 1", "lab:u 1", "lab:u:nope 1", "lab:::: 1"):
        assert "another student" in await say(app, f"!answer {typed}")
    assert await say(app, "!answer 3") == "Nothing was started; your sandbox is unchanged."
    assert await say(app, "!k get deployments") == "No resources found in default namespace."
    # As it is: the lab starts without setup and says what is missing.
    await app.router.handle(Message(content=f"!lab start {n}", user="u", server="s", reply_lang="en"))
    out = await say(app, "!answer 2")
    assert out.startswith(f"🧪 Lab {n}: Scale out (2.3)") and "🔧" not in out and f"step 1/1" in out
    assert await say(app, "!k get deployments") == "No resources found in default namespace."


@pytest.mark.parametrize("content, line", [
    ("!k get pods", "kubectl get pods"),
    ("!kubectl exec -it dnsutils -- nslookup kubernetes", "kubectl exec -it dnsutils -- nslookup kubernetes"),
    ("!ks deploy web --replicas=3", "kubectl scale deploy web --replicas=3"),
    ("!kgp -o wide", "kubectl get pods -o wide"),
    ("!sh curl 192.168.1.101:30080", "curl 192.168.1.101:30080"),
    ("!ssh w1-k8s systemctl stop kubelet", "ssh w1-k8s systemctl stop kubelet"),
    ("!kgn", "kubectl get nodes"),
    ("!wait 5m", "wait 5m"),
    ("!lab check", None),
])
async def test_the_command_log_records_what_ran(app, content, line):
    from bot.labs.commands import command_line
    from bot.router import Context
    ctx = Context(app.router, Message(content=content, user="u", server="s"), "")
    assert command_line(ctx, {"kgn": "kubectl get nodes"}) == line


async def test_a_completed_lab_stays_completed_and_a_skipped_one_can_be_redone(app):
    sessions = app.router.services["labs"].sessions
    key = ("s", "w")
    await sessions.finish(key, "chk-hn", 1.0, "skipped")
    assert await sessions.finished(key) == set() and await sessions.finished(key, "skipped") == {"chk-hn"}
    await sessions.finish(key, "chk-hn", 2.0, "completed")
    await sessions.finish(key, "chk-hn", 3.0, "skipped")            # a later partial run does not undo it
    assert await sessions.finished(key) == {"chk-hn"} and await sessions.finished(key, "skipped") == set()
