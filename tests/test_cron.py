"""The CronJob schedule grammar (robfig/cron v1 ParseStandard, as the 1.20 controller and API
server read it) and its next activation times, in UTC."""
from __future__ import annotations

import calendar

import pytest

from engine import cron


def t(text: str) -> float:
    """'2026-11-18 11:06' (UTC) -> epoch seconds."""
    day, hm = text.split(" ")
    y, mo, d = map(int, day.split("-"))
    h, mi = map(int, hm.split(":"))
    return float(calendar.timegm((y, mo, d, h, mi, 0, 0, 0, 0)))


def nexts(spec: str, start: str, n: int = 3) -> list[float]:
    sched, at, out = cron.parse(spec), t(start), []
    for _ in range(n):
        at = sched.next(at)
        out.append(at)
    return out


@pytest.mark.parametrize("spec,start,expected", [
    ("*/1 * * * *", "2026-11-18 11:06", ["2026-11-18 11:07", "2026-11-18 11:08", "2026-11-18 11:09"]),
    ("*/15 * * * *", "2026-11-18 11:06", ["2026-11-18 11:15", "2026-11-18 11:30", "2026-11-18 11:45"]),
    ("5-10/5 * * * *", "2026-11-18 11:06", ["2026-11-18 11:10", "2026-11-18 12:05", "2026-11-18 12:10"]),
    ("0 9,17 * * *", "2026-11-18 11:06", ["2026-11-18 17:00", "2026-11-19 09:00", "2026-11-19 17:00"]),
    ("30 2 1 * *", "2026-11-18 11:06", ["2026-12-01 02:30", "2027-01-01 02:30", "2027-02-01 02:30"]),
    ("0 0 * * MON-FRI", "2026-11-20 11:06", ["2026-11-23 00:00", "2026-11-24 00:00", "2026-11-25 00:00"]),
    ("0 0 29 feb *", "2026-11-18 11:06", ["2028-02-29 00:00", "2032-02-29 00:00", "2036-02-29 00:00"]),
    ("@hourly", "2026-11-18 11:06", ["2026-11-18 12:00", "2026-11-18 13:00", "2026-11-18 14:00"]),
    ("@daily", "2026-11-18 11:06", ["2026-11-19 00:00", "2026-11-20 00:00", "2026-11-21 00:00"]),
    ("@weekly", "2026-11-18 11:06", ["2026-11-22 00:00", "2026-11-29 00:00", "2026-12-06 00:00"]),
    ("@monthly", "2026-11-18 11:06", ["2026-12-01 00:00", "2027-01-01 00:00", "2027-02-01 00:00"]),
    ("@yearly", "2026-11-18 11:06", ["2027-01-01 00:00", "2028-01-01 00:00", "2029-01-01 00:00"]),
    # day of month and day of week both restricted: either one matches (cron's OR rule)
    ("0 0 1 * 0", "2026-11-18 11:06", ["2026-11-22 00:00", "2026-11-29 00:00", "2026-12-01 00:00"]),
    ("0 12 ? * *", "2026-11-18 11:06", ["2026-11-18 12:00", "2026-11-19 12:00", "2026-11-20 12:00"]),
])
def test_next_activations(spec, start, expected):
    assert nexts(spec, start) == [t(e) for e in expected]


def test_every_and_never():
    assert cron.parse("@every 90s").next(1000.0) == 1090.0
    assert cron.parse("0 0 30 2 *").next(t("2026-11-18 11:06")) is None       # February 30th never comes


@pytest.mark.parametrize("spec,message", [
    ("", "Empty spec string"),
    ("bad", "Expected exactly 5 fields, found 1: bad"),
    ("* * * *", "Expected exactly 5 fields, found 4: * * * *"),
    ("@sometimes", "Unrecognized descriptor: @sometimes"),
    ("60 * * * *", "End of range (60) above maximum (59): 60"),
    ("* * 0 * *", "Beginning of range (0) below minimum (1): 0"),
    ("5-1 * * * *", "Beginning of range (5) beyond end of range (1): 5-1"),
    ("*/0 * * * *", "Step of range should be a positive number: */0"),
    ("1-2-3 * * * *", "Too many hyphens: 1-2-3"),
    ("*/2/3 * * * *", "Too many slashes: */2/3"),
    ("x * * * *", 'Failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'),
])
def test_errors_are_robfigs(spec, message):
    with pytest.raises(cron.CronError) as err:
        cron.parse(spec)
    assert str(err.value) == message
