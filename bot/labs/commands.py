"""`!lab list|start N|check|hint|skip|stop` (`!lab` alone shows where you are), and the observer that
checks the current step after every command a student in a lab runs.
"""
from __future__ import annotations

import dataclasses
import functools
import time
from typing import Callable

from bot.commands.sandbox import SHORTCUTS, split_block, stopped
from bot.i18n import lang_of, t
from bot.labs import checks, evidence
from bot.labs.catalogue import Lab, find, text
from bot.labs.sessions import Session, Sessions
from bot.reply import Reply
from bot.router import Context
from engine.sandbox import CorruptSandbox, Sandbox
from engine.timefmt import parse_duration
from engine.workers import Overrun

SUBCOMMANDS = ("list", "start", "check", "hint", "skip", "stop")


def _say(text_: str, ok: bool = True) -> Reply:
    return Reply(text_, code=False, ok=ok)


def run_setup(sb: Sandbox, lines: tuple[str, ...]) -> str | None:
    """Prepare the sandbox for a lab; the failing line's output, or None when all went well.
    An object left from an earlier try (`already exists`) is fine: the lab wants it there."""
    for line in lines:
        if line.startswith("wait "):            # let the controllers act between two lines
            sb.advance(parse_duration(line[len("wait "):]) or 0)
            continue
        if line.startswith("kubectl "):
            out, rc = sb.kubectl(line[len("kubectl "):])
        else:
            out, rc = sb.shell(line, "m-k8s")
        if rc != 0 and "already exists" not in out.lower():
            return f"$ {line}\n{out}".rstrip()
    sb.advance(0)        # let the controllers create what setup asked for, so the baseline includes it
    return None


def command_line(ctx: Context, aliases: dict) -> str | None:
    """The command a chat message ran, as the node would run it (for the lab's command log);
    None for messages that run nothing in the sandbox."""
    parsed = ctx.router.parse(ctx.msg.content)
    if parsed is None:
        return None
    name, args = parsed
    line = split_block(args)[0]
    if name in ("k", "kubectl"):
        return f"kubectl {line}"
    if name in ("sh", "wait"):
        return line if name == "sh" else f"wait {line}"
    if name == "ssh":
        return f"ssh {line}"
    expansion = SHORTCUTS.get(name) or aliases.get(name)
    if not expansion:
        return None
    if expansion == "k" or expansion.startswith("k "):
        expansion = "kubectl" + expansion[1:]
    return f"{expansion} {line}".strip()


def evidence_of(session: Session) -> evidence.Evidence:
    return evidence.Evidence(frozenset(session.baseline), frozenset(session.start), tuple(session.log), session.step)


def _lines(lines: tuple[str, ...]) -> str:
    return "\n".join(f"`{line}`" for line in lines)


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

    def _sandbox(self, ctx: Context):
        # The checks read the sandbox in this process (a coherent copy: the stored version is
        # checked before use); they judge state and the command log, and write only a lab's setup.
        return self.router.services["sandboxes"].open(ctx.msg.server, ctx.msg.user)

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
            result = await getattr(self, "cmd_" + word)(ctx, lang, rest.strip())
        except CorruptSandbox:
            return _say(t(lang, "lab_sandbox_unreadable"), ok=False)
        except Overrun as overrun:
            return stopped(ctx, overrun)
        return self._in_thread(ctx, result) if word == "start" else result

    def _in_thread(self, ctx: Context, result):
        """With `!config set lab_threads on`, a started lab answers in the student's own thread
        (Discord opens it on the `!lab start` message); other front-ends answer in place."""
        settings = self.router.services.get("settings")
        if settings is None or not settings.get(ctx.msg.server, "lab_threads"):
            return result
        from bot.commands.thread import thread_name
        name = thread_name(ctx)
        replies = [result] if isinstance(result, Reply) else list(result or ())
        return [dataclasses.replace(r, thread=name) if isinstance(r, Reply) else r for r in replies]

    async def status(self, ctx: Context, lang: str) -> Reply:
        session = await self.sessions.get(ctx.key)
        lab = self._lab(session.lab_id) if session else None
        if lab is None:
            return _say(t(lang, "lab_none_active") + "\n" + await self._suggestion(ctx, lang))
        return _say(self._step_text(lab, session.step, lang))

    async def cmd_list(self, ctx: Context, lang: str, rest: str) -> Reply:
        done = await self.sessions.finished(ctx.key)
        skipped = await self.sessions.finished(ctx.key, "skipped")
        session = await self.sessions.get(ctx.key)
        lines, chapter = [t(lang, "lab_list_header")], None
        for lab in self.labs:
            if lab.chapter != chapter:
                chapter = lab.chapter
                lines.append(t(lang, "lab_list_chapter", chapter=chapter))
            mark = "▶" if session and session.lab_id == lab.id else "✅" if lab.id in done else "⏭️" if lab.id in skipped else "▫️"
            lines.append(f"{mark} {lab.number:>2}. {text(lab.title, lang)} ({len(lab.steps)})")
        return _say("\n".join(lines))

    async def cmd_start(self, ctx: Context, lang: str, rest: str):
        """A lab without setup starts at once; one with setup first offers to prepare the sandbox."""
        lab = find(self.labs, rest) if rest else None
        if lab is None:
            return _say(t(lang, "lab_unknown", ref=rest or "?"), ok=False)
        if not lab.setup:
            return await self._begin(ctx, lab, lang, setup=False)
        offer = Reply(self._head(lab, lang) + "\n" + t(lang, "lab_offer", lines=_lines(lab.setup)), code=False,
                      choices=(t(lang, "lab_offer_setup"), t(lang, "lab_offer_as_is"), t(lang, "lab_offer_cancel")),
                      choice_key=f"lab:{ctx.msg.user}:{lab.id}")
        return self.router.services["choices"].offer(ctx, offer)

    async def answer_offer(self, ctx: Context, key: str, answer: str):
        """The reply to `!lab start`'s offer: 1 sets the sandbox up and starts, 2 starts as it is."""
        lang = lang_of(self.router, ctx.msg)
        _, owner, lab_id = (key.split(":", 2) + ["", ""])[:3]      # a typed key may be anything
        lab = self._lab(lab_id)
        if owner != ctx.msg.user or lab is None:
            return _say(t(lang, "lab_offer_not_yours"), ok=False)
        self.router.services["choices"].latest.pop(ctx.key, None)
        choice = answer.strip()
        if choice not in ("1", "2", t(lang, "lab_offer_setup"), t(lang, "lab_offer_as_is")):
            return _say(t(lang, "lab_offer_cancelled"))
        try:
            return await self._begin(ctx, lab, lang, setup=choice in ("1", t(lang, "lab_offer_setup")))
        except CorruptSandbox:
            return _say(t(lang, "lab_sandbox_unreadable"), ok=False)

    async def _begin(self, ctx: Context, lab: Lab, lang: str, *, setup: bool):
        async with self._sandbox(ctx) as sb:
            failed = run_setup(sb, lab.setup) if setup else None
            base = checks.baseline(sb.cluster)
            unmet = [text(need.say, lang) for need in lab.needs if not checks.evaluate(need.check, sb.cluster).ok]
        if failed:
            return [_say(t(lang, "lab_setup_failed", number=lab.number), ok=False), Reply(failed, ok=False)]
        await self.sessions.save(Session(ctx.key, lab.id, 0, 0, base, self.now(), start=base))
        await self.sessions.event(ctx.key, lab.id, 1, "start", self.now())
        parts = [self._head(lab, lang)]
        if setup:
            parts.append(t(lang, "lab_prepared", lines=_lines(lab.setup)))
        if unmet:
            parts.append(t(lang, "lab_needs", needs="\n".join(f"• {n}" for n in unmet)))
        return _say("\n".join(parts) + "\n\n" + self._step_text(lab, 0, lang))

    @staticmethod
    def _head(lab: Lab, lang: str) -> str:
        return t(lang, "lab_started", number=lab.number, title=text(lab.title, lang), goal=text(lab.goal, lang))

    async def cmd_check(self, ctx: Context, lang: str, rest: str) -> Reply:
        active = await self._active(ctx)
        if active is None:
            return _say(t(lang, "lab_none_active"), ok=False)
        session, lab = active
        outcome, replies = await self._check(ctx, session, lab, lang)
        return replies if outcome.ok else _say(t(lang, "lab_not_yet", detail=outcome.text(t, lang)), ok=False)

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
        await self.sessions.event(ctx.key, lab.id, session.step + 1, "hint", self.now())
        return _say(t(lang, "lab_hint", n=session.hints, of=len(hints), hint=text(hints[session.hints - 1], lang)))

    async def cmd_skip(self, ctx: Context, lang: str, rest: str):
        active = await self._active(ctx)
        if active is None:
            return _say(t(lang, "lab_none_active"), ok=False)
        session, lab = active
        skipped = _say(t(lang, "lab_skipped", step=session.step + 1))
        await self.sessions.event(ctx.key, lab.id, session.step + 1, "skip", self.now())
        session.skipped.append(session.step + 1)
        if session.step + 1 >= len(lab.steps):
            await self._end(ctx, session, lab, "skipped")
            return [skipped, _say(t(lang, "lab_ended_skipped", title=text(lab.title, lang)))]
        async with self._sandbox(ctx) as sb:
            base = checks.baseline(sb.cluster)
        self._next_step(session, base)
        await self.sessions.save(session)
        return [skipped, _say(self._step_text(lab, session.step, lang))]

    async def cmd_stop(self, ctx: Context, lang: str, rest: str) -> Reply:
        active = await self._active(ctx)
        if active is None:
            return _say(t(lang, "lab_none_active"), ok=False)
        await self.sessions.event(ctx.key, active[1].id, active[0].step + 1, "stop", self.now())
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
        output = "\n".join(r.text for r in replies if r.code)
        ok = all(r.ok for r in replies)
        try:
            return (await self._check(ctx, *active, lang_of(self.router, ctx.msg), (output, ok)))[1]
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

    async def _check(self, ctx: Context, session: Session, lab: Lab, lang: str,
                     ran: tuple[str, bool] | None = None) -> tuple[checks.Outcome, list[Reply] | None]:
        """Log what the student just ran (`ran`: its output and success), judge the current step,
        and on success record it and move on (with replies to say so)."""
        step = lab.steps[session.step]
        async with self._sandbox(ctx) as sb:
            line = command_line(ctx, sb.meta.get("aliases") or {}) if ran else None
            if line is not None:
                evidence.append(session.log, evidence.entry(session.step, line, ran[1], ran[0]))
            outcome = checks.evaluate(step.check, sb.cluster, evidence_of(session))
            base = checks.baseline(sb.cluster) if outcome.ok else []
        if not outcome.ok:
            if line is not None:
                await self.sessions.save(session)
            return outcome, None
        number = session.step + 1
        last = number == len(lab.steps)
        await self.sessions.event(ctx.key, lab.id, number, "pass", self.now())
        await self._record(ctx, lab, number, last and not session.skipped)
        replies = [_say(t(lang, "lab_passed", step=number, of=len(lab.steps), learned=text(step.learned, lang)))]
        if step.map and (pictures := self.router.services.get("map")) is not None:
            async with self._sandbox(ctx) as sb:
                view, first = pictures.take(sb.meta, sb.cluster)
            replies.append(await pictures.picture_reply(view, first, lang))
        if last and session.skipped:
            await self._end(ctx, session, lab, "skipped")
            replies.append(_say(t(lang, "lab_finished_skipped", number=lab.number, title=text(lab.title, lang),
                                  steps=", ".join(map(str, session.skipped))) + "\n"
                                + await self._suggestion(ctx, lang)))
        elif last:
            await self._end(ctx, session, lab, "completed")
            replies.append(_say(t(lang, "lab_finished", number=lab.number, title=text(lab.title, lang)) + "\n"
                                + await self._suggestion(ctx, lang)))
        else:
            self._next_step(session, base)
            await self.sessions.save(session)
            replies.append(_say(self._step_text(lab, session.step, lang)))
        return outcome, replies

    async def _end(self, ctx: Context, session: Session, lab: Lab, status: str) -> None:
        await self.sessions.event(ctx.key, lab.id, session.step + 1, status, self.now())
        await self.sessions.finish(ctx.key, lab.id, self.now(), status)

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
