"""A root shell on a lab node: the commands the course types at `[root@m-k8s ~]#`.

A line may hold several commands joined by `;`, `&&` or `||` (`systemctl restart kubelet;
systemctl daemon-reload`); each runs through the COMMANDS registry. Commands that change the
machine (systemctl, ssh …) live in engine/shell_*.py and register themselves here.
"""
from __future__ import annotations

import ipaddress
import shlex

CONNECTION_REFUSED = ("The connection to the server 192.168.1.10:6443 was refused - "
                      "did you specify the right host or port?")
NO_KUBECONFIG = "The connection to the server localhost:8080 was refused - did you specify the right host or port?"
CONTROL_PLANE = "m-k8s"


def api_refused(cluster) -> str | None:
    """kubectl's answer while the API server is down (docker stopped on m-k8s)."""
    if not cluster.meta.get("api_up", True):
        return CONNECTION_REFUSED
    return None


def split_commands(line: str) -> list[tuple[str, str]] | None:
    """`a; b && c` -> [("", "a"), (";", "b"), ("&&", "c")], quotes respected; None if a quote is open."""
    parts: list[tuple[str, str]] = []
    joiner, start, quote, i = "", 0, None, 0
    while i < len(line):
        ch = line[i]
        if quote:
            if ch == quote:
                quote = None
            elif ch == "\\" and quote == '"':
                i += 1
        elif ch in "'\"":
            quote = ch
        elif ch == "\\":
            i += 1
        elif ch == ";" or line.startswith(("&&", "||"), i):
            op = ch if ch == ";" else line[i:i + 2]
            parts.append((joiner, line[start:i].strip()))
            joiner, start = op, i + len(op)
            i += len(op) - 1
        i += 1
    if quote:
        return None
    parts.append((joiner, line[start:].strip()))
    return parts


def run(sandbox, node: str, line: str, stdin: str | None = None) -> tuple[str, int]:
    parts = split_commands(line)
    if parts is None:
        quote = "'" if line.count("'") % 2 else '"'
        return (f"bash: unexpected EOF while looking for matching `{quote}'\n"
                "bash: syntax error: unexpected end of file"), 2
    if parts[-1] == (";", "") or parts == [("", "")]:
        parts.pop()                                     # `cmd;` and an empty line are fine
    for i, (joiner, command) in enumerate(parts):      # bash parses the whole line before running any of it
        if not command:
            if i == len(parts) - 1:
                return "bash: syntax error: unexpected end of file", 2
            return f"bash: syntax error near unexpected token `{parts[i + 1][0]}'", 2
    outputs, rc = [], 0
    for joiner, command in parts:
        if (joiner == "&&" and rc != 0) or (joiner == "||" and rc == 0):
            continue
        out, rc = run_one(sandbox, node, command, stdin)
        if out:
            outputs.append(out)
    return "\n".join(outputs), rc


def run_one(sandbox, node: str, line: str, stdin: str | None = None) -> tuple[str, int]:
    command, mode, target = shell_builtins.split_redirect(line)
    if mode == "<":                                   # input from a file: only files that exist
        if not target:
            return "bash: syntax error near unexpected token `newline'", 2
        if not kitfs.exists(sandbox.cluster, node, target):
            return f"bash: {target}: No such file or directory", 1
        return run_one(sandbox, node, command, stdin)
    if mode is not None:
        if not target:
            return "bash: syntax error near unexpected token `newline'", 2
        out, rc = run_one(sandbox, node, command, stdin)
        if rc != 0:          # bash would still create the file; a failed command here changes nothing
            return out, rc
        error = shell_builtins.write(sandbox.cluster, node, target, out, append=mode == ">>")
        return (error, 1) if error else ("", rc)
    line = shell_builtins.expand_alias(sandbox.cluster, node, line)
    try:
        argv = shlex.split(line)
    except ValueError:
        return "bash: syntax error: unexpected end of file", 2
    if not argv:
        return "", 0
    cmd, args = argv[0], argv[1:]
    handler = COMMANDS.get(cmd)
    if handler is None:
        return f"bash: {cmd}: command not found", 127
    return handler(sandbox, node, args, line, stdin)


def _rest_of(line: str) -> str:
    """The raw text after the command word, quoting intact (kubectl re-parses it)."""
    words = line.split(None, 1)
    return words[1] if len(words) > 1 else ""


def _kubectl(sandbox, node, args, line, stdin):
    if node != CONTROL_PLANE:                      # only m-k8s has /etc/kubernetes/admin.conf in ~/.kube
        return NO_KUBECONFIG, 1
    return sandbox.kubectl(_rest_of(line), stdin)


def _hostname(sandbox, node, args, line, stdin):
    return node, 0


# -- ssh ----------------------------------------------------------------------------------------

SSH_VALUE_OPTIONS = set("bcDEeFIiJLlmOopQRSWw")   # ssh's options that take an argument


def resolve_host(cluster, target: str) -> str | None:
    """/etc/hosts of the lab: node names and their 192.168.1.x addresses."""
    hosts = cluster.meta["hosts"]
    if target in hosts:
        return target
    for name, facts in hosts.items():
        if facts.get("ip") == target:
            return name
    return "localhost" if target in ("localhost", "127.0.0.1") else None


def _ssh(sandbox, node, args, line, stdin):
    i = 0
    while i < len(args) and args[i].startswith("-") and len(args[i]) > 1:
        flag = args[i]
        i += 2 if flag[-1] in SSH_VALUE_OPTIONS and len(flag) == 2 else 1
    if i >= len(args):
        return ("usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-b bind_address] [-c cipher_spec]\n"
                "           [-D [bind_address:]port] [-E log_file] [-e escape_char]\n"
                "           [-F configfile] [-I pkcs11] [-i identity_file]\n"
                "           [-J [user@]host[:port]] [-L address] [-l login_name] [-m mac_spec]\n"
                "           [-O ctl_cmd] [-o option] [-p port] [-Q query_option] [-R address]\n"
                "           [-S ctl_path] [-W host:port] [-w local_tun[:remote_tun]]\n"
                "           [command]"), 255
    target = args[i].rsplit("@", 1)[-1]
    remote = " ".join(args[i + 1:])
    host = resolve_host(sandbox.cluster, target)
    if host == "localhost":
        host = node
    if host is None:
        try:
            ipaddress.ip_address(target)
        except ValueError:
            return f"ssh: Could not resolve hostname {target}: Name or service not known", 255
        return f"ssh: connect to host {target} port 22: No route to host", 255
    if not remote.strip():
        return (f"(chat has no interactive terminal: give ssh the command to run on {host}, "
                f"e.g. `!ssh {host} systemctl status kubelet`)"), 1
    return run(sandbox, host, remote, stdin)


COMMANDS = {"kubectl": _kubectl, "k": _kubectl, "hostname": _hostname, "ssh": _ssh}


def register(name: str, fn) -> None:
    COMMANDS[name] = fn


from engine import shell_kubeadm, shell_systemctl, shell_yum  # noqa: E402,F401  (they register themselves)
from engine import kitfs, traffic  # noqa: E402,F401  (register ls, cat, cd, pwd, the kit scripts, curl)
from engine import shell_builtins  # noqa: E402,F401  (echo, alias, complete, source; > and >>)
