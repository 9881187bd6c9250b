"""`cat FILE…` and `cat` reading stdin (a chat code block: `cat > file` writes it)."""
from __future__ import annotations

from engine.node import fs
from engine.node.command import Call, Result


def cat(call: Call) -> Result:
    names = [a for a in call.args if not a.startswith("-") or a == "-"]
    number = any(a in ("-n", "--number") for a in call.args)
    if not names:
        return Result(_numbered(call.stdin) if number else call.stdin)
    tree = fs.Tree(call.cluster, call.node)
    out, err, both = [], [], []
    for name in names:
        path = fs.resolve(call.cluster, call.node, name)
        if name == "-":
            text = call.stdin
        elif tree.is_file(path):
            text = tree.files[path]
        else:
            problem = "Is a directory" if tree.is_dir(path) else "No such file or directory"
            err.append(f"cat: {name}: {problem}\n")
            both.append(err[-1])
            continue
        out.append(text)
        both.append(text)
    body = "".join(out)
    return Result(_numbered(body) if number else body, "".join(err), 1 if err else 0,
                  combined=None if number else "".join(both))


def _numbered(text: str) -> str:
    return "".join(f"{i:6}\t{line}" for i, line in enumerate(text.splitlines(keepends=True), 1))
