"""`cut -d SEP -f LIST`, `cut -c LIST` (LIST: N, N-M, N-, -M, comma-separated)."""
from __future__ import annotations

import re

from engine.node.command import Call, Result, fail, options, read_inputs

TRY = "Try 'cut --help' for more information."


def _ranges(spec: str) -> list[tuple[int, int]] | str:
    out = []
    for part in spec.split(","):
        m = re.fullmatch(r"(\d*)(-?)(\d*)", part)
        if not m or part in ("", "-"):
            return f"cut: invalid byte, character or field list\n{TRY}"
        a = int(m.group(1)) if m.group(1) else 1
        b = (int(m.group(3)) if m.group(3) else 1 << 30) if m.group(2) else a
        if a == 0 or b == 0:
            return f"cut: fields and positions are numbered from 1\n{TRY}"
        if b < a:
            return f"cut: invalid decreasing range\n{TRY}"
        out.append((a, b))
    return out


def _pick(items: list[str], ranges: list[tuple[int, int]]) -> list[str]:
    return [x for i, x in enumerate(items, 1) if any(a <= i <= b for a, b in ranges)]


def cut(call: Call) -> Result:
    opts, operands = options(call, "d:f:c:b:s", ["delimiter=", "fields=", "characters=", "bytes=", "only-delimited"],
                     "")
    given = dict((o.lstrip("-")[:1], v) for o, v in opts)
    fields, chars = given.get("f"), given.get("c") or given.get("b")
    if fields is None and chars is None:
        return fail(f"cut: you must specify a list of bytes, characters, or fields\n{TRY}")
    delim = given.get("d", "\t")
    if len(delim) != 1:
        return fail(f"cut: the delimiter must be a single character\n{TRY}")
    ranges = _ranges(fields if fields is not None else chars)
    if isinstance(ranges, str):
        return fail(ranges)
    out, err = [], []
    for name, text, problem in read_inputs(call, operands):
        if text is None:
            err.append(f"cut: {name}: {problem}\n")
            continue
        for line in text.splitlines():
            if fields is None:
                out.append("".join(_pick(list(line), ranges)) + "\n")
            elif delim not in line:
                if "s" not in given:
                    out.append(line + "\n")
            else:
                out.append(delim.join(_pick(line.split(delim), ranges)) + "\n")
    return Result("".join(out), "".join(err), 1 if err else 0)
