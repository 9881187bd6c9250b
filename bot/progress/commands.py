"""!progress, !leaderboard [week|all] and, for instructors, !class (a table plus class.csv)."""
from __future__ import annotations

import asyncio

from bot.i18n import lang_of, t
from bot.labs.funnel import funnel
from bot.progress import class_charts, reports     # charts (matplotlib) is imported at the first chart
from bot.progress.recorder import Progress
from bot.progress.streak import streak
from bot.quiz.timing import day_of, week_start
from bot.reply import Attachment, Reply
from bot.router import Context


class ProgressCommands:
    def __init__(self, progress: Progress):
        self.progress = progress

    async def standing(self, server: str, user: str, now: float) -> reports.Standing:
        activity = await self.progress.activity(server, user, week_start(now))
        quiz = self.progress.router.services.get("quiz")
        mastery, review = await quiz.standing(server, user) if quiz else ({}, None)
        return reports.Standing(activity, streak(set(activity.days), day_of(now)), mastery, review)

    async def show_progress(self, ctx: Context, args: str) -> Reply:
        lang = lang_of(ctx.router, ctx.msg)
        now = self.progress.now()
        quiz = ctx.router.services.get("quiz")
        if quiz is None:
            return Reply(t(lang, "progress_no_quiz"), code=False, ok=False)
        standing = await self.standing(*ctx.key, now)
        forecast = await quiz.forecast(*ctx.key)
        text = reports.progress_text(standing, quiz.bank, lang, now) + "\n" + reports.forecast_text(forecast, now, lang)
        titles = [s.title(lang) for s in quiz.bank.sections]
        # Rendering takes a few hundred ms: off the event loop, so other students are not kept waiting.
        # matplotlib is imported here, at the first chart, not at every start (it is most of a start).
        from bot.progress import charts
        png = await asyncio.to_thread(charts.progress_png, titles,
                                      [standing.mastery.get(s.id, 0.0) for s in quiz.bank.sections], forecast, now, lang)
        return Reply(text, files=(Attachment("progress.png", png),))

    async def leaderboard(self, ctx: Context, args: str) -> Reply:
        lang = lang_of(ctx.router, ctx.msg)
        mode = args.strip().lower() or "week"
        if mode not in ("week", "weekly", "주간", "all", "전체"):
            return Reply(t(lang, "leaderboard_usage"), code=False, ok=False)
        now = self.progress.now()
        server = ctx.msg.server
        activities = [await self.progress.activity(server, user, week_start(now))
                      for user in await self.progress.students(server)]
        return Reply(reports.leaderboard_text(activities, mode in ("week", "weekly", "주간"), ctx.msg.user, lang))

    async def show_class(self, ctx: Context, args: str) -> Reply:
        lang = lang_of(ctx.router, ctx.msg)
        now = self.progress.now()
        quiz = ctx.router.services.get("quiz")
        standings = [await self.standing(ctx.msg.server, user, now)
                     for user in await self.progress.students(ctx.msg.server)]
        if not standings:
            return Reply(t(lang, "class_empty"), code=False)
        text = t(lang, "class_title", count=len(standings)) + "\n" + reports.class_table(standings, lang)
        csv_bytes = reports.class_csv(standings, quiz.bank) if quiz else b""
        files = [Attachment("class.csv", csv_bytes)]
        if quiz:
            topics = [s.id for s in quiz.bank.sections]
            files.append(Attachment("class-heatmap.png", await asyncio.to_thread(
                class_charts.heatmap, [s.activity.name for s in standings], topics,
                [[s.mastery.get(topic, 0.0) for topic in topics] for s in standings], lang)))
        labs = ctx.router.services.get("labs")
        rows = funnel(await labs.sessions.events(ctx.msg.server), labs.labs) if labs else []
        if rows:
            files.append(Attachment("lab-funnel.png", await asyncio.to_thread(class_charts.lab_funnel, rows, lang)))
            stuck = [f"{r.number}.{r.stuck_at}" for r in rows if r.stuck_at]
            if stuck:
                text = t(lang, "class_stuck", labs=", ".join(stuck)) + "\n" + text
        return Reply(text, files=tuple(files))
