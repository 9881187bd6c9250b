"""Auto-checked labs in course order: `!lab`, and a check of the current step after every command.

Labs are content (content/labs/*.yaml, see bot/labs/catalogue.py); checks read the sandbox's state
(bot/labs/checks.py); sessions are kept per (server, user) (bot/labs/sessions.py). Finished steps are
reported to bot/progress when that feature is loaded.
"""
from __future__ import annotations

from bot.labs.sessions import Sessions  # noqa: F401

__all__ = ["setup"]


def setup(router) -> None:
    from bot.labs.catalogue import course
    from bot.labs.commands import LabCommands

    labs = LabCommands(router, course, Sessions(router.services["store"]))
    router.services["labs"] = labs
    router.command("lab", summary="auto-checked labs: !lab list, !lab start N, !lab hint, !lab check")(labs.lab)
    router.observers.append(labs.observe)
