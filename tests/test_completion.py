"""`/k` autocomplete: verbs, resource types, and the student's own object names from the sandbox."""
from __future__ import annotations

import asyncio

import pytest

from bot.app import open_app
from bot.completion import Completer
from bot.reply import Message


@pytest.fixture
async def app(tmp_path):
    app = await open_app(tmp_path / "c.db", rate_limit=None)
    yield app
    await app.close()


async def test_first_word_completes_to_verbs(app):
    completer = Completer(app.router.services["sandboxes"])
    assert await completer.complete("s", "u", "ge") == ["get"]
    assert (await completer.complete("s", "u", ""))[:3] == ["get", "describe", "run"]
    assert len(await completer.complete("s", "u", "")) <= 25


async def test_types_then_the_students_own_names(app):
    await app.router.handle(Message("!k create deployment web --image=nginx", "u", "s"))
    await app.router.handle(Message("!k create deployment other --image=nginx", "someone-else", "s"))
    completer = Completer(app.router.services["sandboxes"])
    assert await completer.complete("s", "u", "get dep") == ["get deployments"]
    assert await completer.complete("s", "u", "scale deployments ") == ["scale deployments web"]
    assert await completer.complete("s", "u", "describe deploy/w") == ["describe deploy/web"]
    assert await completer.complete("s", "u", "cordon w1") == ["cordon w1-k8s"]
    # another student's objects are never offered
    assert await completer.complete("s", "u", "delete deployment o") == []


async def test_a_slow_sandbox_falls_back_to_the_static_list(app, monkeypatch):
    import bot.completion as completion
    completer = Completer(app.router.services["sandboxes"])

    async def slow(server, user, line):
        await asyncio.sleep(1)
        raise AssertionError("not reached")
    monkeypatch.setattr(completion, "BUDGET", 0.05)
    monkeypatch.setattr(completer, "_kubectl", lambda s, u, l: asyncio.wait_for(slow(s, u, l), completion.BUDGET))
    assert await completer.complete("s", "u", "get po") == ["get pods"]
    assert await completer.complete("s", "u", "logs w") == []


async def test_hostile_text_is_harmless(app):
    completer = Completer(app.router.services["sandboxes"])
    assert await completer.complete("s", "u", "get pods;rm ") == []
    assert await completer.complete("s", "u", "get `x` ") == []
    assert all(len(c) <= 100 for c in await completer.complete("s", "u", "get " + "p" * 300))
