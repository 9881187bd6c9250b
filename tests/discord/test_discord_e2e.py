"""End to end through discord.py's real gateway parsing and event dispatch (dpytest 0.7.0):
a fake Discord delivers a message, the bot answers, and we read what Discord would show."""
from __future__ import annotations

import discord
import discord.ext.test as dpytest
import pytest
from discord.ext.test import backend

from bot import i18n
from bot.app import open_app
from bot.reply import Reply


@pytest.fixture
async def app(tmp_path):
    app = await open_app(tmp_path / "kubetutor.db", rate_limit=None, extensions=())

    async def whoami(ctx, args):                      # echoes the sandbox key the router was given
        return Reply(f"sandbox {ctx.key[0]}/{ctx.key[1]} {args}".rstrip())
    for word in ("k", "kubectl", "sh", "ssh", "wait", "sandbox", "reset", "help"):
        app.router.command(word)(whoami)
    yield app
    await app.close()


@pytest.fixture
async def bot(app, dpy):
    return await dpy(app, instructor_role="강사")


def body(message: discord.Message) -> str:
    assert message.content.startswith("```\n") and message.content.endswith("\n```"), message.content
    return message.content[4:-4]


async def test_prefix_command_answers_in_a_code_block(bot, replies):
    config = dpytest.get_config()
    member, guild = config.members[0], config.guilds[0]
    await dpytest.message("!k get po", channel=config.channels[0], member=member)
    [reply] = replies()
    assert body(reply) == f"sandbox {guild.id}/{member.id} get po"
    assert reply.author.id == bot.user.id


async def test_each_server_and_user_pair_is_its_own_sandbox(bot, replies):
    """Keys come from Discord: each (server, user) pair is its own sandbox, even for one person."""
    config = dpytest.get_config()
    g0, g1 = config.guilds
    a, b = config.members[0], config.members[1]                     # both in guild 0
    a_in_g1 = backend.make_member(a._user, g1)                      # the same person, in guild 1
    c0 = config.channels[0]
    c1 = next(ch for ch in config.channels if ch.guild == g1)
    seen = set()
    for member, channel in [(a, c0), (b, c0), (a_in_g1, c1)]:
        await dpytest.message("!sandbox", channel=channel, member=member)
        [reply] = replies()
        seen.add(body(reply))
    assert seen == {f"sandbox {g0.id}/{a.id}", f"sandbox {g0.id}/{b.id}", f"sandbox {g1.id}/{a.id}"}


async def test_direct_messages_have_their_own_sandbox(bot, replies):
    member = dpytest.get_config().members[0]
    dm = await member.create_dm()
    await dpytest.message("!sandbox", channel=dm, member=member)
    [reply] = replies()
    assert body(reply) == f"sandbox dm/{member.id}"


async def test_no_argument_reaches_another_sandbox(bot, replies):
    """Naming someone else in the text changes nothing: the key is still the author's."""
    config = dpytest.get_config()
    me, other = config.members[0], config.members[1]
    await dpytest.message(f"!k get po --user {other.id} <@{other.id}>", channel=config.channels[0], member=me)
    [reply] = replies()
    assert body(reply).startswith(f"sandbox {config.guilds[0].id}/{me.id} ")


async def test_mentioning_the_bot_is_a_command(bot, replies):
    config = dpytest.get_config()
    await dpytest.message(f"<@{bot.user.id}> k get po", channel=config.channels[0], member=config.members[0])
    [reply] = replies()
    assert body(reply).endswith(" get po")


async def test_unknown_commands_and_chatter_get_no_answer(bot, replies):
    config = dpytest.get_config()
    for text in ("!play despacito", "쿠버네티스 어렵다", "?k get po"):
        await dpytest.message(text, channel=config.channels[0], member=config.members[0])
    assert replies() == []


async def test_long_output_is_split_into_fenced_messages(bot, replies, app):
    app.router.command("kgp")(_long(120))
    config = dpytest.get_config()
    await dpytest.message("!kgp", channel=config.channels[0], member=config.members[0])
    got = replies()
    assert len(got) == 3 and all(len(m.content) <= 2000 for m in got)
    assert "\n".join(body(m) for m in got) == _table(120)


async def test_very_long_output_is_attached(bot, replies, app, tmp_path):
    app.router.command("kgp")(_long(1000))
    config = dpytest.get_config()
    await dpytest.message("!kgp", channel=config.channels[0], member=config.members[0])
    [reply] = replies()
    [attachment] = reply.attachments
    assert attachment.filename == "output.txt"
    assert (await attachment.read()).decode() == _table(1000)


async def test_backticks_in_a_name_stay_inside(bot, replies, app):
    async def create(ctx, args):
        return Reply(f"pod/{args} created")
    app.router.command("run")(create)
    config = dpytest.get_config()
    await dpytest.message("!run x```@everyone", channel=config.channels[0], member=config.members[0])
    [reply] = replies()
    assert reply.content.count("```") == 2 and reply.content.endswith("```")


async def test_yaml_attachment_reaches_the_router(bot, replies, app, tmp_path):
    got = []

    async def apply(ctx, args):
        got.append(ctx.msg.attachments)
        return Reply("pod/web created")
    app.router.command("apply")(apply)
    manifest = tmp_path / "web.yaml"
    manifest.write_text("apiVersion: v1\nkind: Pod\n", encoding="utf-8")
    config = dpytest.get_config()
    await dpytest.message("!apply -f -", channel=config.channels[0], member=config.members[0],
                          attachments=[str(manifest)])
    assert got == [(("web.yaml", "apiVersion: v1\nkind: Pod\n"),)]


async def test_instructor_role_is_checked(bot, replies, app):
    async def announce(ctx, args):
        return Reply("announced", code=False)
    app.router.command("announce", instructor=True)(announce)
    config = dpytest.get_config()
    guild, student, teacher = config.guilds[0], config.members[0], config.members[1]
    role = backend.make_role("강사", guild)
    await dpytest.add_role(teacher, role)
    await dpytest.message("!announce hi", channel=config.channels[0], member=student)
    await dpytest.message("!announce hi", channel=config.channels[0], member=teacher)
    assert [m.content for m in replies()] == ["⚠️ " + i18n.t("ko", "instructor_only"), "announced"]


async def test_rate_limit_is_answered_kindly(tmp_path, dpy, replies):
    app = await open_app(tmp_path / "k.db", rate_limit=(2, 60.0), extensions=())
    try:
        async def k(ctx, args):
            return Reply("ok")
        app.router.command("k")(k)
        await dpy(app)
        config = dpytest.get_config()
        for _ in range(3):
            await dpytest.message("!k get po", channel=config.channels[0], member=config.members[0])
        contents = [m.content for m in replies()]
        assert contents[:2] == ["```\nok\n```"] * 2
        assert contents[2].startswith("⚠️ ") and "```" not in contents[2]
    finally:
        await app.close()


async def test_a_failing_command_is_a_short_apology(bot, replies, app):
    async def broken(ctx, args):
        raise ZeroDivisionError("oops")
    app.router.command("boom")(broken)
    config = dpytest.get_config()
    await dpytest.message("!boom", channel=config.channels[0], member=config.members[0])
    [reply] = replies()
    assert reply.content == "⚠️ " + i18n.t("ko", "internal_error")


async def test_a_failure_in_the_adapter_is_a_short_apology(bot, replies, app, monkeypatch):
    async def explode(msg):
        raise RuntimeError("store vanished")
    monkeypatch.setattr(app.router, "handle", explode)
    config = dpytest.get_config()
    await dpytest.message("!k get po", channel=config.channels[0], member=config.members[0])
    [reply] = replies()
    assert reply.content == i18n.t("ko", "internal_error")


def _table(rows: int) -> str:
    return "\n".join(f"web-{i:05d}   1/1     Running   0          {i % 60}m" for i in range(rows))


def _long(rows: int):
    async def handler(ctx, args):
        return Reply(_table(rows))
    return handler


async def test_reply_with_choices_is_sent_with_its_text(bot, replies, app):
    """Buttons are not visible through dpytest; the prompt must still arrive intact."""
    async def reset(ctx, args):
        return Reply("샌드박스를 초기화할까요?", code=False, choices=("예", "아니요"),
                     choice_key=f"reset:{ctx.msg.user}")
    app.router.command("reset")(reset)
    config = dpytest.get_config()
    await dpytest.message("!reset", channel=config.channels[0], member=config.members[0])
    [reply] = replies()
    assert reply.content == "샌드박스를 초기화할까요?"
