"""`sort` (-n -r -u -f -b -t SEP -k N[,M][nr]) and `uniq` (-c -d -u -i), in the lab's en_US.UTF-8
locale: text compares case- and punctuation-blind first, as glibc's collation does."""
from __future__ import annotations

import re

from engine.node import fs
from engine.node.command import Call, Result, fail, options, read_inputs

_NUMBER = re.compile(r"\s*(-?\d+(?:\.\d*)?|-?\.\d+)")


def _number(text: str) -> float:
    m = _NUMBER.match(text)
    return float(m.group(1)) if m else 0.0


def _fields(line: str, sep: str | None) -> list[str]:
    if sep is not None:
        return line.split(sep)
    return re.findall(r"\s*\S+", line) or [line]


def _key_spec(spec: str) -> tuple[int, int | None, str] | None:
    m = re.fullmatch(r"(\d+)(?:\.\d+)?([bnrf]*)(?:,(\d+)(?:\.\d+)?([bnrf]*))?", spec)
    if not m or int(m.group(1)) == 0:
        return None
    return int(m.group(1)), int(m.group(3)) if m.group(3) else None, (m.group(2) or "") + (m.group(4) or "")


def sort(call: Call) -> Result:
    opts, operands = options(call, "nrufbt:k:sVhM", ["numeric-sort", "reverse", "unique", "key=", "field-separator="],
                     "Usage: sort [OPTION]... [FILE]...\n")
    flags = {o for o, _ in opts}
    sep = next((v for o, v in opts if o in ("-t", "--field-separator")), None)
    if sep is not None and len(sep) != 1:
        return fail("sort: multi-character tab ‘" + sep + "’", 2)
    keys = []
    for o, v in opts:
        if o in ("-k", "--key"):
            spec = _key_spec(v)
            if spec is None:
                return fail(f"sort: invalid number at field start: invalid count at start of ‘{v}’", 2)
            keys.append(spec)
    numeric = "-n" in flags or "--numeric-sort" in flags or "-h" in flags
    reverse = "-r" in flags or "--reverse" in flags
    unique = "-u" in flags or "--unique" in flags
    lines, err = [], []
    for name, text, problem in read_inputs(call, operands):
        if text is None:
            return fail(f"sort: open failed: {name}: {problem}", 2)
        lines.extend(text.splitlines())

    def text_key(s: str):
        return fs.ls_key(s.lower() if "-f" in flags else s)

    def key(line: str):
        parts = []
        for start, end, mods in keys or [(1, None, "")]:
            if not keys:
                field = line
            else:
                fields = _fields(line, sep)
                chosen = fields[start - 1:(end if end else len(fields))]
                field = (sep or "").join(chosen)
            by_number = numeric or "n" in mods
            value = _number(field) if by_number else text_key(field.strip() if "b" in mods or "-b" in flags
                                                                else field)
            parts.append((-value if by_number and "r" in mods else value, "r" in mods and not by_number))
        return parts

    # Python's sort is stable: sort by the last resort (the whole line) first, then by the keys.
    ordered = sorted(lines, key=fs.ls_key, reverse=reverse)
    ordered.sort(key=lambda ln: [p[0] for p in key(ln)], reverse=reverse)
    if unique:
        seen, kept = set(), []
        for ln in ordered:
            k = tuple(p[0] for p in key(ln)) if keys or numeric else ln
            if k not in seen:
                seen.add(k)
                kept.append(ln)
        ordered = kept
    return Result("".join(ln + "\n" for ln in ordered), "".join(err))


def uniq(call: Call) -> Result:
    opts, operands = options(call, "cdui", ["count", "repeated", "unique", "ignore-case"],
                             "Usage: uniq [OPTION]... [INPUT [OUTPUT]]\n")
    flags = {o for o, _ in opts}
    name, text, problem = read_inputs(call, operands[:1])[0]
    if text is None:
        return fail(f"uniq: {name}: {problem}")
    groups: list[list] = []
    for line in text.splitlines():
        same = groups and (groups[-1][0].lower() == line.lower() if "-i" in flags else groups[-1][0] == line)
        if same:
            groups[-1][1] += 1
        else:
            groups.append([line, 1])
    out = []
    for line, n in groups:
        if ("-d" in flags and n < 2) or ("-u" in flags and n > 1):
            continue
        out.append(f"{n:7d} {line}\n" if "-c" in flags or "--count" in flags else line + "\n")
    return Result("".join(out))
