"""Quizzes: a YAML question bank, FSRS spaced repetition per student, and channel quizzes.

Services: router.services["quiz"] (QuizService) and router.services["scheduler"] (ChannelQuizzes,
whose `start(poster)` the Discord adapter calls in setup_hook). Needs bot.choices loaded first.
"""
from __future__ import annotations

import os

__all__ = ["setup"]


async def setup(router) -> None:
    from bot import choices as choices_ext
    from bot.quiz.bank import load_bank
    from bot.quiz.channel import ChannelQuizzes
    from bot.quiz.commands import QuizCommands
    from bot.quiz.personal import QuizService

    from bot.quiz.srs import course_days_from
    quiz = QuizService(router, load_bank, course_days=course_days_from(os.environ))
    channels = ChannelQuizzes(quiz)
    router.services["quiz"] = quiz
    router.services["scheduler"] = channels
    choices = choices_ext.setup(router)            # idempotent: shares the one Choices service
    choices.on("quiz", quiz.answer)
    choices.on("cq", channels.answer)
    await quiz.restore_offers()
    commands = QuizCommands(quiz, channels)
    router.command("quiz", summary="a quiz question for you (!quiz topics, !quiz <topic>)",
                   uses_sandbox=False)(commands.quiz_command)
