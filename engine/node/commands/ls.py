"""`ls` on a node: -l -n -a -A -1 -d -r -R (and -h -t -S -F -G, which change nothing here).

Columns when stdout is the terminal, one name a line into a pipe, as GNU ls does.
"""
from __future__ import annotations

import math
import posixpath

from engine.node import fs
from engine.node.command import Call, Result

MAX_LISTED = 20000          # entries per `ls -R`: a sandbox's tree is small, this is a guard


def ls(call: Call) -> Result:
    cluster, node = call.cluster, call.node
    flags = "".join(a[1:] for a in call.args if a.startswith("-") and a != "-" and not a.startswith("--"))
    unknown = [c for c in flags if c not in "laA1hdrtSFGnR"]      # -t/-S: every file has the same time
    if unknown:
        return Result("", f"ls: invalid option -- '{unknown[0]}'\nTry 'ls --help' for more information.\n", 2)
    tree = fs.Tree(cluster, node)
    names = [a for a in call.args if not a.startswith("-")] or ["."]
    missing, files_given, dirs_given = [], [], []
    for name in names:
        path = fs.resolve(cluster, node, name)
        if tree.is_file(path) or (tree.is_dir(path) and "d" in flags):
            files_given.append((name, path))
        elif tree.is_dir(path):
            dirs_given.append((name, path))
        else:
            missing.append(f"ls: cannot access {name}: No such file or directory\n")
    tty = call.tty
    blocks = []
    if files_given:
        blocks.append(_render(tree, files_given, flags, tty, total=False))
    headed = len(names) > 1 or "R" in flags
    queue = list(dirs_given)
    listed = 0
    while queue:
        name, path = queue.pop(0)
        entries = _entries(tree, path, flags)
        listed += len(entries)
        body = _render(tree, [(e, posixpath.join(path, e)) for e in entries], flags, tty, total=True)
        blocks.append(f"{name}:\n{body}" if headed and body else (f"{name}:" if headed else body))
        if "R" in flags and listed < MAX_LISTED:
            subdirs = [(posixpath.join(name, e), posixpath.join(path, e)) for e in entries
                       if e not in (".", "..") and tree.is_dir(posixpath.join(path, e))]
            queue[:0] = subdirs                        # depth first, as GNU ls
    text = "\n\n".join(b for b in blocks if b or headed)
    return Result(text + "\n" if text else "", "".join(missing), 2 if missing else 0)


def _entries(tree: fs.Tree, path: str, flags: str) -> list[str]:
    entries = tree.children(path)
    # dot entries (root's dotfiles, ~/.kube) only with -a/-A
    hidden = sorted({e for e in entries if e.startswith(".")} | set(fs.HOME_DOTFILES if path == fs.HOME else ()))
    entries = [e for e in entries if not e.startswith(".")]
    if "a" in flags:
        entries = sorted(entries + [".", ".."] + hidden, key=fs.ls_key)
    elif "A" in flags:
        entries = sorted(entries + hidden, key=fs.ls_key)
    if "r" in flags:
        entries.reverse()
    return entries


def _render(tree: fs.Tree, entries: list[tuple[str, str]], flags: str, tty: bool, *, total: bool) -> str:
    if "l" in flags or "n" in flags:
        return _long(tree, entries, total, numeric="n" in flags)
    shown = [n for n, _ in entries]
    if "1" in flags or not tty:
        return "\n".join(shown)
    return fs.columns(shown)


def _long(tree: fs.Tree, entries: list[tuple[str, str]], total: bool, numeric: bool) -> str:
    stamp = fs.mtime(tree.cluster)
    owner = "0" if numeric else "root"
    rows = []
    blocks = 0
    for name, path in entries:
        if tree.is_file(path):
            size = len(tree.files[path].encode())
            mode = "-rwxr-xr-x." if path.endswith(".sh") else "-rw-r--r--."
            links = 1
        else:
            kids = tree.children(path)
            size, mode = (6 if name in (".", "..") or not kids else 4096), "drwxr-xr-x."
            links = 2 + sum(1 for c in kids if tree.is_dir(posixpath.join(path, c)))
        blocks += 4 * math.ceil(size / 4096)
        rows.append((mode, str(links), owner, owner, str(size), stamp, name))
    if not rows:
        return "total 0" if total else ""
    wl, ws = max(len(r[1]) for r in rows), max(len(r[4]) for r in rows)
    lines = [f"{m} {ln.rjust(wl)} {u} {g} {s.rjust(ws)} {t} {n}" for m, ln, u, g, s, t, n in rows]
    return "\n".join(([f"total {blocks}"] if total else []) + lines)
