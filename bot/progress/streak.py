"""A forgiving study streak: consecutive days with practice, where one missed day in any seven
is forgiven (a weekend trip should not wipe out a month of work). Today never breaks a streak:
it is not over yet."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

GRACE_EVERY_DAYS = 7


@dataclass(frozen=True)
class Streak:
    days: int                    # active days in the streak
    forgiven: int                # missed days forgiven inside it
    today: bool                  # already practised today


def streak(active: set[date], today: date, grace_every: int = GRACE_EVERY_DAYS) -> Streak:
    day = today if today in active else today - timedelta(days=1)
    count, forgiven = 0, []
    while True:
        if day in active:
            count += 1
            day -= timedelta(days=1)
            continue
        before = day - timedelta(days=1)
        grace_free = not forgiven or (forgiven[-1] - day).days >= grace_every
        if before in active and grace_free:
            forgiven.append(day)
            day = before
            continue
        break
    if count == 0:
        return Streak(0, 0, False)
    return Streak(count, len(forgiven), today in active)
