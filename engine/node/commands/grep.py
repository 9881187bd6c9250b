"""`grep` (GNU grep 2.20, CentOS 7): -i -v -c -w -x -E -F -n -o -q -l -h -H -e, BRE and ERE."""
from __future__ import annotations

import re

from engine.node.command import Call, Result, options, read_inputs

USAGE = "Usage: grep [OPTION]... PATTERN [FILE]...\n"
CLASSES = {"alpha": "a-zA-Z", "digit": "0-9", "alnum": "a-zA-Z0-9", "upper": "A-Z", "lower": "a-z",
           "space": r"\s", "blank": r" \t", "punct": r"!-/:-@\[-`{-~", "xdigit": "0-9A-Fa-f", "word": r"\w"}


def to_python(pattern: str, extended: bool) -> str:
    """A POSIX BRE/ERE as a Python regex: BRE's `\\(` `\\|` `\\+` are ERE's `(` `|` `+`."""
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "[":
            j = i + 1
            if pattern[j:j + 1] == "^":
                j += 1
            if pattern[j:j + 1] == "]":
                j += 1
            while j < len(pattern) and pattern[j] != "]":
                j = pattern.index(":]", j) + 2 if pattern.startswith("[:", j) and ":]" in pattern[j:] else j + 1
            body = pattern[i + 1:j]
            body = re.sub(r"\[:(\w+):\]", lambda m: CLASSES.get(m.group(1), m.group(0)), body)
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = j + 1
            continue
        if c == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            if not extended and nxt in "(){}|+?":
                out.append(nxt)
            elif nxt in "<>":
                out.append(r"\b")
            else:
                out.append("\\" + nxt)
            i += 2
            continue
        if not extended and c in "(){}|+?":
            out.append("\\" + c)
        elif c == "*" and (not out or out[-1] in ("(", "|", "^")):
            out.append(r"\*")                 # a leading `*` is literal in POSIX
        else:
            out.append(c)
        i += 1
    return "".join(out)


def _complaint(patterns: list[str], extended: bool) -> str:
    """GNU grep's words for a pattern it cannot compile."""
    text = "".join(patterns)
    if text.count("[") > text.count("]"):
        return "Unmatched [ or [^"
    opening = "(" if extended else "\\("
    if text.count(opening) != text.count(")" if extended else "\\)"):
        return "Unmatched ( or \\("
    return "Invalid regular expression"


def grep(call: Call, extended: bool = False, fixed: bool = False) -> Result:
    opts, operands = options(call, "ivcwxEFnoqlLhHe:f:srA:B:C:", ["color=", "colour=", "ignore-case", "invert-match",
                                                      "count", "word-regexp", "line-number", "only-matching",
                                                      "quiet", "silent", "extended-regexp"], USAGE)
    flags = {o for o, _ in opts}
    patterns = [v for o, v in opts if o == "-e"]
    for name, text, problem in read_inputs(call, [v for o, v in opts if o == "-f"]) if any(
            o == "-f" for o, _ in opts) else ():
        if text is None:
            return Result("", f"grep: {name}: {problem}\n", 2)
        patterns.extend(text.splitlines() or ["(?!)"])
    if not patterns:
        if not operands:
            return Result("", USAGE + "Try 'grep --help' for more information.\n", 2)
        patterns, operands = [operands[0]], operands[1:]
    extended = extended or "-E" in flags or "--extended-regexp" in flags
    fixed = fixed or "-F" in flags
    ignore = "-i" in flags or "--ignore-case" in flags
    alternatives = [p for pat in patterns for p in pat.split("\n")]
    body = "|".join("(?:" + (re.escape(p) if fixed else to_python(p, extended)) + ")" for p in alternatives)
    if "-w" in flags or "--word-regexp" in flags:
        body = rf"(?<!\w)(?:{body})(?!\w)"
    if "-x" in flags:
        body = rf"^(?:{body})$"
    try:
        regex = re.compile(body, re.I if ignore else 0)
    except (re.error, RecursionError, OverflowError):
        return Result("", f"grep: {_complaint(patterns, extended)}\n", 2)
    invert = "-v" in flags or "--invert-match" in flags
    count = "-c" in flags or "--count" in flags
    only = ("-o" in flags or "--only-matching" in flags) and not invert
    numbered = "-n" in flags or "--line-number" in flags
    quiet = "-q" in flags or "--quiet" in flags or "--silent" in flags
    inputs = read_inputs(call, operands)
    prefix_names = ("-H" in flags or len(inputs) > 1) and "-h" not in flags
    out, err, found = [], [], False
    for name, text, problem in inputs:
        shown = "(standard input)" if name == "-" else name
        if text is None:
            if "-s" not in flags:
                err.append(f"grep: {name}: {problem}\n")
            continue
        hits = 0
        for n, line in enumerate(text.splitlines(), 1):
            matches = list(regex.finditer(line)) if not invert else []
            selected = (regex.search(line) is None) if invert else bool(matches)
            if not selected:
                continue
            hits += 1
            found = True
            if quiet:
                return Result(rc=0)
            if count or "-l" in flags or "-L" in flags:
                continue
            head = (f"{shown}:" if prefix_names else "") + (f"{n}:" if numbered else "")
            if only:
                out.extend(f"{head}{m.group(0)}\n" for m in matches if m.group(0))
            else:
                out.append(f"{head}{line}\n")
        if count:
            out.append((f"{shown}:" if prefix_names else "") + f"{hits}\n")
        elif "-l" in flags and hits:
            out.append(shown + "\n")
        elif "-L" in flags and not hits:
            out.append(shown + "\n")
    rc = 2 if err else (0 if found else 1)      # an unreadable file is an error even when others matched
    return Result("".join(out), "".join(err), rc)


def egrep(call: Call) -> Result:
    return grep(call, extended=True)


def fgrep(call: Call) -> Result:
    return grep(call, fixed=True)
