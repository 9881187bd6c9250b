"""Bounds the engine checks on itself, before the work gets expensive.

The worker pool (engine/workers.py) enforces every command's budget from outside; code that can
tell early that a command will not fit (a template that would print gigabytes, a loop with
millions of steps) raises OverBudget instead, and the student gets the same one sentence.
"""
from __future__ import annotations

REPLY_BYTES = 1_000_000        # the largest reply a command may produce
STEPS = 2_000_000              # evaluation steps a template may take (~1 s of work)


class OverBudget(Exception):
    """The command would exceed its budget: `reason` is "time" or "output"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Meter:
    """Counts a loop's steps and output characters against the bounds above."""

    __slots__ = ("steps", "chars")

    def __init__(self) -> None:
        self.steps = 0
        self.chars = 0

    def step(self, n: int = 1) -> None:
        self.steps += n
        if self.steps > STEPS:
            raise OverBudget("time")

    def wrote(self, n: int) -> None:
        self.chars += n
        if self.chars > REPLY_BYTES:
            raise OverBudget("output")
