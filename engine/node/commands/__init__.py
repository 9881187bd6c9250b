"""The node's commands: one table, name -> Command (engine/node/command.py).

A name holding a `/` is a path (`./nfs-exporter.sh`, `/usr/bin/kubectl`): a kit script, or the
program the path names when its basename is in the table (/usr/bin/…, /bin/…).
"""
from __future__ import annotations

import posixpath

from engine.node.command import Command
from engine.node.commands import (awk, builtins, cat, cd, curl, cut, docker, grep, headtail, journalctl, kubeadm,
                                  kubectl, ls, ping, scripts, sort, ssh, systemctl, tee, tr, wc, xargs, yum)

COMMANDS: dict[str, Command] = {
    # the cluster's tools
    "kubectl": kubectl.kubectl, "k": kubectl.kubectl, "kubeadm": kubeadm.kubeadm, "kubelet": docker.kubelet,
    "systemctl": systemctl.systemctl, "journalctl": journalctl.journalctl, "docker": docker.docker,
    "yum": yum.yum, "ssh": ssh.ssh, "curl": curl.curl, "ping": ping.ping,
    # files
    "ls": ls.ls, "cat": cat.cat, "cd": cd.cd, "pwd": cd.pwd, "tee": tee.tee,
    "bash": scripts.bash, "sh": scripts.bash,
    # filters
    "grep": grep.grep, "egrep": grep.egrep, "fgrep": grep.fgrep, "wc": wc.wc, "head": headtail.head,
    "tail": headtail.tail, "sort": sort.sort, "uniq": sort.uniq, "cut": cut.cut, "awk": awk.awk, "gawk": awk.awk,
    "tr": tr.tr, "xargs": xargs.xargs,
    # builtins and small utilities
    "echo": builtins.echo, "printf": builtins.printf, "alias": builtins.alias, "unalias": builtins.unalias,
    "export": builtins.export, "unset": builtins.unset, "true": builtins.true, "false": builtins.false,
    ":": builtins.true, "test": builtins.test, "[": builtins.test, "hostname": builtins.hostname,
    "env": builtins.env, "printenv": builtins.env, "seq": builtins.seq, "sleep": builtins.sleep,
    "date": builtins.date, "whoami": builtins.whoami,
    "complete": builtins.noop, "source": builtins.noop, ".": builtins.noop, "clear": builtins.noop,
    "set": builtins.noop, "shopt": builtins.noop, "history": builtins.noop,
    "sudo": builtins.sudo, "exit": builtins.exit_, "logout": builtins.exit_, "which": builtins.which,
    "less": cat.cat, "more": cat.cat,                 # a pager whose output is not a terminal just prints
    "vi": builtins.editor, "vim": builtins.editor, "nano": builtins.editor, "emacs": builtins.editor,
}
# Programs a path may name: /usr/bin/grep is grep; shell builtins have no file.
NO_FILE = {"cd", "alias", "unalias", "export", "unset", "source", ".", ":", "[", "complete", "set", "shopt",
           "history", "exit", "logout", "k"}


def lookup(name: str) -> Command | None:
    if "/" not in name:
        return COMMANDS.get(name)
    base = posixpath.basename(name)
    if posixpath.dirname(name) in ("/bin", "/usr/bin", "/usr/sbin", "/sbin", "/usr/local/bin") and base in COMMANDS \
            and base not in NO_FILE:
        return COMMANDS[base]
    return scripts.by_path
