"""The class's lab funnel, from the recorded lab events (bot/labs/sessions.py): for each lab and
step, how many students reached it, passed it, asked hints and skipped it, and how many finished."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StepRow:
    reached: int        # students who got to this step
    passed: int
    hints: int          # hints shown (all students)
    skips: int


@dataclass(frozen=True)
class LabRow:
    lab_id: str
    number: int
    steps: tuple[StepRow, ...]
    completed: int
    skipped: int

    @property
    def stuck_at(self) -> int | None:
        """The 1-based step that loses the most students (reached but not passed), if any."""
        losses = [s.reached - s.passed for s in self.steps]
        return losses.index(max(losses)) + 1 if losses and max(losses) > 0 else None


def funnel(events: list[tuple[str, str, int, str]], labs) -> list[LabRow]:
    """`events` as Sessions.events gives them; `labs` the course. Labs nobody started are left out."""
    rows = []
    for lab in labs:
        mine = [e for e in events if e[1] == lab.id]
        if not mine:
            continue
        def users(step: int, kinds: tuple[str, ...]) -> int:
            return len({u for u, _, s, k in mine if s == step and k in kinds})
        steps = []
        for step in range(1, len(lab.steps) + 1):
            reached = len({u for u, _, s, k in mine if (s == step and k == "start") or (s == step - 1 and k in ("pass", "skip"))}
                          | {u for u, _, s, k in mine if s == step and k in ("hint", "pass", "skip")})
            steps.append(StepRow(reached, users(step, ("pass",)),
                                 sum(1 for _, _, s, k in mine if s == step and k == "hint"), users(step, ("skip",))))
        rows.append(LabRow(lab.id, lab.number, tuple(steps), len({u for u, _, _, k in mine if k == "completed"}),
                           len({u for u, _, _, k in mine if k == "skipped"})))
    return rows
