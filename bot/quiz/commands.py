"""`!quiz` and its subcommands. Students: `!quiz [topic]`, `!quiz topics`. Instructors:
`!quiz schedule #channel|here <interval|daily HH:MM> [topic] [--timer 60s]`, `!quiz schedules`,
`!quiz unschedule ID`, `!quiz stats [topic]` (per-question statistics: the hardest questions,
the wrong answer chosen most, a CSV and a chart), and `!quiz tick [duration]` (fire what is due, optionally after moving the
quiz clock forward — how the console, which has no background loop, sees channel quizzes)."""
from __future__ import annotations

import asyncio
import re

from bot.i18n import lang_of, t
from bot.quiz import stats as quiz_stats
from bot.quiz.channel import MIN_INTERVAL, ChannelQuizzes
from bot.quiz.deck import mastery
from bot.quiz.personal import QuizService
from bot.quiz.timing import clock_text, human_interval, parse_duration, parse_hhmm
from bot.reply import Attachment, Reply
from bot.router import Context
from bot.tables import tabulate

_MENTION = re.compile(r"^<#(\d+)>$")
_TIMER = re.compile(r"^(?:--timer|timer)(?:=(.+))?$")


def parse_channel(token: str) -> str:
    """`<#123>` -> `123`; `#general` -> `general`; anything else as given."""
    match = _MENTION.match(token)
    return match[1] if match else token.lstrip("#")


def _channel_text(channel: str) -> str:
    return f"<#{channel}>" if channel.isdigit() else f"#{channel}"


class QuizCommands:
    def __init__(self, quiz: QuizService, channels: ChannelQuizzes):
        self.quiz = quiz
        self.channels = channels

    async def quiz_command(self, ctx: Context, args: str):
        word, _, rest = args.strip().partition(" ")
        sub = word.lower()
        instructor_only = {"schedule": self.schedule, "schedules": self.list_schedules,
                           "unschedule": self.unschedule, "tick": self.tick, "stats": self.stats}
        if sub in instructor_only:
            if not ctx.msg.is_instructor:
                return Reply(t(lang_of(ctx.router, ctx.msg), "instructor_only"), code=False, ok=False)
            return await instructor_only[sub](ctx, rest.strip())
        if sub in ("topics", "topic", "주제"):
            return await self.topics(ctx)
        if sub in ("help", "도움말"):
            return Reply(t(lang_of(ctx.router, ctx.msg), "quiz_help"), code=False)
        return await self.quiz.ask(ctx, args.strip())

    async def topics(self, ctx: Context) -> Reply:
        lang = lang_of(ctx.router, ctx.msg)
        bank = self.quiz.bank
        known = mastery(bank, await self.quiz.deck.cards(*ctx.key), self.quiz.now())
        rows = [(s.id, s.title(lang), len(bank.in_section(s.id)), f"{round(known[s.id] * 100)}%")
                for s in bank.sections]
        headers = [t(lang, "quiz_col_topic"), t(lang, "quiz_col_title"), t(lang, "quiz_col_questions"),
                   t(lang, "quiz_col_mastery")]
        table = tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True)
        return Reply(t(lang, "quiz_topics_intro") + "\n```\n" + table + "\n```", code=False)

    # -- instructor: per-question statistics -----------------------------------------------------

    async def stats(self, ctx: Context, args: str) -> Reply:
        from bot.progress.charts import question_stats_png
        lang = lang_of(ctx.router, ctx.msg)
        section = None
        if args:
            found = self.quiz.bank.find_topic(args)
            if found is None:
                return Reply(t(lang, "quiz_unknown_topic", topic=args), code=False, ok=False)
            section = found.id
        collected = await quiz_stats.collect(self.quiz.store, self.quiz.bank, ctx.msg.server, section)
        worst = quiz_stats.hardest(collected)
        if not worst:
            return Reply(t(lang, "quiz_stats_empty"), code=False)
        rows = []
        for s in worst:
            top = s.top_wrong()
            wrong = f"{quiz_stats.choice_text(s.question, top[0], lang)[:40]} ({top[1]})" if top else "-"
            rows.append((s.question.id, s.answers, len(s.students), f"{round(s.rate * 100)}%", wrong))
        headers = [t(lang, "quiz_stats_col_question"), t(lang, "quiz_stats_col_answers"),
                   t(lang, "quiz_stats_col_students"), t(lang, "quiz_stats_col_correct"),
                   t(lang, "quiz_stats_col_wrong")]
        table = tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True)
        answered = sum(1 for s in collected if s.answers)
        text = t(lang, "quiz_stats_title", answered=answered, total=len(collected)) + "\n```\n" + table + "\n```"
        files = (Attachment("quiz-stats.csv", quiz_stats.stats_csv(collected, lang)),
                 Attachment("quiz-stats.png", await asyncio.to_thread(question_stats_png, worst, lang)))
        return Reply(text, code=False, files=files)

    # -- instructor: channel schedules -----------------------------------------------------------

    async def schedule(self, ctx: Context, args: str) -> Reply:
        lang = lang_of(ctx.router, ctx.msg)
        usage = Reply(t(lang, "cq_usage"), code=False, ok=False)
        words = args.split()
        timer = None
        for i, word in enumerate(words):
            match = _TIMER.match(word)
            if match:
                value = match[1] if match[1] else (words[i + 1] if i + 1 < len(words) else "")
                timer = parse_duration(value)
                del words[i:i + (1 if match[1] else 2)]
                if not timer:
                    return usage
                break
        if len(words) < 2:
            return usage
        channel, when, rest = parse_channel(words[0]), words[1].lower(), words[2:]
        if channel.lower() in ("here", "여기"):
            channel = ctx.msg.channel
        if ctx.msg.channel.isdigit() and not channel.isdigit():
            # From Discord, a name that is not a mention cannot be posted to (the poster needs an id).
            return Reply(t(lang, "cq_channel_mention", channel=channel), code=False, ok=False)
        directory = ctx.router.services.get("channels")     # the Discord front-end's: which server owns an id
        if directory is not None and not directory.belongs(ctx.msg.server, channel):
            return Reply(t(lang, "cq_channel_elsewhere", channel=_channel_text(channel)), code=False, ok=False)
        settings = ctx.router.services.get("settings")
        allowed = settings.get(ctx.msg.server, "quiz_channels") if settings is not None else None
        if allowed and channel not in allowed:          # `!config set quiz_channels #a #b`
            return Reply(t(lang, "cq_channel_not_allowed", channel=_channel_text(channel),
                           allowed=" ".join(map(_channel_text, allowed))), code=False, ok=False)
        every = daily = None
        if when in ("daily", "매일"):
            if not rest or parse_hhmm(rest[0]) is None:
                return usage
            daily, rest = rest[0], rest[1:]
            if len(daily) == 4:
                daily = "0" + daily
        else:
            every = parse_duration(when)
            if every is None:
                return usage
            if every < max(MIN_INTERVAL, (timer or self.channels.timer) + 1):
                return Reply(t(lang, "cq_too_often", minimum=round(max(MIN_INTERVAL, (timer or self.channels.timer) + 1))),
                             code=False, ok=False)
        topic = None
        if rest:
            section = self.quiz.bank.find_topic(" ".join(rest))
            if section is None:
                return Reply(t(lang, "quiz_unknown_topic", topic=" ".join(rest)), code=False, ok=False)
            topic = section.id
        made = await self.channels.add(ctx.msg.server, channel, every=every, daily=daily, topic=topic,
                                       timer=timer, created_by=ctx.msg.user)
        return Reply(t(lang, "cq_scheduled", id=made.id, channel=_channel_text(channel), when=self._when(made, lang),
                       topic=made.topic or t(lang, "cq_all_topics"), next=clock_text(made.next_at),
                       seconds=round(made.timer)), code=False)

    @staticmethod
    def _when(schedule, lang: str) -> str:
        if schedule.daily:
            return t(lang, "cq_daily", time=schedule.daily)
        return t(lang, "cq_every", interval=human_interval(schedule.every))

    async def list_schedules(self, ctx: Context, args: str) -> Reply:
        lang = lang_of(ctx.router, ctx.msg)
        found = await self.channels.schedules(ctx.msg.server)
        if not found:
            return Reply(t(lang, "cq_none"), code=False)
        lines = [t(lang, "cq_list_title")]
        lines += [t(lang, "cq_list_row", id=s.id, channel=_channel_text(s.channel), when=self._when(s, lang),
                    topic=s.topic or t(lang, "cq_all_topics"), seconds=round(s.timer), next=clock_text(s.next_at))
                  for s in found]
        return Reply("\n".join(lines), code=False)

    async def unschedule(self, ctx: Context, args: str) -> Reply:
        lang = lang_of(ctx.router, ctx.msg)
        word = args.strip().lstrip("#")
        if not word.isdigit() or not await self.channels.remove(ctx.msg.server, int(word)):
            return Reply(t(lang, "cq_no_such", id=args.strip()), code=False, ok=False)
        return Reply(t(lang, "cq_unscheduled", id=int(word)), code=False)

    async def tick(self, ctx: Context, args: str):
        lang = lang_of(ctx.router, ctx.msg)
        if args:
            step = parse_duration(args)
            if step is None:
                return Reply(t(lang, "cq_tick_usage"), code=False, ok=False)
            offsets = self.channels.offsets
            offsets[ctx.msg.server] = offsets.get(ctx.msg.server, 0.0) + step
        posts = await self.channels.tick(server=ctx.msg.server)
        if not posts:
            return Reply(t(lang, "cq_tick_nothing", now=clock_text(self.channels.now(ctx.msg.server))), code=False)
        choices = ctx.router.services.get("choices")
        replies = []
        for _, channel, reply in posts:
            shown = Reply(f"📣 {_channel_text(channel)}\n{reply.text}", code=False, choices=reply.choices,
                          choice_key=reply.choice_key)
            replies.append(choices.offer(ctx, shown) if choices and shown.choice_key else shown)
        return replies
