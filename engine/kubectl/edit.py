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
from engine.apiserver import errors as api_errors, registry, schema
from engine.kubectl.errors import KubectlError, from_status, not_found
from engine.validation import go_quote
from engine.kubectl.flags import Flag, parse
from engine.kubectl.get import targets
from engine.kubectl.resources import for_kind
from engine.kubectl.run_cmd import dry_run_mode

FLAGS = (Flag("output", short="o", default="yaml"), Flag("filename", "list", short="f"),
         Flag("record", "bool", default=False), Flag("save-config", "bool", default=False),
         Flag("validate", "bool", default=True), Flag("windows-line-endings", "bool", default=False),
         Flag("output-patch", "bool", default=False), Flag("recursive", "bool", short="R", default=False),
         Flag("field-manager", default="kubectl-edit"), Flag("selector", short="l", default=""))
HEADER = ("# Please edit the object below. Lines beginning with a '#' will be ignored,\n"
          "# and an empty file will abort the edit. If an error occurs while saving this file will be\n"
          "# reopened with the relevant failures.\n#\n")
CANCELLED = "Edit cancelled, no changes made."
EMPTY = "Edit cancelled, saved file was empty."      # kubectl: the saved file had no lines
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
    command = f"edit {res.singular} {name}" + (f" -n {ns}" if ns and ns != "default" else "")
    ctx.notes.append(("edit_chat_hint", {"command": f"!k {command}"}))     # chat is the editor: say how
    return HEADER + body


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
        return EMPTY
    docs = manifests.load("edited", body, validate=False)
    if not docs:
        return CANCELLED
    doc = docs[0]
    if doc.error:
        raise KubectlError(f"error: {doc.error}\nerror: Edit cancelled, no valid changes were saved.")
    edited = doc.obj
    original = shown if shown is not None else live
    if not isinstance(edited.get("metadata", {}), dict):
        _refuse_invalid(res, name, manifests.validate_object(edited))
    if (edited.get("apiVersion"), edited.get("kind"), (edited.get("metadata") or {}).get("name")) != (
            original.get("apiVersion"), original.get("kind"), original["metadata"]["name"]):
        raise KubectlError("error: At least one of apiVersion, kind and name was changed\n"
                           "error: Edit cancelled, no valid changes were saved.")
    if _same(edited, original):
        return CANCELLED
    if kind not in EDITABLE:
        raise KubectlError(f"error: editing {res.qualified} is not part of this course's sandbox")
    _refuse_invalid(res, name, manifests.validate_object(edited))
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


def _refuse_invalid(res, name: str, errors: list[str]) -> None:
    if errors:
        joined = errors[0] if len(errors) == 1 else "[" + ", ".join(errors) + "]"
        raise KubectlError(f'error: {res.qualified} "{name}" was not valid:\n# * error validating data: {joined}\n'
                           "error: Edit cancelled, no valid changes were saved.")


# -- kubectl patch (the same save path as edit, the patch given on the command line) ------------------

PATCH_FLAGS = (Flag("patch", short="p", default=""), Flag("type", default="strategic"),
               Flag("patch-file", default=""), Flag("output", short="o", default=""),
               Flag("dry-run", default="none"), Flag("local", "bool", default=False),
               Flag("record", "bool", default=False), Flag("filename", "list", short="f"),
               Flag("recursive", "bool", short="R", default=False), Flag("field-manager", default="kubectl-patch"))


def run_patch(ctx: Ctx, argv: list[str]) -> str:
    import yaml
    p = parse("patch", argv, PATCH_FLAGS)
    if p["type"] not in ("json", "merge", "strategic"):
        raise KubectlError(f'error: --type must be one of [json merge strategic], not "{p["type"]}"\n'
                           "See 'kubectl patch -h' for help and examples")
    if not p["patch"]:
        raise KubectlError("error: must specify -p to patch\nSee 'kubectl patch -h' for help and examples")
    try:
        patch = yaml.safe_load(p["patch"])
    except yaml.YAMLError as exc:
        detail = manifests.go_yaml_error(exc) if isinstance(exc, yaml.MarkedYAMLError) else str(exc)
        raise KubectlError(f'error: unable to parse "{p["patch"]}": {detail}')
    wanted = targets(p.args) if p.args else []
    if not wanted or any(not names for _, names in wanted):
        raise KubectlError("error: resource(s) were provided, but no name was specified" if wanted else
                           "error: You must provide one or more resources by argument or filename.")
    out = []
    for res, names in wanted:
        for name in names:
            ns = ctx.namespace(p) if res.namespaced else ""
            live = ctx.cluster.get(res.kind, ns, name) if res.supported else None
            if live is None:
                raise KubectlError(not_found(res.qualified, name))
            if p["type"] == "json":
                new = _json_patch(copy.deepcopy(live), patch, res, name)
            elif not isinstance(patch, dict):
                raise from_status(api_errors.bad_request(
                    f"json: cannot unmarshal {'array' if isinstance(patch, list) else 'string'} into Go value of "
                    "type map[string]interface {}"))
            elif p["type"] == "merge":
                new = _merge_patch(copy.deepcopy(live), patch)
            else:
                new = three_way({}, patch, live)
            _patched_decodes(new, patch, p["type"])
            for field in SERVER_FIELDS:
                if field in live["metadata"]:
                    new.setdefault("metadata", {})[field] = live["metadata"][field]
            if (new.get("kind"), new.get("metadata", {}).get("name")) != (live["kind"], name):
                raise from_status(api_errors.bad_request(f"the name of the object ({name}) does not match the name "
                                                         "on the URL"))
            server_defaults(ctx, new)
            if _same(new, live):
                out.append(f"{res.label}/{name} patched (no change)")
                continue
            check_update(ctx, live, new)
            dry = dry_run_mode(p["dry-run"]) if "dry-run" in p.seen else "none"
            if dry == "none":
                commit_update(ctx, live, new)
            out.append(f"{res.label}/{name} patched" + {"client": " (dry run)", "server": " (server dry run)"}.get(dry, ""))
    return "\n".join(out)


def _patched_decodes(new: dict, patch, patch_type: str) -> None:
    """The server turns the patched map back into the Go object: a strategic patch through the
    unstructured converter, merge and JSON patches through the decoder; either failure is an
    Invalid `patch` error with no kind or name."""
    kind = registry.get(new.get("kind", "")) if isinstance(new, dict) else None
    if kind is None or not kind.schema:
        return
    if patch_type == "strategic":
        err = schema.convert_error(new, {"ref": kind.schema})
        shown = schema.go_value(patch)
    else:
        try:
            schema.decode(copy.deepcopy(new), kind.schema)
            err = None
        except schema.DecodeError as exc:
            err = str(exc)
        shown = schema.go_json(new).decode("utf-8")
    if err:
        raise from_status(api_errors.invalid("", "", [f"patch: Invalid value: {go_quote(shown)}: {err}"]))


def _merge_patch(target, patch):
    """RFC 7386: objects merge, null deletes, everything else (lists too) replaces."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    if not isinstance(target, dict):
        target = {}
    for key, value in patch.items():
        if value is None:
            target.pop(key, None)
        else:
            target[key] = _merge_patch(target.get(key), value)
    return target


def _json_patch(doc: dict, ops, res, name: str) -> dict:
    """RFC 6902 add/remove/replace/test/copy/move with JSON pointers."""
    if not isinstance(ops, list):
        raise from_status(api_errors.bad_request("json: cannot unmarshal object into Go value of type jsonpatch.Patch"))
    for op in ops:
        kind = (op or {}).get("op")
        path = str((op or {}).get("path", ""))
        try:
            if kind == "add":
                _pointer_set(doc, path, copy.deepcopy(op.get("value")), insert=True)
            elif kind == "replace":
                _pointer_get(doc, path)
                _pointer_set(doc, path, copy.deepcopy(op.get("value")), insert=False)
            elif kind == "remove":
                _pointer_remove(doc, path)
            elif kind == "test":
                if _pointer_get(doc, path) != op.get("value"):
                    raise from_status(api_errors.internal(f"testing value {path} failed: test failed"))
            elif kind in ("copy", "move"):
                value = copy.deepcopy(_pointer_get(doc, str(op.get("from", ""))))
                if kind == "move":
                    _pointer_remove(doc, str(op.get("from", "")))
                _pointer_set(doc, path, value, insert=True)
            else:
                raise from_status(api_errors.internal(f"Unexpected kind: {kind}"))
        except (KeyError, IndexError, ValueError, TypeError):
            raise KubectlError("The request is invalid: the server rejected our request due to an error in our request")
    return doc


def _parts(path: str) -> list[str]:
    if not path.startswith("/"):
        raise ValueError(path)
    return [p.replace("~1", "/").replace("~0", "~") for p in path[1:].split("/")]


def _walk(doc, parts):
    for part in parts:
        doc = doc[int(part)] if isinstance(doc, list) else doc[part]
    return doc


def _pointer_get(doc, path: str):
    return _walk(doc, _parts(path))


def _pointer_set(doc, path: str, value, insert: bool) -> None:
    parts = _parts(path)
    parent = _walk(doc, parts[:-1])
    last = parts[-1]
    if isinstance(parent, list):
        if last == "-":
            parent.append(value)
        elif insert:
            parent.insert(int(last), value)
        else:
            parent[int(last)] = value
    elif isinstance(parent, dict):
        parent[last] = value
    else:
        raise TypeError(path)


def _pointer_remove(doc, path: str) -> None:
    parts = _parts(path)
    parent = _walk(doc, parts[:-1])
    if isinstance(parent, list):
        del parent[int(parts[-1])]
    else:
        del parent[parts[-1]]
