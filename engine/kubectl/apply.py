"""kubectl apply -f | create -f | delete -f: manifests in, one line per object, kubectl's words.

Order follows kubectl 1.20's resource builder: every `-f` path must exist before anything
happens; documents are read in order; a parse or validation error ends that file's stream (the
documents before it still count), an unknown kind only skips its own document. Success lines
come first, then the errors — one `error: …` line, or several bare lines (kubectl's aggregate).
Each object is either fully applied or untouched: the server-side checks run before it is stored.
"""
from __future__ import annotations

import base64
import copy
import json

from engine import manifests, netplan, podops, validation
from engine.cluster import TooManyObjects
from engine.kubectl.context import Ctx
from engine.apiserver import errors as api_errors, limits, registry, schema
from engine.kubectl.errors import KubectlError, from_status
from engine.kubectl.flags import Flag, parse
from engine.kubectl.resources import for_kind
from engine.kubectl.run_cmd import dry_run_mode, too_many
from engine.objects import default_pod_spec, default_pod_template_spec, deployment_defaults

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
GENERATION_KINDS = ("Deployment", "ReplicaSet", "DaemonSet")
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
                raise KubectlError(f'Error from server (NotFound): {res.qualified} "{name}" not found')
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


# -- the API server's side ----------------------------------------------------------------------

SERVER_FIELDS = ("uid", "resourceVersion", "creationTimestamp", "generation", "selfLink", "managedFields",
                 "deletionTimestamp", "deletionGracePeriodSeconds")


def server_defaults(ctx: Ctx, obj: dict) -> dict:
    """Defaults the API server fills in (idempotent: applied to new and updated objects alike)."""
    _decoded(obj)               # a body of the wrong shape is refused before anything reads it
    kind = obj["kind"]
    spec = obj.get("spec")
    if kind == "Pod" and isinstance(spec, dict):
        from engine.bootstrap import token_secret
        sa = spec.get("serviceAccountName") or spec.get("serviceAccount") or "default"
        existing = next((v["name"] for v in spec.get("volumes") or () if isinstance(v, dict)
                         and str(v.get("name", "")).startswith(f"{sa}-token-")), None)
        default_pod_spec(spec, existing or token_secret(ctx.cluster, obj["metadata"]["namespace"], sa))
    elif kind == "Deployment" and isinstance(spec, dict) and isinstance(spec.get("template"), dict):
        deployment_defaults(obj)
    elif kind in ("ReplicaSet", "DaemonSet") and isinstance(spec, dict):
        template = spec.setdefault("template", {})
        default_pod_template_spec(template.setdefault("spec", {}))
        template.setdefault("metadata", {}).setdefault("creationTimestamp", None)
        obj["metadata"].setdefault("generation", 1)
        if kind == "ReplicaSet":
            spec.setdefault("replicas", 1)
        else:
            spec.setdefault("revisionHistoryLimit", 10)
            spec.setdefault("updateStrategy", {"rollingUpdate": {"maxUnavailable": 1}, "type": "RollingUpdate"})
    elif kind == "Service" and isinstance(spec, dict):
        for port in spec.get("ports") or ():
            port.setdefault("protocol", "TCP")
            port.setdefault("targetPort", port.get("port"))
        spec.setdefault("type", "ClusterIP")
        spec.setdefault("sessionAffinity", "None")
    elif kind in ("PersistentVolume", "PersistentVolumeClaim") and isinstance(spec, dict) and spec:
        from engine.controllers.pvbinder import volume_defaults
        volume_defaults(obj)
    elif kind == "Secret":
        obj.setdefault("type", "Opaque")
        string_data = obj.pop("stringData", None)
        if isinstance(string_data, dict):
            data = obj.setdefault("data", {})
            for k, v in string_data.items():
                data[k] = base64.b64encode(str(v).encode()).decode()
    return obj


def _go_map(labels: dict | None) -> str:
    if not labels and labels != {}:
        return "map[string]string(nil)"
    inner = ", ".join(f'"{k}":"{v}"' for k, v in sorted((labels or {}).items()))
    return f"map[string]string{{{inner}}}"


def _go_selector(sel: dict) -> str:
    return (f"v1.LabelSelector{{MatchLabels:{_go_map(sel.get('matchLabels'))}, "
            "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}")


def server_errors(obj: dict) -> list[str]:
    """Field validation the API server does on create (names, images, selectors)."""
    kind = obj["kind"]
    md = obj["metadata"]
    name = md.get("name") or ""
    if not name:
        return ["metadata.name: Required value: name or generateName is required"]
    if kind == "Namespace":
        errors = validation.label("metadata.name", name)
    elif kind == "Service":
        errors = validation.dns1035("metadata.name", name)
    elif kind in ("ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"):
        errors = []     # RBAC names are path segments (`metallb-system:controller`)
    else:
        errors = validation.subdomain("metadata.name", name)
    spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
    declared = registry.get(kind)
    if declared is not None and declared.validate is not None:
        errors += declared.validate(obj)
    if kind == "Service" and spec.get("type", "ClusterIP") != "ExternalName" and not spec.get("ports") \
            and spec.get("clusterIP") != "None":
        errors.append("spec.ports: Required value")
    if kind == "Pod":
        errors += _container_errors("spec", spec)
    elif kind in GENERATION_KINDS:
        template = spec.get("template") or {}
        errors += _container_errors("spec.template.spec", template.get("spec") or {})
        selector = (spec.get("selector") or {}).get("matchLabels") or {}
        labels = (template.get("metadata") or {}).get("labels")
        if spec.get("selector") is None:
            errors.append("spec.selector: Required value")
        elif not selector and not (spec.get("selector") or {}).get("matchExpressions"):
            # ReplicaSet validation really says "for deployment" (copied code in the API server)
            errors.append(f"spec.selector: Invalid value: {_go_selector({'matchLabels': None})}: empty selector is "
                          f"invalid for {'daemonset' if kind == 'DaemonSet' else 'deployment'}")
        elif any((labels or {}).get(k) != v for k, v in selector.items()):
            errors.append(f"spec.template.metadata.labels: Invalid value: {_go_map(labels)}: "
                          "`selector` does not match template `labels`")
        if isinstance(spec.get("replicas"), int) and spec["replicas"] < 0:
            errors.append(f"spec.replicas: Invalid value: {spec['replicas']}: must be greater than or equal to 0")
    return errors


def _container_errors(path: str, spec: dict) -> list[str]:
    errors = []
    containers = spec.get("containers") or []
    if not containers:
        errors.append(f"{path}.containers: Required value")
    for i, c in enumerate(containers):
        if not isinstance(c, dict):
            continue
        if not c.get("name"):
            errors.append(f"{path}.containers[{i}].name: Required value")
        else:
            errors += validation.label(f"{path}.containers[{i}].name", str(c["name"]))
        if not c.get("image"):
            errors.append(f"{path}.containers[{i}].image: Required value")
    return errors


def store_new(ctx: Ctx, item: Item, *, verb: str = "creating") -> dict:
    """Create as the API server does: validate, check the namespace, refuse duplicates, default, store."""
    cluster = ctx.cluster
    obj = item.obj
    md = obj["metadata"]
    for field in SERVER_FIELDS:
        md.pop(field, None)
    obj.pop("status", None)
    errors = _decoded(obj, f'error when {verb} "{item.source}": ') + server_errors(obj)
    if errors:
        raise KubectlError(validation.invalid(item.kind, item.name, list(dict.fromkeys(errors))))
    if item.info.namespaced:
        ns_obj = cluster.get("Namespace", "", item.namespace)
        if ns_obj is None:
            raise KubectlError(f'Error from server (NotFound): error when {verb} "{item.source}": namespaces '
                               f'"{item.namespace}" not found')
        if (ns_obj.get("status") or {}).get("phase") == "Terminating":
            raise KubectlError(f'Error from server (Forbidden): error when {verb} "{item.source}": {item.plural} '
                               f'"{item.name}" is forbidden: unable to create new content in namespace '
                               f"{item.namespace} because it is being terminated")
    if cluster.get(item.kind, item.namespace, item.name) is not None:
        raise KubectlError(f'Error from server (AlreadyExists): error when {verb} "{item.source}": {item.plural} '
                           f'"{item.name}" already exists')
    server_defaults(ctx, obj)
    try:
        limits.check_size(obj)
    except api_errors.StatusError as err:
        raise from_status(err, f'error when {verb} "{item.source}": ')
    try:
        return _create(ctx, item)
    except TooManyObjects:
        raise KubectlError(too_many())


def _create(ctx: Ctx, item: Item) -> dict:
    cluster = ctx.cluster
    obj = item.obj
    kind = item.kind
    if kind == "Pod":
        return podops.create_pod(cluster, obj)
    if kind == "Service":
        return _create_service(ctx, item)
    if kind == "Namespace":
        obj["spec"] = {"finalizers": ["kubernetes"]}
        obj["status"] = {"phase": "Active"}
        cluster.create(obj)
        from engine.bootstrap import namespace_defaults
        namespace_defaults(cluster, item.name, cluster.now)
        return obj
    if kind in GENERATION_KINDS:
        obj["status"] = {"replicas": 0} if kind == "ReplicaSet" else {}
        if kind == "DaemonSet":
            obj["metadata"].setdefault("annotations", {})["deprecated.daemonset.template.generation"] = "1"
    if not item.info.namespaced and kind not in ("Namespace", "Node", "PersistentVolume"):
        # The cluster stores namespaced kinds by default; an empty namespace keys it cluster-wide.
        obj["metadata"]["namespace"] = ""
        cluster.create(obj)
        del obj["metadata"]["namespace"]
        return obj
    cluster.create(obj)
    if kind == "ServiceAccount" and not obj.get("secrets"):
        token = f"{item.name}-token-{cluster.rng.suffix()}"
        obj["secrets"] = [{"name": token}]
        cluster.create({"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/service-account-token",
                        "metadata": {"name": token, "namespace": item.namespace,
                                     "annotations": {"kubernetes.io/service-account.name": item.name}},
                        "data": {"ca.crt": "", "namespace": "", "token": ""}})
    return obj


def _create_service(ctx: Ctx, item: Item) -> dict:
    from engine.kubectl.expose import create_service
    obj = item.obj
    spec = obj.get("spec") or {}
    ports = [dict(p) for p in spec.get("ports") or ()]
    svc = create_service(ctx, item.name, item.namespace, spec.get("type", "ClusterIP"), ports,
                         spec.get("selector"), obj["metadata"].get("labels"),
                         cluster_ip=spec.get("clusterIP") or None, external_name=spec.get("externalName"))
    if obj["metadata"].get("annotations"):
        svc["metadata"]["annotations"] = obj["metadata"]["annotations"]
    for key, value in spec.items():
        if key not in ("ports", "selector", "type", "clusterIP", "clusterIPs"):
            svc["spec"][key] = value
    ctx.cluster.touch(svc)
    return svc


def _decoded(obj: dict, context: str = "") -> list[str]:
    """The body as the API server reads it (kubectl may not have validated it: --validate=false,
    patch, edit): unknown fields dropped, a wrong type refused, missing required fields returned."""
    kind = registry.get(obj["kind"])
    if kind is None or not kind.schema:
        return []
    try:
        return schema.decode(obj, kind.schema)
    except schema.DecodeError as exc:
        raise from_status(api_errors.cannot_decode(obj["kind"], str(obj.get("apiVersion", "v1")), str(exc)), context)


def check_update(ctx: Ctx, live: dict, merged: dict) -> None:
    """Decoding, then immutable fields, as the API server refuses them."""
    kind, name = live["kind"], live["metadata"]["name"]
    errors = _decoded(merged)
    if kind in ("Deployment", "ReplicaSet", "DaemonSet"):
        selector = (merged.get("spec") or {}).get("selector")
        if selector is not None and (live.get("spec") or {}).get("selector") != selector:
            errors.append(f"spec.selector: Invalid value: {_go_selector(selector)}: field is immutable")
        else:
            errors += [e for e in server_errors(merged) if not e.startswith("metadata.name")]
    elif kind == "Pod":
        before, after = copy.deepcopy(live.get("spec") or {}), copy.deepcopy(merged.get("spec") or {})
        for spec in (before, after):
            for c in spec.get("containers") or ():
                c.pop("image", None)
            spec.pop("activeDeadlineSeconds", None)
            spec.pop("tolerations", None)
        if before != after:
            errors.append("spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`, "
                          "`spec.initContainers[*].image`, `spec.activeDeadlineSeconds` or `spec.tolerations` "
                          "(only additions to existing tolerations)")
    elif kind == "Service":
        errors += [e for e in server_errors(merged) if not e.startswith("metadata.name")]
        if (live.get("spec") or {}).get("clusterIP") != (merged.get("spec") or {}).get("clusterIP"):
            errors.append(f"spec.clusterIP: Invalid value: \"{(merged.get('spec') or {}).get('clusterIP', '')}\": "
                          "field is immutable")
    declared = registry.get(kind)
    if kind not in GENERATION_KINDS + ("Service",) and declared is not None and declared.validate is not None:
        errors += declared.validate(merged)
    if errors:
        raise KubectlError(validation.invalid(kind, name, list(dict.fromkeys(errors))))


def commit_update(ctx: Ctx, live: dict, merged: dict) -> None:
    """Store the merged object in place (controllers hold the same dict)."""
    kind = live["kind"]
    if kind == "Service":
        _service_ports(ctx, live, merged)
    if kind in GENERATION_KINDS and merged.get("spec") != live.get("spec"):
        merged["metadata"]["generation"] = live["metadata"].get("generation", 1) + 1
    if kind == "Pod":
        _pod_images_changed(ctx, live, merged)
    try:
        limits.check_size(merged)
    except api_errors.StatusError as err:
        raise from_status(err)
    live.clear()
    live.update(merged)
    ctx.cluster.update(live)


def _service_ports(ctx: Ctx, live: dict, merged: dict) -> None:
    spec = merged.setdefault("spec", {})
    wants_node_ports = spec.get("type") in ("NodePort", "LoadBalancer")
    for port in spec.get("ports") or ():
        if wants_node_ports and not port.get("nodePort"):
            port["nodePort"] = netplan.allocate_node_port(ctx.cluster)
        elif not wants_node_ports and port.get("nodePort"):
            if port["nodePort"] in ctx.cluster.meta["nodeports"]:
                ctx.cluster.meta["nodeports"].remove(port["nodePort"])
            del port["nodePort"]
    if not wants_node_ports:
        spec.pop("externalTrafficPolicy", None)
    elif "externalTrafficPolicy" not in spec:
        spec["externalTrafficPolicy"] = "Cluster"


def _pod_images_changed(ctx: Ctx, live: dict, merged: dict) -> None:
    """A new image on a running pod: the kubelet restarts that container (a restart is counted)."""
    old = {c["name"]: c.get("image") for c in live["spec"].get("containers") or ()}
    for c in (merged.get("spec") or {}).get("containers") or ():
        if old.get(c.get("name")) not in (None, c.get("image")):
            node = merged["spec"].get("nodeName")
            if node:
                ctx.cluster.event(live, "Killing", f"Container {c['name']} definition changed, will be restarted",
                                  "kubelet", host=node, field_path=f"spec.containers{{{c['name']}}}")
                for st in (merged.get("status") or {}).get("containerStatuses") or ():
                    if st.get("name") == c["name"]:
                        st["restartCount"] = st.get("restartCount", 0) + 1
                        st["image"] = c["image"]


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
                raise KubectlError(f'Error from server (AlreadyExists): error when creating "{item.source}": '
                                   f'{item.plural} "{item.name}" already exists')
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
                errors.append(f'Error from server (NotFound): error when deleting "{item.source}": {item.plural} '
                              f'"{item.name}" not found')
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
        raise KubectlError(f'Error from server (NotFound): error when replacing "{item.source}": {item.plural} '
                           f'"{item.name}" not found')
    if p["force"]:
        from engine.kubectl.delete import delete_object
        gone = delete_object(ctx, for_kind(item.kind), live, force=True)
        if ctx.cluster.get(item.kind, item.namespace, item.name) is not None:
            ctx.cluster.remove(ctx.cluster.get(item.kind, item.namespace, item.name))
        store_new(ctx, item, verb="replacing")
        return f"{gone}\n{item.label} replaced"
    new = copy.deepcopy(item.obj)
    _decoded(new, f'error when replacing "{item.source}": ')
    md = new["metadata"]
    for field in SERVER_FIELDS:
        if field in live["metadata"]:
            md[field] = live["metadata"][field]
    if "status" in live:
        new["status"] = copy.deepcopy(live["status"])
    spec, live_spec = new.get("spec"), live.get("spec") or {}
    if item.kind == "Service" and isinstance(spec, dict):
        for key in ("clusterIP", "clusterIPs"):          # 1.20 keeps an unset clusterIP on update
            if key in live_spec:
                spec.setdefault(key, live_spec[key])
        for port, old in zip(spec.get("ports") or (), live_spec.get("ports") or ()):
            if "nodePort" in old and spec.get("type") in ("NodePort", "LoadBalancer"):
                port.setdefault("nodePort", old["nodePort"])
    if item.kind == "Pod" and isinstance(spec, dict):
        for key in ("nodeName", "volumes", "serviceAccountName", "serviceAccount", "tolerations", "priority",
                    "enableServiceLinks", "preemptionPolicy"):
            if key in live_spec:
                spec.setdefault(key, copy.deepcopy(live_spec[key]))
        old = {c["name"]: c for c in live_spec.get("containers") or ()}
        for c in spec.get("containers") or ():
            if "volumeMounts" in old.get(c.get("name"), {}):
                c.setdefault("volumeMounts", copy.deepcopy(old[c["name"]]["volumeMounts"]))
    server_defaults(ctx, new)
    check_update(ctx, live, new)
    if not _same(new, live):
        commit_update(ctx, live, new)
    return f"{item.label} replaced"
