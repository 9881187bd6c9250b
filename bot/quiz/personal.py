"""The personal quiz: `!quiz [topic]` asks the next question a student should see, `!answer`
grades it, updates the FSRS card (bot/quiz/srs.py) and records the result with progress.

One open question per student, kept in `quiz_open`, so an answer after a restart still counts.
"""
from __future__ import annotations

import functools
import json
import random
import time
from typing import Callable

from bot.i18n import lang_of, t
from bot.quiz import present
from bot.quiz.bank import Bank, Question
from bot.quiz.deck import Deck, forecast, mastery, next_review, pick_next
from bot.quiz.srs import DEFAULT_COURSE_DAYS, Card, expected_seconds, is_early, rating, review
from bot.quiz.tables import insert_with_id
from bot.quiz.timing import human_duration
from bot.reply import Reply
from bot.router import Context, Router

POINTS = 10                      # a correct answer to a new or due question; practice ahead earns none


class QuizService:
    """router.services["quiz"]: the bank, every student's cards, and the personal quiz."""

    def __init__(self, router: Router, bank: Bank | Callable[[], Bank], rng: random.Random | None = None,
                 course_days: int = DEFAULT_COURSE_DAYS):
        self.router = router
        self._bank = bank
        self.default_course_days = course_days  # no review is put off longer (a server's !config wins)
        self.store = router.services["store"]
        self.deck = Deck(self.store)
        self.rng = rng or random.Random()

    @functools.cached_property
    def bank(self) -> Bank:
        """Read at first use: a console answering one `!k` line never parses the question bank."""
        return self._bank() if callable(self._bank) else self._bank

    def now(self) -> float:
        return (self.router.services.get("clock") or time.time)()

    def course_days(self, server: str) -> int:
        settings = self.router.services.get("settings")
        days = settings.get(server, "course_days") if settings is not None else None
        return days or self.default_course_days

    # -- asking ----------------------------------------------------------------------------------

    async def ask(self, ctx: Context, topic: str = "") -> Reply:
        lang = lang_of(self.router, ctx.msg)
        section = None
        if topic:
            found = self.bank.find_topic(topic)
            if found is None:
                return Reply(t(lang, "quiz_unknown_topic", topic=topic), code=False, ok=False)
            section = found.id
        server, user = ctx.key
        now = self.now()
        cards = await self.deck.cards(server, user)
        previous = await self.store.fetchone(
            "SELECT question_id FROM quiz_open WHERE server = ? AND user_id = ?", (server, user))
        pick = pick_next(self.bank, cards, now, self.rng, section, avoid=previous[0] if previous else None)
        if pick is None:
            return Reply(t(lang, "quiz_unknown_topic", topic=topic), code=False, ok=False)
        layout = present.make_layout(pick.question, self.rng)
        await self.store.execute("DELETE FROM quiz_open WHERE server = ? AND user_id = ?", (server, user))
        ask_id = await insert_with_id(self.store, "quiz_open", {
            "server": server, "user_id": user, "question_id": pick.question.id, "layout": json.dumps(layout),
            "asked_at": now, "scored": int(pick.reason != "ahead")})
        due = sum(1 for q in self.bank.questions.values()
                  if q.id in cards and cards[q.id].due <= now and section in (None, q.section))
        heading = t(lang, f"quiz_reason_{pick.reason}", due=due)
        reply = Reply(present.question_text(self.bank, pick.question, layout, lang, heading), code=False,
                      choices=present.choice_labels(pick.question, layout, lang), choice_key=f"quiz:{ask_id}")
        choices = self.router.services.get("choices")
        return choices.offer(ctx, reply) if choices else reply

    # -- answering -------------------------------------------------------------------------------

    async def answer(self, ctx: Context, key: str, text: str) -> Reply:
        lang = lang_of(self.router, ctx.msg)
        row = None
        ask_id = key.partition(":")[2]
        if ask_id.isdigit():
            row = await self.store.fetchone(
                "SELECT server, user_id, question_id, layout, scored, asked_at FROM quiz_open WHERE id = ?",
                (int(ask_id),))
        if row is None or row[2] not in self.bank.questions:
            return Reply(t(lang, "quiz_not_open"), code=False, ok=False)
        server, user, question_id, layout_json, scored, asked_at = row
        if (server, user) != ctx.key:
            return Reply(t(lang, "quiz_not_yours"), code=False, ok=False)
        question, layout = self.bank.questions[question_id], json.loads(layout_json)
        correct = present.grade(question, layout, text)
        if correct is None:
            return Reply(t(lang, "quiz_unreadable", answer=text[:80]), code=False, ok=False)
        await self.store.execute("DELETE FROM quiz_open WHERE id = ?", (int(ask_id),))
        points = POINTS if correct and scored else 0
        now = self.now()
        card = await self.learn(server, user, question, correct, points=points, source="personal", at=now,
                                seconds=now - asked_at, choice=present.chosen_text(question, layout, text))
        return Reply(self.feedback(question, layout, correct, points, lang, card), code=False)

    def feedback(self, question: Question, layout: dict, correct: bool, points: int, lang: str,
                 card: Card | None = None) -> str:
        if correct:
            lines = [t(lang, "quiz_right", points=f" +{points}" if points else "")]
            if not question.has_choices:
                lines.append(t(lang, "quiz_also_accepted", answer=present.right_answer_text(question, layout, lang)))
        else:
            lines = [t(lang, "quiz_wrong", answer=present.right_answer_text(question, layout, lang))]
        lines.append(f"💡 {question.explain(lang)}")
        if card is not None:
            lines.append(t(lang, "quiz_next", when=human_duration(card.due - self.now(), lang)))
        return "\n".join(lines)

    async def learn(self, server: str, user: str, question: Question, correct: bool, *, points: int,
                    source: str, at: float, seconds: float | None = None, choice: str = "") -> Card:
        """Update the student's card, log the answer and tell progress (if loaded) about it."""
        before = await self.deck.card(server, user, question.id)
        expected = expected_seconds(len(question.q("ko")), typed=not question.has_choices)
        grade = rating(correct, seconds, expected)
        card = review(before, grade, at, self.course_days(server))
        await self.deck.save(server, user, question.id, card)
        await self.store.execute(
            "INSERT INTO quiz_answer_log (server, user_id, question_id, at, correct, choice, seconds, rating, early, "
            "source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (server, user, question.id, at, int(correct), choice[:80], seconds, int(grade),
             int(is_early(before, at)), source))
        progress = self.router.services.get("progress")
        if progress is not None:
            await progress.record_quiz((server, user), question.id, question.section, correct,
                                       points=points, source=source, at=at)
        return card

    async def restore_offers(self) -> None:
        """After a restart, `!answer N` goes to the question each student still has open."""
        choices = self.router.services.get("choices")
        if choices is None:
            return
        for server, user, ask_id in await self.store.fetchall("SELECT server, user_id, id FROM quiz_open"):
            choices.latest.setdefault((server, user), f"quiz:{ask_id}")

    # -- what progress asks ----------------------------------------------------------------------

    async def standing(self, server: str, user: str):
        """(mastery per section 0..1, the next review or None) for one student."""
        cards = await self.deck.cards(server, user)
        now = self.now()
        return mastery(self.bank, cards, now), next_review(self.bank, cards, now)

    async def forecast(self, server: str, user: str, days: int = 7) -> list[int]:
        """Reviews due on each of the next `days` days, today (with anything overdue) first."""
        return forecast(self.bank, await self.deck.cards(server, user), self.now(), days)
