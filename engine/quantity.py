"""Kubernetes resource quantities (`250m`, `1`, `128Mi`, `1774784Ki`) as numbers."""
from __future__ import annotations

import re

_BIN = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DEC = {"n": 1e-9, "u": 1e-6, "m": 1e-3, "": 1, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18}
_RE = re.compile(r"^([+-]?[0-9.]+)([eE][+-]?[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$")


def parse(text) -> float:
    if isinstance(text, (int, float)):
        return float(text)
    m = _RE.match(str(text).strip())
    if not m:
        raise ValueError("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
    num = float(m.group(1) + (m.group(2) or ""))
    suffix = m.group(3) or ""
    return num * (_BIN.get(suffix) or _DEC[suffix])


def milli(text) -> int:
    return int(round(parse(text) * 1000))


def value(text) -> int:
    return int(parse(text))
