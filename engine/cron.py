"""Cron schedules as the 1.20 CronJob controller reads them: robfig/cron v1's ParseStandard.

Five fields (minute hour day-of-month month day-of-week) with `*`, `?`, `a-b`, `*/n`, `a-b/n`, `a/n`,
lists `a,b`, month and weekday names, and the descriptors (@yearly … @hourly, `@every 1h30m`). Times
are UTC (the controller-manager's container has no zone). Errors are worded as robfig's, which the
API server puts after `spec.schedule: Invalid value: "…": `.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

# (min, max, names)
_BOUNDS = {
    "minute": (0, 59, {}),
    "hour": (0, 23, {}),
    "dom": (1, 31, {}),
    "month": (1, 12, {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}),
    "dow": (0, 6, {"sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6}),
}
_DESCRIPTORS = {"@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
                "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *"}
_GO_DURATION = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")
_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600}
YEARS_AHEAD = 5                 # robfig gives up (zero time) after five years without a match


class CronError(ValueError):
    pass


@dataclass(frozen=True)
class Schedule:
    minute: frozenset[int]
    hour: frozenset[int]
    dom: frozenset[int]
    month: frozenset[int]
    dow: frozenset[int]
    dom_star: bool
    dow_star: bool
    every: float = 0.0          # `@every`: a constant delay instead of fields

    def next(self, after: float) -> float | None:
        """The first activation strictly after `after` (seconds since the epoch), or None."""
        if self.every:
            return float(int(after + self.every))        # robfig rounds the delay down to the second
        t = datetime.fromtimestamp(int(after), timezone.utc).replace(second=0) + timedelta(minutes=1)
        limit = t.year + YEARS_AHEAD
        while t.year <= limit:
            if t.month not in self.month:
                t = (t.replace(day=1, hour=0, minute=0) + timedelta(days=32)).replace(day=1)
            elif not self._day_matches(t):
                t = t.replace(hour=0, minute=0) + timedelta(days=1)
            elif t.hour not in self.hour:
                t = t.replace(minute=0) + timedelta(hours=1)
            elif t.minute not in self.minute:
                t += timedelta(minutes=1)
            else:
                return t.timestamp()
        return None

    def _day_matches(self, t: datetime) -> bool:
        dom = t.day in self.dom
        dow = (t.isoweekday() % 7) in self.dow
        if self.dom_star or self.dow_star:      # one of them unrestricted: both must match
            return dom and dow
        return dom or dow                        # both restricted: either will do (cron's rule)


def parse(spec: str) -> Schedule:
    """robfig/cron ParseStandard."""
    if not spec:
        raise CronError("Empty spec string")
    if spec.startswith("@"):
        if spec.startswith("@every "):
            return Schedule(*(frozenset(),) * 5, dom_star=True, dow_star=True, every=_every(spec[7:], spec))
        if spec not in _DESCRIPTORS:
            raise CronError(f"Unrecognized descriptor: {spec}")
        spec = _DESCRIPTORS[spec]
    fields = spec.split()
    if len(fields) != 5:
        raise CronError(f"Expected exactly 5 fields, found {len(fields)}: {spec}")
    values = [_field(text, _BOUNDS[name]) for text, name in zip(fields, _BOUNDS)]
    return Schedule(*(frozenset(v) for v, _ in values), dom_star=values[2][1], dow_star=values[4][1])


def _every(text: str, spec: str) -> float:
    """Go's time.ParseDuration, as far as `@every` needs it; under a second becomes a second."""
    parts = _GO_DURATION.findall(text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise CronError(f"Failed to parse duration {spec}: time: invalid duration {text}")
    seconds = sum(float(n) * _UNITS[u] for n, u in parts)
    return max(1.0, seconds - seconds % 1)


def _field(text: str, bounds) -> tuple[set[int], bool]:
    """The values a field allows, and whether it is a bare `*`/`?` (robfig's star bit)."""
    out: set[int] = set()
    star = False
    for expr in text.split(","):
        values, is_star = _range(expr, bounds)
        out |= values
        star = star or is_star
    return out, star


def _range(expr: str, bounds) -> tuple[set[int], bool]:
    low, high, names = bounds
    range_and_step = expr.split("/")
    low_and_high = range_and_step[0].split("-")
    single = len(low_and_high) == 1
    star = False
    if low_and_high[0] in ("*", "?"):
        start, end, star = low, high, True
    else:
        start = _value(low_and_high[0], names)
        if len(low_and_high) == 1:
            end = start
        elif len(low_and_high) == 2:
            end = _value(low_and_high[1], names)
        else:
            raise CronError(f"Too many hyphens: {expr}")
    if len(range_and_step) == 1:
        step = 1
    elif len(range_and_step) == 2:
        step = _number(range_and_step[1])
        if single:                  # `N/step` means N-max/step
            end = high
        star = False
    else:
        raise CronError(f"Too many slashes: {expr}")
    if start < low:
        raise CronError(f"Beginning of range ({start}) below minimum ({low}): {expr}")
    if end > high:
        raise CronError(f"End of range ({end}) above maximum ({high}): {expr}")
    if start > end:
        raise CronError(f"Beginning of range ({start}) beyond end of range ({end}): {expr}")
    if step == 0:
        raise CronError(f"Step of range should be a positive number: {expr}")
    return set(range(start, end + 1, step)), star


def _value(text: str, names: dict[str, int]) -> int:
    return names[text.lower()] if text.lower() in names else _number(text)


def _number(text: str) -> int:
    if not re.fullmatch(r"[+-]?\d+", text):
        raise CronError(f'Failed to parse int from {text}: strconv.Atoi: parsing "{text}": invalid syntax')
    n = int(text)
    if n < 0:
        raise CronError(f"Negative number ({n}) not allowed: {text}")
    return n
