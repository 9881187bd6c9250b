"""Manifests as kubectl reads them: where `-f` finds the text, YAML/JSON streams, validation.

- `resolve_source(ctx, path)` maps `-f` arguments to texts: `-` (the chat message's YAML block or
  attachment, passed as stdin), course-kit files under content/kit/ (as they lie in /root on m-k8s),
  directories, and the few URLs the course uses (content/kit/urls.yaml). An unknown URL answers
  like a 404 from the web server: the lab VMs have internet, the address is simply not there.
- `load(source, text)` splits a stream into documents the way k8s.io/apimachinery's YAMLReader does,
  refuses YAML bombs and oversized input *before* building objects, converts parser errors into
  go-yaml's words, and validates each document against a small schema (kubectl's client-side
  OpenAPI validation) with kubectl's messages.
- `KINDS` maps (apiVersion, kind) to what the sandbox stores; anything else is "unable to recognize".
"""
from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from engine.node import fs
from engine.kubectl.errors import KubectlError

KIT = Path(__file__).resolve().parent.parent / "content" / "kit"
HOME = "/root"
MAX_BYTES = 256 * 1024          # a chat message or kit file is far smaller; more is refused unread
MAX_DOCUMENTS = 100
MAX_ALIASES = 100
MAX_NODES = 50_000              # scalars+collections after aliases are expanded (billion laughs)
MAX_DEPTH = 100
STOP_VALIDATE = "if you choose to ignore these errors, turn validation off with --validate=false"
MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")


# -- where -f reads from ----------------------------------------------------------------------

def _urls() -> dict[str, str]:
    path = KIT / "urls.yaml"
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping of url -> kit path")
    return {str(k): str(v) for k, v in data.items()}


def _kit_path(rel: str) -> Path | None:
    """A path relative to the kit folder, never escaping it."""
    rel = posixpath.normpath(rel)
    if rel.startswith(("..", "/")) or rel == ".":
        return None
    return KIT / rel


def _home_relative(path: str, cwd: str = HOME) -> str | None:
    """`~/x`, `/root/x`, `x` (relative to the shell's cwd, /root at first) -> `x` under /root;
    other places are not in the kit."""
    if path.startswith("~/") or path == "~":
        path = HOME + path[1:]
    if not path.startswith("/"):
        path = posixpath.join(cwd, path)
    path = posixpath.normpath(path)
    if not path.startswith(HOME + "/"):
        return None
    rel = path[len(HOME) + 1:]
    # Only the course folders (`_Lecture_k8s_starter.kit`, …) lie in /root; the rest of content/kit does not.
    return rel if rel.startswith("_") else None


def resolve_source(ctx, path: str, recursive: bool = False) -> list[tuple[str, str]]:
    """`-f PATH` -> [(source name as kubectl prints it, text)], in kubectl's order."""
    if path == "-":
        return [("STDIN", ctx.stdin or "")]
    if path == "~" or path.startswith("~/"):        # bash expands `~` before kubectl sees the path
        path = HOME + path[1:]
    if path.startswith(("http://", "https://")):
        rel = _urls().get(path)
        target = _kit_path(rel) if rel else None
        if target is None or not target.is_file():
            raise KubectlError(f'error: unable to read URL "{path}", server reported 404 Not Found, status code=404')
        return [(path, _read(target, path))]
    files = getattr(ctx, "files", None) or {}
    for key in (path, posixpath.normpath(path.replace("~/", HOME + "/", 1))):
        if key in files:
            return [(path, files[key])]
    cluster = getattr(ctx, "cluster", None)
    if cluster is not None:               # a file the student wrote on m-k8s (`!sh cat > web.yaml` + a code block)
        written = cluster.meta.get("written", {}).get("m-k8s", {}).get(fs.resolve(cluster, "m-k8s", path))
        if written is not None:
            return [(path, written)]
    cwd = fs.cwd(cluster, "m-k8s") if cluster is not None else HOME      # `!sh cd …` moves it
    rel = _home_relative(path, cwd)
    target = _kit_path(rel) if rel else None
    if target is None or not target.exists():
        raise KubectlError(f'error: the path "{path}" does not exist')
    if target.is_file():
        return [(path, _read(target, path))]
    out = []
    base = path.rstrip("/") or path
    for child in _walk(target, recursive):
        out.append((posixpath.join(base, child.relative_to(target).as_posix()), _read(child, path)))
    return out


def _walk(folder: Path, recursive: bool) -> list[Path]:
    """filepath.Walk order (lexical); subfolders only with -R; only manifest suffixes."""
    found = []
    for child in sorted(folder.iterdir(), key=lambda p: p.name):
        if child.is_dir():
            if recursive:
                found.extend(_walk(child, True))
        elif child.suffix in MANIFEST_SUFFIXES:
            found.append(child)
    return found


def _read(path: Path, shown: str) -> str:
    if path.stat().st_size > MAX_BYTES:
        raise KubectlError(too_big(shown))
    return path.read_text(encoding="utf-8")


def too_big(source: str) -> str:
    return (f"error: error reading {source}: this sandbox accepts at most {MAX_BYTES // 1024} KiB of "
            "manifests at once")


# -- documents --------------------------------------------------------------------------------

@dataclass
class Doc:
    source: str
    obj: dict | None = None
    error: str | None = None      # kubectl's message (without the leading "error: ")
    fatal: bool = False           # a parse/validation error ends the stream, as in kubectl's StreamVisitor


def split_documents(text: str) -> list[str]:
    """k8s YAMLReader: a line that is `---` (plus trailing blanks) separates documents."""
    docs, cur = [], []
    for line in text.splitlines(keepends=True):
        if line.startswith("---") and not line[3:].strip():
            docs.append("".join(cur))
            cur = []
        else:
            cur.append(line)
    docs.append("".join(cur))
    return docs


def load(source: str, text: str, *, validate: bool = True) -> list[Doc]:
    """Parse and validate a stream. The list stops at the first fatal document."""
    if len(text.encode("utf-8", "replace")) > MAX_BYTES:
        return [Doc(source, error=too_big(source)[len("error: "):], fatal=True)]
    chunks = split_documents(text)
    if len(chunks) > MAX_DOCUMENTS:
        return [Doc(source, error=f"error parsing {source}: more than {MAX_DOCUMENTS} documents in one stream "
                                  "(this sandbox's limit)", fatal=True)]
    out: list[Doc] = []
    for chunk in chunks:
        try:
            data = _parse_chunk(chunk)
        except _Refused as exc:
            out.append(Doc(source, error=f"error parsing {source}: {exc}", fatal=True))
            return out
        if data is None:
            continue
        if not isinstance(data, dict):
            out.append(Doc(source, error=f"error parsing {source}: error converting YAML to JSON: json: cannot "
                                         f"unmarshal {json_type(data)} into Go value of type "
                                         "map[string]interface {}", fatal=True))
            return out
        if data.get("kind") == "List" and data.get("apiVersion") == "v1" and isinstance(data.get("items"), list):
            # `kubectl get -o yaml` output applied back: a v1 List stands for its items.
            items = [i for i in data["items"] if isinstance(i, dict)]
            nested = load(source, "\n---\n".join(json.dumps(i) for i in items), validate=validate) if items else []
            out.extend(nested)
            if any(d.fatal for d in nested):
                return out
            continue
        if validate:
            errors = validate_object(data)
            if errors:
                joined = errors[0] if len(errors) == 1 else "[" + ", ".join(errors) + "]"
                out.append(Doc(source, error=f'error validating "{source}": error validating data: {joined}; '
                                             f"{STOP_VALIDATE}", fatal=True))
                return out
        elif not data.get("kind") or not data.get("apiVersion"):
            missing = "Kind" if not data.get("kind") else "apiVersion"
            out.append(Doc(source, error=f'unable to decode "{source}": Object \'{missing}\' is missing in '
                                         f"'{json.dumps(data, separators=(',', ':'))}'"))
            continue
        out.append(Doc(source, obj=data))
    return out


class _Refused(Exception):
    pass


def _parse_chunk(chunk: str) -> Any:
    if not chunk.strip():
        return None
    stripped = chunk.lstrip()
    if stripped.startswith("{"):
        try:
            return _check_size(json.loads(stripped))
        except json.JSONDecodeError as exc:
            raise _Refused(f"error converting YAML to JSON: yaml: line {exc.lineno}: did not find expected node content")
        except RecursionError:
            raise _Refused("the document is nested too deeply for this sandbox")
    _check_aliases(chunk)
    try:
        data = yaml.load(chunk, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        raise _Refused("error converting YAML to JSON: " + go_yaml_error(exc))
    except yaml.YAMLError as exc:
        raise _Refused(f"error converting YAML to JSON: yaml: {exc}")
    except RecursionError:
        raise _Refused("the document is nested too deeply for this sandbox")
    return _check_size(data)


def _check_aliases(chunk: str) -> None:
    """Count anchors' uses on the token stream: nothing is expanded yet."""
    aliases = 0
    try:
        for token in yaml.scan(chunk, Loader=yaml.SafeLoader):
            if isinstance(token, yaml.AliasToken):
                aliases += 1
                if aliases > MAX_ALIASES:
                    raise _Refused(f"more than {MAX_ALIASES} YAML aliases in one document; this sandbox refuses "
                                   "possible YAML bombs")
    except yaml.MarkedYAMLError as exc:
        raise _Refused("error converting YAML to JSON: " + go_yaml_error(exc))
    except RecursionError:
        raise _Refused("the document is nested too deeply for this sandbox")


def _check_size(data: Any) -> Any:
    """Walk the built object once, counting shared (aliased) nodes every time they appear."""
    budget = MAX_NODES
    stack = [(data, 0)]
    while stack:
        node, depth = stack.pop()
        budget -= 1
        if budget < 0:
            raise _Refused(f"the document expands to more than {MAX_NODES} values; this sandbox refuses "
                           "possible YAML bombs")
        if depth > MAX_DEPTH:
            raise _Refused("the document is nested too deeply for this sandbox")
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
    return data


class _Loader(yaml.SafeLoader):
    """YAML 1.1 like go-yaml v2, but timestamps stay strings (JSON has no dates)."""


_Loader.yaml_implicit_resolvers = {k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
                                   for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "string"


_GO_PROBLEMS = (
    ("mapping values are not allowed here", "mapping values are not allowed in this context"),
    ("that cannot start any token", "found character that cannot start any token"),
    ("could not find expected ':'", "could not find expected ':'"),
    ("found unexpected end of stream", "found unexpected end of stream"),
    ("found unknown escape character", "found unknown escape character"),
    ("block sequence entries are not allowed here", "block sequence entries are not allowed in this context"),
)


def go_yaml_error(exc: yaml.MarkedYAMLError) -> str:
    """PyYAML's error in go-yaml v2's words: `yaml: line N: <problem>`.

    go-yaml numbers scanner errors from 1 and parser errors from the problem mark's 0-based line."""
    problem = exc.problem or ""
    mark = exc.problem_mark or exc.context_mark
    scanner = isinstance(exc, yaml.scanner.ScannerError)
    text = problem
    for needle, go in _GO_PROBLEMS:
        if needle in problem:
            text = go
            break
    else:
        if isinstance(exc, yaml.composer.ComposerError) and "undefined alias" in (exc.problem or ""):
            name = problem.rsplit(" ", 1)[-1].strip("'")
            text = f"unknown anchor '{name}' referenced"
            scanner = True
        elif problem.startswith("expected <block end>"):
            text = "did not find expected '-' indicator" if "sequence" in (exc.context or "") else \
                "did not find expected key"
        elif problem.startswith("expected ',' or ']'"):
            text = "did not find expected ',' or ']'"
        elif problem.startswith("expected ',' or '}'"):
            text = "did not find expected ',' or '}'"
        elif "found duplicate key" in (exc.problem or ""):
            text = problem
    line = 0
    if mark is not None:
        line = mark.line + 1 if scanner else mark.line
        if line == 0 and exc.context_mark is not None:
            line = exc.context_mark.line
    return f"yaml: line {line}: {text}" if line else f"yaml: {text}"


# -- kinds the sandbox stores -----------------------------------------------------------------

@dataclass(frozen=True)
class KindInfo:
    kind: str
    group: str
    namespaced: bool
    warning: str | None = None      # a deprecation warning the 1.20 server sends


def _rbac(kind: str, namespaced: bool) -> list[tuple[tuple[str, str], KindInfo]]:
    group = "rbac.authorization.k8s.io"
    return [((f"{group}/v1", kind), KindInfo(kind, group, namespaced)),
            ((f"{group}/v1beta1", kind), KindInfo(kind, group, namespaced,
                                                  f"Warning: {group}/v1beta1 {kind} is deprecated in v1.17+, "
                                                  f"unavailable in v1.22+; use {group}/v1 {kind}"))]


KINDS: dict[tuple[str, str], KindInfo] = dict([
    (("v1", "Pod"), KindInfo("Pod", "", True)),
    (("v1", "Service"), KindInfo("Service", "", True)),
    (("v1", "Namespace"), KindInfo("Namespace", "", False)),
    (("v1", "ConfigMap"), KindInfo("ConfigMap", "", True)),
    (("v1", "Secret"), KindInfo("Secret", "", True)),
    (("v1", "ServiceAccount"), KindInfo("ServiceAccount", "", True)),
    (("v1", "Endpoints"), KindInfo("Endpoints", "", True)),
    (("v1", "PersistentVolume"), KindInfo("PersistentVolume", "", False)),
    (("v1", "PersistentVolumeClaim"), KindInfo("PersistentVolumeClaim", "", True)),
    (("apps/v1", "Deployment"), KindInfo("Deployment", "apps", True)),
    (("apps/v1", "ReplicaSet"), KindInfo("ReplicaSet", "apps", True)),
    (("apps/v1", "DaemonSet"), KindInfo("DaemonSet", "apps", True)),
    (("policy/v1beta1", "PodSecurityPolicy"), KindInfo("PodSecurityPolicy", "policy", False)),
    *_rbac("ClusterRole", False), *_rbac("ClusterRoleBinding", False),
    *_rbac("Role", True), *_rbac("RoleBinding", True),
])


def recognize(source: str, obj: dict) -> KindInfo:
    info = KINDS.get((str(obj.get("apiVersion")), str(obj.get("kind"))))
    if info is None:
        raise KubectlError(f'unable to recognize "{source}": no matches for kind "{obj.get("kind")}" in version '
                           f'"{obj.get("apiVersion")}"')
    return info


# -- validation (kubectl's client-side OpenAPI check, for the kinds we know) --------------------

META = {"ObjectMeta", "Time", "OwnerReference", "ManagedFieldsEntry", "FieldsV1", "LabelSelector",
        "LabelSelectorRequirement"}
_LAYOUT = json.loads((Path(__file__).with_name("podtemplate_fields.json")).read_text(encoding="utf-8"))
_NAMED = _LAYOUT["named_non_struct"]
_PRIMITIVE = {"string": "string", "bool": "boolean", "int": "integer", "int32": "integer", "int64": "integer",
              "uint64": "integer", "uint8": "integer", "uint": "integer"}

# type descriptors: "string" | "integer" | "boolean" | "any" | "quantity" | "intstr"
#                   | ("array", T) | ("map", T) | ("struct", openapi name)
SCHEMA: dict[str, dict[str, Any]] = {}


def _openapi_name(go_type: str) -> str:
    pkg, _, name = go_type.partition(".")
    if pkg == "v1":
        return ("io.k8s.apimachinery.pkg.apis.meta.v1." if name in META else "io.k8s.api.core.v1.") + name
    return go_type


def _descriptor(go_type: str, kind: str, elem: str | None = None, key: str | None = None):
    if go_type in ("v1.Time", "*v1.Time"):
        return "string"
    if go_type.endswith("resource.Quantity"):
        return "quantity"
    if go_type.endswith("intstr.IntOrString"):
        return "intstr"
    if go_type.endswith("v1.FieldsV1"):
        return "any"
    if kind == "ptr":
        return _descriptor(elem or "", _kind_of(elem or ""))
    if kind == "slice":
        return ("array", _descriptor(elem or "", _kind_of(elem or "")))
    if kind == "map":
        if go_type == "v1.ResourceList":
            return ("map", "quantity")
        return ("map", _descriptor(elem or "", _kind_of(elem or "")))
    if kind == "struct":
        return ("struct", _openapi_name(go_type))
    return _PRIMITIVE.get(kind, "any")


def _kind_of(go_type: str) -> str:
    if go_type in _NAMED:
        return _NAMED[go_type]
    if go_type in _PRIMITIVE:
        return go_type
    if go_type.startswith("[]"):
        return "slice"
    if go_type.startswith("map["):
        return "map"
    return "struct"


def _load_layout() -> None:
    structs = {s["type"]: s["fields"] for s in _LAYOUT["structs"]}

    def fields_of(go_type: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in structs.get(go_type, ()):
            tag = f["json"]
            if tag == ",inline":
                out.update(fields_of(f["type"]))
            elif tag and tag != "-":
                out[tag.split(",")[0]] = _descriptor(f["type"], f["kind"], f.get("elem"), f.get("key"))
        return out

    for go_type in structs:
        if go_type.startswith("v1.") and go_type not in ("v1.Time", "v1.FieldsV1"):
            SCHEMA[_openapi_name(go_type)] = fields_of(go_type)


_load_layout()

S = lambda name: ("struct", name)  # noqa: E731
CORE, APPS, METAV1 = "io.k8s.api.core.v1.", "io.k8s.api.apps.v1.", "io.k8s.apimachinery.pkg.apis.meta.v1."
_TOP = {"apiVersion": "string", "kind": "string", "metadata": S(METAV1 + "ObjectMeta")}
SCHEMA.update({
    CORE + "Pod": {**_TOP, "spec": S(CORE + "PodSpec"), "status": "any"},
    APPS + "Deployment": {**_TOP, "spec": S(APPS + "DeploymentSpec"), "status": "any"},
    APPS + "DeploymentSpec": {"replicas": "integer", "selector": S(METAV1 + "LabelSelector"),
                              "template": S(CORE + "PodTemplateSpec"), "strategy": S(APPS + "DeploymentStrategy"),
                              "minReadySeconds": "integer", "revisionHistoryLimit": "integer", "paused": "boolean",
                              "progressDeadlineSeconds": "integer"},
    APPS + "DeploymentStrategy": {"type": "string", "rollingUpdate": S(APPS + "RollingUpdateDeployment")},
    APPS + "RollingUpdateDeployment": {"maxSurge": "intstr", "maxUnavailable": "intstr"},
    APPS + "ReplicaSet": {**_TOP, "spec": S(APPS + "ReplicaSetSpec"), "status": "any"},
    APPS + "ReplicaSetSpec": {"replicas": "integer", "minReadySeconds": "integer",
                              "selector": S(METAV1 + "LabelSelector"), "template": S(CORE + "PodTemplateSpec")},
    APPS + "DaemonSet": {**_TOP, "spec": S(APPS + "DaemonSetSpec"), "status": "any"},
    APPS + "DaemonSetSpec": {"selector": S(METAV1 + "LabelSelector"), "template": S(CORE + "PodTemplateSpec"),
                             "updateStrategy": S(APPS + "DaemonSetUpdateStrategy"), "minReadySeconds": "integer",
                             "revisionHistoryLimit": "integer"},
    APPS + "DaemonSetUpdateStrategy": {"type": "string", "rollingUpdate": S(APPS + "RollingUpdateDaemonSet")},
    APPS + "RollingUpdateDaemonSet": {"maxUnavailable": "intstr"},
    CORE + "Service": {**_TOP, "spec": S(CORE + "ServiceSpec"), "status": "any"},
    CORE + "ServiceSpec": {"ports": ("array", S(CORE + "ServicePort")), "selector": ("map", "string"),
                           "clusterIP": "string", "clusterIPs": ("array", "string"), "type": "string",
                           "externalIPs": ("array", "string"), "sessionAffinity": "string",
                           "loadBalancerIP": "string", "loadBalancerSourceRanges": ("array", "string"),
                           "externalName": "string", "externalTrafficPolicy": "string",
                           "healthCheckNodePort": "integer", "publishNotReadyAddresses": "boolean",
                           "sessionAffinityConfig": "any", "ipFamilies": ("array", "string"),
                           "ipFamilyPolicy": "string", "topologyKeys": ("array", "string")},
    CORE + "ServicePort": {"name": "string", "protocol": "string", "appProtocol": "string", "port": "integer",
                           "targetPort": "intstr", "nodePort": "integer"},
    CORE + "Namespace": {**_TOP, "spec": S(CORE + "NamespaceSpec"), "status": "any"},
    CORE + "NamespaceSpec": {"finalizers": ("array", "string")},
    CORE + "ConfigMap": {**_TOP, "data": ("map", "string"), "binaryData": ("map", "string"), "immutable": "boolean"},
    CORE + "Secret": {**_TOP, "data": ("map", "string"), "stringData": ("map", "string"), "type": "string",
                      "immutable": "boolean"},
    CORE + "ServiceAccount": {**_TOP, "secrets": "any", "imagePullSecrets": "any",
                              "automountServiceAccountToken": "boolean"},
})
REQUIRED = {
    CORE + "PodSpec": ("containers",), CORE + "Container": ("name",), CORE + "ContainerPort": ("containerPort",),
    CORE + "Volume": ("name",), CORE + "VolumeMount": ("mountPath", "name"), CORE + "EnvVar": ("name",),
    CORE + "KeyToPath": ("key", "path"), CORE + "NFSVolumeSource": ("path", "server"),
    CORE + "HostPathVolumeSource": ("path",), CORE + "ServicePort": ("port",),
    CORE + "PersistentVolumeClaimVolumeSource": ("claimName",), CORE + "Toleration": (),
    APPS + "DeploymentSpec": ("selector", "template"), APPS + "ReplicaSetSpec": ("selector",),
    APPS + "DaemonSetSpec": ("selector", "template"), METAV1 + "LabelSelectorRequirement": ("key", "operator"),
}
ROOTS = {("v1", "Pod"): CORE + "Pod", ("apps/v1", "Deployment"): APPS + "Deployment",
         ("apps/v1", "ReplicaSet"): APPS + "ReplicaSet", ("apps/v1", "DaemonSet"): APPS + "DaemonSet",
         ("v1", "Service"): CORE + "Service", ("v1", "Namespace"): CORE + "Namespace",
         ("v1", "ConfigMap"): CORE + "ConfigMap", ("v1", "Secret"): CORE + "Secret",
         ("v1", "ServiceAccount"): CORE + "ServiceAccount"}


def _got(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "map"
    return "null"


def validate_object(obj: dict, *, prune: bool = False) -> list[str]:
    """kubectl's messages: `apiVersion not set`, `ValidationError(Pod.spec): unknown field …`.

    With `prune` (the server's view, for --validate=false and patches) unknown fields are dropped
    silently, as the 1.20 API server drops them, and only the other errors are returned."""
    errors = []
    if not isinstance(obj.get("apiVersion"), str) or not obj.get("apiVersion"):
        errors.append("apiVersion not set" if "apiVersion" not in obj or obj["apiVersion"] in ("", None)
                      else "apiVersion isn't string type")
    if not isinstance(obj.get("kind"), str) or not obj.get("kind"):
        errors.append("kind not set" if "kind" not in obj or obj["kind"] in ("", None) else "kind isn't string type")
    if errors:
        return errors
    root = ROOTS.get((obj["apiVersion"], obj["kind"]))
    if root is None:            # kubectl skips kinds its schema does not have
        return []
    _check(obj, ("struct", root), obj["kind"], root, errors, prune)
    return errors


def _check(value: Any, desc, path: str, owner: str, errors: list[str], prune: bool = False) -> None:
    """`owner` is the `Type.field` the value sits in, for invalid-type messages."""
    if value is None or desc == "any":
        return
    if isinstance(desc, tuple):
        form, inner = desc
        if form == "struct":
            if not isinstance(value, dict):
                errors.append(f'ValidationError({path}): invalid type for {owner}: got "{_got(value)}", expected "map"')
                return
            fields = SCHEMA.get(inner)
            if fields is None:
                return
            for name in REQUIRED.get(inner, ()):
                if name not in value:
                    errors.append(f'ValidationError({path}): missing required field "{name}" in {inner}')
            for key, item in list(value.items()):
                if key not in fields:
                    if prune:
                        del value[key]
                    else:
                        errors.append(f'ValidationError({path}): unknown field "{key}" in {inner}')
                elif prune and item is None and isinstance(fields[key], tuple) and fields[key][0] in ("array", "map"):
                    del value[key]      # a null list or map decodes as nil and is omitted
                else:
                    _check(item, fields[key], f"{path}.{key}", f"{inner}.{key}", errors, prune)
        elif form == "array":
            if not isinstance(value, list):
                errors.append(f'ValidationError({path}): invalid type for {owner}: got "{_got(value)}", expected "array"')
                return
            for i, item in enumerate(value):
                if item is None and isinstance(inner, tuple) and inner[0] == "struct":
                    item = {}           # Go decodes a null list entry as the zero struct
                    if prune:
                        value[i] = item
                _check(item, inner, f"{path}[{i}]", owner, errors, prune)
        elif form == "map":
            if not isinstance(value, dict):
                errors.append(f'ValidationError({path}): invalid type for {owner}: got "{_got(value)}", expected "map"')
                return
            for key, item in value.items():
                _check(item, inner, f"{path}.{key}", owner, errors, prune)
        return
    got = _got(value)
    ok = {"string": got == "string", "integer": got == "integer", "boolean": got == "boolean",
          "quantity": got in ("string", "integer", "number"), "intstr": got in ("string", "integer")}.get(desc, True)
    if not ok:
        expected = {"quantity": "string", "intstr": "string"}.get(desc, desc)
        errors.append(f'ValidationError({path}): invalid type for {owner}: got "{got}", expected "{expected}"')


_VALIDATION = re.compile(r'^ValidationError\(([^)]*)\): (?:missing required field "([^"]+)"|invalid type for ([^:]+): '
                         r'got "([^"]+)", expected "([^"]+)")')


def server_view_errors(obj: dict) -> list[str]:
    """What the API server itself answers for a body kubectl did not validate: unknown fields are
    dropped (in place), a wrong type cannot be decoded, a missing required field is `Required value`."""
    out = []
    for err in validate_object(obj, prune=True):
        m = _VALIDATION.match(err)
        if not m:
            out.append(err)
            continue
        path, missing, owner, got, expected = m.groups()
        field = path.split(".", 1)[1] if "." in path else ""
        if missing:
            out.append(f"{field + '.' if field else ''}{missing}: Required value")
        else:
            go = {"integer": "int32", "string": "string", "boolean": "bool", "map": "map", "array": "slice"}
            struct = owner.rsplit(".", 2)[-2] if owner.count(".") >= 2 else owner
            out.append(f"json: cannot unmarshal {'number' if got == 'integer' else got} into Go struct field "
                       f"{struct}.{field} of type {go.get(expected, expected)}")
    return out
