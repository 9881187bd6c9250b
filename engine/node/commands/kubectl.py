"""`kubectl` (and root's `k` alias) at the node prompt: only m-k8s has ~/.kube/config.

kubectl returns one text; a pipe needs its two streams apart. What kubectl writes to stderr
starts with one of STDERR_PREFIXES (klog/cobra errors, `No resources found`, warnings), and once
an error is printed nothing after it goes to stdout.
"""
from __future__ import annotations

from engine.node.command import Call, Result, lines

NO_KUBECONFIG = "The connection to the server localhost:8080 was refused - did you specify the right host or port?"
CONTROL_PLANE = "m-k8s"
STDERR_PREFIXES = ("Error", "error:", "The connection to the server", "Unable to connect", "No resources found",
                   "Warning:", "warning:", "Flag --", "W0", "E0", "E1", "I0", "I1", "unable to", "The ", "Usage:")


def kubectl(call: Call) -> Result:
    if call.node != CONTROL_PLANE:
        return Result("", NO_KUBECONFIG + "\n", 1)
    text, rc = call.sandbox.kubectl_argv(call.args, call.stdin or None)
    return split_streams(text, rc)


def split_streams(text: str, rc: int) -> Result:
    out, err = [], []
    failed = False
    for line in text.splitlines(keepends=True):
        failed = failed or (rc != 0 and line.startswith(STDERR_PREFIXES)) or line.startswith(
            ("No resources found", "Warning:", "warning:", "Error from server", "error:"))
        (err if failed else out).append(line)
        if line.startswith(("No resources found", "Warning:", "warning:")):
            failed = False
    if rc != 0 and not err:               # an error whose wording we do not know: all of it is stderr
        out, err = [], out
    return Result(lines("".join(out)), lines("".join(err)), rc, combined=text)
