"""`xargs [-n N] [-I R] [-r] [COMMAND [ARGS]]`: stdin's words as arguments of COMMAND (echo by default),
e.g. `kubectl get pods -o name | xargs kubectl delete`."""
from __future__ import annotations

import shlex

from engine.node.command import Call, Result, fail, options

MAX_RUNS = 500


def xargs(call: Call) -> Result:
    args = call.args
    valued = ("-n", "-I", "-d", "-L", "-P")
    cut = next((i for i, a in enumerate(args) if not a.startswith("-") and (i == 0 or args[i - 1] not in valued)),
               len(args))
    head = type(call)(**{**call.__dict__, "argv": [call.name] + args[:cut]})
    opts, _ = options(head, "n:I:rd:L:P:0tp", ["no-run-if-empty"],
                      "Usage: xargs [OPTION]... COMMAND [INITIAL-ARGS]...\n")
    given = dict(opts)
    command = args[cut:] or ["echo"]
    try:
        if "-I" in given:
            items = [ln for ln in call.stdin.splitlines() if ln.strip()]
        elif "-d" in given:
            items = [x for x in call.stdin.split(given["-d"].replace("\\n", "\n")) if x]
        else:
            items = shlex.split(call.stdin)
    except ValueError:
        return fail("xargs: unmatched double quote; "
                    "by default quotes are special to xargs unless you use the -0 option")
    if not items and ("-r" in given or "--no-run-if-empty" in given):
        return Result()
    per = None
    if "-n" in given or "-L" in given:
        try:
            per = int(given.get("-n") or given.get("-L"))
        except ValueError:
            return fail(f"xargs: invalid number for -n option")
        if per < 1:
            return fail("xargs: value 0 for -n option should be >= 1")
    if "-I" in given:
        runs = [[w.replace(given["-I"], item) for w in command] for item in items]
    elif per:
        runs = [command + items[i:i + per] for i in range(0, len(items), per)] or [command]
    else:
        runs = [command + items]
    out, err, rc = [], [], 0
    for argv in runs[:MAX_RUNS]:
        result = call.shell.invoke(argv, "")
        if result.rc == 127 and result.err.startswith("-bash:"):
            return Result("".join(out), "".join(err) + f"xargs: {argv[0]}: No such file or directory\n", 127)
        out.append(result.out)
        err.append(result.err)
        if result.rc == 255:
            err.append(f"xargs: {argv[0]}: exited with status 255; aborting\n")
            return Result("".join(out), "".join(err), 124)
        if result.rc:
            rc = 123
    return Result("".join(out), "".join(err), rc)
