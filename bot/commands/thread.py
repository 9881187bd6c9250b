"""`!thread`: the student's own thread in this channel (Discord), where the bot answers them —
a quiet corner for a long lab. Front-ends without threads answer in place."""
from __future__ import annotations

from bot.i18n import lang_of, t
from bot.reply import Reply
from bot.router import Context, Router


def thread_name(ctx: Context) -> str:
    return t(lang_of(ctx.router, ctx.msg), "thread_name", name=ctx.msg.display[:80])


async def thread(ctx: Context, args: str) -> Reply:
    lang = lang_of(ctx.router, ctx.msg)
    return Reply(t(lang, "thread_opened"), code=False, thread=thread_name(ctx))


def setup(router: Router) -> None:
    router.command("thread", uses_sandbox=False, summary="your own thread for this channel (Discord)")(thread)
