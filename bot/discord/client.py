"""The bot itself: discord.py's Bot wired to the chat router.

`RouterBot` is a mixin so the same wiring runs on `commands.AutoShardedBot` in production
and on a plain `commands.Bot` in end-to-end tests (dpytest cannot drive a sharded client).
"""
from __future__ import annotations

import logging
import sys
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import App
from bot.completion import Completer
from bot.discord.config import Config
from bot.discord.gateway import Gateway
from bot.discord.inbound import GuildChannels
from bot.discord.outbound import ChannelPoster
from bot.discord.slash import ROUTER_WORDS, SlashCommands
from bot.discord.views import AnswerButton

log = logging.getLogger(__name__)

# What the invite link asks for (docs/discord.md quotes the number; a test keeps them equal).
INVITE_PERMISSIONS = discord.Permissions(
    view_channel=True, send_messages=True, send_messages_in_threads=True, attach_files=True,
    read_message_history=True, add_reactions=True,
)
INVITE_SCOPES = ("bot", "applications.commands")


def intents_for(config: Config) -> discord.Intents:
    intents = discord.Intents.default()          # guilds and guild messages; no members intent
    intents.message_content = config.message_content
    return intents


class RouterBot:
    """Messages, slash commands and buttons go to `app.router`; Bot's own command parsing is unused."""

    def __init__(self, app: App, config: Config, **options: Any) -> None:
        if config.shard_count is not None:
            options["shard_count"] = config.shard_count
        if config.shard_ids is not None:
            options["shard_ids"] = list(config.shard_ids)
        options.setdefault("intents", intents_for(config))
        super().__init__(command_prefix=commands.when_mentioned, help_command=None,
                         allowed_mentions=discord.AllowedMentions.none(), **options)
        self.app = app
        self.config = config
        self.gateway = Gateway(app.router, config)
        self.poster = ChannelPoster(self, quiz_channel=config.quiz_channel, prefix=config.prefix, lang=config.lang)
        app.router.services["channels"] = GuildChannels(self)
        if (sandboxes := app.router.services.get("sandboxes")) is not None:
            app.router.services["completer"] = Completer(sandboxes)
        if (settings := app.router.services.get("settings")) is not None:     # the deployment's defaults
            settings.defaults.update(instructor_role=config.instructor_role,
                                     quiz_channels=[config.quiz_channel] if config.quiz_channel else None)
        self.tree.error(self.on_app_command_error)

    async def setup_hook(self) -> None:
        await self.install()
        await self.sync_commands()
        await self.start_services()

    async def install(self) -> None:
        """Buttons that survive restarts, and the slash commands the router can answer."""
        self.add_dynamic_items(AnswerButton)
        await self.add_cog(SlashCommands(self.gateway))
        for name, word in ROUTER_WORDS.items():
            if word not in self.app.router.commands:
                log.info("slash command /%s left out: the router has no `%s` command", name, word)
                self.tree.remove_command(name)

    async def sync_commands(self) -> None:
        try:
            if self.config.test_guild is not None:
                guild = discord.Object(id=self.config.test_guild)
                self.tree.copy_global_to(guild=guild)
                synced = await self.tree.sync(guild=guild)
            else:
                synced = await self.tree.sync()
            log.info("synced %d slash commands", len(synced))
        except discord.HTTPException:
            log.exception("could not sync slash commands; prefix commands still work")

    async def start_services(self) -> None:
        """Hand the channel poster to a scheduler that registered on the router."""
        scheduler = self.app.router.services.get("scheduler")
        if scheduler is None or not hasattr(scheduler, "start"):
            return
        try:
            await scheduler.start(self.poster)
        except Exception:
            log.exception("the scheduler failed to start; scheduled posts are off")

    async def on_message(self, message: discord.Message) -> None:
        await self.gateway.on_message(message, self.user)

    async def on_error(self, event_method: str, /, *args: Any, **kwargs: Any) -> None:
        error = sys.exc_info()[1]
        message = args[0] if args and isinstance(args[0], discord.Message) else None
        if message is not None and error is not None:
            await self.gateway.message_failed(message, error)
        else:
            log.exception("failed in event %s", event_method)

    async def on_app_command_error(self, interaction: discord.Interaction,
                                   error: app_commands.AppCommandError) -> None:
        await self.gateway.interaction_failed(interaction, getattr(error, "original", error))


class KubetutorBot(RouterBot, commands.AutoShardedBot):
    """The production bot: sharded automatically, or on the configured shards."""
