"""The chat router: one message in, replies out. Both front-ends (Discord, console) call it.

Commands register by name on a Router; a handler gets a Context and the raw argument text.
The router owns the cross-cutting rules: prefix parsing (with bot/forgive's reading of pastes and slips),
per-sandbox serialisation,
rate limiting, instructor checks and the one error handler (a student never sees a traceback).
"""
from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from typing import Awaitable, Callable, Union

from bot import forgive, i18n
from bot.reply import Message, Reply
from engine.store import StoreBusy

log = logging.getLogger(__name__)

HandlerResult = Union[Reply, i18n.Say, list[Union[Reply, i18n.Say]], str, None]
Handler = Callable[["Context", str], Awaitable[HandlerResult]]

MAX_MESSAGE_CHARS = 20_000        # longer messages are refused before any parsing
RATE_LIMIT = (30, 60.0)           # commands per window (seconds), per user
QUIET_LIMITED = "⏳"              # the answer to further over-limit messages once told


@dataclass
class Command:
    name: str
    handler: Handler
    instructor: bool = False
    summary: str = ""
    uses_sandbox: bool = True


@dataclass
class Context:
    router: "Router"
    msg: Message
    command: str
    outcome: str = ""          # set to "busy" or "failed" by the error handler (for the meters)

    @property
    def key(self) -> tuple[str, str]:
        return (self.msg.server, self.msg.user)

    @property
    def text(self) -> i18n.Text:
        """The catalogue in this student's language."""
        return i18n.text_for(self.router, self.msg)

    def service(self, name: str):
        return self.router.services[name]


class Router:
    def __init__(self, *, prefix: str = "!", rate_limit: tuple[int, float] | None = RATE_LIMIT,
                 monotonic: Callable[[], float] = time.monotonic, forgive_unprefixed: bool = True):
        self.prefix = prefix
        self.commands: dict[str, Command] = {}
        self.services: dict[str, object] = {}     # shared objects: store, sandboxes, quiz engine, …
        self._locks: dict[tuple[str, str], asyncio.Lock] = defaultdict(asyncio.Lock)
        self._rate_limit = rate_limit
        self._recent: dict[tuple[str, str], deque[float]] = defaultdict(deque)
        self._warned: dict[tuple[str, str], float] = {}     # when each student was last told to slow down
        self._monotonic = monotonic
        # A server's own prefix (bot.settings); messages are rewritten to the default one before parsing.
        self.prefix_for: Callable[[str], str] | None = None
        # Message interceptors run before command parsing (e.g. a pending `kubectl edit`).
        self.interceptors: list[Callable[[Context], Awaitable[HandlerResult]]] = []
        # Fallbacks get unknown `!words` (shortcuts, a student's aliases): (ctx, name, args) -> result or None.
        self.fallbacks: list[Callable[["Context", str, str], Awaitable[HandlerResult]]] = []
        # Meters get (command, seconds, outcome) for every answered message (bot.ops's metrics).
        self.meters: list[Callable[[str, float, str], None]] = []
        # Observers see every handled command afterwards (progress tracking, lab checks).
        self.observers: list[Callable[[Context, list[Reply]], Awaitable[list[Reply] | None]]] = []
        # Names that work without being commands (the k8s_rc.sh shortcuts), for `!ㅏ` and did-you-mean.
        self.extra_names: set[str] = set()
        # Lines without the prefix (a pasted prompt, a bare `kubectl …`) where the bot is addressed;
        # a server's `unprefixed` setting (bot.settings) can turn them off there.
        self.forgive_unprefixed = forgive_unprefixed

    # -- registration ----------------------------------------------------------------------------

    def command(self, *names: str, instructor: bool = False, summary: str = "", uses_sandbox: bool = True):
        def decorate(fn: Handler) -> Handler:
            for name in names:
                self.add(Command(name, fn, instructor, summary, uses_sandbox))
            return fn
        return decorate

    def lock(self, key: tuple[str, str]) -> asyncio.Lock:
        """The per-sandbox lock: commands of one student run one at a time."""
        return self._locks[key]

    def add(self, cmd: Command) -> None:
        self.commands[cmd.name.lower()] = cmd

    # -- dispatch --------------------------------------------------------------------------------

    def parse(self, content: str) -> tuple[str, str] | None:
        """`!k get po` -> ("k", "get po"); None when the message is not for us."""
        text = content.lstrip()
        if not text.startswith(self.prefix):
            return None
        body = text[len(self.prefix):]
        name, _, rest = body.partition(" ")
        if "\n" in name:                       # `!k\n```…` – the command word ends at the newline
            name, _, more = name.partition("\n")
            rest = "\n" + more + ((" " + rest) if rest else "")
        name = name.strip().lower()
        if not name:
            return None
        return name, rest.strip(" ")

    def with_server_prefix(self, msg: Message) -> Message | None:
        """A server that chose its own prefix (say `?`) is answered on `?k …` and no longer on `!k …`,
        so the bot can share a server with another `!` bot. None: not addressed to us."""
        prefix = self.prefix_for(msg.server) if self.prefix_for is not None else self.prefix
        if prefix == self.prefix:
            return msg
        text = msg.content.lstrip()
        if text.startswith(prefix):
            return dataclasses.replace(msg, content=self.prefix + text[len(prefix):])
        return None if text.startswith(self.prefix) else msg

    async def handle(self, msg: Message) -> list[Reply]:
        """Handle one chat message. Returns [] when it is not addressed to the bot."""
        routed = self.with_server_prefix(msg)
        if routed is None:
            return []
        ctx = Context(self, routed, "")
        started = time.perf_counter()
        replies = await self._dispatch(ctx)
        if replies and self.meters:
            outcome = ctx.outcome or ("ok" if all(r.ok for r in replies) else "error")
            for meter in self.meters:
                meter(ctx.command, time.perf_counter() - started, outcome)
        return replies

    async def _dispatch(self, ctx: Context) -> list[Reply]:
        """Interceptors, the size limit, then each command line of the message in order (a terminal
        paste); forgiven typing gets a tutor line first (bot/forgive)."""
        msg = ctx.msg
        try:
            for intercept in self.interceptors:
                result = await intercept(ctx)
                if result is not None:
                    return _as_replies(result, ctx.text)
            if len(msg.content) > MAX_MESSAGE_CHARS:
                if self.parse(forgive.fold(msg.content[:100]).lstrip()) is None:
                    return []
                return [self._too_long(msg)]
            units = forgive.understand(msg.content, self.prefix, self.known_names(), addressed=self._addressed(msg))
        except StoreBusy:
            ctx.outcome = "busy"
            return [Reply(self._text(msg, "store_busy"), code=False, ok=False)]
        if len(units) == 1 and units[0].content == msg.content:
            return await self._one(ctx)                 # the common case: one plain command
        replies: list[Reply] = []
        paste = sum(1 for u in units if u.content) > 1
        for unit in units:
            if unit.note is not None:
                replies.append(Reply(self._note(msg, unit.note), code=False))
            if unit.content:
                one = Context(self, dataclasses.replace(msg, content=unit.content), "")
                got = await self._one(one)
                ctx.command, ctx.outcome = ctx.command or one.command, ctx.outcome or one.outcome
                replies.extend(_echoed(unit.echo, got) if paste else got)
        return replies

    async def _one(self, ctx: Context) -> list[Reply]:
        """One command: parse, check, run under the sandbox lock, let observers add to it."""
        msg = ctx.msg
        try:
            parsed = self.parse(msg.content)
            if parsed is None:
                return []
            name, args = parsed
            cmd = self.commands.get(name)
            ctx.command = name
            if cmd is None:
                return await self._fallback(ctx, name, args)
            if cmd.instructor and not msg.is_instructor:
                return [Reply(self._text(msg, "instructor_only"), code=False, ok=False)]
            if (limited := self._rate_limited(msg)) is not None:
                return [limited]
            async with self._locks[ctx.key]:
                replies = _as_replies(await cmd.handler(ctx, args), ctx.text)
                for observe in self.observers:
                    extra = await observe(ctx, replies)
                    if extra:
                        replies.extend(extra)
            return replies
        except StoreBusy:
            ctx.outcome = "busy"
            return [Reply(self._text(msg, "store_busy"), code=False, ok=False)]
        except Exception:
            ctx.outcome = "failed"
            log.exception("command failed: server=%s user=%s content=%r", msg.server, msg.user, msg.content[:200])
            return [Reply(self._text(msg, "internal_error"), code=False, ok=False)]

    def known_names(self) -> set[str]:
        return set(self.commands) | self.extra_names

    def _addressed(self, msg: Message) -> bool:
        """Whether lines without the prefix count: spoken to the bot, and not turned off."""
        settings = self.services.get("settings")
        if settings is not None and not settings.get(msg.server, "unprefixed"):
            return False
        return msg.addressed and self.forgive_unprefixed

    async def _fallback(self, ctx: Context, name: str, args: str) -> list[Reply]:
        """Unknown commands: maybe a shortcut or alias; else the closest names, where there are any
        (other bots may share the `!` prefix, so an unknown word with no near name stays quiet
        unless the bot is addressed)."""
        if self._rate_limited(ctx.msg) is not None:
            return []
        async with self._locks[ctx.key]:
            for fallback in self.fallbacks:
                result = await fallback(ctx, name, args)
                if result is not None:
                    replies = _as_replies(result, ctx.text)
                    for observe in self.observers:
                        extra = await observe(ctx, replies)
                        if extra:
                            replies.extend(extra)
                    return replies
        close = forgive.suggest(name, self.known_names())
        name = name if len(name) <= 30 else name[:30] + "…"
        if close:
            tail = f" {args}" if args and "\n" not in args else ""
            options = ", ".join(f"`{self.prefix}{n}{tail}`" for n in close)
            return [Reply(self._text(ctx.msg, "forgive_unknown_close", name=f"{self.prefix}{name}",
                                     options=options), code=False, ok=False)]
        if ctx.msg.addressed:
            return [Reply(self._text(ctx.msg, "forgive_unknown", name=f"{self.prefix}{name}",
                                     help=f"{self.prefix}help"), code=False, ok=False)]
        return []

    def admit(self, msg: Message) -> Reply | None:
        """The limits a message handled outside command parsing (an edit reply) meets too."""
        if len(msg.content) > MAX_MESSAGE_CHARS:
            return self._too_long(msg)
        return self._rate_limited(msg)

    def _too_long(self, msg: Message) -> Reply:
        return Reply(self._text(msg, "message_too_long", length=len(msg.content), limit=MAX_MESSAGE_CHARS), ok=False)

    def _rate_limited(self, msg: Message) -> Reply | None:
        """None when the message may run; else one notice per window (then a quiet ⏳, which
        Discord shows as a reaction), so twenty fast messages do not get twenty notices."""
        if self._rate_limit is None or msg.source == "api":      # the API server has its own limit
            return None
        count, window = self._rate_limit
        now = self._monotonic()
        key = (msg.server, msg.user)
        recent = self._recent[key]
        while recent and now - recent[0] > window:
            recent.popleft()
        if len(recent) >= count:
            if self._warned.get(key, float("-inf")) >= recent[0]:
                return Reply(QUIET_LIMITED, code=False, ok=False, quiet=True)
            self._warned[key] = now
            wait = int(window - (now - recent[0])) + 1
            return Reply(self._text(msg, "rate_limited", seconds=wait), code=False, ok=False)
        recent.append(now)
        return None

    def _text(self, msg: Message, key: str, **kw) -> str:
        return i18n.text_for(self, msg)(key, **kw)

    def _note(self, msg: Message, note: forgive.Note) -> str:
        text = i18n.text_for(self, msg)
        values = dict(note.values)
        if "reasons" in values:
            values["reasons"] = text.join(text(f"forgive_reason_{r}") for r in values["reasons"])
        return text(note.key, **values)


def _echoed(command: str, replies: list[Reply]) -> list[Reply]:
    """A pasted line's replies, headed by the line, as a terminal shows each command above its output."""
    if replies and replies[0].code:
        return [dataclasses.replace(replies[0], text=f"{command}\n{replies[0].text}"), *replies[1:]]
    return [Reply(command), *replies]


def _as_replies(result: HandlerResult, text: i18n.Text) -> list[Reply]:
    if result is None:
        return []
    if isinstance(result, (str, Reply, i18n.Say)):
        result = [result]
    return [Reply(r) if isinstance(r, str) else
            Reply(r.words(text), code=False, ok=r.ok) if isinstance(r, i18n.Say) else r for r in result]
