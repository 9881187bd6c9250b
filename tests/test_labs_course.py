"""One student plays the whole course in order in one sandbox, each step by its last hint's commands
(the hint is the lab's own promise of what works), and every lab ends completed."""
from __future__ import annotations

import re

from bot.app import open_app
from bot.labs.catalogue import course
from bot.reply import Message

NODENAME_POD = """!k apply -f -
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: nodename
spec:
  nodeName: w3-k8s
  containers:
  - name: nginx
    image: nginx
```"""


def _commands(hint: str) -> list[str]:
    return [c for c in re.findall(r"`(![^`]+)`", hint)]


async def test_every_lab_is_completed_in_course_order_by_its_hints(tmp_path):
    app = await open_app(tmp_path / "t.db", clock=lambda: 1795000000.0, rate_limit=None)

    async def say(content: str) -> str:
        replies = await app.router.handle(Message(content=content, user="u", server="s", reply_lang="en"))
        return "\n".join(r.text for r in replies)

    async def sandbox():
        return app.router.services["sandboxes"].open("s", "u")

    async def node_port(name: str) -> str:
        async with await sandbox() as sb:
            return str(sb.cluster.get("Service", "default", name)["spec"]["ports"][0]["nodePort"])

    async def a_pod(prefix: str) -> str:
        async with await sandbox() as sb:
            return next(p["metadata"]["name"] for p in sb.cluster.list("Pod", "default")
                        if p["metadata"]["name"].startswith(prefix))

    async def commands(lab, index: int) -> list[str]:
        """The step's last hint, with what the hint leaves to the student filled in."""
        if lab.id == "nodename":
            return [NODENAME_POD, "!wait 30s"]
        if lab.id == "lb-pool":
            return [f"!k expose deployment chk-hn --type=LoadBalancer --port=80 --name=lb{i}" for i in range(1, 11)]
        found = _commands(lab.steps[index].hints[-1]["en"])
        if lab.id == "nodeport-pod" and index == 1:
            return [f"!sh curl 192.168.1.101:{await node_port('nginx')}"]
        if lab.id == "cleanup" and index == 0:
            async with await sandbox() as sb:
                names = [s["metadata"]["name"] for s in sb.cluster.list("Service", "default")]
            return ["!k get services", "!k delete service " + " ".join(n for n in names if n != "kubernetes")]
        if lab.id == "delete-managed-pod":
            return [f"!k delete pod {await a_pod('del-deploy-')}", "!wait 10s"]
        return found

    try:
        for lab in course():
            out = await say(f"!lab start {lab.number}")
            if "This lab starts from a prepared sandbox" in out:
                out = await say("!answer 1")
            assert out.startswith(f"🧪 Lab {lab.number}:"), (lab.id, out)
            for index in range(len(lab.steps)):
                transcript = []
                for command in await commands(lab, index):
                    transcript.append(await say(command))
                    if "✅" in transcript[-1]:
                        break
                for _ in range(3):
                    if any(f"✅ Step {index + 1}/" in t for t in transcript):
                        break
                    transcript.append(await say("!wait 1m"))
                    transcript.append(await say("!lab check"))
                assert any(f"✅ Step {index + 1}/" in t for t in transcript), (lab.id, index + 1, transcript[-6:])
            assert lab.id in await app.router.services["labs"].sessions.finished(("s", "u")), lab.id
    finally:
        await app.close()
