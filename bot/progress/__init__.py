"""Progress: quiz answers, lab steps and commands per student; !progress, !leaderboard, !class.

router.services["progress"] is a `Progress` (bot/progress/recorder.py). The lab engine reports
with `await record_lab(ctx, lab_id, step, completed=..., points=...)` (below) or, without a
Context, `await router.services["progress"].record_lab((server, user), lab_id, step, ...)`.
"""
from __future__ import annotations

from bot.progress.recorder import LAB_STEP_POINTS, Progress

__all__ = ["setup", "record_lab", "Progress", "LAB_STEP_POINTS"]


async def record_lab(ctx, lab_id: str, step, *, completed: bool = False, points: int = LAB_STEP_POINTS,
                     at: float | None = None) -> bool:
    """Record a checked lab step for the student of `ctx`; True if it was new."""
    progress: Progress = ctx.router.services["progress"]
    return await progress.record_lab(ctx, lab_id, step, completed=completed, points=points, at=at)


def setup(router) -> Progress:
    from bot.progress.commands import ProgressCommands

    progress = Progress(router, router.services["store"])
    router.services["progress"] = progress
    router.observers.append(progress.observe)
    commands = ProgressCommands(progress)
    router.command("progress", summary="your quiz mastery, labs, streak and what to review next",
                   uses_sandbox=False)(commands.show_progress)
    router.command("leaderboard", summary="this server's points: !leaderboard week|all",
                   uses_sandbox=False)(commands.leaderboard)
    router.command("class", instructor=True, summary="every student's progress as a table and class.csv",
                   uses_sandbox=False)(commands.show_class)
    return progress
