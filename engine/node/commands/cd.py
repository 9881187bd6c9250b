"""`cd` and `pwd`: the shell's working directory lives in cluster.meta["cwd"][node]."""
from __future__ import annotations

from engine.node import fs
from engine.node.command import Call, Result, fail, ok


def pwd(call: Call) -> Result:
    return ok(fs.cwd(call.cluster, call.node))


def cd(call: Call) -> Result:
    cluster, node = call.cluster, call.node
    target = call.args[0] if call.args else "~"
    if target == "-":
        target = cluster.meta.get("oldcwd", {}).get(node, fs.HOME)
    path = fs.resolve(cluster, node, target)
    tree = fs.Tree(cluster, node)
    if tree.is_file(path):
        return fail(f"-bash: cd: {target}: Not a directory")
    if not tree.is_dir(path):
        return fail(f"-bash: cd: {target}: No such file or directory")
    cluster.meta.setdefault("oldcwd", {})[node] = fs.cwd(cluster, node)
    cluster.meta.setdefault("cwd", {})[node] = path
    return ok()
