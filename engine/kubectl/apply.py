"""kubectl apply -f | create -f | delete -f: manifests in, one line per object, kubectl's words.

Order follows kubectl 1.20's resource builder: every `-f` path must exist before anything
happens; documents are read in order; a parse or validation error ends that file's stream (the
documents before it still count), an unknown kind only skips its own document. Success lines
come first, then the errors — one `error: …` line, or several bare lines (kubectl's aggregate).
Each object is either fully applied or untouched: the server-side checks run before it is stored.
"""
from __future__ import annotations

import copy
import json

from engine import manifests
from engine.kubectl.context import Ctx
from engine.apiserver import errors as status, server
from engine.apiserver.errors import StatusError
from engine.apiserver.server import SERVER_FIELDS
from engine.kubectl.errors import KubectlError, from_status
from engine.kubectl.flags import Flag, parse
from engine.kubectl.resources import for_kind
from engine.kubectl.run_cmd import dry_run_mode

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
CHANGE_CAUSE = "kubernetes.io/change-cause"
MISSING_ANNOTATION = ("Warning: resource {plural}/{name} is missing the kubectl.kubernetes.io/last-applied-configuration "
                      "annotation which is required by kubectl apply. kubectl apply should only be used on resources "
                      "created declaratively by either kubectl create --save-config or kubectl apply. The missing "
                      "annotation will be patched automatically.")
FILE_FLAGS = (Flag("filename", "list", short="f"), Flag("recursive", "bool", short="R", default=False),
              Flag("validate", "bool", default=True), Flag("record", "bool", default=False),
              Flag("dry-run", default="none"), Flag("output", short="o", default=""),
              Flag("selector", short="l", default=""), Flag("kustomize", short="k", default=""))
APPLY_FLAGS = FILE_FLAGS + (Flag("overwrite", "bool", default=True), Flag("force", "bool", default=False),
                            Flag("prune", "bool", default=False), Flag("all", "bool", default=False),
                            Flag("server-side", "bool", default=False), Flag("field-manager", default="kubectl"),
                            Flag("force-conflicts", "bool", default=False), Flag("wait", "bool", default=False),
                            Flag("timeout", default="0s"), Flag("grace-period", "int", default=-1),
                            Flag("cascade", default="background"), Flag("openapi-patch", "bool", default=True),
                            Flag("prune-whitelist", "list"))
CREATE_FLAGS = FILE_FLAGS + (Flag("save-config", "bool", default=False), Flag("edit", "bool", default=False),
                             Flag("windows-line-endings", "bool", default=False), Flag("raw", default=""))
# Strategic-merge keys of the lists students write (the rest are replaced whole, as SMP does).
MERGE_KEYS = {"containers": "name", "initContainers": "name", "volumes": "name", "env": "name",
              "imagePullSecrets": "name", "volumeMounts": "mountPath", "hostAliases": "ip"}


# -- reading the documents ------------------------------------------------------------------------

class Item:
    def __init__(self, source: str, obj: dict, info: manifests.KindInfo):
        self.source, self.obj, self.info = source, obj, info

    @property
    def kind(self) -> str:
        return self.obj["kind"]

    @property
    def name(self) -> str:
        return self.obj["metadata"].get("name") or ""

    @property
    def namespace(self) -> str:
        return self.obj["metadata"].get("namespace", "") if self.info.namespaced else ""

    @property
    def label(self) -> str:
        return f"{for_kind(self.kind).label}/{self.name}"

    @property
    def plural(self) -> str:
        return for_kind(self.kind).qualified


def read_items(ctx: Ctx, p, *, validate: bool = True) -> tuple[list[Item], list[str]]:
    """All `-f` documents as (items, errors); errors are kubectl messages without `error: `."""
    sources = []
    for path in p["filename"]:
        sources.extend(manifests.resolve_source(ctx, path, p["recursive"]))
    items: list[Item] = []
    errors: list[str] = []
    explicit_ns = "namespace" in p.seen
    cmd_ns = ctx.namespace(p)
    for source, text in sources:
        for doc in manifests.load(source, text, validate=validate and p["validate"]):
            if doc.error:
                errors.append(doc.error)
                continue
            try:
                info = manifests.recognize(source, doc.obj)
            except KubectlError as err:
                errors.append(err.text)
                continue
            obj = copy.deepcopy(doc.obj)
            md = obj.get("metadata")
            if not isinstance(md, dict):
                md = obj["metadata"] = {}
            odd = next((f for f in ("name", "namespace") if not isinstance(md.get(f, ""), str)), None)
            if odd:         # only reachable with --validate=false: the client cannot even decode it
                errors.append(f'unable to decode "{source}": json: cannot unmarshal {manifests.json_type(md[odd])} '
                              f"into Go struct field ObjectMeta.metadata.{odd} of type string")
                continue
            if info.namespaced:
                obj_ns = md.get("namespace")
                if obj_ns and explicit_ns and obj_ns != cmd_ns:
                    errors.append(f'the namespace from the provided object "{obj_ns}" does not match the namespace '
                                  f'"{cmd_ns}". You must pass \'--namespace={obj_ns}\' to perform this operation.')
                    continue
                md["namespace"] = obj_ns or cmd_ns
            else:
                md.pop("namespace", None)
            items.append(Item(source, obj, info))
    return items, errors


def finish(lines: list[str], errors: list[str]) -> str:
    """kubectl prints successes, then one error (`error: …`) or an aggregate (one bare line each)."""
    if not errors:
        return "\n".join(lines)
    if len(errors) == 1:
        err = errors[0]
        shown = [err if err.startswith(("Error from server", "The ", "error: ", "Warning: ")) else f"error: {err}"]
    else:
        shown = errors
    raise KubectlError("\n".join(lines + shown))


def _require_files(command: str, p) -> None:
    if p["kustomize"]:
        raise KubectlError("error: kustomize directories are not part of this course's sandbox")
    if not p["filename"]:
        if command == "apply":
            raise KubectlError("error: must specify one of -f and -k")
        from engine.kubectl.client_checks import create_without_files
        raise create_without_files()


# -- kubectl apply --------------------------------------------------------------------------------

def run_apply(ctx: Ctx, argv: list[str]) -> str:
    p = parse("apply", argv, APPLY_FLAGS)
    if p.args and p.args[0] in ("view-last-applied", "set-last-applied", "edit-last-applied"):
        return view_last_applied(ctx, p) if p.args[0] == "view-last-applied" else _unsupported(p.args[0])
    if p.args:
        raise KubectlError(f"error: Unexpected args: {p.args}\nSee 'kubectl apply -h' for help and examples")
    _require_files("apply", p)
    if p["prune"]:
        raise KubectlError("error: --prune is not part of this course's sandbox")
    dry = dry_run_mode(p["dry-run"]) if "dry-run" in p.seen else "none"
    items, errors = read_items(ctx, p)
    if not items and not errors:
        raise KubectlError("error: no objects passed to apply")
    lines: list[str] = []
    cause = change_cause(ctx) if p["record"] else None
    for item in items:
        try:
            lines.extend(apply_one(ctx, item, cause=cause, dry=dry, output=p["output"]))
        except KubectlError as err:
            errors.append(err.text)
    return finish(lines, errors)


def _unsupported(sub: str) -> str:
    raise KubectlError(f"error: `kubectl apply {sub}` is not part of this course's sandbox")


def view_last_applied(ctx: Ctx, p) -> str:
    from engine.kubectl.get import targets
    from engine.kubectl.output import to_json, to_yaml
    wanted = targets(p.args[1:]) if len(p.args) > 1 else []
    if not wanted:
        raise KubectlError("error: You must provide one or more resources by argument or filename.")
    out = []
    for res, names in wanted:
        for name in names:
            obj = ctx.cluster.get(res.kind, ctx.namespace(p) if res.namespaced else "", name)
            if obj is None:
                raise from_status(status.not_found(res.qualified, name))
            text = (obj["metadata"].get("annotations") or {}).get(LAST_APPLIED)
            if text is None:
                raise KubectlError(f"error: no last-applied-configuration annotation found on resource: {name}")
            data = json.loads(text)
            out.append(to_json(data) if p["output"] == "json" else to_yaml(data))
    return "\n".join(out)


def last_applied_text(obj: dict) -> str:
    """kubectl's GetModifiedConfiguration: Go's json.Marshal of the object (sorted keys, HTML-escaped)."""
    text = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"


def with_last_applied(obj: dict) -> dict:
    """The object as kubectl sends it: annotations (even empty) plus the last-applied copy of itself."""
    md = obj["metadata"]
    ann = md.get("annotations") if isinstance(md.get("annotations"), dict) else {}
    ann.pop(LAST_APPLIED, None)
    md["annotations"] = ann
    text = last_applied_text(obj)
    ann[LAST_APPLIED] = text
    return obj


def apply_one(ctx: Ctx, item: Item, *, cause: str | None = None, dry: str = "none", output: str = "") -> list[str]:
    obj = item.obj
    if cause is not None:
        obj["metadata"].setdefault("annotations", {})
        if isinstance(obj["metadata"]["annotations"], dict):
            obj["metadata"]["annotations"][CHANGE_CAUSE] = cause
    if not item.name:
        res = for_kind(item.kind)
        group = res.group
        raise KubectlError(
            "error: error when retrieving current configuration of:\n"
            f'Resource: "{group}/{res.version}, Resource={res.plural}", GroupVersionKind: "{group}/{res.version}, '
            f'Kind={item.kind}"\nName: "", Namespace: "{item.namespace}"\n'
            f'from server for: "{item.source}": resource name may not be empty')
    with_last_applied(obj)
    live = ctx.cluster.get(item.kind, item.namespace, item.name)
    suffix = " (dry run)" if dry == "client" else " (server dry run)" if dry == "server" else ""
    lines = [item.info.warning] if item.info.warning else []
    if live is None:
        if dry == "none":
            store_new(ctx, item)
        return lines + [_shown(item, "created", output) + suffix]
    original_text = (live["metadata"].get("annotations") or {}).get(LAST_APPLIED)
    if original_text is None:
        lines.append(MISSING_ANNOTATION.format(plural=item.plural, name=item.name))
    try:
        original = json.loads(original_text) if original_text else {}
    except ValueError:
        original = {}
    merged = three_way(original, obj, live)
    server_defaults(ctx, merged)
    if _same(merged, live):
        return lines + [_shown(item, "unchanged", output) + suffix]
    check_update(ctx, live, merged)
    if dry == "none":
        commit_update(ctx, live, merged)
    return lines + [_shown(item, "configured", output) + suffix]


def _shown(item: Item, verb: str, output: str) -> str:
    return item.label if output == "name" else f"{item.label} {verb}"


def _same(a: dict, b: dict) -> bool:
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


# -- three-way merge (a strategic merge patch, simplified to what manifests use) -----------------

def three_way(original: dict, modified: dict, live: dict) -> dict:
    """Fields in `modified` win; fields the last apply set and this one dropped are removed;
    everything else in `live` (server defaults, status, other writers) stays; the server's own
    metadata (uid, resourceVersion, …) cannot be changed this way."""
    merged = _merge(original, modified, live)
    if not isinstance(merged.setdefault("metadata", {}), dict):
        return merged               # the server refuses it when decoding
    md, live_md = merged["metadata"], live.get("metadata") or {}
    for field in SERVER_FIELDS + ("name", "namespace"):      # the URL names the object, not the body
        if field in live_md:
            md[field] = live_md[field]
        else:
            md.pop(field, None)
    return merged


def _merge(orig, mod, live):
    if not (isinstance(mod, dict) and isinstance(live, dict)):
        return copy.deepcopy(mod)
    orig = orig if isinstance(orig, dict) else {}
    out = dict(live)
    for key, value in mod.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(live.get(key), dict):
            out[key] = _merge(orig.get(key), value, live[key])
        elif isinstance(value, list) and isinstance(live.get(key), list) and _merge_key(key, value, live[key]):
            out[key] = _merge_list(orig.get(key), value, live[key], _merge_key(key, value, live[key]))
        else:
            out[key] = copy.deepcopy(value)
    for key in orig:
        if key not in mod:
            out.pop(key, None)
    return out


def _merge_key(field: str, mod: list, live: list) -> str | None:
    key = MERGE_KEYS.get(field)
    if field == "ports":
        key = "containerPort" if any(isinstance(x, dict) and "containerPort" in x for x in mod) else "port"
    if key and all(isinstance(x, dict) and isinstance(x.get(key), (str, int)) for x in mod + live):
        return key
    return None


def _merge_list(orig, mod: list, live: list, key: str) -> list:
    orig = [x for x in orig or () if isinstance(x, dict)]
    by_orig = {x.get(key): x for x in orig}
    by_live = {x[key]: x for x in live}
    mod_keys = {x[key] for x in mod}
    out = [_merge(by_orig.get(x[key]), x, by_live[x[key]]) if x[key] in by_live else copy.deepcopy(x) for x in mod]
    out.extend(x for x in live if x[key] not in mod_keys and x[key] not in by_orig)
    return out


# -- calling the API server (engine/apiserver/server.py) ---------------------------------------------

def server_defaults(ctx: Ctx, obj: dict) -> dict:
    try:
        return server.defaults(ctx.cluster, obj)
    except StatusError as err:
        raise from_status(err)


def store_new(ctx: Ctx, item: Item, *, verb: str = "creating") -> dict:
    """POST the object; the server's refusal in kubectl's words (`error when creating "x": …`)."""
    try:
        return server.create(ctx.cluster, item.obj)
    except StatusError as err:
        raise from_status(err, f'error when {verb} "{item.source}": ')


def check_update(ctx: Ctx, live: dict, merged: dict) -> None:
    try:
        server.validate_update(live, merged)
    except StatusError as err:
        raise from_status(err)


def commit_update(ctx: Ctx, live: dict, merged: dict) -> None:
    """PUT: validated (again, if the verb checked first for a dry run) and stored."""
    try:
        server.validate_update(live, merged)
        server.update(ctx.cluster, live, merged)
    except StatusError as err:
        raise from_status(err)


# -- kubectl create -f ----------------------------------------------------------------------------

def run_create(ctx: Ctx, argv: list[str]) -> str:
    p = parse("create", argv, CREATE_FLAGS)
    _require_files("create", p)
    dry = dry_run_mode(p["dry-run"]) if "dry-run" in p.seen else "none"
    items, errors = read_items(ctx, p)
    if not items and not errors:
        raise KubectlError("error: no objects passed to create")
    cause = change_cause(ctx) if p["record"] else None
    lines = []
    for item in items:
        if item.info.warning:
            lines.append(item.info.warning)
        if cause is not None:
            item.obj["metadata"].setdefault("annotations", {})[CHANGE_CAUSE] = cause
        if p["save-config"]:
            with_last_applied(item.obj)
        try:
            if dry == "none":
                store_new(ctx, item)
            elif ctx.cluster.get(item.kind, item.namespace, item.name) is not None and dry == "server":
                raise from_status(status.already_exists(item.plural, item.name), f'error when creating "{item.source}": ')
        except KubectlError as err:
            errors.append(err.text)
            continue
        suffix = " (dry run)" if dry == "client" else " (server dry run)" if dry == "server" else ""
        lines.append(_shown(item, "created", p["output"]) + suffix)
    return finish(lines, errors)


# -- kubectl delete -f ----------------------------------------------------------------------------

def run_delete(ctx: Ctx, p) -> str:
    from engine.kubectl.delete import delete_object
    if p.args:
        raise KubectlError("error: resource(s) were provided, but no name was specified")
    items, errors = read_items(ctx, p, validate=False)
    lines = []
    force = p["force"] and p["grace-period"] == 0
    if force:
        from engine.kubectl.delete import FORCE_WARNING
        lines.append(FORCE_WARNING)
    for item in items:
        live = ctx.cluster.get(item.kind, item.namespace, item.name)
        if live is None:
            if not p["ignore-not-found"]:
                errors.append(from_status(status.not_found(item.plural, item.name),
                                          f'error when deleting "{item.source}": ').text)
            continue
        try:
            lines.append(delete_object(ctx, for_kind(item.kind), live, force=force,
                                       grace=p["grace-period"] if p["grace-period"] >= 0 else None, wait=p["wait"]))
        except KubectlError as err:
            errors.append(err.text)
    return finish(lines, errors)


# -- --record ---------------------------------------------------------------------------------------

def change_cause(ctx: Ctx) -> str:
    """kubectl's parseCommandArguments: `kubectl` + positional args + every flag as ` --name=value`.

    Flags are spelled long, in the order typed; a bare bool flag records `=true`."""
    from engine.kubectl import split_verb
    from engine.kubectl.flags import GLOBAL
    import shlex
    try:
        argv = shlex.split(ctx.command_line)[1:]
    except ValueError:
        return ctx.command_line
    verb, rest = split_verb(argv)
    specs = {f.name: f for f in GLOBAL + APPLY_FLAGS + CREATE_FLAGS + _RECORDED_FLAGS}
    shorts = {f.short: f for f in specs.values() if f.short}
    args, flags = [verb] if verb else [], []
    i = 0
    while i < len(rest):
        tok = rest[i]
        i += 1
        if tok.startswith("--") and len(tok) > 2:
            name, eq, value = tok[2:].partition("=")
            spec, given = specs.get(name), bool(eq)
        elif tok.startswith("-") and len(tok) > 1 and tok != "-":
            spec = shorts.get(tok[1])
            name = spec.name if spec else tok[1]
            value = tok[2:].lstrip("=")
            given = bool(value)
        else:
            args.append(tok)
            continue
        if not given:
            if spec is not None and spec.kind == "bool":
                value = "true"
            elif i < len(rest):
                value = rest[i]
                i += 1
        flags.append(f" --{name}={value}")
    return "kubectl" + "".join(" " + a for a in args) + "".join(flags)


_RECORDED_FLAGS = (Flag("all", "bool"), Flag("local", "bool"), Flag("to-revision", "int"),
                   Flag("overwrite", "bool"), Flag("replicas", "int"))


# -- kubectl replace -f -----------------------------------------------------------------------------

REPLACE_FLAGS = FILE_FLAGS + (Flag("force", "bool", default=False), Flag("grace-period", "int", default=-1),
                              Flag("cascade", default="background"), Flag("wait", "bool", default=False),
                              Flag("timeout", default="0s"), Flag("save-config", "bool", default=False),
                              Flag("raw", default=""))


def run_replace(ctx: Ctx, argv: list[str]) -> str:
    """PUT the whole object: what the file leaves out is gone (server defaults come back)."""
    p = parse("replace", argv, REPLACE_FLAGS)
    _require_files("replace", p)
    items, errors = read_items(ctx, p)
    if not items and not errors:
        raise KubectlError("error: no objects passed to replace")
    cause = change_cause(ctx) if p["record"] else None
    lines = []
    for item in items:
        if cause is not None:
            item.obj["metadata"].setdefault("annotations", {})[CHANGE_CAUSE] = cause
        if p["save-config"]:
            with_last_applied(item.obj)
        try:
            lines.append(_replace_one(ctx, item, p))
        except KubectlError as err:
            errors.append(err.text)
    return finish(lines, errors)


def _replace_one(ctx: Ctx, item: Item, p) -> str:
    live = ctx.cluster.get(item.kind, item.namespace, item.name)
    if live is None:
        raise from_status(status.not_found(item.plural, item.name), f'error when replacing "{item.source}": ')
    if p["force"]:
        from engine.kubectl.delete import delete_object
        gone = delete_object(ctx, for_kind(item.kind), live, force=True)
        if ctx.cluster.get(item.kind, item.namespace, item.name) is not None:
            server.delete(ctx.cluster, ctx.cluster.get(item.kind, item.namespace, item.name), force=True)
        store_new(ctx, item, verb="replacing")
        return f"{gone}\n{item.label} replaced"
    new = copy.deepcopy(item.obj)
    try:
        server.decode(new)
    except StatusError as err:
        raise from_status(err, f'error when replacing "{item.source}": ')
    md = new["metadata"]
    sent = md.get("resourceVersion")         # kubectl replace sends it: a stale one is a Conflict
    for field in SERVER_FIELDS:
        if field in live["metadata"]:
            md[field] = live["metadata"][field]
    if sent:
        md["resourceVersion"] = str(sent)
    server.prepare_update(live, new)
    server_defaults(ctx, new)
    try:
        server.validate_update(live, new)
    except StatusError as err:
        raise from_status(err, f'error when replacing "{item.source}": ')
    if not _same(new, live):
        commit_update(ctx, live, new)
    return f"{item.label} replaced"
