"""kubectl edit TYPE NAME, without an editor: chat is the editor.

`!k edit deployment del-deploy` shows the live object as YAML under kubectl's edit header and
remembers the object in `meta["pending_edit"]`; the student's next message carrying a YAML block
is handed to `apply_pending(cluster, text)` by the chat router. A message that already carries a
YAML block (`ctx.stdin`) is applied at once. Saving an edit is a patch from what was shown to what
came back (kubectl's strategic merge), so removing a line removes the field.
"""
from __future__ import annotations

import copy

from engine import manifests
from engine.kubectl import output
from engine.kubectl.apply import (SERVER_FIELDS, check_update, commit_update, server_defaults, three_way, _same)
from engine.kubectl.context import Ctx
from engine.kubectl.errors import KubectlError, not_found
from engine.kubectl.flags import Flag, parse
from engine.kubectl.get import targets
from engine.kubectl.resources import for_kind

FLAGS = (Flag("output", short="o", default="yaml"), Flag("filename", "list", short="f"),
         Flag("record", "bool", default=False), Flag("save-config", "bool", default=False),
         Flag("validate", "bool", default=True), Flag("windows-line-endings", "bool", default=False),
         Flag("output-patch", "bool", default=False), Flag("recursive", "bool", short="R", default=False),
         Flag("field-manager", default="kubectl-edit"), Flag("selector", short="l", default=""))
HEADER = ("# Please edit the object below. Lines beginning with a '#' will be ignored,\n"
          "# and an empty file will abort the edit. If an error occurs while saving this file will be\n"
          "# reopened with the relevant failures.\n#\n")
CHAT_HINT = ("# (chat) There is no editor here: reply with the edited YAML in a ```yaml block to save it,\n"
             "# or with an empty block to cancel.\n")
CANCELLED = "Edit cancelled, no changes made."
PENDING = "pending_edit"
EDITABLE = ("Pod", "Deployment", "ReplicaSet", "DaemonSet", "Service", "ConfigMap", "Secret", "ServiceAccount",
            "Namespace", "Node")


def run(ctx: Ctx, argv: list[str]) -> str:
    p = parse("edit", argv, FLAGS)
    if p["filename"]:
        raise KubectlError("error: `kubectl edit -f` is not part of this course's sandbox; use kubectl edit TYPE NAME")
    if not p.args:
        raise KubectlError("error: You must provide one or more resources by argument or filename.\nExample resource "
                           "specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   "
                           "'<resource> <name>'\n   '<resource>'")
    wanted = targets(p.args)
    if len(wanted) != 1 or len(wanted[0][1]) != 1:
        raise KubectlError("error: this sandbox edits one object at a time: kubectl edit TYPE NAME")
    res, (name,) = wanted[0]
    ns = ctx.namespace(p) if res.namespaced else ""
    obj = ctx.cluster.get(res.kind, ns, name) if res.supported else None
    if obj is None:
        raise KubectlError(not_found(res.qualified, name))
    if ctx.stdin is not None and ctx.stdin.strip():
        return apply_edit(ctx, res.kind, ns, name, ctx.stdin)
    ctx.cluster.meta[PENDING] = {"kind": res.kind, "namespace": ns, "name": name,
                                 "shown": copy.deepcopy(obj)}
    body = output.to_json(obj) if p["output"] == "json" else output.to_yaml(obj)
    return HEADER + CHAT_HINT + body


def pending(cluster) -> dict | None:
    """What `kubectl edit` is waiting for in this sandbox (kind, namespace, name), if anything."""
    return cluster.meta.get(PENDING)


def apply_pending(ctx: Ctx, text: str) -> str:
    """The chat router's hook: the student's reply to an open edit."""
    waiting = ctx.cluster.meta.pop(PENDING, None)
    if waiting is None:
        raise KubectlError("error: there is no `kubectl edit` waiting for an answer")
    return apply_edit(ctx, waiting["kind"], waiting["namespace"], waiting["name"], text, shown=waiting.get("shown"))


def apply_edit(ctx: Ctx, kind: str, ns: str, name: str, text: str, *, shown: dict | None = None) -> str:
    """Save an edited object: `<kind>.<group>/<name> edited`, or why not, in kubectl's words."""
    ctx.cluster.meta.pop(PENDING, None)
    res = for_kind(kind)
    live = ctx.cluster.get(kind, ns, name)
    if live is None:
        raise KubectlError(not_found(res.qualified, name))
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    if not body.strip():
        return CANCELLED
    docs = manifests.load("edited", body, validate=False)
    if not docs:
        return CANCELLED
    doc = docs[0]
    if doc.error:
        raise KubectlError(f"error: {doc.error}\nerror: Edit cancelled, no valid changes were saved.")
    edited = doc.obj
    original = shown if shown is not None else live
    if (edited.get("apiVersion"), edited.get("kind"), (edited.get("metadata") or {}).get("name")) != (
            original.get("apiVersion"), original.get("kind"), original["metadata"]["name"]):
        raise KubectlError("error: At least one of apiVersion, kind and name was changed\n"
                           "error: Edit cancelled, no valid changes were saved.")
    if _same(edited, original):
        return CANCELLED
    if kind not in EDITABLE:
        raise KubectlError(f"error: editing {res.qualified} is not part of this course's sandbox")
    errors = manifests.validate_object(edited)
    if errors:
        joined = errors[0] if len(errors) == 1 else "[" + ", ".join(errors) + "]"
        raise KubectlError(f'error: {res.qualified} "{name}" was not valid:\n# * error validating data: {joined}\n'
                           "error: Edit cancelled, no valid changes were saved.")
    for field in SERVER_FIELDS:         # the server keeps its own metadata
        edited.get("metadata", {}).pop(field, None)
    edited.pop("status", None)          # status is a subresource: edits to it are ignored
    base = copy.deepcopy(original)
    base.pop("status", None)
    merged = three_way(base, edited, live)
    server_defaults(ctx, merged)
    if _same(merged, live):
        return CANCELLED
    try:
        check_update(ctx, live, merged)
    except KubectlError as err:
        reason = err.text.split(": ", 1)[1] if ": " in err.text else err.text
        raise KubectlError(f'error: {res.qualified} "{name}" is invalid\n# * {reason}\n'
                           "error: Edit cancelled, no valid changes were saved.")
    commit_update(ctx, live, merged)
    return f"{res.label}/{name} edited"
