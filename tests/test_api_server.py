"""`kubetutor api` against hostile and odd requests (no kubectl needed): tokens, paths, bodies,
limits — each answered with the real server's status code and a Status body, nothing written."""
from __future__ import annotations

import json
import re

import aiohttp
import pytest

from bot.api import rest, server as api_server, tokens
from bot.api.server import ApiServer
from bot.app import open_app
from bot.reply import Message
from test_quiz_support import FakeClock


@pytest.fixture
async def api(tmp_path):
    app = await open_app(tmp_path / "a.db", clock=FakeClock(), rate_limit=None)
    server = ApiServer(app.router, app.store)
    port = await server.start("127.0.0.1", 0)
    token = await tokens.issue(app.store, "class", "kim", 0.0)
    session = aiohttp.ClientSession(base_url=f"https://127.0.0.1:{port}",
                                    headers={"Authorization": f"Bearer {token}"},
                                    connector=aiohttp.TCPConnector(ssl=False))
    session.app, session.token = app, token
    yield session
    await session.close()
    await server.aclose()
    await app.close()


async def call(api, method, path, **kw):
    async with api.request(method, path, **kw) as response:
        text = await response.text()
        return response.status, (json.loads(text) if text.startswith("{") else text)


async def _objects(app) -> int:
    """Stored objects (the first request creates the sandbox: callers make one before counting)."""
    row = await app.store.fetchone("SELECT COUNT(*) FROM objects")
    return row[0] if row else 0


async def test_discovery_and_version_are_the_real_servers(api):
    assert (await call(api, "GET", "/version"))[1]["gitVersion"] == "v1.20.2"
    status, apps = await call(api, "GET", "/apis/apps/v1")
    assert status == 200 and any(r["name"] == "deployments" and r["shortNames"] == ["deploy"] for r in apps["resources"])
    assert (await call(api, "GET", "/apis/apps"))[1]["preferredVersion"]["groupVersion"] == "apps/v1"
    async with api.get("/openapi/v2", headers={"Accept": "application/com.github.proto-openapi.spec.v2@v1.0+protobuf"}) as r:
        assert (await r.read()).startswith(b"\n\x032.0")


@pytest.mark.parametrize("header", [None, "Bearer kt1_wrong", "Bearer ", "Basic a2ltOnB3", "Bearer " + "x" * 5000])
async def test_without_a_valid_token_everything_is_401(api, header):
    headers = {"Authorization": header} if header is not None else {"Authorization": ""}
    status, body = await call(api, "GET", "/api/v1/namespaces/default/pods", headers=headers)
    assert status == 401 and body["reason"] == "Unauthorized"


async def test_a_revoked_token_stops_working(api):
    await api.app.router.handle(Message("!kubeconfig revoke", "kim", "class"))
    assert (await call(api, "GET", "/api/v1/nodes"))[0] == 401


async def test_a_token_reaches_only_its_own_sandbox(api):
    await api.app.router.handle(Message("!k run secret-pod --image=nginx", "other", "class"))
    status, listed = await call(api, "GET", "/api/v1/namespaces/default/pods")
    assert status == 200 and [p["metadata"]["name"] for p in listed["items"]] == []
    assert (await call(api, "GET", "/api/v1/namespaces/default/pods/secret-pod"))[0] == 404


@pytest.mark.parametrize("path", ["/api/v2/pods", "/apis/nosuch/v1/things", "/api/v1/namespaces/default/nodes",
                                  "/api/v1/namespaces/UPPER/pods", "/../../etc/passwd", "/api/v1/pods/x/y/z"])
async def test_unknown_paths_are_404(api, path):
    status, body = await call(api, "GET", path)
    assert status == 404 and body["kind"] == "Status"


@pytest.mark.parametrize("body, why", [("{", "decoded"), ("[1]", "JSON object"), ("null", "JSON object")])
async def test_malformed_bodies_are_400_and_write_nothing(api, body, why):
    await call(api, "GET", "/api/v1/nodes")
    before = await _objects(api.app)
    status, answer = await call(api, "POST", "/api/v1/namespaces/default/pods", data=body,
                                headers={"Content-Type": "application/json"})
    assert status == 400 and why in answer["message"]
    assert await _objects(api.app) == before


async def test_an_invalid_object_is_refused_in_the_servers_words(api):
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "Bad_Name"},
           "spec": {"containers": [{"name": "c", "image": "nginx"}]}}
    await call(api, "GET", "/api/v1/nodes")
    before = await _objects(api.app)
    status, answer = await call(api, "POST", "/api/v1/namespaces/default/pods", json=pod)
    assert status == 422 and answer["reason"] == "Invalid" and "Bad_Name" in answer["message"]
    [cause] = answer["details"]["causes"]
    assert cause["field"] == "metadata.name" and cause["message"].startswith('Invalid value: "Bad_Name"')
    assert await _objects(api.app) == before


async def test_an_oversized_body_is_413(api):
    status, answer = await call(api, "POST", "/api/v1/namespaces/default/configmaps",
                                data=b"{" + b" " * (4 * 1024 * 1024) + b"}", headers={"Content-Type": "application/json"})
    assert status == 413


async def test_create_then_conflict_then_delete(api):
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
           "spec": {"containers": [{"name": "web", "image": "nginx"}]}}
    status, made = await call(api, "POST", "/api/v1/namespaces/default/pods", json=pod)
    assert status == 201 and made["metadata"]["name"] == "web" and made["metadata"]["uid"]
    status, again = await call(api, "POST", "/api/v1/namespaces/default/pods", json=pod)
    assert status == 409 and again["reason"] == "AlreadyExists" and again["message"] == 'pods "web" already exists'
    assert (await call(api, "DELETE", "/api/v1/namespaces/default/pods/web"))[1]["status"] == "Success"
    assert (await call(api, "GET", "/api/v1/namespaces/default/pods/web"))[0] == 404


async def test_exec_and_port_forward_say_they_live_in_chat(api):
    status, answer = await call(api, "POST", "/api/v1/namespaces/default/pods/x/exec")
    assert status == 400 and "!k" in answer["message"]


async def test_a_table_has_the_columns_kubectl_prints(api):
    status, table = await call(api, "GET", "/api/v1/nodes",
                               headers={"Accept": "application/json;as=Table;v=v1;g=meta.k8s.io"})
    assert status == 200 and table["kind"] == "Table"
    names = [(c["name"], c["priority"]) for c in table["columnDefinitions"]]
    assert names[:5] == [("Name", 0), ("Status", 0), ("Roles", 0), ("Age", 0), ("Version", 0)]
    assert ("Internal-Ip", 1) in names or ("Internal-IP", 1) in names
    assert table["rows"][0]["cells"][:3] == ["m-k8s", "Ready", "control-plane,master"]
    assert table["rows"][0]["object"]["metadata"]["name"] == "m-k8s"


async def test_too_many_requests_is_429_with_retry_after(api, monkeypatch):
    monkeypatch.setattr(api_server, "RATE", (3, 60.0))
    codes = [(await call(api, "GET", "/api/v1/nodes"))[0] for _ in range(5)]
    assert codes[:3] == [200] * 3 and codes[3:] == [429, 429]


def test_field_selection_matches_the_api_server():
    items = [{"metadata": {"name": "a", "namespace": "x"}, "involvedObject": {"kind": "Pod", "name": "p"}},
             {"metadata": {"name": "b", "namespace": "y"}, "involvedObject": {"kind": "Node", "name": "p"}}]
    assert [i["metadata"]["name"] for i in rest.select(items, "involvedObject.name=p,involvedObject.kind=Pod")] == ["a"]
    assert [i["metadata"]["name"] for i in rest.select(items, "metadata.namespace!=x")] == ["b"]
    assert rest.select(items, None) == items


def test_kubectl_errors_become_statuses():
    assert rest.status_from_output('Error from server (NotFound): pods "x" not found')["code"] == 404
    invalid = rest.status_from_output('The Pod "x" is invalid: spec.containers: Required value')
    assert invalid["code"] == 422 and invalid["reason"] == "Invalid"
    assert re.match(r"^\d+$", str(rest.status_from_output("error: something")["code"]))


async def test_limit_and_continue_page_a_list(api):
    status, first = await call(api, "GET", "/api/v1/namespaces/kube-system/pods?limit=5")
    assert status == 200 and len(first["items"]) == 5 and first["metadata"]["remainingItemCount"] > 0
    names = [p["metadata"]["name"] for p in first["items"]]
    token = first["metadata"]["continue"]
    while token:
        _, page = await call(api, "GET", f"/api/v1/namespaces/kube-system/pods?limit=5&continue={token}")
        names += [p["metadata"]["name"] for p in page["items"]]
        token = page["metadata"].get("continue")
    _, whole = await call(api, "GET", "/api/v1/namespaces/kube-system/pods")
    assert names == [p["metadata"]["name"] for p in whole["items"]]
    status, stale = await call(api, "GET", "/api/v1/namespaces/kube-system/pods?limit=5&continue=5:1")
    assert status == 410 and stale["reason"] == "Expired"
