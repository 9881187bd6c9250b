"""Label selectors as kubectl -l takes them: `a=b,c!=d,e in (f,g),h,!i`."""
from __future__ import annotations

import re
from typing import Callable

from engine.kubectl.errors import KubectlError

_TERM = re.compile(r"\s*(!?)([A-Za-z0-9./_-]+)\s*(?:(==|=|!=)\s*([A-Za-z0-9._-]*)|\s+(in|notin)\s*\(([^)]*)\))?\s*$")


def _split(text: str) -> list[str]:
    parts, depth, cur = [], 0, ""
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return parts


def parse(text: str) -> Callable[[dict | None], bool]:
    tests = []
    for term in _split(text):
        m = _TERM.match(term)
        if not m or (m.group(1) and (m.group(3) or m.group(5))):
            raise KubectlError(f"error: unable to parse requirement: invalid label selector: {text!r}"
                               .replace("'", '"'))
        neg, key, op, val, setop, vals = m.groups()
        if setop:
            options = {v.strip() for v in vals.split(",")}
            tests.append(lambda l, k=key, o=options, s=setop: (l.get(k) in o) if s == "in" else (l.get(k) not in o))
        elif op in ("=", "=="):
            tests.append(lambda l, k=key, v=val: l.get(k) == v)
        elif op == "!=":
            tests.append(lambda l, k=key, v=val: l.get(k) != v)
        elif neg:
            tests.append(lambda l, k=key: k not in l)
        else:
            tests.append(lambda l, k=key: k in l)
    return lambda labels: all(t(labels or {}) for t in tests)
