"""`curl` on a node: the lab's curl 7.29 against pods, Services, NodePorts and MetalLB addresses.

Into a pipe or a file (stdout not the terminal) curl draws its progress meter on stderr unless
`-s`; chat cannot redraw a line, so the meter's last state is shown.
"""
from __future__ import annotations

from engine.node import traffic
from engine.node.command import Call, Result

METER_HEAD = ("  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n"
              "                                 Dload  Upload   Total   Spent    Left  Speed\n")
UNKNOWN = "--:--:--"


def _node_resolver(cluster, node: str):
    """Nodes resolve through /etc/hosts and 1.1.1.1: lab names only, no cluster DNS."""
    def resolve(name: str) -> str | None:
        if name in ("localhost", "localhost.localdomain"):
            return "127.0.0.1"
        facts = cluster.meta["hosts"].get(name)
        return facts["ip"] if facts else None
    return resolve


def _meter(size: int) -> str:
    """The meter's final line: whole transfer at once, a LAN's speed."""
    pct = 100 if size else 0
    speed = min(99999, size * 500)
    return (f"{pct:3d} {size:>5}  {pct:3d} {size:>5}    0     0  {speed:>5}      0 {UNKNOWN} {UNKNOWN} {UNKNOWN} "
            f"{speed:>5}")


def _silent(args: list[str]) -> bool:
    return any(a in ("--silent", "-s") or (a.startswith("-") and not a.startswith("--") and "s" in a[1:])
               for a in args)


def curl(call: Call) -> Result:
    text, rc = traffic.curl(call.cluster, traffic.Source(call.node), call.args, _node_resolver(call.cluster, call.node))
    meter = not call.tty and not _silent(call.args) and rc not in (2, 3)
    if rc == 0:
        body = text + "\n" if text and not text.endswith("\n") else text
        return Result(body, METER_HEAD + _meter(len(body.encode())) + "\n" if meter else "")
    body, _, error = text.rpartition("curl: ")        # curl's complaints go to stderr, bodies to stdout
    error = "curl: " + error + ("" if error.endswith("\n") else "\n")
    if _silent(call.args) and not any(a in ("-S", "--show-error") or (a[:1] == "-" and "S" in a[1:])
                                      for a in call.args if not a.startswith("--")):
        error = ""                                     # -s hides the error too (unless -S)
    if meter:
        error = METER_HEAD + _meter(0) + error       # the error lands on the meter's line
    return Result(body, error, rc)
