"""bash builtins the course and students type: echo, printf, alias, export, test, true/false, …

Chapter 6.1's tips (`echo 'alias k=kubectl' >> ~/.bashrc`, `complete -F __start_kubectl k`) only
shape the interactive shell, which chat already is; their redirected text lands in the node's
written files (engine/node/fs.py).
"""
from __future__ import annotations

import re

from engine.node.command import Call, Result, fail, ok
from engine.node.streams import MAX_OUTPUT, MAX_SLEEP, Limit

# root's aliases on the lab's CentOS 7 nodes; m-k8s also has `k` from the kit's setup script.
CENTOS_ALIASES = {"cp": "cp -i", "egrep": "egrep --color=auto", "fgrep": "fgrep --color=auto",
                  "grep": "grep --color=auto", "l.": "ls -d .* --color=auto", "ll": "ls -l --color=auto",
                  "ls": "ls --color=auto", "mv": "mv -i", "rm": "rm -i",
                  "which": "alias | /usr/bin/which --tty-only --read-alias --show-dot --show-tilde"}
# ch6/6.1/k8s_rc.sh (its functions kee/keq/kgpww/... are not modelled).
K8S_RC_ALIASES = {"k": "kubectl", "kg": "kubectl get", "kgp": "kubectl get pods", "ka": "kubectl apply -f",
                  "kc": "kubectl create", "ks": "kubectl scale", "ke": "kubectl export", "kgw": "kubectl get -o wide"}
MAX_ALIASES = 50


def aliases(cluster, node: str) -> dict[str, str]:
    found = dict(CENTOS_ALIASES)
    if node == "m-k8s":
        found["k"] = "kubectl"
        if cluster.meta.get("k8s_rc"):
            found.update(K8S_RC_ALIASES)
    found.update(cluster.meta.get("shell_aliases", {}).get(node, {}))
    return found


def alias(call: Call) -> Result:
    known = aliases(call.cluster, call.node)
    if not call.args:
        return ok("\n".join(f"alias {k}='{v}'" for k, v in sorted(known.items())))
    out, errors = [], []
    mine = call.cluster.meta.setdefault("shell_aliases", {}).setdefault(call.node, {})
    for arg in call.args:
        name, eq, value = arg.partition("=")
        if eq:
            if name in mine or len(mine) < MAX_ALIASES:
                mine[name] = value[:1024]
        elif name in known:
            out.append(f"alias {name}='{known[name]}'")
        else:
            errors.append(f"-bash: alias: {name}: not found")
    return Result("".join(x + "\n" for x in out), "".join(x + "\n" for x in errors), 1 if errors else 0)


def unalias(call: Call) -> Result:
    mine = call.cluster.meta.get("shell_aliases", {}).get(call.node, {})
    for name in call.args:
        mine.pop(name, None)
    return ok()


def export(call: Call) -> Result:
    for arg in call.args:
        name, eq, value = arg.partition("=")
        if arg.startswith("-"):
            continue
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            return fail(f"-bash: export: `{arg}': not a valid identifier")
        if eq:
            call.env[name] = value
    return ok()


def unset(call: Call) -> Result:
    for name in call.args:
        call.env.pop(name, None)
    return ok()


def noop(call: Call) -> Result:
    """complete/source/clear/set/shopt: they shape the interactive shell, which chat already is."""
    return ok()


def true(call: Call) -> Result:
    return ok()


def false(call: Call) -> Result:
    return Result(rc=1)


def hostname(call: Call) -> Result:
    return ok(call.node)


def _escapes(text: str) -> str:
    """echo -e / printf's backslash escapes."""
    table = {"n": "\n", "t": "\t", "\\": "\\", "a": "\a", "r": "\r", "e": "\x1b", "0": "\0"}
    return re.sub(r"\\(.)", lambda m: table.get(m.group(1), "\\" + m.group(1)), text)


def echo(call: Call) -> Result:
    args, newline, escapes = call.args, True, False
    while args and re.fullmatch(r"-[neE]+", args[0]):
        newline = newline and "n" not in args[0]
        escapes = "e" in args[0] or (escapes and "E" not in args[0])
        args = args[1:]
    text = " ".join(args)
    if escapes:
        text = _escapes(text)
    return Result(text + ("\n" if newline else ""))


_SPEC = re.compile(r"%([-+ #0]*)(\d+|\*)?(?:\.(\d+|\*))?([sdifxXoc%b])")
MAX_WIDTH = 1000            # printf '%999999999d' would be a gigabyte


def printf(call: Call) -> Result:
    if not call.args:
        return fail("-bash: printf: usage: printf [-v var] format [arguments]", 2)
    fmt, args = _escapes(call.args[0]), call.args[1:]
    out, err = [], []

    def take() -> str:
        nonlocal args
        value, args = (args[0], args[1:]) if args else ("", [])
        return value

    def number(value: str) -> int:
        try:
            return int(value, 0) if value else 0
        except ValueError:
            err.append(f"-bash: printf: {value}: invalid number")
            return 0

    def one(m) -> str:
        flags, width, prec, conv = m.groups()
        if conv == "%":
            return "%"
        width = str(number(take())) if width == "*" else (width or "")
        prec = str(number(take())) if prec == "*" else prec
        width = str(min(abs(int(width)), MAX_WIDTH)) if width.lstrip("-") else ""
        spec = "%" + flags + width + (f".{min(int(prec), MAX_WIDTH)}" if prec else "")
        value = take()
        if conv in "sb":
            return (spec + "s") % (_escapes(value) if conv == "b" else value)
        if conv == "c":
            return value[:1]
        n = number(value)
        return (spec + ("d" if conv == "i" else conv)) % (float(n) if conv == "f" else n)

    while True:
        before = len(args)
        out.append(_SPEC.sub(one, fmt))
        if not args or len(args) == before:
            break
    return Result("".join(out), "".join(e + "\n" for e in err), 1 if err else 0)


def test(call: Call) -> Result:
    """test / [ : the checks a shell loop needs (strings, integers, files)."""
    args = list(call.args)
    if call.name == "[":
        if not args or args[-1] != "]":
            return fail("-bash: [: missing `]'", 2)
        args = args[:-1]
    negate = False
    if args[:1] == ["!"]:
        negate, args = True, args[1:]
    try:
        result = _test(call, args)
    except ValueError as exc:
        return fail(f"-bash: {call.name}: {exc}", 2)
    return Result(rc=0 if result != negate else 1)


def _test(call: Call, args: list[str]) -> bool:
    from engine.node import fs
    if not args:
        return False
    if len(args) == 1:
        return args[0] != ""
    if len(args) == 2:
        op, value = args
        if op == "-z":
            return value == ""
        if op == "-n":
            return value != ""
        if op in ("-f", "-d", "-e", "-s", "-r", "-x"):
            tree = fs.Tree(call.cluster, call.node)
            path = fs.resolve(call.cluster, call.node, value)
            return {"-f": tree.is_file(path), "-d": tree.is_dir(path)}.get(op, tree.exists(path))
        raise ValueError(f"{op}: unary operator expected")
    a, op, b = args[:3]
    if op in ("=", "=="):
        return a == b
    if op == "!=":
        return a != b
    ints = {"-eq": int.__eq__, "-ne": int.__ne__, "-lt": int.__lt__, "-le": int.__le__, "-gt": int.__gt__,
            "-ge": int.__ge__}
    if op in ints:
        for v in (a, b):
            if not re.fullmatch(r"-?\d+", v.strip()):
                raise ValueError(f"{v}: integer expression expected")
        return ints[op](int(a), int(b))
    raise ValueError(f"{op}: binary operator expected")


def env(call: Call) -> Result:
    shown = {k: v for k, v in call.env.items() if k.isidentifier()}
    return ok("\n".join(f"{k}={v}" for k, v in sorted(shown.items())))


def seq(call: Call) -> Result:
    nums = [a for a in call.args if not a.startswith("-") or a[1:].isdigit()]
    try:
        values = [int(v) for v in nums]
    except ValueError as exc:
        bad = str(exc).split(": ", 1)[-1].strip("'")
        return fail(f"seq: invalid floating point argument: {bad}\nTry 'seq --help' for more information.")
    if not values or len(values) > 3:
        return fail("seq: missing operand\nTry 'seq --help' for more information.")
    first, step, last = (1, 1, values[0]) if len(values) == 1 else (
        (values[0], 1, values[1]) if len(values) == 2 else tuple(values))
    if step == 0:
        return fail("seq: invalid Zero increment value: '0'\nTry 'seq --help' for more information.")
    out, size = [], 0
    v = first
    while (v <= last if step > 0 else v >= last) and size <= MAX_OUTPUT:   # the stream's bound stops it
        out.append(f"{v}\n")
        size += len(out[-1])
        v += step
    return Result("".join(out))


def sleep(call: Call) -> Result:
    """sleep N[smhd]: the sandbox clock moves, as with !wait (bounded per line)."""
    if not call.args:
        return fail("sleep: missing operand\nTry 'sleep --help' for more information.")
    total = 0.0
    for arg in call.args:
        m = re.fullmatch(r"(\d+(?:\.\d*)?|\.\d+)([smhd]?)", arg)
        if not m:
            return fail(f"sleep: invalid time interval ‘{arg}’\nTry 'sleep --help' for more information.")
        total += float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]
    budget = call.shell.budget
    if budget.slept + total > MAX_SLEEP:
        raise Limit("sleep", hours=int(MAX_SLEEP // 3600))
    budget.slept += total
    if total:
        call.sandbox.advance(total)
    return ok()


def date(call: Call) -> Result:
    import time
    return ok(time.strftime("%a %b %e %H:%M:%S UTC %Y", time.gmtime(call.cluster.now)))


def whoami(call: Call) -> Result:
    return ok("root")


def editor(call: Call) -> Result:
    """vi/vim/nano: chat has no full-screen terminal. A tutor note says what to do instead."""
    target = next((a for a in call.args if not a.startswith("-")), "FILE")
    call.sandbox.notes.append(("shell_editor", {"editor": call.name, "file": target}))
    return Result(rc=1)


def exit_(call: Call) -> Result:
    """`exit [N]` / `logout`: ends this shell (the remote one after ssh); a login shell says `logout`."""
    from engine.node.streams import Exit
    code = call.args[0] if call.args else str(call.shell.last_rc)
    if not code.lstrip("-").isdigit():
        raise Exit(255, f"-bash: exit: {code}: numeric argument required\n")
    raise Exit(int(code) % 256, "logout\n" if call.shell.budget.depth == 0 else "")


def which(call: Call) -> Result:
    """CentOS's `which` (aliased to read root's aliases): `alias k='kubectl'` then the program's path."""
    from engine.node.commands import COMMANDS, NO_FILE
    out, missing = [], []
    known = aliases(call.cluster, call.node)
    for name in (a for a in call.args if not a.startswith("-")):
        target = name
        if name in known and name not in ("which",):
            out.append(f"alias {name}='{known[name]}'")
            target = known[name].split()[0]
            if target in ("ls", "grep", "egrep", "fgrep", "cp", "mv", "rm"):
                out[-1] += f"\n\t/usr/bin/{target}"
                continue
        if target in COMMANDS and target not in NO_FILE:
            out.append(("\t" if target != name else "") + f"/usr/bin/{target}")
        else:
            missing.append(f"/usr/bin/which: no {target} in ({call.env.get('PATH', '')})")
    return Result("".join(x + "\n" for x in out), "".join(x + "\n" for x in missing), 1 if missing else 0)


def sudo(call: Call) -> Result:
    """Students are root already: `sudo CMD` runs CMD (sudo's own options are skipped)."""
    args = list(call.args)
    while args and args[0].startswith("-"):
        args.pop(0)
    if not args:
        return fail("usage: sudo -h | -K | -k | -V\nusage: sudo -v [-AknS] [-g group] [-h host] [-p prompt] [-u user]\n"
                    "usage: sudo -l [-AknS] [-g group] [-h host] [-p prompt] [-U user] [-u user] [command]\n"
                    "usage: sudo [-AbEHknPS] [-r role] [-t type] [-C num] [-g group] [-h host] [-p prompt] [-u user] "
                    "[VAR=value] [-i|-s] [<command>]\n"
                    "usage: sudo -e [-AknS] [-r role] [-t type] [-C num] [-g group] [-h host] [-p prompt] [-u user] "
                    "file ...")
    result = call.shell.invoke(args, call.stdin, call.tty)
    if result.rc == 127 and result.err.startswith("-bash:"):
        return fail(f"sudo: {args[0]}: command not found")
    return result
