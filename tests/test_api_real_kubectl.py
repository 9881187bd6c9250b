"""Real kubectl 1.20.2 against `kubetutor api`: the course's chapter 2 and the chapter 4 drill.

For every step real kubectl talks HTTPS to the API server on loopback; after every step the
read commands are run both ways — real kubectl through the API, and `!k` in chat — on the same
sandbox at the same (frozen) instant, and must print the same bytes. So the engine's own
printing is checked by kubectl itself: the server only hands kubectl data (Tables, objects).

The binary: $KUBETUTOR_KUBECTL, else Debian's kubernetes-client unpacked under /opt/kubectl-1.20
(.ci/run puts it there), else a `kubectl` on PATH that says v1.20.
"""
from __future__ import annotations

import asyncio
import os
import re
from pathlib import Path

import pytest

from bot.api.bench import find_kubectl
from bot.api.server import ApiServer
from bot.app import open_app
from bot.reply import Message
from test_quiz_support import FakeClock

KIT = Path(__file__).resolve().parents[1] / "content" / "kit" / "_Lecture_k8s_starter.kit"


KUBECTL = find_kubectl()
pytestmark = pytest.mark.skipif(KUBECTL is None, reason="no kubectl 1.20 (CI installs Debian's kubernetes-client)")


class Lab:
    def __init__(self, app, clock, home: Path, port: int):
        self.app, self.clock, self.home, self.port = app, clock, home, port

    async def chat(self, text: str) -> str:
        replies = await self.app.router.handle(Message(text, "kim", "class", user_name="kim"))
        return "\n".join(r.text for r in replies)

    async def kubectl(self, args: str) -> str:
        proc = await asyncio.create_subprocess_exec(
            KUBECTL, *args.split(), stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
            env={"HOME": str(self.home), "KUBECONFIG": str(self.home / ".kube" / "config"), "PATH": "/usr/bin:/bin"})
        out, _ = await asyncio.wait_for(proc.communicate(), timeout=60)
        return out.decode().rstrip("\n")

    async def same(self, args: str) -> str:
        """Real kubectl and `!k` print the same for this read. `describe` computes its event ages
        on the client, from kubectl's own clock (not the sandbox's frozen one): those are normalised."""
        real = await self.kubectl(args)
        ours = await self.chat(f"!k {args}")
        if args.startswith("describe"):
            real, ours = _ages(real), _ages(ours)
        assert real == ours, f"kubectl {args}\n--- real kubectl via kubetutor api ---\n{real}\n--- !k ---\n{ours}"
        return real


def _ages(text: str) -> str:
    return re.sub(r"(?m)^(  \S+\s+\S+\s+)(?:\d+[smhd]){1,2}(?: \(x\d+ over \S+\))?\s+", r"\1AGE  ", text)


@pytest.fixture
async def lab(tmp_path):
    clock = FakeClock(1_795_000_000.0)
    app = await open_app(tmp_path / "api.db", clock=clock, rate_limit=None)
    server = ApiServer(app.router, app.store)
    port = await server.start("127.0.0.1", 0)
    home = tmp_path / "home"
    (home / ".kube").mkdir(parents=True)
    os.environ["KUBETUTOR_API_URL"] = f"https://127.0.0.1:{port}"
    try:
        issued = await app.router.handle(Message("!kubeconfig", "kim", "class"))
        config = re.search(r"```yaml\n(.*?)```", issued[0].text, re.S)[1]
        (home / ".kube" / "config").write_text(config)
        yield Lab(app, clock, home, port)
    finally:
        os.environ.pop("KUBETUTOR_API_URL", None)
        await server.aclose()
        await app.close()


async def test_chapter_2_with_real_kubectl(lab):
    assert "m-k8s    Ready    control-plane,master" in await lab.same("get nodes")
    assert await lab.kubectl("run nginx --image=nginx") == "pod/nginx created"
    await lab.chat("!wait 10s")
    await lab.same("get pod -o wide")
    assert await lab.kubectl("expose pod nginx --type=NodePort --port=80") == "service/nginx exposed"
    await lab.same("get service")
    await lab.same("get nodes -o wide")
    assert await lab.kubectl("create deployment deploy-nginx --image=nginx") == "deployment.apps/deploy-nginx created"
    assert await lab.kubectl("scale deployment deploy-nginx --replicas=3") == "deployment.apps/deploy-nginx scaled"
    await lab.chat("!wait 10s")
    await lab.same("get pods")
    assert await lab.kubectl("expose deployment deploy-nginx --type=NodePort --port=80") == \
        "service/deploy-nginx exposed"
    metallb = await lab.kubectl(f"apply -f {KIT}/ch2/2.4/metallb.yaml")
    assert "daemonset.apps/speaker created" in metallb and "configmap/config created" in metallb
    assert await lab.kubectl("create deployment chk-hn --image=sysnet4admin/chk-hn") == "deployment.apps/chk-hn created"
    assert await lab.kubectl("scale deployment chk-hn --replicas=3") == "deployment.apps/chk-hn scaled"
    assert await lab.kubectl("expose deployment chk-hn --type=LoadBalancer --port=80") == "service/chk-hn exposed"
    await lab.chat("!wait 30s")
    services = await lab.same("get services")
    assert "192.168.1.11" in services
    await lab.same("get pods -A -o wide")
    await lab.same("get deployments --show-labels")
    for gone, said in (("service chk-hn", 'service "chk-hn"'), ("service deploy-nginx", 'service "deploy-nginx"'),
                       ("service nginx", 'service "nginx"'), ("deployment chk-hn", 'deployment.apps "chk-hn"'),
                       ("deployment deploy-nginx", 'deployment.apps "deploy-nginx"'), ("pod nginx", 'pod "nginx"')):
        assert await lab.kubectl(f"delete {gone}") == f"{said} deleted"
    assert "deleted" in await lab.kubectl(f"delete -f {KIT}/ch2/2.4/metallb.yaml")
    await lab.same("get pods")
    assert await lab.kubectl("get pod nosuch") == 'Error from server (NotFound): pods "nosuch" not found'


async def test_chapter_4_drill_with_real_kubectl(lab):
    assert "created" in await lab.kubectl(f"apply -f {KIT}/ch4/4.1/del-deploy.yaml")
    await lab.chat("!wait 30s")
    await lab.same("get pods -o wide")
    await lab.chat("!ssh w1-k8s systemctl stop kubelet")
    await lab.chat("!wait 1m")
    nodes = await lab.same("get nodes")
    assert re.search(r"^w1-k8s\s+NotReady", nodes, re.M)
    await lab.chat("!wait 5m")
    pods = await lab.same("get pod -o wide")
    assert "Terminating" in pods
    assert await lab.kubectl("scale deployment del-deploy --replicas=6") == "deployment.apps/del-deploy scaled"
    await lab.chat("!wait 30s")
    await lab.same("get pod -o wide")
    await lab.same("describe deployment del-deploy")
    await lab.kubectl("delete pod kube-scheduler-m-k8s -n kube-system")
    await lab.chat("!wait 30s")
    await lab.same("get pods -n kube-system")


async def test_edit_with_an_editor_script_and_labels(lab, tmp_path):
    await lab.kubectl("create deployment web --image=nginx")
    editor = tmp_path / "editor.sh"
    editor.write_text("#!/bin/sh\nsed -i 's/replicas: 1/replicas: 2/' \"$1\"\n")
    editor.chmod(0o755)
    proc = await asyncio.create_subprocess_exec(
        KUBECTL, "edit", "deployment", "web", stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        env={"HOME": str(lab.home), "KUBECONFIG": str(lab.home / ".kube" / "config"), "KUBE_EDITOR": str(editor),
             "PATH": "/usr/bin:/bin"})
    out, _ = await asyncio.wait_for(proc.communicate(), timeout=60)
    assert out.decode().strip() == "deployment.apps/web edited"
    assert await lab.kubectl("label deployment web tier=front") == "deployment.apps/web labeled"
    await lab.chat("!wait 10s")
    assert "web    2/2" in await lab.same("get deployment web --show-labels")


async def test_without_a_valid_token_nothing_is_served(lab):
    config = lab.home / ".kube" / "config"
    config.write_text(re.sub(r"token: \S+", "token: kt1_forged", config.read_text()))
    assert await lab.kubectl("get pods") == "error: You must be logged in to the server (Unauthorized)"


KIT_FILES = sorted(p for p in KIT.rglob("*") if p.suffix in (".yaml", ".yml") and "apiVersion:" in p.read_text())


async def test_apply_every_kit_file_as_chat_does(lab):
    """Each course file applied by real kubectl through the API prints what `!k apply -f` prints
    for the same file in chat (a second student's sandbox), twice: created, then unchanged/configured."""
    for path in KIT_FILES:
        inside = "~/_Lecture_k8s_starter.kit/" + str(path.relative_to(KIT))
        for _ in range(2):
            real = (await lab.kubectl(f"apply -f {path}")).replace(str(KIT), "/root/_Lecture_k8s_starter.kit")
            twin = await lab.app.router.handle(Message(f"!k apply -f {inside}", "twin", "class"))
            assert real == "\n".join(r.text for r in twin), path


async def test_invalid_input_reads_the_same(lab):
    real = await lab.kubectl("run Bad_Name --image=nginx")
    twin = await lab.app.router.handle(Message("!k run Bad_Name --image=nginx", "twin", "class"))
    assert real == twin[0].text
    assert real.startswith('The Pod "Bad_Name" is invalid: \n* metadata.name: Invalid value: "Bad_Name"')


async def test_get_pods_watch_follows_a_wait_in_chat(lab):
    assert await lab.kubectl("run web --image=nginx") == "pod/web created"
    proc = await asyncio.create_subprocess_exec(
        KUBECTL, "get", "pods", "-w", stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        env={"HOME": str(lab.home), "KUBECONFIG": str(lab.home / ".kube" / "config"), "PATH": "/usr/bin:/bin"})
    try:
        header = (await asyncio.wait_for(proc.stdout.readline(), 30)).decode()
        assert header.split() == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
        first = (await asyncio.wait_for(proc.stdout.readline(), 30)).decode()
        assert first.split()[:3] == ["web", "0/1", "Pending"]
        await lab.chat("!wait 10s")                      # the sandbox moves on in chat ...
        seen = []
        while not any("Running" in line for line in seen):
            seen.append((await asyncio.wait_for(proc.stdout.readline(), 30)).decode())
        assert seen[-1].split()[:3] == ["web", "1/1", "Running"]      # ... and the watch shows it
    finally:
        proc.kill()
        await proc.wait()
