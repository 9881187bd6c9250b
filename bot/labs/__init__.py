"""Auto-checked labs in course order: `!lab`, and a check of the current step after every command.

Labs are content (content/labs/*.yaml, see bot/labs/catalogue.py); checks judge the sandbox's state
and the lab's command log (bot/labs/checks.py, bot/labs/evidence.py); sessions, with that log, are
kept per (server, user) and every start, hint, skip and end is recorded (bot/labs/sessions.py) for
the class's lab funnel (bot/labs/funnel.py). Finished steps are reported to bot/progress, and steps
marked `map: true` show the cluster's picture (bot/map), when those features are loaded.
"""
from __future__ import annotations

from bot.labs.sessions import Sessions  # noqa: F401

__all__ = ["setup"]


def setup(router) -> None:
    from bot.labs.catalogue import course
    from bot.labs.commands import LabCommands

    from bot import choices

    labs = LabCommands(router, course, Sessions(router.services["store"]))     # the course is read at first use
    choices.setup(router).on("lab", labs.answer_offer)
    router.services["labs"] = labs
    router.command("lab", summary="auto-checked labs: !lab list, !lab start N, !lab hint, !lab check")(labs.lab)
    router.observers.append(labs.observe)
