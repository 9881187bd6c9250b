"""Times as Kubernetes prints them: HumanDuration ages, RFC 3339 in objects, RFC 1123 in describe."""
from __future__ import annotations

import calendar
from datetime import datetime, timezone
from functools import lru_cache


def human_duration(seconds: float) -> str:
    """apimachinery duration.HumanDuration (kubectl AGE), integer truncation throughout."""
    if seconds < -1:
        return "<invalid>"
    if seconds < 0:
        return "0s"
    s = int(seconds)
    if s < 120:
        return f"{s}s"
    minutes = s // 60
    if minutes < 10:
        rest = s % 60
        return f"{minutes}m{rest}s" if rest else f"{minutes}m"
    if minutes < 180:
        return f"{minutes}m"
    hours = s // 3600
    if hours < 8:
        rest = minutes % 60
        return f"{hours}h{rest}m" if rest else f"{hours}h"
    if hours < 48:
        return f"{hours}h"
    days = hours // 24
    if days < 8:
        rest = hours % 24
        return f"{days}d{rest}h" if rest else f"{days}d"
    if days < 365 * 2:
        return f"{days}d"
    years = days // 365
    if years < 8:
        rest = days % 365
        return f"{years}y{rest}d" if rest else f"{years}y"
    return f"{years}y"


def rfc3339(ts: float) -> str:
    return datetime.fromtimestamp(int(ts), timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@lru_cache(maxsize=65536)
def parse_rfc3339(text: str) -> float:
    # Hot path (ages, event expiry): slice the fixed layout instead of strptime.
    if len(text) != 20 or text[10] != "T" or text[19] != "Z":
        raise ValueError(f"not an RFC 3339 UTC time: {text!r}")
    return float(calendar.timegm((int(text[0:4]), int(text[5:7]), int(text[8:10]), int(text[11:13]),
                                  int(text[14:16]), int(text[17:19]), 0, 0, 0)))


def rfc1123z(ts: float) -> str:
    return datetime.fromtimestamp(int(ts), timezone.utc).strftime("%a, %d %b %Y %H:%M:%S +0000")


def age(now: float, stamp: str | None) -> str:
    if not stamp:
        return "<unknown>"
    return human_duration(now - parse_rfc3339(stamp))


def parse_duration(text: str) -> float | None:
    """`30s`, `5m`, `1h30m`, `90` (seconds) -> seconds; None when malformed."""
    import re
    text = text.strip().lower()
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text)
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|h|m|s|d)", text)
    if not parts or "".join(n + u for n, u in parts) != text:
        return None
    unit = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}
    return sum(float(n) * unit[u] for n, u in parts)
