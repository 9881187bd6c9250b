"""`curl` on a node: the lab's curl 7.29 against pods, Services, NodePorts and MetalLB addresses."""
from __future__ import annotations

from engine.node import traffic
from engine.node.command import Call, Result


def _node_resolver(cluster, node: str):
    """Nodes resolve through /etc/hosts and 1.1.1.1: lab names only, no cluster DNS."""
    def resolve(name: str) -> str | None:
        if name in ("localhost", "localhost.localdomain"):
            return "127.0.0.1"
        facts = cluster.meta["hosts"].get(name)
        return facts["ip"] if facts else None
    return resolve


def curl(call: Call) -> Result:
    text, rc = traffic.curl(call.cluster, traffic.Source(call.node), call.args, _node_resolver(call.cluster, call.node))
    if rc == 0:
        return Result(text + "\n" if text and not text.endswith("\n") else text)
    body, _, error = text.rpartition("curl: ")        # curl's complaints go to stderr, bodies to stdout
    return Result(body, "curl: " + error + ("" if error.endswith("\n") else "\n"), rc)
