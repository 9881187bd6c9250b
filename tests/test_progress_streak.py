"""The forgiving streak."""
from __future__ import annotations

from datetime import date, timedelta

from bot.progress.streak import Streak, streak

TODAY = date(2024, 3, 20)


def days(*ago: int) -> set[date]:
    return {TODAY - timedelta(days=n) for n in ago}


def test_consecutive_days_count():
    assert streak(days(0, 1, 2), TODAY) == Streak(3, 0, True)


def test_today_not_yet_practised_does_not_break_it():
    assert streak(days(1, 2, 3), TODAY) == Streak(3, 0, False)


def test_one_missed_day_is_forgiven():
    assert streak(days(0, 1, 3, 4), TODAY) == Streak(4, 1, True)


def test_two_missed_days_in_a_row_break_it():
    assert streak(days(0, 3, 4), TODAY) == Streak(1, 0, True)


def test_only_one_forgiven_day_per_week():
    """Missing day 1 and day 3 (two days apart): the second miss ends the streak."""
    assert streak(days(0, 2, 4, 5), TODAY) == Streak(2, 1, True)


def test_a_week_later_another_day_is_forgiven():
    active = days(0, 1, *range(3, 11), *range(12, 15))          # misses on day 2 and day 11
    assert streak(active, TODAY) == Streak(len(active), 2, True)


def test_no_practice_no_streak():
    assert streak(set(), TODAY) == Streak(0, 0, False)
    assert streak(days(5), TODAY) == Streak(0, 0, False)
