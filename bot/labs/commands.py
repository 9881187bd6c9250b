"""`!lab list|start N|check|hint|skip|stop` (`!lab` alone shows where you are), and the observer that
checks the current step after every command a student in a lab runs.
"""
from __future__ import annotations

import functools
import time
from typing import Callable

from bot.commands.sandbox import in_sandbox, stopped
from bot.i18n import lang_of, t
from bot.labs import checks
from bot.labs.catalogue import Lab, find, text
from bot.labs.sessions import Session, Sessions
from bot.reply import Reply
from bot.router import Context
from engine.sandbox import CorruptSandbox, Sandbox
from engine.workers import Overrun

SUBCOMMANDS = ("list", "start", "check", "hint", "skip", "stop")


def _say(text_: str, ok: bool = True) -> Reply:
    return Reply(text_, code=False, ok=ok)


def run_setup(sb: Sandbox, lines: tuple[str, ...]) -> str | None:
    """Prepare the sandbox for a lab; the failing line's output, or None when all went well.
    An object left from an earlier try (`already exists`) is fine: the lab wants it there."""
    for line in lines:
        if line.startswith("kubectl "):
            out, rc = sb.kubectl(line[len("kubectl "):])
        else:
            out, rc = sb.shell(line, "m-k8s")
        if rc != 0 and "already exists" not in out.lower():
            return f"$ {line}\n{out}".rstrip()
    sb.advance(0)        # let the controllers create what setup asked for, so the baseline includes it
    return None


# Jobs for the sandbox's engine worker (engine/workers.py): module-level, so they travel by name.

def _setup_job(sb: Sandbox, lines: tuple[str, ...]) -> tuple[str | None, list[str]]:
    failed = run_setup(sb, lines)
    return failed, checks.baseline(sb.cluster)


def _baseline_job(sb: Sandbox) -> list[str]:
    return checks.baseline(sb.cluster)


def _check_job(sb: Sandbox, check, baseline: list[str]) -> tuple[checks.Outcome, list[str]]:
    outcome = checks.evaluate(check, sb.cluster, baseline)
    return outcome, checks.baseline(sb.cluster) if outcome.ok else []


class LabCommands:
    def __init__(self, router, labs: tuple[Lab, ...] | Callable[[], tuple[Lab, ...]], sessions: Sessions):
        self.router = router
        self._labs = labs
        self.sessions = sessions

    @functools.cached_property
    def labs(self) -> tuple[Lab, ...]:
        """Read at first use (a lab command, or a student in a lab): not at every start."""
        return self._labs() if callable(self._labs) else self._labs

    def now(self) -> float:
        return (self.router.services.get("clock") or time.time)()

    def _lab(self, lab_id: str) -> Lab | None:
        return next((lab for lab in self.labs if lab.id == lab_id), None)

    # -- !lab ------------------------------------------------------------------------------------

    async def lab(self, ctx: Context, args: str):
        lang = lang_of(self.router, ctx.msg)
        word, _, rest = args.strip().partition(" ")
        word = word.lower()
        if not word:
            return await self.status(ctx, lang)
        if word not in SUBCOMMANDS:
            return _say(t(lang, "lab_usage"), ok=False)
        try:
            return await getattr(self, "cmd_" + word)(ctx, lang, rest.strip())
        except CorruptSandbox:
            return _say(t(lang, "lab_sandbox_unreadable"), ok=False)
        except Overrun as overrun:
            return stopped(ctx, overrun)

    async def status(self, ctx: Context, lang: str) -> Reply:
        session = await self.sessions.get(ctx.key)
        lab = self._lab(session.lab_id) if session else None
        if lab is None:
            return _say(t(lang, "lab_none_active") + "\n" + await self._suggestion(ctx, lang))
        return _say(self._step_text(lab, session.step, lang))

    async def cmd_list(self, ctx: Context, lang: str, rest: str) -> Reply:
        done = await self.sessions.finished(ctx.key)
        session = await self.sessions.get(ctx.key)
        lines, chapter = [t(lang, "lab_list_header")], None
        for lab in self.labs:
            if lab.chapter != chapter:
                chapter = lab.chapter
                lines.append(t(lang, "lab_list_chapter", chapter=chapter))
            mark = "▶" if session and session.lab_id == lab.id else "✅" if lab.id in done else "▫️"
            lines.append(f"{mark} {lab.number:>2}. {text(lab.title, lang)} ({len(lab.steps)})")
        return _say("\n".join(lines))

    async def cmd_start(self, ctx: Context, lang: str, rest: str) -> Reply:
        lab = find(self.labs, rest) if rest else None
        if lab is None:
            return _say(t(lang, "lab_unknown", ref=rest or "?"), ok=False)
        failed, base = await in_sandbox(ctx, _setup_job, lab.setup)
        if failed:
            return [_say(t(lang, "lab_setup_failed", number=lab.number), ok=False), Reply(failed, ok=False)]
        await self.sessions.save(Session(ctx.key, lab.id, 0, 0, base, self.now()))
        head = t(lang, "lab_started", number=lab.number, title=text(lab.title, lang), goal=text(lab.goal, lang))
        return _say(head + "\n\n" + self._step_text(lab, 0, lang))

    async def cmd_check(self, ctx: Context, lang: str, rest: str) -> Reply:
        active = await self._active(ctx)
        if active is None:
            return _say(t(lang, "lab_none_active"), ok=False)
        session, lab = active
        outcome, replies = await self._check(ctx, session, lab, lang)
        return replies if outcome.ok else _say(t(lang, "lab_not_yet", detail=outcome.detail), ok=False)

    async def cmd_hint(self, ctx: Context, lang: str, rest: str) -> Reply:
        active = await self._active(ctx)
        if active is None:
            return _say(t(lang, "lab_none_active"), ok=False)
        session, lab = active
        hints = lab.steps[session.step].hints
        if session.hints >= len(hints):
            return _say(t(lang, "lab_no_more_hints"))
        session.hints += 1
        await self.sessions.save(session)
        return _say(t(lang, "lab_hint", n=session.hints, of=len(hints), hint=text(hints[session.hints - 1], lang)))

    async def cmd_skip(self, ctx: Context, lang: str, rest: str):
        active = await self._active(ctx)
        if active is None:
            return _say(t(lang, "lab_none_active"), ok=False)
        session, lab = active
        skipped = _say(t(lang, "lab_skipped", step=session.step + 1))
        if session.step + 1 >= len(lab.steps):
            await self.sessions.clear(ctx.key)
            return [skipped, _say(t(lang, "lab_ended_skipped", title=text(lab.title, lang)))]
        base = await in_sandbox(ctx, _baseline_job)
        self._next_step(session, base)
        await self.sessions.save(session)
        return [skipped, _say(self._step_text(lab, session.step, lang))]

    async def cmd_stop(self, ctx: Context, lang: str, rest: str) -> Reply:
        active = await self._active(ctx)
        if active is None:
            return _say(t(lang, "lab_none_active"), ok=False)
        await self.sessions.clear(ctx.key)
        return _say(t(lang, "lab_stopped", title=text(active[1].title, lang)))

    # -- the observer ----------------------------------------------------------------------------

    async def observe(self, ctx: Context, replies: list[Reply]) -> list[Reply] | None:
        """After a student's command: if they are in a lab and the current step now holds, say so."""
        if ctx.command == "lab":
            return None
        cmd = self.router.commands.get(ctx.command)
        if cmd is not None and not cmd.uses_sandbox:
            return None
        active = await self._active(ctx)
        if active is None:
            return None
        try:
            return (await self._check(ctx, *active, lang_of(self.router, ctx.msg)))[1]
        except (CorruptSandbox, Overrun):   # the command itself already told the student
            return None

    # -- steps -----------------------------------------------------------------------------------

    async def _active(self, ctx: Context) -> tuple[Session, Lab] | None:
        session = await self.sessions.get(ctx.key)
        if session is None:
            return None
        lab = self._lab(session.lab_id)
        if lab is None or session.step >= len(lab.steps):      # the lab was removed from the course
            await self.sessions.clear(ctx.key)
            return None
        return session, lab

    async def _check(self, ctx: Context, session: Session, lab: Lab,
                     lang: str) -> tuple[checks.Outcome, list[Reply] | None]:
        """Judge the current step; on success record it and move on (with replies to say so)."""
        step = lab.steps[session.step]
        outcome, base = await in_sandbox(ctx, _check_job, step.check, session.baseline)
        if not outcome.ok:
            return outcome, None
        number = session.step + 1
        last = number == len(lab.steps)
        await self._record(ctx, lab, number, last)
        replies = [_say(t(lang, "lab_passed", step=number, of=len(lab.steps), learned=text(step.learned, lang)))]
        if last:
            await self.sessions.finish(ctx.key, lab.id, self.now())
            replies.append(_say(t(lang, "lab_finished", number=lab.number, title=text(lab.title, lang)) + "\n"
                                + await self._suggestion(ctx, lang)))
        else:
            self._next_step(session, base)
            await self.sessions.save(session)
            replies.append(_say(self._step_text(lab, session.step, lang)))
        return outcome, replies

    @staticmethod
    def _next_step(session: Session, base: list[str]) -> None:
        session.step += 1
        session.hints = 0
        session.baseline = base

    async def _record(self, ctx: Context, lab: Lab, number: int, last: bool) -> None:
        progress = self.router.services.get("progress")
        if progress is not None:
            await progress.record_lab(ctx.key, lab.id, number, completed=last)

    def _step_text(self, lab: Lab, index: int, lang: str) -> str:
        step = lab.steps[index]
        return t(lang, "lab_step", number=lab.number, title=text(lab.title, lang), step=index + 1,
                 of=len(lab.steps), do=text(step.do, lang), hints=len(step.hints))

    async def _suggestion(self, ctx: Context, lang: str) -> str:
        done = await self.sessions.finished(ctx.key)
        nxt = next((lab for lab in self.labs if lab.id not in done), None)
        if nxt is None:
            return t(lang, "lab_all_done")
        return t(lang, "lab_suggest", number=nxt.number, title=text(nxt.title, lang))
