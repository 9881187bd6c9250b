"""Durations and wall-clock days for the teaching features.

The course runs in Korea, so days, weeks and `daily HH:MM` schedules are in KST (UTC+9, no
daylight saving, hence a fixed offset rather than a tz database).
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

KST = timezone(timedelta(hours=9), "KST")
_PART = re.compile(r"(\d+)\s*(d|h|m|s|일|시간|분|초)?")
_SECONDS = {"d": 86_400, "일": 86_400, "h": 3600, "시간": 3600, "m": 60, "분": 60, "s": 1, "초": 1, None: 1}
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def parse_duration(text: str) -> float | None:
    """`90s`, `10m`, `1h30m`, `2h`, `1d` (a bare number is seconds); None if it is not a duration."""
    text = text.strip().lower()
    if not text or _PART.sub("", text).strip():
        return None
    return float(sum(int(n) * _SECONDS[unit or None] for n, unit in _PART.findall(text)))


def parse_hhmm(text: str) -> tuple[int, int] | None:
    match = _HHMM.match(text.strip())
    return (int(match[1]), int(match[2])) if match else None


def next_daily(hour: int, minute: int, after: float) -> float:
    """The first HH:MM (KST) strictly after `after`."""
    now = datetime.fromtimestamp(after, KST)
    at = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if at.timestamp() <= after:
        at += timedelta(days=1)
    return at.timestamp()


def day_of(ts: float) -> date:
    return datetime.fromtimestamp(ts, KST).date()


def week_start(ts: float) -> float:
    """Monday 00:00 KST of the week containing `ts`."""
    now = datetime.fromtimestamp(ts, KST)
    monday = (now - timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    return monday.timestamp()


def clock_text(ts: float) -> str:
    return datetime.fromtimestamp(ts, KST).strftime("%m-%d %H:%M")


def human_duration(seconds: float, lang: str) -> str:
    """A short, rounded duration: 45초 / 10분 / 2시간 / 6일 (45 s / 10 min / 2 h / 6 days)."""
    seconds = max(0, round(seconds))
    for size, ko, en in ((86_400, "일", " days"), (3600, "시간", " h"), (60, "분", " min"), (1, "초", " s")):
        if seconds >= size or size == 1:
            n = round(seconds / size)
            if lang == "en":
                return f"{n}{' day' if en == ' days' and n == 1 else en}"
            return f"{n}{ko}"
    raise AssertionError("unreachable")


def human_interval(seconds: float) -> str:
    """A schedule's interval in its own units (`1h30m`), as an instructor would type it."""
    seconds = int(seconds)
    parts = []
    for size, unit in ((86_400, "d"), (3600, "h"), (60, "m"), (1, "s")):
        if seconds >= size:
            parts.append(f"{seconds // size}{unit}")
            seconds %= size
    return "".join(parts) or "0s"
