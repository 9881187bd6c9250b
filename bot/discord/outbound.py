"""Replies out: rendered parts sent as Discord messages, with files and answer buttons.

Every send passes AllowedMentions.none(): whatever a student managed to put in a name,
the bot never pings anyone.
"""
from __future__ import annotations

import io
import logging
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Iterable

import discord

from bot.discord.inbound import server_of
from bot.discord.render import Part, render
from bot.discord.views import answer_view
from bot.reply import Reply

if TYPE_CHECKING:
    from discord.ext import commands

log = logging.getLogger(__name__)

Send = Callable[..., Awaitable[Any]]      # channel.send, or an interaction's followup.send


def _files(part: Part) -> list[discord.File]:
    return [discord.File(io.BytesIO(a.data), filename=a.filename) for a in part.files]


async def deliver(replies: Iterable[Reply], send: Send, *, prefix: str = "!", lang: str = "ko",
                  first: dict[str, Any] | None = None, **always: Any) -> int:
    """Send every reply; `first` adds keyword arguments to the first message only (a reply
    reference), `always` to each (ephemeral). Returns how many messages were sent."""
    sent = 0
    for reply in replies:
        parts = render(reply, prefix=prefix, lang=lang)
        view = answer_view(reply)
        for i, part in enumerate(parts):
            kwargs: dict[str, Any] = {"allowed_mentions": discord.AllowedMentions.none(), **always}
            if sent == 0 and first:
                kwargs.update(first)
            if part.files:
                kwargs["files"] = _files(part)
            if view is not None and i == len(parts) - 1:
                kwargs["view"] = view
            await send(part.content or None, **kwargs)
            sent += 1
    return sent


class ChannelPoster:
    """What a scheduler gets to post into channels: `await poster.post(channel_id, reply)`.

    An empty channel_id means the configured quiz channel. A channel outside this process's
    cache (a thread, or another shard's server) is fetched, since the scheduler has already
    claimed the post in the database and no other process will send it.
    """

    def __init__(self, bot: "commands.Bot", *, quiz_channel: str | None, prefix: str, lang: str) -> None:
        self.bot = bot
        self.quiz_channel = quiz_channel
        self.prefix = prefix
        self.lang = lang

    async def post(self, channel_id: str | None, reply: Reply, *, server: str | None = None) -> bool:
        """Post one reply; True when it was sent. With `server`, only into a channel of that server
        (a schedule can never post into a server it was not made in)."""
        target = channel_id or self.quiz_channel
        if not target or not str(target).isdigit():
            log.warning("scheduled post dropped: no channel id (%r) and KUBETUTOR_QUIZ_CHANNEL is not set", target)
            return False
        await self.bot.wait_until_ready()
        channel = self.bot.get_channel(int(target))
        if channel is None:
            try:
                channel = await self.bot.fetch_channel(int(target))
            except discord.HTTPException:
                log.warning("scheduled post dropped: channel %s is gone or not visible to the bot", target)
                return False
        if not isinstance(channel, discord.abc.Messageable):
            log.warning("scheduled post dropped: channel %s cannot take messages", target)
            return False
        if server is not None and channel_id and server_of(getattr(channel, "guild", None)) != server:
            log.warning("scheduled post dropped: channel %s is not in server %s", target, server)
            return False
        await deliver([reply], channel.send, prefix=self.prefix, lang=self.lang)
        return True
