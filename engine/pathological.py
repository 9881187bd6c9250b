"""The messages that once stalled a class (issue 13's table), with the sandbox state each needs.

`kubetutor bench` times them against other students' ordinary commands; tests/test_budget_rows.py
checks each is answered within its budget. Every one must end in a clear answer within the budget.
"""
from __future__ import annotations

from engine.node import nfs
from engine.sandbox import Sandbox

_RANGE = "{range $.items[*]}"


def _jsonpath(depth: int, body: str) -> str:
    return "!k get pods -A -o jsonpath='{range .items[*]}" + _RANGE * (depth - 1) + body + "{end}" * depth + "'"


def aliased_cluster_role() -> str:
    """A 15 KB ClusterRole whose rules are four levels of aliased lists over one 15,000-character string."""
    doc = ["apiVersion: rbac.authorization.k8s.io/v1", "kind: ClusterRole", "metadata:", "  name: boom",
           f"x: &s0 \"{'A' * 15000}\""]
    for level in range(1, 5):
        doc.append(f"y{level}: &s{level} [" + ", ".join([f"*s{level - 1}"] * 10) + "]")
    doc += ["rules:", "- apiGroups: [\"\"]", "  verbs: [get]", "  resources: *s4"]
    return "!k apply -f -\n```yaml\n" + "\n".join(doc) + "\n```"


def at_the_cap(sb: Sandbox) -> None:
    """2,000 objects, 600 pods crash-looping on a missing image, and w1-k8s's kubelet stopped."""
    for d in range(6):
        sb.kubectl(f"create deployment bad{d} --image=nginx:nope --replicas=100")
        sb.kubectl(f"create deployment ok{d} --image=nginx --replicas=100")
    sb.wait(30)
    i = 0
    while sb.cluster.count() < 2000:
        sb.kubectl(f"create configmap c{i}")
        i += 1
    sb.shell("ssh w1-k8s systemctl stop kubelet", "m-k8s")
    sb.wait(60)


def many_exports(sb: Sandbox) -> None:
    """2,800 directories exported with the kit's nfs-exporter.sh (what 2,800 runs of it leave)."""
    state = nfs.state(sb.cluster)
    state["exports"].extend(f"/nfs_shared/d{i}" for i in range(2800))
    state["enabled"] = True


# The editor is the chat: its state lives in the router, so it is opened with chat lines.
AN_OPEN_EDIT = ("!k create deployment web --image=nginx", "!k edit deployment web")

# name -> (what to do first: None, a function of the sandbox, or chat lines; the message)
MESSAGES = {
    "jsonpath_6_ranges": (None, _jsonpath(6, "{.metadata.name}")),
    "jsonpath_dollar": (None, _jsonpath(3, "{$}")),
    "aliased_cluster_role": (None, aliased_cluster_role()),
    "nested_brackets": (None, "!k apply -f -\n```\n" + "[" * 9950 + "\n```"),
    "edit_reply_brackets": (AN_OPEN_EDIT, "```yaml\n" + "[" * 28012 + "\n```"),
    "wait_24h_at_cap": (at_the_cap, "!wait 24h"),
    "ls_2800_exports": (many_exports, "!sh ls /nfs_shared"),
    "json_dumps_x300": (None, "!sh " + " && ".join(["k get all -A -o json"] * 300)),
    "label_columns_990": (None, "!k get pods -A -L " + ",".join(["a"] * 990)),
    "custom_columns_1000": (None, "!k get pods -A -o custom-columns="
                            + ",".join(f"C{i}:.metadata.name" for i in range(1000))),
    "nested_ssh_400": (None, "!sh " + "ssh w1-k8s " * 400 + "hostname"),
}
