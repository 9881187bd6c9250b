"""`!peek @student COMMAND`: an instructor runs a read-only kubectl command in a student's
sandbox of the same server, to see what the student sees.

Read-only twice over: only verbs that read are accepted, and whatever the command would have
written (even the clock catching up) is thrown away — the unit of work is aborted, so the
store is untouched and the student's next command replays the same timers itself.
Every peek is logged with who looked where.
"""
from __future__ import annotations

import logging
import re
import shlex

from bot.commands.sandbox import stopped
from bot.i18n import lang_of, t
from bot.reply import Reply
from bot.router import Context, Router
from engine.node.parser import has_operators
from engine.workers import Overrun

log = logging.getLogger(__name__)

READ_VERBS = {"get", "describe", "logs", "explain", "api-resources", "api-versions", "version", "cluster-info",
              "top", "auth"}
READ_CONFIG = {"view", "current-context", "get-contexts"}
_MENTION = re.compile(r"^<@!?(\d+)>$")


class _ReadOnly(Exception):
    """Raised inside the unit of work to roll it back, carrying the output out."""

    def __init__(self, out: str, rc: int):
        super().__init__(out)
        self.out, self.rc = out, rc


def target_of(word: str) -> str:
    """`<@123>` / `<@!123>` (Discord) -> `123`; a console user name as given."""
    match = _MENTION.match(word)
    return match[1] if match else word.lstrip("@")


def is_read_only(line: str) -> bool:
    if has_operators(line):              # `get pods -o name | xargs kubectl delete` would write
        return False
    try:
        words = [w for w in shlex.split(line) if not w.startswith("-")]
    except ValueError:
        return False
    if words and words[0] in ("kubectl", "k"):
        words = words[1:]
    if not words:
        return False
    if words[0] == "config":
        return len(words) > 1 and words[1] in READ_CONFIG
    if words[0] == "get" and any(w in ("-w", "--watch", "--watch-only") for w in shlex.split(line)):
        return False                     # a watch moves the student's clock
    return words[0] in READ_VERBS


async def peek(ctx: Context, args: str) -> Reply | None:
    lang = lang_of(ctx.router, ctx.msg)
    who, _, line = args.strip().partition(" ")
    line = line.strip()
    if not who or not line:
        return Reply(t(lang, "peek_usage"), code=False, ok=False)
    if not is_read_only(line):
        return Reply(t(lang, "peek_read_only"), code=False, ok=False)
    student = target_of(who)
    pool = ctx.router.services["sandboxes"]
    log.info("peek: server=%s instructor=%s student=%s command=%r", ctx.msg.server, ctx.msg.user, student, line)
    try:
        async with ctx.router.lock((ctx.msg.server, student)):
            seen = await pool.call(ctx.msg.server, student, _peek_job, line.removeprefix("kubectl ").removeprefix("k "))
    except Overrun as overrun:
        return stopped(ctx, overrun)
    if seen is None:
        return Reply(t(lang, "peek_no_sandbox", student=who.replace("`", "'")[:64]), code=False, ok=False)
    out, rc = seen
    return Reply(out, ok=rc == 0)


async def _peek_job(manager, server: str, user: str, line: str) -> tuple[str, int] | None:
    """In the student's engine worker: the command's output, its unit of work rolled back."""
    if not await manager.exists(server, user):
        return None
    try:
        async with manager.open(server, user) as sb:
            raise _ReadOnly(*sb.kubectl(line))
    except _ReadOnly as done:
        return done.out, done.rc


def setup(router: Router) -> None:
    router.command("peek", instructor=True, uses_sandbox=False,
                   summary="instructors: a read-only kubectl command in a student's sandbox")(peek)
