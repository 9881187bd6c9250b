"""Operations: /healthz and /metrics over real HTTP on loopback, the router's meters, JSON logs."""
from __future__ import annotations

import json
import logging

import aiohttp
import pytest

from bot import ops
from bot.app import open_app
from bot.logs import JsonFormatter
from bot.reply import Message


@pytest.fixture
async def app(tmp_path):
    app = await open_app(tmp_path / "o.db", rate_limit=None)
    app.router.meters.append(ops.record)
    yield app
    await app.close()


async def _get(port: int, path: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session:
        async with session.get(f"http://127.0.0.1:{port}{path}") as response:
            return response.status, await response.text()


async def test_healthz_is_ok_when_every_check_passes(app):
    server = ops.OpsServer({"database": ops.store_check(app.store)})
    port = await server.start("127.0.0.1", 0)
    try:
        assert await _get(port, "/healthz") == (200, "ok\n")
    finally:
        await server.aclose()


async def test_healthz_is_503_with_the_reason(app):
    async def gateway_down():
        return "not connected to the gateway yet"

    async def broken():
        raise RuntimeError("database is locked")
    server = ops.OpsServer({"database": broken, "discord": gateway_down})
    port = await server.start("127.0.0.1", 0)
    try:
        status, text = await _get(port, "/healthz")
        assert status == 503
        assert "database: RuntimeError: database is locked" in text and "discord: not connected" in text
        assert (await _get(port, "/nope"))[0] == 404
    finally:
        await server.aclose()


async def test_metrics_count_commands_and_their_latency(app):
    before = ops.COMMANDS.labels("k", "ok")._value.get()
    await app.router.handle(Message("!k get nodes", "u", "s"))
    await app.router.handle(Message("!k get pods nosuch", "u", "s"))
    await app.router.handle(Message("just chatting", "u", "s"))          # not a command: not counted
    restarts = iter([2, 3])
    server = ops.OpsServer({}, cached=lambda: 7, restarts=lambda: next(restarts))
    before_restarts = ops.WORKER_RESTARTS._value.get()
    port = await server.start("127.0.0.1", 0)
    try:
        status, text = await _get(port, "/metrics")
    finally:
        await server.aclose()
    assert status == 200
    assert ops.COMMANDS.labels("k", "ok")._value.get() == before + 1
    assert 'kubetutor_commands_total{command="k",outcome="error"}' in text
    assert 'kubetutor_command_seconds_bucket{command="k",le="0.5"}' in text
    assert "kubetutor_sandboxes_cached 7.0" in text
    assert ops.WORKER_RESTARTS._value.get() == before_restarts + 2      # the pool's count, once
    for name in ("kubetutor_worker_restarts_total", "kubetutor_budget_overruns", "kubetutor_db_errors_total"):
        assert name in text


def test_hostile_command_words_do_not_become_labels():
    ops.record("x" * 500, 0.01, "ok")
    ops.record("ㅏ", 0.01, "ok")
    assert ops.COMMANDS.labels("other", "ok")._value.get() >= 2


def test_json_logs_are_one_object_a_line():
    record = logging.LogRecord("bot.router", logging.ERROR, __file__, 1, "command failed: %s", ("한글",), None)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["level"] == "ERROR" and entry["message"] == "command failed: 한글" and entry["logger"] == "bot.router"
