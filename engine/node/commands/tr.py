"""`tr SET1 SET2`, `tr -d SET`, `tr -s SET`: ranges (a-z), classes ([:upper:]) and escapes (\\n)."""
from __future__ import annotations

import re

from engine.node.command import Call, Result, fail, options

CLASSES = {"upper": "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "lower": "abcdefghijklmnopqrstuvwxyz", "digit": "0123456789",
           "space": " \t\n\r\v\f", "blank": " \t", "punct": "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"}
CLASSES["alpha"] = CLASSES["upper"] + CLASSES["lower"]
CLASSES["alnum"] = CLASSES["alpha"] + CLASSES["digit"]
TRY = "Try 'tr --help' for more information."


def _set(spec: str) -> str:
    spec = re.sub(r"\[:(\w+):\]", lambda m: CLASSES.get(m.group(1), m.group(0)), spec)
    spec = re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t", "r": "\r", "\\": "\\"}.get(m.group(1), m.group(1)), spec)
    out, i = [], 0
    while i < len(spec):
        if i + 2 < len(spec) and spec[i + 1] == "-" and ord(spec[i]) <= ord(spec[i + 2]):
            out.extend(chr(c) for c in range(ord(spec[i]), ord(spec[i + 2]) + 1))
            i += 3
        else:
            out.append(spec[i])
            i += 1
    return "".join(out)


def tr(call: Call) -> Result:
    opts, sets = options(call, "dsc", [], "Usage: tr [OPTION]... SET1 [SET2]\n")
    flags = {o for o, _ in opts}
    if not sets:
        return fail(f"tr: missing operand\n{TRY}")
    text = call.stdin
    first = _set(sets[0])
    if "-d" in flags:
        text = "".join(ch for ch in text if ch not in first)
        squeeze = _set(sets[1]) if len(sets) > 1 and "-s" in flags else ""
    elif len(sets) > 1:
        second = _set(sets[1])
        if not second:
            return fail("tr: when not truncating set1, string2 must be non-empty")
        second = second + second[-1] * max(0, len(first) - len(second))
        table = {ord(a): b for a, b in zip(first, second)}
        text = text.translate(table)
        squeeze = second if "-s" in flags else ""
    elif "-s" in flags:
        squeeze = first
    else:
        return fail(f"tr: missing operand after ‘{sets[0]}’\nTwo strings must be given when translating.\n{TRY}")
    if squeeze:
        text = re.sub("([" + re.escape(squeeze) + r"])\1+", r"\1", text)
    return Result(text)
