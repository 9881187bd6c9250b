"""Focused checks of the kubectl verbs' pieces that the golden transcripts exposed."""
from __future__ import annotations

import pytest

from engine.cluster import MAX_OBJECTS
from engine.controllers import replicaset, scheduler
from engine.kubectl.table import render
from engine.store import Store
from engine.sandbox import SandboxManager
from engine.validation import container_port, port_name

NOW = 1795000000.0


@pytest.fixture
async def sandbox(tmp_path):
    store = await Store.open(tmp_path / "u.db")
    mgr = SandboxManager(store, wall=lambda: NOW)
    async with mgr.open("s", "u") as sb:
        yield sb
    await store.close()


# -- table: kubectl's printer tabwriter (minwidth 6, padding 3) ---------------------------------

def test_table_columns_are_widest_cell_plus_three():
    assert render(["NAME", "READY", "AGE"], [["nginx", "0/1", "0s"]]) == "NAME    READY   AGE\nnginx   0/1     0s"


def test_no_headers_does_not_widen_columns_and_keeps_minimum_six():
    # the real capture: `kubectl get pods --no-headers -l run=nginx4`
    rows = [["nginx4", "1/1", "Terminating", "0", "12m"]]
    assert render(["NAME", "READY", "STATUS", "RESTARTS", "AGE"], rows, no_headers=True) == \
        "nginx4   1/1   Terminating   0     12m"
    assert render(["NAME"], [], no_headers=True) == ""


def test_an_empty_last_cell_keeps_the_padding_before_it():
    # `kubectl get cs`: ERROR is empty, so the MESSAGE cell stays padded
    text = render(["NAME", "STATUS", "MESSAGE", "ERROR"], [["scheduler", "Healthy", "ok", ""]])
    assert text.split("\n")[1] == "scheduler   Healthy   ok        "


def test_header_only_table():
    assert render(["NAME", "AGE"], []) == "NAME   AGE"


# -- validation ---------------------------------------------------------------------------------

@pytest.mark.parametrize("port,errors", [
    (80, []), (1, []), (65535, []),
    (0, ["f: Required value"]),
    (65536, ["f: Invalid value: 65536: must be between 1 and 65535, inclusive"]),
    (-1, ["f: Invalid value: -1: must be between 1 and 65535, inclusive"]),
])
def test_container_port(port, errors):
    assert container_port("f", port) == errors


def test_port_name():
    assert port_name("http") == [] and port_name("metrics-1") == []
    assert port_name("80x") == [] and port_name("8080") == ["must contain at least one letter (a-z)"]
    assert port_name("a--b") == ["must not contain consecutive hyphens"]
    assert port_name("Bad_Name") == ["must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"]
    assert port_name("a" * 16) == ["must be no more than 15 characters"]


# -- verbs --------------------------------------------------------------------------------------

def test_get_prints_what_it_found_then_fails_for_the_rest(sandbox):
    assert sandbox.kubectl("get ns default nope") == (
        "NAME      STATUS   AGE\ndefault   Active   17h\n"
        'Error from server (NotFound): namespaces "nope" not found', 1)
    assert sandbox.kubectl("get pod x --ignore-not-found") == ("No resources found in default namespace.", 0)


def test_create_subcommands_the_sandbox_lacks_fail(sandbox):
    out, rc = sandbox.kubectl("create quota x --hard=pods=1")
    assert rc == 1 and out.startswith("error: ")


def test_invalid_ports_create_nothing(sandbox):
    before = sandbox.cluster.count()
    for line in ("run web --image=nginx --port=0", "create deployment web --image=nginx --port=70000",
                 "run web --image=nginx --port=-5 --expose"):
        assert sandbox.kubectl(line)[1] == 1
    assert sandbox.cluster.count() == before


def test_create_service_names_ports_after_the_spec(sandbox):
    assert sandbox.kubectl("create service nodeport np --tcp=80 --tcp=8443:https")[1] == 0
    ports = sandbox.cluster.get("Service", "default", "np")["spec"]["ports"]
    assert [(p["name"], p["port"], p["targetPort"]) for p in ports] == [("80", 80, 80), ("8443-https", 8443, "https")]


def test_run_env_follows_the_api_omitempty(sandbox):
    assert sandbox.kubectl("run x --image=nginx --env=A=1 --env=B=")[1] == 0
    assert sandbox.cluster.get("Pod", "default", "x")["spec"]["containers"][0]["env"] == [
        {"name": "A", "value": "1"}, {"name": "B"}]


# -- controllers at the object cap --------------------------------------------------------------

def test_replicaset_at_the_cap_says_so_once_and_settles(sandbox):
    sandbox.kubectl("create deployment big --image=nginx --replicas=2500")
    sandbox.wait(0)
    c = sandbox.cluster
    assert c.count() == MAX_OBJECTS
    rs = next(r for r in c.list("ReplicaSet", "default") if r["metadata"]["name"].startswith("big-"))
    cond = rs["status"]["conditions"][0]
    assert (cond["type"], cond["reason"], cond["status"]) == ("ReplicaFailure", "FailedCreate", "True")
    marks = c.mutations
    replicaset.sync(c)                                    # nothing new to say: no write at all
    assert c.mutations == marks
    sandbox.kubectl("scale deployment big --replicas=1")  # room again: the condition goes
    sandbox.wait(0)
    rs = c.get("ReplicaSet", "default", rs["metadata"]["name"])
    assert "conditions" not in rs["status"] and rs["status"]["replicas"] == 1


def test_pods_by_node_matches_node_pods(sandbox):
    c = sandbox.cluster
    nodes = c.list("Node")
    by_node = scheduler.pods_by_node(c, nodes)
    for n in nodes:
        name = n["metadata"]["name"]
        assert [p["metadata"]["name"] for p in by_node[name]] == \
            [p["metadata"]["name"] for p in scheduler.node_pods(c, name)]
    assert sum(len(v) for v in by_node.values()) == len(c.list("Pod"))   # the lab's 15 system pods, all placed
