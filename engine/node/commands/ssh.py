"""`ssh [user@]host [command]` between the lab's nodes (root's keys are everywhere).

A chain `ssh w1-k8s ssh w2-k8s … hostname` is followed hop by hop in a loop, not by recursion,
so a long chain costs one parse per hop and cannot exhaust the stack.
"""
from __future__ import annotations

import ipaddress

from engine.node.command import Call, Result, fail
from engine.node.streams import Sink

SSH_VALUE_OPTIONS = set("bcDEeFIiJLlmOopQRSWw")   # ssh's options that take an argument
USAGE = ("usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-b bind_address] [-c cipher_spec]\n"
         "           [-D [bind_address:]port] [-E log_file] [-e escape_char]\n"
         "           [-F configfile] [-I pkcs11] [-i identity_file]\n"
         "           [-J [user@]host[:port]] [-L address] [-l login_name] [-m mac_spec]\n"
         "           [-O ctl_cmd] [-o option] [-p port] [-Q query_option] [-R address]\n"
         "           [-S ctl_path] [-W host:port] [-w local_tun[:remote_tun]]\n"
         "           [command]")
MAX_HOPS = 1000


def resolve_host(cluster, target: str) -> str | None:
    """/etc/hosts of the lab: node names and their 192.168.1.x addresses."""
    hosts = cluster.meta["hosts"]
    if target in hosts:
        return target
    for name, facts in hosts.items():
        if facts.get("ip") == target:
            return name
    return "localhost" if target in ("localhost", "127.0.0.1") else None


def _hop(cluster, node: str, args: list[str]) -> tuple[str, list[str]] | Result:
    """(host, the remote command's words) for one `ssh ARGS`, or ssh's complaint."""
    i = 0
    while i < len(args) and args[i].startswith("-") and len(args[i]) > 1:
        flag = args[i]
        i += 2 if flag[-1] in SSH_VALUE_OPTIONS and len(flag) == 2 else 1
    if i >= len(args):
        return fail(USAGE, 255)
    target = args[i].rsplit("@", 1)[-1]
    host = resolve_host(cluster, target)
    if host == "localhost":
        host = node
    if host is None:
        try:
            ipaddress.ip_address(target)
        except ValueError:
            return fail(f"ssh: Could not resolve hostname {target}: Name or service not known", 255)
        return fail(f"ssh: connect to host {target} port 22: No route to host", 255)
    return host, args[i + 1:]


def _plain(word: str) -> bool:
    """A word the remote shell would read back unchanged (so a chain needs no re-parse)."""
    return bool(word) and not any(ch in _SPECIAL for ch in word)


_SPECIAL = set(" \t\n|&;<>()$`\\\"'*?[#~={}!")


def ssh(call: Call) -> Result:
    node, args = call.node, call.args
    for _ in range(MAX_HOPS):
        hop = _hop(call.cluster, node, args)
        if isinstance(hop, Result):
            return hop
        node, rest = hop
        if rest[:1] != ["ssh"] or not all(_plain(w) for w in rest):
            break
        args = rest[1:]
    remote = " ".join(rest)
    if not remote.strip():
        call.sandbox.notes.append(("shell_ssh_interactive", {"node": node}))
        return Result(rc=1)
    sub = call.shell.nested(node)
    try:
        out, err = Sink(), Sink()
        rc = sub.run_text(remote, call.stdin, out, err)
        return Result(out.text(), err.text(), rc)
    finally:
        call.shell.leave()
