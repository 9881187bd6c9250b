"""Where Discord events meet the chat router: a message, a slash command or a button click
becomes one `router.handle(Message)` call, and the replies go back where the event came from.

The router owns parsing, per-sandbox locks, rate limits and instructor rules; nothing here
knows an individual command.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any, Iterable

import discord

from bot import i18n
from bot.discord.config import Config
from bot.discord.inbound import attachment_notice, refused_attachments, server_of, strip_bot_mention, to_message
from bot.discord.outbound import deliver
from bot.reply import Message, Reply
from bot.router import Router

log = logging.getLogger(__name__)

USER_MESSAGE_TYPES = (discord.MessageType.default, discord.MessageType.reply)
DONE = "✅"                  # a command that printed nothing, as a silent shell would
TYPING_AFTER = 0.5           # seconds before a slow command shows "kubetutor is typing…"


TYPING_REFRESH = 8.0         # Discord shows "typing…" for about 10 s per request


async def _keep_typing(channel: discord.abc.Messageable) -> None:
    """Send "typing…" now and every few seconds until cancelled; failures only cost the indicator."""
    while True:
        with contextlib.suppress(discord.HTTPException):
            await channel.typing()
        await asyncio.sleep(TYPING_REFRESH)


class Gateway:
    def __init__(self, router: Router, config: Config, *, typing_after: float = TYPING_AFTER) -> None:
        self.router = router
        self.config = config
        self.typing_after = typing_after

    @property
    def prefix(self) -> str:
        return self.router.prefix

    def setting(self, guild: discord.Guild | None, key: str, default=None):
        """A per-server setting (`!config`), else the deployment's."""
        settings = self.router.services.get("settings")
        return settings.get(server_of(guild), key) if settings is not None else default

    def instructor_role(self, guild: discord.Guild | None) -> str | None:
        return self.setting(guild, "instructor_role", self.config.instructor_role)

    def lang(self, msg: Message) -> str:
        return i18n.lang_of(self.router, msg)

    # -- chat messages ---------------------------------------------------------------------------

    async def on_message(self, message: discord.Message, me: discord.abc.User | None) -> None:
        """Every user message goes to the router: a prefixed command, a reply a pending
        `!k edit` waits for, or chatter the router ignores."""
        if message.author.bot or message.type not in USER_MESSAGE_TYPES:
            return
        if me is not None and message.author.id == me.id:
            return
        content = message.content
        if me is not None:
            content = strip_bot_mention(content, me.id, self.prefix) or content
        msg = await to_message(content, user=message.author, guild=message.guild, channel_id=message.channel.id,
                               attachments=message.attachments, instructor_role=self.instructor_role(message.guild))
        replies = await self._handle_typing(msg, message.channel)
        if secret := [r for r in replies if r.dm]:
            replies = [r for r in replies if not r.dm] + [await self._direct(message.author, secret, msg)]
        if refused := refused_attachments(message.attachments):
            if replies:        # only for a message that was a command: say what was not read and why
                replies.insert(0, Reply(attachment_notice(refused, self.lang(msg)), code=False, ok=False))
        if replies and all(r.quiet for r in replies):
            with contextlib.suppress(discord.HTTPException):
                await message.add_reaction(replies[0].text)
            return
        if not replies:
            return
        if (thread := await self._thread_for(message, replies)) is not None:
            sent = await deliver(replies, thread.send, prefix=self.prefix, lang=self.lang(msg))
            if sent:
                return
        reference = message.to_reference(fail_if_not_exists=False)
        sent = await deliver(replies, message.channel.send, prefix=self.prefix, lang=self.lang(msg),
                             first={"reference": reference, "mention_author": False})
        if sent == 0:
            await message.add_reaction(DONE)

    async def _handle_typing(self, msg: Message, channel: discord.abc.Messageable) -> list[Reply]:
        """Run the command; show the typing indicator only if it is still running after a moment.

        Typing is fire-and-forget: discord.py's `async with channel.typing()` awaits the typing
        request (and its 429 retries) before the body runs, which once held a reply back 8 s."""
        task = asyncio.ensure_future(self.router.handle(msg))
        done, _ = await asyncio.wait({task}, timeout=self.typing_after)
        if not done:
            typing = asyncio.create_task(_keep_typing(channel))
            try:
                await asyncio.wait({task})
            finally:
                typing.cancel()
        return task.result()

    async def _direct(self, user: discord.abc.User, replies: list[Reply], msg: Message) -> Reply:
        """Replies that hold a secret (a kubeconfig) go by DM; the channel only hears that they did."""
        lang = self.lang(msg)
        try:
            await deliver(replies, user.send, prefix=self.prefix, lang=lang)
        except discord.HTTPException:
            return Reply(i18n.t(lang, "kubeconfig_dm_closed"), code=False, ok=False)
        return Reply(i18n.t(lang, "kubeconfig_sent"), code=False)

    async def _thread_for(self, message: discord.Message, replies: list[Reply]) -> discord.Thread | None:
        """The student's own thread when a reply asks for one (`!thread`, a lab): the existing
        thread of that name in this channel, else a new one on the student's message. None where
        threads cannot be (DMs, threads, missing permission): the reply then goes to the channel."""
        name = next((r.thread for r in replies if r.thread), None)
        channel = message.channel
        if name is None or not isinstance(channel, discord.TextChannel):
            return None
        name = name[:100]
        for thread in channel.threads:
            if thread.name == name and not thread.archived:
                return thread
        try:
            return await message.create_thread(name=name, auto_archive_duration=1440)
        except discord.HTTPException:
            log.info("could not open thread %r in channel %s", name, channel.id)
            return None

    # -- interactions (slash commands and answer buttons) ----------------------------------------

    async def on_slash(self, interaction: discord.Interaction, text: str,
                       attachments: Iterable[discord.Attachment | None] = (), *, private: bool | None = None) -> None:
        """A slash command as the router text it stands for, e.g. `/k command:get po` -> `!k get po`.
        `private` (or the server's `private_replies`) makes the reply visible to the student only."""
        if private is None:
            private = bool(self.setting(interaction.guild, "private_replies", False))
        await interaction.response.defer(ephemeral=private, thinking=True)   # answered at once; the work follows
        await self._interact(interaction, self.prefix + text.strip(), [a for a in attachments if a],
                             ephemeral=private)

    async def complete(self, interaction: discord.Interaction, current: str) -> list[str]:
        """Autocomplete for `/k command:` from the student's own sandbox; never fails the interaction."""
        completer = self.router.services.get("completer")
        if completer is None:
            return []
        try:
            return await completer.complete(server_of(interaction.guild), str(interaction.user.id), current)
        except Exception:
            log.exception("autocomplete failed for %r", current[:100])
            return []

    async def on_answer(self, interaction: discord.Interaction, key: str, number: int) -> None:
        """A click on an answer button: `!answer KEY N` from whoever clicked, answered privately."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        await self._interact(interaction, f"{self.prefix}answer {key} {number}", [], ephemeral=True)

    async def _interact(self, interaction: discord.Interaction, content: str,
                        attachments: list[discord.Attachment], *, ephemeral: bool = False) -> None:
        msg = await to_message(content, user=interaction.user, guild=interaction.guild,
                               channel_id=interaction.channel_id, attachments=attachments,
                               instructor_role=self.instructor_role(interaction.guild))
        replies = await self.router.handle(msg)
        ephemeral = ephemeral or any(r.dm for r in replies)     # a secret is for the asker's eyes only
        extra: dict[str, Any] = {"ephemeral": True} if ephemeral else {}
        sent = await deliver(replies, interaction.followup.send, prefix=self.prefix, lang=self.lang(msg), **extra)
        if sent == 0:
            await interaction.followup.send(DONE, allowed_mentions=discord.AllowedMentions.none(), **extra)

    # -- the one error handler -------------------------------------------------------------------

    def apology(self, user: discord.abc.User | None, guild: discord.Guild | None) -> str:
        if user is None:
            return i18n.t(self.config.lang, "internal_error")
        return i18n.t(self.lang(Message("", user=str(user.id), server=server_of(guild))), "internal_error")

    async def message_failed(self, message: discord.Message, error: BaseException) -> None:
        """Log with context; the student gets one short sentence, never a traceback."""
        log.error("failed on message: server=%s channel=%s user=%s content=%r",
                  server_of(message.guild), message.channel.id, message.author.id, message.content[:200],
                  exc_info=error)
        with contextlib.suppress(discord.HTTPException):
            await message.channel.send(self.apology(message.author, message.guild),
                                       allowed_mentions=discord.AllowedMentions.none())

    async def interaction_failed(self, interaction: discord.Interaction, error: BaseException) -> None:
        command = interaction.command.qualified_name if interaction.command else None
        log.error("failed on interaction: server=%s channel=%s user=%s command=%s data=%r",
                  server_of(interaction.guild), interaction.channel_id, interaction.user.id, command,
                  interaction.data, exc_info=error)
        text = self.apology(interaction.user, interaction.guild)
        with contextlib.suppress(discord.HTTPException):
            if interaction.response.is_done():
                await interaction.followup.send(text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none())
            else:
                await interaction.response.send_message(text, ephemeral=True,
                                                        allowed_mentions=discord.AllowedMentions.none())
