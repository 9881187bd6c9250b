"""kubectl label | annotate: `key=value` sets, `key-` removes, --overwrite, -l/--all, --list."""
from __future__ import annotations


from engine import validation
from engine.apiserver import server
from engine.apiserver.errors import StatusError
from engine.kubectl import selectors
from engine.kubectl.context import Ctx
from engine.kubectl.errors import KubectlError, from_status, not_found
from engine.kubectl.flags import Flag, parse
from engine.kubectl.get import targets

FLAGS = (Flag("overwrite", "bool", default=False), Flag("all", "bool", default=False),
         Flag("selector", short="l", default=""), Flag("list", "bool", default=False),
         Flag("resource-version", default=""), Flag("dry-run", default="none"), Flag("output", short="o", default=""),
         Flag("filename", "list", short="f"), Flag("recursive", "bool", short="R", default=False),
         Flag("record", "bool", default=False), Flag("local", "bool", default=False),
         Flag("field-selector", default=""), Flag("all-namespaces", "bool", short="A", default=False),
         Flag("field-manager", default=""))
def run_label(ctx: Ctx, argv: list[str]) -> str:
    return _run(ctx, argv, "label")


def run_annotate(ctx: Ctx, argv: list[str]) -> str:
    return _run(ctx, argv, "annotate")


def _split_args(command: str, args: list[str]) -> tuple[list[str], dict[str, str], list[str]]:
    """Resources first, then `k=v` / `k-` changes (kubectl stops at the first change-looking arg)."""
    resources, changes = [], []
    for a in args:
        if changes or "=" in a or a.endswith("-"):
            changes.append(a)
        else:
            resources.append(a)
    sets: dict[str, str] = {}
    removes: list[str] = []
    for c in changes:
        if "=" in c:
            key, _, value = c.partition("=")
            if command == "label":
                _check_label(c, key, value)
            elif not _valid_key(key):
                raise KubectlError(f"error: invalid annotation format: {c}")
            sets[key] = value
        elif c.endswith("-"):
            removes.append(c[:-1])
        else:
            raise KubectlError(f"error: invalid {command} format: {c}")
    for key in removes:
        if key in sets:
            raise KubectlError(f"error: can not both modify and remove {'a label' if command == 'label' else 'an annotation'} "
                               "in the same command")
    return resources, sets, removes


def _valid_key(key: str) -> bool:
    return not validation.qualified_name(key)


def _check_label(spec: str, key: str, value: str) -> None:
    if not _valid_key(key):
        raise KubectlError(f'error: invalid label spec: {spec}')
    if len(value) > 63 or not validation.LABEL_VALUE.match(value):
        reason = "must be no more than 63 characters" if len(value) > 63 else validation.LABEL_VALUE_MSG
        raise KubectlError(f'error: invalid label value: "{spec}": {reason}')


def _run(ctx: Ctx, argv: list[str], command: str) -> str:
    p = parse(command, argv, FLAGS)
    resources, sets, removes = _split_args(command, p.args)
    if not resources:
        raise KubectlError("error: one or more resources must be specified as <resource> <name> or <resource>/<name>"
                           f"\nSee 'kubectl {command} -h' for help and examples")
    if not sets and not removes and not p["list"]:
        raise KubectlError(f"error: at least one {'label' if command == 'label' else 'annotation'} update is required"
                           f"\nSee 'kubectl {command} -h' for help and examples")
    ns = ctx.namespace(p)
    objs, errors = [], []
    for res, names in targets(resources):
        scope = ns if res.namespaced else ""
        if names:
            for name in names:
                obj = ctx.cluster.get(res.kind, scope, name) if res.supported else None
                if obj is None:
                    errors.append(not_found(res.qualified, name))
                else:
                    objs.append((res, obj))
        elif p["all"] or p["selector"]:
            match = selectors.parse(p["selector"]) if p["selector"] else (lambda labels: True)
            objs.extend((res, o) for o in (ctx.cluster.list(res.kind, scope if res.namespaced else None)
                                           if res.supported else []) if match(o["metadata"].get("labels")))
        else:
            raise KubectlError("error: resource(s) were provided, but no name, label selector, or --all flag specified")
    field = "labels" if command == "label" else "annotations"
    lines = []
    for res, obj in objs:
        current = obj["metadata"].get(field) or {}
        if p["list"]:
            lines.extend(f"{k}={v}" for k, v in sorted(current.items()))
            continue
        if not p["overwrite"]:
            clashes = [(k, current[k]) for k in sets if k in current and not
                       (command == "annotate" and k == "kubernetes.io/change-cause")]
            if clashes:
                if command == "label":
                    msgs = [f"'{k}' already has a value ({v}), and --overwrite is false" for k, v in clashes]
                    raise KubectlError("error: " + msgs[0] if len(msgs) == 1 else "[" + ", ".join(msgs) + "]")
                found = "; ".join(f"'{k}' already has a value ({v})" for k, v in clashes)
                raise KubectlError(f"error: --overwrite is false but found the following declared annotation(s): {found}")
        updated = dict(current)
        updated.update(sets)
        for key in removes:
            if key not in updated and command == "label":
                lines.append(f'label "{key}" not found.')
            updated.pop(key, None)
        dry = "dry-run" in p.seen and p["dry-run"] != "none"
        if updated != current and not dry:
            def edit(new: dict, updated=updated) -> None:
                if updated:
                    new["metadata"][field] = updated
                else:
                    new["metadata"].pop(field, None)
                if p["resource-version"]:
                    new["metadata"]["resourceVersion"] = p["resource-version"]
            try:
                server.change(ctx.cluster, obj, edit)
            except StatusError as err:
                errors.append(from_status(err).text)
                continue
        label = res.label + "/" + obj["metadata"]["name"]
        if p["output"] == "name":
            lines.append(label)
        elif command == "label":
            lines.append(f"{label} {'labeled' if updated != current else 'not labeled'}" + (" (dry run)" if dry else ""))
        else:
            lines.append(f"{label} annotated" + (" (dry run)" if dry else ""))
    if errors:
        raise KubectlError("\n".join(lines + errors))
    return "\n".join(lines)
