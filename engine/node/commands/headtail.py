"""`head` and `tail`: -n N, -N, head -n -N (all but the last N), tail -n +N (from line N), -c N.
`tail -f` prints what is there: chat cannot follow a file."""
from __future__ import annotations

import re

from engine.node.command import Call, Result, fail, options, read_inputs


def _count(prog: str, value: str, what: str) -> tuple[str, int] | Result:
    m = re.fullmatch(r"([+-]?)(\d+)([kKmMbB]?)", value.strip())
    if not m:
        kind = "lines" if what == "n" else "bytes"
        return fail(f"{prog}: invalid number of {kind}: ‘{value}’")
    scale = {"": 1, "b": 512, "k": 1024, "K": 1024, "m": 1 << 20, "M": 1 << 20}[m.group(3)]
    return m.group(1), min(int(m.group(2)) * scale, 1 << 40)


def _run(call: Call, head: bool) -> Result:
    prog = "head" if head else "tail"
    args = [("-n" + a[1:]) if re.fullmatch(r"-\d+", a) else a for a in call.args]
    call = type(call)(**{**call.__dict__, "argv": [call.name] + args})
    opts, operands = options(call, "n:c:fqvF", ["lines=", "bytes=", "follow", "quiet", "silent", "verbose"],
                     f"Usage: {prog} [OPTION]... [FILE]...\n")
    sign, amount, unit = "", 10, "n"
    for o, v in opts:
        if o in ("-n", "--lines", "-c", "--bytes"):
            got = _count(prog, v, "n" if o in ("-n", "--lines") else "c")
            if isinstance(got, Result):
                return got
            (sign, amount), unit = got, ("n" if o in ("-n", "--lines") else "c")
    if any(o in ("-f", "--follow", "-F") for o, _ in opts):
        call.sandbox.notes.append(("shell_follow", {}))
    inputs = read_inputs(call, operands)
    headers = len(inputs) > 1 and not any(o in ("-q", "--quiet", "--silent") for o, _ in opts)
    out, err = [], []
    for k, (name, text, problem) in enumerate(inputs):
        if text is None:
            err.append(f"{prog}: cannot open ‘{name}’ for reading: {problem}\n" if head else
                       f"{prog}: cannot open ‘{name}’ for reading: {problem}\n")
            continue
        if headers:
            out.append(("\n" if k else "") + f"==> {'standard input' if name == '-' else name} <==\n")
        items = text.splitlines(keepends=True) if unit == "n" else list(text)
        if head:
            picked = items[:-amount] if sign == "-" and amount else ([] if sign == "-" else items[:amount])
            if sign == "-" and not amount:
                picked = items
        else:
            picked = items[max(amount - 1, 0):] if sign == "+" else (items[-amount:] if amount else [])
        out.append("".join(picked))
    return Result("".join(out), "".join(err), 1 if err else 0)


def head(call: Call) -> Result:
    return _run(call, head=True)


def tail(call: Call) -> Result:
    return _run(call, head=False)
