"""Events to router calls and replies back, with discord.py objects mocked by spec."""
from __future__ import annotations

import asyncio
import dataclasses

import discord
import pytest
from discord import app_commands

from bot import i18n
from bot.discord.gateway import DONE, Gateway
from bot.discord.render import LIMIT
from unittest.mock import MagicMock

from bot.reply import Reply
from bot.router import Router

NONE = discord.AllowedMentions.none().to_dict()
ME = 555_000_000_000_000_001


@pytest.fixture
def guild(mocks):
    return mocks.guild()


@pytest.fixture
def channel(mocks, guild):
    return mocks.channel(guild)


def sent(channel_or_followup) -> list[tuple[str | None, dict]]:
    """(content, keyword arguments) of every message the code sent."""
    return [(c.args[0] if c.args else c.kwargs.get("content"), c.kwargs)
            for c in channel_or_followup.send.await_args_list]


def replying(reply, *, delay: float = 0.0):
    """A router command that answers `reply` (after `delay` seconds)."""
    async def handler(ctx, args):
        await asyncio.sleep(delay)
        return reply
    return handler


def me(mocks):
    return mocks.user(name="kubetutor", user_id=ME, bot=True)


async def test_prefix_command_goes_to_the_router_and_back_as_a_code_block(mocks, recorder, config, guild, channel):
    author = mocks.member(guild, name="지은")
    message = mocks.message("!k get po", author=author, channel=channel)
    await Gateway(recorder.router, config).on_message(message, me(mocks))
    [msg] = recorder.seen
    assert (msg.content, msg.user, msg.server, msg.channel) == ("!k get po", str(author.id), str(guild.id),
                                                                  str(channel.id))
    [(content, kwargs)] = sent(channel)
    assert content == f"```\nk|get po|{guild.id}/{author.id}\n```"
    assert kwargs["allowed_mentions"].to_dict() == NONE and kwargs["mention_author"] is False
    assert "reference" in kwargs


@pytest.mark.parametrize("word", ["k", "kubectl", "sh", "ssh", "wait", "sandbox", "reset", "help", "quiz", "lab",
                                  "progress", "leaderboard", "lang", "answer"])
async def test_every_command_word_reaches_the_router(mocks, recorder, config, guild, channel, word):
    message = mocks.message(f"!{word} some args", author=mocks.member(guild), channel=channel)
    await Gateway(recorder.router, config).on_message(message, me(mocks))
    assert [m.content for m in recorder.seen] == [f"!{word} some args"]
    assert sent(channel)[0][0].startswith(f"```\n{word}|some args|")


async def test_new_router_commands_need_no_discord_code(mocks, make_recorder, config, guild, channel):
    rec = make_recorder(words=("kgp",))
    await Gateway(rec.router, config).on_message(
        mocks.message("!kgp", author=mocks.member(guild), channel=channel), me(mocks))
    assert [m.content for m in rec.seen] == ["!kgp"]


async def test_mention_form_is_a_command(mocks, recorder, config, guild, channel):
    message = mocks.message(f"<@{ME}> k get po", author=mocks.member(guild), channel=channel)
    await Gateway(recorder.router, config).on_message(message, me(mocks))
    assert [m.content for m in recorder.seen] == ["!k get po"]


@pytest.mark.parametrize("who", ["self", "other-bot"])
async def test_bots_are_ignored(mocks, recorder, config, guild, channel, who):
    author = me(mocks) if who == "self" else mocks.member(guild, bot=True)
    await Gateway(recorder.router, config).on_message(mocks.message("!k get po", author=author, channel=channel),
                                                      me(mocks))
    assert recorder.seen == [] and sent(channel) == []


async def test_plain_chatter_sends_nothing(mocks, recorder, config, guild, channel):
    await Gateway(recorder.router, config).on_message(
        mocks.message("안녕하세요 여러분", author=mocks.member(guild), channel=channel), me(mocks))
    assert recorder.seen == [] and sent(channel) == []


async def test_unprefixed_reply_reaches_router_interceptors(mocks, recorder, config, guild, channel):
    """A pending `!k edit` waits for the student's next message, which need not start with the prefix."""
    got = []

    async def pending_edit(ctx):
        if not ctx.msg.content.startswith("!"):
            got.append((ctx.msg.content, ctx.msg.attachments))
            return Reply("deployment.apps/web edited")
        return None
    recorder.router.interceptors.append(pending_edit)
    message = mocks.message("here it is", author=mocks.member(guild), channel=channel,
                            attachments=[mocks.attachment("web.yaml", b"kind: Deployment\n")])
    await Gateway(recorder.router, config).on_message(message, me(mocks))
    assert got == [("here it is", (("web.yaml", "kind: Deployment\n"),))]
    assert sent(channel)[0][0] == "```\ndeployment.apps/web edited\n```"


async def test_dm_and_guild_are_different_sandboxes(mocks, recorder, config, guild, channel):
    """The same person in a server and in a DM: two keys, so two sandboxes."""
    gateway = Gateway(recorder.router, config)
    author = mocks.member(guild)
    dm_author = mocks.user(user_id=author.id)
    await gateway.on_message(mocks.message("!k get po", author=author, channel=channel), me(mocks))
    await gateway.on_message(mocks.message("!k get po", author=dm_author, channel=mocks.channel()), me(mocks))
    assert [(m.server, m.user) for m in recorder.seen] == [(str(guild.id), str(author.id)), ("dm", str(author.id))]


async def test_silent_command_gets_a_reaction(mocks, config, guild, channel):
    router = Router(rate_limit=None)
    router.command("sh")(replying(Reply("")))
    message = mocks.message("!sh systemctl stop kubelet", author=mocks.member(guild), channel=channel)
    await Gateway(router, config).on_message(message, me(mocks))
    assert sent(channel) == []
    message.add_reaction.assert_awaited_once_with(DONE)


async def test_long_output_is_split_and_only_the_first_part_replies(mocks, config, guild, channel):
    router = Router(rate_limit=None)
    text = "\n".join(f"line {i:04d} " + "-" * 60 for i in range(70))
    router.command("k")(replying(Reply(text)))
    await Gateway(router, config).on_message(mocks.message("!k get po", author=mocks.member(guild), channel=channel),
                                             me(mocks))
    messages = sent(channel)
    assert len(messages) == 3 and all(len(c) <= LIMIT for c, _ in messages)
    assert ["reference" in kw for _, kw in messages] == [True, False, False]
    assert all(kw["allowed_mentions"].to_dict() == NONE for _, kw in messages)


async def test_mentions_in_replies_never_ping(mocks, config, guild, channel):
    router = Router(rate_limit=None)
    router.command("progress")(replying(Reply("1. @everyone <@&99> — 10 pts", code=False)))
    await Gateway(router, config).on_message(mocks.message("!progress", author=mocks.member(guild), channel=channel),
                                             me(mocks))
    [(content, kwargs)] = sent(channel)
    assert "@everyone" not in content and "<@&99>" not in content
    assert kwargs["allowed_mentions"].to_dict() == NONE


@pytest.mark.parametrize("slow", [True, False], ids=["slow", "fast"])
async def test_typing_shows_only_for_slow_commands(mocks, config, guild, channel, slow):
    router = Router(rate_limit=None)
    router.command("wait")(replying(Reply(""), delay=0.05 if slow else 0))
    gateway = Gateway(router, config, typing_after=0.01 if slow else 5)
    await gateway.on_message(mocks.message("!wait 5m", author=mocks.member(guild), channel=channel), me(mocks))
    assert channel.typing.called is slow


async def test_a_slow_typing_request_never_holds_up_the_reply(mocks, config, guild, channel):
    """Issue 16.4: a typing request stuck in a 429 retry (8 s) must not delay the reply."""
    stuck = asyncio.Event()

    async def typing_forever():
        await stuck.wait()

    channel.typing.side_effect = lambda: typing_forever()
    router = Router(rate_limit=None)
    router.command("wait")(replying(Reply("done"), delay=0.05))
    gateway = Gateway(router, config, typing_after=0.01)
    started = asyncio.get_running_loop().time()
    await asyncio.wait_for(gateway.on_message(mocks.message("!wait 5m", author=mocks.member(guild), channel=channel),
                                              me(mocks)), timeout=2)
    assert asyncio.get_running_loop().time() - started < 1
    assert channel.typing.called
    assert [c for c, _ in sent(channel)] == ["```\ndone\n```"]


async def test_rate_limit_message_reaches_the_student(mocks, config, guild, channel):
    router = Router(rate_limit=(1, 60.0), monotonic=lambda: 100.0)
    router.command("k")(replying(Reply("ok")))
    gateway = Gateway(router, config)
    author = mocks.member(guild)
    for _ in range(2):
        await gateway.on_message(mocks.message("!k get po", author=author, channel=channel), me(mocks))
    assert [c for c, _ in sent(channel)] == ["```\nok\n```", "⚠️ " + i18n.t("ko", "rate_limited", seconds=61)]


async def test_one_rate_limit_notice_per_window(mocks, config, guild, channel):
    """Issue 16.5: twenty over-limit messages get one notice; the rest a ⏳ reaction each."""
    now = [100.0]
    router = Router(rate_limit=(1, 60.0), monotonic=lambda: now[0])
    router.command("k")(replying(Reply("ok")))
    gateway = Gateway(router, config)
    author = mocks.member(guild)
    messages = [mocks.message("!k get po", author=author, channel=channel) for _ in range(21)]
    for message in messages:
        await gateway.on_message(message, me(mocks))
    notices = [c for c, _ in sent(channel) if c.startswith("⚠️")]
    assert len(notices) == 1
    assert sum(m.add_reaction.await_count for m in messages) == 19
    now[0] += 61                      # a new window: the command runs again
    await gateway.on_message(mocks.message("!k get po", author=author, channel=channel), me(mocks))
    assert sent(channel)[-1][0] == "```\nok\n```"


async def test_refused_attachments_are_explained(mocks, config, guild, channel):
    """Issue 16.5: a 300 KiB .yaml and a .png are not read, and the student is told why."""
    router = Router(rate_limit=None)
    router.command("k")(replying(Reply("error: no objects passed to apply", ok=False)))
    files = [mocks.attachment("big.yaml", b"x", size=300 * 1024), mocks.attachment("shot.png", b"\x89PNG")]
    await gateway_message(Gateway(router, config), mocks.message("!k apply -f -", author=mocks.member(guild),
                                                                 channel=channel, attachments=files))
    notice = sent(channel)[0][0]
    assert "big.yaml" in notice and "256 KiB" in notice
    assert "shot.png" in notice and ".yaml" in notice


async def gateway_message(gateway, message):
    await gateway.on_message(message, None)


@pytest.mark.parametrize("member_kw, role, allowed", [
    ({}, None, False),
    ({"manage_guild": True}, None, True),
    ({"roles": "강사"}, "강사", True),
    ({"roles": "학생"}, "강사", False),
], ids=["student", "manage-server", "instructor-role", "other-role"])
async def test_instructor_only_commands(mocks, make_recorder, config, guild, channel, member_kw, role, allowed):
    rec = make_recorder(words=())
    async def announce(ctx, args):
        rec.seen.append(ctx.msg)
        return Reply("announced", code=False)
    rec.router.command("announce", instructor=True)(announce)
    if "roles" in member_kw:
        member_kw = {"roles": [mocks.role(member_kw["roles"])]}
    gateway = Gateway(rec.router, dataclasses.replace(config, instructor_role=role))
    await gateway.on_message(mocks.message("!announce hi", author=mocks.member(guild, **member_kw), channel=channel),
                             me(mocks))
    expected = "announced" if allowed else "⚠️ " + i18n.t("ko", "instructor_only")
    assert [c for c, _ in sent(channel)] == [expected]
    assert len(rec.seen) == int(allowed)


async def test_exception_in_a_command_is_a_short_apology(mocks, config, guild, channel):
    router = Router(rate_limit=None)

    async def broken(ctx, args):
        raise KeyError("state")
    router.command("k")(broken)
    await Gateway(router, config).on_message(mocks.message("!k get po", author=mocks.member(guild), channel=channel),
                                             me(mocks))
    [(content, _)] = sent(channel)
    assert content == "⚠️ " + i18n.t("ko", "internal_error")
    assert "Traceback" not in content and "KeyError" not in content


async def test_adapter_failure_is_logged_with_context_and_apologised(mocks, config, guild, channel, caplog):
    caplog.set_level("ERROR", logger="bot.discord.gateway")
    author = mocks.member(guild)
    message = mocks.message("!k get po", author=author, channel=channel)
    await Gateway(Router(), config).message_failed(message, RuntimeError("send failed"))
    [(content, kwargs)] = sent(channel)
    assert content == i18n.t("ko", "internal_error") and kwargs["allowed_mentions"].to_dict() == NONE
    [record] = caplog.records
    assert str(author.id) in record.getMessage() and "!k get po" in record.getMessage()
    assert record.exc_info[1].args == ("send failed",)


# -- interactions ---------------------------------------------------------------------------------

async def test_slash_command_defers_before_the_work(mocks, config, guild):
    router = Router(rate_limit=None)
    deferred_first = []

    async def k(ctx, args):
        deferred_first.append(interaction.response.defer.await_count == 1)
        return Reply("No resources found in default namespace.")
    router.command("k")(k)
    interaction = mocks.interaction(user=mocks.member(guild), guild=guild)
    await Gateway(router, config).on_slash(interaction, "k get po")
    assert deferred_first == [True]
    assert interaction.response.defer.await_args.kwargs == {"ephemeral": False, "thinking": True}
    [(content, kwargs)] = sent(interaction.followup)
    assert content == "```\nNo resources found in default namespace.\n```"
    assert kwargs["allowed_mentions"].to_dict() == NONE and "ephemeral" not in kwargs


async def test_slash_attachment_goes_into_the_message(mocks, recorder, config, guild):
    interaction = mocks.interaction(user=mocks.member(guild), guild=guild)
    await Gateway(recorder.router, config).on_slash(interaction, "k apply -f -",
                                                    [mocks.attachment("pod.yaml", b"kind: Pod\n"), None])
    [msg] = recorder.seen
    assert msg.content == "!k apply -f -" and msg.attachments == (("pod.yaml", "kind: Pod\n"),)


async def test_silent_slash_command_still_answers(mocks, config, guild):
    router = Router(rate_limit=None)
    router.command("wait")(replying(None))
    interaction = mocks.interaction(user=mocks.member(guild), guild=guild)
    await Gateway(router, config).on_slash(interaction, "wait 5m")
    assert [c for c, _ in sent(interaction.followup)] == [DONE]


async def test_button_click_answers_as_the_clicker_privately(mocks, recorder, config, guild):
    clicker = mocks.member(guild)
    interaction = mocks.interaction(user=clicker, guild=guild)
    await Gateway(recorder.router, config).on_answer(interaction, "reset:7:abc", 1)
    [msg] = recorder.seen
    assert (msg.content, msg.user, msg.server) == ("!answer reset:7:abc 1", str(clicker.id), str(guild.id))
    assert interaction.response.defer.await_args.kwargs == {"ephemeral": True, "thinking": True}
    assert all(kw["ephemeral"] is True for _, kw in sent(interaction.followup))


@pytest.mark.parametrize("done", [False, True], ids=["not-answered-yet", "deferred"])
async def test_interaction_failure_is_a_private_apology(mocks, config, guild, done):
    interaction = mocks.interaction(user=mocks.member(guild), guild=guild)
    interaction.response.is_done.return_value = done
    await Gateway(Router(), config).interaction_failed(interaction, RuntimeError("boom"))
    target = interaction.followup.send if done else interaction.response.send_message
    target.assert_awaited_once()
    assert target.await_args.args == (i18n.t("ko", "internal_error"),)
    assert target.await_args.kwargs["ephemeral"] is True


async def test_app_command_errors_reach_the_global_handler(mocks, make_bot, recorder, guild):
    bot = make_bot(recorder.router)
    interaction = mocks.interaction(user=mocks.member(guild), guild=guild, client=bot)
    command = app_commands.Command(name="k", description="kubectl", callback=_noop)
    await bot.tree.on_error(interaction, app_commands.CommandInvokeError(command, ValueError("bad")))
    interaction.response.send_message.assert_awaited_once()
    assert interaction.response.send_message.await_args.args == (i18n.t("ko", "internal_error"),)


async def _noop(interaction: discord.Interaction) -> None:
    return None


async def test_a_reply_that_asks_for_a_thread_is_sent_there(mocks, config, guild, channel):
    router = Router(rate_limit=None)
    router.command("thread")(replying(Reply("🧵 here", code=False, thread="Kim's lab")))
    thread = mocks.thread("Kim's lab")
    channel.threads = []
    message = mocks.message("!thread", author=mocks.member(guild), channel=channel)
    message.create_thread.return_value = thread
    await Gateway(router, config).on_message(message, me(mocks))
    message.create_thread.assert_awaited_once()
    assert message.create_thread.await_args.kwargs["name"] == "Kim's lab"
    assert [c.args[0] for c in thread.send.await_args_list] == ["🧵 here"]
    assert sent(channel) == []
    # the next time, the same thread is found rather than opened again
    channel.threads = [thread]
    again = mocks.message("!thread", author=mocks.member(guild), channel=channel)
    await Gateway(router, config).on_message(again, me(mocks))
    again.create_thread.assert_not_awaited()
    assert len(thread.send.await_args_list) == 2


async def test_without_thread_permission_the_reply_stays_in_the_channel(mocks, config, guild, channel):
    router = Router(rate_limit=None)
    router.command("thread")(replying(Reply("🧵 here", code=False, thread="Kim's lab")))
    channel.threads = []
    message = mocks.message("!thread", author=mocks.member(guild), channel=channel)
    message.create_thread.side_effect = discord.Forbidden(MagicMock(status=403), "Missing Permissions")
    await Gateway(router, config).on_message(message, me(mocks))
    assert [c for c, _ in sent(channel)] == ["🧵 here"]
