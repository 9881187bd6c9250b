"""`wc` with GNU coreutils 8.22's layout: one count of one input is printed bare (`3`); otherwise
every count is padded to the width of the inputs' total size, at least 7 when one is a pipe."""
from __future__ import annotations

from engine.node.command import Call, Result, options, read_inputs

USAGE = "Usage: wc [OPTION]... [FILE]...\n  or:  wc [OPTION]... --files0-from=F\n"


def wc(call: Call) -> Result:
    opts, operands = options(call, "lwcmL", ["lines", "words", "bytes", "chars", "max-line-length"], USAGE)
    chosen = {{"--lines": "-l", "--words": "-w", "--bytes": "-c", "--chars": "-m",
               "--max-line-length": "-L"}.get(o, o) for o, _ in opts}
    order = [f for f in ("-l", "-w", "-m", "-c", "-L") if f in chosen] or ["-l", "-w", "-c"]
    inputs = read_inputs(call, operands)
    rows, err, totals = [], [], {f: 0 for f in order}
    for name, text, problem in inputs:
        if text is None:
            err.append(f"wc: {name}: {problem}\n")
            if problem == "Is a directory":
                rows.append(({f: 0 for f in order}, name))
            continue
        counts = {"-l": text.count("\n"), "-w": len(text.split()), "-m": len(text),
                  "-c": len(text.encode()), "-L": max((len(x) for x in text.split("\n")), default=0)}
        row = {f: counts[f] for f in order}
        for f in order:
            totals[f] = max(totals[f], row[f]) if f == "-L" else totals[f] + row[f]
        rows.append((row, "" if name == "-" and not operands else name))
    if len(inputs) > 1:
        rows.append((totals, "total"))
    if len(inputs) == 1 and len(order) == 1:
        width = 1
    elif any(name == "-" for name, _, _ in inputs):
        width = 7
    else:
        size = sum(len(text.encode()) for _, text, _ in inputs if text is not None)
        width = len(str(size))
    out = []
    for row, name in rows:
        line = " ".join(str(row[f]).rjust(width) for f in order)
        out.append(line + (f" {name}" if name else "") + "\n")
    return Result("".join(out), "".join(err), 1 if err else 0,
                  combined="".join(err) + "".join(out) if err else None)
