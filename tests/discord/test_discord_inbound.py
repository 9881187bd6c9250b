"""Discord objects to router Messages: the sandbox key, the mention form, instructors, attachments."""
from __future__ import annotations

import discord
import pytest

from bot.discord.inbound import (MAX_ATTACHMENT_BYTES, is_instructor, read_text_attachments, strip_bot_mention,
                                 to_message)

BOT_ID = 555_000_000_000_000_001


@pytest.mark.parametrize("content, expected", [
    (f"<@{BOT_ID}> k get po", "!k get po"),
    (f"<@!{BOT_ID}>   kubectl get nodes", "!kubectl get nodes"),
    (f"<@{BOT_ID}> !k get po", "!k get po"),
    (f"<@{BOT_ID}>", "!help"),
    (f"  <@{BOT_ID}>\nk apply -f -\n```yaml\nkind: Pod\n```", "!k apply -f -\n```yaml\nkind: Pod\n```"),
    ("<@123> k get po", None),
    (f"hey <@{BOT_ID}> k get po", None),
    ("!k get po", None),
], ids=["mention", "nick-mention", "mention-and-prefix", "bare-mention", "multiline", "other-user", "mid-text",
        "plain-prefix"])
def test_mention_form_becomes_a_prefix_command(content, expected):
    assert strip_bot_mention(content, BOT_ID, "!") == expected


async def test_guild_message_maps_to_server_and_user(mocks):
    """The sandbox key comes from Discord: (guild id, author id), never from the text."""
    guild = mocks.guild()
    author = mocks.member(guild, name="민수")
    channel = mocks.channel(guild)
    msg = await to_message("!k get po", user=author, guild=guild, channel_id=channel.id)
    assert (msg.server, msg.user, msg.user_name) == (str(guild.id), str(author.id), "민수")
    assert msg.channel == str(channel.id)
    assert msg.content == "!k get po" and msg.is_instructor is False
    assert msg.addressed is False          # a class channel: lines without `!` are chatter


async def test_dm_maps_to_the_dm_server(mocks):
    user = mocks.user()
    msg = await to_message("!k get po", user=user, guild=None, channel_id=1)
    assert (msg.server, msg.user) == ("dm", str(user.id))
    assert msg.addressed is True           # a DM speaks to the bot: a pasted prompt runs


def test_manage_server_permission_makes_an_instructor(mocks):
    guild = mocks.guild()
    assert is_instructor(mocks.member(guild, manage_guild=True), None)
    assert not is_instructor(mocks.member(guild), None)


@pytest.mark.parametrize("role_name, configured, has", [
    ("강사", "강사", True), ("Teacher", "Teacher", True), ("Teacher", "teacher", True),
    ("Teacher", "instructor", False), ("student", "강사", False),
], ids=["korean-name", "exact", "any-case", "other-name", "plain-student"])
def test_instructor_role_by_name(mocks, role_name, configured, has):
    member = mocks.member(mocks.guild(), roles=[mocks.role(role_name)])
    assert is_instructor(member, configured) is has


def test_instructor_role_by_id(mocks):
    guild = mocks.guild()
    role = mocks.role("staff")
    assert is_instructor(mocks.member(guild, roles=[role]), str(role.id))
    assert not is_instructor(mocks.member(guild, roles=[mocks.role("staff")]), str(role.id))


def test_no_instructor_in_dms(mocks):
    """A DM author is a User: no roles, no server permissions, so never an instructor."""
    assert not is_instructor(mocks.user(), "강사")


async def test_text_attachments_are_read(mocks):
    files = [mocks.attachment("deploy.yaml", b"\xef\xbb\xbfkind: Deployment\n"),
             mocks.attachment("notes.TXT", "한국어\n".encode()),
             mocks.attachment("diagram.png", b"\x89PNG"),
             mocks.attachment("huge.yml", b"x", size=MAX_ATTACHMENT_BYTES + 1)]
    assert await read_text_attachments(files) == (("deploy.yaml", "kind: Deployment\n"), ("notes.TXT", "한국어\n"))
    files[2].read.assert_not_called()
    files[3].read.assert_not_called()


async def test_message_carries_attachments(mocks):
    guild = mocks.guild()
    msg = await to_message("!k apply -f -", user=mocks.member(guild), guild=guild, channel_id=1,
                           attachments=[mocks.attachment("pod.yaml", b"kind: Pod\n")])
    assert msg.attachments == (("pod.yaml", "kind: Pod\n"),)


def test_spec_mocks_reject_wrong_attributes(mocks):
    """The helpers are strict: a misspelt discord.py attribute fails instead of passing silently."""
    member = mocks.member(mocks.guild())
    with pytest.raises(AttributeError):
        member.display_nam  # noqa: B018
    assert isinstance(member, discord.Member)
