"""Discord objects in, router `Message`s out: who is asking, where, and with which files.

The sandbox key is (server, user) = (guild id or "dm", author id), taken from Discord and never
from the message text, so no command can name another student's sandbox.
"""
from __future__ import annotations

import logging
import re
from typing import Iterable

import discord

from bot.reply import Message

log = logging.getLogger(__name__)

TEXT_SUFFIXES = (".yaml", ".yml", ".json", ".txt")
MAX_ATTACHMENT_BYTES = 256 * 1024     # far above any course manifest; keeps a stray log file out
MAX_ATTACHMENTS = 5


def server_of(guild: discord.Guild | None) -> str:
    return str(guild.id) if guild is not None else "dm"


def strip_bot_mention(content: str, bot_id: int, prefix: str) -> str | None:
    """`<@bot> k get po` -> `!k get po`; None unless the message starts by mentioning the bot.

    Discord delivers the text of messages that mention the bot even without the
    message-content intent, so this form works everywhere.
    """
    match = re.match(rf"\s*<@!?{bot_id}>\s*", content)
    if match is None:
        return None
    rest = content[match.end():]
    if not rest.strip():
        return f"{prefix}help"
    return rest if rest.startswith(prefix) else prefix + rest


def is_admin(user: discord.abc.User) -> bool:
    """The server's owner or a member with Manage Server: may change the server's `!config`."""
    if not isinstance(user, discord.Member):
        return False
    return user.guild_permissions.manage_guild or user.guild.owner_id == user.id


def is_instructor(user: discord.abc.User, instructor_role: str | None) -> bool:
    """Manage Server permission, or the configured role (by id or by name). Never in DMs."""
    if not isinstance(user, discord.Member):
        return False
    if user.guild_permissions.manage_guild:
        return True
    if not instructor_role:
        return False
    wanted = instructor_role.strip()
    return any(str(role.id) == wanted or role.name.casefold() == wanted.casefold() for role in user.roles)


def refused_attachments(attachments: Iterable[discord.Attachment]) -> list[tuple[str, str]]:
    """(filename, reason) for each attachment that will not be read: not a text manifest, too
    large, or past the count; the student is told rather than meeting `no objects passed`."""
    refused, kept = [], 0
    for attachment in attachments:
        if not attachment.filename.lower().endswith(TEXT_SUFFIXES):
            refused.append((attachment.filename, "attachment_not_text"))
        elif attachment.size > MAX_ATTACHMENT_BYTES:
            refused.append((attachment.filename, "attachment_too_large"))
        elif kept >= MAX_ATTACHMENTS:
            refused.append((attachment.filename, "attachment_too_many"))
        else:
            kept += 1
    return refused


def attachment_notice(refused: list[tuple[str, str]], lang: str) -> str:
    from bot import i18n
    limits = {"kib": MAX_ATTACHMENT_BYTES // 1024, "count": MAX_ATTACHMENTS, "kinds": ", ".join(TEXT_SUFFIXES)}
    return "\n".join(i18n.t(lang, reason, name=name.replace("`", "'"), **limits) for name, reason in refused)


async def read_text_attachments(attachments: Iterable[discord.Attachment]) -> tuple[tuple[str, str], ...]:
    """(filename, text) of the small .yaml/.yml/.json/.txt files, for `!k apply -f -` and `!k edit` replies."""
    found: list[tuple[str, str]] = []
    refused = {name for name, _ in refused_attachments(attachments)}
    for attachment in attachments:
        if attachment.filename in refused:
            log.info("not reading attachment %s: %d bytes", attachment.filename, attachment.size)
            continue
        data = await attachment.read()
        found.append((attachment.filename, data[:MAX_ATTACHMENT_BYTES].decode("utf-8-sig", "replace")))
    return tuple(found)


async def to_message(content: str, *, user: discord.abc.User, guild: discord.Guild | None,
                     channel_id: int | None, attachments: Iterable[discord.Attachment] = (),
                     instructor_role: str | None = None) -> Message:
    return Message(
        content=content,
        user=str(user.id),
        server=server_of(guild),
        user_name=user.display_name,
        channel=str(channel_id) if channel_id is not None else "",
        attachments=await read_text_attachments(attachments),
        is_instructor=is_instructor(user, instructor_role),
        is_admin=is_admin(user),
        addressed=guild is None,          # a DM speaks to the bot: a pasted prompt or bare kubectl counts
    )


class GuildChannels:
    """router.services["channels"]: which server a channel id belongs to, from discord.py's cache
    (the gateway sends every channel of every guild a shard serves, threads included)."""

    def __init__(self, client: discord.Client) -> None:
        self.client = client

    def belongs(self, server: str, channel: str) -> bool:
        if not (server.isdigit() and channel.isdigit()):
            return False
        guild = self.client.get_guild(int(server))
        return guild is not None and guild.get_channel_or_thread(int(channel)) is not None
