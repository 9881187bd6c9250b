"""`!map`: the scene (golden data) of the lab cluster, the eviction drill and a LoadBalancer; the PNG
renders within its budget; Korean labels have glyphs; the console writes the picture to a file."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from bot import charts
from bot.app import open_app
from bot.console import render as console_render
from bot.i18n import LANGS, catalogue as _catalogue
from bot.map import render, scene
from bot.reply import Message


@pytest.fixture
async def app(tmp_path):
    app = await open_app(tmp_path / "t.db", clock=lambda: 1795000000.0, rate_limit=None,
                         extensions=("bot.commands.sandbox", "bot.map"))
    yield app
    await app.close()


async def say(app, content: str):
    return await app.router.handle(Message(content=content, user="u", server="s", reply_lang="en"))


async def view(app, previous=None, **kw) -> dict:
    async with app.router.services["sandboxes"].open("s", "u") as sb:
        return scene.scene(sb.cluster, previous, **kw)


def slim(v: dict) -> dict:
    """The scene with generated pod names reduced to their stable prefix."""
    def name(n: str) -> str:
        return n.rsplit("-", 2)[0] + "-*" if n.count("-") >= 2 and n.split("-")[-1].isalnum() and len(n.split("-")[-1]) == 5 else n
    return {"nodes": [(n["name"], n["status"], n["taints"], sorted((name(p["name"]), p["status"], p["class"], p["change"] or "")
                                                                   for p in n["pods"])) for n in v["nodes"]],
            "services": [(s["name"], s["type"], s["external_ip"], len(s["endpoints"])) for s in v["services"]],
            "gone": len(v["gone"])}


GOLDEN = Path(__file__).parent / "fixtures" / "map"


def golden(name: str, got: dict) -> None:
    """Compare a scene with tests/fixtures/map/NAME.json; KUBETUTOR_UPDATE_GOLDEN=1 rewrites it (engine-made)."""
    path = GOLDEN / f"{name}.json"
    text = json.dumps(got, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    if os.environ.get("KUBETUTOR_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert json.loads(text) == json.loads(path.read_text(encoding="utf-8")), f"scene {name} differs from its golden"


async def test_golden_scenes_lab_cluster_eviction_drill_loadbalancer(app):
    golden("lab-cluster", await view(app, all_namespaces=True))
    for line in ["!k apply -f ~/_Lecture_k8s_starter.kit/ch2/2.4/metallb.yaml",
                 "!k create deployment chk-hn --image=sysnet4admin/chk-hn --replicas=3",
                 "!k expose deployment chk-hn --type=LoadBalancer --port=80", "!wait 30s"]:
        await say(app, line)
    before = await view(app)
    golden("loadbalancer", before)
    await say(app, "!ssh w1-k8s systemctl stop kubelet")
    await say(app, "!wait 6m")
    golden("eviction-drill", await view(app, scene.snapshot(before)))


async def test_the_fresh_lab_cluster(app):
    v = await view(app, all_namespaces=True)
    nodes = {n["name"]: n for n in v["nodes"]}
    assert list(nodes) == ["m-k8s", "w1-k8s", "w2-k8s", "w3-k8s"]
    assert nodes["m-k8s"]["taints"] == ["node-role.kubernetes.io/master:NoSchedule"]
    assert {p["name"] for p in nodes["m-k8s"]["pods"]} >= {"etcd-m-k8s", "kube-apiserver-m-k8s", "kube-scheduler-m-k8s"}
    assert all(p["class"] == "running" and p["change"] is None for n in v["nodes"] for p in n["pods"])
    assert (await view(app))["nodes"][0]["pods"] == []          # kube-system hidden by default


async def test_the_eviction_drill_and_a_loadbalancer(app):
    for line in ["!k apply -f ~/_Lecture_k8s_starter.kit/ch2/2.4/metallb.yaml", "!k cordon w3-k8s",
                 "!k create deployment web --image=nginx --replicas=2",
                 "!k expose deployment web --type=LoadBalancer --port=80", "!wait 30s"]:
        await say(app, line)
    first = await view(app)
    assert slim(first)["services"] == [("web", "LoadBalancer", "192.168.1.11", 2)]
    assert [n["status"] for n in first["nodes"]] == ["Ready", "Ready", "Ready", "Ready,SchedulingDisabled"]
    await say(app, "!ssh w1-k8s systemctl stop kubelet")
    await say(app, "!wait 6m")
    second = slim(await view(app, scene.snapshot(first)))
    assert second["nodes"][1][:3] == ("w1-k8s", "NotReady", ["node.kubernetes.io/unreachable:NoExecute",
                                                            "node.kubernetes.io/unreachable:NoSchedule"])
    assert ("web-*", "Terminating", "ending", "evicted") in second["nodes"][1][3]
    assert ("web-*", "Running", "running", "new") in second["nodes"][2][3]      # w3 is cordoned: the new one is on w2
    assert second["services"] == [("web", "LoadBalancer", "192.168.1.11", 2)]
    found = scene.changes(await view(app, scene.snapshot(first)))
    assert {k: len(v) for k, v in found.items()} == {"new": 1, "moved": 0, "evicted": 1, "gone": 0}


async def test_map_command_compares_with_the_previous_map(app):
    await say(app, "!k create deployment web --image=nginx --replicas=3")
    await say(app, "!wait 10s")
    first = await say(app, "!map")
    assert first[0].text.startswith("🗺️ Your cluster (3 pods on 4 nodes). The next `!map`")
    png = first[0].files[0].data
    assert png.startswith(b"\x89PNG") and len(png) > 5000
    await say(app, "!k delete pod " + (await view(app))["nodes"][1]["pods"][0]["name"])
    await say(app, "!wait 1m")
    second = await say(app, "!map")
    assert second[0].text.endswith("Changes since your last `!map`: 1 new, 1 gone")
    words = second[0].files[1].data.decode()
    assert "<- new" in words and "gone since your last map" in words
    # Every namespace, in Korean: still a picture (its time is `kubetutor bench`'s map_render_ms).
    assert render.picture(await view(app, all_namespaces=True), "ko").startswith(b"\x89PNG")
    assert (await say(app, "!map everything"))[0].ok is False


def test_korean_labels_have_glyphs_in_the_font():
    texts = [v for k, v in _catalogue("ko").items() if k.startswith(("map_", "class_chart_"))]
    assert texts
    for text in texts:
        stripped = text.replace("🗺️", "").replace("`", "")
        assert charts.missing_glyphs(stripped) == set(), text
    assert charts.missing_glyphs("✅") == {"✅"}                       # the test can fail


def test_the_console_writes_attachments_to_files(tmp_path):
    from bot.reply import Attachment, Reply
    out = console_render(Reply("here", files=(Attachment("map.png", b"\x89PNG..."), Attachment("c.csv", b"a,b\n"))),
                         tmp_path)
    lines = out.splitlines()
    assert lines[0] == "here"
    png, csv = lines[1], lines[2]
    assert png.startswith(str(tmp_path)) and png.endswith("map.png") and open(png, "rb").read() == b"\x89PNG..."
    assert csv.endswith("c.csv") and lines[3] == "a,b"


async def test_discord_sends_the_map_as_a_png_file(app):
    from bot.discord.render import render as discord_render
    [picture] = await say(app, "!map")
    parts = discord_render(picture, lang="en")
    assert [f.filename for f in parts[-1].files] == ["map.png", "map.txt"]
    assert parts[0].content.startswith("🗺️")


@pytest.mark.parametrize("status, klass", [
    ("Running", "running"), ("Pending", "waiting"), ("ContainerCreating", "waiting"), ("Init:0/1", "waiting"),
    ("Terminating", "ending"), ("CrashLoopBackOff", "failing"), ("ErrImagePull", "failing"),
    ("ImagePullBackOff", "failing"), ("Error", "failing"), ("Completed", "done"), ("SomethingNew", "failing"),
])
def test_pod_status_colour_classes(status, klass):
    assert scene.phase_class(status) == klass
