"""kubectl top node|pod: the lab has no metrics-server, so the metrics.k8s.io group is absent from
discovery and kubectl 1.20 stops before asking for any object."""
from __future__ import annotations

from engine.kubectl import real_help
from engine.kubectl.context import Ctx
from engine.kubectl.errors import KubectlError
from engine.kubectl.flags import Flag, parse

SUBCOMMANDS = {"node": "node", "nodes": "node", "no": "node", "pod": "pod", "pods": "pod", "po": "pod"}
FLAGS = {"node": (Flag("selector", short="l", default=""), Flag("sort-by", default=""),
                  Flag("no-headers", "bool", default=False), Flag("use-protocol-buffers", "bool", default=False),
                  Flag("heapster-namespace", default="kube-system"), Flag("heapster-port", default=""),
                  Flag("heapster-scheme", default="http"), Flag("heapster-service", default="heapster")),
         "pod": (Flag("selector", short="l", default=""), Flag("sort-by", default=""),
                 Flag("no-headers", "bool", default=False), Flag("use-protocol-buffers", "bool", default=False),
                 Flag("all-namespaces", "bool", short="A", default=False), Flag("containers", "bool", default=False),
                 Flag("field-selector", default=""), Flag("heapster-namespace", default="kube-system"),
                 Flag("heapster-port", default=""), Flag("heapster-scheme", default="http"),
                 Flag("heapster-service", default="heapster"))}


def run(ctx: Ctx, argv: list[str]) -> str:
    sub = next((a for a in argv if not a.startswith("-")), None)
    if sub is None:
        raise KubectlError(real_help.lookup("top", []))         # the help, and exit code 1
    kind = SUBCOMMANDS.get(sub)
    if kind is None:
        raise KubectlError(f'error: unknown command "{sub}"\nSee \'kubectl top -h\' for help and examples')
    rest = list(argv)
    rest.remove(sub)
    parse(f"top {kind}", rest, FLAGS[kind])
    ctx.notes.append(("top_no_metrics", {}))
    raise KubectlError("error: Metrics API not available")
