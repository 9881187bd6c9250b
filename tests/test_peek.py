"""`!peek @student COMMAND`: instructors read a student's sandbox; nothing is ever written."""
from __future__ import annotations

import pytest

from bot.app import open_app
from bot.reply import Message
from test_quiz_support import FakeClock


@pytest.fixture
async def app(tmp_path):
    clock = FakeClock()
    app = await open_app(tmp_path / "p.db", clock=clock, rate_limit=None)
    app.clock = clock
    yield app
    await app.close()


async def say(app, text, user, *, server="srv", instructor=False):
    return await app.router.handle(Message(text, user, server, is_instructor=instructor))


async def _rows(app):
    return await app.store.fetchall("SELECT id, meta FROM sandboxes ORDER BY id")


async def test_an_instructor_sees_the_students_objects(app):
    await say(app, "!k create deployment web --image=nginx --replicas=2", "111")
    [seen] = await say(app, "!peek <@111> get deploy", "teacher", instructor=True)
    assert seen.ok and seen.text.startswith("NAME ") and "web " in seen.text
    [own] = await say(app, "!k get deploy", "teacher", instructor=True)
    assert "web" not in own.text                        # their own sandbox is another one


async def test_students_cannot_peek(app):
    await say(app, "!k get nodes", "111")
    [refused] = await say(app, "!peek <@111> get pods", "222")
    assert not refused.ok


@pytest.mark.parametrize("line", ["delete deploy web", "scale deploy web --replicas=9", "apply -f x.yaml",
                                  "config set-context --current --namespace=x", "get pods -w", "edit deploy web",
                                  "exec web -- rm -rf /", "run x --image=nginx", "get 'pods",
                                  "get pods -o name | xargs kubectl delete", "get pods; delete pod x"])
async def test_writes_are_refused(app, line):
    await say(app, "!k create deployment web --image=nginx", "111")
    [refused] = await say(app, f"!peek <@111> {line}", "teacher", instructor=True)
    assert not refused.ok and "peek" in refused.text


async def test_a_peek_writes_nothing_even_when_the_clock_catches_up(app):
    await say(app, "!k create deployment web --image=nginx", "111")
    before = await _rows(app)
    app.clock.advance(3600)                             # an hour of timers are due in the student's cluster
    [seen] = await say(app, "!peek 111 get pods", "teacher", instructor=True)
    assert seen.ok
    assert await _rows(app) == before
    [student] = await say(app, "!k get pods", "111")    # the student's own view is unaffected
    assert "Running" in student.text


async def test_no_sandbox_and_no_other_server(app):
    await say(app, "!k get nodes", "111", server="elsewhere")
    [missing] = await say(app, "!peek <@111> get pods", "teacher", instructor=True)
    assert not missing.ok and "<@111>" in missing.text
    [usage] = await say(app, "!peek", "teacher", instructor=True)
    assert not usage.ok


async def test_two_reset_confirmations_in_one_instant_are_two(app):
    """A frozen clock (or two fast clicks) must not make two confirmations share one key:
    cancelling the first leaves the second usable."""
    first = (await say(app, "!reset", "111"))[0].choice_key
    second = (await say(app, "!reset", "111"))[0].choice_key
    assert first != second
    await say(app, f"!answer {first} 2", "111")
    [done] = await say(app, f"!answer {second} 1", "111")
    assert done.ok, done.text
