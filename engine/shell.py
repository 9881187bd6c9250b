"""A root shell on a lab node: the commands the course types at `[root@m-k8s ~]#`."""
from __future__ import annotations

import shlex

CONNECTION_REFUSED = ("The connection to the server 192.168.1.10:6443 was refused - "
                      "did you specify the right host or port?")


def api_refused(cluster) -> str | None:
    """kubectl's answer while the API server is down (docker stopped on m-k8s)."""
    if not cluster.meta.get("api_up", True):
        return CONNECTION_REFUSED
    return None


def run(sandbox, node: str, line: str, stdin: str | None = None) -> tuple[str, int]:
    try:
        argv = shlex.split(line)
    except ValueError:
        return "bash: unexpected EOF while looking for matching quote\nbash: syntax error: unexpected end of file", 2
    if not argv:
        return "", 0
    cmd, args = argv[0], argv[1:]
    handler = COMMANDS.get(cmd)
    if handler is None:
        return f"bash: {cmd}: command not found", 127
    return handler(sandbox, node, args, line, stdin)


def _kubectl(sandbox, node, args, line, stdin):
    if node != "m-k8s":
        return ("The connection to the server localhost:8080 was refused - did you specify the right host or port?", 1)
    rest = line.split(None, 1)[1] if len(line.split(None, 1)) > 1 else ""
    return sandbox.kubectl(rest, stdin)


def _hostname(sandbox, node, args, line, stdin):
    return node, 0


COMMANDS = {"kubectl": _kubectl, "k": _kubectl, "hostname": _hostname}


def register(name: str, fn) -> None:
    COMMANDS[name] = fn
