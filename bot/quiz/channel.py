"""Channel quizzes: an instructor's schedule posts a question to a channel; every student may
answer once with the buttons; when the timer runs out the answer, the explanation, how many got
it right and the points (faster correct answers earn more) are revealed.

Everything lives in tables (schedules, posts, answers), so a restart re-arms open questions:
`tick(now)` fires whatever is due, whether it came due a second ago or while the bot was down.
`tick` is deterministic and the tests drive it with a fake clock; `start(poster)` runs it in
the background for the Discord adapter, sleeping until the next due time.
"""
from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from typing import NamedTuple, Protocol

from bot.i18n import DEFAULT_LANG, lang_of, t
from bot.quiz import present
from bot.quiz.personal import QuizService
from bot.quiz.tables import insert_with_id
from bot.quiz.timing import next_daily, parse_hhmm
from bot.reply import Reply
from bot.router import Context

log = logging.getLogger(__name__)

DEFAULT_TIMER = 60.0             # seconds from post to reveal
MIN_INTERVAL = 60.0
POLL_SECONDS = 30.0              # the longest the background loop sleeps (new schedules wake it at once)
BASE_POINTS = 10                 # a correct answer at the last second
SPEED_POINTS = 10                # extra for an instant one, shrinking linearly over the timer
RANKED = 5                       # names shown on a reveal


class Poster(Protocol):
    async def post(self, channel_id: str, reply: Reply, *, server: str | None = None) -> bool: ...


class Post(NamedTuple):
    """A reply due in a channel of one server (the poster refuses a channel of another server)."""
    server: str
    channel: str
    reply: Reply


@dataclass(frozen=True)
class Schedule:
    id: int
    server: str
    channel: str
    every: float | None          # seconds, or None for a daily schedule
    daily: str | None            # "HH:MM" KST
    topic: str | None
    timer: float
    next_at: float

    def following(self, now: float) -> float:
        """The first run strictly after `now`, keeping an interval's phase (missed runs are skipped)."""
        if self.daily:
            return next_daily(*parse_hhmm(self.daily), after=now)
        skipped = int((now - self.next_at) // self.every) + 1
        return self.next_at + max(skipped, 1) * self.every


def speed_points(elapsed: float, timer: float) -> int:
    left = max(0.0, 1.0 - elapsed / timer) if timer > 0 else 0.0
    return BASE_POINTS + round(SPEED_POINTS * left)


_SCHEDULE_COLUMNS = "id, server, channel, every_seconds, daily, topic, timer_seconds, next_at"


class ChannelQuizzes:
    """router.services["scheduler"]."""

    def __init__(self, quiz: QuizService, timer: float = DEFAULT_TIMER):
        self.quiz = quiz
        self.store = quiz.store
        self.timer = timer
        # `!quiz tick 10m` moves one server's quiz clock forward (the console has no background loop)
        self.offsets: dict[str, float] = {}
        self._task: asyncio.Task | None = None
        self._wake = asyncio.Event()

    def now(self, server: str | None = None) -> float:
        return self.quiz.now() + (self.offsets.get(server, 0.0) if server is not None else 0.0)

    # -- schedules -------------------------------------------------------------------------------

    async def add(self, server: str, channel: str, *, every: float | None = None, daily: str | None = None,
                  topic: str | None = None, timer: float | None = None, created_by: str = "") -> Schedule:
        now = self.now(server)
        timer = timer or self.timer
        first = next_daily(*parse_hhmm(daily), after=now) if daily else now + every
        schedule_id = await insert_with_id(self.store, "quiz_schedules", {
            "server": server, "channel": channel, "every_seconds": every, "daily": daily, "topic": topic,
            "timer_seconds": timer, "next_at": first, "created_by": created_by})
        self._wake.set()
        return Schedule(schedule_id, server, channel, every, daily, topic, timer, first)

    async def schedules(self, server: str) -> list[Schedule]:
        rows = await self.store.fetchall(
            f"SELECT {_SCHEDULE_COLUMNS} FROM quiz_schedules WHERE server = ? ORDER BY id", (server,))
        return [Schedule(*row) for row in rows]

    async def remove(self, server: str, schedule_id: int) -> bool:
        return await self.store.execute("DELETE FROM quiz_schedules WHERE server = ? AND id = ?",
                                        (server, schedule_id)) > 0

    # -- the clock -------------------------------------------------------------------------------

    async def tick(self, now: float | None = None, *, server: str | None = None) -> list[Post]:
        """Fire every reveal and every schedule due at `now`; return what to post where.
        With `server`, only that server's (`!quiz tick` in one server never fires another's)."""
        now = self.now(server) if now is None else now
        only = "" if server is None else " AND server = ?"
        scope: tuple = () if server is None else (server,)
        out: list[Post] = []
        for post_id, post_server, channel in await self.store.fetchall(
                "SELECT id, server, channel FROM quiz_posts WHERE revealed = 0 AND reveal_at <= ?" + only +
                " ORDER BY reveal_at, id", (now, *scope)):
            reply = await self._reveal(post_id)
            if reply is not None:
                out.append(Post(post_server, channel, reply))
        due = await self.store.fetchall(
            f"SELECT {_SCHEDULE_COLUMNS} FROM quiz_schedules WHERE next_at <= ?{only} ORDER BY next_at, id",
            (now, *scope))
        for schedule in map(lambda row: Schedule(*row), due):
            # Claim the firing: only the process whose update moves next_at on posts it, so
            # several shard processes sharing one database post each schedule exactly once.
            claimed = await self.store.execute(
                "UPDATE quiz_schedules SET next_at = ? WHERE id = ? AND next_at = ?",
                (schedule.following(now), schedule.id, schedule.next_at))
            if claimed != 1:
                continue
            reply = await self.post(schedule.server, schedule.channel, schedule.topic, schedule.timer, now,
                                    schedule.id)
            if reply is not None:
                out.append(Post(schedule.server, schedule.channel, reply))
        return out

    async def next_due(self) -> float | None:
        row = await self.store.fetchone(
            "SELECT MIN(t) FROM (SELECT MIN(reveal_at) AS t FROM quiz_posts WHERE revealed = 0 "
            "UNION ALL SELECT MIN(next_at) FROM quiz_schedules) AS due")
        return row[0] if row else None

    async def start(self, poster: Poster) -> None:
        """Run `tick` in the background and hand every post to `poster` (the Discord adapter)."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(poster), name="quiz-scheduler")

    async def _run(self, poster: Poster) -> None:
        while True:
            try:
                for post in await self.tick():
                    try:
                        await poster.post(post.channel, post.reply, server=post.server)
                    except Exception:
                        log.exception("could not post a quiz to channel %s", post.channel)
                due = await self.next_due()
            except Exception:
                log.exception("quiz scheduler tick failed")
                due = None
            wait = POLL_SECONDS if due is None else min(POLL_SECONDS, max(0.2, due - self.now()))
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=wait)
            except asyncio.TimeoutError:
                pass

    async def aclose(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None

    # -- posting and answering -------------------------------------------------------------------

    async def post(self, server: str, channel: str, topic: str | None, timer: float, now: float,
                   schedule_id: int | None = None) -> Reply | None:
        question = await self._choose(server, channel, topic)
        if question is None:
            return None
        lang = self._server_lang(server)
        layout = present.make_layout(question, self.quiz.rng)
        post_id = await insert_with_id(self.store, "quiz_posts", {
            "server": server, "channel": channel, "schedule_id": schedule_id, "question_id": question.id,
            "layout": json.dumps(layout), "lang": lang, "posted_at": now, "reveal_at": now + timer})
        heading = t(lang, "cq_heading")
        text = present.question_text(self.quiz.bank, question, layout, lang, heading)
        text += "\n" + t(lang, "cq_footer", seconds=round(timer), answer_key=f"cq:{post_id}")
        return Reply(text, code=False, choices=present.choice_labels(question, layout, lang),
                     choice_key=f"cq:{post_id}")

    async def _choose(self, server: str, channel: str, topic: str | None):
        """A button question from the topic, never posted in this channel or posted longest ago."""
        pool = [q for q in self.quiz.bank.questions.values() if q.has_choices and topic in (None, q.section)]
        if not pool:
            return None
        last = dict(await self.store.fetchall(
            "SELECT question_id, MAX(posted_at) FROM quiz_posts WHERE server = ? AND channel = ? "
            "GROUP BY question_id", (server, channel)))
        oldest = min(last.get(q.id, float("-inf")) for q in pool)
        return self.quiz.rng.choice([q for q in pool if last.get(q.id, float("-inf")) == oldest])

    async def answer(self, ctx: Context, key: str, text: str) -> Reply:
        """`!answer cq:ID N`: one answer per student, graded now, revealed with everyone's."""
        lang = lang_of(self.quiz.router, ctx.msg)
        post_id = key.partition(":")[2]
        row = None
        if post_id.isdigit():
            row = await self.store.fetchone(
                "SELECT server, question_id, layout, posted_at, reveal_at, revealed FROM quiz_posts WHERE id = ?",
                (int(post_id),))
        now = self.now(ctx.msg.server)
        if row is None or row[0] != ctx.msg.server or row[1] not in self.quiz.bank.questions:
            return Reply(t(lang, "quiz_not_open"), code=False, ok=False)
        _, question_id, layout_json, posted_at, reveal_at, revealed = row
        if revealed or now >= reveal_at:
            return Reply(t(lang, "cq_closed"), code=False, ok=False)
        if await self.store.fetchone("SELECT 1 FROM quiz_post_answers WHERE post_id = ? AND user_id = ?",
                                     (int(post_id), ctx.msg.user)):
            return Reply(t(lang, "cq_already"), code=False, ok=False)
        question, layout = self.quiz.bank.questions[question_id], json.loads(layout_json)
        number = present.read_choice(question, layout, text)
        if number is None:
            return Reply(t(lang, "quiz_unreadable", answer=text[:80]), code=False, ok=False)
        correct = present.grade_button(question, layout, number)
        points = speed_points(now - posted_at, reveal_at - posted_at) if correct else 0
        await self.store.execute(
            "INSERT INTO quiz_post_answers (post_id, user_id, user_name, correct, points, answered_at, choice) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)", (int(post_id), ctx.msg.user, ctx.msg.display, int(correct), points, now,
                                             present.chosen(question, layout, number)))
        return Reply(t(lang, "cq_recorded", seconds=max(1, round(reveal_at - now))), code=False)

    async def _reveal(self, post_id: int) -> Reply | None:
        if await self.store.execute("UPDATE quiz_posts SET revealed = 1 WHERE id = ? AND revealed = 0",
                                    (post_id,)) != 1:
            return None                               # another process revealed it
        row = await self.store.fetchone(
            "SELECT server, question_id, layout, lang FROM quiz_posts WHERE id = ?", (post_id,))
        server, question_id, layout_json, lang = row
        question = self.quiz.bank.questions.get(question_id)
        if question is None:                          # the bank changed while it was open
            return None
        answers = await self.store.fetchall(
            "SELECT user_id, user_name, correct, points, answered_at, posted_at, choice FROM quiz_post_answers "
            "JOIN quiz_posts ON quiz_posts.id = quiz_post_answers.post_id WHERE post_id = ? "
            "ORDER BY points DESC, answered_at", (post_id,))
        for user, _, correct, points, answered_at, posted_at, choice in answers:
            await self.quiz.learn(server, user, question, bool(correct), points=points, source="channel",
                                  at=answered_at, seconds=answered_at - posted_at, choice=choice)
        layout = json.loads(layout_json)
        right = sum(1 for a in answers if a[2])
        lines = [t(lang, "cq_reveal", answer=present.right_answer_text(question, layout, lang)),
                 f"💡 {question.explain(lang)}",
                 t(lang, "cq_tally", right=right, total=len(answers))]
        winners = [f"{n}. {name} +{points}" for n, (_, name, correct, points, *_) in
                   enumerate((a for a in answers if a[2]), 1) if n <= RANKED]
        if winners:
            lines.append("🏆 " + " · ".join(winners))
        return Reply("\n".join(lines), code=False)

    def _server_lang(self, server: str) -> str:
        prefs = self.quiz.router.services.get("prefs")
        return prefs.server_lang(server) if prefs is not None else DEFAULT_LANG
