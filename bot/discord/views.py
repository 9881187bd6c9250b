"""Answer buttons: a Reply's choices as buttons whose click sends `!answer KEY N` for the clicker.

The button is a DynamicItem: its custom_id carries the key and the number, so a click is
understood after a restart without remembering any view. The router decides who may answer.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

import discord

from bot.discord.render import choice_buttons, custom_id
from bot.reply import Reply

if TYPE_CHECKING:
    from bot.discord.gateway import Gateway


TEMPLATE = r"kubetutor:answer:(?P<number>[0-9]{1,2}):(?P<key>.+)"     # see render.custom_id


class AnswerButton(discord.ui.DynamicItem[discord.ui.Button], template=TEMPLATE):
    def __init__(self, key: str, number: int, label: str | None = None) -> None:
        super().__init__(discord.ui.Button(label=label or str(number), style=discord.ButtonStyle.primary,
                                           custom_id=custom_id(key, number)))
        self.key = key
        self.number = number

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button,
                             match: re.Match[str]) -> "AnswerButton":
        return cls(match["key"], int(match["number"]), item.label)

    async def callback(self, interaction: discord.Interaction) -> None:
        gateway: Gateway = interaction.client.gateway      # type: ignore[attr-defined]
        try:
            await gateway.on_answer(interaction, self.key, self.number)
        except Exception as exc:       # a view's own on_error would only log; the student must hear back
            await gateway.interaction_failed(interaction, exc)


def answer_view(reply: Reply) -> discord.ui.View | None:
    """A view of answer buttons for the reply, or None when it offers none."""
    buttons = choice_buttons(reply)
    if not buttons:
        return None
    view = discord.ui.View(timeout=None)
    for number, label in buttons:
        view.add_item(AnswerButton(reply.choice_key, number, label))
    return view
