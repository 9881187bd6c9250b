"""Commands that block on the cluster (rollout status, wait, get -w): they move the sandbox clock
forward from one due timer to the next, looking after each step, until they are satisfied or
their time is up. Nothing else can happen meanwhile (the student is waiting), so this is exactly
what the student would have seen, minus the waiting.
"""
from __future__ import annotations

import contextlib
import re
from typing import Callable, Iterator, TypeVar

from engine.kubectl.errors import flag_error
from engine.timefmt import human_duration

T = TypeVar("T")
# However long kubectl would block, a chat command stops after this much sandbox time (the bot's
# `!wait` ceiling is 24h; an hour covers every deadline the lab meets, e.g. progressDeadlineSeconds).
CAP = 3600.0
MAX_STEPS = 20_000
MAX_DURATION = (2**63 - 1) / 1e9
_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_PART = re.compile(r"(\d*\.?\d*)([^\d.]*)")


def go_duration(command: str, flag: str, text: str) -> float:
    """Go's time.ParseDuration (what cobra's Duration flags use), with its error words."""
    def bad(why: str = "invalid duration") -> Exception:
        return flag_error(command, f'invalid argument "{text}" for "--{flag}" flag: time: {why} "{text}"')

    s = text
    sign = -1.0 if s.startswith("-") else 1.0
    s = s[1:] if s[:1] in ("+", "-") else s
    if s == "0":
        return 0.0
    if not s:
        raise bad()
    total, pos = 0.0, 0
    while pos < len(s):
        m = _PART.match(s, pos)
        number, unit = m.group(1), m.group(2)
        if not number or number == ".":
            raise bad()
        if not unit:
            raise bad("missing unit in duration")
        if unit not in _UNITS:
            raise bad(f'unknown unit "{unit}" in duration')
        total += float(number) * _UNITS[unit]
        pos = m.end()
    if total > MAX_DURATION:
        raise bad()                     # beyond Go's int64 nanoseconds
    return sign * total


def step_until(cluster, advance: Callable[[float], None], done: Callable[[], T | None],
               span: float) -> tuple[T | None, float]:
    """Step the clock with `advance(seconds)` (the sandbox's, as `!wait` moves it) for at most `span`
    seconds until `done()` returns something; (that, seconds used)."""
    start = cluster.now
    limit = start + max(0.0, span)
    advance(0.0)                        # the controllers first react to what this command line just did
    for _ in range(MAX_STEPS):
        result = done()
        if result is not None or cluster.now >= limit:
            return result, cluster.now - start
        target = min(max(cluster.clock.peek(), cluster.now + 1e-3), limit)
        advance(target - cluster.now)
    return None, cluster.now - start


def block(ctx, done: Callable[[], T | None], span: float) -> tuple[T | None, bool]:
    """step_until within what is left of the command's CAP (one `wait --all` on many objects shares
    it); (the result, whether the cap rather than `span` ended the wait). A command run without a
    clock to move (ctx.advance None) looks once."""
    allowed = max(0.0, min(span, CAP - ctx.blocked)) if ctx.advance is not None else 0.0
    result, used = step_until(ctx.cluster, ctx.advance or (lambda seconds: None), done, allowed)
    ctx.blocked += used
    return result, result is None and allowed < span


def note_cap(ctx, key: str) -> None:
    """Once per command: the tutor note that the chat's cap, not kubectl, ended the wait."""
    note = (key, {"span": human_duration(CAP)})
    if note not in ctx.notes:
        ctx.notes.append(note)


@contextlib.contextmanager
def observing(cluster, fn: Callable[[dict, bool], None]) -> Iterator[None]:
    """Call fn(obj, deleted) for every write while the block runs (a watch)."""
    cluster.observers.append(fn)
    try:
        yield
    finally:
        cluster.observers.remove(fn)
