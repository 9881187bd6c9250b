"""What the chat router hands to a front-end: plain data, no Discord types.

The Discord adapter renders a Reply as a code block (or prose), buttons and files;
the console prints the text, numbers the choices and writes attachments' names.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes


@dataclass(frozen=True)
class Reply:
    text: str
    code: bool = True              # kubectl/shell output goes in a code block; teaching text does not
    choices: tuple[str, ...] = ()  # answer buttons; answered as `!answer N` (1-based)
    files: tuple[Attachment, ...] = ()
    # A correlation id for the choices (e.g. "quiz:123"); the front-end sends it back with `!answer`.
    choice_key: str | None = None
    ok: bool = True                # False for errors, so a front-end may mark them
    quiet: bool = False            # a one-glyph acknowledgement: Discord reacts rather than posts
    thread: str | None = None      # Discord: answer in (or open) the student's thread of this name
    dm: bool = False               # holds a secret: Discord sends it by direct message only


@dataclass(frozen=True)
class Message:
    """One chat message, as the router sees it."""
    content: str
    user: str                      # stable user id (Discord snowflake, or console login name)
    server: str = "local"          # guild id, or "dm", or the console's --server
    user_name: str = ""            # display name, for tables and greetings
    channel: str = ""
    attachments: tuple[tuple[str, str], ...] = ()   # (filename, text) of text attachments
    is_instructor: bool = False
    is_admin: bool = False         # the server's owner or Manage Server: may change `!config`
    reply_lang: str | None = None
    source: str = "chat"           # "api": a request of `kubetutor api`, rate-limited by that server
    addressed: bool = False        # spoken to the bot (a DM, the console): unprefixed lines count too

    @property
    def display(self) -> str:
        return self.user_name or self.user

