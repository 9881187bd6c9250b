"""`tee [-a] FILE…`: stdin to stdout and into the node's written files."""
from __future__ import annotations

from engine.node import fs
from engine.node.command import Call, Result, options


def tee(call: Call) -> Result:
    opts, names = options(call, "ai", ["append"], "Usage: tee [OPTION]... [FILE]...\n")
    append = any(o in ("-a", "--append") for o, _ in opts)
    err = []
    for name in names:
        problem = fs.write(call.cluster, call.node, name, call.stdin, append=append)
        if problem:
            err.append(f"tee: {problem}\n")
    return Result(call.stdin, "".join(err), 1 if err else 0)
