"""Answer buttons without Discord: a reply offers numbered choices under a key; the answer
comes back as `!answer N` (the student's latest offer) or `!answer KEY N` (a button knows its key).

Features register a handler per key prefix: "quiz", "reset", … The Discord adapter turns
a Reply's choices into buttons whose click sends `!answer KEY N` for the clicking user.
"""
from __future__ import annotations

from typing import Awaitable, Callable

from bot.i18n import Say
from bot.reply import Reply
from bot.router import Context, HandlerResult, Router

ChoiceHandler = Callable[[Context, str, str], Awaitable[HandlerResult]]   # (ctx, key, answer text)


class Choices:
    def __init__(self) -> None:
        self.handlers: dict[str, ChoiceHandler] = {}
        self.latest: dict[tuple[str, str], str] = {}

    def on(self, prefix: str, handler: ChoiceHandler) -> None:
        self.handlers[prefix] = handler

    def offer(self, ctx: Context, reply: Reply) -> Reply:
        """Remember that this user was last offered `reply.choice_key`."""
        if reply.choice_key:
            self.latest[ctx.key] = reply.choice_key
        return reply

    async def answer(self, ctx: Context, args: str) -> HandlerResult:
        parts = args.split(None, 1)
        if not parts:
            return Say("answer_usage", ok=False)
        if parts[0].split(":", 1)[0] in self.handlers and len(parts) == 2:
            key, answer = parts
        else:
            key, answer = self.latest.get(ctx.key), args
            if key is None:
                return Say("answer_none_open", ok=False)
        handler = self.handlers.get(key.split(":", 1)[0])
        if handler is None:
            return Say("answer_closed", ok=False)
        return await handler(ctx, key, answer.strip())


def setup(router: Router) -> Choices:
    choices = router.services.get("choices")
    if choices is None:
        choices = Choices()
        router.services["choices"] = choices
        router.command("answer", summary="answer the last question (buttons in Discord)")(choices.answer)
    return choices
