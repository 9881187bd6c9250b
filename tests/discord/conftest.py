"""Spec'd stand-ins for discord.py objects, and a router that records what it was asked.

Every mock is autospecced from the real discord.py class with `spec_set`, so reading or setting
an attribute discord.py does not have, or calling a method with arguments it does not take,
fails the test (and isinstance still holds), as python-discord's tests/helpers.py intends.
Only the attributes a test needs are given values.
"""
from __future__ import annotations

import dataclasses
import itertools
import logging
from dataclasses import dataclass, field
from types import SimpleNamespace
from unittest.mock import AsyncMock, create_autospec

import discord
import pytest

from bot.discord.config import Config
from bot.reply import Message, Reply
from bot.router import Router

_ids = itertools.count(700_000_000_000_000_000)


@pytest.fixture(autouse=True)
def quiet_logs():
    """Expected failures are logged on purpose; keep them off the test report (restored after)."""
    loggers = [logging.getLogger(name) for name in ("discord", "bot.discord", "bot.router")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL)
    yield
    for lg, level in zip(loggers, levels, strict=True):
        lg.setLevel(level)


def spec(cls, **attrs):
    mock = create_autospec(cls, spec_set=True, instance=True)
    for name, value in attrs.items():
        setattr(mock, name, value)
    return mock


class DiscordMocks:
    """Factories for spec'd guilds, members, channels, messages and interactions."""

    def role(self, name: str, role_id: int | None = None):
        return spec(discord.Role, id=role_id or next(_ids), name=name)

    def guild(self):
        return spec(discord.Guild, id=next(_ids), name="k8s-class")

    def member(self, guild, *, name: str = "student", roles=(), manage_guild: bool = False, bot: bool = False,
               user_id: int | None = None):
        return spec(discord.Member, id=user_id or next(_ids), display_name=name, bot=bot, guild=guild,
                    roles=[self.role("@everyone", guild.id), *roles],
                    guild_permissions=discord.Permissions(manage_guild=manage_guild))

    def user(self, *, name: str = "student", user_id: int | None = None, bot: bool = False):
        """A DM author: a User, not a Member, so no roles or guild permissions exist."""
        return spec(discord.User, id=user_id or next(_ids), display_name=name, bot=bot)

    def channel(self, guild=None):
        if guild is None:
            return spec(discord.DMChannel, id=next(_ids))
        return spec(discord.TextChannel, id=next(_ids), guild=guild)

    def thread(self, name: str):
        return spec(discord.Thread, id=next(_ids), name=name, archived=False)

    def attachment(self, filename: str, data: bytes, size: int | None = None):
        mock = spec(discord.Attachment, filename=filename, size=len(data) if size is None else size)
        mock.read.return_value = data
        return mock

    def message(self, content: str, *, author, channel, attachments=()):
        return spec(discord.Message, id=next(_ids), content=content, author=author, channel=channel,
                    guild=None if isinstance(channel, discord.DMChannel) else channel.guild,
                    attachments=list(attachments), type=discord.MessageType.default)

    def interaction(self, *, user, guild=None, channel=None, client=None):
        channel = channel or self.channel(guild)
        response = spec(discord.InteractionResponse)
        response.is_done.return_value = False
        return spec(discord.Interaction, id=next(_ids), user=user, guild=guild, channel_id=channel.id,
                    response=response, followup=spec(discord.Webhook), client=client, command=None, data={})


@pytest.fixture
def mocks() -> DiscordMocks:
    return DiscordMocks()


@dataclass
class Recorder:
    """A real Router whose commands record the Message they got and echo the sandbox key."""
    router: Router
    seen: list[Message] = field(default_factory=list)


def recording_router(words=("k", "kubectl", "sh", "ssh", "wait", "sandbox", "reset", "help", "quiz", "lab",
                            "progress", "leaderboard", "lang", "answer"), **router_kw) -> Recorder:
    router = Router(prefix=router_kw.pop("prefix", "!"), rate_limit=router_kw.pop("rate_limit", None), **router_kw)
    rec = Recorder(router)

    async def record(ctx, args):
        rec.seen.append(ctx.msg)
        return Reply(f"{ctx.command}|{args}|{ctx.msg.server}/{ctx.msg.user}")

    for word in words:
        router.command(word)(record)
    return rec


@pytest.fixture
def recorder() -> Recorder:
    return recording_router()


@pytest.fixture
def make_recorder():
    return recording_router


@pytest.fixture
def config() -> Config:
    return Config(token="test-token", db=":memory:")


@pytest.fixture
def make_app():
    def fake_app(router: Router):
        """What the bot needs of an App when no database is involved."""
        return SimpleNamespace(router=router, store=None, close=AsyncMock())
    return fake_app


@pytest.fixture
def make_bot(make_app, config):
    """A real (unconnected) bot with the kubetutor wiring on a plain commands.Bot."""
    from discord.ext import commands

    from bot.discord.client import RouterBot

    class PlainBot(RouterBot, commands.Bot):
        pass

    def build(router: Router, **overrides):
        return PlainBot(make_app(router), dataclasses.replace(config, **overrides))
    return build


@pytest.fixture
async def dpy(monkeypatch, tmp_path):
    """Start a bot on dpytest's fake Discord: 2 servers, 1 text channel and 2 members each.

    dpytest cannot drive AutoShardedBot, so the wiring (the RouterBot mixin) runs on a plain
    Bot; the members intent is on only because dpytest looks members up in the member cache.
    """
    import discord.ext.test as dpytest
    from discord.ext import commands

    from bot.discord.client import RouterBot

    class DpyBot(RouterBot, commands.Bot):
        pass

    monkeypatch.chdir(tmp_path)                 # dpytest writes sent files into the working directory
    started = []

    async def start(app, **settings):
        bot = DpyBot(app, Config(token="t", db="unused", **settings), intents=discord.Intents.all())
        await bot._async_setup_hook()
        dpytest.configure(bot, guilds=2, text_channels=1, voice_channels=0, members=2)
        started.append(bot)
        return bot
    yield start
    if started:
        await dpytest.empty_queue()


@pytest.fixture
def replies():
    """Take every message the bot has sent so far, oldest first."""
    import discord.ext.test as dpytest

    def take() -> list[discord.Message]:
        out = []
        while not dpytest.sent_queue.empty():
            out.append(dpytest.get_message())
        return out
    return take
