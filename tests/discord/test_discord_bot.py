"""The bot's wiring: slash commands, answer buttons, intents, shards, the scheduler hook."""
from __future__ import annotations

import asyncio
from types import SimpleNamespace
from unittest.mock import AsyncMock, MagicMock, create_autospec

import discord
import pytest
from discord.ext import commands

from bot import i18n
from bot.discord.client import KubetutorBot, intents_for
from bot.discord.config import Config
from bot.discord.inbound import GuildChannels
from bot.discord.outbound import ChannelPoster
from bot.discord.render import custom_id
from bot.discord.slash import ROUTER_WORDS, SlashCommands
from bot.discord.views import AnswerButton, answer_view
from bot.reply import Reply

NONE = discord.AllowedMentions.none().to_dict()

SLASH_CASES = [
    ("k", {"command": "get pods -o wide"}, "!k get pods -o wide"),
    ("kubectl", {"command": "get nodes"}, "!kubectl get nodes"),
    ("sh", {"command": "systemctl stop kubelet"}, "!sh systemctl stop kubelet"),
    ("ssh", {"node": "w1-k8s", "command": "systemctl stop docker"}, "!ssh w1-k8s systemctl stop docker"),
    ("wait", {"duration": "5m"}, "!wait 5m"),
    ("sandbox", {}, "!sandbox"),
    ("reset", {}, "!reset"),
    ("help", {}, "!help"),
    ("help", {"topic": "k"}, "!help k"),
    ("quiz", {}, "!quiz"),
    ("quiz", {"topic": "pod"}, "!quiz pod"),
    ("lab", {"action": "start 1"}, "!lab start 1"),
    ("progress", {}, "!progress"),
    ("leaderboard", {}, "!leaderboard"),
    ("lang", {"language": "en"}, "!lang en"),
]


def _slash(name: str):
    return next(c for c in SlashCommands(gateway=None).get_app_commands() if c.name == name)


@pytest.mark.parametrize("name, options, expected", SLASH_CASES,
                         ids=[f"{n}-{'-'.join(o) or 'bare'}" for n, o, _ in SLASH_CASES])
async def test_slash_command_is_the_router_text(mocks, make_bot, recorder, name, options, expected):
    bot = make_bot(recorder.router)
    guild = mocks.guild()
    user = mocks.member(guild)
    interaction = mocks.interaction(user=user, guild=guild, client=bot)
    cog = SlashCommands(bot.gateway)
    await _slash(name).callback(cog, interaction, **options)
    assert [(m.content, m.user, m.server) for m in recorder.seen] == [(expected, str(user.id), str(guild.id))]


def test_every_slash_command_names_its_router_word():
    assert {c.name for c in SlashCommands(gateway=None).get_app_commands()} == set(ROUTER_WORDS)


def test_slash_command_definitions_are_valid_for_discord():
    """Names, descriptions and options pass discord.py's own validation and payload building."""
    tree = discord.app_commands.CommandTree(discord.Client(intents=discord.Intents.none()))
    for command in SlashCommands(gateway=None).get_app_commands():
        payload = command.to_dict(tree)
        assert 1 <= len(payload["description"]) <= 100
        assert all(1 <= len(o["description"]) <= 100 for o in payload.get("options", []))


async def test_install_registers_only_the_commands_the_router_has(make_bot, make_recorder):
    bot = make_bot(make_recorder(words=("k", "reset", "help", "answer")).router)
    await bot.install()
    assert sorted(c.name for c in bot.tree.get_commands()) == ["help", "k", "reset"]


async def test_sync_to_the_test_guild_only(make_bot, recorder, monkeypatch):
    bot = make_bot(recorder.router, test_guild=123)
    await bot.install()
    calls = []
    monkeypatch.setattr(bot.tree, "sync", AsyncMock(side_effect=lambda **kw: calls.append(kw) or []))
    await bot.sync_commands()
    [kw] = calls
    assert kw["guild"].id == 123
    assert {c.name for c in bot.tree.get_commands(guild=kw["guild"])} == set(ROUTER_WORDS)


def test_intents_and_mentions(make_bot, recorder, config):
    intents = intents_for(config)
    assert intents.message_content and intents.guild_messages and intents.dm_messages and not intents.members
    assert not intents_for(Config(token="t", db=":memory:", message_content=False)).message_content
    assert make_bot(recorder.router).allowed_mentions.to_dict() == NONE


async def test_production_bot_is_auto_sharded_with_configured_shards(make_app, recorder):
    bot = KubetutorBot(make_app(recorder.router), Config(token="t", db=":memory:", shard_count=4, shard_ids=(1, 3)))
    assert isinstance(bot, commands.AutoShardedBot)
    assert (bot.shard_count, bot.shard_ids) == (4, [1, 3])


# -- answer buttons --------------------------------------------------------------------------------

def test_answer_view_buttons_carry_key_and_number():
    view = answer_view(Reply("Reset?", code=False, choices=("Yes", "No"), choice_key="reset:12:ab"))
    assert view.timeout is None and view.is_persistent()
    assert [(b.item.label, b.item.custom_id) for b in view.children] == [
        ("Yes", "kubetutor:answer:1:reset:12:ab"), ("No", "kubetutor:answer:2:reset:12:ab")]
    assert answer_view(Reply("no choices")) is None


async def test_button_survives_a_restart_by_its_custom_id(mocks):
    """A click on an old message is rebuilt from the custom_id alone."""
    match = AnswerButton.__discord_ui_compiled_template__.fullmatch(custom_id("quiz:pod:3", 4))
    item = discord.ui.Button(label="4", custom_id=custom_id("quiz:pod:3", 4))
    button = await AnswerButton.from_custom_id(mocks.interaction(user=mocks.user()), item, match)
    assert (button.key, button.number) == ("quiz:pod:3", 4)


async def test_button_click_sends_answer_for_the_clicker(mocks, make_bot, recorder):
    bot = make_bot(recorder.router)
    guild = mocks.guild()
    someone_else = mocks.member(guild)
    interaction = mocks.interaction(user=someone_else, guild=guild, client=bot)
    await AnswerButton("quiz:channel:5", 2).callback(interaction)
    assert [(m.content, m.user) for m in recorder.seen] == [("!answer quiz:channel:5 2", str(someone_else.id))]


async def test_button_failure_is_an_apology(mocks, make_bot, recorder):
    bot = make_bot(recorder.router)
    guild = mocks.guild()
    interaction = mocks.interaction(user=mocks.member(guild), guild=guild, client=bot)
    interaction.response.defer.side_effect = RuntimeError("network")
    await AnswerButton("reset:1", 1).callback(interaction)
    interaction.response.send_message.assert_awaited_once()
    assert interaction.response.send_message.await_args.args == (i18n.t("ko", "internal_error"),)


# -- event errors and the scheduler hook ------------------------------------------------------------

async def test_event_error_apologises_in_the_channel(mocks, make_bot, recorder):
    bot = make_bot(recorder.router)
    guild = mocks.guild()
    channel = mocks.channel(guild)
    message = mocks.message("!k get po", author=mocks.member(guild), channel=channel)
    try:
        raise RuntimeError("in on_message")
    except RuntimeError:
        await bot.on_error("on_message", message)
    channel.send.assert_awaited_once()
    assert channel.send.await_args.args == (i18n.t("ko", "internal_error"),)


async def test_scheduler_gets_the_poster(make_bot, recorder):
    started = []
    recorder.router.services["scheduler"] = SimpleNamespace(start=AsyncMock(side_effect=started.append))
    bot = make_bot(recorder.router, quiz_channel="42")
    await bot.start_services()
    assert started == [bot.poster] and bot.poster.quiz_channel == "42"


async def test_scheduler_failure_does_not_stop_the_bot(make_bot, recorder):
    recorder.router.services["scheduler"] = SimpleNamespace(start=AsyncMock(side_effect=RuntimeError("db")))
    await make_bot(recorder.router).start_services()     # logged, not raised


@pytest.fixture
def poster_bot():
    return create_autospec(commands.Bot, spec_set=True, instance=True)


async def test_poster_posts_to_the_quiz_channel(mocks, poster_bot):
    channel = mocks.channel(mocks.guild())
    poster_bot.get_channel.side_effect = {channel.id: channel}.get
    poster = ChannelPoster(poster_bot, quiz_channel=str(channel.id), prefix="!", lang="ko")
    assert await poster.post("", Reply("오늘의 퀴즈 @everyone", code=False, choices=("Pod", "Node"),
                                       choice_key="quiz:daily:1")) is True
    poster_bot.wait_until_ready.assert_awaited()
    [call] = channel.send.await_args_list
    assert call.args == ("오늘의 퀴즈 @\u200beveryone",)
    assert call.kwargs["allowed_mentions"].to_dict() == NONE
    assert [b.item.custom_id for b in call.kwargs["view"].children] == [custom_id("quiz:daily:1", 1),
                                                                        custom_id("quiz:daily:1", 2)]


async def test_poster_fetches_a_channel_outside_the_cache(mocks, poster_bot):
    channel = mocks.channel(mocks.guild())
    poster_bot.get_channel.return_value = None
    poster_bot.fetch_channel.return_value = channel
    poster = ChannelPoster(poster_bot, quiz_channel=None, prefix="!", lang="ko")
    assert await poster.post(str(channel.id), Reply("정답: Pod", code=False)) is True
    assert [c.args for c in channel.send.await_args_list] == [("정답: Pod",)]


async def test_poster_drops_a_post_to_a_vanished_channel(poster_bot):
    poster_bot.get_channel.return_value = None
    poster_bot.fetch_channel.side_effect = discord.NotFound(MagicMock(status=404), "Unknown Channel")
    poster = ChannelPoster(poster_bot, quiz_channel=None, prefix="!", lang="ko")
    assert await poster.post("42", Reply("q")) is False


async def test_poster_refuses_a_channel_of_another_server(mocks, poster_bot):
    """Issue 16.1: a schedule made in one server never posts into another server's channel."""
    mine, theirs = mocks.guild(), mocks.guild()
    channel = mocks.channel(theirs)
    poster_bot.get_channel.side_effect = {channel.id: channel}.get
    poster = ChannelPoster(poster_bot, quiz_channel=None, prefix="!", lang="ko")
    assert await poster.post(str(channel.id), Reply("q"), server=str(mine.id)) is False
    channel.send.assert_not_awaited()
    assert await poster.post(str(channel.id), Reply("q"), server=str(theirs.id)) is True


def test_guild_channels_know_which_server_owns_a_channel(mocks, poster_bot):
    guild = mocks.guild()
    channel = mocks.channel(guild)
    guild.get_channel_or_thread.side_effect = {channel.id: channel}.get
    poster_bot.get_guild.side_effect = {guild.id: guild}.get
    channels = GuildChannels(poster_bot)
    assert channels.belongs(str(guild.id), str(channel.id))
    assert not channels.belongs(str(guild.id), "12345")
    assert not channels.belongs("999", str(channel.id))
    assert not channels.belongs("dm", str(channel.id))


async def test_poster_without_any_channel_drops_the_post(poster_bot):
    poster = ChannelPoster(poster_bot, quiz_channel=None, prefix="!", lang="ko")
    assert await poster.post("", Reply("q")) is False


async def test_a_click_from_discord_reaches_the_gateway_after_a_restart(make_bot, recorder, monkeypatch):
    """A raw INTERACTION_CREATE for a button no live view knows is rebuilt from its custom_id
    by discord.py's own view store and handed to the gateway as (clicker, key, number)."""
    bot = make_bot(recorder.router)
    await bot._async_setup_hook()
    await bot.install()
    clicks = []

    async def on_answer(interaction, key, number):
        clicks.append((interaction.user.id, key, number))
    monkeypatch.setattr(bot.gateway, "on_answer", on_answer)
    cid = custom_id("reset:1700000000", 1)
    student = {"id": "42", "username": "student", "discriminator": "0", "avatar": None, "global_name": None}
    kubetutor = {**student, "id": "7", "username": "kubetutor", "bot": True}
    message = {"id": "4", "channel_id": "3", "author": kubetutor, "content": "Reset your sandbox?",
               "timestamp": "2024-01-01T00:00:00+00:00", "edited_timestamp": None, "tts": False,
               "mention_everyone": False, "mentions": [], "mention_roles": [], "attachments": [], "embeds": [],
               "pinned": False, "type": 0, "flags": 0,
               "components": [{"type": 1, "components": [{"type": 2, "style": 1, "label": "Yes, reset it",
                                                          "custom_id": cid}]}]}
    bot._connection.parse_interaction_create({
        "id": "1", "application_id": "2", "type": 3, "token": "t", "version": 1, "attachment_size_limit": 8388608,
        "channel_id": "3", "user": student, "data": {"component_type": 2, "custom_id": cid}, "message": message})
    for _ in range(20):
        if clicks:
            break
        await asyncio.sleep(0.01)
    assert clicks == [(42, "reset:1700000000", 1)]


async def test_k_private_option_replies_ephemerally(mocks, make_bot, recorder):
    bot = make_bot(recorder.router)
    guild = mocks.guild()
    interaction = mocks.interaction(user=mocks.member(guild), guild=guild, client=bot)
    await _slash("k").callback(SlashCommands(bot.gateway), interaction, command="get po", private=True)
    assert interaction.response.defer.await_args.kwargs == {"ephemeral": True, "thinking": True}
    assert all(c.kwargs.get("ephemeral") for c in interaction.followup.send.await_args_list)


async def test_server_setting_makes_k_private_by_default(mocks, make_bot, recorder):
    bot = make_bot(recorder.router)
    guild = mocks.guild()
    recorder.router.services["settings"] = SimpleNamespace(
        get=lambda server, key: key == "private_replies" and server == str(guild.id))
    interaction = mocks.interaction(user=mocks.member(guild), guild=guild, client=bot)
    await _slash("k").callback(SlashCommands(bot.gateway), interaction, command="get po")
    assert interaction.response.defer.await_args.kwargs["ephemeral"] is True
    public = mocks.interaction(user=mocks.member(guild), guild=guild, client=bot)
    await _slash("k").callback(SlashCommands(bot.gateway), public, command="get po", private=False)
    assert public.response.defer.await_args.kwargs["ephemeral"] is False


async def test_k_autocomplete_asks_the_completer_for_this_student(mocks, make_bot, recorder):
    bot = make_bot(recorder.router)
    guild = mocks.guild()
    user = mocks.member(guild)
    asked = []

    async def complete(server, who, text):
        asked.append((server, who, text))
        return ["get pods", "get pods -o wide"]
    recorder.router.services["completer"] = SimpleNamespace(complete=complete)
    interaction = mocks.interaction(user=user, guild=guild, client=bot)
    assert _slash("k")._params["command"].autocomplete is not None
    assert _slash("kubectl")._params["command"].autocomplete is not None
    choices = await SlashCommands(bot.gateway).complete_kubectl(interaction, "get po")
    assert [c.value for c in choices] == ["get pods", "get pods -o wide"]
    assert asked == [(str(guild.id), str(user.id), "get po")]


async def test_k_autocomplete_failure_offers_nothing(mocks, make_bot, recorder):
    bot = make_bot(recorder.router)

    async def broken(*args):
        raise RuntimeError("db gone")
    recorder.router.services["completer"] = SimpleNamespace(complete=broken)
    guild = mocks.guild()
    interaction = mocks.interaction(user=mocks.member(guild), guild=guild, client=bot)
    assert await bot.gateway.complete(interaction, "get") == []
