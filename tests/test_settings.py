"""Per-server settings (`!config`): shown to all, changed by owners/Manage Server only, kept in the
database, and obeyed: the prefix, the quiz channels and the server language."""
from __future__ import annotations

import pytest

from bot.app import open_app
from bot.reply import Message
from test_quiz_support import FakeClock

EXTENSIONS = ("bot.choices", "bot.prefs", "bot.settings", "bot.progress", "bot.quiz", "bot.commands.sandbox")


@pytest.fixture
async def app(tmp_path):
    app = await open_app(tmp_path / "s.db", clock=FakeClock(), rate_limit=None, extensions=EXTENSIONS)
    yield app
    await app.close()


async def say(app, text, *, server="srv", admin=False, instructor=False, channel="1"):
    return await app.router.handle(Message(text, "u1", server, channel=channel, is_admin=admin,
                                           is_instructor=instructor or admin))


async def test_config_shows_every_setting_with_its_source(app):
    [shown] = await say(app, "!config")
    for key in ("prefix", "lang", "instructor_role", "quiz_channels", "unprefixed", "private_replies", "course_days"):
        assert f"`{key}`" in shown.text
    assert "기본값" in shown.text


async def test_only_owners_and_managers_change_settings(app):
    [refused] = await say(app, "!config set prefix ?", instructor=True)
    assert not refused.ok and "서버 관리" in refused.text
    assert (await say(app, "!k get nodes"))[0].ok


async def test_a_server_prefix_replaces_the_default_in_that_server_only(app, tmp_path):
    [done] = await say(app, "!config set prefix ?", admin=True)
    assert done.ok and "`prefix` = ?" in done.text
    assert await say(app, "!k get nodes") == []                  # another `!` bot may live here
    [nodes] = await say(app, "?k get nodes")
    assert nodes.text.startswith("NAME ")
    [other] = await say(app, "!k get nodes", server="other")     # other servers keep `!`
    assert other.text.startswith("NAME ")
    # kept in the database: a restart still answers `?`
    store_path = tmp_path / "s.db"
    again = await open_app(store_path, clock=FakeClock(), rate_limit=None, extensions=EXTENSIONS)
    try:
        assert (await say(again, "?k get nodes"))[0].text.startswith("NAME ")
        [reset] = await say(again, "?config reset prefix", admin=True)
        assert reset.ok and (await say(again, "!k get nodes"))[0].text.startswith("NAME ")
    finally:
        await again.close()


@pytest.mark.parametrize("args", ["set prefix abc", "set prefix /", "set unprefixed maybe",
                                  "set quiz_channels general", "set lang fr", "set nosuch 1", "set prefix"])
async def test_bad_values_are_refused_and_change_nothing(app, args):
    [refused] = await say(app, f"!config {args}", admin=True)
    assert not refused.ok
    [shown] = await say(app, "!config")
    assert "이 서버에서 설정" not in shown.text


async def test_quiz_channels_limit_where_quizzes_are_scheduled(app):
    assert (await say(app, "!config set quiz_channels <#555> <#556>", admin=True))[0].ok
    [refused] = await say(app, "!quiz schedule <#777> 10m", admin=True)
    assert not refused.ok and "<#555>" in refused.text
    assert (await say(app, "!quiz schedule <#556> 10m", admin=True))[0].ok


async def test_the_server_language_is_a_setting(app):
    assert (await say(app, "!config set lang en", admin=True))[0].ok
    [shown] = await say(app, "!config")
    assert "This server's settings" in shown.text and "`lang` = en" in shown.text


async def test_lab_threads_put_a_started_lab_in_the_students_thread(tmp_path):
    app = await open_app(tmp_path / "t.db", clock=FakeClock(), rate_limit=None)
    try:
        [plain] = [r for r in await say(app, "!lab start 1") if r.text]
        assert plain.thread is None
        await say(app, "!lab stop")
        assert (await say(app, "!config set lab_threads on", admin=True))[0].ok
        started = await say(app, "!lab start 1")
        assert started and all(r.thread for r in started)
        assert (await say(app, "!lab check"))[0].thread is None       # only the start opens it
    finally:
        await app.close()
