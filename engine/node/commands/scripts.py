"""The course kit's scripts, run by path (`./nfs-exporter.sh log`, `~/_Lecture_k8s_starter.kit/…`)
or through `bash`/`sh`, and `bash -c '…'`. Only the kit's scripts exist to be run."""
from __future__ import annotations

import posixpath

from engine.node import fs, nfs
from engine.node.command import Call, Result, fail, ok
from engine.node.streams import Sink


def nfs_exporter(call: Call, args: list[str]) -> Result:
    if not args:
        return ok("usage: nfs-exporter.sh <name>")
    state = nfs.state(call.cluster)
    nfsdir = posixpath.normpath("/nfs_shared/" + args[0])
    if nfsdir in state["exports"]:
        return ok()
    if len(state["exports"]) >= nfs.MAX_EXPORTS:
        return fail(f"exportfs: {nfsdir}: No space left on device")
    state["exports"].append(nfsdir)
    if not state["enabled"]:
        state["enabled"] = True
        return ok("Created symlink from /etc/systemd/system/multi-user.target.wants/nfs-server.service "
                  "to /usr/lib/systemd/system/nfs-server.service.")
    return ok()


def k8s_rc(call: Call, args: list[str]) -> Result:
    meta = call.cluster.meta
    if meta.get("k8s_rc"):
        return ok("k8s_rc already installed")
    meta["k8s_rc"] = True
    return ok("k8s_rc install successfully")


SCRIPTS = {"nfs-exporter.sh": nfs_exporter, "k8s_rc.sh": k8s_rc}


def _kit_script(call: Call, path: str):
    if call.node == "m-k8s" and path in fs.kit_files():
        return SCRIPTS.get(posixpath.basename(path))
    return None


def by_path(call: Call) -> Result:
    """A command named by a path: a kit script runs; any other existing file has nothing to run."""
    path = fs.resolve(call.cluster, call.node, call.name)
    script = _kit_script(call, path)
    if script is not None:
        return script(call, call.args)
    tree = fs.Tree(call.cluster, call.node)
    if tree.is_dir(path):
        return fail(f"-bash: {call.name}: Is a directory", 126)
    if tree.is_file(path):
        return fail(f"-bash: {call.name}: Permission denied", 126)
    return fail(f"-bash: {call.name}: No such file or directory", 127)


def bash(call: Call) -> Result:
    """`bash script.sh args`, `sh script.sh`, `bash -c 'a | b'`."""
    args = call.args
    if len(args) >= 2 and args[0] == "-c":
        sub = call.shell.nested()
        try:
            out, err = Sink(), Sink()
            rc = sub.run_text(args[1], call.stdin, out, err)
            return Result(out.text(), err.text(), rc)
        finally:
            call.shell.leave()
    if not args:
        return ok()
    path = fs.resolve(call.cluster, call.node, args[0])
    script = _kit_script(call, path)
    if script is not None:
        return script(call, args[1:])
    if fs.Tree(call.cluster, call.node).is_file(path):
        return ok()
    return fail(f"{call.name}: {args[0]}: No such file or directory", 127)
